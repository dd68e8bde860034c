/* test_problems.c - every analytic problem crossed with every check (as GSL's
 * multimin/test.c crosses its minimizers with its test functions).
 *
 * Each case of `cases` is run through each check of `checks`; one cmocka test per pair,
 * named "check/case".  Checks that do not apply to a case (no x*, no global L, not a
 * finite sum) verify the problem says so instead.  Run from the repository root (the
 * --data cases read tests/fixtures/).  Tolerances are on the lines that use them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include "tests/runner.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include "problems/linalg.h"
#include "problems/problem.h"

typedef struct {
    const char *label; /* shown in the test name */
    const char *type;
    ob_problem_opts o;
} tcase;

static const tcase cases[] = {
    {"saddle", "saddle", {0}},
    {"rosenbrock", "rosenbrock", {0}},
    {"rosenbrock-5", "rosenbrock", {.dim = 5}},
    {"beale", "beale", {0}},
    {"rastrigin", "rastrigin", {0}}, /* shifted: the default (problem.h's shift_radius) */
    {"rastrigin-3", "rastrigin", {.dim = 3}},
    {"rastrigin-3-textbook", "rastrigin", {.dim = 3, .textbook = 1}},
    {"quadratic", "quadratic", {0}},
    {"quadratic-1", "quadratic", {.dim = 1}},
    {"quadratic-5", "quadratic", {.dim = 5, .kappa = 50}},
    {"quadratic-5-textbook", "quadratic", {.dim = 5, .kappa = 50, .textbook = 1}},
    {"quadratic-6-rotate", "quadratic", {.dim = 6, .kappa = 100, .rotate = 1, .seed = 3}},
    {"quadratic-6-rotate-textbook", "quadratic", {.dim = 6, .kappa = 100, .rotate = 1, .seed = 3,
                                                  .textbook = 1}},
    {"quadratic_deep", "quadratic_deep", {.seed = 1}},
    {"quadratic_deep-textbook", "quadratic_deep", {.seed = 1, .textbook = 1}},
    {"logreg", "logreg", {.dim = 5, .samples = 200, .seed = 2}},
    {"logreg-default", "logreg", {0}},
    {"logreg-separable", "logreg", {.dim = 4, .samples = 100, .seed = 5, .separable = 1}},
    {"logreg-separable-l2", "logreg", {.dim = 4, .samples = 100, .seed = 5, .separable = 1, .l2 = 0.1}},
    {"logreg-data", "logreg", {.data = "tests/fixtures/logreg.csv"}},
    {"logreg-data-separable", "logreg", {.data = "tests/fixtures/logreg_separable.csv"}},
    {"lsq", "lsq", {.dim = 5, .samples = 50, .seed = 4, .kappa = 30}},
    {"lsq-default", "lsq", {0}},
    {"lsq-l2", "lsq", {.dim = 3, .samples = 20, .seed = 6, .l2 = 0.5}},
    {"lsq-data", "lsq", {.data = "tests/fixtures/lsq.csv"}},
};
#define N_CASES (sizeof cases / sizeof cases[0])

/* ---- helpers ---- */

static void make(ob_problem *p, const tcase *c)
{
    ob_error err = {{0}};
    const ob_problem_type *T = ob_problem_find(c->type);
    assert_non_null(T);
    ob_status s = ob_problem_create(p, T, &c->o, &err);
    if (s != OB_OK) fail_msg("%s: %s (%s)", c->label, ob_status_name(s), err.msg);
}

static double norm_diff(const double *a, const double *b, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
    return sqrt(s);
}

static double sumsq(const double *a, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += a[i] * a[i];
    return s;
}

/* A reproducible point near the default start: x0 + U(-1, 1) per coordinate. */
static void random_point(const ob_problem *p, gsl_rng *r, double *x)
{
    for (size_t i = 0; i < p->dim; i++) x[i] = p->x0[i] + 2.0 * gsl_rng_uniform(r) - 1.0;
}

/* ---- (a) gradient against central finite differences ---- */
static void check_gradient(void **state)
{
    const tcase *c = *state;
    ob_problem p;
    make(&p, c);
    size_t n = p.dim;
    double *x = malloc(n * sizeof *x), *g = malloc(n * sizeof *g), *fd = malloc(n * sizeof *fd);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 11);
    for (int k = 0; k < 5; k++) {
        random_point(&p, r, x);
        double gn2 = -1;
        p.type->fdf(&p, x, g, &gn2);
        for (size_t i = 0; i < n; i++) {
            double xi = x[i], h = 1e-5 * fmax(1.0, fabs(xi)); /* central difference, O(h^2) */
            x[i] = xi + h;
            double fp = ob_problem_f(&p, x);
            x[i] = xi - h;
            double fm = ob_problem_f(&p, x);
            x[i] = xi;
            fd[i] = (fp - fm) / (2 * h);
        }
        double gn = sqrt(sumsq(g, n));
        assert_true(gn > 1e-6); /* an all-zero gradient must not pass trivially (genann) */
        double rel = norm_diff(g, fd, n) / gn;
        if (!(rel < 1e-6)) fail_msg("%s: point %d: |g - fd|/|g| = %g", c->label, k, rel);
        /* the fused ||g||^2 matches the gradient it came with */
        assert_true(fabs(gn2 - sumsq(g, n)) <= 1e-12 * sumsq(g, n));
        /* f alone equals f from the fused call */
        assert_true(ob_problem_f(&p, x) == p.type->fdf(&p, x, g, NULL));
    }
    gsl_rng_free(r);
    free(x), free(g), free(fd);
    ob_problem_free(&p);
}

/* ---- (b) f(x*) = f* and g(x*) = 0 where x* is known; f >= f* near the start ---- */
static void check_optimum(void **state)
{
    const tcase *c = *state;
    ob_problem p;
    make(&p, c);
    size_t n = p.dim;
    double *x = malloc(n * sizeof *x), *g = malloc(n * sizeof *g);
    assert_true(p.f_star_kind != OB_FSTAR_UNKNOWN && isfinite(p.f_star));
    /* logreg's minimizer exists unless the data are separable and l2 = 0: BFGS found it */
    if (!strcmp(c->type, "logreg") && !(strstr(c->label, "separable") && c->o.l2 == 0))
        assert_int_equal(p.f_star_kind, OB_FSTAR_COMPUTED);
    if (p.x_star) {
        double gn2 = -1, f = p.type->fdf(&p, p.x_star, g, &gn2);
        if (!(fabs(f - p.f_star) <= 1e-12 * fmax(1.0, fabs(p.f_star))))
            fail_msg("%s: f(x*) = %.17g, f* = %.17g", c->label, f, p.f_star);
        double scale = isfinite(p.L) ? p.L : 1.0; /* gradient ~ L * rounding of x* */
        if (!(sqrt(gn2) <= 1e-9 * scale)) fail_msg("%s: |g(x*)| = %g", c->label, sqrt(gn2));
    } else {
        /* no minimizer: only an infimum (logreg on separable data) */
        assert_int_equal(p.f_star_kind, OB_FSTAR_LOWER_BOUND);
    }
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 12);
    for (int k = 0; k < 20; k++) {
        random_point(&p, r, x);
        assert_true(ob_problem_f(&p, x) >= p.f_star - 1e-12 * fmax(1.0, fabs(p.f_star)));
    }
    gsl_rng_free(r);
    free(x), free(g);
    ob_problem_free(&p);
}

/* ---- (d) L: power iteration on finite-difference Hessian-vector products at x = 0
 * (the shift of a shifted instance), where every problem with a global L attains it
 * (constant Hessian for the quadratics and lsq; sigma'(0) = 1/4 for logreg; cos(0) = 1
 * for rastrigin); then |g(x) - g(y)| <= L |x - y| on random pairs. ---- */
static double power_iteration(const ob_problem *p, int iters)
{
    size_t n = p->dim;
    double *v = malloc(n * sizeof *v), *xp = malloc(n * sizeof *xp), *xm = malloc(n * sizeof *xm);
    double *gp = malloc(n * sizeof *gp), *gm = malloc(n * sizeof *gm), h = 1e-5, rq = 0;
    for (size_t i = 0; i < n; i++) v[i] = 1.0 / sqrt((double)n) * (i % 2 ? 1.0 : -0.5 - 0.01 * i);
    for (int it = 0; it < iters; it++) {
        double nv = sqrt(sumsq(v, n));
        for (size_t i = 0; i < n; i++) {
            double c = p->shift ? p->shift[i] : 0;
            v[i] /= nv, xp[i] = c + h * v[i], xm[i] = c - h * v[i];
        }
        p->type->fdf(p, xp, gp, NULL);
        p->type->fdf(p, xm, gm, NULL);
        rq = 0;
        for (size_t i = 0; i < n; i++) { /* Hv ~ (g(hv) - g(-hv)) / 2h; Rayleigh quotient */
            double hv = (gp[i] - gm[i]) / (2 * h);
            rq += v[i] * hv;
            v[i] = hv;
        }
    }
    free(v), free(xp), free(xm), free(gp), free(gm);
    return rq;
}

static void check_lipschitz(void **state)
{
    const tcase *c = *state;
    ob_problem p;
    make(&p, c);
    assert_true(p.L_source[0] != '\0'); /* says how L was found, or why there is none */
    if (isnan(p.L)) goto done;          /* not globally L-smooth: nothing to check */
    size_t n = p.dim;
    double lam = power_iteration(&p, 3000);
    if (!(fabs(lam - p.L) <= 1e-6 * p.L)) fail_msg("%s: power iteration %.12g, L = %.12g", c->label, lam, p.L);
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    double *gx = malloc(n * sizeof *gx), *gy = malloc(n * sizeof *gy);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 13);
    for (int k = 0; k < 50; k++) {
        random_point(&p, r, x);
        for (size_t i = 0; i < n; i++) y[i] = x[i] + (k < 25 ? 1e-3 : 1.0) * (gsl_rng_uniform(r) - 0.5);
        p.type->fdf(&p, x, gx, NULL);
        p.type->fdf(&p, y, gy, NULL);
        assert_true(norm_diff(gx, gy, n) <= p.L * norm_diff(x, y, n) * (1 + 1e-9));
    }
    gsl_rng_free(r);
    free(x), free(y), free(gx), free(gy);
done:
    ob_problem_free(&p);
}

/* ---- (e) finite sums: batch over everything = full; mean of single-sample
 * gradients = full gradient.  Other problems: no batch, no samples. ---- */
static void check_batch(void **state)
{
    const tcase *c = *state;
    ob_problem p;
    make(&p, c);
    if (!p.type->fdf_batch) {
        assert_int_equal(p.n_samples, 0);
        ob_problem_free(&p);
        return;
    }
    size_t n = p.dim, N = p.n_samples;
    assert_true(N > 0);
    size_t *idx = malloc(N * sizeof *idx);
    double *x = malloc(n * sizeof *x), *g = malloc(n * sizeof *g), *gb = malloc(n * sizeof *gb);
    double *gi = malloc(n * sizeof *gi), *gmean = calloc(n, sizeof *gmean);
    for (size_t i = 0; i < N; i++) idx[i] = i;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 14);
    random_point(&p, r, x);
    double f = p.type->fdf(&p, x, g, NULL), fb = p.type->fdf_batch(&p, x, gb, idx, N), fmean = 0;
    assert_true(fabs(f - fb) <= 1e-12 * fabs(f));
    assert_true(norm_diff(g, gb, n) <= 1e-12 * sqrt(sumsq(g, n)));
    for (size_t i = 0; i < N; i++) {
        fmean += p.type->fdf_batch(&p, x, gi, &idx[i], 1) / (double)N;
        for (size_t j = 0; j < n; j++) gmean[j] += gi[j] / (double)N;
    }
    assert_true(fabs(f - fmean) <= 1e-12 * fabs(f));
    assert_true(norm_diff(g, gmean, n) <= 1e-10 * sqrt(sumsq(g, n)));
    gsl_rng_free(r);
    free(idx), free(x), free(g), free(gb), free(gi), free(gmean);
    ob_problem_free(&p);
}

/* ---- (g) the same seed gives bit-identical data, another seed other data ---- */
static void fingerprint(const tcase *c, unsigned long seed, double *out /* (3) */)
{
    tcase cc = *c;
    cc.o.seed = seed;
    ob_problem p;
    make(&p, &cc);
    double *x = malloc(p.dim * sizeof *x), *g = malloc(p.dim * sizeof *g);
    for (size_t i = 0; i < p.dim; i++) x[i] = sin(1.0 + (double)i); /* a fixed point */
    out[0] = p.type->fdf(&p, x, g, &out[1]);
    out[2] = p.L;
    free(x), free(g);
    ob_problem_free(&p);
}

static void check_seed(void **state)
{
    const tcase *c = *state;
    double a[3], b[3], d[3];
    fingerprint(c, 7, a);
    fingerprint(c, 7, b);
    assert_memory_equal(a, b, sizeof a);
    int random_data = strcmp(c->type, "quadratic_deep") == 0 || c->o.rotate ||
                      ((!strcmp(c->type, "logreg") || !strcmp(c->type, "lsq")) && !c->o.data);
    if (!random_data) return;
    fingerprint(c, 8, d);
    assert_true(a[0] != d[0] && a[1] != d[1]);
}

/* ---- registry and metadata ---- */
static void test_registry(void **state)
{
    (void)state;
    size_t k = 0;
    for (; ob_problem_types[k]; k++) {
        const ob_problem_type *T = ob_problem_types[k];
        assert_true(T->name && T->formula && T->citation && T->options && T->init && T->fdf);
        assert_ptr_equal(ob_problem_find(T->name), T);
        for (size_t j = 0; j < k; j++) assert_string_not_equal(ob_problem_types[j]->name, T->name);
    }
    assert_int_equal(k, 8);
    assert_null(ob_problem_find("no-such-problem"));
    assert_null(ob_problem_find(NULL));
}

/* 2-D problems carry a plotting box that contains the start and the minimizer. */
static void test_boxes(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_CASES; k++) {
        ob_problem p;
        make(&p, &cases[k]);
        if (p.has_box) {
            assert_int_equal(p.dim, 2);
            for (int i = 0; i < 2; i++) {
                assert_true(p.box[2 * i] < p.x0[i] && p.x0[i] < p.box[2 * i + 1]);
                if (p.x_star) assert_true(p.box[2 * i] <= p.x_star[i] && p.x_star[i] <= p.box[2 * i + 1]);
            }
        }
        ob_problem_free(&p);
    }
}

/* the saddle's minimizers as a curve (problems/problem.h's minimizer_curve): every point
 * on w1 w2 = 1 and inside the box, both branches in its plotting box [-2,2]^2 (w1 from
 * 1/2 to 2 on each, by hand), one branch in [0,3] x [0.2,1] (w1 from 1 to 3), none in
 * [-0.5,0.5]^2; every other problem declares none (its minimizer is x_star) */
static void test_minimizer_curve(void **state)
{
    (void)state;
    ob_problem p;
    ob_error err = {{0}};
    ob_problem_opts o = {0};
    assert_int_equal(ob_problem_create(&p, ob_problem_find("saddle"), &o, &err), OB_OK);
    assert_non_null(p.type->minimizer_curve);
    static const double boxes[3][4] = {{-2, 2, -2, 2}, {0, 3, 0.2, 1}, {-0.5, 0.5, -0.5, 0.5}};
    static const size_t branches[3] = {2, 1, 0};
    static const double lo[3] = {0.5, 1, NAN}, hi[3] = {2, 3, NAN};
    double xy[2 * 101];
    for (int k = 0; k < 3; k++) {
        size_t n = p.type->minimizer_curve(&p, boxes[k], xy, 101), gaps = 0;
        double mn = INFINITY, mx = -INFINITY;
        for (size_t i = 0; i < n; i++) {
            double x = xy[2 * i], y = xy[2 * i + 1];
            if (isnan(x)) {
                gaps++;
                continue;
            }
            assert_true(fabs(x * y - 1) < 1e-12);
            assert_true(x >= boxes[k][0] && x <= boxes[k][1] && y >= boxes[k][2] - 1e-12 &&
                        y <= boxes[k][3] + 1e-12);
            mn = fmin(mn, fabs(x)), mx = fmax(mx, fabs(x));
        }
        assert_int_equal(n ? gaps + 1 : 0, branches[k]);
        if (n) {
            assert_true(fabs(mn - lo[k]) < 1e-12 && fabs(mx - hi[k]) < 1e-12);
            assert_true(n >= 50); /* enough points to draw it smooth */
        }
    }
    ob_problem_free(&p);
    for (size_t k = 0; ob_problem_types[k]; k++)
        if (strcmp(ob_problem_types[k]->name, "saddle"))
            assert_null(ob_problem_types[k]->minimizer_curve);
}

/* ---- (c) the quadratic at hand-worked points ---- */
static void test_quadratic_by_hand(void **state)
{
    (void)state;
    /* dim 3, kappa 4: lambda = 4^(0/2), 4^(1/2), 4^(2/2) = 1, 2, 4.  At x = (1, 2, 3):
     * g = (1, 4, 12), f = 0.5 (1 + 8 + 36) = 22.5, ||g||^2 = 1 + 16 + 144 = 161. */
    tcase c = {"q3", "quadratic", {.dim = 3, .kappa = 4, .textbook = 1}};
    ob_problem p;
    make(&p, &c);
    double x[3] = {1, 2, 3}, g[3], gn2;
    assert_true(p.type->fdf(&p, x, g, &gn2) == 22.5);
    assert_true(g[0] == 1 && g[1] == 4 && g[2] == 12 && gn2 == 161);
    assert_true(p.L == 4 && p.f_star == 0 && p.f_star_kind == OB_FSTAR_EXACT);
    assert_true(ob_problem_f(&p, p.x0) == 3.5); /* 0.5 (1 + 2 + 4) */
    ob_problem_free(&p);
    /* --rotate keeps the spectrum: f(Q e) is 0.5 x^T A x, and the trace of A, sum of
     * e_i^T A e_i = 2 sum_i f(e_i), is 1 + 2 + 4 = 7 */
    c.o.rotate = 1, c.o.seed = 9;
    make(&p, &c);
    double tr = 0;
    for (int i = 0; i < 3; i++) {
        double e[3] = {0, 0, 0};
        e[i] = 1;
        tr += 2 * ob_problem_f(&p, e);
    }
    assert_true(fabs(tr - 7) < 1e-13);
    ob_problem_free(&p);
}

/* ---- (h) the 10^7-dimensional diagonal quadratic, in closed form ---- */
static void test_quadratic_huge(void **state)
{
    (void)state;
    const size_t n = 10000000;
    const double kappa = 100;
    tcase c = {"q1e7", "quadratic", {.dim = n, .textbook = 1}};
    ob_problem p;
    make(&p, &c);
    double *g = malloc(n * sizeof *g), gn2, gn2_1;
    /* f(1) = 0.5 sum_k kappa^(k/(n-1)) = 0.5 (r^n - 1)/(r - 1), r = kappa^(1/(n-1));
     * ||g(1)||^2 = sum_k kappa^(2k/(n-1)), the same series with r^2 */
    double a = log(kappa) / (double)(n - 1);
    double f_exact = 0.5 * expm1(a * (double)n) / expm1(a);
    double g_exact = expm1(2 * a * (double)n) / expm1(2 * a);
    double f = p.type->fdf(&p, p.x0, g, &gn2);
    assert_true(fabs(f - f_exact) <= 1e-9 * f_exact);
    assert_true(fabs(gn2 - g_exact) <= 1e-9 * g_exact);
    assert_true(p.L == kappa && g[0] == 1.0 && g[n - 1] == kappa);
    /* bit-identical for any thread count (fixed blocks, partials added in order) */
    int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    double f1 = p.type->fdf(&p, p.x0, g, &gn2_1);
    omp_set_num_threads(threads);
    assert_memory_equal(&f, &f1, sizeof f);
    assert_memory_equal(&gn2, &gn2_1, sizeof gn2);
    assert_true(ob_problem_f(&p, p.x0) == f); /* the f-only path agrees too */
    free(g);
    ob_problem_free(&p);
}

/* ---- known values of the other problems ---- */
static void test_known_values(void **state)
{
    (void)state;
    ob_problem p;
    tcase sad = {"saddle", "saddle", {0}}, ros = {"rosen", "rosenbrock", {0}};
    tcase bea = {"beale", "beale", {0}}, ras = {"rastrigin", "rastrigin", {.textbook = 1}};
    make(&p, &sad); /* the origin is a critical point with f = 1 */
    double z[2] = {0, 0}, g[2], gn2;
    assert_true(p.type->fdf(&p, z, g, &gn2) == 1.0 && gn2 == 0.0);
    ob_problem_free(&p);
    make(&p, &ros); /* f(-1.2, 1) = 100 (1 - 1.44)^2 + 2.2^2 = 19.36 + 4.84 = 24.2 */
    assert_true(fabs(ob_problem_f(&p, p.x0) - 24.2) < 1e-12);
    ob_problem_free(&p);
    make(&p, &bea); /* f(1, 1) = 1.5^2 + 2.25^2 + 2.625^2 = 14.203125 */
    assert_true(ob_problem_f(&p, p.x0) == 14.203125);
    ob_problem_free(&p);
    make(&p, &ras); /* integer points: f(1, 2) = 1 + 4 (cosines are 1) */
    double x[2] = {1, 2};
    assert_true(fabs(ob_problem_f(&p, x) - 5.0) < 1e-12);
    assert_true(p.L == 2 + 40 * 3.14159265358979323846 * 3.14159265358979323846);
    ob_problem_free(&p);
}

/* ---- (i) the shift: a shifted instance is the textbook one moved by x* ----
 * For each type whose textbook minimizer is the origin: x* = shift, within [-r, r]^n and
 * not 0, another seed another x*; f(x*) = f* exactly, gradient 0 there; f, g and Hv at x
 * equal the textbook form's at x - x* (to rounding); x0 - x* is the textbook start; the
 * box moves with it; every other type has no shift, and --shift 0 none. */
static void test_shift(void **state)
{
    (void)state;
    const tcase shifted[] = {{"q", "quadratic", {.dim = 4, .kappa = 20, .seed = 2}},
                             {"qr", "quadratic", {.dim = 3, .rotate = 1, .seed = 5}},
                             {"q2", "quadratic", {.dim = 2, .seed = 1}},
                             {"r", "rastrigin", {.dim = 2, .seed = 1}},
                             {"r5", "rastrigin", {.dim = 5, .seed = 4}},
                             {"d", "quadratic_deep", {.seed = 1}}};
    for (size_t k = 0; k < sizeof shifted / sizeof *shifted; k++) {
        tcase t = shifted[k], t2 = shifted[k];
        t.o.textbook = 1;
        t2.o.seed += 1;
        ob_problem p, q, p2;
        make(&p, &shifted[k]);
        make(&q, &t);
        make(&p2, &t2);
        size_t n = p.dim;
        double r = p.type->shift_radius, moved = 0;
        assert_true(r > 0 && p.shift && !q.shift && p2.shift && q.x_star);
        int differ = 0;
        for (size_t i = 0; i < n; i++) {
            assert_true(fabs(p.shift[i]) <= r && p.x_star[i] == p.shift[i] && q.x_star[i] == 0);
            assert_true(fabs((p.x0[i] - p.x_star[i]) - q.x0[i]) <= 1e-15 * (1 + fabs(q.x0[i])));
            moved += fabs(p.shift[i]);
            differ |= p2.shift[i] != p.shift[i];
        }
        assert_true(moved > 0.05 * r * (double)n && differ);
        if (q.has_box)
            for (int b = 0; b < 4; b++) assert_true(p.box[b] == q.box[b] + p.shift[b / 2]);
        double *g = malloc(n * sizeof *g), *gq = malloc(n * sizeof *gq), *x = malloc(n * sizeof *x),
               *z = malloc(n * sizeof *z), *v = malloc(n * sizeof *v), *hv = malloc(n * sizeof *hv),
               *hq = malloc(n * sizeof *hq), gn2;
        assert_true(p.type->fdf(&p, p.x_star, g, &gn2) == p.f_star && gn2 == 0);
        assert_true(p.f_star == q.f_star && p.L == q.L);
        gsl_rng *rg = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(rg, 15);
        for (int m = 0; m < 5; m++) {
            random_point(&p, rg, x);
            for (size_t i = 0; i < n; i++) z[i] = x[i] - p.shift[i], v[i] = gsl_rng_uniform(rg) - 0.5;
            double f = p.type->fdf(&p, x, g, NULL), fq = q.type->fdf(&q, z, gq, NULL);
            assert_true(fabs(f - fq) <= 1e-12 * fmax(1, fabs(fq)));
            assert_true(norm_diff(g, gq, n) <= 1e-12 * fmax(1, sqrt(sumsq(gq, n))));
            p.type->hvp(&p, x, v, hv);
            q.type->hvp(&q, z, v, hq);
            assert_true(norm_diff(hv, hq, n) <= 1e-12 * fmax(1, sqrt(sumsq(hq, n))));
        }
        gsl_rng_free(rg);
        free(g), free(gq), free(x), free(z), free(v), free(hv), free(hq);
        ob_problem_free(&p);
        ob_problem_free(&q);
        ob_problem_free(&p2);
    }
    for (size_t k = 0; k < N_CASES; k++) { /* the rest: never shifted */
        ob_problem p;
        make(&p, &cases[k]);
        if (p.type->shift_radius == 0 || cases[k].o.textbook) assert_null(p.shift);
        else assert_non_null(p.shift);
        ob_problem_free(&p);
    }
}

/* ---- linalg: Haar orthonormal columns, and the synthetic lsq spectrum ---- */
static void test_orthonormal(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 21);
    const size_t shapes[3][2] = {{7, 7}, {40, 5}, {1, 1}};
    for (int s = 0; s < 3; s++) {
        size_t m = shapes[s][0], n = shapes[s][1];
        double *Q = malloc(m * n * sizeof *Q);
        assert_int_equal(ob_linalg_random_orthonormal(r, m, n, Q, NULL), OB_OK);
        for (size_t i = 0; i < n; i++) /* Q^T Q = I */
            for (size_t j = 0; j < n; j++) {
                double d = 0;
                for (size_t k = 0; k < m; k++) d += Q[k * n + i] * Q[k * n + j];
                assert_true(fabs(d - (i == j)) < 1e-13);
            }
        free(Q);
    }
    /* sign(diag R) fixed: over many draws Q_11 is positive about half of the time
     * (without the fix Householder QR makes it almost always one sign) */
    int pos = 0;
    for (int t = 0; t < 400; t++) {
        double Q[9];
        ob_linalg_random_orthonormal(r, 3, 3, Q, NULL);
        pos += Q[0] > 0;
    }
    assert_true(pos > 140 && pos < 260);
    gsl_rng_free(r);
}

static void test_lsq_spectrum(void **state)
{
    (void)state;
    /* A^T A / N has eigenvalues 1..kappa exactly, so L = kappa + l2 up to rounding */
    tcase c = {"lsq", "lsq", {.dim = 4, .samples = 30, .kappa = 50, .l2 = 0.25, .seed = 2}};
    ob_problem p;
    make(&p, &c);
    assert_true(fabs(p.L - 50.25) < 1e-12 * 50.25);
    assert_true(p.f_star > 0); /* noisy targets: the residual is not zero */
    ob_problem_free(&p);
}

/* ---- (f) bad options: OB_EINVAL (or the data errors) with a one-line message ---- */
static void test_bad_options(void **state)
{
    (void)state;
    static const struct {
        const char *type;
        ob_problem_opts o;
        ob_status want;
        const char *says; /* a word the message must contain */
    } bad[] = {
        {"saddle", {.dim = 3}, OB_EINVAL, "--dim"},
        {"beale", {.dim = 1}, OB_EINVAL, "--dim"},
        {"rosenbrock", {.dim = 1}, OB_EINVAL, "--dim"},
        {"quadratic", {.kappa = 0.5}, OB_EINVAL, "--kappa"},
        {"quadratic", {.kappa = NAN}, OB_EINVAL, "--kappa"},
        {"quadratic", {.dim = 5000, .rotate = 1}, OB_EINVAL, "--rotate"},
        {"quadratic_deep", {.dim = 50}, OB_EINVAL, "--dim"},
        {"lsq", {.dim = 10, .samples = 5}, OB_EINVAL, "--samples"},
        {"lsq", {.l2 = -1}, OB_EINVAL, "--l2"},
        {"lsq", {.data = "tests/fixtures/lsq.csv", .kappa = 10}, OB_EINVAL, "--kappa"},
        {"logreg", {.dim = 5000}, OB_EINVAL, "--dim"},
        {"logreg", {.data = "tests/fixtures/logreg.csv", .separable = 1}, OB_EINVAL, "--separable"},
        {"logreg", {.data = "tests/fixtures/logreg.csv", .dim = 7}, OB_EINVAL, "--dim"},
        {"logreg", {.data = "tests/fixtures/bad_target.csv"}, OB_EDATA, "bad_target.csv"},
        {"logreg", {.data = "tests/fixtures/no-such-file.csv"}, OB_EIO, "no-such-file.csv"},
        {"lsq", {.data = "tests/fixtures/ragged.csv"}, OB_EDATA, "ragged.csv"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        ob_problem p;
        ob_error err = {{0}};
        ob_status s = ob_problem_create(&p, ob_problem_find(bad[k].type), &bad[k].o, &err);
        if (s != bad[k].want || !strstr(err.msg, bad[k].says) || strchr(err.msg, '\n'))
            fail_msg("case %zu (%s): got %s \"%s\"", k, bad[k].type, ob_status_name(s), err.msg);
        assert_null(p.impl); /* a failed create leaves nothing allocated (ASan checks leaks) */
        assert_null(p.x0);
    }
}

/* ---- the cross product: one cmocka test per (check, case) ---- */
static const struct {
    const char *name;
    CMUnitTestFunction fn;
} checks[] = {
    {"gradient", check_gradient}, {"optimum", check_optimum}, {"lipschitz", check_lipschitz},
    {"batch", check_batch},       {"seed", check_seed},
};
#define N_CHECKS (sizeof checks / sizeof checks[0])

int main(void)
{
    gsl_set_error_handler_off(); /* as main does: GSL reports, the library decides */
    static struct CMUnitTest tests[N_CHECKS * N_CASES + 16];
    static char names[N_CHECKS * N_CASES][64];
    size_t t = 0;
    for (size_t k = 0; k < N_CHECKS; k++)
        for (size_t c = 0; c < N_CASES; c++, t++) {
            snprintf(names[t], sizeof names[t], "%s/%s", checks[k].name, cases[c].label);
            tests[t] = (struct CMUnitTest){names[t], checks[k].fn, NULL, NULL, (void *)&cases[c]};
        }
    const struct CMUnitTest single[] = {
        cmocka_unit_test(test_registry),         cmocka_unit_test(test_boxes),
        cmocka_unit_test(test_quadratic_by_hand), cmocka_unit_test(test_quadratic_huge),
        cmocka_unit_test(test_shift),
        cmocka_unit_test(test_known_values),     cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_orthonormal),      cmocka_unit_test(test_lsq_spectrum),
        cmocka_unit_test(test_minimizer_curve),
    };
    for (size_t k = 0; k < sizeof single / sizeof single[0]; k++) tests[t++] = single[k];
    return ob_run_tests_n("problems", tests, t, NULL, NULL);
}
