/* test_plugin_faults.c - a plugin's fault costs its run, and only its run (optimizers/
 * plugin.h, common/interrupt.h, bench/execute.c).  The plugins of tests/plugins/fault.c
 * that misbehave: test_crash (SIGSEGV), test_abort (SIGABRT), test_exit (exit(0) mid-run),
 * test_hugealloc (its state cannot be allocated), test_hang (never returns), test_nan
 * (writes NaN: a diverged run, which is a result) and test_stdout (prints on standard
 * output), each in run, train, check and bench:
 *   - run, train, check: a crash dies of its signal, an exit() ends with status 1, with one
 *     line naming the plugin; the old output file is kept and no temporary file is left;
 *   - bench: the run is recorded crashed, timeout or failed, a pair none of whose tuning
 *     runs finished is recorded failed (its final runs not run), the bench completes with
 *     exit 0 and every other pair's tables, and no temporary file is left.
 * And a plugin's option table: an option twice, or one of a command's, the schedule's or
 * a problem's options, is a load error naming both (exit 2, one line). */
#include <signal.h>
#include <time.h>

#include "tests/e2e.h"

#include "cli/options.h"
#include "common/table.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("faults");
}

/* dir/NAME.so: test_FAULT from tests/plugins/fault.c, else from C source text src */
static void build(const char *name, const char *src)
{
    char cmd[4096], path[256];
    snprintf(path, sizeof path, "-DFAULT_%s tests/plugins/fault.c", name + 5);
    if (src) {
        snprintf(path, sizeof path, "%s/%s.c", dir, name);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(src, f);
        fclose(f);
    }
    snprintf(cmd, sizeof cmd, "cc -std=c11 -O2 -Wall -fPIC -shared -Iinclude %s -o %s/%s.so -lm",
             path, dir, name);
    assert_int_equal(system(cmd), 0);
}

/* the fault plugins, compiled once per binary by the first test that needs them */
static void build_faults(void)
{
    static int built;
    if (built) return;
    const char *names[] = {"test_crash", "test_abort", "test_exit", "test_hugealloc",
                           "test_hang", "test_nan", "test_stdout"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) build(names[i], NULL);
    built = 1;
}

/* removes dir/sub and what is in it */
static void clear(const char *sub)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s/%s", dir, sub);
    assert_int_equal(system(cmd), 0);
}

/* writes text to dir/name (creating dir/sub first) */
/* the temporary files (*.tmp.*) under dir/sub */
static int temporaries(const char *sub)
{
    char cmd[512], line[1024];
    snprintf(cmd, sizeof cmd, "find %s/%s -name '*.tmp.*'", dir, sub);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    int n = 0;
    while (fgets(line, sizeof line, p)) {
        fprintf(stderr, "left behind: %s", line);
        n++;
    }
    pclose(p);
    return n;
}

/* a line of stderr names plugin NAME (its path, .../NAME.so) and says what */
static void names_plugin(const char *name, const char *what)
{
    char so[64];
    snprintf(so, sizeof so, "/%s.so", name);
    char *err = slurp("stderr");
    assert_non_null(err);
    for (char *line = err, *end; *line; line = end + (*end != '\0')) {
        end = line + strcspn(line, "\n");
        char *a = strstr(line, "the optimizer plugin "), *b = strstr(line, so),
             *c = strstr(line, what);
        if (a && b && c && a < end && b < end && c < end) return;
    }
    fail_msg("expected a line naming %s and '%s' on stderr, got: %s", so, what, err);
}

/* a crash's status: the process died of its signal (as the shell or system() reports it;
 * a sanitizer's handler, which the crash is passed on to, exits 1 after its report),
 * never success and never "bad input" */
static void crashed_status(int rc)
{
    if (rc == 0 || rc == 2) fail_msg("a crash ended with status %d", rc);
}

/* `optbench ARGS` killed by SIGTERM after secs seconds (a user's interrupt of a hang);
 * returns its wait status */
static int run_killed(double secs, const char *args)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "exec %s %s >%s/stdout 2>%s/stderr", bin, args, dir, dir);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGTERM, SIG_DFL);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    struct timespec ts = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};
    nanosleep(&ts, NULL);
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    return st;
}

/* ---- run ------------------------------------------------------------------------------ */

#define RUN "run --problem saddle --steps 20 --lr 0.1 --optimizer %s/%s.so --out %s/run/r.csv"

static void old_run_output(void)
{
    clear("run");
    put("run/r.csv", "old\n");
    put("run/r.summary.csv", "old summary\n");
}

static void old_run_output_kept(void)
{
    char *s = slurp("run/r.csv");
    assert_non_null(s);
    assert_string_equal(s, "old\n");
    s = slurp("run/r.summary.csv");
    assert_non_null(s);
    assert_string_equal(s, "old summary\n");
    assert_int_equal(temporaries("run"), 0);
}

/* the crashing plugins (SIGSEGV, SIGABRT) through command cmd (a format taking dir, the
 * plugin's name, dir): each dies of its signal with one line naming it, and what before()
 * wrote is as after() checks it */
static void each_crash(const char *cmd, void (*before)(void), void (*after)(void))
{
    const char *names[] = {"test_crash", "test_abort"}, *sigs[] = {"SIGSEGV", "SIGABRT"};
    for (int i = 0; i < 2; i++) {
        before();
        char args[1024];
        snprintf(args, sizeof args, cmd, dir, names[i], dir);
        crashed_status(run("%s", args));
        char what[64];
        snprintf(what, sizeof what, "crashed (%s) during its run", sigs[i]);
        names_plugin(names[i], what);
        after();
    }
}

static void test_run_crash(void **st)
{
    (void)st;
    build_faults();
    each_crash(RUN, old_run_output, old_run_output_kept);
}

/* a plugin that calls exit(0) mid-run does not end optbench with success */
static void test_run_exit(void **st)
{
    (void)st;
    build_faults();
    old_run_output();
    assert_int_equal(run(RUN, dir, "test_exit", dir), 1);
    names_plugin("test_exit", "ended the process (exit) before its run finished");
    old_run_output_kept();
}

/* a state that cannot be allocated is a failure (status 1) of that run */
static void test_run_hugealloc(void **st)
{
    (void)st;
    build_faults();
    old_run_output();
    assert_int_equal(run(RUN, dir, "test_hugealloc", dir), 1);
    assert_non_null(strstr(slurp("stderr"), "out of memory allocating test-hugealloc state"));
    old_run_output_kept();
}

/* a hanging plugin's run interrupted: dies of the signal, leaves the old files alone */
static void test_run_hang(void **st)
{
    (void)st;
    build_faults();
    old_run_output();
    char args[1024];
    snprintf(args, sizeof args, RUN, dir, "test_hang", dir);
    int s = run_killed(0.5, args);
    assert_true(WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM);
    old_run_output_kept();
}

/* NaN is a diverged run: a result, exit 0, its files written */
static void test_run_nan(void **st)
{
    (void)st;
    build_faults();
    old_run_output();
    assert_int_equal(run(RUN, dir, "test_nan", dir), 0);
    ob_table t = tab("run/r.summary.csv");
    assert_string_equal(ob_table_str(&t, 0, ob_table_col(&t, "status")), "diverged");
    ob_table_free(&t);
    assert_int_equal(temporaries("run"), 0);
}

/* The contract on standard output: a plugin must not print there (docs/optimizers.md).
 * What it prints goes to optbench's standard output: with --out FILE the CSV is whole
 * and the lines are beside the summary line; with --out - they would be mixed into the
 * CSV (one process, one stream: not tested, documented); the bench sends them to stderr
 * (test_bench_faults). */
static void test_run_stdout(void **st)
{
    (void)st;
    build_faults();
    assert_int_equal(run(RUN, dir, "test_stdout", dir), 0);
    char *out = slurp("stdout");
    assert_non_null(strstr(out, "test-stdout: step 3\n"));
    assert_non_null(strstr(out, "saddle test-stdout: ok after 20 steps"));
    table t = load("run/r.csv");
    assert_int_equal(t.rows, 21);
    free(t.v);
}

/* ---- train ---------------------------------------------------------------------------- */

#define TRAIN                                                                                \
    "train --net softmax --samples 300 --epochs 1 --precision float64 --quiet --lr 0.1 "     \
    "--log-every 1 --optimizer %s/%s.so --out %s/train/t.csv"

static void old_train_output(void)
{
    clear("train");
    put("train/t.csv", "old\n");
    put("train/t.steps.csv", "old steps\n");
}

static void old_train_output_kept(void)
{
    char *s = slurp("train/t.csv");
    assert_non_null(s);
    assert_string_equal(s, "old\n");
    s = slurp("train/t.steps.csv");
    assert_non_null(s);
    assert_string_equal(s, "old steps\n");
    assert_false(exists("train/t.summary.csv"));
    assert_int_equal(temporaries("train"), 0);
}

static void test_train_faults(void **st)
{
    (void)st;
    build_faults();
    each_crash(TRAIN, old_train_output, old_train_output_kept);
    old_train_output();
    assert_int_equal(run(TRAIN, dir, "test_exit", dir), 1);
    names_plugin("test_exit", "ended the process (exit) before its run finished");
    old_train_output_kept();
    old_train_output();
    assert_int_not_equal(run(TRAIN, dir, "test_hugealloc", dir), 0);
    assert_non_null(strstr(slurp("stderr"), "out of memory allocating test-hugealloc state"));
    old_train_output_kept();
    old_train_output();
    char args[1024];
    snprintf(args, sizeof args, TRAIN, dir, "test_hang", dir);
    int s = run_killed(1, args);
    assert_true(WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM);
    old_train_output_kept();
    /* NaN weights: a diverged training run, a result */
    assert_int_equal(run(TRAIN, dir, "test_nan", dir), 0);
    assert_true(exists("train/t.summary.csv"));
    assert_int_equal(temporaries("train"), 0);
}

/* ---- check ---------------------------------------------------------------------------- */

#define CHECK "check --against sgd --lr 0.1 --steps 5 --optimizer %s/%s.so"

static void test_check_faults(void **st)
{
    (void)st;
    build_faults();
    crashed_status(run(CHECK, dir, "test_crash"));
    names_plugin("test_crash", "crashed (SIGSEGV) during its run");
    crashed_status(run(CHECK, dir, "test_abort"));
    names_plugin("test_abort", "crashed (SIGABRT) during its run");
    /* exit(0) at step 3 of the first problem: not "every problem checked" */
    assert_int_equal(run(CHECK, dir, "test_exit"), 1);
    names_plugin("test_exit", "ended the process (exit) before its run finished");
    assert_non_null(strstr(slurp("stdout"), "check: test-exit against sgd"));
    assert_int_equal(run(CHECK, dir, "test_hugealloc"), 1);
    assert_non_null(strstr(slurp("stdout"), "not run: out of memory allocating test-hugealloc"));
    /* a diverged plugin parts from sgd where it wrote NaN: a result */
    assert_int_equal(run(CHECK, dir, "test_nan"), 0);
    assert_non_null(strstr(slurp("stdout"), "parts at step 3"));
}

/* ---- bench ---------------------------------------------------------------------------- */

static const char suite[] =
    "[suite]\n"
    "name = faults\n"
    "optimizers = gd ./test_crash.so ./test_abort.so ./test_exit.so ./test_hugealloc.so "
    "./test_hang.so ./test_nan.so ./test_stdout.so\n"
    "seeds = 2\n"
    "lr-from = 1e-3\n"
    "lr-to = 1\n"
    "lr-per-decade = 1\n"
    "\n"
    "[workload saddle]\n"
    "problem = saddle\n"
    "steps = 40\n"
    "\n"
    "[workload quadratic-3]\n"
    "problem = quadratic\n"
    "dim = 3\n"
    "kappa = 10\n"
    "rotate = true\n"
    "steps = 40\n";

/* rows of sub/file with optimizer o and status s */
static int count(const char *sub, const char *file, const char *o, const char *s)
{
    char path[96];
    snprintf(path, sizeof path, "%s/%s", sub, file);
    ob_table t = tab(path);
    int oc = ob_table_col(&t, "optimizer"), sc = ob_table_col(&t, "status"), n = 0;
    assert_true(oc >= 0);
    for (size_t r = 0; r < t.rows; r++)
        n += !strcmp(ob_table_str(&t, r, oc), o) && (!s || !strcmp(ob_table_str(&t, r, sc), s));
    ob_table_free(&t);
    return n;
}

static void bench_checks(const char *sub)
{
    assert_int_equal(temporaries(sub), 0);
    /* the grid 1e-3 .. 1: 4 rates a workload, 2 workloads; 2 seeds */
    assert_int_equal(count(sub, "tuning.csv", "gd", NULL), 8);
    assert_int_equal(count(sub, "tuning.csv", "gd", "diverged"), 2); /* lr 1 */
    assert_int_equal(count(sub, "metrics_analytic.csv", "gd", "ok"), 4);
    assert_int_equal(count(sub, "tuning.csv", "test-crash", "crashed"), 4); /* lr 0.1, 1 */
    assert_int_equal(count(sub, "tuning.csv", "test-abort", "crashed"), 4);
    assert_int_equal(count(sub, "tuning.csv", "test-hang", "timeout"), 4);
    assert_int_equal(count(sub, "metrics_analytic.csv", "test-crash", "ok"), 4);
    /* exit(0) at every rate: each tuning run crashed, the pair failed: its seeds too */
    assert_int_equal(count(sub, "tuning.csv", "test-exit", "crashed"), 8);
    assert_int_equal(count(sub, "metrics_analytic.csv", "test-exit", "failed"), 4);
    /* an allocation that fails: each run failed, and the bench went on */
    assert_int_equal(count(sub, "tuning.csv", "test-hugealloc", "failed"), 8);
    assert_int_equal(count(sub, "metrics_analytic.csv", "test-hugealloc", "failed"), 4);
    /* every pair is in the tables, the failed ones too */
    assert_int_equal(count(sub, "chosen.csv", "test-exit", NULL), 2);
    assert_int_equal(count(sub, "ranking_analytic.csv", "test-hugealloc", NULL), 2);
    assert_int_equal(count(sub, "metrics_analytic.csv", "test-nan", NULL), 4);
    assert_int_equal(count(sub, "metrics_analytic.csv", "test-stdout", "ok"), 4);
    char path[96];
    snprintf(path, sizeof path, "%s/report.md", sub);
    char *md = slurp(path);
    assert_non_null(md);
    if (!strstr(md, "**test-exit**: 8 runs crashed, 4 runs failed") ||
        !strstr(md, "**test-hugealloc**: 12 runs failed"))
        fail_msg("the report does not count the failed runs:\n%.3000s", md);
}

static void test_bench_faults(void **st)
{
    (void)st;
    build_faults();
    put("faults.ini", suite);
    /* one process, then a pool of two: the same records */
    assert_int_equal(run("bench --suite %s/faults.ini --out %s/b1 --jobs 1 --run-timeout 0.5 "
                         "--quiet", dir, dir), 0);
    /* what the plugin printed went to stderr, not into the bench's output */
    assert_null(strstr(slurp("stdout"), "test-stdout"));
    assert_non_null(strstr(slurp("stderr"), "test-stdout: step 1"));
    names_plugin("test_exit", "ended the process (exit) before its run finished");
    bench_checks("b1");
    assert_int_equal(run("bench --suite %s/faults.ini --out %s/b2 --jobs 2 --run-timeout 0.5 "
                         "--quiet", dir, dir), 0);
    bench_checks("b2");
}

/* A final run killed at the time limit while it writes its trajectory (seed-1.csv.gz's
 * temporary twin): the child cannot remove it, the bench does.  The plugin hangs at step 3
 * of a run from a moved start point, the final runs' (the tuning runs start at the
 * problem's own, which the bench writes no trajectory of). */
static const char hang_seeds[] =
    "#include <optbench.h>\n"
    "#include <unistd.h>\n"
    "typedef struct { double x0; } S;\n"
    "static ob_status a(void *s, size_t n, const ob_hparams *h) { (void)s, (void)n, (void)h;"
    " return OB_OK; }\n"
    "static ob_status st(void *s, void *x, const void *g, size_t n, ob_dtype dt, double lr,\n"
    "                    long t, const ob_objective *o)\n"
    "{\n"
    "    S *q = s;\n"
    "    (void)o, (void)dt;\n"
    "    if (t == 1) q->x0 = ((double *)x)[0];\n"
    "    while (t == 3 && q->x0 != -0.25) pause(); /* saddle starts at (-0.25, 0.3) */\n"
    "    for (size_t i = 0; i < n; i++) ((double *)x)[i] -= lr * ((const double *)g)[i];\n"
    "    return OB_OK;\n"
    "}\n"
    "static const ob_hp_option op[] = {OB_HP_LR(1e-3, \"lr\"), OB_HP_END};\n"
    "const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;\n"
    "const ob_optimizer_type optbench_optimizer = {.name = \"hang-seeds\", .summary = \"x\",\n"
    "    .options = op, .state_size = sizeof(S), .f64_only = 1, .alloc = a, .step = st};\n";

static void test_bench_timeout_temporaries(void **st)
{
    (void)st;
    build("hang_seeds", hang_seeds);
    put("hang.ini", "[suite]\nname = hang\noptimizers = gd ./hang_seeds.so\nseeds = 2\n"
                    "lr-from = 1e-3\nlr-to = 1e-2\nlr-per-decade = 1\n\n"
                    "[workload saddle]\nproblem = saddle\nsteps = 40\n");
    assert_int_equal(run("bench --suite %s/hang.ini --out %s/hang --jobs 1 --run-timeout 0.3 "
                         "--quiet", dir, dir), 0);
    assert_int_equal(temporaries("hang"), 0);
    assert_int_equal(count("hang", "metrics_analytic.csv", "hang-seeds", "timeout"), 2);
    assert_int_equal(count("hang", "metrics_analytic.csv", "gd", "ok"), 2);
}

/* ---- option tables -------------------------------------------------------------------- */

#define PLUGIN_SRC(name, table)                                                              \
    "#include <optbench.h>\n"                                                                \
    "static ob_status a(void *s, size_t n, const ob_hparams *h)\n"                           \
    "{ (void)s, (void)n, (void)h; return OB_OK; }\n"                                          \
    "static ob_status st(void *s, void *x, const void *g, size_t n, ob_dtype dt, double lr,\n" \
    "                    long t, const ob_objective *o)\n"                                   \
    "{ (void)s, (void)x, (void)g, (void)n, (void)dt, (void)lr, (void)t, (void)o; return OB_OK; }\n" \
    "static const ob_hp_option o[] = {OB_HP_LR(1e-3, \"lr\"), " table ", OB_HP_END};\n"     \
    "const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;\n"                                 \
    "const ob_optimizer_type optbench_optimizer = {.name = \"" name "\", .summary = \"x\",\n" \
    "    .options = o, .alloc = a, .step = st};\n"

#define MINE(opt) "OB_HP_NUMBER(\"" opt "\", extra[0], 1, \">= 0\", \"mine\")"

/* `optbench ARGS` with plugin NAME: exit 2 and one line naming the plugin and each of want */
static void load_error(const char *args, const char *name, const char *want1, const char *want2)
{
    assert_int_equal(run("%s --optimizer %s/%s.so", args, dir, name), 2);
    char *err = slurp("stderr"), p[256];
    snprintf(p, sizeof p, "%s/%s.so", dir, name);
    if (!strstr(err, p) || !strstr(err, want1) || !strstr(err, want2))
        fail_msg("%s: expected '%s' and '%s' in: %s", name, want1, want2, err);
    assert_non_null(strchr(err, '\n'));
    assert_int_equal(strchr(err, '\n')[1], '\0'); /* one line */
}

static void test_option_tables(void **st)
{
    (void)st;
    build("opt_dup", PLUGIN_SRC("opt-dup", MINE("foo") ", " MINE("foo")));
    build("opt_steps", PLUGIN_SRC("opt-steps", MINE("steps")));
    build("opt_kappa", PLUGIN_SRC("opt-kappa", MINE("kappa")));
    build("opt_warmup", PLUGIN_SRC("opt-warmup", MINE("warmup")));
    build("opt_epochs", PLUGIN_SRC("opt-epochs", MINE("epochs")));
    build("opt_fine", PLUGIN_SRC("opt-fine", MINE("foo")));
    char run_args[160];
    snprintf(run_args, sizeof run_args, "run --problem quadratic --out %s/x.csv", dir);
    load_error(run_args, "opt_dup", "--foo is in its option table twice", "opt-dup");
    load_error(run_args, "opt_steps", "--steps is also `optbench run --steps`", "rename it");
    load_error(run_args, "opt_kappa", "--kappa is also an option of the problems", "quadratic");
    load_error(run_args, "opt_warmup", "--warmup is also an option of the schedule", "rename");
    /* train's own options too, whatever the command that loads it */
    load_error(run_args, "opt_epochs", "--epochs is also `optbench train --epochs`", "rename");
    load_error("train --help", "opt_steps", "--steps is also `optbench run --steps`", "rename");
    /* a suite file's plugin is loaded by the same loader */
    put("bad.ini", "[suite]\nname = bad\noptimizers = gd ./opt_kappa.so\n\n"
                   "[workload saddle]\nproblem = saddle\nsteps = 10\n");
    assert_int_equal(run("bench --suite %s/bad.ini --out %s/bad --list", dir, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--kappa is also an option of the problems"));
    /* an option of its own loads, parses and runs */
    assert_int_equal(run("run --problem quadratic --steps 5 --optimizer %s/opt_fine.so --foo 2 "
                         "--out %s/fine.csv", dir, dir), 0);
    /* the built-ins keep to the same rule */
    ob_error e = {{0}};
    for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++)
        if (ob_optimizer_options_check(*t, &e) != OB_OK) fail_msg("%s", e.msg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_crash),      cmocka_unit_test(test_run_exit),
        cmocka_unit_test(test_run_hugealloc),  cmocka_unit_test(test_run_hang),
        cmocka_unit_test(test_run_nan),        cmocka_unit_test(test_run_stdout),
        cmocka_unit_test(test_train_faults),   cmocka_unit_test(test_check_faults),
        cmocka_unit_test(test_bench_faults),   cmocka_unit_test(test_bench_timeout_temporaries),
        cmocka_unit_test(test_option_tables),
    };
    return ob_run_tests("plugin_faults", tests, setup, teardown);
}
