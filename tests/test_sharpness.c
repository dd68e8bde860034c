/* test_sharpness.c - sharpness along a run (runs/run.c with sharpness_every) and the
 * stability thresholds (optimizers/threshold.h), checked by math:
 * - the quadratic's sharpness is kappa = L at every estimated row (diagonal and rotated);
 * - Rosenbrock's equals gsl_eigen_symm's top eigenvalue of the analytic Hessian at the
 *   logged iterate;
 * - gd, heavy ball and Nesterov run from the registry with lr 1% below their threshold
 *   (2/L, (2+2mu)/L, (2+2mu)/((1+2mu)L), worked out in threshold.c) converge and 1% above
 *   diverge;
 * - adam's logged threshold is (2+2 b1)/((1-b1) lr) and its preconditioned sharpness is
 *   the top eigenvalue of P^-1/2 H P^-1/2 with P = (1-b1^t)(sqrt(v_t/(1-b2^t)) + eps),
 *   v_t recomputed here from the gradients (Cohen et al. 2022, sec. 2). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_eigen.h>
#include <gsl/gsl_errno.h>

#include "tests/e2e.h"

#include "optimizers/threshold.h"
#include "problems/problem.h"
#include "runs/run.h"

static void make_problem(ob_problem *p, const char *type, const ob_problem_opts *o)
{
    ob_error err = {{0}};
    if (ob_problem_create(p, ob_problem_find(type), o, &err) != OB_OK) fail_msg("%s", err.msg);
}

static ob_run_config config(const ob_problem *p, const char *opt, double lr, long steps,
                            long every)
{
    ob_run_config c = {.prob = p, .opt = ob_optimizer_find(opt), .steps = steps, .seed = 1,
                       .sharpness_every = every};
    assert_non_null(c.opt);
    ob_hparams_default(c.opt, &c.h);
    c.h.lr = lr;
    c.sched = ob_schedule_default();
    return c;
}

/* the top eigenvalue of the (n, n) symmetric A (destroyed) */
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

/* what the rows said */
typedef struct {
    const ob_problem *p;
    double want;      /* the expected sharpness (quadratic), or NaN: GSL at r->x */
    double threshold; /* the expected threshold */
    int estimates, rows;
    double worst;     /* the largest relative error seen */
} seen;

static int check_row(void *ctx, const ob_row *r)
{
    seen *s = ctx;
    s->rows++;
    if (isnan(r->sharpness)) {
        assert_true(isnan(r->threshold) && isnan(r->sharpness_residual));
        return 0;
    }
    s->estimates++;
    double want = s->want;
    if (isnan(want)) { /* Rosenbrock's Hessian, by hand */
        size_t n = s->p->dim;
        double H[16] = {0};
        const double *x = r->x;
        for (size_t i = 0; i + 1 < n; i++) {
            H[i * n + i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
            H[i * n + i + 1] += -400 * x[i];
            H[(i + 1) * n + i] += -400 * x[i];
            H[(i + 1) * n + i + 1] += 200;
        }
        want = gsl_top_eig(H, n);
    }
    double rel = fabs(r->sharpness - want) / fabs(want);
    if (rel > s->worst) s->worst = rel;
    assert_true(fabs(r->threshold - s->threshold) <= 1e-14 * s->threshold);
    assert_true(r->sharpness_residual >= 0 && r->sharpness_products >= 1 &&
                r->sharpness_products <= 20);
    return 0;
}

static void test_quadratic_kappa(void **state)
{
    (void)state;
    for (int rot = 0; rot < 2; rot++) {
        ob_problem p;
        ob_problem_opts o = {.dim = 10, .kappa = 100, .rotate = rot, .seed = 4};
        make_problem(&p, "quadratic", &o);
        assert_true(p.L == 100);
        ob_run_config c = config(&p, "gd", 0.015, 200, 1);
        seen s = {.p = &p, .want = p.L, .threshold = 2 / 0.015};
        ob_observer obs = {.row = check_row, .ctx = &s, .every = 10};
        ob_run_result res;
        ob_error err = {{0}};
        assert_int_equal(ob_run(&c, &obs, NULL, &res, &err), OB_OK);
        assert_int_equal(s.estimates, 201); /* every step, whatever the log's every */
        if (!(s.worst <= 1e-8)) fail_msg("rotate %d: relative error %g", rot, s.worst);
        ob_problem_free(&p);
    }
}

static void test_rosenbrock_gsl(void **state)
{
    (void)state;
    ob_problem_opts o = {.dim = 4};
    ob_problem p;
    make_problem(&p, "rosenbrock", &o);
    ob_run_config c = config(&p, "momentum", 1e-4, 300, 20);
    seen s = {.p = &p, .want = NAN, .threshold = (2 + 2 * 0.9) / 1e-4};
    ob_observer obs = {.row = check_row, .ctx = &s, .every = 1};
    ob_run_result res;
    ob_error err = {{0}};
    assert_int_equal(ob_run(&c, &obs, NULL, &res, &err), OB_OK);
    assert_int_equal(s.estimates, 16);
    if (!(s.worst <= 1e-8)) fail_msg("relative error %g", s.worst);
    ob_problem_free(&p);
}

/* a run on the quadratic (L = 100) at lr with weight decay wd and dampening d */
static ob_status run_at(const char *opt, double lr, double wd, double d, int velocity,
                        ob_run_result *res)
{
    ob_problem p;
    /* the textbook form: with an L2 term the minimizer of f + wd/2 |x|^2 is the origin
     * only there, and below the threshold the run must reach it */
    ob_problem_opts o = {.dim = 10, .kappa = 100, .textbook = 1};
    make_problem(&p, "quadratic", &o);
    ob_run_config c = config(&p, opt, lr, 4000, 0);
    c.h.weight_decay = wd;
    c.h.dampening = d;
    c.h.velocity_form = velocity;
    ob_error err = {{0}};
    ob_status s = ob_run(&c, NULL, NULL, res, &err);
    ob_problem_free(&p);
    return s;
}

static void test_thresholds_quadratic(void **state)
{
    (void)state;
    const double L = 100, mu = 0.9;
    const struct {
        const char *opt;
        double wd, d; /* weight decay (adds wd to every eigenvalue), dampening */
        int velocity; /* the slides' velocity form (no dampening) */
        double a;     /* lr * (L + wd) at the edge, from the quadratic analysis */
    } rules[] = {
        {"gd", 0, 0, 0, 2},
        {"sgd", 0, 0, 0, 2},
        {"gd", 20, 0, 0, 2},
        {"momentum", 0, 0, 0, 2 + 2 * mu},
        {"momentum", 0, 0, 1, 2 + 2 * mu},
        {"momentum", 10, 0.3, 0, (2 + 2 * mu) / 0.7},
        {"nag", 0, 0, 0, (2 + 2 * mu) / (1 + 2 * mu)},
        {"nag", 0, 0, 1, (2 + 2 * mu) / (1 + 2 * mu)},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        const ob_optimizer_type *T = ob_optimizer_find(rules[i].opt);
        ob_hparams h;
        ob_hparams_default(T, &h);
        h.weight_decay = rules[i].wd, h.dampening = rules[i].d, h.velocity_form = rules[i].velocity;
        int pre = -1;
        double lr = 0.01, want = rules[i].a / lr - rules[i].wd;
        assert_true(fabs(ob_stability_threshold(T, &h, lr, &pre) - want) <= 1e-14 * want);
        assert_int_equal(pre, 0);
        for (int side = -1; side <= 1; side += 2) {
            ob_run_result res;
            double at = (1 + 0.01 * side) * rules[i].a / (L + rules[i].wd);
            assert_int_equal(run_at(rules[i].opt, at, rules[i].wd, rules[i].d, rules[i].velocity,
                                    &res), OB_OK);
            if (side < 0 && !(res.status == OB_OK && res.final_loss < 1e-8 * res.f0))
                fail_msg("%s (case %zu) 1%% below its threshold: %s, f %g", rules[i].opt, i,
                         ob_status_name(res.status), res.final_loss);
            if (side > 0 && res.status != OB_DIVERGED)
                fail_msg("%s (case %zu) 1%% above its threshold did not diverge (f %g)",
                         rules[i].opt, i, res.final_loss);
        }
    }
    /* no threshold known: NaN */
    ob_hparams h;
    ob_hparams_default(ob_optimizer_find("rmsprop"), &h);
    assert_true(isnan(ob_stability_threshold(ob_optimizer_find("rmsprop"), &h, 0.01, NULL)));
    ob_hparams_default(ob_optimizer_find("adam"), &h);
    h.weight_decay = 0.1; /* L2 through adam's gradient: not the paper's setting */
    assert_true(isnan(ob_stability_threshold(ob_optimizer_find("adam"), &h, 0.01, NULL)));
}

/* adam: the row at step K against P built here from the gradients of the same run */
typedef struct {
    const ob_problem *p;
    long K;
    double sharp, thr;
    double x[6];
} adam_seen;

static int adam_row(void *ctx, const ob_row *r)
{
    adam_seen *s = ctx;
    if (r->step == s->K) {
        s->sharp = r->sharpness;
        s->thr = r->threshold;
        memcpy(s->x, r->x, sizeof s->x);
    }
    if (r->step == 0) assert_true(isnan(r->sharpness)); /* no second moment yet */
    return 0;
}

static void check_adam(const char *rule, int amsgrad)
{
    enum { N = 6, K = 25 };
    ob_problem p;
    ob_problem_opts o = {.dim = N, .kappa = 50, .rotate = 1, .seed = 8};
    make_problem(&p, "quadratic", &o);
    const double lr = 0.05;
    ob_run_config c = config(&p, rule, lr, K, K);
    c.h.amsgrad = amsgrad;
    const double wd = c.h.weight_decay; /* adamw: decoupled, 0.01 */
    adam_seen s = {.p = &p, .K = K, .sharp = NAN};
    ob_observer obs = {.row = adam_row, .ctx = &s, .every = 1};
    ob_run_result res;
    ob_error err = {{0}};
    assert_int_equal(ob_run(&c, &obs, NULL, &res, &err), OB_OK);
    const double b1 = c.h.beta1, b2 = c.h.beta2, eps = c.h.eps;
    assert_true(fabs(s.thr - (2 + 2 * b1) / ((1 - b1) * lr)) <= 1e-14 * s.thr); /* 38/lr */
    /* replay adam by hand (torch's form, adam.c's header) to get v_K */
    double x[N], g[N], m[N] = {0}, v[N] = {0}, vmax[N] = {0};
    memcpy(x, p.x0, sizeof x);
    for (int t = 1; t <= K; t++) {
        p.type->fdf(&p, x, g, NULL);
        for (int i = 0; i < N; i++) {
            x[i] *= 1 - lr * wd; /* adamw's decoupled decay (wd = 0 for adam) */
            m[i] = b1 * m[i] + (1 - b1) * g[i];
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
            vmax[i] = fmax(vmax[i], v[i]);
            double vh = amsgrad ? vmax[i] : v[i];
            double denom = sqrt(vh) / sqrt(1 - pow(b2, t)) + eps;
            x[i] -= lr / (1 - pow(b1, t)) * m[i] / denom;
        }
    }
    for (int i = 0; i < N; i++) assert_true(fabs(x[i] - s.x[i]) <= 1e-12);
    double P[N], A[N * N], e[N] = {0};
    for (int i = 0; i < N; i++) /* Cohen et al. 2022: P = (1-b1^t)(sqrt(v/(1-b2^t)) + eps) */
        P[i] = (1 - pow(b1, K)) * (sqrt((amsgrad ? vmax[i] : v[i]) / (1 - pow(b2, K))) + eps);
    for (int j = 0; j < N; j++) {
        e[j] = 1;
        ob_problem_hvp(&p, x, e, A + j * N);
        e[j] = 0;
    }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) A[i * N + j] /= sqrt(P[i] * P[j]);
    double want = gsl_top_eig(A, N);
    if (!(fabs(s.sharp - want) <= 1e-8 * want))
        fail_msg("%s: %.17g, gsl %.17g", rule, s.sharp, want);
    ob_problem_free(&p);
}

static void test_adam_preconditioned(void **state)
{
    (void)state;
    check_adam("adam", 0);
    check_adam("adam", 1); /* AMSGrad: P from the running max of v */
    check_adam("adamw", 0);
}

/* the command line: the columns only with the option, rows at its multiples, bad values */
static void test_cli(void **state)
{
    (void)state;
    const char *q = "run --problem quadratic --optimizer gd --lr 0.01 --steps 20 --quiet";
    assert_int_equal(run("%s --sharpness-every 0 --out %s/a.csv", q, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--sharpness-every"));
    assert_false(exists("a.csv"));
    assert_int_equal(run("%s --sharpness-every 5 --sharpness-products 0 --out %s/a.csv", q, dir), 2);
    assert_non_null(strstr(slurp("stderr"), "--sharpness-products"));
    assert_int_equal(run("%s --out %s/plain.csv", q, dir), 0);
    assert_true(strncmp(slurp("plain.csv"), "step,loss,grad_norm,evals,lr,seconds,x1,", 40) == 0);
    table t = load("plain.csv"); /* every row, all numbers: no empty cells without the option */
    assert_int_equal(t.rows, 21);
    free(t.v);
    assert_int_equal(run("%s --sharpness-every 5 --log-every 7 --out %s/s.csv", q, dir), 0);
    const char *want = "step,loss,grad_norm,evals,lr,seconds,sharpness,threshold,"
                       "sharpness_residual,x1,";
    char *csv = slurp("s.csv");
    assert_true(strncmp(csv, want, strlen(want)) == 0);
    /* rows 0, 5, 7, 10, 14, 15, 20: the estimates at 0, 5, 10, 15, 20 */
    int rows = 0, estimates = 0;
    for (char *line = strchr(csv, '\n'); line && line[1]; line = strchr(line + 1, '\n')) {
        rows++;
        const char *c = line + 1;
        for (int k = 0; k < 6; k++) c = strchr(c, ',') + 1; /* the sharpness cell */
        if (*c != ',') {
            estimates++;
            assert_true(fabs(strtod(c, NULL) - 100) <= 1e-8 * 100); /* kappa */
        }
    }
    assert_int_equal(rows, 7);
    assert_int_equal(estimates, 5);
    assert_int_equal(run("run --help"), 0);
    assert_non_null(strstr(slurp("stdout"), "--sharpness-every"));
}

static int setup(void **st)
{
    (void)st;
    return e2e_setup("sharpness");
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quadratic_kappa),
        cmocka_unit_test(test_rosenbrock_gsl),
        cmocka_unit_test(test_thresholds_quadratic),
        cmocka_unit_test(test_adam_preconditioned),
        cmocka_unit_test(test_cli),
    };
    return ob_run_tests("sharpness", tests, setup, teardown);
}
