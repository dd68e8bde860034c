/* lsq.c - linear least squares as a finite sum, with a prescribed Hessian spectrum.
 *
 * f(x) = (1/(2N)) ||A x - b||^2 + (l2/2)||x||^2 = (1/N) sum_i (1/2)(a_i^T x - b_i)^2 + ...
 * (Bottou, Curtis & Nocedal 2018, SIAM Review 60(2), sec. 2; the smooth strongly convex
 * finite sum of SGD theory).  Synthetic data from --seed: A = U diag(s) V^T with U (N, d)
 * orthonormal columns and V (d, d) orthogonal, both Haar-random, and s_i = sqrt(N lambda_i),
 * lambda_i = kappa^((i-1)/(d-1)), so the Hessian A^T A / N = V diag(lambda) V^T has
 * eigenvalues exactly 1..kappa; b = A x_true + 0.1 e with x_true, e standard normal, so
 * that the residual, hence f*, is positive.  --data FILE.csv: features, then b. */
#include "problems/problem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_randist.h>

#include "common/csvread.h"
#include "problems/linalg.h"

#define LSQ_MAX_DIM 4096 /* x* and L need the (d, d) matrix A^T A */
#define LSQ_NOISE 0.1    /* b = A x_true + 0.1 e */

typedef struct {
    double *A; /* (N, d) row-major */
    double *b; /* (N) targets */
    double l2;
} lsq_impl;

/* r = A x - b (dgemv on a copy of b), f = ||r||^2/(2N) + (l2/2)||x||^2,
 * g = A^T r / N + l2 x (dgemv). */
static double lsq_fdf(const ob_problem *p, const double *x, double *g, double *gnorm2)
{
    const lsq_impl *q = p->impl;
    size_t N = p->n_samples, d = p->dim;
    double *r = malloc(N * sizeof *r); /* (N) residuals */
    if (!r) return NAN;
    memcpy(r, q->b, N * sizeof *r);
    gsl_matrix_const_view Av = gsl_matrix_const_view_array(q->A, N, d);
    gsl_vector_const_view xv = gsl_vector_const_view_array(x, d);
    gsl_vector_view rv = gsl_vector_view_array(r, N);
    gsl_blas_dgemv(CblasNoTrans, 1.0, &Av.matrix, &xv.vector, -1.0, &rv.vector);
    double f = 0.5 * ob_sum_sq(r, N) / (double)N + 0.5 * q->l2 * ob_sum_sq(x, d);
    if (g) {
        gsl_vector_view gv = gsl_vector_view_array(g, d);
        gsl_blas_dgemv(CblasTrans, 1.0 / (double)N, &Av.matrix, &rv.vector, 0.0, &gv.vector);
        if (q->l2 > 0) gsl_blas_daxpy(q->l2, &xv.vector, &gv.vector);
        if (gnorm2) *gnorm2 = ob_sum_sq(g, d);
    }
    free(r);
    return f;
}

/* (1/b) sum_{i in idx} (1/2)(a_i^T x - b_i)^2 + (l2/2)||x||^2.  b >= 1, idx[k] < N. */
static double lsq_fdf_batch(const ob_problem *p, const double *x, double *g, const size_t *idx,
                            size_t b)
{
    const lsq_impl *q = p->impl;
    const int d = (int)p->dim; /* <= LSQ_MAX_DIM */
    if (g) memset(g, 0, p->dim * sizeof *g);
    double f = 0;
    for (size_t k = 0; k < b; k++) {
        const double *a = q->A + idx[k] * p->dim;              /* (d) row i */
        double r = cblas_ddot(d, a, 1, x, 1) - q->b[idx[k]];  /* a_i^T x - b_i */
        f += 0.5 * r * r;
        if (g) cblas_daxpy(d, r / (double)b, a, 1, g, 1);
    }
    if (g && q->l2 > 0) cblas_daxpy(d, q->l2, x, 1, g, 1);
    return f / (double)b + 0.5 * q->l2 * ob_sum_sq(x, p->dim);
}

/* V(x) with per-sample gradients r_i a_i, r = A x - b */
static double lsq_grad_var(const ob_problem *p, const double *x)
{
    const lsq_impl *q = p->impl;
    size_t N = p->n_samples, d = p->dim;
    double *r = malloc(N * sizeof *r); /* (N) residuals */
    if (!r) return NAN;
    memcpy(r, q->b, N * sizeof *r);
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)d, 1.0, q->A, (int)d, x, 1, -1.0, r, 1);
    double v = ob_rowscaled_variance(q->A, N, d, r);
    free(r);
    return v;
}

static void lsq_free(ob_problem *p)
{
    lsq_impl *q = p->impl;
    free(q->A);
    free(q->b);
    free(q);
    p->impl = NULL;
}

static ob_status lsq_load(ob_problem *p, lsq_impl *q, const ob_problem_opts *o, ob_error *err)
{
    return ob_csv_read_xy(o->data, o->dim, LSQ_MAX_DIM, "lsq", &q->A, &q->b, &p->n_samples,
                          &p->dim, err);
}

static ob_status lsq_synth(ob_problem *p, lsq_impl *q, const ob_problem_opts *o, ob_error *err)
{
    size_t N = o->samples ? o->samples : 1000, d = o->dim ? o->dim : 10;
    double kappa = o->kappa ? o->kappa : 100.0;
    if (d > LSQ_MAX_DIM)
        return ob_fail(err, OB_EINVAL, "--dim must be <= %d for lsq (x* needs the d x d matrix "
                       "A^T A), got %zu", LSQ_MAX_DIM, d);
    if (N < d)
        return ob_fail(err, OB_EINVAL, "--samples must be >= --dim (%zu) for synthetic lsq "
                       "(A needs rank d), got %zu", d, N);
    if (N > SIZE_MAX / sizeof(double) / d)
        return ob_fail(err, OB_EINVAL, "--samples %zu is too large for --dim %zu", N, d);
    double *U = malloc(N * d * sizeof *U), *V = malloc(d * d * sizeof *V); /* (N, d), (d, d) */
    double *xt = malloc(d * sizeof *xt);                                  /* (d) x_true */
    q->A = malloc(N * d * sizeof *q->A);
    q->b = malloc(N * sizeof *q->b);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    ob_status s = U && V && xt && q->A && q->b && r ? OB_OK
                  : ob_fail(err, OB_ENOMEM, "lsq: out of memory for %zu x %zu data", N, d);
    if (s == OB_OK) {
        gsl_rng_set(r, o->seed);
        s = ob_linalg_random_orthonormal(r, N, d, U, err);
    }
    if (s == OB_OK) s = ob_linalg_random_orthonormal(r, d, d, V, err);
    if (s == OB_OK) {
        /* U <- U diag(s), s_j = sqrt(N lambda_j), then A = U V^T (dgemm) */
        for (size_t j = 0; j < d; j++) {
            double lam = d == 1 ? 1.0 : pow(kappa, (double)j / (double)(d - 1));
            double sj = sqrt((double)N * lam);
            for (size_t i = 0; i < N; i++) U[i * d + j] *= sj;
        }
        gsl_matrix_view Uv = gsl_matrix_view_array(U, N, d), Vv = gsl_matrix_view_array(V, d, d);
        gsl_matrix_view Av = gsl_matrix_view_array(q->A, N, d);
        gsl_blas_dgemm(CblasNoTrans, CblasTrans, 1.0, &Uv.matrix, &Vv.matrix, 0.0, &Av.matrix);
        for (size_t j = 0; j < d; j++) xt[j] = gsl_ran_gaussian(r, 1.0);
        gsl_vector_view xv = gsl_vector_view_array(xt, d), bv = gsl_vector_view_array(q->b, N);
        for (size_t i = 0; i < N; i++) q->b[i] = LSQ_NOISE * gsl_ran_gaussian(r, 1.0);
        gsl_blas_dgemv(CblasNoTrans, 1.0, &Av.matrix, &xv.vector, 1.0, &bv.vector); /* b += A x_true */
        p->n_samples = N, p->dim = d;
    }
    free(U), free(V), free(xt);
    gsl_rng_free(r);
    return s;
}

/* x* = (H + l2 I)^+ c with H = A^T A / N (dsyrk) and c = A^T b / N (dgemv), through the
 * eigendecomposition H = W diag(mu) W^T (gsl_eigen_symmv): x* = W diag(1/(mu+l2)) W^T c,
 * directions with mu + l2 <= d eps mu_max dropped (the minimum-norm minimizer when A is
 * rank-deficient).  The same eigenvalues give L = mu_max + l2. */
static ob_status lsq_solve(ob_problem *p, const lsq_impl *q, ob_error *err)
{
    size_t N = p->n_samples, d = p->dim;
    double *H = malloc(d * d * sizeof *H), *W = malloc(d * d * sizeof *W); /* (d, d) x2 */
    double *mu = malloc(d * sizeof *mu), *c = malloc(d * sizeof *c);        /* (d) x2 */
    ob_status s = H && W && mu && c ? OB_OK : ob_fail(err, OB_ENOMEM, "lsq: out of memory");
    if (s == OB_OK) {
        ob_linalg_gram(q->A, N, d, 1.0 / (double)N, H);
        gsl_matrix_const_view Av = gsl_matrix_const_view_array(q->A, N, d);
        gsl_vector_const_view bv = gsl_vector_const_view_array(q->b, N);
        gsl_vector_view cv = gsl_vector_view_array(c, d);
        gsl_blas_dgemv(CblasTrans, 1.0 / (double)N, &Av.matrix, &bv.vector, 0.0, &cv.vector);
        s = ob_linalg_symm_eig(H, d, mu, W, err);
    }
    if (s == OB_OK) {
        double top = mu[d - 1] + q->l2, tol = (double)d * 2.2e-16 * top;
        gsl_matrix_view Wv = gsl_matrix_view_array(W, d, d);
        gsl_vector_view cv = gsl_vector_view_array(c, d), xv = gsl_vector_view_array(p->x_star, d);
        gsl_blas_dgemv(CblasTrans, 1.0, &Wv.matrix, &cv.vector, 0.0, &xv.vector); /* W^T c */
        for (size_t j = 0; j < d; j++) c[j] = mu[j] + q->l2 > tol ? p->x_star[j] / (mu[j] + q->l2) : 0;
        gsl_blas_dgemv(CblasNoTrans, 1.0, &Wv.matrix, &cv.vector, 0.0, &xv.vector); /* W (.) */
        p->L = top;
        snprintf(p->L_source, sizeof p->L_source,
                 "lambda_max(A^T A)/N + l2 via gsl_eigen_symmv (Hessian is constant)");
    }
    free(H), free(W), free(mu), free(c);
    return s;
}

static ob_status lsq_init(ob_problem *p, const ob_problem_opts *o, ob_error *err)
{
    lsq_impl *q = calloc(1, sizeof *q);
    if (!q) return ob_fail(err, OB_ENOMEM, "lsq: out of memory");
    p->impl = q;
    q->l2 = o->l2;
    if (o->data && (o->samples || o->kappa))
        return ob_fail(err, OB_EINVAL, "--%s applies to synthetic data only, not with --data %s",
                       o->samples ? "samples" : "kappa", o->data);
    ob_status s = o->data ? lsq_load(p, q, o, err) : lsq_synth(p, q, o, err);
    if (s != OB_OK) return s;
    p->x0 = calloc(p->dim, sizeof *p->x0); /* start at 0 */
    p->x_star = malloc(p->dim * sizeof *p->x_star);
    if (!p->x0 || !p->x_star) return ob_fail(err, OB_ENOMEM, "lsq: out of memory");
    if ((s = lsq_solve(p, q, err)) != OB_OK) return s;
    /* f* = f(x*) at the numerically solved normal equations: COMPUTED, not closed form */
    p->f_star = lsq_fdf(p, p->x_star, NULL, NULL);
    p->f_star_kind = OB_FSTAR_COMPUTED;
    return OB_OK;
}

static const ob_problem_option lsq_options[] = {
    OB_POPT_DIM("10"),
    OB_POPT_SAMPLES("1000"),
    OB_POPT_KAPPA("100"),
    OB_POPT_L2,
    OB_POPT_DATA,
    OB_POPT_END,
};


/* hv = A^T (A v) / N + l2 v (the Hessian is constant) */
static void lsq_hvp(const ob_problem *p, const double *x, const double *v, double *hv)
{
    (void)x;
    const lsq_impl *q = p->impl;
    size_t N = p->n_samples, d = p->dim;
    double *av = malloc(N * sizeof *av); /* (N) */
    if (!av) {
        for (size_t j = 0; j < d; j++) hv[j] = NAN;
        return;
    }
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)d, 1.0, q->A, (int)d, v, 1, 0.0, av, 1);
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)N, (int)d, 1.0 / (double)N, q->A, (int)d, av, 1,
                0.0, hv, 1);
    if (q->l2 > 0) cblas_daxpy((int)d, q->l2, v, 1, hv, 1);
    free(av);
}

const ob_problem_type ob_problem_lsq = {
    .name = "lsq",
    .formula = "(1/(2N)) ||A x - b||^2 + (l2/2)||x||^2, eig(A^T A/N) = kappa^((i-1)/(d-1))",
    .citation = "Bottou, Curtis & Nocedal 2018, SIAM Review 60(2), sec. 2 (least squares)",
    .options = lsq_options,
    .init = lsq_init,
    .fdf = lsq_fdf,
    .fdf_batch = lsq_fdf_batch,
    .grad_var = lsq_grad_var,
    .hvp = lsq_hvp,
    .free = lsq_free,
};
