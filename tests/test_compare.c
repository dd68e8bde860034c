/* test_compare.c - `optbench compare` (report/compare.h): two runs of one suite with
 * different seed counts (every pair matched, scores in [0, 1] and equal to the formula
 * worked from the ranking's times), a directory against itself (both sides equal; the
 * best optimizer of a one-workload suite scores 1), two different suites (the common
 * pairs only, the rest listed), a plugin's directory against the built-ins', network
 * workloads (scored by the epochs to their target), and the refusals (an unreadable
 * directory: one line, exit 2). */
#define _XOPEN_SOURCE 700 /* realpath */
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
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "bench/bench.h"
#include "bench/suite_file.h"
#include "common/table.h"
#include "compare/compare.h"
#include "report/provenance.h"

#define OB_PROVENANCE_FORMAT_FOR_TEST (OB_PROVENANCE_FORMAT + 1)
#include "tests/e2e.h"
#include "tests/shell.h"

static int setup(void **st)
{
    (void)st;
    return e2e_setup("compare");
}

/* Runs the suite text (written to dir/sub.ini) into dir/sub: its runs and optbench.json
 * (compare reads the run files and the suite's definition; no tables, no figures). */
static void bench(const char *sub, const char *text)
{
    char path[256], out[256];
    snprintf(path, sizeof path, "%s/%s.ini", dir, sub);
    snprintf(out, sizeof out, "%s/%s", dir, sub);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    ob_suite *S;
    ob_error e = {{0}};
    if (ob_suite_load(path, &S, &e) != OB_OK) fail_msg("%s", e.msg);
    mkdir(out, 0777);
    ob_bench_config c = {.suite = S, .out = out, .jobs = 2, .shard_n = 1};
    char *argv[] = {"optbench", "bench", "--suite", path};
    ob_provenance_run pr = {.argc = 4, .argv = argv, .config = &c}; /* the suite's definition */
    if (ob_bench_write_inputs(&c, &e) || ob_bench_run(&c, &e) || ob_provenance_write(out, &pr, &e))
        fail_msg("%s", e.msg);
    ob_suite_free(S);
}

#define SUITE_HEAD(name, seeds, optimizers)                                                  \
    "[suite]\nname = " name "\noptimizers = " optimizers "\nseeds = " seeds                 \
    "\nlr-from = 1e-3\nlr-to = 1\nlr-per-decade = 1\n\n"
#define QUADRATIC "[workload quadratic-3]\nproblem = quadratic\ndim = 3\nkappa = 10\nsteps = 60\n\n"
#define SADDLE "[workload saddle]\nproblem = saddle\nsteps = 60\n\n"
#define ROSENBROCK "[workload rosenbrock]\nproblem = rosenbrock\nsteps = 200\n\n"

/* The two directories most tests compare: one small suite with 3 seeds (A) and with 4
 * (B).  Each is run once per binary, by the first test that asks for it, and only read
 * after: any test runs alone (OB_TEST=name, tests/runner.h) and in any order. */
static void suite_a(void)
{
    static int made;
    if (!made) bench("a", SUITE_HEAD("small", "3", "gd adam momentum") QUADRATIC SADDLE);
    made = 1;
}

static void suite_b(void)
{
    static int made;
    if (!made) bench("b", SUITE_HEAD("small", "4", "gd adam momentum") QUADRATIC SADDLE);
    made = 1;
}

/* scores.csv against AlgoPerf's rule, worked here from ranking.csv's times (analytic:
 * evals_to_target; networks: epochs_to_target; empty: missed): per workload the best time
 * b_w; per (optimizer, directory) r_w = t/b_w, +inf beyond 4; rho(tau) the fraction of its
 * workloads with r_w <= tau at tau = 1 + 3i/99, i = 0..99; the score the trapezoid area
 * under rho over 3.  And each network workload's target from its rows:
 * a* - 0.1 (1 - a*), a* the highest median */
static void check_scores(const char *sub)
{
    ob_table r = tab_in(sub, "ranking.csv"), s = tab_in(sub, "scores.csv");
    int wc = ob_table_col(&r, "workload"), oc = ob_table_col(&r, "optimizer"),
        dc = ob_table_col(&r, "dir"), kc = ob_table_col(&r, "kind"),
        mc = ob_table_col(&r, "median"), ac = ob_table_col(&r, "target_val_acc");
    assert_true(s.rows > 0);
    for (size_t k = 0; k < r.rows; k++) {
        if (strcmp(ob_table_str(&r, k, kc), "network")) continue;
        double best = -INFINITY;
        for (size_t j = 0; j < r.rows; j++)
            if (!strcmp(ob_table_str(&r, j, wc), ob_table_str(&r, k, wc)) &&
                ob_table_num(&r, j, mc) > best)
                best = ob_table_num(&r, j, mc);
        assert_true(fabs(ob_table_num(&r, k, ac) - (best - 0.1 * (1 - best))) < 1e-12);
    }
    for (size_t i = 0; i < s.rows; i++) {
        const char *o = ob_table_str(&s, i, ob_table_col(&s, "optimizer")),
                   *lab = ob_table_str(&s, i, ob_table_col(&s, "dir"));
        double ratio[64];
        int nw = 0, nn = 0;
        for (size_t k = 0; k < r.rows && nw < 64; k++) {
            if (strcmp(ob_table_str(&r, k, oc), o) || strcmp(ob_table_str(&r, k, dc), lab)) continue;
            int net = !strcmp(ob_table_str(&r, k, kc), "network");
            int tc = ob_table_col(&r, net ? "epochs_to_target" : "evals_to_target");
            double best = INFINITY, t = ob_table_num(&r, k, tc);
            t = isnan(t) ? INFINITY : t;
            for (size_t j = 0; j < r.rows; j++) {
                double u = ob_table_num(&r, j, tc);
                if (!strcmp(ob_table_str(&r, j, wc), ob_table_str(&r, k, wc)) && u < best) best = u;
            }
            ratio[nw++] = t > 4 * best || !isfinite(best) ? INFINITY : t / best;
            nn += net;
        }
        double area = 0, prev = 0;
        for (int p = 0; p < 100; p++) {
            double tau = 1 + 3.0 * p / 99, rho = 0;
            for (int w = 0; w < nw; w++) rho += ratio[w] <= tau;
            rho /= nw;
            if (p) area += (3.0 / 99) * (rho + prev) / 2;
            prev = rho;
        }
        double score = ob_table_num(&s, i, ob_table_col(&s, "score"));
        assert_int_equal(nw, (int)ob_table_num(&s, i, ob_table_col(&s, "workloads")));
        assert_int_equal(nn, (int)ob_table_num(&s, i, ob_table_col(&s, "network_workloads")));
        assert_true(score >= 0 && score <= 1);
        assert_true(fabs(score - area / 3) < 1e-12);
    }
    ob_table_free(&r);
    ob_table_free(&s);
}

/* ob_cmp_algoperf against AlgoPerf's own formula on a fixture of 4 submissions and 5
 * workloads: a missed target (+inf), a NaN, a time exactly 4x the best (kept), times past
 * 4x (infinite), ties.  The golden scores come from scoring/performance_profile.py of
 * mlcommons/submissions_algorithms (commit 12c8e4ea), run on the same times. */
static void test_algoperf_golden(void **st)
{
    (void)st;
    const double inf = INFINITY;
    const double t[4 * 5] = {10, 200, inf, 3.0, NAN, 12, 100, 50, 12.0, 7,
                             40, 150, 80, 2.5, 7,    41, 401, inf, 9.0, 20};
    /* /usr/bin/python3 tests/golden/algoperf_golden.py CHECKOUT OUT (the same times; the
     * 12 of the second row is the median of studies at 5, 12 and +inf) */
    const double golden[4] = {0.5212121212121206, 0.7868686868686868, 0.7282828282828279,
                              0.10303030303030301};
    double score[4];
    ob_cmp_algoperf(t, 4, 5, NULL, score);
    for (int k = 0; k < 4; k++) assert_true(fabs(score[k] - golden[k]) < 1e-12);
    /* no workload: no score */
    ob_cmp_algoperf(t, 4, 0, NULL, score);
    assert_true(isnan(score[0]));
    /* the first submission as a reference method: the others score as if it were absent
     * (the best of w0 becomes 12, not its 10), and it keeps a score of its own */
    const int sets[4] = {0, 1, 1, 1};
    double three[3];
    ob_cmp_algoperf(t + 5, 3, 5, NULL, three);
    ob_cmp_algoperf(t, 4, 5, sets, score);
    for (int k = 0; k < 3; k++) assert_true(score[k + 1] == three[k]);
    assert_true(three[0] != golden[1] && isfinite(score[0]));
}

static void test_two_seed_counts(void **st)
{
    (void)st;
    suite_a();
    suite_b();
    assert_int_equal(sh("%s compare %s/a %s/b --out %s/ab --quiet", bin, dir, dir, dir), 0);
    ob_table r = tab_in("ab", "ranking.csv");
    assert_int_equal(r.rows, 2 * 3 * 2); /* 2 workloads x 3 optimizers x 2 directories */
    for (size_t i = 0; i < r.rows; i++) {
        int b = !strcmp(ob_table_str(&r, i, ob_table_col(&r, "dir")), "B");
        assert_int_equal((int)ob_table_num(&r, i, ob_table_col(&r, "seeds")), b ? 4 : 3);
    }
    ob_table_free(&r);
    ob_table u = tab_in("ab", "unmatched.csv");
    assert_int_equal(u.rows, 0);
    ob_table_free(&u);
    ob_table c = tab_in("ab", "changes.csv");
    assert_int_equal(c.rows, 2 * 3);
    ob_table_free(&c);
    check_scores("ab");
    assert_int_equal(sh("test -s %s/ab/figures/compare-saddle.png && test -s %s/ab/index.html && "
                        "grep -q '^## Scores' %s/ab/compare.md", dir, dir, dir), 0);
}

/* a directory against itself: the same ranks on both sides, the same scores */
/* A reference method (gsl-bfgs, faster than every competitor on the quadratic) is tabled in
 * its place but not ranked: an empty rank in ranking.csv, "ref" in the document, and the
 * competitors ranked 1, 2, ... among themselves in each directory's order. */
static void test_reference_unranked(void **st)
{
    (void)st;
    bench("r", SUITE_HEAD("small", "3", "gd gsl-bfgs adam") QUADRATIC);
    assert_int_equal(sh("%s compare %s/r %s/r --out %s/rr --quiet", bin, dir, dir, dir), 0);
    ob_table t = tab_in("rr", "ranking.csv");
    int oc = ob_table_col(&t, "optimizer"), rc = ob_table_col(&t, "rank");
    int ranks = 0, refs = 0;
    for (size_t i = 0; i < t.rows; i++) {
        const char *rank = ob_table_str(&t, i, rc);
        if (!strcmp(ob_table_str(&t, i, oc), "gsl-bfgs")) {
            assert_string_equal(rank, "");
            refs++;
        } else {
            int k = atoi(rank);
            assert_true(k >= 1 && k <= 4); /* 2 competitors x 2 directories */
            ranks += k;
        }
    }
    assert_int_equal(refs, 2);
    assert_int_equal(ranks, 1 + 2 + 3 + 4);
    ob_table_free(&t);
    char *md = slurp("rr/compare.md");
    assert_non_null(md);
    assert_non_null(strstr(md, "| ref |"));
}

static void test_against_itself(void **st)
{
    (void)st;
    suite_a();
    assert_int_equal(sh("%s compare %s/a %s/a --out %s/aa --quiet", bin, dir, dir, dir), 0);
    check_scores("aa");
    ob_table s = tab_in("aa", "scores.csv");
    int sc = ob_table_col(&s, "score");
    for (size_t i = 0; i + 1 < s.rows; i += 2) /* A then B for each optimizer */
        assert_true(ob_table_num(&s, i, sc) == ob_table_num(&s, i + 1, sc));
    ob_table_free(&s);
    ob_table c = tab_in("aa", "changes.csv");
    for (size_t i = 0; i < c.rows; i++) { /* the same seeds on both sides */
        double r = ob_table_num(&c, i, ob_table_col(&c, "ratio"));
        assert_true(r == 1 || isnan(r)); /* NaN: 0/0, a gap of 0 on both sides */
        assert_true(ob_table_num(&c, i, ob_table_col(&c, "p")) == 1);
        assert_string_equal(ob_table_str(&c, i, ob_table_col(&c, "flagged")), "no");
    }
    ob_table_free(&c);
    /* one workload: whoever is fastest there scores exactly 1 */
    bench("one", SUITE_HEAD("one", "3", "gd adam momentum") QUADRATIC);
    assert_int_equal(sh("%s compare %s/one %s/one --out %s/oo --quiet", bin, dir, dir, dir), 0);
    ob_table r = tab_in("oo", "ranking.csv");
    const char *best = ob_table_str(&r, 0, ob_table_col(&r, "optimizer"));
    assert_true(ob_table_num(&r, 0, ob_table_col(&r, "evals_to_target")) > 0);
    s = tab_in("oo", "scores.csv");
    for (size_t i = 0; i < s.rows; i++)
        if (!strcmp(ob_table_str(&s, i, ob_table_col(&s, "optimizer")), best))
            assert_true(ob_table_num(&s, i, ob_table_col(&s, "score")) == 1);
    ob_table_free(&s);
    ob_table_free(&r);
}

/* two suites: quadratic-3 x {gd, adam} in common; the rest listed */
static void test_two_suites(void **st)
{
    (void)st;
    suite_a();
    bench("other", SUITE_HEAD("other", "3", "gd adam rprop") QUADRATIC ROSENBROCK);
    assert_int_equal(sh("%s compare %s/a %s/other --out %s/ao --quiet", bin, dir, dir, dir), 0);
    ob_table r = tab_in("ao", "ranking.csv");
    assert_int_equal(r.rows, 2 * 2);
    for (size_t i = 0; i < r.rows; i++) {
        assert_string_equal(ob_table_str(&r, i, ob_table_col(&r, "workload")), "quadratic-3");
        const char *o = ob_table_str(&r, i, ob_table_col(&r, "optimizer"));
        assert_true(!strcmp(o, "gd") || !strcmp(o, "adam"));
    }
    ob_table_free(&r);
    /* A: quadratic-3/momentum, saddle x 3; B: quadratic-3/rprop, rosenbrock x 3 */
    ob_table u = tab_in("ao", "unmatched.csv");
    assert_int_equal(u.rows, 4 + 4);
    ob_table_free(&u);
    assert_int_equal(sh("grep -q 'Not every pair is in every directory' %s/ao/compare.md && grep -q 'A: `saddle` / "
                        "`gd` (missing in B)' %s/ao/compare.md", dir, dir), 0);
    /* no common pair at all: stated, not an error */
    bench("far", SUITE_HEAD("far", "2", "rprop") ROSENBROCK);
    assert_int_equal(sh("%s compare %s/a %s/far --out %s/af --quiet", bin, dir, dir, dir), 0);
    assert_int_equal(sh("grep -q 'No common pair' %s/af/compare.md", dir), 0);
}

/* a plugin's directory against the built-ins' (the example plugin compiled here, with the
 * one cc command a user's plugin takes) */
static void test_plugin(void **st)
{
    (void)st;
    suite_a();
    char so[PATH_MAX], text[PATH_MAX + 1024];
    assert_int_equal(sh("cc -std=c11 -O2 -Wall -fPIC -shared -Iinclude "
                        "examples/plugins/sign_descent.c -o %s/sign_descent.so -lm", dir), 0);
    snprintf(text, sizeof text, "%s/sign_descent.so", dir);
    if (!realpath(text, so)) fail_msg("no %s", text);
    snprintf(text, sizeof text, SUITE_HEAD("plug", "3", "gd %s") QUADRATIC SADDLE, so);
    bench("plug", text);
    assert_int_equal(sh("%s compare %s/a %s/plug --out %s/ap --quiet", bin, dir, dir, dir), 0);
    ob_table r = tab_in("ap", "ranking.csv");
    assert_int_equal(r.rows, 2 * 2); /* gd on both workloads, in A and B */
    ob_table_free(&r);
    assert_int_equal(sh("grep -q 'sign' %s/ap/unmatched.csv", dir), 0);
    check_scores("ap");
}

/* network workloads: ranked by validation accuracy, scored by the epochs to their target
 * (check_scores), a figure; against itself, the pair with the best accuracy scores 1 */
static void test_network(void **st)
{
    (void)st;
    bench("net", "[suite]\nname = net\noptimizers = adam momentum\nnet-seeds = 3\n"
                 "net-lr-from = 1e-3\nnet-lr-to = 1e-2\nnet-lr-per-decade = 1\n\n"
                 "[workload tiny]\nnetwork = softmax\nsubset = 500\nbatch = 128\nepochs = 2\n");
    assert_int_equal(sh("%s compare %s/net %s/net --out %s/nn --quiet", bin, dir, dir, dir), 0);
    ob_table r = tab_in("nn", "ranking.csv");
    assert_int_equal(r.rows, 4);
    for (size_t i = 0; i < r.rows; i++) {
        assert_string_equal(ob_table_str(&r, i, ob_table_col(&r, "metric")), "best_val_acc");
        double m = ob_table_num(&r, i, ob_table_col(&r, "median"));
        assert_true(m > 0.1 && m <= 1); /* better than chance on 10 classes */
    }
    const char *best = ob_table_str(&r, 0, ob_table_col(&r, "optimizer"));
    check_scores("nn");
    ob_table s = tab_in("nn", "scores.csv");
    assert_int_equal(s.rows, 4); /* 2 optimizers x 2 directories */
    for (size_t i = 0; i < s.rows; i++) {
        assert_int_equal((int)ob_table_num(&s, i, ob_table_col(&s, "network_workloads")), 1);
        if (!strcmp(ob_table_str(&s, i, ob_table_col(&s, "optimizer")), best))
            assert_true(ob_table_num(&s, i, ob_table_col(&s, "score")) == 1);
    }
    ob_table_free(&s);
    ob_table_free(&r);
    assert_int_equal(sh("test -s %s/nn/figures/compare-tiny.png && grep -q 'epochs to ' "
                        "%s/nn/compare.md", dir, dir), 0);
}

/* one suite with momentum 0.9 (A) and with 0.5 (B): momentum is labelled with its option
 * in each directory (ranking.csv, scores.csv) and the document lists the difference and
 * what was compared with what; gd and adam, the same in both, keep their names */
static void test_changed_options(void **st)
{
    (void)st;
    suite_a();
    bench("mu", SUITE_HEAD("small", "3", "gd adam momentum") "[optimizer momentum]\nmomentum = 0.5\n\n"
          QUADRATIC SADDLE);
    assert_int_equal(sh("%s compare %s/a %s/mu --out %s/amu --quiet", bin, dir, dir, dir), 0);
    static const char *const tables[] = {"ranking.csv", "scores.csv"};
    for (int t = 0; t < 2; t++) {
        ob_table r = tab_in("amu", tables[t]);
        int seen = 0;
        for (size_t i = 0; i < r.rows; i++) {
            const char *o = ob_table_str(&r, i, ob_table_col(&r, "optimizer")),
                       *lab = ob_table_str(&r, i, ob_table_col(&r, "dir"));
            if (!strncmp(o, "momentum", 8)) {
                assert_string_equal(o, !strcmp(lab, "A") ? "momentum(momentum=0.9)"
                                                         : "momentum(momentum=0.5)");
                seen++;
            } else {
                assert_true(!strcmp(o, "gd") || !strcmp(o, "adam"));
            }
        }
        assert_int_equal(seen, t ? 2 : 2 * 2); /* scores: A and B; ranking: 2 workloads too */
        ob_table_free(&r);
    }
    assert_int_equal(sh("grep -q 'Options that differ' %s/amu/compare.md && grep -q \"B's "
                        "\\`momentum(momentum=0.5)\\` is compared with A's "
                        "\\`momentum(momentum=0.9)\\`\" %s/amu/compare.md", dir, dir), 0);
    /* a directory against itself: no option differs, plain names */
    assert_int_equal(sh("grep -q 'Options that differ' %s/aa/compare.md || ! grep -q "
                        "'momentum(' %s/aa/ranking.csv", dir, dir), 0);
}

/* ---- the changes' statistics on fixture directories ---------------------------------- */

/* A fixture results directory dir/sub, as bench writes one: workloads w00 .. w(nw-1), each
 * with the optimizer gd on seeds 1..ns, whose run reaches the gap 1e-7 (below every
 * target) at its one logged step after x(w, s) gradient evaluations. */
typedef double (*fixture_fn)(size_t w, int s, void *ctx);
static void fixture(const char *sub, size_t nw, int ns, fixture_fn x, void *ctx)
{
    for (size_t w = 0; w < nw; w++) {
        char d[512];
        snprintf(d, sizeof d, "%s/%s/runs/w%02zu/gd", dir, sub, w);
        assert_int_equal(sh("mkdir -p %s", d), 0);
        for (int s = 1; s <= ns; s++) {
            double e = x(w, s, ctx);
            char path[600];
            snprintf(path, sizeof path, "%s/seed-%d.csv", d, s);
            FILE *f = fopen(path, "w");
            fprintf(f, "step,loss,grad_norm,evals,lr,seconds\n0,1,1,0,0.1,0\n1,1e-7,0,%.17g,0.1,0\n", e);
            fclose(f);
            snprintf(path, sizeof path, "%s/seed-%d.summary.csv", d, s);
            f = fopen(path, "w");
            fprintf(f, "problem,optimizer,schedule,lr,seed,noise,batch,steps,status,steps_done,"
                       "diverged_step,f0,final_loss,final_gap,final_grad_norm,last_finite_loss,"
                       "f_star,f_star_kind,evals,seconds,seconds_per_step\n"
                       "quadratic,gd,constant,0.1,%d,0,0,1,ok,1,-1,1,1e-7,1e-7,0,1e-7,0,exact,"
                       "%.17g,0,0\n", s, e);
            fclose(f);
        }
    }
}

/* the hand-worked fixture: 5 seeds; w00: A 100..104, B 50..54; w01: both 100..104;
 * w02: A 100..104, B 50, 51, 52, 53, 105 */
static double by_hand(size_t w, int s, void *ctx)
{
    int b = *(int *)ctx;
    if (!b || w == 1) return 99 + s;
    return w == 2 && s == 5 ? 105 : 49 + s;
}

/* changes.csv's row of workload w */
static size_t change_row(const ob_table *c, const char *w)
{
    for (size_t i = 0; i < c->rows; i++)
        if (!strcmp(ob_table_str(c, i, ob_table_col(c, "workload")), w)) return i;
    fail_msg("no change of %s", w);
    return 0;
}

/* Ratios, intervals, p-values and Holm's correction worked by hand.  The ratio of the
 * medians is 52/102 on w00 and w02, 1 on w01; a bootstrap median lies within its sample's
 * range, which bounds the intervals: [50/104, 54/100] on w00, [50/104, 105/100] on w02.
 * Mann-Whitney, 5 against 5, exact: on w00 the samples are apart, U = 0, p = 2/C(10, 5) =
 * 2/252; on w02 U = 5 (B's 105 above all of A's five), and the counts of U = 0..5 are the
 * partitions of u in a 5 x 5 box, 1 1 2 3 5 7, so p = 2 * 19/252 = 38/252; on w01 the
 * samples are the same, p = 1.  Holm over the 3: 3 * 2/252, then max(that, 2 * 38/252),
 * then 1: only w00 is flagged. */
static void test_changes_by_hand(void **st)
{
    (void)st;
    int a = 0, b = 1;
    fixture("ha", 3, 5, by_hand, &a);
    fixture("hb", 3, 5, by_hand, &b);
    assert_int_equal(sh("%s compare %s/ha %s/hb --out %s/hab --quiet", bin, dir, dir, dir), 0);
    ob_table c = tab_in("hab", "changes.csv");
    assert_int_equal(c.rows, 3);
    int rc = ob_table_col(&c, "ratio"), lc = ob_table_col(&c, "ci_lo"), hc = ob_table_col(&c, "ci_hi"),
        pc = ob_table_col(&c, "p"), hp = ob_table_col(&c, "p_holm"), fc = ob_table_col(&c, "flagged");
    const double p[3] = {2.0 / 252, 1, 38.0 / 252}, holm[3] = {3 * 2.0 / 252, 1, 2 * 38.0 / 252};
    for (int w = 0; w < 3; w++) {
        char name[8];
        snprintf(name, sizeof name, "w%02d", w);
        size_t i = change_row(&c, name);
        assert_string_equal(ob_table_str(&c, i, ob_table_col(&c, "metric")), "evals_to_1e-6");
        double r = ob_table_num(&c, i, rc), lo = ob_table_num(&c, i, lc), hi = ob_table_num(&c, i, hc);
        if (w == 1) { /* 100..104 over 100..104 */
            assert_true(r == 1 && lo >= 100.0 / 104 && hi <= 104.0 / 100 && lo < hi);
        } else { /* 50..54 (w02: or 105) over 100..104 */
            assert_true(fabs(r - 52.0 / 102) < 1e-15);
            assert_true(lo >= 50.0 / 104 && lo < r && r < hi && hi <= (w ? 105.0 : 54.0) / 100);
        }
        assert_true(fabs(ob_table_num(&c, i, pc) - p[w]) < 1e-12);
        assert_true(fabs(ob_table_num(&c, i, hp) - holm[w]) < 1e-12);
        assert_string_equal(ob_table_str(&c, i, fc), w == 0 ? "yes" : "no");
    }
    ob_table_free(&c);
    /* the flagged change in words */
    assert_int_equal(sh("grep -q 'B reaches 1e-6 in 0.51× the evaluations of A (95 %% CI "
                        "[0-9.]*–[0-9.]*, p = 0.0079, Holm-adjusted 0.024)' %s/hab/compare.md",
                        dir), 0);
}

/* x = 1000 exp(0.3 z), z standard normal from GSL's mt19937 with a fixed seed (one RNG
 * per directory, drawn in file order); the first `shifted` workloads of B are 0.3 x */
typedef struct {
    gsl_rng *r;
    size_t shifted;
} draw_ctx;

static double lognormal(size_t w, int s, void *ctx)
{
    (void)s;
    draw_ctx *c = ctx;
    double x = 1000 * exp(0.3 * gsl_ran_gaussian(c->r, 1));
    return w < c->shifted ? 0.3 * x : x;
}

/* two directories of nw workloads x ns seeds, A's and B's drawn from the same
 * distribution but on the first `shifted` workloads of B; returns how many of the shifted
 * workloads are flagged, and in *others how many of the rest */
static int flagged(const char *name, size_t nw, int ns, size_t shifted, int *others)
{
    char a[64], b[64], out[64];
    snprintf(a, sizeof a, "%s-a", name), snprintf(b, sizeof b, "%s-b", name);
    snprintf(out, sizeof out, "%s-ab", name);
    draw_ctx ca = {gsl_rng_alloc(gsl_rng_mt19937), 0}, cb = {gsl_rng_alloc(gsl_rng_mt19937), shifted};
    gsl_rng_set(ca.r, 11), gsl_rng_set(cb.r, 12);
    fixture(a, nw, ns, lognormal, &ca);
    fixture(b, nw, ns, lognormal, &cb);
    gsl_rng_free(ca.r), gsl_rng_free(cb.r);
    assert_int_equal(sh("%s compare %s/%s %s/%s --out %s/%s --quiet", bin, dir, a, dir, b, dir, out), 0);
    ob_table c = tab_in(out, "changes.csv");
    assert_int_equal(c.rows, nw);
    int n = 0;
    *others = 0;
    for (size_t i = 0; i < c.rows; i++) {
        int f = !strcmp(ob_table_str(&c, i, ob_table_col(&c, "flagged")), "yes");
        size_t w = (size_t)atoi(ob_table_str(&c, i, ob_table_col(&c, "workload")) + 1);
        if (w < shifted && f) /* 0.3x: the interval excludes 1 too */
            assert_true(ob_table_num(&c, i, ob_table_col(&c, "ci_hi")) < 1);
        if (w < shifted) n += f;
        else *others += f;
    }
    ob_table_free(&c);
    return n;
}

/* Holm's promise on compare's own tests (ob_cmp_test, ob_cmp_holm, what compare runs on
 * each pair): 100 comparisons of 24 unchanged workloads, 10 seeds a side, all drawn from
 * one distribution (GSL's mt19937, seed 20).  Each comparison flags anything with
 * probability at most 5 %, so the number that do is at most Binomial(100, 0.05), above 12
 * with probability below 0.2 %.  Without the correction (p < 0.05 alone) about
 * 1 - 0.95^24 = 71 % would: that count is checked too, so the test tells them apart. */
static void test_holm_promise(void **st)
{
    (void)st;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20);
    int any_holm = 0, any_raw = 0;
    ob_cmp_change c[24];
    for (int f = 0; f < 100; f++) {
        int raw = 0, holm = 0;
        for (int w = 0; w < 24; w++) {
            double a[10], b[10];
            for (int i = 0; i < 10; i++) a[i] = 1000 * exp(0.3 * gsl_ran_gaussian(r, 1));
            for (int i = 0; i < 10; i++) b[i] = 1000 * exp(0.3 * gsl_ran_gaussian(r, 1));
            assert_int_equal(ob_cmp_test(a, 10, b, 10, &c[w]), 0);
            raw |= c[w].p < OB_ALPHA;
        }
        ob_cmp_holm(c, 24);
        for (int w = 0; w < 24; w++) holm |= c[w].flagged;
        any_holm += holm, any_raw += raw;
    }
    gsl_rng_free(r);
    assert_true(any_holm <= 12);
    assert_true(any_raw > 50);
}

/* compare itself on fixture directories (A's draws from GSL seed 11, B's from 12, chosen
 * once): 24 unchanged workloads with 5 seeds each flag nothing, and cannot: the smallest p
 * of 5 against 5, 2/252, times 24 is above 0.05, which the document says.  A real shift
 * (B 0.3x) is flagged there: on 4 of 24 workloads with 10 seeds, and on 2 of 4 with 5
 * seeds (2/252 times 4 is below 0.05).  Of the 20 unchanged workloads with 10 seeds, these
 * draws flag one (w11, p = 0.001, Holm-adjusted 0.02): the at most 5 % chance that each
 * comparison takes, whose rate test_holm_promise checks; more than one fails here. */
static void test_false_positives(void **st)
{
    (void)st;
    int others;
    assert_int_equal(flagged("null5", 24, 5, 0, &others), 0);
    assert_int_equal(others, 0);
    assert_int_equal(sh("grep -q 'These seeds cannot flag anything' %s/null5-ab/compare.md", dir), 0);
    assert_int_equal(flagged("shift10", 24, 10, 4, &others), 4);
    assert_true(others <= 1);
    assert_int_equal(sh("! grep -q 'These seeds cannot' %s/shift10-ab/compare.md", dir), 0);
    assert_int_equal(flagged("shift5", 4, 5, 2, &others), 2);
    assert_int_equal(others, 0);
}

static void test_refusals(void **st)
{
    (void)st;
    suite_a();
    suite_b();
    assert_int_equal(sh("%s compare %s/a %s/nowhere --out %s/x 2>%s/err", bin, dir, dir, dir,
                        dir), 2);
    assert_int_equal(sh("test $(wc -l < %s/err) -eq 1 && grep -q 'nowhere' %s/err", dir, dir), 0);
    assert_int_equal(sh("%s compare %s/a --out %s/x 2>/dev/null", bin, dir, dir), 2);
    /* the output would replace a results directory's tables */
    assert_int_equal(sh("%s compare %s/a %s/b --out %s/b 2>/dev/null", bin, dir, dir, dir), 2);
    sh("mkdir -p %s/newer/runs && echo '{\"format\": %d}' > %s/newer/optbench.json", dir,
       OB_PROVENANCE_FORMAT_FOR_TEST, dir);
    assert_int_equal(sh("%s compare %s/a %s/newer --out %s/x 2>%s/err", bin, dir, dir, dir,
                        dir), 2);
    assert_int_equal(sh("grep -q 'format %d is newer' %s/err", OB_PROVENANCE_FORMAT_FOR_TEST,
                        dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_seed_counts), cmocka_unit_test(test_against_itself),
        cmocka_unit_test(test_reference_unranked),
        cmocka_unit_test(test_two_suites),      cmocka_unit_test(test_plugin),
        cmocka_unit_test(test_network),         cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_algoperf_golden), cmocka_unit_test(test_changed_options),
        cmocka_unit_test(test_changes_by_hand), cmocka_unit_test(test_false_positives),
        cmocka_unit_test(test_holm_promise),
    };
    return ob_run_tests("compare", tests, setup, teardown);
}
