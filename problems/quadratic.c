/* quadratic.c - f(x) = 0.5 x^T A x with prescribed spectrum: the convex model problem.
 * Shifted by default (problem.h's shift_radius): f(x) = 0.5 (x - x*)^T A (x - x*), x*
 * drawn from --seed; --shift 0 keeps x* = 0.
 *
 * Eigenvalues lambda_i = kappa^((i-1)/(n-1)), i = 1..n, geometrically spaced from 1 to
 * kappa (n = 1: lambda = 1), so the condition number is exactly kappa (the standard
 * ill-conditioned quadratic of Nesterov 2004, "Introductory Lectures on Convex
 * Optimization", sec. 2.1, and of every GD-vs-momentum rate comparison).
 * A = diag(lambda) by default, kept as the eigenvalue array only so that n = 10^7 costs
 * two vectors; --rotate stores the dense A = Q diag(lambda) Q^T, Q Haar-random from --seed,
 * which hides the axis alignment that sign-based rules (RProp, Adam) exploit. */
#include "problems/problem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_rng.h>

#include "problems/linalg.h"

#define QUAD_ROTATE_MAX 4096 /* dense A: 4096^2 doubles = 128 MiB */

typedef struct {
    double *lam; /* (n) eigenvalues; the whole of A when not rotated */
    double *A;   /* (n, n) Q diag(lam) Q^T, or NULL (diagonal) */
} quad_impl;

/* One block of the diagonal case, fused: g_i = lam_i x_i, f += g_i x_i, gg += g_i^2.
 * Two accumulators each; the block's arithmetic does not depend on the thread count. */
OB_HOT static void quad_block(const double *restrict lam, const double *restrict x,
                              double *restrict g, size_t n, double *f, double *gg)
{
    double f0 = 0, f1 = 0, s0 = 0, s1 = 0;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) {
        double a = lam[i] * x[i], b = lam[i + 1] * x[i + 1];
        g[i] = a, g[i + 1] = b;
        f0 += a * x[i], f1 += b * x[i + 1];
        s0 += a * a, s1 += b * b;
    }
    for (; i < n; i++) {
        double a = lam[i] * x[i];
        g[i] = a;
        f0 += a * x[i], s0 += a * a;
    }
    *f = f0 + f1, *gg = s0 + s1;
}

/* Same block, f only (no gradient buffer to write). */
OB_HOT static double quad_block_f(const double *restrict lam, const double *restrict x, size_t n)
{
    double f0 = 0, f1 = 0;
    size_t i = 0;
    for (; i + 2 <= n; i += 2) f0 += lam[i] * x[i] * x[i], f1 += lam[i + 1] * x[i + 1] * x[i + 1];
    for (; i < n; i++) f0 += lam[i] * x[i] * x[i];
    return f0 + f1;
}

/* Diagonal: one pass over blocks of OB_SUM_BLOCK (in parallel), then the per-block
 * partials of x^T A x and ||g||^2 added in block order, as ob_dot does.  A shifted
 * instance (s not NULL) evaluates the block at z = x - s, the block's z on the stack. */
static double quad_diag_fdf(const double *lam, size_t n, const double *x, const double *s,
                            double *g, double *gnorm2)
{
    size_t nb = (n + OB_SUM_BLOCK - 1) / OB_SUM_BLOCK;
    double stackbuf[2 * 64];
    double *part = nb <= 64 ? stackbuf : malloc(2 * nb * sizeof *part); /* (nb, 2) */
    if (!part) return NAN; /* out of memory: the caller sees a non-finite loss */
#pragma omp parallel for schedule(static) if (n >= OB_PAR_MIN)
    for (size_t b = 0; b < nb; b++) {
        size_t lo = b * OB_SUM_BLOCK, len = n - lo < OB_SUM_BLOCK ? n - lo : OB_SUM_BLOCK;
        double zb[OB_SUM_BLOCK]; /* (len) z = x - s, when shifted */
        const double *z = x + lo;
        if (s) {
            for (size_t i = 0; i < len; i++) zb[i] = x[lo + i] - s[lo + i];
            z = zb;
        }
        if (g)
            quad_block(lam + lo, z, g + lo, len, &part[2 * b], &part[2 * b + 1]);
        else
            part[2 * b] = quad_block_f(lam + lo, z, len), part[2 * b + 1] = 0;
    }
    double xax = 0, gg = 0;
    for (size_t b = 0; b < nb; b++) xax += part[2 * b], gg += part[2 * b + 1];
    if (part != stackbuf) free(part);
    if (g && gnorm2) *gnorm2 = gg;
    return 0.5 * xax;
}

/* f = 0.5 z^T A z, g = A z (A symmetric), z = x - shift (x on the textbook form). */
static double quadratic_fdf(const ob_problem *p, const double *x, double *g, double *gnorm2)
{
    const quad_impl *q = p->impl;
    size_t n = p->dim;
    if (!q->A) return quad_diag_fdf(q->lam, n, x, p->shift, g, gnorm2);
    /* (n) A z, then (n) z when shifted; n <= QUAD_ROTATE_MAX */
    double *buf = malloc((g ? 0 : n) * sizeof *buf + (p->shift ? n : 0) * sizeof *buf + 1);
    if (!buf) return NAN;
    double *Ax = g ? g : buf, *z = (double *)x;
    if (p->shift) {
        z = buf + (g ? 0 : n);
        for (size_t i = 0; i < n; i++) z[i] = x[i] - p->shift[i];
    }
    gsl_matrix_const_view Av = gsl_matrix_const_view_array(q->A, n, n);
    gsl_vector_const_view zv = gsl_vector_const_view_array(z, n);
    gsl_vector_view yv = gsl_vector_view_array(Ax, n);
    gsl_blas_dgemv(CblasNoTrans, 1.0, &Av.matrix, &zv.vector, 0.0, &yv.vector);
    double f = 0.5 * ob_dot(z, Ax, n);
    if (g && gnorm2) *gnorm2 = ob_sum_sq(g, n);
    free(buf);
    return f;
}

static void quadratic_free(ob_problem *p)
{
    quad_impl *q = p->impl;
    free(q->lam);
    free(q->A);
    free(q);
    p->impl = NULL;
}

static ob_status quadratic_init(ob_problem *p, const ob_problem_opts *o, ob_error *err)
{
    size_t n = o->dim ? o->dim : 10;
    double kappa = o->kappa ? o->kappa : 100.0; /* >= 1, checked by ob_problem_create */
    if (n > SIZE_MAX / 4 / sizeof(double))
        return ob_fail(err, OB_EINVAL, "--dim %zu is too large for quadratic", n);
    if (o->rotate && n > QUAD_ROTATE_MAX)
        return ob_fail(err, OB_EINVAL,
                       "--rotate works only up to --dim %d (it stores a dense matrix), got %zu",
                       QUAD_ROTATE_MAX, n);
    quad_impl *q = calloc(1, sizeof *q);
    if (!q) return ob_fail(err, OB_ENOMEM, "quadratic: out of memory");
    p->impl = q;
    p->dim = n;
    q->lam = malloc(n * sizeof *q->lam);
    p->x0 = malloc(n * sizeof *p->x0);
    p->x_star = calloc(n, sizeof *p->x_star); /* x* = 0; calloc maps zero pages lazily */
    if (!q->lam || !p->x0 || !p->x_star)
        return ob_fail(err, OB_ENOMEM, "quadratic: out of memory for --dim %zu", n);
#pragma omp parallel for schedule(static) if (n >= OB_PAR_MIN)
    for (size_t i = 0; i < n; i++) {
        /* lambda_i = kappa^(i/(n-1)), 0-based: exactly 1 at i = 0 and kappa at i = n-1 */
        q->lam[i] = n == 1 ? 1.0 : pow(kappa, (double)i / (double)(n - 1));
        p->x0[i] = 1.0; /* every eigen-direction excited (diagonal case) */
    }
    if (o->rotate) {
        gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
        double *Q = malloc(n * n * sizeof *Q); /* (n, n) */
        q->A = malloc(n * n * sizeof *q->A);
        ob_status s = r && Q && q->A ? OB_OK : ob_fail(err, OB_ENOMEM, "quadratic: out of memory "
                                                       "for a dense %zu x %zu matrix", n, n);
        if (s == OB_OK) {
            gsl_rng_set(r, o->seed);
            s = ob_linalg_random_orthonormal(r, n, n, Q, err);
        }
        if (s == OB_OK) s = ob_linalg_q_diag_qt(Q, q->lam, n, q->A, err);
        gsl_rng_free(r);
        free(Q);
        if (s != OB_OK) return s;
    }
    p->f_star = 0.0;
    p->f_star_kind = OB_FSTAR_EXACT;
    p->L = q->lam[n - 1]; /* = kappa (1 when n = 1) */
    snprintf(p->L_source, sizeof p->L_source, "largest eigenvalue of A (exact: kappa = %g)", p->L);
    if (n == 2) {
        p->has_box = 1;
        p->box[0] = -1.5, p->box[1] = 1.5, p->box[2] = -1.5, p->box[3] = 1.5;
    }
    return OB_OK;
}

static const ob_problem_option quadratic_options[] = {
    OB_POPT_DIM("10"),
    OB_POPT_KAPPA("100"),
    {.name = "rotate", .kind = OB_POK_FLAG, .field = offsetof(ob_problem_opts, rotate),
     .help = "a random orthogonal basis from --seed (dim <= 4096)"},
    OB_POPT_SHIFT,
    OB_POPT_END,
};


/* hv = A v: lam_i v_i on the diagonal, one dgemv on the dense A (--rotate); the same
 * for a shifted instance (A is constant). */
static void quadratic_hvp(const ob_problem *p, const double *x, const double *v, double *hv)
{
    (void)x; /* A is constant */
    const quad_impl *q = p->impl;
    size_t n = p->dim;
    if (!q->A) {
        for (size_t i = 0; i < n; i++) hv[i] = q->lam[i] * v[i];
        return;
    }
    gsl_matrix_const_view Av = gsl_matrix_const_view_array(q->A, n, n);
    gsl_vector_const_view vv = gsl_vector_const_view_array(v, n);
    gsl_vector_view hvv = gsl_vector_view_array(hv, n);
    gsl_blas_dgemv(CblasNoTrans, 1.0, &Av.matrix, &vv.vector, 0.0, &hvv.vector);
}

const ob_problem_type ob_problem_quadratic = {
    .name = "quadratic",
    .formula = "0.5 z^T A z, z = x - x* (x* from --seed; --shift 0: x* = 0), eig(A) = kappa^((i-1)/(n-1))",
    .citation = "Nesterov 2004, Introductory Lectures on Convex Optimization, sec. 2.1",
    .options = quadratic_options,
    .shift_radius = 1.2, /* 4/5 of the 2-D box's half-width 1.5, as COCO's [-4, 4] in [-5, 5] */
    .init = quadratic_init,
    .fdf = quadratic_fdf,
    .fdf_batch = NULL,
    .hvp = quadratic_hvp,
    .free = quadratic_free,
};
