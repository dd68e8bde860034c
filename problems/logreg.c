/* logreg.c - L2-regularized logistic regression as a finite sum (the convex ML workhorse).
 *
 * f(x) = (1/N) sum_i log(1 + exp(-y_i a_i^T x)) + (l2/2) ||x||^2,  y_i in {-1, +1}
 * (e.g. Bottou, Curtis & Nocedal 2018, "Optimization methods for large-scale machine
 * learning", SIAM Review 60(2), eq. (2.8)).  Data: --data FILE.csv (features, then a
 * 0/1 or -1/+1 target in the last column) or synthetic from --seed: a_i ~ N(0, I_d), a
 * hidden w ~ N(0, I_d), y_i = +1 with probability sigmoid(a_i^T w) - or, --separable,
 * y_i = sign(a_i^T w), where (l2 = 0) the infimum 0 is approached but never attained. */
#include "problems/problem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cblas.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>

#include "common/csvread.h"
#include "problems/linalg.h"

#define LOGREG_MAX_DIM 4096 /* L needs the (d, d) matrix A^T A */

typedef struct {
    double *A; /* (N, d) features, row-major */
    double *y; /* (N) labels in {-1, +1} */
    double l2;
} logreg_impl;

/* log(1 + exp(-z)) without overflow: max(-z, 0) + log1p(exp(-|z|)). */
static double logloss(double z) { return fmax(-z, 0.0) + log1p(exp(-fabs(z))); }

/* d/dz log(1 + exp(-z)) = -sigmoid(-z), with exp() only of non-positive arguments. */
static double dlogloss(double z)
{
    if (z >= 0) {
        double e = exp(-z);
        return -e / (1.0 + e);
    }
    return -1.0 / (1.0 + exp(z));
}

/* Full sum through BLAS: m = A x (dgemv), then g = A^T r / N + l2 x (dgemv). */
static double logreg_fdf(const ob_problem *p, const double *x, double *g, double *gnorm2)
{
    const logreg_impl *q = p->impl;
    size_t N = p->n_samples, d = p->dim;
    double *m = malloc(N * sizeof *m); /* (N) margins, then dloss/dmargin / N */
    if (!m) return NAN;
    gsl_matrix_const_view Av = gsl_matrix_const_view_array(q->A, N, d);
    gsl_vector_const_view xv = gsl_vector_const_view_array(x, d);
    gsl_vector_view mv = gsl_vector_view_array(m, N);
    gsl_blas_dgemv(CblasNoTrans, 1.0, &Av.matrix, &xv.vector, 0.0, &mv.vector);
    double f = 0;
    for (size_t i = 0; i < N; i++) {
        double z = q->y[i] * m[i]; /* z_i = y_i a_i^T x */
        f += logloss(z);
        m[i] = q->y[i] * dlogloss(z) / (double)N;
    }
    f /= (double)N;
    if (g) {
        gsl_vector_view gv = gsl_vector_view_array(g, d);
        gsl_blas_dgemv(CblasTrans, 1.0, &Av.matrix, &mv.vector, 0.0, &gv.vector);
        if (q->l2 > 0) gsl_blas_daxpy(q->l2, &xv.vector, &gv.vector);
        if (gnorm2) *gnorm2 = ob_sum_sq(g, d);
    }
    free(m);
    return f + 0.5 * q->l2 * ob_sum_sq(x, d);
}

/* (1/b) sum_{i in idx} log(1 + exp(-y_i a_i^T x)) + (l2/2)||x||^2, one row at a time
 * (ddot for the margin, daxpy for the gradient).  b >= 1 and every idx[k] < N. */
static double logreg_fdf_batch(const ob_problem *p, const double *x, double *g, const size_t *idx,
                               size_t b)
{
    const logreg_impl *q = p->impl;
    const int d = (int)p->dim; /* <= LOGREG_MAX_DIM */
    if (g) memset(g, 0, p->dim * sizeof *g);
    double f = 0;
    for (size_t k = 0; k < b; k++) {
        const double *a = q->A + idx[k] * p->dim;                /* (d) row i */
        double z = q->y[idx[k]] * cblas_ddot(d, a, 1, x, 1);    /* y_i a_i^T x */
        f += logloss(z);
        if (g) cblas_daxpy(d, q->y[idx[k]] * dlogloss(z) / (double)b, a, 1, g, 1);
    }
    if (g && q->l2 > 0) cblas_daxpy(d, q->l2, x, 1, g, 1);
    return f / (double)b + 0.5 * q->l2 * ob_sum_sq(x, p->dim);
}

/* V(x) with per-sample gradients y_i l'(y_i a_i^T x) a_i */
static double logreg_grad_var(const ob_problem *p, const double *x)
{
    const logreg_impl *q = p->impl;
    size_t N = p->n_samples, d = p->dim;
    double *c = malloc(N * sizeof *c); /* (N) margins, then dloss/dmargin */
    if (!c) return NAN;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)d, 1.0, q->A, (int)d, x, 1, 0.0, c, 1);
    for (size_t i = 0; i < N; i++) c[i] = q->y[i] * dlogloss(q->y[i] * c[i]);
    double v = ob_rowscaled_variance(q->A, N, d, c);
    free(c);
    return v;
}

static void logreg_free(ob_problem *p)
{
    logreg_impl *q = p->impl;
    free(q->A);
    free(q->y);
    free(q);
    p->impl = NULL;
}

/* --data: the last column is the target, 0/1 or -1/+1 (not a mix of 0 and -1). */
static ob_status logreg_load(ob_problem *p, logreg_impl *q, const ob_problem_opts *o, ob_error *err)
{
    ob_status s = ob_csv_read_xy(o->data, o->dim, LOGREG_MAX_DIM, "logreg", &q->A, &q->y,
                                 &p->n_samples, &p->dim, err);
    if (s != OB_OK) return s;
    int zero_one = 0, plus_minus = 0; /* which coding the file uses so far */
    for (size_t i = 0; i < p->n_samples; i++) {
        double t = q->y[i];
        int ok = t == 1.0 || ((t == 0.0 && !plus_minus) || (t == -1.0 && !zero_one));
        if (!ok)
            return ob_fail(err, OB_EDATA, "%s: data row %zu (not counting a header): target %g is "
                           "not 0/1 or -1/+1%s", o->data, i + 1, t,
                           t == 0.0 || t == -1.0 ? " (the file mixes 0 and -1)" : "");
        zero_one |= t == 0.0, plus_minus |= t == -1.0;
        q->y[i] = t == 1.0 ? 1.0 : -1.0;
    }
    return OB_OK;
}

/* Synthetic: w ~ N(0, I), then per sample a_i ~ N(0, I) and its label, in that order. */
static ob_status logreg_synth(ob_problem *p, logreg_impl *q, const ob_problem_opts *o, ob_error *err)
{
    size_t N = o->samples ? o->samples : 1000, d = o->dim ? o->dim : 10;
    if (d > LOGREG_MAX_DIM)
        return ob_fail(err, OB_EINVAL, "--dim must be <= %d for logreg (L needs the d x d matrix "
                       "A^T A), got %zu", LOGREG_MAX_DIM, d);
    if (N > SIZE_MAX / sizeof(double) / d)
        return ob_fail(err, OB_EINVAL, "--samples %zu is too large for --dim %zu", N, d);
    q->A = malloc(N * d * sizeof *q->A);
    q->y = malloc(N * sizeof *q->y);
    double *w = malloc(d * sizeof *w); /* (d) hidden weights */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    ob_status s = q->A && q->y && w && r ? OB_OK
                  : ob_fail(err, OB_ENOMEM, "logreg: out of memory for %zu x %zu data", N, d);
    if (s == OB_OK) {
        gsl_rng_set(r, o->seed);
        for (size_t j = 0; j < d; j++) w[j] = gsl_ran_gaussian(r, 1.0);
        for (size_t i = 0; i < N; i++) {
            double *a = q->A + i * d, m = 0;
            for (size_t j = 0; j < d; j++) a[j] = gsl_ran_gaussian(r, 1.0), m += a[j] * w[j];
            if (o->separable) q->y[i] = m >= 0 ? 1.0 : -1.0; /* y = sign(a^T w) */
            else q->y[i] = gsl_rng_uniform(r) < 1.0 / (1.0 + exp(-m)) ? 1.0 : -1.0;
        }
        p->n_samples = N, p->dim = d;
    }
    free(w);
    gsl_rng_free(r);
    return s;
}

/* GSL multimin adapters for the reference minimizer. */
static double mm_f(const gsl_vector *x, void *p) { return logreg_fdf(p, x->data, NULL, NULL); }
static void mm_df(const gsl_vector *x, void *p, gsl_vector *g) { logreg_fdf(p, x->data, g->data, NULL); }
static void mm_fdf(const gsl_vector *x, void *p, double *f, gsl_vector *g)
{
    *f = logreg_fdf(p, x->data, g->data, NULL);
}

/* 1 when every sample is classified correctly at x (all y_i a_i^T x > 0): then the data
 * are linearly separable, and without l2 f(t x) -> 0 as t -> inf, so no minimizer. */
static int logreg_separates(const ob_problem *p, const double *x)
{
    const logreg_impl *q = p->impl;
    for (size_t i = 0; i < p->n_samples; i++)
        if (!(q->y[i] * cblas_ddot((int)p->dim, q->A + i * p->dim, 1, x, 1) > 0)) return 0;
    return 1;
}

/* H = (1/N) sum_i s_i (1 - s_i) a_i a_i^T + l2 I at x (s_i = sigmoid(a_i^T x), the sign
 * of y_i drops out), in blocks of rows scaled by sqrt(weight) and added up with dsyrk. */
static ob_status logreg_hessian(const ob_problem *p, const double *x, double *H, ob_error *err)
{
    enum { ROWS = 256 };
    const logreg_impl *q = p->impl;
    size_t N = p->n_samples, d = p->dim;
    double *B = malloc(ROWS * d * sizeof *B); /* (ROWS, d) scaled rows */
    if (!B) return ob_fail(err, OB_ENOMEM, "logreg: out of memory");
    gsl_matrix_view Hv = gsl_matrix_view_array(H, d, d);
    gsl_matrix_set_identity(&Hv.matrix);
    gsl_matrix_scale(&Hv.matrix, q->l2);
    for (size_t lo = 0; lo < N; lo += ROWS) {
        size_t len = N - lo < ROWS ? N - lo : ROWS;
        for (size_t k = 0; k < len; k++) {
            const double *a = q->A + (lo + k) * d;
            double sg = -dlogloss(cblas_ddot((int)d, a, 1, x, 1)); /* sigmoid(-m) */
            double w = sqrt(sg * (1.0 - sg) / (double)N);
            for (size_t j = 0; j < d; j++) B[k * d + j] = w * a[j];
        }
        gsl_matrix_view Bv = gsl_matrix_view_array(B, len, d);
        gsl_blas_dsyrk(CblasLower, CblasTrans, 1.0, &Bv.matrix, 1.0, &Hv.matrix);
    }
    free(B);
    for (size_t i = 0; i < d; i++)
        for (size_t j = i + 1; j < d; j++) H[i * d + j] = H[j * d + i];
    return OB_OK;
}

/* Newton steps x -= H^+ g, the pseudo-inverse through H = W diag(mu) W^T (eigenvalues
 * <= d eps mu_max dropped, so a rank-deficient A is fine), while ||g|| keeps falling. */
static void logreg_newton_polish(const ob_problem *p, double *x, double tol)
{
    size_t d = p->dim;
    double *H = malloc(d * d * sizeof *H), *W = malloc(d * d * sizeof *W); /* (d, d) x2 */
    double *mu = malloc(d * sizeof *mu), *g = malloc(d * sizeof *g);         /* (d) x4 */
    double *t = malloc(d * sizeof *t), *xn = malloc(d * sizeof *xn);
    double gn2, gn2_new;
    logreg_fdf(p, x, g, &gn2);
    for (int it = 0; H && W && mu && g && t && xn && it < 8 && !(gn2 < tol * tol); it++) {
        if (logreg_hessian(p, x, H, NULL) != OB_OK || ob_linalg_symm_eig(H, d, mu, W, NULL) != OB_OK)
            break;
        gsl_matrix_view Wv = gsl_matrix_view_array(W, d, d);
        gsl_vector_view gv = gsl_vector_view_array(g, d), tv = gsl_vector_view_array(t, d);
        gsl_vector_view xv = gsl_vector_view_array(xn, d);
        gsl_blas_dgemv(CblasTrans, 1.0, &Wv.matrix, &gv.vector, 0.0, &tv.vector); /* W^T g */
        for (size_t j = 0; j < d; j++) t[j] = mu[j] > (double)d * 2.2e-16 * mu[d - 1] ? t[j] / mu[j] : 0;
        memcpy(xn, x, d * sizeof *xn);
        gsl_blas_dgemv(CblasNoTrans, -1.0, &Wv.matrix, &tv.vector, 1.0, &xv.vector); /* x - W t */
        logreg_fdf(p, xn, g, &gn2_new);
        if (!(gn2_new < gn2)) break; /* rounding floor reached */
        memcpy(x, xn, d * sizeof *x);
        gn2 = gn2_new;
    }
    free(H), free(W), free(mu), free(g), free(t), free(xn);
}

/* x* by GSL's BFGS (vector_bfgs2, Fletcher's line search) from 0, restarting when it
 * stalls, then Newton polishing: the line search compares f values, and f is flat to
 * rounding once ||g|| ~ 1e-9, so BFGS alone stops short of ||g|| < 1e-10, which two
 * Newton steps then reach.  Returns 1 when ||g(x*)|| < 1e-10. */
static int logreg_reference_min(ob_problem *p)
{
    const double tol = 1e-10;
    size_t d = p->dim;
    gsl_multimin_function_fdf fn = {.f = mm_f, .df = mm_df, .fdf = mm_fdf, .n = d, .params = p};
    gsl_multimin_fdfminimizer *m = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, d);
    gsl_vector *x = gsl_vector_calloc(d);
    int ok = 0;
    if (m && x && gsl_multimin_fdfminimizer_set(m, &fn, x, 0.1, 0.1) == 0) {
        int stalls = 0;
        for (int it = 0; it < 5000 && stalls < 3 && !(gsl_blas_dnrm2(m->gradient) < tol); it++)
            if (gsl_multimin_fdfminimizer_iterate(m) != 0) {
                stalls++;
                gsl_multimin_fdfminimizer_restart(m);
            }
        memcpy(p->x_star, m->x->data, d * sizeof *p->x_star);
        logreg_newton_polish(p, p->x_star, tol);
        double *g = malloc(d * sizeof *g), gn2 = INFINITY;
        if (g) logreg_fdf(p, p->x_star, g, &gn2);
        ok = gn2 < tol * tol;
        free(g);
    }
    gsl_vector_free(x);
    if (m) gsl_multimin_fdfminimizer_free(m);
    return ok;
}

static ob_status logreg_init(ob_problem *p, const ob_problem_opts *o, ob_error *err)
{
    logreg_impl *q = calloc(1, sizeof *q);
    if (!q) return ob_fail(err, OB_ENOMEM, "logreg: out of memory");
    p->impl = q;
    q->l2 = o->l2;
    if (o->data && (o->samples || o->separable))
        return ob_fail(err, OB_EINVAL, "--%s applies to synthetic data only, not with --data %s",
                       o->samples ? "samples" : "separable", o->data);
    ob_status s = o->data ? logreg_load(p, q, o, err) : logreg_synth(p, q, o, err);
    if (s != OB_OK) return s;
    size_t d = p->dim;
    double *H = malloc(d * d * sizeof *H), *ev = malloc(d * sizeof *ev); /* (d, d), (d) */
    p->x0 = calloc(d, sizeof *p->x0); /* start at 0, where every margin is 0 */
    p->x_star = malloc(d * sizeof *p->x_star);
    if (!H || !ev || !p->x0 || !p->x_star) s = ob_fail(err, OB_ENOMEM, "logreg: out of memory");
    /* Hessian = A^T diag(s_i (1 - s_i)) A / N + l2 I with s_i(1 - s_i) <= 1/4, attained at
     * x = 0: L = lambda_max(A^T A) / (4N) + l2 is exact, not just a bound. */
    if (s == OB_OK) ob_linalg_gram(q->A, p->n_samples, d, 0.25 / (double)p->n_samples, H);
    if (s == OB_OK) s = ob_linalg_symm_eig(H, d, ev, NULL, err);
    if (s == OB_OK) {
        p->L = ev[d - 1] + q->l2;
        snprintf(p->L_source, sizeof p->L_source,
                 "lambda_max(A^T A)/(4N) + l2 via gsl_eigen_symm: the Hessian's sup, at x = 0");
    }
    free(H);
    free(ev);
    if (s != OB_OK) return s;
    if (o->separable && q->l2 == 0) { /* inf f = 0 along t w, t -> inf: no minimizer */
        free(p->x_star);
        p->x_star = NULL;
        p->f_star = 0.0, p->f_star_kind = OB_FSTAR_LOWER_BOUND;
    } else if (logreg_reference_min(p) && !(q->l2 == 0 && logreg_separates(p, p->x_star))) {
        p->f_star = logreg_fdf(p, p->x_star, NULL, NULL);
        p->f_star_kind = OB_FSTAR_COMPUTED;
    } else { /* a separable --data file (or BFGS failed): only the bound f >= 0 is known */
        free(p->x_star);
        p->x_star = NULL;
        p->f_star = 0.0, p->f_star_kind = OB_FSTAR_LOWER_BOUND;
    }
    return OB_OK;
}

static const ob_problem_option logreg_options[] = {
    OB_POPT_DIM("10"),
    OB_POPT_SAMPLES("1000"),
    {.name = "separable", .kind = OB_POK_FLAG, .field = offsetof(ob_problem_opts, separable),
     .help = "linearly separable labels (no finite minimizer without --l2)"},
    OB_POPT_L2,
    OB_POPT_DATA,
    OB_POPT_END,
};


/* hv = (1/N) A^T (s (1 - s) * (A v)) + l2 v, s_i = sigmoid(a_i^T x) (the sign of y_i
 * drops out of s (1 - s)): two dgemv for the margins and A v, one back. */
static void logreg_hvp(const ob_problem *p, const double *x, const double *v, double *hv)
{
    const logreg_impl *q = p->impl;
    size_t N = p->n_samples, d = p->dim;
    double *m = malloc(2 * N * sizeof *m), *av = m + N; /* (N) margins, (N) A v */
    if (!m) {
        for (size_t j = 0; j < d; j++) hv[j] = NAN;
        return;
    }
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)d, 1.0, q->A, (int)d, x, 1, 0.0, m, 1);
    cblas_dgemv(CblasRowMajor, CblasNoTrans, (int)N, (int)d, 1.0, q->A, (int)d, v, 1, 0.0, av, 1);
    for (size_t i = 0; i < N; i++) {
        double sg = -dlogloss(m[i]); /* sigmoid(-m_i); sg (1 - sg) = s (1 - s) */
        av[i] *= sg * (1.0 - sg) / (double)N;
    }
    cblas_dgemv(CblasRowMajor, CblasTrans, (int)N, (int)d, 1.0, q->A, (int)d, av, 1, 0.0, hv, 1);
    if (q->l2 > 0) cblas_daxpy((int)d, q->l2, v, 1, hv, 1);
    free(m);
}

const ob_problem_type ob_problem_logreg = {
    .name = "logreg",
    .formula = "(1/N) sum_i log(1 + exp(-y_i a_i^T x)) + (l2/2)||x||^2",
    .citation = "Bottou, Curtis & Nocedal 2018, SIAM Review 60(2), eq. (2.8)",
    .options = logreg_options,
    .init = logreg_init,
    .fdf = logreg_fdf,
    .fdf_batch = logreg_fdf_batch,
    .grad_var = logreg_grad_var,
    .hvp = logreg_hvp,
    .free = logreg_free,
};
