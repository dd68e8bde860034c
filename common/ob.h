/* ob.h - status codes and small shared helpers used by every part of optbench.
 *
 * Library code (optimizers/, problems/, common/) returns one of these codes and never
 * prints or exits; only cli/main.c turns a code into a message and an exit status. */
#ifndef OB_H
#define OB_H

#include <stddef.h>

/* ob_status, ob_dtype and ob_error are part of the public plugin interface */
#include "include/optbench.h"

const char *ob_status_name(ob_status s);

/* Formats the message into e (when e is not NULL) and returns s, so that library code
 * can write `return ob_fail(err, OB_EINVAL, "--dim must be >= 1, got %zu", d);`. */
ob_status ob_fail(ob_error *e, ob_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A macro's value as a string literal: OB_STR(OB_FASHION_MNIST_VAL) is "6000", so that a
 * default defined once as a number can also appear in a help text. */
#define OB_STR(x) OB_STR_(x)
#define OB_STR_(x) #x

/* Loops over more elements than this are split across OpenMP threads.  Splitting is
 * by element and every element's arithmetic is independent of the split, so results
 * are bit-identical for any thread count. */
#define OB_PAR_MIN ((size_t)1 << 15)

/* Hot elementwise kernels are compiled twice (AVX2 and baseline x86-64) and the loader
 * picks one.  -ffp-contract=off keeps both bit-identical: no FMA contraction, and
 * vector sqrt/div are correctly rounded like the scalar ones. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__SANITIZE_ADDRESS__)
#define OB_HOT __attribute__((target_clones("avx2", "default")))
#else
#define OB_HOT
#endif

/* Sets the number of threads OpenBLAS uses.  Its threaded dgemv splits the sums by
 * thread, so the last bits of a result depend on the count: the analytic problems (small
 * matrices, where threads only cost) run BLAS on one thread, which keeps `optbench run`
 * bit-identical whatever the machine's core count or a benchmark's --jobs. */
void ob_blas_threads(int n);

/* Deterministic sums: the sum is accumulated in fixed blocks of OB_SUM_BLOCK elements
 * whose partial sums are then added in order, so the result does not depend on the
 * number of threads. */
#define OB_SUM_BLOCK 4096
double ob_sum_sq(const double *x, size_t n);           /* sum x_i^2 */
double ob_dot(const double *x, const double *y, size_t n); /* sum x_i y_i */

#endif
