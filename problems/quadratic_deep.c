/* quadratic_deep.c - DeepOBS's 100-dimensional noise-free quadratic test problem.
 *
 * f(x) = 0.5 x^T H x, H = Q diag(lambda) Q^T with 90 eigenvalues uniform in (0, 1) and
 * 10 uniform in (30, 60), Q Haar-random orthogonal (Schneider, Balles & Hennig 2019,
 * "DeepOBS: a deep learning optimizer benchmark suite", ICLR, test problem
 * "quadratic_deep"; DeepOBS draws them with numpy's RandomState(42), we draw them with
 * GSL's mt19937 from --seed, so the spectrum has the same shape but not the same digits).
 * DeepOBS adds sampled noise to x; this is the deterministic loss (its expectation up to
 * a constant).  Two clusters of eigenvalues: a few stiff directions and many flat ones.
 * Shifted by default (problem.h's shift_radius): x* drawn from --seed, --shift 0: x* = 0. */
#include "problems/problem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_rng.h>

#include "problems/linalg.h"

#define DEEP_DIM 100
#define DEEP_FLAT 90 /* eigenvalues in (0, 1); the other 10 in (30, 60) */

/* f = 0.5 z^T H z, g = H z (one dgemv on the stored (100, 100) H in impl), z = x - shift. */
static double quadratic_deep_fdf(const ob_problem *p, const double *x, double *g, double *gnorm2)
{
    double Hx[DEEP_DIM], zb[DEEP_DIM]; /* (100), (100) */
    if (p->shift) {
        for (int i = 0; i < DEEP_DIM; i++) zb[i] = x[i] - p->shift[i];
        x = zb;
    }
    gsl_matrix_const_view Hv = gsl_matrix_const_view_array(p->impl, DEEP_DIM, DEEP_DIM);
    gsl_vector_const_view xv = gsl_vector_const_view_array(x, DEEP_DIM);
    gsl_vector_view yv = gsl_vector_view_array(g ? g : Hx, DEEP_DIM);
    gsl_blas_dgemv(CblasNoTrans, 1.0, &Hv.matrix, &xv.vector, 0.0, &yv.vector);
    double f = 0.5 * ob_dot(x, yv.vector.data, DEEP_DIM);
    if (g && gnorm2) *gnorm2 = ob_sum_sq(g, DEEP_DIM);
    return f;
}

static void quadratic_deep_free(ob_problem *p)
{
    free(p->impl);
    p->impl = NULL;
}

static ob_status quadratic_deep_init(ob_problem *p, const ob_problem_opts *o, ob_error *err)
{
    if (o->dim != 0 && o->dim != DEEP_DIM)
        return ob_fail(err, OB_EINVAL, "--dim must be %d for quadratic_deep (fixed by DeepOBS), got %zu",
                       DEEP_DIM, o->dim);
    double lam[DEEP_DIM], Q[DEEP_DIM * DEEP_DIM]; /* (100), (100, 100) */
    double *H = malloc(DEEP_DIM * DEEP_DIM * sizeof *H);
    p->impl = H;
    p->dim = DEEP_DIM;
    p->x0 = malloc(DEEP_DIM * sizeof *p->x0);
    p->x_star = calloc(DEEP_DIM, sizeof *p->x_star); /* x* = 0 */
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!H || !p->x0 || !p->x_star || !r) {
        gsl_rng_free(r);
        return ob_fail(err, OB_ENOMEM, "quadratic_deep: out of memory");
    }
    gsl_rng_set(r, o->seed);
    /* DeepOBS: np.concatenate((rng.uniform(0, 1, 90), rng.uniform(30, 60, 10))) */
    double lmax = 0;
    for (int i = 0; i < DEEP_DIM; i++) {
        lam[i] = i < DEEP_FLAT ? gsl_rng_uniform_pos(r) : 30.0 + 30.0 * gsl_rng_uniform_pos(r);
        if (lam[i] > lmax) lmax = lam[i];
    }
    ob_status s = ob_linalg_random_orthonormal(r, DEEP_DIM, DEEP_DIM, Q, err);
    gsl_rng_free(r);
    if (s == OB_OK) s = ob_linalg_q_diag_qt(Q, lam, DEEP_DIM, H, err);
    if (s != OB_OK) return s;
    for (int i = 0; i < DEEP_DIM; i++) p->x0[i] = 1.0; /* DeepOBS's initial theta */
    p->f_star = 0.0;
    p->f_star_kind = OB_FSTAR_EXACT;
    p->L = lmax;
    snprintf(p->L_source, sizeof p->L_source,
             "largest eigenvalue of H, as drawn (exact up to rounding of Q diag Q^T)");
    return OB_OK;
}

static const ob_problem_option quadratic_deep_options[] = {
    OB_POPT_DIM("100"),
    OB_POPT_SHIFT,
    OB_POPT_END,
};


/* hv = H v (H constant). */
static void quadratic_deep_hvp(const ob_problem *p, const double *x, const double *v, double *hv)
{
    (void)x;
    gsl_matrix_const_view Hm = gsl_matrix_const_view_array(p->impl, DEEP_DIM, DEEP_DIM);
    gsl_vector_const_view vv = gsl_vector_const_view_array(v, DEEP_DIM);
    gsl_vector_view hvv = gsl_vector_view_array(hv, DEEP_DIM);
    gsl_blas_dgemv(CblasNoTrans, 1.0, &Hm.matrix, &vv.vector, 0.0, &hvv.vector);
}

const ob_problem_type ob_problem_quadratic_deep = {
    .name = "quadratic_deep",
    .formula = "0.5 z^T Q diag(lambda) Q^T z, z = x - x* (--shift 0: x* = 0), 90 lambda ~ U(0,1), 10 lambda ~ U(30,60)",
    .citation = "Schneider, Balles & Hennig 2019, DeepOBS, ICLR (quadratic_deep)",
    .options = quadratic_deep_options,
    .shift_radius = 1.2, /* as the quadratic's: the start is 1 per coordinate from x* */
    .init = quadratic_deep_init,
    .fdf = quadratic_deep_fdf,
    .fdf_batch = NULL,
    .hvp = quadratic_deep_hvp,
    .free = quadratic_deep_free,
};
