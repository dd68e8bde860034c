/* test_tuning_edge.c - the tuning grid's edge extension (bench/tuning.h): the rule on
 * hand-made runs (each limit, for lr and for a list tuned with it), a list extended until
 * its limit with the seed runs at the value chosen past it, and whole benchmarks of a quadratic whose best rate lies
 * beyond its grid: extended until interior, or stopped at the limit and listed by the
 * report; a resume reruns nothing; --jobs 1 and 2 write the same tuning.csv. */
#define _XOPEN_SOURCE 700
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "tables/tables.h"
#include "bench/bench_internal.h"
#include "bench/suite_file.h"
#include "bench/tuning.h"
#include "common/table.h"
#include "tests/e2e.h"
#include "tests/shell.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("edge");
}

/* rows at 10^(lo + k/pd) for k in [k0, k1], the best (score 0) at kb, the others 1 */
static size_t rows(const ob_lr_grid *g, int k0, int k1, int kb, ob_tune_row *t)
{
    size_t n = 0;
    for (int k = k0; k <= k1; k++, n++)
        t[n] = (ob_tune_row){.lr = ob_bench_grid_lr(g, k), .score = k == kb ? 0 : 1,
                             .hit = LONG_MAX};
    return n;
}

static void test_rule(void **st)
{
    (void)st;
    ob_tune_row t[32];
    int k = 0;
    ob_lr_grid g = {-3, 0, 1}; /* 1e-3 .. 1: indices 0..3 */
    assert_int_equal(ob_tuning_edge(&g, t, rows(&g, 0, 3, 1, t), &k), OB_EDGE_INTERIOR);
    assert_int_equal(ob_tuning_edge(&g, t, rows(&g, 0, 3, 3, t), &k), OB_EDGE_EXTEND);
    assert_int_equal(k, 4); /* 10: the same spacing past the top */
    assert_int_equal(ob_tuning_edge(&g, t, rows(&g, 0, 3, 0, t), &k), OB_EDGE_EXTEND);
    assert_int_equal(k, -1); /* 1e-4 */
    /* the bottom rate ties with the next one (same score, same hit): the criterion is
     * flat there, so the edge is not extended; every rate diverged is no tie: down */
    rows(&g, 0, 3, 0, t);
    t[1].score = 0;
    assert_int_equal(ob_tuning_edge(&g, t, 4, &k), OB_EDGE_INTERIOR);
    for (int i = 0; i < 4; i++) t[i].score = INFINITY;
    assert_int_equal(ob_tuning_edge(&g, t, 4, &k), OB_EDGE_EXTEND);
    assert_int_equal(k, -1);
    /* an extended rate beyond a diverged one: interior */
    size_t n = rows(&g, 0, 4, 3, t);
    t[4].score = INFINITY;
    assert_int_equal(ob_tuning_edge(&g, t, n, &k), OB_EDGE_INTERIOR);
    /* six rates past the top edge, where only the count binds: 1e-8 .. 1e-7, indices
     * 0..1, the last allowed 1 + 6 = 7 (1e-1), 8 (1) is past it */
    ob_lr_grid low = {-8, -7, 1};
    assert_int_equal(ob_tuning_edge(&low, t, rows(&low, 0, 6, 6, t), &k), OB_EDGE_EXTEND);
    assert_int_equal(k, 7);
    assert_int_equal(ob_tuning_edge(&low, t, rows(&low, 0, 7, 7, t), &k), OB_EDGE_LIMIT);
    /* six below the bottom: -6 is the last allowed */
    ob_lr_grid high = {0, 1, 2}; /* 1 .. 10, 3 points: indices 0..2 */
    assert_int_equal(ob_tuning_edge(&high, t, rows(&high, -6, 2, -6, t), &k), OB_EDGE_LIMIT);
    assert_int_equal(ob_tuning_edge(&high, t, rows(&high, -5, 2, -5, t), &k), OB_EDGE_EXTEND);
    /* lr bounds: 10^(0 + k/2) reaches 1e3 at k = 6 (allowed), 10^3.5 is past it */
    assert_int_equal(ob_tuning_edge(&high, t, rows(&high, 0, 5, 5, t), &k), OB_EDGE_EXTEND);
    assert_int_equal(k, 6);
    assert_int_equal(ob_tuning_edge(&high, t, rows(&high, 0, 6, 6, t), &k), OB_EDGE_LIMIT);
    ob_lr_grid tiny = {-8, -7, 1}; /* 1e-8 at index 0: nothing below it */
    assert_int_equal(ob_tuning_edge(&tiny, t, rows(&tiny, 0, 1, 0, t), &k), OB_EDGE_LIMIT);
}

/* the rule on a list axis: hand-made rows at one rate, values v[], the best at vb */
static size_t axis_rows(const double *v, size_t n, double vb, ob_tune_row *t)
{
    for (size_t i = 0; i < n; i++) {
        t[i] = (ob_tune_row){.lr = 0.1, .score = v[i] == vb ? 0 : 1, .hit = LONG_MAX};
        snprintf(t[i].hp, sizeof t[i].hp, "momentum=%g", v[i]);
    }
    return n;
}

static void test_axis_rule(void **st)
{
    (void)st;
    double list[] = {0.1, 0.2}, eps_list[] = {1e-8, 1e-6};
    ob_suite_optimizer o = {.T = ob_optimizer_find("momentum"), .n_lists = 1, .n_points = 2};
    ob_hparams_default(o.T, &o.h);
    o.lists[0] = (ob_hp_list){.op = ob_hp_option_find(o.T, "momentum"), .v = list, .n = 2};
    ob_tune_row t[16];
    double next;
    /* two values 2x apart: linear, 0.2 + 0.1 */
    assert_int_equal(ob_tuning_axis_edge(&o, 0, t, axis_rows(list, 2, 0.2, t), &next), OB_EDGE_EXTEND);
    assert_true(fabs(next - 0.3) < 1e-15);
    assert_int_equal(ob_tuning_axis_edge(&o, 0, t, axis_rows(list, 2, 0.1, t), &next), OB_EDGE_EXTEND);
    assert_true(next == 0);
    double ran[] = {0.1, 0.2, 0.3};
    assert_int_equal(ob_tuning_axis_edge(&o, 0, t, axis_rows(ran, 3, 0.2, t), &next), OB_EDGE_INTERIOR);
    /* 0.1 .. 0.8: six past 0.2, the seventh (0.9) is past the limit */
    double six[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
    assert_int_equal(ob_tuning_axis_edge(&o, 0, t, axis_rows(six, 8, 0.8, t), &next), OB_EDGE_LIMIT);
    assert_int_equal(ob_tuning_axis_edge(&o, 0, t, axis_rows(six, 7, 0.7, t), &next), OB_EDGE_EXTEND);
    /* momentum must stay below 1: 0.9 0.95 -> 1.0 is refused */
    double high[] = {0.9, 0.95};
    o.lists[0].v = high;
    assert_int_equal(ob_tuning_axis_edge(&o, 0, t, axis_rows(high, 2, 0.95, t), &next), OB_EDGE_LIMIT);
    /* two values 100x apart: geometric, 1e-8 / 100 */
    o.T = ob_optimizer_find("adam");
    ob_hparams_default(o.T, &o.h);
    o.lists[0] = (ob_hp_list){.op = ob_hp_option_find(o.T, "eps"), .v = eps_list, .n = 2};
    axis_rows(eps_list, 2, 1e-8, t);
    for (int i = 0; i < 2; i++) snprintf(t[i].hp, sizeof t[i].hp, "eps=%g", eps_list[i]);
    assert_int_equal(ob_tuning_axis_edge(&o, 0, t, 2, &next), OB_EDGE_EXTEND);
    assert_true(next == 1e-10);
    /* a flat criterion: both eps reach the same score at the same step, the choice (the
     * smaller) is the tie-break's, so the edge is not extended */
    t[1].score = t[0].score;
    t[1].hit = t[0].hit = 40;
    assert_int_equal(ob_tuning_axis_edge(&o, 0, t, 2, &next), OB_EDGE_INTERIOR);
    t[1].hit = 41; /* the same score, reached later: the edge is a measurement */
    assert_int_equal(ob_tuning_axis_edge(&o, 0, t, 2, &next), OB_EDGE_EXTEND);
}

/* A suite of one quadratic (kappa 10, 50 steps) with gd tuned on [FROM, TO] */
static ob_suite *quad_suite(const char *name, const char *from, const char *to)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s.ini", dir, name);
    FILE *f = fopen(path, "w");
    fprintf(f, "[suite]\nname = %s\noptimizers = gd\nseeds = 1\nlr-from = %s\nlr-to = %s\n"
               "lr-per-decade = 1\n\n[workload quad]\nproblem = quadratic\ndim = 3\nkappa = 10\n"
               "steps = 50\n", name, from, to);
    fclose(f);
    ob_suite *S;
    ob_error e = {{0}};
    if (ob_suite_load(path, &S, &e) != OB_OK) fail_msg("%s", e.msg);
    return S;
}

static void bench(const ob_suite *S, const char *sub, int jobs)
{
    char out[256];
    snprintf(out, sizeof out, "%s/%s", dir, sub);
    mkdir(out, 0777);
    ob_bench_config c = {.suite = S, .out = out, .jobs = jobs, .shard_n = 1};
    ob_error e = {{0}};
    if (ob_bench_write_inputs(&c, &e) || ob_bench_run(&c, &e) || ob_tables_aggregate(out, &e))
        fail_msg("%s", e.msg);
}

/* grid 1e-6 .. 1e-5 is far too small for 50 steps: extended until the choice is
 * interior */
static void test_extended_until_interior(void **st)
{
    (void)st;
    ob_suite *S = quad_suite("small", "1e-6", "1e-5");
    bench(S, "j1", 1);
    ob_table t = tab_in("j1", "tuning.csv");
    int lc = ob_table_col(&t, "lr"), gc = ob_table_col(&t, "grid");
    assert_true(gc >= 0);
    double best = INFINITY, chosen = NAN;
    size_t added = 0;
    for (size_t r = 0; r < t.rows; r++) {
        int orig = fabs(log10(ob_table_num(&t, r, lc)) + 5.5) < 0.6; /* 1e-6 or 1e-5 */
        assert_string_equal(ob_table_str(&t, r, gc), orig ? "original" : "extended");
        added += !orig;
        double s = ob_table_num(&t, r, ob_table_col(&t, "score"));
        if (s < best) best = s, chosen = ob_table_num(&t, r, lc);
    }
    /* the choice is interior: a rate was run on each side of it */
    double top = ob_table_num(&t, t.rows - 1, lc);
    assert_true(chosen < top);
    assert_true(chosen > ob_table_num(&t, 0, lc));
    assert_true(added >= 4 && added <= OB_TUNE_EXTRA_MAX);
    ob_table_free(&t);
    /* chosen.csv names an extended rate */
    ob_table c = tab_in("j1", "chosen.csv");
    assert_true(ob_table_num(&c, 0, ob_table_col(&c, "lr")) == chosen);
    ob_table_free(&c);
    /* a resume plans nothing: no tuning, no extension, no seed run */
    char out[256];
    snprintf(out, sizeof out, "%s/j1", dir);
    ob_bench_config cfg = {.suite = S, .out = out, .jobs = 1, .shard_n = 1};
    ob_run_spec *runs = malloc(ob_bench_plan_capacity(S) * sizeof *runs);
    ob_status s = OB_OK;
    ob_error e = {{0}};
    for (int phase = 0; phase < 3; phase++)
        assert_int_equal(ob_bench_plan(&cfg, phase, runs, &s, &e), 0);
    assert_int_equal(s, OB_OK);
    free(runs);
    /* --jobs 2: the same tuning.csv and chosen.csv, byte for byte */
    bench(S, "j2", 2);
    assert_int_equal(sh("cmp -s %s/j1/tuning.csv %s/j2/tuning.csv", dir, dir), 0);
    assert_int_equal(sh("cmp -s %s/j1/chosen.csv %s/j2/chosen.csv", dir, dir), 0);
    ob_suite_free(S);
}

/* grid 1e-9 .. 1e-8: six rates past it reach 1e-2, still too small: the choice stays at
 * the limit, and the report lists the pair */
static void test_stops_at_the_limit(void **st)
{
    (void)st;
    char suite[256];
    ob_suite *S = quad_suite("tiny", "1e-9", "1e-8");
    ob_suite_free(S);
    snprintf(suite, sizeof suite, "%s/tiny.ini", dir);
    assert_int_equal(sh("%s bench --suite %s --out %s/lim --jobs 1 --quiet >/dev/null", bin,
                        suite, dir), 0);
    ob_table t = tab_in("lim", "tuning.csv");
    assert_int_equal(t.rows, 2 + OB_TUNE_EXTRA_MAX);
    double top = ob_table_num(&t, t.rows - 1, ob_table_col(&t, "lr"));
    assert_true(fabs(top - 1e-2) < 1e-12);
    ob_table_free(&t);
    ob_table c = tab_in("lim", "chosen.csv");
    assert_true(fabs(ob_table_num(&c, 0, ob_table_col(&c, "lr")) - 1e-2) < 1e-12);
    ob_table_free(&c);
    assert_int_equal(sh("grep -q 'Chosen at an edge' %s/lim/report.md", dir), 0);
    assert_int_equal(sh("grep -q '^| quad *| gd *| lr *| 0.01 *| largest *| 8 *| 6 *| a limit *|' "
                        "%s/lim/report.md", dir), 0);
    /* the same choice on a flat criterion (every rate the same score): the report says the
     * tie-break chose, not a limit */
    assert_int_equal(sh("cd %s/lim && for f in tuning.csv chosen.csv; do awk -F, -v OFS=, "
                        "'NR==1{for(i=1;i<=NF;i++)if($i==\"score\")c=i}NR>1{$c=0.5}{print}' "
                        "$f > t && mv t $f; done", dir), 0);
    assert_int_equal(sh("%s plot %s/lim --quiet >/dev/null", bin, dir), 0);
    assert_int_equal(sh("grep -q '^| quad *| gd *| lr *| 0.01 *| largest *| 8 *| 6 *| flat: 7 other "
                        "values tie *|' %s/lim/report.md", dir), 0);
}

/* momentum 0.1 0.2 on an ill-conditioned quadratic: more momentum keeps helping, so the
 * list is extended by 0.1 six times and stops at 0.8, which the seed runs use; --jobs 1
 * and 2 give the same tuning.csv */
static void test_axis_extension(void **st)
{
    (void)st;
    char path[256];
    snprintf(path, sizeof path, "%s/axis.ini", dir);
    FILE *f = fopen(path, "w");
    fputs("[suite]\nname = axis\noptimizers = momentum\nseeds = 1\nlr-from = 1e-3\n"
          "lr-to = 1e-1\nlr-per-decade = 1\n\n[workload quad]\nproblem = quadratic\ndim = 3\n"
          "kappa = 100\nsteps = 100\n\n[optimizer momentum]\nmomentum = 0.1 0.2\n", f);
    fclose(f);
    ob_suite *S;
    ob_error e = {{0}};
    if (ob_suite_load(path, &S, &e) != OB_OK) fail_msg("%s", e.msg);
    bench(S, "ax1", 1);
    bench(S, "ax2", 2);
    ob_suite_free(S);
    assert_int_equal(sh("cmp -s %s/ax1/tuning.csv %s/ax2/tuning.csv", dir, dir), 0);
    ob_table t = tab_in("ax1", "tuning.csv");
    int hc = ob_table_col(&t, "hparams"), gc = ob_table_col(&t, "grid");
    size_t extended = 0;
    for (size_t r = 0; r < t.rows; r++) {
        double m = strtod(ob_table_str(&t, r, hc) + strlen("momentum="), NULL);
        int orig = m == 0.1 || m == 0.2;
        assert_string_equal(ob_table_str(&t, r, gc), orig ? "original" : "extended");
        extended += !orig;
        assert_true(m < 0.85);
    }
    assert_int_equal(extended, 3 * OB_TUNE_EXTRA_MAX); /* 0.3 .. 0.8 at each of 3 rates */
    ob_table_free(&t);
    ob_table c = tab_in("ax1", "chosen.csv");
    assert_string_equal(ob_table_str(&c, 0, ob_table_col(&c, "hparams")), "momentum=0.8");
    ob_table_free(&c);
    assert_int_equal(sh("grep -q '^seed-1,.*,momentum=0.8\\(,\\|$\\)' %s/ax1/runs/quad/momentum/summaries.csv",
                        dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule),
        cmocka_unit_test(test_axis_rule),
        cmocka_unit_test(test_axis_extension),
        cmocka_unit_test(test_extended_until_interior),
        cmocka_unit_test(test_stops_at_the_limit),
    };
    return ob_run_tests("tuning_edge", tests, setup, teardown);
}
