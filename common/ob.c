/* ob.c - status names and deterministic blocked reductions. */
#include "common/ob.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* OpenBLAS's own entry point (its cblas.h would clash with GSL's gsl_cblas.h) */
extern void openblas_set_num_threads(int num_threads);

void ob_blas_threads(int n) { openblas_set_num_threads(n); }

ob_status ob_fail(ob_error *e, ob_status s, const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return s;
}

const char *ob_status_name(ob_status s)
{
    switch (s) {
    case OB_OK: return "ok";
    case OB_EINVAL: return "invalid";
    case OB_ENOMEM: return "out-of-memory";
    case OB_EIO: return "io-error";
    case OB_EDATA: return "bad-data";
    case OB_DIVERGED: return "diverged";
    case OB_STALLED: return "stalled";
    case OB_INTERRUPTED: return "interrupted";
    }
    return "unknown";
}

OB_HOT static double block_dot(const double *restrict x, const double *restrict y, size_t n)
{
    /* four accumulators let the compiler vectorize without reassociating freely */
    double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    size_t i = 0;
    for (; i + 4 <= n; i += 4) {
        a0 += x[i] * y[i];
        a1 += x[i + 1] * y[i + 1];
        a2 += x[i + 2] * y[i + 2];
        a3 += x[i + 3] * y[i + 3];
    }
    for (; i < n; i++) a0 += x[i] * y[i];
    return (a0 + a1) + (a2 + a3);
}

double ob_dot(const double *x, const double *y, size_t n)
{
    if (n <= OB_SUM_BLOCK) return block_dot(x, y, n);
    size_t nb = (n + OB_SUM_BLOCK - 1) / OB_SUM_BLOCK;
    double stackbuf[256];
    double *part = nb <= 256 ? stackbuf : malloc(nb * sizeof *part);
    if (!part) { /* fall back to one serial pass: same blocks, same order */
        double s = 0;
        for (size_t b = 0; b < nb; b++) {
            size_t lo = b * OB_SUM_BLOCK, len = n - lo < OB_SUM_BLOCK ? n - lo : OB_SUM_BLOCK;
            s += block_dot(x + lo, y + lo, len);
        }
        return s;
    }
#pragma omp parallel for schedule(static) if (n >= OB_PAR_MIN)
    for (size_t b = 0; b < nb; b++) {
        size_t lo = b * OB_SUM_BLOCK, len = n - lo < OB_SUM_BLOCK ? n - lo : OB_SUM_BLOCK;
        part[b] = block_dot(x + lo, y + lo, len);
    }
    double s = 0;
    for (size_t b = 0; b < nb; b++) s += part[b];
    if (part != stackbuf) free(part);
    return s;
}

double ob_sum_sq(const double *x, size_t n) { return ob_dot(x, x, n); }
