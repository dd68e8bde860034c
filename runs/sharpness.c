/* sharpness.c - the top eigenvalue of H (or of P^-1/2 H P^-1/2) by Lanczos.
 *
 * Lanczos (Golub & Van Loan, Matrix Computations, 4th ed., Alg. 10.1.1) with full
 * reorthogonalization (twice, "twice is enough", Parlett): after k products the basis
 * Q_k and T_k = Q_k^T A Q_k (tridiagonal, alpha on the diagonal, beta off it) give Ritz
 * pairs (theta_i, Q_k s_i) from GSL's symmetric eigensolver on T_k, and the residual of
 * a pair is ||A y - theta y|| = beta_k |s_i[k]| (GVL eq. 10.1.5).  The estimate stops at
 * the cap, when that residual falls below tol |theta|, or when beta_k vanishes (Q_k spans
 * an invariant subspace: T_k's eigenvalues are exact, e.g. after n products). */
#include "runs/sharpness.h"

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

ob_status ob_sharpness_alloc(ob_sharpness *s, size_t n, int max_products, double tol,
                             unsigned long seed, ob_error *err)
{
    memset(s, 0, sizeof *s);
    if (n == 0) return ob_fail(err, OB_EINVAL, "sharpness: a problem of dimension 0");
    int k = max_products > 0 ? max_products : OB_SHARP_PRODUCTS;
    if ((size_t)k > n) k = (int)n; /* n products span the whole space */
    s->n = n;
    s->max_products = k;
    s->tol = tol > 0 ? tol : OB_SHARP_TOL;
    s->seed = seed;
    s->v = malloc(n * sizeof *s->v);
    s->Q = malloc(((size_t)k + 1) * n * sizeof *s->Q);
    s->w = malloc(n * sizeof *s->w);
    s->u = malloc(n * sizeof *s->u);
    s->T = malloc((size_t)k * (size_t)k * sizeof *s->T);
    s->evec = malloc((size_t)k * (size_t)k * sizeof *s->evec);
    if (!s->v || !s->Q || !s->w || !s->u || !s->T || !s->evec) {
        ob_sharpness_free(s);
        return ob_fail(err, OB_ENOMEM, "sharpness: out of memory for %zu parameters", n);
    }
    return OB_OK;
}

void ob_sharpness_free(ob_sharpness *s)
{
    free(s->v);
    free(s->Q);
    free(s->w);
    free(s->u);
    free(s->T);
    free(s->evec);
    memset(s, 0, sizeof *s);
}

/* w = A q: H q, or D H D q with D = P^-1/2 */
static ob_status apply(ob_sharpness *s, ob_hvp_fn hvp, void *ctx, const double *P,
                       const double *q, double *w, ob_error *err)
{
    if (!P) return hvp(ctx, q, w, err);
    for (size_t i = 0; i < s->n; i++) s->u[i] = q[i] / sqrt(P[i]);
    ob_status st = hvp(ctx, s->u, w, err);
    for (size_t i = 0; i < s->n; i++) w[i] /= sqrt(P[i]);
    return st;
}

/* the top eigenpair of T_k (k x k, alpha, beta): theta and s (k) */
static ob_status ritz_top(ob_sharpness *s, const double *alpha, const double *beta, int k,
                          double *theta, double *sv, ob_error *err)
{
    memset(s->T, 0, (size_t)k * (size_t)k * sizeof *s->T);
    for (int i = 0; i < k; i++) {
        s->T[i * k + i] = alpha[i];
        if (i + 1 < k) s->T[i * k + i + 1] = s->T[(i + 1) * k + i] = beta[i];
    }
    gsl_matrix_view Tm = gsl_matrix_view_array(s->T, (size_t)k, (size_t)k);
    gsl_matrix_view Em = gsl_matrix_view_array(s->evec, (size_t)k, (size_t)k);
    gsl_vector *ev = gsl_vector_alloc((size_t)k);
    gsl_eigen_symmv_workspace *ws = gsl_eigen_symmv_alloc((size_t)k);
    if (!ev || !ws) {
        gsl_vector_free(ev);
        gsl_eigen_symmv_free(ws);
        return ob_fail(err, OB_ENOMEM, "sharpness: out of memory");
    }
    gsl_eigen_symmv(&Tm.matrix, ev, &Em.matrix, ws);
    gsl_eigen_symmv_sort(ev, &Em.matrix, GSL_EIGEN_SORT_VAL_DESC);
    *theta = gsl_vector_get(ev, 0);
    for (int i = 0; i < k; i++) sv[i] = gsl_matrix_get(&Em.matrix, (size_t)i, 0);
    gsl_vector_free(ev);
    gsl_eigen_symmv_free(ws);
    return OB_OK;
}

/* q_1: the previous Ritz vector, or a Gaussian one from the seed; normalized */
static void start_vector(ob_sharpness *s, double *q)
{
    if (!s->warm) {
        gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(r, s->seed);
        for (size_t i = 0; i < s->n; i++) s->v[i] = r ? gsl_ran_gaussian(r, 1.0) : 1.0;
        gsl_rng_free(r);
    }
    double nv = sqrt(ob_sum_sq(s->v, s->n));
    for (size_t i = 0; i < s->n; i++) q[i] = nv > 0 ? s->v[i] / nv : 1.0 / sqrt((double)s->n);
}

ob_status ob_sharpness_estimate(ob_sharpness *s, ob_hvp_fn hvp, void *ctx,
                                const double *precond, ob_sharp_est *e, ob_error *err)
{
    const size_t n = s->n;
    const int K = s->max_products;
    double alpha[K], beta[K], sv[K]; /* (K) T's diagonal, off-diagonal; a Ritz vector in Q */
    double theta = NAN, res = NAN;
    start_vector(s, s->Q);
    int k = 0;
    while (k < K) {
        double *q = s->Q + (size_t)k * n, *w = s->Q + (size_t)(k + 1) * n;
        ob_status st = apply(s, hvp, ctx, precond, q, w, err);
        if (st != OB_OK) return st;
        alpha[k] = ob_dot(q, w, n);
        /* w -= sum_i (q_i . w) q_i, twice: the three-term recurrence plus full
         * reorthogonalization against every earlier q */
        for (int pass = 0; pass < 2; pass++)
            for (int i = 0; i <= k; i++) {
                const double *qi = s->Q + (size_t)i * n;
                double c = ob_dot(qi, w, n);
                for (size_t j = 0; j < n; j++) w[j] -= c * qi[j];
            }
        beta[k] = sqrt(ob_sum_sq(w, n));
        k++;
        if ((st = ritz_top(s, alpha, beta, k, &theta, sv, err)) != OB_OK) return st;
        if (!isfinite(theta)) break;
        res = fabs(beta[k - 1] * sv[k - 1]) / fabs(theta);
        double scale = fabs(theta) > fabs(alpha[0]) ? fabs(theta) : fabs(alpha[0]);
        if (res <= s->tol || !(beta[k - 1] > 1e-14 * scale)) break;
        for (size_t j = 0; j < n; j++) w[j] /= beta[k - 1];
    }
    /* y = Q_k s: the Ritz vector, the next estimate's start */
    memset(s->v, 0, n * sizeof *s->v);
    for (int i = 0; i < k; i++)
        for (size_t j = 0; j < n; j++) s->v[j] += sv[i] * s->Q[(size_t)i * n + j];
    s->warm = isfinite(theta);
    e->lambda = theta;
    e->residual = res;
    e->products = k;
    return OB_OK;
}
