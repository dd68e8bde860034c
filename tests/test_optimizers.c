/* test_optimizers.c - every update rule against torch.optim's trajectory (golden values
 * from tests/golden/torch_golden.py and torch_golden_more.py) and against values worked
 * out by hand; both
 * precisions; thread-count independence; the GSL reference minimizers. */
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "optimizers/optimizer.h"
#include "tests/optim.h"
#include "tests/golden/torch_golden.h"
#include "tests/golden/torch_golden_more.h"

/* ---- golden trajectories ------------------------------------------------------------ */

typedef struct {
    const char *label;
    const char *opt;
    double lr;
    void (*set)(ob_hparams *h);
    const double (*gold)[GOLD_N];
    int steps; /* 0: GOLD_STEPS (torch_golden.h); the issue-11 rules: GOLD_MORE_STEPS */
} gold_case;

static void none(ob_hparams *h) { (void)h; }
static void wd03(ob_hparams *h) { h->weight_decay = 0.3; }
static void damp(ob_hparams *h) { h->momentum = 0.8; h->dampening = 0.3; }
static void etas(ob_hparams *h)
{
    h->eta_minus = 0.3; h->eta_plus = 1.5; h->step_min = 0.05; h->step_max = 0.4;
}
static void adagrad_decay(ob_hparams *h)
{
    h->lr_decay = 0.1; h->initial_accumulator_value = 0.2; h->weight_decay = 0.05;
}
static void rms_cm(ob_hparams *h)
{
    h->alpha = 0.9; h->centered = 1; h->momentum = 0.5; h->weight_decay = 0.1;
}
static void adam_wd(ob_hparams *h)
{
    h->beta1 = 0.8; h->beta2 = 0.99; h->eps = 1e-6; h->weight_decay = 0.2;
}
static void amsgrad(ob_hparams *h) { h->amsgrad = 1; }
static void adamw(ob_hparams *h) { h->decoupled = 1; h->weight_decay = 0.05; }
static void adamw_ams(ob_hparams *h)
{
    h->beta1 = 0.8; h->beta2 = 0.99; h->eps = 1e-6; h->weight_decay = 0.1; h->amsgrad = 1;
}
static void nadam_opts(ob_hparams *h)
{
    h->beta1 = 0.8; h->beta2 = 0.99; h->eps = 1e-6; h->weight_decay = 0.1;
    h->extra[0] = 0.05; /* --momentum-decay */
}
static void betas_wd(ob_hparams *h) /* radam */
{
    h->beta1 = 0.8; h->beta2 = 0.9; h->eps = 1e-6; h->weight_decay = 0.1;
}
static void adamax_opts(ob_hparams *h)
{
    h->beta1 = 0.8; h->beta2 = 0.99; h->eps = 1e-4; h->weight_decay = 0.1;
}
static void adadelta_opts(ob_hparams *h) { h->alpha = 0.5; h->eps = 1e-4; h->weight_decay = 0.1; }
#define MORE GOLD_MORE_STEPS

static const gold_case gold_cases[] = {
    {"sgd", "sgd", 0.1, none, gold_sgd, 0},
    {"sgd weight decay", "sgd", 0.1, wd03, gold_sgd_wd, 0},
    {"momentum", "momentum", 0.05, none, gold_momentum, 0},
    {"momentum dampening", "momentum", 0.05, damp, gold_momentum_damp, 0},
    {"nag", "nag", 0.05, none, gold_nag, 0},
    {"rprop", "rprop", 0.3, none, gold_rprop, 0},
    {"rprop etas", "rprop", 0.3, etas, gold_rprop_etas, 0},
    {"adagrad", "adagrad", 0.5, none, gold_adagrad, 0},
    {"adagrad lr_decay", "adagrad", 0.5, adagrad_decay, gold_adagrad_decay, 0},
    {"rmsprop", "rmsprop", 0.01, none, gold_rmsprop, 0},
    {"rmsprop centered", "rmsprop", 0.01, rms_cm, gold_rmsprop_cm, 0},
    {"adam", "adam", 0.1, none, gold_adam, 0},
    {"adam weight decay", "adam", 0.1, adam_wd, gold_adam_wd, 0},
    {"amsgrad", "adam", 0.1, amsgrad, gold_amsgrad, 0},
    {"adamw", "adam", 0.1, adamw, gold_adamw, 0},
    /* issue 11's rules, 12 steps (torch_golden_more.py) */
    {"adamw (rule)", "adamw", 0.1, none, gold_more_adamw, MORE},
    {"adamw amsgrad", "adamw", 0.1, adamw_ams, gold_more_adamw_ams, MORE},
    {"nadam", "nadam", 0.1, none, gold_more_nadam, MORE},
    {"nadam options", "nadam", 0.1, nadam_opts, gold_more_nadam_opts, MORE},
    {"radam", "radam", 0.1, none, gold_more_radam, MORE},
    {"radam options", "radam", 0.1, betas_wd, gold_more_radam_opts, MORE},
    {"adamax", "adamax", 0.1, none, gold_more_adamax, MORE},
    {"adamax options", "adamax", 0.1, adamax_opts, gold_more_adamax_opts, MORE},
    {"adadelta", "adadelta", 1.0, none, gold_more_adadelta, MORE},
    {"adadelta options", "adadelta", 0.5, adadelta_opts, gold_more_adadelta_opts, MORE},
};

/* the largest relative error against torch over all golden cases (reported by the test) */
static double worst_rel;

static void golden_grad(const double *x, double *g)
{
    for (int i = 0; i < GOLD_N; i++) g[i] = gold_d[i] * x[i] + gold_e[i];
}

static void test_golden_f64(void **st)
{
    (void)st;
    for (size_t c = 0; c < sizeof gold_cases / sizeof *gold_cases; c++) {
        const gold_case *gc = &gold_cases[c];
        ob_optimizer *o = make(gc->opt, gc->lr, gc->set, GOLD_N, OB_F64);
        double x[GOLD_N], g[GOLD_N];
        memcpy(x, gold_x0, sizeof x);
        for (int t = 0; t < (gc->steps ? gc->steps : GOLD_STEPS); t++) {
            golden_grad(x, g);
            double lr = gc->lr * gold_scale[t % GOLD_STEPS]; /* the scale, cycled */
            assert_int_equal(ob_optimizer_step(o, x, g, lr, NULL), OB_OK);
            for (int i = 0; i < GOLD_N; i++) {
                double want = gc->gold[t][i], tol = 1e-13 * (1 + fabs(want));
                double rel = fabs(x[i] - want) / (1 + fabs(want));
                worst_rel = rel > worst_rel ? rel : worst_rel;
                if (fabs(x[i] - want) > tol)
                    fail_msg("%s: step %d x[%d] = %.17g, torch %.17g", gc->label, t + 1, i,
                             x[i], want);
            }
        }
        ob_optimizer_free(o);
    }
    print_message("golden f64: worst |x - torch|/(1 + |torch|) = %.3g\n", worst_rel);
}

/* The float32 path runs the same rule (state in double, x and g rounded to float).
 * Rprop is left out here: it acts on the sign of g*g_prev, and in this trajectory a
 * coordinate lands where g is 0 in double but a float rounding error in float32, so
 * the two precisions legitimately take different branches. */
static void test_golden_f32(void **st)
{
    (void)st;
    for (size_t c = 0; c < sizeof gold_cases / sizeof *gold_cases; c++) {
        const gold_case *gc = &gold_cases[c];
        if (strcmp(gc->opt, "rprop") == 0) continue;
        ob_optimizer *o = make(gc->opt, gc->lr, gc->set, GOLD_N, OB_F32);
        float x[GOLD_N], g[GOLD_N];
        for (int i = 0; i < GOLD_N; i++) x[i] = (float)gold_x0[i];
        for (int t = 0; t < (gc->steps ? gc->steps : GOLD_STEPS); t++) {
            for (int i = 0; i < GOLD_N; i++) g[i] = (float)(gold_d[i] * x[i] + gold_e[i]);
            double lr = gc->lr * gold_scale[t % GOLD_STEPS];
            assert_int_equal(ob_optimizer_step(o, x, g, lr, NULL), OB_OK);
            for (int i = 0; i < GOLD_N; i++) {
                double want = gc->gold[t][i];
                if (fabs(x[i] - want) > 1e-5 * (1 + fabs(want)))
                    fail_msg("%s f32: step %d x[%d] = %.9g, torch %.17g", gc->label, t + 1, i,
                             (double)x[i], want);
            }
        }
        ob_optimizer_free(o);
    }
}

/* ---- hand-worked first steps -------------------------------------------------------- */

/* f = x^2/2, g = x: GD gives x_{t+1} = (1 - lr) x_t exactly. */
static void test_gd_contracts(void **st)
{
    (void)st;
    ob_optimizer *o = make("gd", 0.25, NULL, 1, OB_F64);
    double x = 8, g;
    for (int t = 0; t < 5; t++) {
        double want = 0.75 * x;
        g = x;
        ob_optimizer_step(o, &x, &g, 0.25, NULL);
        assert_true(x == want);
    }
    assert_true(x == 8 * pow(0.75, 5));
    ob_optimizer_free(o);
}

/* Adam's first step moves each coordinate by lr*|g|/(|g| + eps) ~ lr, whatever the
 * gradient's scale. */
static void test_adam_first_step_is_lr(void **st)
{
    (void)st;
    double g[5] = {1e-4, -3, 250, -1e6, 0.5}, x[5] = {0};
    ob_optimizer *o = make("adam", 0.01, NULL, 5, OB_F64);
    ob_optimizer_step(o, x, g, 0.01, NULL);
    for (int i = 0; i < 5; i++) {
        double want = -0.01 * (g[i] > 0 ? 1 : -1) * fabs(g[i]) / (fabs(g[i]) + 1e-8);
        assert_true(fabs(x[i] - want) < 1e-15);
        assert_true(fabs(fabs(x[i]) - 0.01) < 1e-6);
    }
    ob_optimizer_free(o);
}

/* Heavy ball with mu = 0.5, lr = 0.1 and a constant gradient g = 1:
 * buf = 1, 1.5, 1.75 -> x = -0.1, -0.25, -0.425. */
static void test_momentum_by_hand(void **st)
{
    (void)st;
    const double want[3] = {-0.1, -0.25, -0.425};
    for (int velocity_form = 0; velocity_form <= 1; velocity_form++) {
        const ob_optimizer_type *T = ob_optimizer_find("momentum");
        ob_hparams h;
        ob_hparams_default(T, &h);
        h.lr = 0.1;
        h.momentum = 0.5;
        h.velocity_form = velocity_form;
        ob_optimizer *o = ob_optimizer_alloc(T, &h, 1, OB_F64, NULL);
        assert_non_null(o);
        double x = 0, g = 1;
        for (int t = 0; t < 3; t++) {
            ob_optimizer_step(o, &x, &g, 0.1, NULL);
            assert_true(fabs(x - want[t]) < 1e-15);
        }
        ob_optimizer_free(o);
    }
}

/* NAG, torch form, mu = 0.5, lr = 0.1, g = 1: buf = 1, 1.5; g' = 1.5, 1.75;
 * x = -0.15, -0.325.  The velocity form gives the same for a constant lr. */
static void test_nag_by_hand(void **st)
{
    (void)st;
    const double want[2] = {-0.15, -0.325};
    for (int velocity_form = 0; velocity_form <= 1; velocity_form++) {
        const ob_optimizer_type *T = ob_optimizer_find("nag");
        ob_hparams h;
        ob_hparams_default(T, &h);
        h.lr = 0.1;
        h.momentum = 0.5;
        h.velocity_form = velocity_form;
        ob_optimizer *o = ob_optimizer_alloc(T, &h, 1, OB_F64, NULL);
        double x = 0, g = 1;
        for (int t = 0; t < 2; t++) {
            ob_optimizer_step(o, &x, &g, 0.1, NULL);
            assert_true(fabs(x - want[t]) < 1e-15);
        }
        ob_optimizer_free(o);
    }
}

/* With a changing lr the velocity form (--velocity-form) and torch's buffer form differ: torch
 * x2 = x1 - lr2*(mu*g + g); velocity form x2 = x1 + mu*(-lr1*g) - lr2*g. */
static void test_velocity_form_differs_with_schedule(void **st)
{
    (void)st;
    double xs[2];
    for (int velocity_form = 0; velocity_form <= 1; velocity_form++) {
        const ob_optimizer_type *T = ob_optimizer_find("momentum");
        ob_hparams h;
        ob_hparams_default(T, &h);
        h.momentum = 0.5;
        h.velocity_form = velocity_form;
        ob_optimizer *o = ob_optimizer_alloc(T, &h, 1, OB_F64, NULL);
        double x = 0, g = 1;
        ob_optimizer_step(o, &x, &g, 0.1, NULL);
        ob_optimizer_step(o, &x, &g, 0.01, NULL);
        xs[velocity_form] = x;
        ob_optimizer_free(o);
    }
    assert_true(fabs(xs[0] - (-0.1 - 0.01 * 1.5)) < 1e-15);
    assert_true(fabs(xs[1] - (-0.1 - 0.05 - 0.01)) < 1e-15);
}

/* Rprop by hand: lr 0.1, etas 0.5/1.2.  g = +1, +1, -1, -1:
 * step 0.1, x = -0.1; step 0.12, x = -0.22; sign change: step 0.06, no move, prev = 0;
 * then prod = 0: step stays 0.06, x = -0.22 + 0.06 = -0.16. */
static void test_rprop_by_hand(void **st)
{
    (void)st;
    const double gs[4] = {1, 1, -1, -1}, want[4] = {-0.1, -0.22, -0.22, -0.16};
    ob_optimizer *o = make("rprop", 0.1, NULL, 1, OB_F64);
    double x = 0;
    for (int t = 0; t < 4; t++) {
        double g = gs[t];
        ob_optimizer_step(o, &x, &g, 0.1, NULL);
        assert_true(fabs(x - want[t]) < 1e-15);
    }
    ob_optimizer_free(o);
}

static void set_sign(ob_hparams *h) { h->sign_only = 1; }

/* the optimization slides' sign step: x -= lr*sign(g), whatever |g| */
static void test_rprop_sign_only(void **st)
{
    (void)st;
    ob_optimizer *o = make("rprop", 0.1, set_sign, 3, OB_F64);
    double x[3] = {0, 0, 0}, g[3] = {5e3, -1e-9, 0};
    ob_optimizer_step(o, x, g, 0.1, NULL);
    assert_true(x[0] == -0.1 && x[1] == 0.1 && x[2] == 0);
    ob_optimizer_free(o);
}

static void set_inside(ob_hparams *h)
{
    h->eps_inside = 1;
    h->eps = 0.5;
}

/* AdaGrad first step: r = g^2, x = -lr*g/(|g|+eps); eps inside: -lr*g/sqrt(g^2+eps).
 * g = 2, lr = 1, eps = 0.5 (inside): -2/sqrt(4.5). */
static void test_adagrad_by_hand(void **st)
{
    (void)st;
    ob_optimizer *o = make("adagrad", 1, NULL, 1, OB_F64);
    double x = 0, g = 2;
    ob_optimizer_step(o, &x, &g, 1, NULL);
    assert_true(fabs(x - (-2 / (2 + 1e-10))) < 1e-16);
    g = 2; /* second: r = 8, x -= 2/(sqrt 8 + eps) */
    ob_optimizer_step(o, &x, &g, 1, NULL);
    assert_true(fabs(x - (-1 - 2 / sqrt(8))) < 1e-9);
    ob_optimizer_free(o);
    o = make("adagrad", 1, set_inside, 1, OB_F64);
    x = 0;
    g = 2;
    ob_optimizer_step(o, &x, &g, 1, NULL);
    assert_true(fabs(x - (-2 / sqrt(4.5))) < 1e-15);
    ob_optimizer_free(o);
}

/* RMSProp first step: r = (1-alpha) g^2 = 0.01 g^2, so x = -lr * g/(0.1|g| + eps)
 * ~= -10 lr sign(g); eps inside with alpha 0.75, g = 2, eps 0.5: -lr*2/sqrt(1 + 0.5). */
static void set_rms_inside(ob_hparams *h)
{
    h->eps_inside = 1;
    h->eps = 0.5;
    h->alpha = 0.75;
}

static void test_rmsprop_by_hand(void **st)
{
    (void)st;
    ob_optimizer *o = make("rmsprop", 0.01, NULL, 1, OB_F64);
    double x = 0, g = -3;
    ob_optimizer_step(o, &x, &g, 0.01, NULL);
    assert_true(fabs(x - 0.01 * 3 / (sqrt(0.01 * 9) + 1e-8)) < 1e-15);
    ob_optimizer_free(o);
    o = make("rmsprop", 0.01, set_rms_inside, 1, OB_F64);
    x = 0;
    g = 2;
    ob_optimizer_step(o, &x, &g, 0.01, NULL);
    assert_true(fabs(x - (-0.01 * 2 / sqrt(1.5))) < 1e-15);
    ob_optimizer_free(o);
}

/* ---- determinism across thread counts ------------------------------------------------ */

static void test_threads_bit_identical(void **st)
{
    (void)st;
    const size_t n = 3 * OB_PAR_MIN + 17;
    const char *names[] = {"sgd", "momentum", "nag", "rprop", "adagrad", "rmsprop", "adam",
                           "adamw", "nadam", "radam", "adamax", "adadelta", "lion"};
    double *x1 = malloc(n * sizeof *x1), *x2 = malloc(n * sizeof *x2), *g = malloc(n * sizeof *g);
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        double *xs[2] = {x1, x2};
        for (int run = 0; run < 2; run++) {
            omp_set_num_threads(run + 1);
            ob_optimizer *o = make(names[k], 1e-3, NULL, n, OB_F64);
            for (size_t i = 0; i < n; i++) xs[run][i] = sin((double)i);
            for (int t = 0; t < 3; t++) {
                for (size_t i = 0; i < n; i++) g[i] = xs[run][i] * (1 + (double)(i % 7));
                ob_optimizer_step(o, xs[run], g, 1e-3, NULL);
            }
            ob_optimizer_free(o);
        }
        assert_memory_equal(x1, x2, n * sizeof *x1);
    }
    omp_set_num_threads(2);
    free(x1);
    free(x2);
    free(g);
}

/* ---- GSL reference minimizers -------------------------------------------------------- */

static int fdf_calls;
static double quad_fdf(void *ctx, const double *x, double *g)
{
    (void)ctx;
    fdf_calls++;
    double f = 0;
    for (int i = 0; i < GOLD_N; i++) {
        g[i] = gold_d[i] * x[i] + gold_e[i];
        f += 0.5 * gold_d[i] * x[i] * x[i] + gold_e[i] * x[i];
    }
    return f;
}

static void test_gsl_minimizers(void **st)
{
    (void)st;
    const char *names[] = {"gsl-bfgs", "gsl-cg"};
    for (int k = 0; k < 2; k++) {
        ob_optimizer *o = make(names[k], 0.1, NULL, GOLD_N, OB_F64);
        ob_objective obj = {quad_fdf, NULL};
        double x[GOLD_N], g[GOLD_N] = {0};
        memcpy(x, gold_x0, sizeof x);
        fdf_calls = 0;
        ob_status s = OB_OK;
        for (int t = 0; t < 50 && s == OB_OK; t++) s = ob_optimizer_step(o, x, g, 0.1, &obj);
        for (int i = 0; i < GOLD_N; i++)
            assert_true(fabs(x[i] - (-gold_e[i] / gold_d[i])) < 1e-6);
        assert_true(fdf_calls > 0);
        ob_optimizer_free(o);
    }
    /* float32 parameters are refused with a message */
    const ob_optimizer_type *T = ob_optimizer_find("gsl-bfgs");
    ob_hparams h;
    ob_hparams_default(T, &h);
    ob_error err = {{0}};
    assert_null(ob_optimizer_alloc(T, &h, 4, OB_F32, &err));
    assert_non_null(strstr(err.msg, "float64"));
}

/* ---- validation ---------------------------------------------------------------------- */

static void test_bad_hparams(void **st)
{
    (void)st;
    const ob_optimizer_type *T = ob_optimizer_find("adam");
    struct {
        void (*set)(ob_hparams *);
        const char *needle;
    } bad[] = {
        {NULL, "--lr"}, {NULL, "--beta1"}, {NULL, "--eps"}, {NULL, "--momentum"},
        {NULL, "--etas"}, {NULL, "--step-sizes"}, {NULL, "--nesterov"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        ob_hparams h;
        ob_hparams_default(T, &h);
        switch (k) {
        case 0: h.lr = -1; break;
        case 1: h.beta1 = 1; break;
        case 2: h.eps = NAN; break;
        case 3: h.momentum = 1.5; break;
        case 4: h.eta_plus = 0.9; break;
        case 5: h.step_min = 2; h.step_max = 1; break;
        case 6: h.nesterov = 1; h.momentum = 0; break;
        }
        ob_error err = {{0}};
        assert_int_equal(ob_hparams_check(T, &h, &err), OB_EINVAL);
        if (!strstr(err.msg, bad[k].needle)) fail_msg("message '%s' lacks %s", err.msg, bad[k].needle);
    }
    assert_null(ob_optimizer_find("adamx"));
    for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++) {
        ob_hparams h;
        ob_hparams_default(*t, &h);
        assert_int_equal(ob_hparams_check(*t, &h, NULL), OB_OK);
        assert_ptr_equal(ob_optimizer_find((*t)->name), *t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_golden_f64),
        cmocka_unit_test(test_golden_f32),
        cmocka_unit_test(test_gd_contracts),
        cmocka_unit_test(test_adam_first_step_is_lr),
        cmocka_unit_test(test_momentum_by_hand),
        cmocka_unit_test(test_nag_by_hand),
        cmocka_unit_test(test_velocity_form_differs_with_schedule),
        cmocka_unit_test(test_rprop_by_hand),
        cmocka_unit_test(test_rprop_sign_only),
        cmocka_unit_test(test_adagrad_by_hand),
        cmocka_unit_test(test_rmsprop_by_hand),
        cmocka_unit_test(test_threads_bit_identical),
        cmocka_unit_test(test_gsl_minimizers),
        cmocka_unit_test(test_bad_hparams),
    };
    return ob_run_tests("optimizers", tests, NULL, NULL);
}
