/* elementwise.h - one definition of an update rule, loops for both precisions.
 *
 * A rule is a static inline function that updates one coordinate in double:
 *     static inline double RULE(const STATE *s, size_t i, double x, double g)
 * returning the new x_i and updating s's arrays at index i.  OB_ELEMENTWISE(prefix,
 * STATE, RULE) defines prefix_apply(s, x, g, n, dtype) that runs RULE over all n
 * coordinates of float64 or float32 parameters, split across OpenMP threads for large
 * n.  Each element's arithmetic does not depend on the split, so the result is the same
 * for any number of threads, and the same on AVX2 and baseline code paths. */
#ifndef OB_ELEMENTWISE_H
#define OB_ELEMENTWISE_H

#include <stddef.h>

#include "common/ob.h"
#include "optimizers/optimizer.h"

#define OB_ELEMENTWISE(prefix, STATE, RULE)                                                   \
    OB_HOT static void prefix##_range_f64(const STATE *sp, double *restrict x,                \
                                          const double *restrict g, size_t lo, size_t hi)     \
    {                                                                                         \
        const STATE s = *sp; /* a local copy lets the compiler keep the pointers in regs */  \
        for (size_t i = lo; i < hi; i++) x[i] = RULE(&s, i, x[i], g[i]);                     \
    }                                                                                         \
    OB_HOT static void prefix##_range_f32(const STATE *sp, float *restrict x,                 \
                                          const float *restrict g, size_t lo, size_t hi)      \
    {                                                                                         \
        const STATE s = *sp;                                                                  \
        for (size_t i = lo; i < hi; i++) x[i] = (float)RULE(&s, i, (double)x[i], (double)g[i]); \
    }                                                                                         \
    static void prefix##_apply(const STATE *s, void *x, const void *g, size_t n, ob_dtype dt) \
    {                                                                                         \
        if (n < OB_PAR_MIN) {                                                                 \
            if (dt == OB_F64) prefix##_range_f64(s, x, g, 0, n);                              \
            else prefix##_range_f32(s, x, g, 0, n);                                           \
            return;                                                                           \
        }                                                                                     \
        size_t nchunk = (n + OB_PAR_MIN - 1) / OB_PAR_MIN;                                    \
        _Pragma("omp parallel for schedule(static)")                                          \
        for (size_t c = 0; c < nchunk; c++) {                                                 \
            size_t lo = c * OB_PAR_MIN, hi = lo + OB_PAR_MIN < n ? lo + OB_PAR_MIN : n;       \
            if (dt == OB_F64) prefix##_range_f64(s, x, g, lo, hi);                            \
            else prefix##_range_f32(s, x, g, lo, hi);                                         \
        }                                                                                     \
    }

#endif
