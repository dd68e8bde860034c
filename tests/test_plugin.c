/* test_plugin.c - optimizer plugins (optimizers/plugin.h, include/optbench.h): the
 * loader's errors, a plugin's own options, run and train with a plugin, a crashing and a
 * hanging plugin in a small benchmark beside a built-in (whose results do not change),
 * and `optbench check` agreeing (the course-formula Adam against adam) and parting (sign
 * descent against sgd at step 1).  The example plugins are compiled here with one cc
 * command each, against include/ alone, as a user would. */
#include <math.h>

#include "tables/tables.h"
#include "tests/e2e.h"

#include "bench/bench.h"
#include "cli/options.h"
#include "common/table.h"
#include "optimizers/plugin.h"
#include "plots/recipes.h"
#include "report/report.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("plugin");
}

/* cc's one command: dir/NAME.so from SRC (a path, or C source text when inline) */
static int build(const char *name, const char *src, int inline_src)
{
    char cmd[4096], path[256];
    if (inline_src) {
        snprintf(path, sizeof path, "%s/%s.c", dir, name);
        FILE *f = fopen(path, "w");
        if (!f) return -1;
        fputs(src, f);
        fclose(f);
        src = path;
    }
    snprintf(cmd, sizeof cmd, "cc -std=c11 -O2 -Wall -fPIC -shared -Iinclude %s -o %s/%s.so -lm",
             src, dir, name);
    return system(cmd);
}

static void so(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s.so", dir, name);
}

/* `optbench run` with plugin NAME fails with exit 2 and one line naming it and want */
static void refused(const char *name, const char *want)
{
    char p[256];
    so(p, sizeof p, name);
    assert_int_equal(run("run --problem saddle --optimizer %s --out %s/x.csv", p, dir), 2);
    char *err = slurp("stderr");
    assert_non_null(strstr(err, p));
    if (!strstr(err, want)) fail_msg("%s: expected '%s' in: %s", name, want, err);
    assert_non_null(strchr(err, '\n'));
    assert_int_equal(strchr(err, '\n')[1], '\0'); /* one line */
}

#define TYPE_HEAD "#include <optbench.h>\n"                                                   \
    "static ob_status a(void *s, size_t n, const ob_hparams *h) { (void)s, (void)n, (void)h; return OB_OK; }\n" \
    "static ob_status st(void *s, void *x, const void *g, size_t n, ob_dtype d, double lr, long t, const ob_objective *o)\n" \
    "{ (void)s, (void)x, (void)g, (void)n, (void)d, (void)lr, (void)t, (void)o; return OB_OK; }\n"

static void test_loader_errors(void **st)
{
    (void)st;
    char p[256];
    so(p, sizeof p, "text");
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("not an ELF file\n", f);
    fclose(f);
    refused("text", "not a loadable shared object");
    assert_int_equal(build("nosym", "int unrelated = 1;\n", 1), 0);
    refused("nosym", "missing symbol optbench_abi");
    assert_int_equal(build("abi", TYPE_HEAD
        "static const ob_hp_option o[] = {OB_HP_LR(0.1, \"lr\"), OB_HP_END};\n"
        "const unsigned optbench_abi = 99;\n"
        "const ob_optimizer_type optbench_optimizer = {.name = \"abi\", .options = o, .alloc = a, .step = st};\n", 1), 0);
    refused("abi", "ABI version 99");
    assert_int_equal(build("badtable", TYPE_HEAD
        "static const ob_hp_option o[] = {OB_HP_LR(0.1, \"lr\"), {.name = \"far\", .kind = OB_HPK_NUMBER, .field = 4096, .help = \"x\"}, OB_HP_END};\n"
        "const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;\n"
        "const ob_optimizer_type optbench_optimizer = {.name = \"badtable\", .options = o, .alloc = a, .step = st};\n", 1), 0);
    refused("badtable", "bad option table: --far points outside ob_hparams");
    assert_int_equal(build("nolr", TYPE_HEAD
        "static const ob_hp_option o[] = {OB_HP_END};\n"
        "const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;\n"
        "const ob_optimizer_type optbench_optimizer = {.name = \"nolr\", .options = o, .alloc = a, .step = st};\n", 1), 0);
    refused("nolr", "no \"lr\" option");
    assert_int_equal(build("baddefault", TYPE_HEAD
        "static const ob_hp_option o[] = {OB_HP_LR(-1, \"lr\"), OB_HP_END};\n"
        "const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;\n"
        "const ob_optimizer_type optbench_optimizer = {.name = \"baddefault\", .options = o, .alloc = a, .step = st};\n", 1), 0);
    refused("baddefault", "defaults are out of range: --lr");
    assert_int_equal(build("taken", TYPE_HEAD
        "static const ob_hp_option o[] = {OB_HP_LR(0.1, \"lr\"), OB_HP_END};\n"
        "const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;\n"
        "const ob_optimizer_type optbench_optimizer = {.name = \"adam\", .options = o, .alloc = a, .step = st};\n", 1), 0);
    refused("taken", "taken by a built-in");
    refused("absent", "no such plugin file");
}

/* the example plugins, dir/NAME.so: compiled once per binary, by the first test that
 * needs them, so that any test runs alone (OB_TEST=name, tests/runner.h) */
static void build_examples(void)
{
    static int built;
    if (built) return;
    const char *names[] = {"sign_descent", "adam_course"};
    for (int i = 0; i < 2; i++) {
        char src[128];
        snprintf(src, sizeof src, "examples/plugins/%s.c", names[i]);
        assert_int_equal(build(names[i], src, 0), 0);
    }
    /* the crashing and the hanging plugin: tests/plugins/fault.c */
    assert_int_equal(build("test_crash", "-DFAULT_crash tests/plugins/fault.c", 0), 0);
    assert_int_equal(build("test_hang", "-DFAULT_hang tests/plugins/fault.c", 0), 0);
    built = 1;
}

/* --dead-zone is sign descent's own: parsed for it, shown in --help, refused for adam */
static void test_plugin_options(void **st)
{
    (void)st;
    build_examples();
    char p[256];
    so(p, sizeof p, "sign_descent");
    assert_int_equal(run("run --optimizer %s --help", p), 0);
    assert_non_null(strstr(slurp("stdout"), "--dead-zone X"));
    assert_int_equal(run("run --problem saddle --optimizer %s --dead-zone -x --out %s/a.csv", p, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--dead-zone"));
    const ob_optimizer_type *T, *U;
    ob_error e = {{0}};
    assert_int_equal(ob_plugin_load(p, &T, &e), OB_OK);
    assert_int_equal(ob_plugin_load(p, &U, &e), OB_OK); /* once: the same type again */
    assert_ptr_equal(T, U);
    assert_ptr_equal(ob_optimizer_find("sign-descent"), T);
    ob_optim_args a;
    ob_optim_args_init(&a);
    a.given[a.ngiven++] = (ob_given){"dead-zone", "0.25"};
    ob_hparams h;
    ob_schedule s;
    assert_int_equal(ob_optim_args_resolve(&a, p, &U, &h, &s, &e), OB_OK);
    assert_true(h.extra[0] == 0.25);
    assert_int_equal(ob_optim_args_resolve(&a, "adam", &U, &h, &s, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "--dead-zone does not apply to adam (it is read by: sign-descent)"));
}

/* run and train with the course-formula Adam give adam's numbers (to the last digits) */
static void test_run_and_train(void **st)
{
    (void)st;
    build_examples();
    char p[256];
    so(p, sizeof p, "adam_course");
    assert_int_equal(run("run --problem rosenbrock --optimizer %s --beta1 0.8 --steps 50 --out "
                         "%s/p.csv", p, dir), 0);
    assert_non_null(strstr(slurp("stdout"), "rosenbrock adam-course: ok after 50 steps"));
    assert_int_equal(run("run --problem rosenbrock --optimizer adam --beta1 0.8 --steps 50 --out "
                         "%s/b.csv", dir), 0);
    table P = load("p.csv"), B = load("b.csv");
    assert_int_equal(P.rows, 51);
    assert_int_equal(B.rows, 51);
    double last_p = P.v[50 * P.cols + 1], last_b = B.v[50 * B.cols + 1];
    assert_true(fabs(last_p - last_b) <= 1e-9 * fabs(last_b));
    free(P.v), free(B.v);
    assert_int_equal(run("train --net softmax --optimizer %s --samples 300 --epochs 1 --out "
                         "%s/t.csv", p, dir), 0);
    assert_true(exists("t.summary.csv"));
}

/* ---- a small benchmark with a crashing and a hanging plugin beside gd ------------------ */

static const ob_workload workloads[] = {
    {.name = "saddle", .problem = "saddle", .popts = {.seed = 1}, .steps = 40},
    {.name = "quadratic-3", .problem = "quadratic",
     .popts = {.seed = 1, .dim = 3, .kappa = 10, .rotate = 1}, .steps = 40},
};

static void bench_with(const char *sub, const char *const *names, size_t n, int jobs)
{
    ob_suite_optimizer opts[4];
    assert_true(n <= 4);
    for (size_t i = 0; i < n; i++) {
        opts[i] = (ob_suite_optimizer){.name = names[i], .T = ob_optimizer_find(names[i])};
        assert_non_null(opts[i].T);
        ob_hparams_default(opts[i].T, &opts[i].h);
    }
    ob_suite S = {.name = "plugins", .workloads = workloads, .n_workloads = 2,
                  .optimizers = opts, .n_optimizers = n, .seeds = 2, .grid = {-3, 0, 1},
                  .net_seeds = 1, .net_grid = {-3, -2, 1}};
    char out[256];
    snprintf(out, sizeof out, "%s/%s", dir, sub);
    mkdir(out, 0777);
    ob_bench_config c = {.suite = &S, .out = out, .jobs = jobs, .shard_n = 1,
                         .run_timeout = 0.5};
    ob_error e = {{0}};
    if (ob_bench_run(&c, &e) || ob_tables_aggregate(out, &e)) fail_msg("%s", e.msg);
}

/* the rows of sub/file whose optimizer column is o, without timing columns */
static void rows_of(const char *sub, const char *file, const char *o, char *buf, size_t cap)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", dir, sub, file);
    ob_table t;
    if (ob_table_read(path, &t, NULL) != OB_OK) fail_msg("cannot read %s", path);
    int oc = ob_table_col(&t, "optimizer");
    size_t k = 0;
    buf[0] = '\0';
    for (size_t r = 0; r < t.rows; r++) {
        if (strcmp(t.cell[r * t.cols + (size_t)oc], o) != 0) continue;
        for (size_t c = 0; c < t.cols; c++)
            if (!strstr(t.head[c], "seconds") && k < cap)
                k += (size_t)snprintf(buf + k, cap - k, "%s,", t.cell[r * t.cols + c]);
    }
    ob_table_free(&t);
}

/* how many rows of sub/file have status s */
static int count_status(const char *sub, const char *file, const char *s)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s/%s", dir, sub, file);
    ob_table t;
    if (ob_table_read(path, &t, NULL) != OB_OK) fail_msg("cannot read %s", path);
    int sc = ob_table_col(&t, "status"), n = 0;
    for (size_t r = 0; r < t.rows; r++) n += strcmp(t.cell[r * t.cols + (size_t)sc], s) == 0;
    ob_table_free(&t);
    return n;
}

/* the crashing and the hanging example plugins, registered (again: nothing) */
static void load_crash_and_hang(void)
{
    build_examples();
    char crash[256], hang[256];
    so(crash, sizeof crash, "test_crash");
    so(hang, sizeof hang, "test_hang");
    const ob_optimizer_type *T;
    ob_error e = {{0}};
    assert_int_equal(ob_plugin_load(crash, &T, &e), OB_OK);
    assert_int_equal(ob_plugin_load(hang, &T, &e), OB_OK);
}

static const char *const alone[] = {"gd"};
static const char *const mixed[] = {"gd", "test-crash", "test-hang"};

static void test_bench_crash_and_hang(void **st)
{
    (void)st;
    load_crash_and_hang();
    bench_with("alone", alone, 1, 1);
    bench_with("mixed", mixed, 3, 1);
    bench_with("mixed2", mixed, 3, 2); /* the process pool */
    static char a[1 << 16], b[1 << 16];
    const char *files[] = {"tuning.csv", "chosen.csv", "metrics_analytic.csv"};
    for (int i = 0; i < 3; i++) {
        rows_of("alone", files[i], "gd", a, sizeof a);
        assert_true(strlen(a) > 0);
        rows_of("mixed", files[i], "gd", b, sizeof b);
        if (strcmp(a, b)) fail_msg("gd's rows of %s changed beside the bad plugins", files[i]);
        rows_of("mixed2", files[i], "gd", b, sizeof b);
        if (strcmp(a, b)) fail_msg("gd's rows of %s changed with --jobs 2", files[i]);
    }
    /* lr 0.1 and 1 of the grid crash (or hang) at step 3, on both workloads */
    assert_int_equal(count_status("mixed", "tuning.csv", "crashed"), 4);
    assert_int_equal(count_status("mixed", "tuning.csv", "timeout"), 4);
    assert_int_equal(count_status("mixed2", "tuning.csv", "crashed"), 4);
    assert_int_equal(count_status("mixed2", "tuning.csv", "timeout"), 4);
    /* the other rates finished, and the seeds ran at one of them */
    assert_int_equal(count_status("mixed", "metrics_analytic.csv", "ok"), 12);
}

/* the report of sub (written without figures) into buf */
static void report_of(const char *sub, char *buf, size_t cap)
{
    char out[256], path[300];
    snprintf(out, sizeof out, "%s/%s", dir, sub);
    ob_result_list w;
    ob_figure_list figs = {0};
    ob_error e = {{0}};
    if (ob_workloads_find(out, &w, &e) || ob_report_write(out, &w, &figs, NULL, 0, &e))
        fail_msg("%s", e.msg);
    ob_workloads_free(&w);
    snprintf(path, sizeof path, "%s/report.md", out);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* the report says how many runs crashed or timed out, for which optimizer: in the
 * introduction over the suite, and under each workload's table; nothing when none did */
static void test_report_counts_failed_runs(void **st)
{
    (void)st;
    load_crash_and_hang();
    bench_with("alone", alone, 1, 1); /* resumed: the runs of the test above are kept */
    bench_with("mixed", mixed, 3, 1);
    static char md[1 << 18];
    report_of("mixed", md, sizeof md);
    const char *intro = "8 runs did not finish because the optimizer's process crashed or ran "
                        "past the time limit (they count as diverged): **test-crash**: 4 runs "
                        "crashed; **test-hang**: 4 runs timed out.";
    const char *per = "4 runs did not finish on this workload because the optimizer's process "
                      "crashed or ran past the time limit (they count as diverged): "
                      "**test-crash**: 2 runs crashed; **test-hang**: 2 runs timed out.";
    const char *p = strstr(md, intro), *toc = strstr(md, "## How to read");
    if (!p || !toc || p > toc) fail_msg("no count of the failed runs in the introduction:\n%.2000s", md);
    const char *w1 = strstr(md, "### quadratic-3"), *w2 = strstr(md, "### saddle");
    assert_non_null(w1);
    assert_non_null(w2);
    p = strstr(w1, per);
    assert_true(p && p < w2);
    assert_non_null(strstr(w2, per));
    report_of("alone", md, sizeof md);
    assert_null(strstr(md, "did not finish"));
}

/* ---- check ---------------------------------------------------------------------------- */

static void test_check(void **st)
{
    (void)st;
    build_examples();
    char p[256];
    so(p, sizeof p, "adam_course");
    assert_int_equal(run("check --optimizer %s --against adam --steps 200", p), 0);
    char *out = slurp("stdout");
    int agrees = 0;
    for (char *s = out; (s = strstr(s, " agrees (200 steps)")); s++) agrees++;
    assert_int_equal(agrees, 8); /* every analytic problem */
    assert_null(strstr(out, "parts"));
    so(p, sizeof p, "sign_descent");
    assert_int_equal(run("check --optimizer %s --against sgd --lr 0.01", p), 0);
    out = slurp("stdout");
    assert_non_null(strstr(out, "rosenbrock"));
    int parts = 0;
    for (char *s = out; (s = strstr(s, " parts at step 1:")); s++) parts++;
    assert_int_equal(parts, 8);
    assert_int_equal(run("check --optimizer %s --against nosuch", p), 2);
    assert_int_equal(run("check --optimizer %s", p), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loader_errors),
        cmocka_unit_test(test_plugin_options),
        cmocka_unit_test(test_run_and_train),
        cmocka_unit_test(test_bench_crash_and_hang),
        cmocka_unit_test(test_report_counts_failed_runs),
        cmocka_unit_test(test_check),
    };
    return ob_run_tests("plugin", tests, setup, teardown);
}
