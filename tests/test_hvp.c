/* test_hvp.c - Hessian-vector products and the sharpness estimator.
 *
 * - every analytic problem's exact product H v against central differences of its
 *   gradient at several points, and the Hessian built from products column by column is
 *   symmetric;
 * - a small network's product (nets/mlp_hvp.h) against its Hessian built entry by entry
 *   from second differences of the loss alone (no backward pass), and the top eigenvalue
 *   of that Hessian from gsl_eigen_symm against the estimator (runs/sharpness.h);
 * - the estimator: the quadratic's top eigenvalue is kappa, Rosenbrock's equals
 *   gsl_eigen_symm's of the analytic Hessian, the preconditioned one equals the top
 *   eigenvalue of P^-1/2 H P^-1/2 built densely. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "tests/runner.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

#include "nets/mlp.h"
#include "nets/mlp_hvp.h"
#include "problems/problem.h"
#include "runs/sharpness.h"

typedef struct {
    const char *label;
    const char *type;
    ob_problem_opts o;
} tcase;

static const tcase cases[] = {
    {"saddle", "saddle", {0}},
    {"rosenbrock-5", "rosenbrock", {.dim = 5}},
    {"beale", "beale", {0}},
    {"rastrigin-3", "rastrigin", {.dim = 3}}, /* shifted (the default) */
    {"rastrigin-3-textbook", "rastrigin", {.dim = 3, .textbook = 1}},
    {"quadratic-5", "quadratic", {.dim = 5, .kappa = 50}},
    {"quadratic-6-rotate", "quadratic", {.dim = 6, .kappa = 100, .rotate = 1, .seed = 3}},
    {"quadratic_deep", "quadratic_deep", {.seed = 1}},
    {"quadratic-5-textbook", "quadratic", {.dim = 5, .kappa = 50, .textbook = 1}},
    {"logreg", "logreg", {.dim = 5, .samples = 200, .seed = 2}},
    {"logreg-l2", "logreg", {.dim = 4, .samples = 100, .seed = 5, .separable = 1, .l2 = 0.1}},
    {"lsq", "lsq", {.dim = 5, .samples = 50, .seed = 4, .kappa = 30}},
    {"lsq-l2", "lsq", {.dim = 3, .samples = 20, .seed = 6, .l2 = 0.5}},
};
#define N_CASES (sizeof cases / sizeof cases[0])

static void make_problem(ob_problem *p, const char *type, const ob_problem_opts *o)
{
    ob_error err = {{0}};
    const ob_problem_type *T = ob_problem_find(type);
    assert_non_null(T);
    if (ob_problem_create(p, T, o, &err) != OB_OK) fail_msg("%s: %s", type, err.msg);
    assert_non_null(T->hvp); /* every analytic problem has its exact product */
}

static double nrm(const double *a, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * a[i];
    return sqrt(s);
}

/* the largest eigenvalue of the symmetric (n, n) matrix A (destroyed), by gsl_eigen_symm */
static double gsl_top_eig(double *A, size_t n)
{
    gsl_matrix_view Am = gsl_matrix_view_array(A, n, n);
    gsl_vector *ev = gsl_vector_alloc(n);
    gsl_eigen_symm_workspace *w = gsl_eigen_symm_alloc(n);
    assert_int_equal(gsl_eigen_symm(&Am.matrix, ev, w), GSL_SUCCESS);
    double top = gsl_vector_max(ev);
    gsl_eigen_symm_free(w);
    gsl_vector_free(ev);
    return top;
}

/* ---- analytic problems ---- */

/* H v against (g(x + h v) - g(x - h v)) / (2h) at 4 points; the Hessian from n products
 * is symmetric */
static void check_problem_hvp(void **state)
{
    const tcase *c = *state;
    ob_problem p;
    make_problem(&p, c->type, &c->o);
    size_t n = p.dim;
    double *x = malloc(n * sizeof *x), *v = malloc(n * sizeof *v), *hv = malloc(n * sizeof *hv);
    double *gp = malloc(n * sizeof *gp), *gm = malloc(n * sizeof *gm), *xe = malloc(n * sizeof *xe);
    double *H = malloc(n * n * sizeof *H), *e = calloc(n, sizeof *e);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 17);
    for (int k = 0; k < 4; k++) {
        for (size_t i = 0; i < n; i++) x[i] = p.x0[i] + 2 * gsl_rng_uniform(r) - 1;
        for (size_t i = 0; i < n; i++) v[i] = gsl_ran_gaussian(r, 1);
        ob_problem_hvp(&p, x, v, hv);
        double h = 1e-5 / nrm(v, n); /* central difference: O(h^2) */
        for (size_t i = 0; i < n; i++) xe[i] = x[i] + h * v[i];
        p.type->fdf(&p, xe, gp, NULL);
        for (size_t i = 0; i < n; i++) xe[i] = x[i] - h * v[i];
        p.type->fdf(&p, xe, gm, NULL);
        double diff = 0;
        for (size_t i = 0; i < n; i++) {
            double fd = (gp[i] - gm[i]) / (2 * h);
            diff += (fd - hv[i]) * (fd - hv[i]);
        }
        double hn = nrm(hv, n);
        assert_true(hn > 1e-8); /* an all-zero product must not pass trivially */
        if (!(sqrt(diff) <= 1e-6 * hn))
            fail_msg("%s: point %d: |Hv - fd|/|Hv| = %g", c->label, k, sqrt(diff) / hn);
        /* columns H e_j, then H = H^T */
        for (size_t j = 0; j < n; j++) {
            e[j] = 1;
            ob_problem_hvp(&p, x, e, H + j * n); /* row j of the stored matrix = column j */
            e[j] = 0;
        }
        double scale = 0;
        for (size_t i = 0; i < n * n; i++) scale = fmax(scale, fabs(H[i]));
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < i; j++)
                if (!(fabs(H[i * n + j] - H[j * n + i]) <= 1e-12 * scale))
                    fail_msg("%s: H[%zu][%zu] = %.17g but H[%zu][%zu] = %.17g", c->label, i, j,
                             H[i * n + j], j, i, H[j * n + i]);
    }
    gsl_rng_free(r);
    free(x), free(v), free(hv), free(gp), free(gm), free(xe), free(H), free(e);
    ob_problem_free(&p);
}

static ob_status problem_hvp_cb(void *ctx, const double *v, double *hv, ob_error *err)
{
    (void)err;
    const void *const *pc = ctx; /* {problem, x} */
    ob_problem_hvp(pc[0], pc[1], v, hv);
    return OB_OK;
}

/* the quadratic's sharpness is kappa exactly (diagonal and rotated), from any start */
static void test_sharpness_quadratic(void **state)
{
    (void)state;
    for (int rot = 0; rot < 2; rot++) {
        ob_problem p;
        ob_problem_opts o = {.dim = 10, .kappa = 100, .rotate = rot, .seed = 7};
        make_problem(&p, "quadratic", &o);
        ob_sharpness s;
        ob_error err = {{0}};
        assert_int_equal(ob_sharpness_alloc(&s, p.dim, 0, 0, 1, &err), OB_OK);
        const void *ctx[2] = {&p, p.x0};
        for (int k = 0; k < 3; k++) { /* cold, then warm starts */
            ob_sharp_est e;
            assert_int_equal(ob_sharpness_estimate(&s, problem_hvp_cb, ctx, NULL, &e, &err), OB_OK);
            if (!(fabs(e.lambda - 100) <= 1e-8 * 100))
                fail_msg("rotate %d, estimate %d: %.17g != 100", rot, k, e.lambda);
            assert_true(e.residual <= 1e-6);
            assert_true(e.products >= 1 && e.products <= 10);
            if (k > 0) assert_true(e.products <= 2); /* warm: the last Ritz vector */
        }
        ob_sharpness_free(&s);
        ob_problem_free(&p);
    }
}

/* Rosenbrock (n = 6) at several points: the estimate equals gsl_eigen_symm's top
 * eigenvalue of the analytic Hessian (tridiagonal, written out here by hand) */
static void test_sharpness_rosenbrock(void **state)
{
    (void)state;
    enum { N = 6 };
    ob_problem p;
    ob_problem_opts o = {.dim = N};
    make_problem(&p, "rosenbrock", &o);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 5);
    ob_sharpness s;
    ob_error err = {{0}};
    assert_int_equal(ob_sharpness_alloc(&s, N, 0, 0, 2, &err), OB_OK);
    for (int k = 0; k < 5; k++) {
        double x[N], H[N * N] = {0};
        for (int i = 0; i < N; i++) x[i] = 2 * gsl_rng_uniform(r) - 0.5;
        for (int i = 0; i + 1 < N; i++) { /* 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2 */
            H[i * N + i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
            H[i * N + i + 1] += -400 * x[i];
            H[(i + 1) * N + i] += -400 * x[i];
            H[(i + 1) * N + i + 1] += 200;
        }
        double want = gsl_top_eig(H, N);
        const void *ctx[2] = {&p, x};
        ob_sharp_est e;
        assert_int_equal(ob_sharpness_estimate(&s, problem_hvp_cb, ctx, NULL, &e, &err), OB_OK);
        if (!(fabs(e.lambda - want) <= 1e-8 * fabs(want)))
            fail_msg("point %d: %.17g, gsl %.17g", k, e.lambda, want);
    }
    ob_sharpness_free(&s);
    gsl_rng_free(r);
    ob_problem_free(&p);
}

/* preconditioned: the top eigenvalue of P^-1/2 H P^-1/2, H the rotated quadratic's */
static void test_sharpness_preconditioned(void **state)
{
    (void)state;
    enum { N = 8 };
    ob_problem p;
    ob_problem_opts o = {.dim = N, .kappa = 30, .rotate = 1, .seed = 9};
    make_problem(&p, "quadratic", &o);
    double P[N], A[N * N], e_j[N] = {0};
    for (int i = 0; i < N; i++) P[i] = 0.5 + i * 0.7;
    for (int j = 0; j < N; j++) { /* A = D H D, D = P^-1/2, column by column */
        e_j[j] = 1;
        ob_problem_hvp(&p, p.x0, e_j, A + j * N);
        e_j[j] = 0;
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) A[i * N + j] /= sqrt(P[i] * P[j]);
    double want = gsl_top_eig(A, N);
    ob_sharpness s;
    ob_error err = {{0}};
    assert_int_equal(ob_sharpness_alloc(&s, N, 0, 0, 3, &err), OB_OK);
    const void *ctx[2] = {&p, p.x0};
    ob_sharp_est e;
    assert_int_equal(ob_sharpness_estimate(&s, problem_hvp_cb, ctx, P, &e, &err), OB_OK);
    if (!(fabs(e.lambda - want) <= 1e-10 * want)) fail_msg("%.17g, gsl %.17g", e.lambda, want);
    ob_sharpness_free(&s);
    ob_problem_free(&p);
}

/* ---- networks ---- */

enum { NS = 7, NIN = 4 }; /* samples, inputs */

typedef struct {
    const char *label;
    ob_mlp_spec spec;
    size_t batch;  /* the network's buffers: NS rows in chunks of this many */
    int reversed;  /* the rows through idx, in reverse order */
} netcase;

static const netcase nets[] = {
    {"tanh-xent-l2", {.n_layers = 2, .sizes = {NIN, 5, 3}, .act = OB_ACT_TANH,
                      .loss = OB_LOSS_XENT, .l2 = 0.01}, 4, 0},
    {"sigmoid-mse-3layers", {.n_layers = 3, .sizes = {NIN, 4, 3, 2}, .act = OB_ACT_SIGMOID,
                             .loss = OB_LOSS_MSE}, 4, 1},
    {"softsign-xent-dropout", {.n_layers = 2, .sizes = {NIN, 6, 4}, .act = OB_ACT_SOFTSIGN,
                               .loss = OB_LOSS_XENT, .dropout = {0.5}}, 3, 0},
    {"relu-xent-3layers", {.n_layers = 3, .sizes = {NIN, 5, 4, 3}, .act = OB_ACT_RELU,
                           .loss = OB_LOSS_XENT, .l2 = 0.1}, 7, 1},
    {"leaky-mse-1out", {.n_layers = 2, .sizes = {NIN, 5, 1}, .act = OB_ACT_LEAKY_RELU,
                        .leaky = 0.1, .loss = OB_LOSS_MSE}, 2, 0},
    {"hardtanh-margin", {.n_layers = 2, .sizes = {NIN, 5, 1}, .act = OB_ACT_HARDTANH,
                         .loss = OB_LOSS_MARGIN}, 7, 0},
    {"linear-xent", {.n_layers = 1, .sizes = {NIN, 3}, .loss = OB_LOSS_XENT}, 5, 0},
};

/* F from forward passes and the loss alone, over the NS samples in chunks of m's batch */
static double net_loss(ob_mlp *m, const float *x, const int32_t *y)
{
    double sum = 0;
    for (size_t i = 0; i < NS; i += m->max_batch) {
        size_t B = NS - i < m->max_batch ? NS - i : m->max_batch;
        ob_mlp_gather(m, x + i * NIN, NIN, NULL, B);
        ob_mlp_forward(m, B, NULL);
        sum += ob_mlp_loss(m, B, y + i, 0, NULL, NULL) * (double)B;
    }
    return sum / NS + ob_mlp_penalty(m);
}

/* H_ij = (F(++) - F(+-) - F(-+) + F(--)) / (4h^2), theta +- h e_i +- h e_j: independent
 * second differences of F (i = j: (F(+2h) - 2F + F(-2h)) / (4h^2), the same formula) */
static void second_differences(ob_mlp *m, const float *x, const int32_t *y, double *H)
{
    const size_t P = m->n_params;
    const double h = 1e-4;
    for (size_t i = 0; i < P; i++)
        for (size_t j = 0; j <= i; j++) {
            double ti = ob_mlp_param(m, i), tj = ob_mlp_param(m, j), f[4];
            for (int k = 0; k < 4; k++) {
                double si = k < 2 ? h : -h, sj = k % 2 == 0 ? h : -h;
                ob_mlp_set_param(m, i, ti + si);
                ob_mlp_set_param(m, j, ob_mlp_param(m, j) + sj);
                f[k] = net_loss(m, x, y);
                ob_mlp_set_param(m, i, ti);
                ob_mlp_set_param(m, j, tj);
            }
            H[i * P + j] = H[j * P + i] = (f[0] - f[1] - f[2] + f[3]) / (4 * h * h);
        }
}

static void check_net_hvp(void **state)
{
    const netcase *c = *state;
    ob_mlp m;
    ob_error err = {{0}};
    assert_int_equal(ob_mlp_alloc(&m, &c->spec, OB_F64, c->batch, &err), OB_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 21);
    ob_mlp_init(&m, r);
    const size_t P = m.n_params, K = c->spec.sizes[c->spec.n_layers];
    float x[NS * NIN];
    int32_t y[NS];
    for (int i = 0; i < NS * NIN; i++) x[i] = (float)gsl_ran_gaussian(r, 1.5);
    for (int i = 0; i < NS; i++) y[i] = (int32_t)gsl_rng_uniform_int(r, K > 1 ? K : 2);
    for (size_t i = 0; i < P; i++) /* weights of order 1: curvature in every layer */
        ob_mlp_set_param(&m, i, ob_mlp_param(&m, i) * 2 + 0.1 * gsl_ran_gaussian(r, 1));
    size_t rev[NS];
    for (int i = 0; i < NS; i++) rev[i] = NS - 1 - (size_t)i;
    double *H = malloc(P * P * sizeof *H), *Hc = malloc(P * P * sizeof *Hc);
    double *v = malloc(P * sizeof *v), *hv = malloc(P * sizeof *hv), *t0 = malloc(P * sizeof *t0);
    second_differences(&m, x, y, H);
    memcpy(t0, m.params, P * sizeof *t0);
    ob_mlp_hvp_data D = {.m = &m, .x = x, .d = NIN, .y = y, .n = NS,
                         .idx = c->reversed ? rev : NULL};
    /* the whole Hessian from P products against the second differences */
    double dn = 0, hn = 0;
    for (size_t j = 0; j < P; j++) {
        memset(v, 0, P * sizeof *v);
        v[j] = 1;
        assert_int_equal(ob_mlp_hvp(&D, v, hv, &err), OB_OK);
        for (size_t i = 0; i < P; i++) {
            dn += (hv[i] - H[i * P + j]) * (hv[i] - H[i * P + j]);
            hn += H[i * P + j] * H[i * P + j];
        }
    }
    assert_true(hn > 1e-6);
    if (!(sqrt(dn / hn) <= 1e-4)) fail_msg("%s: |H_hvp - H|_F/|H|_F = %g", c->label, sqrt(dn / hn));
    assert_memory_equal(m.params, t0, P * sizeof *t0); /* the point is left as it was */
    /* the top eigenvalue: GSL on the second-difference Hessian against the estimator */
    memcpy(Hc, H, P * P * sizeof *H);
    double want = gsl_top_eig(Hc, P);
    ob_sharpness s;
    assert_int_equal(ob_sharpness_alloc(&s, P, 0, 0, 4, &err), OB_OK);
    ob_sharp_est e;
    for (int k = 0; k < 2; k++) { /* default cap (20 products), then warm */
        assert_int_equal(ob_sharpness_estimate(&s, ob_mlp_hvp_cb, &D, NULL, &e, &err), OB_OK);
        assert_true(e.products <= OB_SHARP_PRODUCTS);
        if (!(fabs(e.lambda - want) <= 1e-4 * fabs(want)))
            fail_msg("%s: estimate %d: %.10g (%d products, residual %g), gsl %.10g", c->label, k,
                     e.lambda, e.products, e.residual, want);
    }
    ob_sharpness_free(&s);
    free(H), free(Hc), free(v), free(hv), free(t0);
    gsl_rng_free(r);
    ob_mlp_free(&m);
}

int main(void)
{
    gsl_set_error_handler_off();
    static struct CMUnitTest tests[N_CASES + 16];
    static char names[N_CASES + 16][64];
    size_t t = 0;
    for (size_t c = 0; c < N_CASES; c++, t++) {
        snprintf(names[t], sizeof names[t], "hvp/%s", cases[c].label);
        tests[t] = (struct CMUnitTest){names[t], check_problem_hvp, NULL, NULL, (void *)&cases[c]};
    }
    for (size_t c = 0; c < sizeof nets / sizeof nets[0]; c++, t++) {
        snprintf(names[t], sizeof names[t], "net-hvp/%s", nets[c].label);
        tests[t] = (struct CMUnitTest){names[t], check_net_hvp, NULL, NULL, (void *)&nets[c]};
    }
    const struct CMUnitTest single[] = {
        cmocka_unit_test(test_sharpness_quadratic),
        cmocka_unit_test(test_sharpness_rosenbrock),
        cmocka_unit_test(test_sharpness_preconditioned),
    };
    for (size_t k = 0; k < sizeof single / sizeof single[0]; k++) tests[t++] = single[k];
    return ob_run_tests_n("hvp", tests, t, NULL, NULL);
}
