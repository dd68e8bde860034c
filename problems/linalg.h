/* linalg.h - the few dense linear-algebra steps the problems need, all through GSL.
 *
 * Matrices are row-major double arrays (GSL's layout), so a problem can keep a plain
 * `double *` and view it with gsl_matrix_view_array when it calls BLAS.  Every function
 * returns OB_OK, OB_ENOMEM, or OB_EINVAL when GSL reports a failure (with err filled). */
#ifndef OB_LINALG_H
#define OB_LINALG_H

#include <stddef.h>

#include <gsl/gsl_rng.h>

#include "common/ob.h"

/* Q (rows x cols, rows >= cols >= 1): orthonormal columns, Haar-distributed.  The QR
 * factorization of a matrix of i.i.d. N(0,1) draws, with column j of Q multiplied by
 * sign(R_jj) so that the factorization is unique (Mezzadri 2007, "How to generate random
 * matrices from the classical compact groups", Notices AMS 54(5), eq. (5.1)). */
ob_status ob_linalg_random_orthonormal(gsl_rng *r, size_t rows, size_t cols, double *Q,
                                       ob_error *err);

/* A = Q diag(lam) Q^T (n x n), Q orthogonal (n x n).  Symmetrized exactly afterwards
 * (A_ij = A_ji bit for bit) so that A x and A^T x agree. */
ob_status ob_linalg_q_diag_qt(const double *Q, const double *lam, size_t n, double *A,
                              ob_error *err);

/* H = scale * A^T A (d x d, full symmetric) for A (N x d): one dsyrk. */
void ob_linalg_gram(const double *A, size_t N, size_t d, double scale, double *H);

/* Eigenvalues of the symmetric H (d x d) in ascending order into eval (d), and when V is
 * not NULL the matching unit eigenvectors as the columns of V (d x d).  H is destroyed. */
ob_status ob_linalg_symm_eig(double *H, size_t d, double *eval, double *V, ob_error *err);

/* For per-sample gradients c_i a_i (a_i the rows of A (N, d), c (N) the derivatives of
 * the losses at the margins): (1/N) sum_i ||c_i a_i - gbar||^2 with gbar = (1/N) A^T c,
 * summed term by term (no cancellation between two large sums). */
double ob_rowscaled_variance(const double *A, size_t N, size_t d, const double *c);

#endif
