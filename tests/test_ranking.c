/* test_ranking.c - the ranking tables (ranking_analytic.csv, ranking_net.csv) and the
 * report's ranking tables on a results directory made here by hand: five seeds per pair
 * whose evaluations to 1e-6, final gaps and validation accuracies are chosen so that the
 * medians, the 95 % bootstrap intervals and the rank groups can be worked out on paper
 * (the comments), and a reference method (gsl-bfgs) that would rank first if it were
 * ranked. */
#include <math.h>

#include "tests/e2e.h"
#include "tests/shell.h"

#include "tables/tables.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("ranking");
}

#define NS 5

/* dir/fix/runs/W/O/seed-S.{summary.csv,csv}: an analytic run from f0 = 1 to f* = 0 that
 * reaches every target (1e-1, 1e-3, 1e-6) at once after `evals` gradient evaluations and
 * ends at gap 1e-8, or, with evals < 0, never goes below `gap` (and ends there) */
static void analytic_run(const char *w, const char *o, int seed, double evals, double gap)
{
    assert_int_equal(sh("mkdir -p %s/fix/runs/%s/%s", dir, w, o), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/fix/runs/%s/%s/seed-%d.summary.csv", dir, w, o, seed);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    double final = evals >= 0 ? 1e-8 : gap;
    fprintf(f, "problem,optimizer,lr,seed,status,diverged_step,f0,final_loss,f_star,"
               "final_grad_norm,seconds_per_step\nquadratic,%s,0.1,%d,ok,-1,1,%.17g,0,1,1e-6\n",
            o, seed, final);
    fclose(f);
    snprintf(path, sizeof path, "%s/fix/runs/%s/%s/seed-%d.csv", dir, w, o, seed);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "step,loss,grad_norm,evals,lr,seconds\n0,1,1,0,0.1,0\n");
    if (evals >= 0) fprintf(f, "10,1e-7,1,%.17g,0.1,1e-5\n", evals);
    fprintf(f, "100,%.17g,1,1000,0.1,1e-4\n", final);
    fclose(f);
}

/* a network run whose best validation accuracy is val */
static void net_run(const char *w, const char *o, int seed, double val)
{
    assert_int_equal(sh("mkdir -p %s/fix/runs/%s/%s", dir, w, o), 0);
    char path[512];
    snprintf(path, sizeof path, "%s/fix/runs/%s/%s/seed-%d.summary.csv", dir, w, o, seed);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "problem,optimizer,kind,lr,seed,status,best_val_acc,test_acc,epoch_seconds\n"
               "softmax,%s,network,0.01,%d,ok,%.17g,%.17g,0.01\n", o, seed, val, val - 0.01);
    fclose(f);
    snprintf(path, sizeof path, "%s/fix/runs/%s/%s/seed-%d.csv", dir, w, o, seed);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "epoch,step,seconds,lr,train_loss,train_acc,val_loss,val_acc,test_loss,test_acc\n"
               "0,0,0,0.01,2.3,0.1,2.3,0.1,2.3,0.1\n1,10,0.01,0.01,0.5,%.17g,0.6,%.17g,0.6,%.17g\n",
            val, val, val - 0.01);
    fclose(f);
}

/* The fixture, workload w (evaluations to 1e-6 per seed; "-" never reached, then the
 * final gap):
 *   a         10 20 30 40 50
 *   b         100 110 120 130 140
 *   c         105 115 125 135 145
 *   d         150, then - - - - with gaps 2e-3 3e-3 4e-3 5e-3 (seed 1 ends at 1e-8)
 *   e         - with gaps 2.5e-3 3.5e-3 4.5e-3 5.5e-3 6.5e-3
 *   f         - with gaps 0.1 0.2 0.3 0.4 0.5
 *   gsl-bfgs  3 3 3 3 3 (a reference method)
 * and network n (best validation accuracy): p .90 .91 .92 .93 .94, q .905 .915 .925 .935
 * .945, r .50 .51 .52 .53 .54. */
static void make_fixture(void)
{
    static const double a[NS] = {10, 20, 30, 40, 50}, b[NS] = {100, 110, 120, 130, 140},
                        c[NS] = {105, 115, 125, 135, 145},
                        dg[NS] = {0, 2e-3, 3e-3, 4e-3, 5e-3},
                        eg[NS] = {2.5e-3, 3.5e-3, 4.5e-3, 5.5e-3, 6.5e-3},
                        fg[NS] = {0.1, 0.2, 0.3, 0.4, 0.5};
    static const double p[NS] = {0.90, 0.91, 0.92, 0.93, 0.94},
                        q[NS] = {0.905, 0.915, 0.925, 0.935, 0.945},
                        r[NS] = {0.50, 0.51, 0.52, 0.53, 0.54};
    for (int s = 0; s < NS; s++) {
        analytic_run("w", "a", s + 1, a[s], 0);
        analytic_run("w", "b", s + 1, b[s], 0);
        analytic_run("w", "c", s + 1, c[s], 0);
        analytic_run("w", "d", s + 1, s == 0 ? 150 : -1, dg[s]);
        analytic_run("w", "e", s + 1, -1, eg[s]);
        analytic_run("w", "f", s + 1, -1, fg[s]);
        analytic_run("w", "gsl-bfgs", s + 1, 3, 0);
        net_run("n", "p", s + 1, p[s]);
        net_run("n", "q", s + 1, q[s]);
        net_run("n", "r", s + 1, r[s]);
    }
}

/* row of optimizer o in table t */
static size_t row_of(const ob_table *t, const char *o)
{
    int oc = ob_table_col(t, "optimizer");
    for (size_t i = 0; i < t->rows; i++)
        if (strcmp(ob_table_str(t, i, oc), o) == 0) return i;
    fail_msg("no row for %s", o);
    return 0;
}

static double num(const ob_table *t, size_t i, const char *col)
{
    int c = ob_table_col(t, col);
    if (c < 0) fail_msg("no column %s", col);
    return ob_table_num(t, i, c);
}

static const char *str(const ob_table *t, size_t i, const char *col)
{
    int c = ob_table_col(t, col);
    if (c < 0) fail_msg("no column %s", col);
    return ob_table_str(t, i, c);
}

/* one expected row: rank ("" unranked), tied, role, metric and its interval */
typedef struct {
    const char *o, *rank, *tied, *role, *metric;
    double med, lo, hi;
} want_row;

static void check_rows(const char *file, const want_row *want, size_t n)
{
    ob_table t = tab_in("fix", file);
    assert_int_equal(t.rows, n);
    for (size_t k = 0; k < n; k++) {
        const want_row *x = &want[k];
        size_t i = row_of(&t, x->o);
        if (strcmp(str(&t, i, "rank"), x->rank) || strcmp(str(&t, i, "tied"), x->tied) ||
            strcmp(str(&t, i, "role"), x->role) || strcmp(str(&t, i, "metric"), x->metric))
            fail_msg("%s %s: rank '%s' tied '%s' role '%s' metric '%s', want '%s' '%s' '%s' '%s'",
                     file, x->o, str(&t, i, "rank"), str(&t, i, "tied"), str(&t, i, "role"),
                     str(&t, i, "metric"), x->rank, x->tied, x->role, x->metric);
        double m = num(&t, i, "median"), lo = num(&t, i, "ci_lo"), hi = num(&t, i, "ci_hi");
        if (!(fabs(m - x->med) <= 1e-12 * fabs(x->med) && fabs(lo - x->lo) <= 1e-12 * fabs(x->lo) &&
              fabs(hi - x->hi) <= 1e-12 * fabs(x->hi)))
            fail_msg("%s %s: %.17g [%.17g, %.17g], want %.17g [%.17g, %.17g]", file, x->o, m, lo,
                     hi, x->med, x->lo, x->hi);
    }
    ob_table_free(&t);
}

/* The analytic ranking, worked by hand.
 * Order: the pairs whose median run reached 1e-6 by median evaluations, a (30), b (120),
 * c (125); then the others by median final gap, d (3e-3), e (4.5e-3), f (0.3); gsl-bfgs
 * (median 3) is not ranked, so a leads, not it.
 * Intervals: five distinct values x1 < ... < x5 give [x1, x5] at 95 % with B = 2000 (the
 * exact bootstrap distribution of the median puts 0.05792 on each end, 6 sd of margin:
 * test_inference.c), so a 30 [10, 50], b 120 [100, 140], c 125 [105, 145], d 3e-3 [1e-8,
 * 5e-3] (seed 1 ended at 1e-8), e 4.5e-3 [2.5e-3, 6.5e-3], f 0.3 [0.1, 0.5]; gsl-bfgs
 * 3 [3, 3].
 * Groups (two-sided Mann-Whitney, U = pairs where the leader's value is larger):
 * - a against b: separated, exact p = 2/252 = 0.0079: b leads group 2.
 * - b against c: U = 1+2+3+4 = 10, exact p = 2 P(U <= 10) = 2 (1+1+2+3+5+7+9+11+14+16+18)
 *   / 252 = 174/252 = 0.69: c joins, 2=.
 * - b against d, one reached and one not: on the evaluations, d = {150, inf x 4}: U = 0,
 *   ties (the four inf) so the normal approximation: sigma^2 = 25/12 (11 - 60/90) =
 *   21.528, z = (0 - 12.5 + 0.5) / 4.6398 = -2.586, p = 0.0097: d leads group 4.
 * - d against e, neither reached: on the final gaps, U = 1+2+3 = 6, p = 2 (1+1+2+3+5+7+9)
 *   / 252 = 56/252 = 0.22: e joins, 4=.
 * - d against f: final gaps separated, p = 2/252: f leads group 6.  (On the evaluations,
 *   {150, inf x 4} against {inf x 5}, the test could not tell them apart: f would be 4=.)
 * Ranks 1, 2=, 2=, 4=, 4=, 6. */
static void test_analytic(void **st)
{
    (void)st;
    make_fixture();
    char out[128];
    snprintf(out, sizeof out, "%s/fix", dir);
    ob_error e = {{0}};
    if (ob_tables_aggregate(out, &e) != OB_OK) fail_msg("%s", e.msg);
    static const want_row want[] = {
        {"a", "1", "0", "competitor", "evals", 30, 10, 50},
        {"b", "2", "1", "competitor", "evals", 120, 100, 140},
        {"c", "2", "1", "competitor", "evals", 125, 105, 145},
        {"d", "4", "1", "competitor", "final_gap", 3e-3, 1e-8, 5e-3},
        {"e", "4", "1", "competitor", "final_gap", 4.5e-3, 2.5e-3, 6.5e-3},
        {"f", "6", "0", "competitor", "final_gap", 0.3, 0.1, 0.5},
        {"gsl-bfgs", "", "", "reference", "evals", 3, 3, 3},
    };
    check_rows("ranking_analytic.csv", want, sizeof want / sizeof *want);
    /* the final gap's interval beside it, and the columns other code reads, kept */
    ob_table t = tab_in("fix", "ranking_analytic.csv");
    size_t i = row_of(&t, "a");
    assert_true(num(&t, i, "median_final_gap") == 1e-8 && num(&t, i, "final_gap_ci_lo") == 1e-8 &&
                num(&t, i, "final_gap_ci_hi") == 1e-8);
    i = row_of(&t, "d");
    assert_true(num(&t, i, "median_final_gap") == 3e-3 && num(&t, i, "q1_final_gap") == 2e-3 &&
                num(&t, i, "q3_final_gap") == 4e-3 && num(&t, i, "seeds") == 5 &&
                num(&t, i, "diverged") == 0 && num(&t, i, "lr") == 0.1);
    ob_table_free(&t);
    /* the same bytes when the tables are made again */
    assert_int_equal(sh("cp %s/ranking_analytic.csv %s/first.csv", out, dir), 0);
    if (ob_tables_aggregate(out, &e) != OB_OK) fail_msg("%s", e.msg);
    assert_int_equal(sh("cmp -s %s/ranking_analytic.csv %s/first.csv", out, dir), 0);
}

/* The network ranking, higher is better: q (0.925) before p (0.92): U(q > p) = 15, the
 * mirror of b against c, p = 0.69, so p joins q, 1=; r (0.52) against q: separated,
 * 2/252: rank 3.  Intervals [x1, x5]. */
static void test_network(void **st)
{
    (void)st;
    if (!exists("fix/ranking_net.csv")) test_analytic(st);
    static const want_row want[] = {
        {"q", "1", "1", "competitor", "best_val_acc", 0.925, 0.905, 0.945},
        {"p", "1", "1", "competitor", "best_val_acc", 0.92, 0.90, 0.94},
        {"r", "3", "0", "competitor", "best_val_acc", 0.52, 0.50, 0.54},
    };
    check_rows("ranking_net.csv", want, sizeof want / sizeof *want);
}

/* The performance profiles measure every optimizer against the best competitor: a (median
 * 30 evaluations at each target) is the fastest on all three (w, target) pairs, so its
 * profile is 1 at tau = 1, and b's (120) jumps to 1 at tau = 120/30 = 4; gsl-bfgs (3, a
 * reference) is drawn against a (ratio 0.1) but does not set the yardstick: measured
 * against it, a would be at 30/3 = 10 and no competitor would reach 1 at tau = 1. */
static void test_profiles(void **st)
{
    (void)st;
    if (!exists("fix/profiles.csv")) test_analytic(st);
    ob_table t = tab_in("fix", "profiles.csv");
    int oc = ob_table_col(&t, "optimizer"), tc = ob_table_col(&t, "tau"),
        fc = ob_table_col(&t, "fraction");
    int seen = 0;
    for (size_t i = 0; i < t.rows; i++) {
        const char *o = ob_table_str(&t, i, oc);
        double tau = ob_table_num(&t, i, tc), f = ob_table_num(&t, i, fc);
        if (!strcmp(o, "a") && tau == 1) seen |= 1, assert_true(f == 1);
        if (!strcmp(o, "b") && tau == 1) seen |= 2, assert_true(f == 0);
        if (!strcmp(o, "b") && tau > 1) seen |= 4, assert_true(tau == 4 && f == 1);
        if (!strcmp(o, "gsl-bfgs")) seen |= 8, assert_true(tau == 1 && f == 1);
    }
    assert_int_equal(seen, 15);
    ob_table_free(&t);
}

/* The report shows them: the ranks as groups, the reference as "ref" with no lr, the
 * sorting column with its interval, in the ranking's order; the whole-suite table counts
 * the top group, competitors only. */
static void test_report(void **st)
{
    (void)st;
    if (!exists("fix/ranking_net.csv")) test_analytic(st);
    assert_int_equal(run("plot %s/fix", dir), 0);
    const char *md = slurp("fix/report.md");
    assert_non_null(md);
    static const char *const rows[] = {
        "| 1 | a | 0.1 | 30 [10, 50] | 1e-08 [1e-08, 1e-08] |",
        "| 2= | b | 0.1 | 120 [100, 140] |",
        "| 2= | c | 0.1 | 125 [105, 145] |",
        "| 4= | d | 0.1 | — | 0.003 [1e-08, 0.005] |",
        "| 4= | e | 0.1 | — | 0.0045 [0.0025, 0.0065] |",
        "| 6 | f | 0.1 | — | 0.3 [0.1, 0.5] |",
        "| ref | gsl-bfgs |  | 3 [3, 3] |",
        "| 1= | q | 0.01 | 92.5 % [90.5 %, 94.5 %] |",
        "| 1= | p | 0.01 | 92.0 % [90.0 %, 94.0 %] |",
        "| 3 | r | 0.01 | 52.0 % [50.0 %, 54.0 %] |",
        /* optimizer, workloads ranked, in the top group, median group rank */
        "| a | 1 | 1 | 1 |", "| b | 1 | 0 | 2 |", "| q | 1 | 1 | 1 |", "| r | 1 | 0 | 3 |",
        "Not ranked (reference methods, tabled on their workloads): gsl-bfgs.",
        "their lr is GSL's first trial step",
    };
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++)
        if (!strstr(md, rows[k])) fail_msg("report.md has no '%s'", rows[k]);
    /* in the ranking's order, the reference last; never counted in the suite table */
    const char *order[] = {"| a |", "| b |", "| c |", "| d |", "| e |", "| f |", "| gsl-bfgs |"};
    const char *at = strstr(md, "### w");
    assert_non_null(at);
    for (size_t k = 0; k < 7; k++) {
        const char *p = strstr(at, order[k]);
        if (!p) fail_msg("'%s' not after the previous row", order[k]);
        at = p;
    }
    const char *suite = strstr(md, "## The whole suite"), *end = strstr(md, "## Analytic");
    assert_true(suite && end && suite < end);
    const char *g = strstr(suite, "| gsl-bfgs |");
    assert_true(!g || g > end);
    assert_null(strstr(md, "nan"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_analytic),
        cmocka_unit_test(test_network),
        cmocka_unit_test(test_profiles),
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
