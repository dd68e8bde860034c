/* inference.h - the statistics behind every ranking and comparison: bootstrap intervals
 * of a median and of a ratio of medians over seeds, the two-sided Mann-Whitney test,
 * Holm's correction, and rank groups.  Everything is reproducible: the bootstrap draws
 * come from GSL's RNG (gsl_rng_mt19937) seeded by the caller, so the same samples and the
 * same seed give the same interval, bit for bit.
 *
 * Samples may hold +inf (a run that never reached its target, a diverged run): it sorts
 * last, ties with other +inf, and a median or bound that falls on it is +inf.  NaN is not
 * a value: callers leave NaNs out (a missing run is not a sample). */
#ifndef OB_INFERENCE_H
#define OB_INFERENCE_H

#include <stddef.h>

/* The level every table uses (95 %) and the number of bootstrap resamples. */
#define OB_CI_LEVEL 0.95
#define OB_BOOT_RESAMPLES 2000
/* The seed of the bootstrap RNG that the tables and compare use. */
#define OB_BOOT_SEED 20201u
/* The significance level of the rank groups and of compare's flags. */
#define OB_ALPHA 0.05

typedef struct {
    double est; /* the statistic on the sample itself (median, or ratio of medians) */
    double lo;  /* the percentile bootstrap interval at the given level */
    double hi;
} ob_interval;

/* The median of v[0..n) with its percentile bootstrap interval: B resamples of size n
 * with replacement, the (1-level)/2 and (1+level)/2 quantiles (ob_quantile_sorted) of
 * their medians.  n == 0: every field NaN; n == 1 (or B == 0): lo == hi == est.
 * Returns 0, or -1 when out of memory. */
int ob_boot_median(const double *v, size_t n, double level, size_t B, unsigned long seed,
                   ob_interval *out);

/* The ratio median(b) / median(a) with its percentile bootstrap interval (a and b are
 * resampled independently, B times).  A ratio of two +inf or of 0/0 is NaN and a
 * resample whose ratio is NaN is dropped (all dropped, or an empty sample: lo and hi NaN);
 * x/0 with x > 0 is +inf.  Returns 0 or -1. */
int ob_boot_ratio(const double *a, size_t na, const double *b, size_t nb, double level,
                  size_t B, unsigned long seed, ob_interval *out);

/* The two-sided p-value of the Mann-Whitney U test of a against b (ties, +inf included,
 * get mid-ranks).  Exact (the permutation distribution of U, by the counting recursion)
 * when there are no ties and na*nb is at most 400; otherwise the normal approximation
 * with the tie correction of the variance and a continuity correction of 1/2 (R's
 * wilcox.test, correct = TRUE).  1 when either sample is empty or every value is equal.
 * Returns the p-value, or NaN when out of memory. */
double ob_mann_whitney_p(const double *a, size_t na, const double *b, size_t nb);

/* Holm's step-down correction of n p-values: with p_(0) <= p_(1) <= ... the sorted
 * p-values, adj[i] = min(1, max over the k <= rank of p[i] of (n - k) * p_(k)), so that
 * rejecting adj[i] < alpha controls the family-wise error at alpha.  NaN p-values are
 * left NaN and not counted in n.  adj may be p. */
void ob_holm(const double *p, size_t n, double *adj);

/* Rank groups of n items already in ranking order (best first): the first item leads
 * group 1; each next item i joins the group of the current leader when the test cannot
 * tell them apart (p(ctx, leader, i) >= alpha, p typically ob_mann_whitney_p on the
 * metric the ranking sorts by), else it leads a new group whose rank is its position
 * (1-based).  rank[i] receives the group's rank and tied[i] 1 when the group has two or
 * more members (a table prints it "2="), else 0: ranks 1, 2=, 2=, 4. */
typedef double (*ob_pvalue_fn)(void *ctx, size_t leader, size_t i);
void ob_rank_groups(size_t n, ob_pvalue_fn p, void *ctx, double alpha, int *rank, int *tied);

#endif
