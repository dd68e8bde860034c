/* test_compact.c - compact results: the geometric log grid (every step to 100, then 50 a
 * decade, the last), targets as exact on that grid as on a log of every step (the run
 * loop logs the first step below each target), gzipped tables written and read back, and
 * the size of a smoke results directory against its size before these changes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "common/csvout.h"
#include "common/csvread.h"
#include "common/table.h"
#include "problems/problem.h"
#include "runs/runfile.h"
#include "runs/runwrite.h"
#include "tests/shell.h"

static char root[64];

static int setup(void **st)
{
    (void)st;
    strcpy(root, "/tmp/optbench-compact-XXXXXX");
    return mkdtemp(root) ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    return sh("rm -rf %s", root);
}

/* The grid's steps, by hand: 1..100, then round(100 * 10^(j/50)): 105 (104.71), 110
 * (109.65), ..., 1000 (j = 50 exactly), 1047 (1047.13); so 50 steps in every decade past
 * 100, as the ratio 10^(1/50) = 1.047 already moves by more than one step at 100. */
static void test_grid_steps(void **st)
{
    (void)st;
    long k = 0;
    for (long want = 1; want <= 100; want++) assert_int_equal(k = ob_log_grid_next(k), want);
    assert_int_equal(ob_log_grid_next(100), 105);
    assert_int_equal(ob_log_grid_next(105), 110);
    assert_int_equal(ob_log_grid_next(999), 1000);
    assert_int_equal(ob_log_grid_next(1000), 1047);
    assert_int_equal(ob_log_grid_next(102), 105); /* from a step off the grid */
    for (long lo = 100; lo < 10000000; lo *= 10) {
        long n = 0;
        for (k = ob_log_grid_next(lo); k <= 10 * lo; k = ob_log_grid_next(k)) n++;
        if (n != 50) fail_msg("%ld grid steps in (%ld, %ld], wanted 50", n, lo, 10 * lo);
    }
}

/* one run written twice: a row every step (A.csv) and on the geometric grid with the
 * targets (B.csv.gz); loaded back as the tables load runs */
typedef struct {
    const char *label, *problem, *optimizer;
    ob_problem_opts o;
    double lr, noise;
    size_t batch;
    long steps;
} run_case;

static void run_twice(const run_case *rc, ob_run_data *a, ob_run_data *b)
{
    static const double targets[] = {1e-1, 1e-3, 1e-6};
    ob_problem p;
    ob_error e = {{0}};
    if (ob_problem_create(&p, ob_problem_find(rc->problem), &rc->o, &e) != OB_OK)
        fail_msg("%s", e.msg);
    ob_run_config c = {.prob = &p, .opt = ob_optimizer_find(rc->optimizer), .steps = rc->steps,
                       .seed = 1, .noise = rc->noise, .batch = rc->batch};
    ob_hparams_default(c.opt, &c.h);
    c.h.lr = rc->lr;
    c.sched = ob_schedule_default();
    ob_run_result res;
    char path[256];
    ob_log_spec full = {.every = 1, .log_x = OB_LOG_X_ON};
    ob_log_spec grid = {.geometric = 1, .targets = targets, .n_targets = 3, .log_x = OB_LOG_X_OFF};
    snprintf(path, sizeof path, "%s/%s-A.csv", root, rc->label);
    if (ob_run_files(path, NULL, &c, &full, &res, &e) != OB_OK) fail_msg("%s", e.msg);
    snprintf(path, sizeof path, "%s/%s-B.csv.gz", root, rc->label);
    if (ob_run_files(path, NULL, &c, &grid, &res, &e) != OB_OK) fail_msg("%s", e.msg);
    ob_problem_free(&p);
    char stem[128];
    snprintf(stem, sizeof stem, "%s-A", rc->label);
    if (ob_run_data_load(root, stem, a, &e) != OB_OK) fail_msg("%s", e.msg);
    snprintf(stem, sizeof stem, "%s-B", rc->label);
    if (ob_run_data_load(root, stem, b, &e) != OB_OK) fail_msg("%s", e.msg);
}

/* the grid keeps steps 0..100, about 50 a decade after, and the last; each of its rows is
 * the full log's row of that step; the first step (and its evaluations) below each
 * target is the full log's, also for a mini-batch run (whose full loss the loop evaluates
 * only for the targets) and for targets reached between grid steps */
static void test_targets_exact_on_the_grid(void **st)
{
    (void)st;
    static const run_case cases[] = {
        {"quadratic-gd", "quadratic", "gd", {.dim = 10, .kappa = 1000, .seed = 1}, 1e-3, 0, 0, 20000},
        {"rosenbrock-adam", "rosenbrock", "adam", {0}, 1e-2, 0, 0, 5000},
        {"lsq-sgd", "lsq", "sgd", {.dim = 5, .samples = 200, .kappa = 10, .seed = 2}, 1e-2, 0, 8, 3000},
        {"quadratic-noise", "quadratic", "sgd", {.dim = 4, .kappa = 10, .seed = 1}, 1e-2, 0.1, 0, 2000},
    };
    static const double targets[] = {1e-1, 1e-3, 1e-6};
    int between = 0; /* targets first reached off the grid: the case the loop must handle */
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const run_case *rc = &cases[i];
        ob_run_data a, b;
        run_twice(rc, &a, &b);
        assert_int_equal(a.rows, rc->steps + 1);
        assert_true(b.cols == 6 && a.cols == 6 + (size_t)rc->o.dim + 2 * (rc->o.dim == 0));
        for (long s = 0; s <= 100; s++) assert_true(ob_run_at(&b, (size_t)s, OB_RC_STEP) == s);
        assert_true(ob_run_at(&b, b.rows - 1, OB_RC_STEP) == rc->steps);
        double decades = log10((double)rc->steps / 100);
        if (b.rows > 101 + (size_t)ceil(50 * decades) + 3 || b.rows < 100 + (size_t)(50 * decades))
            fail_msg("%s: %zu rows for %ld steps", rc->label, b.rows, rc->steps);
        for (size_t j = 0; j < b.rows; j++) {
            size_t s = (size_t)ob_run_at(&b, j, OB_RC_STEP);
            assert_true(ob_run_at(&a, s, OB_RC_STEP) == (double)s);
            assert_true(ob_run_at(&a, s, OB_RC_LOSS) == ob_run_at(&b, j, OB_RC_LOSS));
            assert_true(ob_run_at(&a, s, OB_RC_EVALS) == ob_run_at(&b, j, OB_RC_EVALS));
        }
        for (int k = 0; k < 3; k++) {
            long ra = ob_run_first_below(&a, targets[k]), rb = ob_run_first_below(&b, targets[k]);
            assert_true((ra < 0) == (rb < 0));
            if (ra < 0) continue;
            double sa = ob_run_at(&a, (size_t)ra, OB_RC_STEP);
            if (sa != ob_run_at(&b, (size_t)rb, OB_RC_STEP) ||
                ob_run_at(&a, (size_t)ra, OB_RC_EVALS) != ob_run_at(&b, (size_t)rb, OB_RC_EVALS))
                fail_msg("%s: target %g first at step %g, the grid says %g", rc->label,
                         targets[k], sa, ob_run_at(&b, (size_t)rb, OB_RC_STEP));
            long g = 100;
            while (g < sa) g = ob_log_grid_next(g);
            between += sa > 100 && g != sa;
        }
        assert_true(a.final_gap == b.final_gap && !strcmp(a.status, b.status));
        ob_run_data_free(&a);
        ob_run_data_free(&b);
    }
    assert_true(between >= 2); /* the cases do test targets reached between grid steps */
}

/* a table written as X.csv.gz is a gzip file (magic 1f 8b) whose bytes unzip to X.csv's,
 * and both readers give back the same cells and numbers, also when asked for X.csv */
static void test_gzip_round_trip(void **st)
{
    (void)st;
    const char *names[] = {"plain.csv", "packed.csv.gz"};
    for (int f = 0; f < 2; f++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", root, names[f]);
        ob_csv c;
        ob_error e = {{0}};
        assert_int_equal(ob_csv_open(&c, path, &e), OB_OK);
        ob_csv_text(&c, "a");
        ob_csv_text(&c, "b");
        ob_csv_text(&c, "c");
        ob_csv_end_row(&c);
        for (int r = 0; r < 5000; r++) { /* more than a stdio and a zlib buffer */
            ob_csv_num(&c, r * 0.1);
            ob_csv_int(&c, -r);
            ob_csv_num(&c, 1.0 / (r + 3));
            ob_csv_end_row(&c);
        }
        assert_int_equal(ob_csv_commit(&c, &e), OB_OK);
    }
    char path[256];
    snprintf(path, sizeof path, "%s/packed.csv.gz", root);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char magic[2] = {0};
    assert_int_equal(fread(magic, 1, 2, f), 2);
    fclose(f);
    assert_true(magic[0] == 0x1f && magic[1] == 0x8b);
    assert_int_equal(sh("cd %s && gzip -dc packed.csv.gz | cmp -s - plain.csv", root), 0);
    assert_int_equal(sh("cd %s && test $(stat -c %%s packed.csv.gz) -lt $(stat -c %%s plain.csv)",
                        root), 0);
    double *v[3];
    size_t rows[3], cols[3];
    ob_table t[3];
    const char *as[] = {"plain.csv", "packed.csv.gz", "packed.csv"}; /* the last: resolved */
    for (int k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/%s", root, as[k]);
        assert_int_equal(ob_csv_read_matrix(path, &v[k], &rows[k], &cols[k], NULL), OB_OK);
        assert_int_equal(ob_table_read(path, &t[k], NULL), OB_OK);
        assert_true(rows[k] == 5000 && cols[k] == 3 && t[k].rows == 5000 && t[k].cols == 3);
    }
    for (int k = 1; k < 3; k++) {
        assert_memory_equal(v[0], v[k], 5000 * 3 * sizeof *v[0]);
        for (size_t i = 0; i < 5000 * 3; i++) assert_string_equal(t[0].cell[i], t[k].cell[i]);
    }
    assert_true(v[0][3 * 4999] == 4999 * 0.1 && v[0][3 * 4999 + 1] == -4999);
    for (int k = 0; k < 3; k++) {
        free(v[k]);
        ob_table_free(&t[k]);
    }
}

/* The smoke suite's results directory, figures and report aside, before these changes:
 * 2523461 bytes, 477154 of them under runs/ (main's binary of 2026-12-01 05:38, with the
 * networks' step logs and interpolation files: `optbench bench --suite smoke --jobs 2 --out
 * s0`, then the sizes of s0's files summed by find -printf '%s', figures/, report.md and
 * index.html left out, as bytes_of() does).  Now 3.4 times smaller (runs/: 3.9 times): no
 * tuning trajectories, no x columns beyond 2-D, gzipped final trajectories, surfaces and
 * curves (the networks' training CSVs and step logs stay as they were). */
#define OLD_SMOKE_BYTES 2523461.0
#define OLD_SMOKE_RUNS_BYTES 477154.0

static double bytes_of(const char *what)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cd %s/smoke && find %s -type f ! -path '*/figures/*' ! -name "
             "report.md ! -name index.html -printf '%%s\\n' | awk '{s += $1} END {print s}'",
             root, what);
    FILE *p = popen(cmd, "r");
    double b = 0;
    if (!p || fscanf(p, "%lf", &b) != 1) fail_msg("cannot measure %s", what);
    pclose(p);
    return b;
}

static void test_smoke_size(void **st)
{
    (void)st;
    const char *bin = getenv("OPTBENCH") ? getenv("OPTBENCH") : "build/optbench";
    assert_int_equal(sh("%s bench --suite smoke --jobs 2 --out %s/smoke --quiet > /dev/null", bin,
                        root), 0);
    double all = bytes_of("."), runs = bytes_of("runs");
    if (!(all * 3.2 <= OLD_SMOKE_BYTES && runs * 3.6 <= OLD_SMOKE_RUNS_BYTES))
        fail_msg("smoke directory %.0f bytes (runs/ %.0f), wanted 3.2 times less than %.0f "
                 "(runs/: 3.6 times less than %.0f)", all, runs, OLD_SMOKE_BYTES,
                 OLD_SMOKE_RUNS_BYTES);
    /* what the tables need is there: final runs gzipped, tuning runs as summaries, and
     * those packed into one file a pair (not a disk block each) */
    char pair[512];
    ob_table t;
    snprintf(pair, sizeof pair, "%s/smoke/runs/saddle/adam", root);
    assert_int_equal(ob_run_summary_read(pair, "tune-0.01", &t, NULL), OB_OK);
    assert_true(ob_table_col(&t, "tune_score") >= 0);
    ob_table_free(&t);
    assert_int_equal(sh("test -f %s/smoke/runs/saddle/adam/seed-1.csv.gz && "
                        "test -f %s/smoke/runs/saddle/adam/summaries.csv && "
                        "! test -e %s/smoke/runs/saddle/adam/tune-0.01.summary.csv && "
                        "! test -e %s/smoke/runs/saddle/adam/tune-0.01.csv && "
                        "test -f %s/smoke/curves/saddle.csv.gz && test -f %s/smoke/figures/contour-saddle.png",
                        root, root, root, root, root, root), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_steps),
        cmocka_unit_test(test_targets_exact_on_the_grid),
        cmocka_unit_test(test_gzip_round_trip),
        cmocka_unit_test(test_smoke_size),
    };
    return ob_run_tests("compact", tests, setup, teardown);
}
