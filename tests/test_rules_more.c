/* test_rules_more.c - issue 11's rules beyond their golden trajectories (those are in
 * test_optimizers.c): Lion against steps worked out by hand, `adam --adamw` as exactly
 * adamw, and a float32 network trained by each new rule. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tests/runner.h"

#include "nets/dataset.h"
#include "nets/train.h"
#include "optimizers/optimizer.h"
#include "tests/optim.h"
#include "tests/golden/torch_golden.h"

static void amsgrad(ob_hparams *h) { h->amsgrad = 1; }

/* Lion (Chen et al. 2023, Algorithm 2), lr 0.1, b1 0.9, b2 0.99, wd 0.5, given gradients,
 * x0 = (1, -2, 0.5); c = 0.9 m + 0.1 g, x -= 0.1 (sign(c) + 0.5 x), m = 0.99 m + 0.01 g:
 *  1: g = (1, -2, 0), m = 0: c = (0.1, -0.2, 0), sign (1, -1, 0)          (sign(0) = 0)
 *     x = (1 - 0.1*1.5, -2 - 0.1*(-2), 0.5 - 0.1*0.25) = (0.85, -1.8, 0.475)
 *     m = (0.01, -0.02, 0)
 *  2: g = (-0.05, -0.3, -1): c = (0.009 - 0.005, -0.018 - 0.03, -0.1) = (0.004, -0.048, -0.1),
 *     sign (1, -1, -1) (coordinate 0: the momentum outvotes the gradient's sign)
 *     x = (0.85 - 0.1*1.425, -1.8 - 0.1*(-1.9), 0.475 - 0.1*(-0.7625))
 *       = (0.7075, -1.61, 0.55125);  m = (0.0094, -0.0228, -0.01)
 *  3: g = (-0.2, 0, 0.1): c = (0.00846 - 0.02, -0.02052, -0.009 + 0.01)
 *     = (-0.01154, -0.02052, 0.001), sign (-1, -1, 1)
 *     x = (0.7075 - 0.1*(-0.64625), -1.61 - 0.1*(-1.805), 0.55125 - 0.1*1.275625)
 *       = (0.772125, -1.4295, 0.4236875) */
static void lion_opts(ob_hparams *h) { h->weight_decay = 0.5; }
static void test_lion_by_hand(void **st)
{
    (void)st;
    const double g[3][3] = {{1, -2, 0}, {-0.05, -0.3, -1}, {-0.2, 0, 0.1}};
    const double want[3][3] = {
        {0.85, -1.8, 0.475}, {0.7075, -1.61, 0.55125}, {0.772125, -1.4295, 0.4236875}};
    for (int dt = 0; dt < 2; dt++) {
        ob_optimizer *o = make("lion", 0.1, lion_opts, 3, dt ? OB_F32 : OB_F64);
        double x[3] = {1, -2, 0.5};
        float xf[3] = {1, -2, 0.5f}, gf[3];
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 3; i++) gf[i] = (float)g[t][i];
            void *xp = dt ? (void *)xf : (void *)x;
            ob_optimizer_step(o, xp, dt ? (const void *)gf : g[t], 0.1, NULL);
            for (int i = 0; i < 3; i++) {
                double got = dt ? xf[i] : x[i], tol = dt ? 1e-6 : 1e-15;
                if (fabs(got - want[t][i]) > tol)
                    fail_msg("lion %s step %d x[%d] = %.17g, by hand %.17g", dt ? "f32" : "f64",
                             t + 1, i, got, want[t][i]);
            }
        }
        ob_optimizer_free(o);
    }
    /* the paper's defaults: lr 1e-4, betas 0.9/0.99, no decay */
    ob_hparams h;
    ob_hparams_default(ob_optimizer_find("lion"), &h);
    assert_true(h.lr == 1e-4 && h.beta1 == 0.9 && h.beta2 == 0.99 && h.weight_decay == 0);
}

/* `adam --adamw` (which brings weight decay 0.01 with it) is adamw, bit for bit, with and
 * without --amsgrad, on a vector long enough for the threaded loop */
static void adam_as_adamw(ob_hparams *h) { h->decoupled = 1; h->weight_decay = 1e-2; }
static void adam_as_adamw_ams(ob_hparams *h) { adam_as_adamw(h); h->amsgrad = 1; }
static void test_adam_adamw_alias(void **st)
{
    (void)st;
    const size_t n = 2 * OB_PAR_MIN + 5;
    double *x1 = malloc(n * sizeof *x1), *x2 = malloc(n * sizeof *x2), *g = malloc(n * sizeof *g);
    for (int ams = 0; ams < 2; ams++) {
        ob_optimizer *a = make("adam", 0.01, ams ? adam_as_adamw_ams : adam_as_adamw, n, OB_F64);
        ob_optimizer *w = make("adamw", 0.01, ams ? amsgrad : NULL, n, OB_F64);
        for (size_t i = 0; i < n; i++) x1[i] = x2[i] = cos((double)i);
        for (int t = 0; t < 20; t++) {
            for (size_t i = 0; i < n; i++) g[i] = x1[i] * (1 + (double)(i % 5)) - 0.3;
            ob_optimizer_step(a, x1, g, 0.01 * gold_scale[t % GOLD_STEPS], NULL);
            ob_optimizer_step(w, x2, g, 0.01 * gold_scale[t % GOLD_STEPS], NULL);
        }
        assert_memory_equal(x1, x2, n * sizeof *x1);
        ob_optimizer_free(a);
        ob_optimizer_free(w);
    }
    free(x1);
    free(x2);
    free(g);
}

/* each new rule at its defaults trains a 2-8-2 ReLU network on the spirals in float32
 * (`optbench train --layers 8 --dataset spirals`, smaller): the run completes and the
 * training loss falls below its value before the first update */
static ob_status keep_rows(void *ctx, const ob_train_row *r, ob_error *err)
{
    (void)err;
    ob_train_row *first = ctx;
    if (r->epoch == 0) *first = *r;
    return OB_OK;
}

static void test_new_rules_train_f32(void **st)
{
    (void)st;
    const char *names[] = {"adamw", "nadam", "radam", "adamax", "adadelta", "lion"};
    ob_splits sp;
    ob_error e = {{0}};
    if (ob_make_spirals(400, 100, 100, 0.2, 1, &sp, &e) != OB_OK) fail_msg("%s", e.msg);
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        ob_train_config c = {.spec = {.n_layers = 2, .sizes = {2, 8, 2}, .act = OB_ACT_RELU,
                                      .loss = OB_LOSS_XENT},
                             .dtype = OB_F32, .epochs = 10, .batch = 32, .seed = 1};
        c.opt = ob_optimizer_find(names[k]);
        ob_hparams_default(c.opt, &c.h);
        c.sched = ob_schedule_default();
        ob_train_row first = {0};
        ob_train_observer obs = {.row = keep_rows, .ctx = &first};
        ob_train_result res;
        if (ob_train(&c, &sp, &obs, &res, &e) != OB_OK) fail_msg("%s: %s", names[k], e.msg);
        double l0 = first.loss[OB_SPLIT_TRAIN], l1 = res.last.loss[OB_SPLIT_TRAIN];
        print_message("%-9s f32 spirals: train loss %.4f -> %.4f\n", names[k], l0, l1);
        assert_int_equal(res.status, OB_OK);
        assert_int_equal(res.epochs_done, 10);
        if (!(l1 < l0)) fail_msg("%s: loss %g -> %g", names[k], l0, l1);
    }
    ob_splits_free(&sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lion_by_hand),
        cmocka_unit_test(test_adam_adamw_alias),
        cmocka_unit_test(test_new_rules_train_f32),
    };
    return ob_run_tests("rules_more", tests, NULL, NULL);
}
