/* stats.c - see stats.h. */
#include "common/stats.h"

#include <gsl/gsl_sort.h>
#include <math.h>

void ob_sort(double *v, size_t n)
{
    if (n > 1) gsl_sort(v, 1, n);
}

double ob_quantile_sorted(const double *v, size_t n, double q)
{
    if (n == 0) return NAN;
    double pos = q * (double)(n - 1);
    size_t lo = (size_t)floor(pos), hi = lo + 1 < n ? lo + 1 : lo;
    double frac = pos - (double)lo;
    if (frac == 0 || v[lo] == v[hi]) return v[lo];
    if (isinf(v[hi])) return INFINITY;
    return v[lo] + frac * (v[hi] - v[lo]);
}

double ob_median(double *v, size_t n)
{
    ob_sort(v, n);
    return ob_quantile_sorted(v, n, 0.5);
}
