/* linalg.c - random orthogonal matrices, Gram matrices and symmetric eigenvalues via GSL.
 *
 * Nothing here is hand-written linear algebra: QR is gsl_linalg_QR_decomp_r (blocked),
 * the products are CBLAS dgemm/dsyrk (OpenBLAS at link time) and the eigenvalues are
 * gsl_eigen_symm(v).  GSL's error handler is the caller's business (main turns it off);
 * the status codes GSL returns are checked either way. */
#include "problems/linalg.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_eigen.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort_vector.h>

ob_status ob_linalg_random_orthonormal(gsl_rng *r, size_t rows, size_t cols, double *Q,
                                       ob_error *err)
{
    if (cols == 0 || rows < cols)
        return ob_fail(err, OB_EINVAL, "random orthonormal: need rows >= cols >= 1, got %zu x %zu",
                       rows, cols);
    gsl_matrix *G = gsl_matrix_alloc(rows, cols); /* (rows, cols) Gaussian, then packed QR */
    gsl_matrix *T = gsl_matrix_alloc(cols, cols); /* (cols, cols) block reflector */
    gsl_matrix *W = gsl_matrix_alloc(cols, cols); /* (cols, cols) T V1^T */
    if (!G || !T || !W) {
        gsl_matrix_free(G), gsl_matrix_free(T), gsl_matrix_free(W);
        return ob_fail(err, OB_ENOMEM, "random orthonormal: out of memory for %zu x %zu", rows,
                       cols);
    }
    /* draw row by row so that the stream, hence the matrix, depends only on the seed */
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++) gsl_matrix_set(G, i, j, gsl_ran_gaussian(r, 1.0));
    /* G = Q R with Q = I - V T V^T (recursive blocked Householder QR, Elmroth & Gustavson
     * 2000, as GSL implements it): R in the upper triangle of G, V unit lower trapezoidal
     * below the diagonal of G */
    int rc = gsl_linalg_QR_decomp_r(G, T);
    gsl_matrix_view Qv = gsl_matrix_view_array(Q, rows, cols);
    if (rc == 0) {
        /* thin Q = Q [I; 0] = [I; 0] - V (T V1^T), V1 the top (cols, cols) block of V: one
         * dtrmm and one dgemm instead of forming the full (rows, rows) Q */
        for (size_t i = 0; i < cols; i++)
            for (size_t j = 0; j < cols; j++)
                gsl_matrix_set(W, i, j, j > i ? gsl_matrix_get(G, j, i) : (double)(i == j));
        gsl_blas_dtrmm(CblasLeft, CblasUpper, CblasNoTrans, CblasNonUnit, 1.0, T, W);
        double *diag = T->data; /* T is spent: keep diag(R) in its first row */
        for (size_t j = 0; j < cols; j++) {
            diag[j] = gsl_matrix_get(G, j, j);
            for (size_t i = 0; i <= j && i < rows; i++) gsl_matrix_set(G, i, j, i == j); /* G := V */
        }
        gsl_matrix_set_identity(&Qv.matrix);
        rc = gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, -1.0, G, W, 1.0, &Qv.matrix);
        /* Householder QR leaves diag(R) of either sign; Q diag(sign R_jj) is Haar (Mezzadri) */
        for (size_t j = 0; rc == 0 && j < cols; j++)
            if (diag[j] < 0) {
                gsl_vector_view c = gsl_matrix_column(&Qv.matrix, j);
                gsl_vector_scale(&c.vector, -1.0);
            }
    }
    gsl_matrix_free(G), gsl_matrix_free(T), gsl_matrix_free(W);
    if (rc) return ob_fail(err, OB_EINVAL, "random orthonormal: GSL QR failed (%s)", gsl_strerror(rc));
    return OB_OK;
}

ob_status ob_linalg_q_diag_qt(const double *Q, const double *lam, size_t n, double *A,
                              ob_error *err)
{
    double *QL = malloc(n * n * sizeof *QL);         /* (n, n) Q diag(lam) */
    if (!QL) return ob_fail(err, OB_ENOMEM, "out of memory for a %zu x %zu matrix", n, n);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) QL[i * n + j] = Q[i * n + j] * lam[j];
    gsl_matrix_const_view Qv = gsl_matrix_const_view_array(Q, n, n);
    gsl_matrix_const_view Lv = gsl_matrix_const_view_array(QL, n, n);
    gsl_matrix_view Av = gsl_matrix_view_array(A, n, n);
    /* A = (Q diag(lam)) Q^T */
    int rc = gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &Lv.matrix, &Qv.matrix, 0.0, &Av.matrix);
    free(QL);
    if (rc) return ob_fail(err, OB_EINVAL, "GSL dgemm failed (%s)", gsl_strerror(rc));
    /* rounding makes A_ij and A_ji differ in the last bit; average them */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) A[i * n + j] = A[j * n + i] = 0.5 * (A[i * n + j] + A[j * n + i]);
    return OB_OK;
}

void ob_linalg_gram(const double *A, size_t N, size_t d, double scale, double *H)
{
    gsl_matrix_const_view Av = gsl_matrix_const_view_array(A, N, d);
    gsl_matrix_view Hv = gsl_matrix_view_array(H, d, d);
    /* H = scale A^T A, lower triangle only (dsyrk), then mirrored to the upper one */
    gsl_blas_dsyrk(CblasLower, CblasTrans, scale, &Av.matrix, 0.0, &Hv.matrix);
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++) H[i * d + j] = H[j * d + i];
}

ob_status ob_linalg_symm_eig(double *H, size_t d, double *eval, double *V, ob_error *err)
{
    gsl_matrix_view Hv = gsl_matrix_view_array(H, d, d);
    gsl_vector_view ev = gsl_vector_view_array(eval, d);
    int rc;
    if (V) {
        gsl_eigen_symmv_workspace *w = gsl_eigen_symmv_alloc(d);
        if (!w) return ob_fail(err, OB_ENOMEM, "out of memory for a %zu x %zu eigenproblem", d, d);
        gsl_matrix_view Vv = gsl_matrix_view_array(V, d, d);
        rc = gsl_eigen_symmv(&Hv.matrix, &ev.vector, &Vv.matrix, w);
        gsl_eigen_symmv_free(w);
        if (!rc) rc = gsl_eigen_symmv_sort(&ev.vector, &Vv.matrix, GSL_EIGEN_SORT_VAL_ASC);
    } else {
        gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(d);
        if (!w) return ob_fail(err, OB_ENOMEM, "out of memory for a %zu x %zu eigenproblem", d, d);
        rc = gsl_eigen_symm(&Hv.matrix, &ev.vector, w);
        gsl_eigen_symm_free(w);
        if (!rc) gsl_sort_vector(&ev.vector);
    }
    if (rc) return ob_fail(err, OB_EINVAL, "GSL symmetric eigensolver failed (%s)", gsl_strerror(rc));
    return OB_OK;
}

double ob_rowscaled_variance(const double *A, size_t N, size_t d, const double *c)
{
    double *gbar = calloc(d, sizeof *gbar); /* (d) mean gradient */
    if (!gbar) return NAN;
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)N, (int)d, 1.0 / (double)N, A, (int)d, c, 1, 0.0,
                gbar, 1);
    double v = 0;
    for (size_t i = 0; i < N; i++) {
        const double *a = A + i * d;
        for (size_t j = 0; j < d; j++) {
            double dev = c[i] * a[j] - gbar[j];
            v += dev * dev;
        }
    }
    free(gbar);
    return v / (double)N;
}
