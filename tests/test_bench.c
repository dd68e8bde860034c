/* test_bench.c - the benchmark runner: the same results for any number of jobs, after an
 * interruption and resume, when shards are merged, and through the README's GNU parallel
 * recipe; tuning picks the best score; the metrics agree with the run files; progress
 * reaches a pipe as plain lines; the printed smoke suite, run as a file, gives the same
 * tables; --seeds N --first-seed K runs the final runs on seeds K..K+N-1 at the rates the
 * reference chose.  Most tests compare with or read one reference, the smoke suite run with
 * --jobs 1 (reference(): made once per binary by the first test that needs it, never
 * written after), and make their own directories for the rest: any test runs alone
 * (OB_TEST=name, tests/runner.h) and in any order.  Tables are read by column name. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "tables/tables.h"
#include "common/csvread.h"
#include "common/table.h"
#include "bench/bench.h"
#include "bench/bench_internal.h"
#include "bench/tuning.h"
#include "tests/shell.h"

static char root[64];
static const char *bin; /* the optbench binary of the end-to-end tests */

static int setup(void **st)
{
    (void)st;
    bin = getenv("OPTBENCH");
    if (!bin) bin = "build/optbench";
    strcpy(root, "/tmp/optbench-bench-XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    return system(cmd);
}

static void bench(const char *sub, int jobs, int shard_i, int shard_n)
{
    char out[256];
    snprintf(out, sizeof out, "%s/%s", root, sub);
    mkdir(out, 0777);
    ob_bench_config c = {.suite = ob_suite_find("smoke"), .out = out, .jobs = jobs,
                         .shard_i = shard_i, .shard_n = shard_n};
    ob_error e = {{0}};
    ob_blas_threads(1); /* as `optbench bench` runs (cmd_bench.c): OpenBLAS's threads split
                           the analytic problems' sums, which moves their last bits */
    if (ob_bench_write_inputs(&c, &e) || ob_bench_run(&c, &e)) fail_msg("%s", e.msg);
}

static void aggregate(const char *sub)
{
    char out[256];
    snprintf(out, sizeof out, "%s/%s", root, sub);
    ob_error e = {{0}};
    if (ob_tables_aggregate(out, &e)) fail_msg("%s", e.msg);
}

/* The reference results: the smoke suite with --jobs 1, tables aggregated, in root/REF.
 * Made by the first test that calls reference() (once per binary; an interrupted making
 * resumes at the next call); the tests only read it. */
#define REF "j1"
static void reference(void)
{
    static int made;
    if (made) return;
    bench(REF, 1, 0, 1);
    aggregate(REF);
    made = 1;
}

/* root/sub/file by column name; fails the test when unreadable */
static ob_table table_of(const char *sub, const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", root, sub, file);
    ob_table t;
    ob_error e = {{0}};
    if (ob_table_read(path, &t, &e) != OB_OK) fail_msg("%s", e.msg);
    return t;
}

/* the column name of t; fails the test when t has none */
static int col(const ob_table *t, const char *name)
{
    int c = ob_table_col(t, name);
    if (c < 0) fail_msg("no column %s", name);
    return c;
}

/* how many rows of t have workload w (NULL: any) and optimizer o (NULL: any) */
static size_t rows_with(const ob_table *t, const char *w, const char *o)
{
    int wc = col(t, "workload"), oc = col(t, "optimizer");
    size_t n = 0;
    for (size_t r = 0; r < t->rows; r++)
        n += (!w || !strcmp(ob_table_str(t, r, wc), w)) && (!o || !strcmp(ob_table_str(t, r, oc), o));
    return n;
}

static char *slurp(const char *sub, const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", root, sub, file);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    s[fread(s, 1, (size_t)n, f)] = '\0';
    fclose(f);
    return s;
}

/* a table's text without the timing columns (seconds*) */
static char *untimed(const char *sub, const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", root, sub, file);
    ob_table t;
    if (ob_table_read(path, &t, NULL) != OB_OK) fail_msg("cannot read %s", path);
    size_t cap = 1 << 20, k = 0;
    char *s = malloc(cap);
    for (size_t r = 0; r < t.rows; r++)
        for (size_t c = 0; c < t.cols; c++)
            if (!strstr(t.head[c], "seconds"))
                k += (size_t)snprintf(s + k, cap - k, "%s%c", t.cell[r * t.cols + c],
                                      c + 1 == t.cols ? '\n' : ',');
    ob_table_free(&t);
    return s;
}

static void same_tables(const char *a, const char *b)
{
    const char *exact[] = {"tuning.csv", "chosen.csv", "profiles.csv", "ecdf.csv"};
    for (int i = 0; i < 4; i++) {
        char *x = slurp(a, exact[i]), *y = slurp(b, exact[i]);
        assert_non_null(x);
        assert_non_null(y);
        if (strcmp(x, y)) fail_msg("%s differs between %s and %s", exact[i], a, b);
        free(x);
        free(y);
    }
    const char *timed[] = {"metrics_analytic.csv", "metrics_net.csv", "reached.csv",
                           "ranking_analytic.csv", "ranking_net.csv", "ranking_targets.csv",
                           "curves/saddle.csv", "curves/lsq-b8.csv", "netcurves/softmax-tiny.csv"};
    for (int i = 0; i < 9; i++) {
        char *x = untimed(a, timed[i]), *y = untimed(b, timed[i]);
        if (strcmp(x, y)) fail_msg("%s differs between %s and %s", timed[i], a, b);
        free(x);
        free(y);
    }
}

static void test_jobs_equal(void **st)
{
    (void)st;
    reference();
    bench("j2", 2, 0, 1);
    aggregate("j2");
    same_tables(REF, "j2");
    /* 3 analytic workloads x 4 optimizers, less gsl-bfgs on the mini-batch workload (gd
     * runs there, on full passes): 11 pairs x 3 seeds; the network with adam and
     * momentum: 2 pairs x 2 seeds */
    ob_table m = table_of(REF, "metrics_analytic.csv"), n = table_of(REF, "metrics_net.csv"),
             h = table_of(REF, "reached.csv");
    assert_int_equal(m.rows, 11 * 3);
    assert_int_equal(n.rows, 2 * 2);
    assert_int_equal(h.rows, 11 * 3 * 3); /* one row per (analytic run, target) */
    assert_int_equal(rows_with(&n, "softmax-tiny", "adam"), 2);
    assert_int_equal(rows_with(&n, "softmax-tiny", "momentum"), 2);
    assert_int_equal(rows_with(&m, "lsq-b8", "gd"), 3);
    assert_int_equal(rows_with(&m, "lsq-b8", "gsl-bfgs"), 0);
    assert_int_equal(rows_with(&m, "lsq-b8", "adam"), 3);
    assert_int_equal(rows_with(&m, "softmax-tiny", NULL), 0);
    /* names R and pandas take unquoted: letters, digits and '_' only */
    const ob_table *all[] = {&m, &n, &h};
    for (int k = 0; k < 3; k++)
        for (size_t c = 0; c < all[k]->cols; c++)
            for (const char *p = all[k]->head[c]; *p; p++)
                if (!(isalnum((unsigned char)*p) || *p == '_'))
                    fail_msg("column name '%s' has '%c'", all[k]->head[c], *p);
    ob_table_free(&m);
    ob_table_free(&n);
    ob_table_free(&h);
    /* each seed-1 network run's interpolation file (bench/interp.h), the same bytes for
     * any --jobs; no other run has one */
    const char *interp[] = {"runs/softmax-tiny/adam/seed-1.interp.csv",
                            "runs/softmax-tiny/momentum/seed-1.interp.csv"};
    for (int i = 0; i < 2; i++) {
        char *x = slurp(REF, interp[i]), *y = slurp("j2", interp[i]);
        if (!x || !y || strcmp(x, y)) fail_msg("%s missing or different between " REF " and j2", interp[i]);
        free(x), free(y);
    }
    char *none = slurp(REF, "runs/softmax-tiny/adam/seed-2.interp.csv");
    assert_null(none);
}

/* an interrupted benchmark (runs missing: a pair's packed summaries, a final run's
 * trajectory, a tuning run's own summary; a temporary file left behind) resumes to the
 * same results */
static void test_resume(void **st)
{
    (void)st;
    reference();
    bench("r", 2, 0, 1);
    char path[512];
    const char *gone[] = {"runs/saddle/adam/summaries.csv", "runs/quadratic-3/gd/summaries.csv",
                          "runs/lsq-b8/momentum/seed-1.csv.gz"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/r/%s", root, gone[i]);
        if (unlink(path) != 0) fail_msg("no %s", path);
    }
    snprintf(path, sizeof path, "%s/r/runs/saddle/adam/seed-2.csv.tmp.abc123", root);
    FILE *f = fopen(path, "w");
    fputs("step,lo", f);
    fclose(f);
    bench("r", 2, 0, 1);
    assert_int_equal(access(path, F_OK), -1); /* the stale temporary file is gone */
    aggregate("r");
    same_tables(REF, "r");
}

static void test_shards_merge(void **st)
{
    (void)st;
    reference();
    bench("s", 1, 0, 2);
    bench("s", 1, 1, 2);
    aggregate("s");
    same_tables(REF, "s");
}

/* tuning chose the lowest score of each pair's grid */
static void test_chosen_is_best(void **st)
{
    (void)st;
    reference();
    ob_table tu = table_of(REF, "tuning.csv"), ch = table_of(REF, "chosen.csv");
    int tw = col(&tu, "workload"), to = col(&tu, "optimizer"), ts = col(&tu, "score"),
        tg = col(&tu, "grid"), cw = col(&ch, "workload"), co = col(&ch, "optimizer"),
        ck = col(&ch, "kind"), cs = col(&ch, "score"), cp = col(&ch, "grid_points");
    assert_int_equal(ch.rows, 13); /* 11 analytic pairs, 2 network pairs */
    for (size_t r = 0; r < ch.rows; r++) {
        double best = INFINITY;
        int rows = 0, original = 0; /* the suite's grid, and the points the edge rule added */
        for (size_t k = 0; k < tu.rows; k++)
            if (!strcmp(ob_table_str(&tu, k, tw), ob_table_str(&ch, r, cw)) &&
                !strcmp(ob_table_str(&tu, k, to), ob_table_str(&ch, r, co))) {
                double sc = ob_table_num(&tu, k, ts);
                if (sc < best) best = sc;
                rows++;
                original += !strcmp(ob_table_str(&tu, k, tg), "original");
            }
        assert_true(ob_table_num(&ch, r, cs) == best);
        int net = !strcmp(ob_table_str(&ch, r, ck), "network");
        assert_int_equal(original, net ? 2 : 4);
        assert_int_equal((int)ob_table_num(&ch, r, cp), rows);
    }
    ob_table_free(&tu);
    ob_table_free(&ch);
}

/* a metrics row agrees with its run's trajectory: the final gap and the first step below
 * each target, recomputed here from the run file (reached.csv: one row per target, the
 * values of the wide steps_to_T / evals_to_T / seconds_to_T columns of before) */
static void test_metrics_match_runs(void **st)
{
    (void)st;
    reference();
    ob_table m = table_of(REF, "metrics_analytic.csv"), h = table_of(REF, "reached.csv");
    int wc = col(&m, "workload"), oc = col(&m, "optimizer"), sc = col(&m, "seed");
    size_t r;
    for (r = 0; r < m.rows; r++)
        if (!strcmp(ob_table_str(&m, r, wc), "quadratic-3") &&
            !strcmp(ob_table_str(&m, r, oc), "adam") && !strcmp(ob_table_str(&m, r, sc), "2"))
            break;
    assert_true(r < m.rows);
    ob_table run = table_of(REF, "runs/quadratic-3/adam/seed-2.csv"); /* or .gz */
    int rs = col(&run, "step"), rl = col(&run, "loss"), re = col(&run, "evals");
    assert_true(run.rows > 1);
    double f0 = ob_table_num(&run, 0, rl), last = ob_table_num(&run, run.rows - 1, rl); /* f* = 0 */
    assert_true(ob_table_num(&m, r, col(&m, "f0")) == f0);
    assert_true(ob_table_num(&m, r, col(&m, "final_gap")) == last);
    const char *names[3] = {"1e-1", "1e-3", "1e-6"};
    const double t[3] = {1e-1, 1e-3, 1e-6};
    int hw = col(&h, "workload"), ho = col(&h, "optimizer"), hs = col(&h, "seed"),
        ht = col(&h, "target"), hn = col(&h, "steps"), he = col(&h, "evals");
    int reached = 0;
    for (int k = 0; k < 3; k++) {
        double want = NAN, want_evals = NAN;
        for (size_t i = 0; i < run.rows; i++)
            if (ob_table_num(&run, i, rl) <= t[k] * f0) {
                want = ob_table_num(&run, i, rs), want_evals = ob_table_num(&run, i, re);
                break;
            }
        reached += !isnan(want);
        size_t j = 0, found = 0;
        for (size_t i = 0; i < h.rows; i++)
            if (!strcmp(ob_table_str(&h, i, hw), "quadratic-3") &&
                !strcmp(ob_table_str(&h, i, ho), "adam") && !strcmp(ob_table_str(&h, i, hs), "2") &&
                !strcmp(ob_table_str(&h, i, ht), names[k]))
                j = i, found++;
        assert_int_equal(found, 1);
        double got = ob_table_num(&h, j, hn), evals = ob_table_num(&h, j, he);
        if (!((isnan(want) && isnan(got)) || want == got))
            fail_msg("target %s: reached.csv says step %g, the run file %g", names[k], got, want);
        if (!((isnan(want_evals) && isnan(evals)) || want_evals == evals))
            fail_msg("target %s: reached.csv says %g evaluations, the run file %g", names[k],
                     evals, want_evals);
    }
    assert_true(reached > 0); /* at least one target is reached: the steps are compared */
    ob_table_free(&run);
    ob_table_free(&m);
    ob_table_free(&h);
}

/* A 2-D final run's summary names its instance (problem_options) as `optbench run` writes
 * it for the same problem and options, so that `optbench plot` of that one CSV draws the
 * workload's surface; a run of more dimensions, and a tuning run, leave the column out. */
static void test_two_d_runs_name_their_instance(void **st)
{
    (void)st;
    reference();
    assert_int_equal(sh("%s run --problem saddle --optimizer gd --steps 2 --out %s/inst.csv "
                        "--quiet", bin, root), 0);
    const char *files[] = {"inst.csv", REF "/runs/saddle/adam/seed-1.csv.gz",
                           REF "/runs/quadratic-3/adam/seed-1.csv.gz"};
    char want[256] = "", path[512];
    for (int k = 0; k < 3; k++) {
        ob_table t;
        snprintf(path, sizeof path, "%s/%s", root, files[k]);
        assert_int_equal(ob_run_summary_beside(path, &t, NULL), OB_OK);
        int c = ob_table_col(&t, "problem_options");
        if (k == 2) {
            assert_true(c < 0);
        } else {
            assert_true(c >= 0);
            if (k == 0) snprintf(want, sizeof want, "%s", ob_table_str(&t, 0, c));
            else assert_string_equal(ob_table_str(&t, 0, c), want);
        }
        ob_table_free(&t);
    }
    assert_true(want[0] != '\0');
}

/* a network tuning run evaluates the validation split, neither the training nor the test
 * split (empty cells in its CSV, none in its packed summary), and still ends ok; a final
 * run evaluates all three (the reference) */
static void test_tuning_leaves_the_test_split(void **st)
{
    (void)st;
    reference();
    const char *files[] = {"tune-0.01.csv", "tune-0.01", "seed-1.csv", "seed-1"};
    for (int k = 0; k < 4; k++) {
        char path[512];
        snprintf(path, sizeof path, "%s/" REF "/runs/softmax-tiny/adam", root);
        int tuning = k < 2, summary = k % 2;
        ob_table t;
        if (summary) {
            assert_int_equal(ob_run_summary_read(path, files[k], &t, NULL), OB_OK);
        } else {
            snprintf(path + strlen(path), sizeof path - strlen(path), "/%s", files[k]);
            assert_int_equal(ob_table_read(path, &t, NULL), OB_OK);
        }
        int tc = ob_table_col(&t, "test_acc"),
            vc = ob_table_col(&t, summary ? "best_val_acc" : "val_acc");
        assert_true((tc >= 0 || (tuning && summary)) && vc >= 0 && t.rows >= 1);
        int trc = ob_table_col(&t, summary ? "final_train_loss" : "train_acc");
        for (size_t r = 0; r < t.rows; r++) {
            double a = ob_table_num(&t, r, tc), v = ob_table_num(&t, r, vc),
                   tr = ob_table_num(&t, r, trc);
            assert_true(v > 0.05 && v <= 1);
            if (tuning) assert_true(!strcmp(ob_table_str(&t, r, tc), "") && isnan(tr));
            else assert_true(a > 0.05 && a <= 1 && tr > 0);
        }
        if (summary) assert_string_equal(ob_table_str(&t, 0, ob_table_col(&t, "status")), "ok");
        ob_table_free(&t);
    }
}

/* `bench --suite smoke --jobs 2` with stderr to a pipe: plain progress lines, one per
 * phase, percentages with the elapsed time, and a closing line per phase */
static void test_progress_through_a_pipe(void **st)
{
    (void)st;
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s bench --suite smoke --out %s/cli --jobs 2 2>&1 >/dev/null", bin,
             root);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[512];
    int begin[2] = {0}, pct = 0, elapsed = 0, done[2] = {0}, bar = 0;
    const char *ph[2] = {"bench: tuning: ", "bench: seeds: "};
    while (fgets(line, sizeof line, p)) {
        bar |= strchr(line, '\r') != NULL || strchr(line, '[') != NULL;
        for (int k = 0; k < 2; k++) {
            if (strncmp(line, ph[k], strlen(ph[k])) != 0) continue;
            begin[k] |= strstr(line, " runs to do") != NULL;
            done[k] |= strstr(line, ": done, ") != NULL && strstr(line, " runs in ") != NULL;
            pct |= strchr(line, '%') != NULL;
            elapsed |= strstr(line, "elapsed") != NULL;
        }
    }
    assert_int_equal(pclose(p), 0);
    assert_false(bar); /* no bar and no carriage returns outside a terminal */
    assert_true(begin[0] && begin[1]);
    assert_true(pct && elapsed);
    assert_true(done[0] && done[1]);
}

/* README's recipe: `bench --list | parallel`, then one `bench` to finish, from another
 * directory (the listed commands must run from anywhere), gives the reference's tables.
 * GNU parallel is a test dependency (scripts/install-deps.sh test installs it): without
 * it the test fails, naming the package. */
static void test_parallel_recipe(void **st)
{
    (void)st;
    reference();
    if (access("/usr/bin/parallel", X_OK) != 0 && sh("command -v parallel >/dev/null") != 0)
        fail_msg("GNU parallel is not installed: the README's cluster recipe cannot be tested "
                 "(Debian: apt-get install parallel; make test installs it)");
    char abs[4096];
    assert_non_null(realpath(bin, abs));
    assert_int_equal(sh("cd %s && %s bench --suite smoke --out par --list > list.txt", root, abs), 0);
    char *list = slurp(".", "list.txt");
    assert_non_null(list);
    /* every command names the binary and the results directory by absolute paths */
    assert_true(list[0] == '/');
    assert_non_null(strstr(list, " --out /"));
    free(list);
    if (sh("cd / && parallel -j2 < %s/list.txt > %s/parallel.log 2>&1", root, root) != 0) {
        char *log = slurp(".", "parallel.log");
        fail_msg("a listed command failed:\n%s", log ? log : "(no log)");
    }
    /* the parts wrote their runs, and nothing that parts running side by side would share */
    char path[512];
    snprintf(path, sizeof path, "%s/par/runs/saddle/adam", root);
    assert_int_equal(access(path, F_OK), 0);
    const char *shared[] = {"tuning.csv", "chosen.csv", "optbench.json", "index.html", "figures"};
    for (size_t k = 0; k < sizeof shared / sizeof *shared; k++) {
        snprintf(path, sizeof path, "%s/par/%s", root, shared[k]);
        assert_int_equal(access(path, F_OK), -1);
    }
    assert_int_equal(sh("cd %s && %s bench --suite smoke --out par --quiet > /dev/null", root, abs), 0);
    same_tables(REF, "par");
}

/* the suite round trip: `bench --suite smoke --print-suite` written to a file and run as
 * `bench --suite FILE` gives the tables of the built-in smoke suite (the reference),
 * timing columns aside */
static void test_printed_suite_round_trip(void **st)
{
    (void)st;
    reference();
    assert_int_equal(sh("%s bench --suite smoke --print-suite > %s/smoke.ini", bin, root), 0);
    assert_int_equal(sh("%s bench --suite %s/smoke.ini --out %s/printed --jobs 2 --quiet > /dev/null",
                        bin, root, root), 0);
    same_tables(REF, "printed");
}

/* a run of a product grid's point that did not finish (a plugin that crashed) keeps its
 * values: its summary's hparams column, and its name for the choice */
static void test_failed_point_keeps_its_values(void **st)
{
    (void)st;
    static const ob_workload w = {.name = "s", .problem = "saddle", .popts = {.seed = 1}, .steps = 10};
    ob_hparams h;
    ob_hparams_default(ob_optimizer_find("momentum"), &h);
    ob_run_spec r = {.w = &w, .T = ob_optimizer_find("momentum"), .h = &h, .lr = 0.1,
                     .tag = "_p1_momentum_0.9", .file = "tune-0.1_p1_momentum_0.9.csv"};
    char out[256], dir[300];
    snprintf(out, sizeof out, "%s/failedpoint", root);
    snprintf(dir, sizeof dir, "%s/runs/s/momentum", out);
    assert_int_equal(ob_bench_mkdirs(dir), 0);
    ob_bench_cache pc = {0};
    ob_error e = {{0}};
    assert_int_equal(ob_bench_record_failed(out, &r, "crashed", &pc, &e), OB_OK);
    ob_bench_cache_free(&pc);
    char path[400];
    snprintf(path, sizeof path, "%s/tune-0.1_p1_momentum_0.9.summary.csv", dir);
    ob_table t;
    assert_int_equal(ob_table_read(path, &t, NULL), OB_OK);
    assert_string_equal(ob_table_str(&t, 0, ob_table_col(&t, "hparams")), "momentum=0.9");
    assert_string_equal(ob_table_str(&t, 0, ob_table_col(&t, "status")), "crashed");
    ob_table_free(&t);
    ob_tune_row *rows;
    size_t n;
    assert_int_equal(ob_tuning_load(dir, ob_targets[OB_N_TARGETS - 1], &rows, &n, &e), OB_OK);
    assert_int_equal(n, 1);
    assert_true(rows[0].point == 1 && rows[0].lr == 0.1 && isinf(rows[0].score));
    assert_string_equal(rows[0].hp, "momentum=0.9");
    free(rows);
}

/* `bench --seeds 2 --first-seed 6`: every final run of the smoke suite, analytic and
 * network, is seed 6 or 7 (metrics tables), once each; tuning is unchanged, so the chosen
 * rates are the reference's; optbench.json records both values; bad values: exit 2, one
 * line */
static void test_other_seeds(void **st)
{
    (void)st;
    reference();
    assert_int_equal(sh("%s bench --suite smoke --seeds 2 --first-seed 6 --out %s/s67 --jobs 2 "
                        "--quiet > /dev/null", bin, root), 0);
    static const char *const metrics[] = {"metrics_analytic.csv", "metrics_net.csv"};
    for (int m = 0; m < 2; m++) {
        char path[256];
        snprintf(path, sizeof path, "%s/s67/%s", root, metrics[m]);
        ob_table t;
        ob_error e = {{0}};
        if (ob_table_read(path, &t, &e) != OB_OK) fail_msg("%s", e.msg);
        assert_true(t.rows > 0 && t.rows % 2 == 0);
        int sc = ob_table_col(&t, "seed"), wc = ob_table_col(&t, "workload"),
            oc = ob_table_col(&t, "optimizer");
        for (size_t i = 0; i < t.rows; i++) {
            double seed = ob_table_num(&t, i, sc);
            assert_true(seed == 6 || seed == 7);
            int twins = 0; /* the pair's other seed, once */
            for (size_t j = 0; j < t.rows; j++)
                twins += !strcmp(ob_table_str(&t, i, wc), ob_table_str(&t, j, wc)) &&
                         !strcmp(ob_table_str(&t, i, oc), ob_table_str(&t, j, oc)) &&
                         ob_table_num(&t, j, sc) == 13 - seed;
            assert_int_equal(twins, 1);
        }
        ob_table_free(&t);
    }
    assert_int_equal(sh("cd %s && cut -d, -f1-4 " REF "/chosen.csv > lr-ref && cut -d, -f1-4 "
                        "s67/chosen.csv > lr-67 && test -s lr-ref && cmp -s lr-ref lr-67", root), 0);
    assert_int_equal(sh("grep -q '\"first_seed\":[[:space:]]*6' %s/s67/optbench.json && "
                        "grep -q '\"net_seeds\":[[:space:]]*2' %s/s67/optbench.json", root, root), 0);
    static const char *const bad[] = {"--seeds 0", "--seeds two", "--first-seed 0",
                                      "--first-seed -3", "--first-seed 1e3"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        assert_int_equal(sh("%s bench --suite smoke %s --out %s/bad 2> %s/err", bin, bad[k], root,
                            root), 2);
        assert_int_equal(sh("test $(wc -l < %s/err) -eq 1 && grep -q -- '--%s' %s/err", root,
                            strchr(bad[k], 'f') ? "first-seed" : "seeds", root), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jobs_equal),
        cmocka_unit_test(test_resume),
        cmocka_unit_test(test_shards_merge),
        cmocka_unit_test(test_chosen_is_best),
        cmocka_unit_test(test_metrics_match_runs),
        cmocka_unit_test(test_two_d_runs_name_their_instance),
        cmocka_unit_test(test_tuning_leaves_the_test_split),
        cmocka_unit_test(test_progress_through_a_pipe),
        cmocka_unit_test(test_parallel_recipe),
        cmocka_unit_test(test_printed_suite_round_trip),
        cmocka_unit_test(test_failed_point_keeps_its_values),
        cmocka_unit_test(test_other_seeds),
    };
    return ob_run_tests("bench", tests, setup, teardown);
}
