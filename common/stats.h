/* stats.h - order statistics over a sample: sorting through GSL (gsl_sort) and the
 * quantiles that every table and figure uses (medians, inter-quartile ranges). */
#ifndef OB_STATS_H
#define OB_STATS_H

#include <stddef.h>

/* Sorts v ascending in place (GSL's gsl_sort; +inf sorts last). */
void ob_sort(double *v, size_t n);

/* Quantile q in [0,1] of v, which must be sorted ascending: linear between the order
 * statistics at q*(n-1) (R's type 7, as gsl_stats_quantile_from_sorted_data), NaN for an
 * empty sample.  +inf stays +inf: a diverged run's score is +inf, and GSL's form
 * (1-d)*a + d*b turns 0*inf into NaN, so the interpolation is written as a + d*(b - a),
 * which is exact when a == b and when d == 0. */
double ob_quantile_sorted(const double *v, size_t n, double q);

/* Median of v; sorts v in place. */
double ob_median(double *v, size_t n);

#endif
