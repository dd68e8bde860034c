/* test_inference.c - the statistics of tables/inference.h against values worked out by
 * hand: bootstrap intervals of a median from the exact bootstrap distribution of small
 * samples, Mann-Whitney p-values from the permutation distribution (by hand and by
 * enumerating every split in the test) and from R's wilcox.test formula with ties,
 * Holm's correction on a worked example, rank groups 1, 2=, 2=, 4. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "tests/runner.h"

#include <math.h>
#include <string.h>

#include "tables/inference.h"

/* x within tol of want, else a message with both */
#define assert_double_equal(x, want, tol)                                                     \
    do {                                                                                      \
        double x_ = (x), w_ = (want);                                                         \
        if (!(fabs(x_ - w_) <= (tol))) fail_msg("%s = %.17g, want %.17g", #x, x_, w_);       \
    } while (0)

#define B OB_BOOT_RESAMPLES
#define SEED OB_BOOT_SEED

/* The exact bootstrap distribution of the median of 5 distinct values x1 < ... < x5: a
 * resample's median is x_k or less when at least 3 of its 5 draws are among x1..xk, so
 * P(med <= x_k) = sum_{j>=3} C(5,j) p^j (1-p)^(5-j) with p = k/5:
 *   k = 1: 10(.2^3)(.8^2) + 5(.2^4)(.8) + .2^5 = .0512 + .0064 + .00032 = 0.05792
 *   k = 2: 10(.4^3)(.6^2) + 5(.4^4)(.6) + .4^5 = .2304 + .0768 + .01024 = 0.31744
 *   k = 3: 0.5, k = 4: 1 - 0.31744 = 0.68256, k = 5: 1.
 * With B = 2000 the 2.5 % quantile interpolates between the sorted resample medians at
 * (0-based) 49 and 50: it is x1 when at least 51 resamples have median x1, expected
 * 2000 * 0.05792 = 115.8 with sd sqrt(2000 * .05792 * .94208) = 10.4, so 6 sd of margin;
 * the 97.5 % quantile is x5 by symmetry.  At level 0.80 the 10 % quantile sits at 199.9:
 * x2 when fewer than 199 medians are x1 (115.8 +- 10.4) and at least 201 are x2 or less
 * (634.9 +- 20.8): both 8 sd away.  Hence [x1, x5] at 95 % and [x2, x4] at 80 %. */
static void test_boot_five(void **state)
{
    (void)state;
    const double v[5] = {4, 1, 5, 3, 2}; /* unsorted on purpose */
    ob_interval ci;
    assert_int_equal(ob_boot_median(v, 5, 0.95, B, SEED, &ci), 0);
    assert_true(ci.est == 3 && ci.lo == 1 && ci.hi == 5);
    assert_int_equal(ob_boot_median(v, 5, 0.80, B, SEED, &ci), 0);
    assert_true(ci.est == 3 && ci.lo == 2 && ci.hi == 4);
    /* the input is the caller's: left as it was */
    assert_true(v[0] == 4 && v[1] == 1 && v[2] == 5 && v[3] == 3 && v[4] == 2);
}

/* Ties: {3, 3, 3, 8, 9}.  P(med <= 3) = P(>= 3 of 5 draws among the three 3s, p = .6)
 * = 10(.216)(.16) + 5(.1296)(.4) + .07776 = 0.68256; P(med <= 8) (p = .8) = 10(.512)(.04)
 * + 5(.4096)(.2) + .32768 = 0.94208, so P(med = 9) = 0.05792.  95 %: [3, 9] (the 97.5 %
 * point needs at least 51 medians at 9: 115.8 +- 10.4).  80 %: the 90 % point (1799.1)
 * is 8 when at least 1801 medians are 8 or less (1884.2 +- 10.4) and fewer than 1799 are
 * 3 (1365.1 +- 20.8): [3, 8]. */
static void test_boot_ties(void **state)
{
    (void)state;
    const double v[5] = {8, 3, 9, 3, 3};
    ob_interval ci;
    assert_int_equal(ob_boot_median(v, 5, 0.95, B, SEED, &ci), 0);
    assert_true(ci.est == 3 && ci.lo == 3 && ci.hi == 9);
    assert_int_equal(ob_boot_median(v, 5, 0.80, B, SEED, &ci), 0);
    assert_true(ci.est == 3 && ci.lo == 3 && ci.hi == 8);
}

/* Seeds that never reached a target count +inf: {10, 20, 30, inf, inf} has median 30;
 * P(med = inf) = P(med >= x4) = 1 - P(med <= x3) = 0.5, so the upper end is +inf, and
 * P(med = 10) = 0.05792 puts the lower end at 10 as above. */
static void test_boot_inf(void **state)
{
    (void)state;
    const double v[5] = {INFINITY, 20, 10, INFINITY, 30};
    ob_interval ci;
    assert_int_equal(ob_boot_median(v, 5, 0.95, B, SEED, &ci), 0);
    assert_true(ci.est == 30 && ci.lo == 10);
    assert_true(isinf(ci.hi) && ci.hi > 0);
    /* all +inf: every resample's median is +inf */
    const double w[5] = {INFINITY, INFINITY, INFINITY, INFINITY, INFINITY};
    assert_int_equal(ob_boot_median(w, 5, 0.95, B, SEED, &ci), 0);
    assert_true(isinf(ci.est) && isinf(ci.lo) && isinf(ci.hi));
}

/* All equal: a zero-width interval; one value: lo == hi == est; none: NaN. */
static void test_boot_degenerate(void **state)
{
    (void)state;
    const double v[5] = {0.25, 0.25, 0.25, 0.25, 0.25};
    ob_interval ci;
    assert_int_equal(ob_boot_median(v, 5, 0.95, B, SEED, &ci), 0);
    assert_true(ci.est == 0.25 && ci.lo == 0.25 && ci.hi == 0.25);
    assert_int_equal(ob_boot_median(v, 1, 0.95, B, SEED, &ci), 0);
    assert_true(ci.est == 0.25 && ci.lo == 0.25 && ci.hi == 0.25);
    assert_int_equal(ob_boot_median(v, 0, 0.95, B, SEED, &ci), 0);
    assert_true(isnan(ci.est) && isnan(ci.lo) && isnan(ci.hi));
}

/* The same sample and seed give the same bits, also after a call with another seed (no
 * state survives a call); the sample is one where the ends fall between resample
 * medians, so the bits depend on every draw. */
static void test_boot_reproducible(void **state)
{
    (void)state;
    double v[12];
    for (int i = 0; i < 12; i++) v[i] = sin(1.0 + i) * 10; /* 12 distinct values */
    ob_interval c1, c2, c3;
    assert_int_equal(ob_boot_median(v, 12, 0.95, B, SEED, &c1), 0);
    assert_int_equal(ob_boot_median(v, 12, 0.95, B, SEED + 1, &c2), 0);
    assert_int_equal(ob_boot_median(v, 12, 0.95, B, SEED, &c3), 0);
    assert_memory_equal(&c1, &c3, sizeof c1);
    assert_true(c1.lo < c1.est && c1.est < c1.hi);
    ob_interval r1, r2;
    assert_int_equal(ob_boot_ratio(v, 6, v + 6, 6, 0.95, B, SEED, &r1), 0);
    assert_int_equal(ob_boot_ratio(v, 6, v + 6, 6, 0.95, B, SEED, &r2), 0);
    assert_memory_equal(&r1, &r2, sizeof r1);
}

/* The ratio median(b) / median(a).  a all 2, b = {1..5}: every resample of a has median
 * 2, so the ratio's distribution is b's median's over 2: 1.5 in [0.5, 2.5].  a all 0:
 * +inf.  inf/inf: NaN, and every resample is NaN, so no interval.  a = b = {1, 1, 1, inf,
 * inf}: a resample's median is inf with probability P(>= 3 of 5 draws inf, p = .4) =
 * 10(.064)(.36) + 5(.0256)(.6) + .01024 = 0.31744; inf/inf resamples (0.1008) are
 * dropped, of the rest 1/inf = 0 has 0.31744 * 0.68256 / 0.8992 = 0.241 and inf/1 the
 * same: the interval is [0, inf] around 1. */
static void test_boot_ratio(void **state)
{
    (void)state;
    const double two[5] = {2, 2, 2, 2, 2}, b[5] = {5, 4, 3, 2, 1}, zero[5] = {0};
    ob_interval ci;
    assert_int_equal(ob_boot_ratio(two, 5, b, 5, 0.95, B, SEED, &ci), 0);
    assert_true(ci.est == 1.5 && ci.lo == 0.5 && ci.hi == 2.5);
    assert_int_equal(ob_boot_ratio(zero, 5, b, 5, 0.95, B, SEED, &ci), 0);
    assert_true(isinf(ci.est) && isinf(ci.lo) && isinf(ci.hi));
    const double inf[3] = {INFINITY, INFINITY, INFINITY};
    assert_int_equal(ob_boot_ratio(inf, 3, inf, 3, 0.95, B, SEED, &ci), 0);
    assert_true(isnan(ci.est) && isnan(ci.lo) && isnan(ci.hi));
    const double m[5] = {1, INFINITY, 1, INFINITY, 1};
    assert_int_equal(ob_boot_ratio(m, 5, m, 5, 0.95, B, SEED, &ci), 0);
    assert_true(ci.est == 1 && ci.lo == 0 && isinf(ci.hi));
    assert_int_equal(ob_boot_ratio(m, 0, m, 5, 0.95, B, SEED, &ci), 0);
    assert_true(isnan(ci.est));
}

/* Exact p-values worked by hand.  U counts the pairs (a, b) with a > b; with no ties
 * every one of the C(m+n, m) orderings is equally likely.
 * - 3 vs 3 separated: U = 0 in 1 of C(6,3) = 20 orderings, p = 2/20 = 0.1: three seeds
 *   against three never reject at 0.05, whatever the data.
 * - 5 vs 5 separated: p = 2/C(10,5) = 2/252.
 * - {1, 2, 4} vs {3, 5, 6}: U = 1 (4 > 3); U's counts for 3 vs 3 over u = 0..9 are
 *   1 1 2 3 3 3 3 2 1 1, P(U <= 1) = 2/20, p = 0.2.
 * - {1, 3, 5, 7} vs {2, 4}: U = 5 (3>2, 5>2, 5>4, 7>2, 7>4); counts for 4 vs 2 over
 *   u = 0..8 are 1 1 2 2 3 2 2 1 1 (15 = C(6,2)), P(U >= 5) = 6/15, p = 0.8.
 * - 20 vs 20 separated (m n = 400, still exact): 2/C(40,20) = 2/137846528820. */
static void test_mw_exact_by_hand(void **state)
{
    (void)state;
    const double lo[5] = {1, 2, 3, 4, 5}, hi[5] = {11, 12, 13, 14, 15};
    assert_double_equal(ob_mann_whitney_p(lo, 3, hi, 3), 0.1, 1e-15);
    assert_true(ob_mann_whitney_p(lo, 3, hi, 3) >= OB_ALPHA);
    assert_double_equal(ob_mann_whitney_p(lo, 5, hi, 5), 2.0 / 252, 1e-15);
    const double a[3] = {1, 2, 4}, b[3] = {3, 5, 6};
    assert_double_equal(ob_mann_whitney_p(a, 3, b, 3), 0.2, 1e-15);
    const double c[4] = {1, 3, 5, 7}, d[2] = {2, 4};
    assert_double_equal(ob_mann_whitney_p(c, 4, d, 2), 0.8, 1e-15);
    double x[20], y[20];
    for (int i = 0; i < 20; i++) x[i] = i, y[i] = 100 + i;
    assert_double_equal(ob_mann_whitney_p(x, 20, y, 20), 2.0 / 137846528820.0, 1e-24);
    /* symmetry */
    assert_true(ob_mann_whitney_p(hi, 5, lo, 5) == ob_mann_whitney_p(lo, 5, hi, 5));
    assert_true(ob_mann_whitney_p(d, 2, c, 4) == ob_mann_whitney_p(c, 4, d, 2));
    /* an empty sample: 1 */
    assert_true(ob_mann_whitney_p(lo, 0, hi, 5) == 1);
}

/* The permutation distribution, enumerated here: for every way of choosing which m of
 * the m + n pooled values form a, count the splits whose U is at least as far from its
 * mean mn/2 as the observed one; that fraction is the exact two-sided p-value. */
static double enumerate_p(const double *a, int m, const double *b, int n)
{
    double pool[16];
    memcpy(pool, a, m * sizeof *pool);
    memcpy(pool + m, b, n * sizeof *pool);
    int N = m + n;
    double uobs = 0;
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) uobs += a[i] > b[j];
    double far = fabs(uobs - m * n / 2.0), hit = 0, all = 0;
    for (unsigned s = 0; s < 1u << N; s++) {
        if (__builtin_popcount(s) != m) continue;
        double u = 0;
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++)
                if ((s >> i & 1) && !(s >> j & 1)) u += pool[i] > pool[j];
        all++;
        hit += fabs(u - m * n / 2.0) >= far;
    }
    return hit / all;
}

static void test_mw_exact_enumerated(void **state)
{
    (void)state;
    /* distinct values drawn by a small generator, split at several sizes */
    uint64_t s = 7;
    for (int m = 1; m <= 6; m++)
        for (int n = 1; n <= 7; n++)
            for (int rep = 0; rep < 3; rep++) {
                double a[6], b[7];
                for (int i = 0; i < m; i++) a[i] = (double)(ob_test_next(&s) >> 11) / 9e15;
                for (int j = 0; j < n; j++)
                    b[j] = (double)(ob_test_next(&s) >> 11) / 9e15 + rep * 0.2;
                double want = enumerate_p(a, m, b, n);
                assert_double_equal(ob_mann_whitney_p(a, m, b, n), want, 1e-12);
            }
}

/* With ties (the normal approximation), by R's wilcox.test(a, b, correct = TRUE):
 * W = rank sum of a - m(m+1)/2, z = (W - mn/2 - sign * 1/2) / sigma,
 * sigma^2 = mn/12 ((N+1) - sum(t^3 - t) / (N(N-1))), p = 2 Q(|z|).
 * - a = {1, 2, 3, 3, 5}, b = {3, 4, 6, 7, 8}: the three 3s share ranks 3-5 (mid 4), so
 *   ranks of a are 1 2 4 4 7, W = 18 - 15 = 3; W - 12.5 = -9.5, corrected -9;
 *   sigma^2 = 25/12 (11 - 24/90) = 22.3611, sigma = 4.72875; z = -1.90325, p = 0.0570079.
 * - a = {1, 2, 3, inf, inf}, b = {4, 5, 6, inf, inf}: the four inf share ranks 7-10
 *   (mid 8.5); W = 1+2+3+17 - 15 = 8; corrected -4; sigma^2 = 25/12 (11 - 60/90) =
 *   21.5278, sigma = 4.63980; z = -0.862105, p = 0.388629.
 * - 20 vs 21 separated (420 > 400 pairs: normal without ties): W = 0, corrected -209.5,
 *   sigma^2 = 20*21*42/12 = 1470, z = -5.46418, p = 4.6504e-8. */
static void test_mw_normal_ties(void **state)
{
    (void)state;
    const double a[5] = {1, 2, 3, 3, 5}, b[5] = {3, 4, 6, 7, 8};
    assert_double_equal(ob_mann_whitney_p(a, 5, b, 5), 0.0570079424648854, 1e-12);
    assert_double_equal(ob_mann_whitney_p(b, 5, a, 5), 0.0570079424648854, 1e-12);
    const double c[5] = {1, 2, 3, INFINITY, INFINITY}, d[5] = {4, 5, 6, INFINITY, INFINITY};
    assert_double_equal(ob_mann_whitney_p(c, 5, d, 5), 0.388629492740927, 1e-12);
    assert_double_equal(ob_mann_whitney_p(d, 5, c, 5), 0.388629492740927, 1e-12);
    double x[21], y[21];
    for (int i = 0; i < 21; i++) x[i] = i, y[i] = 100 + i;
    assert_double_equal(ob_mann_whitney_p(x, 20, y, 21), 4.650395086620366e-08, 1e-18);
    /* every value equal: nothing tells them apart */
    const double e[4] = {2, 2, 2, 2};
    assert_true(ob_mann_whitney_p(e, 2, e + 2, 2) == 1);
}

/* Holm on p = {0.01, 0.04, 0.03, 0.005}: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1
 * = 0.02, 0.03, 0.06, 0.04, running max 0.02, 0.03, 0.06, 0.06; back in place
 * {0.03, 0.06, 0.06, 0.02}.  A NaN stays NaN and does not count; in place works; the
 * cap: {0.5, 0.6} -> 1.0, max(1.0, 0.6) -> {1, 1}. */
static void test_holm(void **state)
{
    (void)state;
    const double p[4] = {0.01, 0.04, 0.03, 0.005}, want[4] = {0.03, 0.06, 0.06, 0.02};
    double adj[4];
    ob_holm(p, 4, adj);
    for (int i = 0; i < 4; i++) assert_double_equal(adj[i], want[i], 1e-15);
    double q[5] = {0.01, NAN, 0.04, 0.03, 0.005};
    ob_holm(q, 5, q);
    assert_true(isnan(q[1]));
    assert_double_equal(q[0], 0.03, 1e-15);
    assert_double_equal(q[2], 0.06, 1e-15);
    assert_double_equal(q[3], 0.06, 1e-15);
    assert_double_equal(q[4], 0.02, 1e-15);
    double r[2] = {0.5, 0.6};
    ob_holm(r, 2, r);
    assert_true(r[0] == 1 && r[1] == 1);
}

/* Rank groups from a table of p-values P[leader][i]: item 1 differs from the leader 0
 * (0.01: a new group, rank 2); item 2 is compared with its group's leader 1 (0.3: joins),
 * not with item 0 (which would say 0.9); item 3 differs from the leader 1 (0.01: rank 4)
 * although the previous item 2 would say 0.9.  Ranks 1, 2=, 2=, 4. */
static double table_p(void *ctx, size_t leader, size_t i)
{
    const double(*P)[4] = ctx;
    return P[leader][i];
}

static void test_rank_groups(void **state)
{
    (void)state;
    const double P[4][4] = {{1, 0.01, 0.9, 0.9}, {0, 1, 0.3, 0.01}, {0, 0, 1, 0.9}, {0}};
    int rank[4], tied[4];
    ob_rank_groups(4, table_p, (void *)P, OB_ALPHA, rank, tied);
    const int wr[4] = {1, 2, 2, 4}, wt[4] = {0, 1, 1, 0};
    assert_memory_equal(rank, wr, sizeof wr);
    assert_memory_equal(tied, wt, sizeof wt);
}

/* The same through Mann-Whitney on five seeds each: {1..5} < {11..15} ~ {12..16} <
 * {30..34}: 2/252 between separated samples, 0.3976 between the overlapping two. */
typedef struct {
    const double (*v)[5];
} samples;

static double mw_p(void *ctx, size_t leader, size_t i)
{
    const samples *s = ctx;
    return ob_mann_whitney_p(s->v[leader], 5, s->v[i], 5);
}

static void test_rank_groups_mw(void **state)
{
    (void)state;
    const double v[4][5] = {{1, 2, 3, 4, 5}, {11, 12, 13, 14, 15}, {12, 13, 14, 15, 16},
                            {30, 31, 32, 33, 34}};
    samples s = {v};
    int rank[4], tied[4];
    ob_rank_groups(4, mw_p, &s, OB_ALPHA, rank, tied);
    const int wr[4] = {1, 2, 2, 4}, wt[4] = {0, 1, 1, 0};
    assert_memory_equal(rank, wr, sizeof wr);
    assert_memory_equal(tied, wt, sizeof wt);
    /* one item: rank 1, not tied */
    ob_rank_groups(1, mw_p, &s, OB_ALPHA, rank, tied);
    assert_true(rank[0] == 1 && tied[0] == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_boot_five),
        cmocka_unit_test(test_boot_ties),
        cmocka_unit_test(test_boot_inf),
        cmocka_unit_test(test_boot_degenerate),
        cmocka_unit_test(test_boot_reproducible),
        cmocka_unit_test(test_boot_ratio),
        cmocka_unit_test(test_mw_exact_by_hand),
        cmocka_unit_test(test_mw_exact_enumerated),
        cmocka_unit_test(test_mw_normal_ties),
        cmocka_unit_test(test_holm),
        cmocka_unit_test(test_rank_groups),
        cmocka_unit_test(test_rank_groups_mw),
    };
    return ob_run_tests("inference", tests, NULL, NULL);
}
