/* test_nets.c - the networks: gradients of every layer, activation, loss, regularizer and
 * dropout against central finite differences (float64), softmax at logits of 1e3, a
 * tiny net that fits XOR, float32 against float64, presets, and identical results for
 * identical seeds and for any number of threads. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "tests/runner.h"
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <omp.h>

#include "nets/mlp.h"
#include "nets/presets.h"
#include "nets/train.h"

void openblas_set_num_threads(int n); /* OpenBLAS's own, not in GSL's cblas header */

/* ---- gradient checks ----------------------------------------------------------------- */

typedef struct {
    const char *name;
    size_t n_layers;
    size_t sizes[5];
    ob_act act;
    ob_loss loss;
    double l1, l2;
    double dropout; /* on every hidden layer */
} gcase;

static const gcase gcases[] = {
    {"softmax layer", 1, {5, 3}, OB_ACT_IDENTITY, OB_LOSS_XENT, 0, 0, 0},
    {"sigmoid xent", 3, {5, 4, 3, 3}, OB_ACT_SIGMOID, OB_LOSS_XENT, 0, 0, 0},
    {"tanh xent", 3, {5, 4, 3, 3}, OB_ACT_TANH, OB_LOSS_XENT, 0, 0, 0},
    {"hardtanh xent", 3, {5, 4, 3, 3}, OB_ACT_HARDTANH, OB_LOSS_XENT, 0, 0, 0},
    {"softsign xent", 3, {5, 4, 3, 3}, OB_ACT_SOFTSIGN, OB_LOSS_XENT, 0, 0, 0},
    {"relu xent", 3, {5, 6, 4, 3}, OB_ACT_RELU, OB_LOSS_XENT, 0, 0, 0},
    {"leaky relu xent", 3, {5, 6, 4, 3}, OB_ACT_LEAKY_RELU, OB_LOSS_XENT, 0, 0, 0},
    {"identity xent", 2, {5, 4, 3}, OB_ACT_IDENTITY, OB_LOSS_XENT, 0, 0, 0},
    {"tanh mse", 2, {5, 4, 3}, OB_ACT_TANH, OB_LOSS_MSE, 0, 0, 0},
    {"sigmoid mse 1 output", 2, {5, 4, 1}, OB_ACT_SIGMOID, OB_LOSS_MSE, 0, 0, 0},
    {"sigmoid margin (window)", 2, {6, 4, 1}, OB_ACT_SIGMOID, OB_LOSS_MARGIN, 0, 0, 0},
    {"tanh margin", 3, {6, 5, 4, 1}, OB_ACT_TANH, OB_LOSS_MARGIN, 0, 0, 0},
    {"relu xent + l2", 3, {5, 6, 4, 3}, OB_ACT_RELU, OB_LOSS_XENT, 0, 0.3, 0},
    {"tanh xent + l1", 2, {5, 4, 3}, OB_ACT_TANH, OB_LOSS_XENT, 0.2, 0, 0},
    {"sigmoid mse + l1 + l2", 2, {5, 4, 3}, OB_ACT_SIGMOID, OB_LOSS_MSE, 0.1, 0.2, 0},
    {"relu xent + dropout", 3, {5, 8, 6, 3}, OB_ACT_RELU, OB_LOSS_XENT, 0, 0, 0.3},
    {"tanh margin + dropout", 2, {6, 8, 1}, OB_ACT_TANH, OB_LOSS_MARGIN, 0, 0, 0.25},
};

#define GB 7 /* batch of the gradient checks */

static ob_mlp_spec spec_of(const gcase *c)
{
    ob_mlp_spec s = {0};
    s.n_layers = c->n_layers;
    memcpy(s.sizes, c->sizes, sizeof c->sizes);
    s.act = c->act;
    s.leaky = 0.1;
    s.loss = c->loss;
    s.l1 = c->l1;
    s.l2 = c->l2;
    s.init = OB_INIT_XAVIER;
    for (size_t l = 0; l + 1 < c->n_layers; l++) s.dropout[l] = c->dropout;
    return s;
}

/* the objective: mean loss + penalty, dropout masks redrawn from the same seed each time */
static double objective(ob_mlp *m, const float *x, const int32_t *y, gsl_rng *dr)
{
    if (dr) gsl_rng_set(dr, 99);
    ob_mlp_gather(m, x, m->spec.sizes[0], NULL, GB);
    ob_mlp_forward(m, GB, dr);
    return ob_mlp_loss(m, GB, y, 0, NULL, NULL) + ob_mlp_penalty(m);
}

static void check_gradient(const gcase *c)
{
    ob_mlp_spec s = spec_of(c);
    ob_mlp m;
    ob_error e;
    if (ob_mlp_alloc(&m, &s, OB_F64, GB, &e) != OB_OK) fail_msg("%s: %s", c->name, e.msg);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937), *dr = c->dropout > 0 ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
    gsl_rng_set(r, 7);
    ob_mlp_init(&m, r);
    /* biases start at 0; make them random so their gradients are exercised off zero */
    for (size_t l = 0; l < s.n_layers; l++)
        for (size_t i = 0; i < s.sizes[l + 1]; i++)
            ob_mlp_set_param(&m, m.b_off[l] + i, 0.3 * gsl_ran_gaussian(r, 1));
    const size_t d = s.sizes[0], K = s.sizes[s.n_layers];
    float x[GB * 8];
    int32_t y[GB];
    for (size_t i = 0; i < GB * d; i++) x[i] = (float)gsl_ran_gaussian(r, 1);
    for (size_t i = 0; i < GB; i++) y[i] = (int32_t)(K > 1 ? i % K : i % 2);
    if (c->loss == OB_LOSS_MSE && K == 1)
        for (size_t i = 0; i < GB; i++) y[i] = (int32_t)(i % 2);

    /* analytic: zero_grad, forward, loss, backward */
    if (dr) gsl_rng_set(dr, 99);
    ob_mlp_gather(&m, x, d, NULL, GB);
    ob_mlp_forward(&m, GB, dr);
    ob_mlp_loss(&m, GB, y, 1, NULL, NULL);
    ob_mlp_zero_grad(&m);
    ob_mlp_backward(&m, GB);

    /* central differences on every parameter */
    const double h = 1e-6;
    double num2 = 0, ana2 = 0, diff2 = 0;
    size_t nonzero = 0;
    for (size_t i = 0; i < m.n_params; i++) {
        double p = ob_mlp_param(&m, i);
        ob_mlp_set_param(&m, i, p + h);
        double fp = objective(&m, x, y, dr);
        ob_mlp_set_param(&m, i, p - h);
        double fm = objective(&m, x, y, dr);
        ob_mlp_set_param(&m, i, p);
        double num = (fp - fm) / (2 * h), ana = ob_mlp_grad(&m, i);
        num2 += num * num;
        ana2 += ana * ana;
        diff2 += (num - ana) * (num - ana);
        nonzero += ana != 0;
    }
    double rel = sqrt(diff2) / (sqrt(num2) + sqrt(ana2));
    /* guard: an all-zero (or mostly zero) gradient would pass trivially (genann) */
    if (!(sqrt(ana2) > 1e-3) || nonzero < m.n_params / 2)
        fail_msg("%s: gradient is (nearly) zero: norm %g, %zu of %zu nonzero", c->name,
                 sqrt(ana2), nonzero, m.n_params);
    if (!(rel < 1e-6)) fail_msg("%s: relative error %.3g between backprop and finite differences",
                                c->name, rel);
    if (dr) gsl_rng_free(dr);
    gsl_rng_free(r);
    ob_mlp_free(&m);
}

static void test_gradients(void **st)
{
    (void)st;
    for (size_t i = 0; i < sizeof gcases / sizeof *gcases; i++) check_gradient(&gcases[i]);
}

/* backward accumulates: two backward passes after one zero_grad give twice the gradient */
static void test_backward_accumulates(void **st)
{
    (void)st;
    ob_mlp_spec s = spec_of(&gcases[1]);
    ob_mlp m;
    assert_int_equal(ob_mlp_alloc(&m, &s, OB_F64, GB, NULL), OB_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    ob_mlp_init(&m, r);
    float x[GB * 5];
    int32_t y[GB];
    for (size_t i = 0; i < GB * 5; i++) x[i] = (float)gsl_ran_gaussian(r, 1);
    for (size_t i = 0; i < GB; i++) y[i] = (int32_t)(i % 3);
    ob_mlp_gather(&m, x, 5, NULL, GB);
    ob_mlp_forward(&m, GB, NULL);
    ob_mlp_loss(&m, GB, y, 1, NULL, NULL);
    ob_mlp_zero_grad(&m);
    ob_mlp_backward(&m, GB);
    double *g1 = malloc(m.n_params * sizeof *g1);
    for (size_t i = 0; i < m.n_params; i++) g1[i] = ob_mlp_grad(&m, i);
    ob_mlp_loss(&m, GB, y, 1, NULL, NULL); /* dlogits again: backward used it as scratch */
    ob_mlp_backward(&m, GB);
    for (size_t i = 0; i < m.n_params; i++) assert_true(fabs(ob_mlp_grad(&m, i) - 2 * g1[i]) <= 1e-14 * fabs(g1[i]) + 1e-300);
    free(g1);
    gsl_rng_free(r);
    ob_mlp_free(&m);
}

/* ---- numerics ------------------------------------------------------------------------- */

/* A one-layer net (3 -> 3, W = 0) whose logits are its biases (1000, 999, -1000):
 * loss for label 0 = log(1 + e^-1 + e^-2000) = 0.31326168751822286, label 1: 1 more,
 * label 2: 2000 more.  A naive softmax overflows exp(1000). */
static void test_softmax_stable(void **st)
{
    (void)st;
    for (int dt = 0; dt < 2; dt++) {
        ob_mlp_spec s = {.n_layers = 1, .sizes = {3, 3}, .loss = OB_LOSS_XENT};
        ob_mlp m;
        assert_int_equal(ob_mlp_alloc(&m, &s, dt == 0 ? OB_F64 : OB_F32, 3, NULL), OB_OK);
        ob_mlp_set_param(&m, m.b_off[0] + 0, 1000);
        ob_mlp_set_param(&m, m.b_off[0] + 1, 999);
        ob_mlp_set_param(&m, m.b_off[0] + 2, -1000);
        float x[9] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        ob_mlp_gather(&m, x, 3, NULL, 3);
        ob_mlp_forward(&m, 3, NULL);
        const double tol = dt == 0 ? 1e-15 : 1e-6;
        for (int32_t lab = 0; lab < 3; lab++) {
            double corr = 0, loss = ob_mlp_loss(&m, 1, &lab, 1, &corr, NULL);
            double want = 0.31326168751822286 + (lab == 1 ? 1 : lab == 2 ? 2000 : 0);
            if (!(fabs(loss - want) <= tol * want)) fail_msg("label %d: loss %.17g, want %.17g", lab, loss, want);
            assert_true(corr == (lab == 0));
            /* the gradient softmax - onehot is finite and sums to 0 */
            ob_mlp_zero_grad(&m);
            ob_mlp_backward(&m, 1);
            double sum = 0;
            for (size_t k = 0; k < 3; k++) {
                double g = ob_mlp_grad(&m, m.b_off[0] + k);
                assert_true(isfinite(g));
                sum += g;
            }
            assert_true(fabs(sum) < 1e-6);
        }
        ob_mlp_free(&m);
    }
}

/* float32 and float64 networks with the same parameters agree to float precision */
static void test_f32_matches_f64(void **st)
{
    (void)st;
    ob_mlp_spec s = {.n_layers = 3, .sizes = {20, 16, 12, 4}, .act = OB_ACT_TANH,
                     .loss = OB_LOSS_XENT, .l2 = 0.01};
    ob_mlp a, b;
    assert_int_equal(ob_mlp_alloc(&a, &s, OB_F64, 9, NULL), OB_OK);
    assert_int_equal(ob_mlp_alloc(&b, &s, OB_F32, 9, NULL), OB_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    ob_mlp_init(&a, r);
    for (size_t i = 0; i < a.n_params; i++) ob_mlp_set_param(&b, i, (float)ob_mlp_param(&a, i));
    for (size_t i = 0; i < a.n_params; i++) ob_mlp_set_param(&a, i, ob_mlp_param(&b, i));
    float x[9 * 20];
    int32_t y[9];
    for (size_t i = 0; i < 9 * 20; i++) x[i] = (float)gsl_rng_uniform(r);
    for (size_t i = 0; i < 9; i++) y[i] = (int32_t)(i % 4);
    ob_mlp *ms[2] = {&a, &b};
    double loss[2];
    for (int k = 0; k < 2; k++) {
        ob_mlp_gather(ms[k], x, 20, NULL, 9);
        ob_mlp_forward(ms[k], 9, NULL);
        loss[k] = ob_mlp_loss(ms[k], 9, y, 1, NULL, NULL);
        ob_mlp_zero_grad(ms[k]);
        ob_mlp_backward(ms[k], 9);
    }
    assert_true(fabs(loss[0] - loss[1]) < 1e-6 * loss[0]);
    for (size_t i = 0; i < a.n_params; i++)
        assert_true(fabs(ob_mlp_grad(&a, i) - ob_mlp_grad(&b, i)) < 1e-5);
    gsl_rng_free(r);
    ob_mlp_free(&a);
    ob_mlp_free(&b);
}

/* inverted dropout: kept units scaled by 1/(1-p), so the mean activation is kept; at
 * evaluation nothing is dropped */
static void test_dropout(void **st)
{
    (void)st;
    ob_mlp_spec s = {.n_layers = 2, .sizes = {4, 2000, 2}, .act = OB_ACT_SIGMOID,
                     .loss = OB_LOSS_XENT, .dropout = {0.4}};
    ob_mlp m;
    assert_int_equal(ob_mlp_alloc(&m, &s, OB_F64, 8, NULL), OB_OK);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    ob_mlp_init(&m, r);
    float x[8 * 4];
    for (size_t i = 0; i < 32; i++) x[i] = (float)gsl_rng_uniform(r);
    ob_mlp_gather(&m, x, 4, NULL, 8);
    ob_mlp_forward(&m, 8, r);
    const double *y = m.y[1], *yd = m.yd[1];
    double sy = 0, syd = 0, zeros = 0;
    for (size_t i = 0; i < 8 * 2000; i++) {
        sy += y[i];
        syd += yd[i];
        zeros += yd[i] == 0;
        assert_true(yd[i] == 0 || fabs(yd[i] - y[i] / 0.6) < 1e-12);
    }
    assert_true(fabs(zeros / 16000 - 0.4) < 0.02);
    assert_true(fabs(syd / sy - 1) < 0.03);
    /* evaluation reads the plain activations: twice the same output */
    ob_mlp_forward(&m, 8, NULL);
    double o1 = ob_mlp_output(&m, 3, 1);
    ob_mlp_forward(&m, 8, NULL);
    assert_true(o1 == ob_mlp_output(&m, 3, 1));
    gsl_rng_free(r);
    ob_mlp_free(&m);
}

/* Xavier: U(-a, a), a = sqrt(6/(in+out)); He: N(0, 2/in); biases 0 */
static void test_init(void **st)
{
    (void)st;
    for (int he = 0; he < 2; he++) {
        ob_mlp_spec s = {.n_layers = 2, .sizes = {400, 300, 10}, .act = OB_ACT_RELU,
                         .loss = OB_LOSS_XENT, .init = he ? OB_INIT_HE : OB_INIT_XAVIER};
        ob_mlp m;
        assert_int_equal(ob_mlp_alloc(&m, &s, OB_F32, 1, NULL), OB_OK);
        gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
        ob_mlp_init(&m, r);
        double a = sqrt(6.0 / 700), sq = 0, mx = 0;
        for (size_t i = 0; i < 400 * 300; i++) {
            double w = ob_mlp_param(&m, m.w_off[0] + i);
            sq += w * w;
            if (fabs(w) > mx) mx = fabs(w);
        }
        double var = sq / (400 * 300);
        if (he) assert_true(fabs(var / (2.0 / 400) - 1) < 0.02);
        else {
            assert_true(mx <= a);
            assert_true(fabs(var / (a * a / 3) - 1) < 0.02);
        }
        for (size_t i = 0; i < 300; i++) assert_true(ob_mlp_param(&m, m.b_off[0] + i) == 0);
        gsl_rng_free(r);
        ob_mlp_free(&m);
    }
}

static void test_spec_check(void **st)
{
    (void)st;
    ob_error e;
    ob_mlp_spec s = {.n_layers = 2, .sizes = {4, 3, 2}, .loss = OB_LOSS_MARGIN};
    assert_int_equal(ob_mlp_spec_check(&s, &e), OB_EINVAL); /* margin needs 1 output */
    assert_non_null(strstr(e.msg, "1 output"));
    s.loss = OB_LOSS_XENT;
    assert_int_equal(ob_mlp_spec_check(&s, &e), OB_OK);
    s.dropout[1] = 0.5; /* on the output layer */
    assert_int_equal(ob_mlp_spec_check(&s, &e), OB_EINVAL);
    s.dropout[1] = 0;
    s.dropout[0] = 1;
    assert_int_equal(ob_mlp_spec_check(&s, &e), OB_EINVAL);
    s.dropout[0] = 0;
    s.act = OB_ACT_LEAKY_RELU;
    s.leaky = 0;
    assert_int_equal(ob_mlp_spec_check(&s, &e), OB_EINVAL);
    s.act = OB_ACT_RELU;
    s.sizes[1] = 0;
    assert_int_equal(ob_mlp_spec_check(&s, &e), OB_EINVAL);
    s.sizes[1] = 3;
    s.l2 = -1;
    assert_int_equal(ob_mlp_spec_check(&s, &e), OB_EINVAL);
    ob_act a;
    assert_int_equal(ob_act_parse("leaky-relu", &a, &e), OB_OK);
    assert_int_equal(a, OB_ACT_LEAKY_RELU);
    assert_int_equal(ob_act_parse("swish", &a, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "softsign"));
}

static void test_presets(void **st)
{
    (void)st;
    static const struct {
        const char *name;
        size_t n_layers, params;
    } want[] = {
        {"softmax", 1, 784 * 10 + 10},
        {"netA", 2, 784 * 300 + 300 + 300 * 10 + 10},
        {"netB", 3, 784 * 300 + 300 + 300 * 100 + 100 + 100 * 10 + 10},
        {"deep4", 4, 784 * 600 + 600 + 600 * 400 + 400 + 400 * 200 + 200 + 200 * 10 + 10},
        {"deep5", 5, 784 * 800 + 800 + 800 * 600 + 600 + 600 * 400 + 400 + 400 * 200 + 200 + 2010},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const ob_net_preset *p = ob_net_preset_find(want[i].name);
        assert_non_null(p);
        ob_mlp_spec s;
        ob_net_preset_spec(p, 784, 10, &s);
        assert_int_equal(s.n_layers, want[i].n_layers);
        ob_mlp m;
        assert_int_equal(ob_mlp_alloc(&m, &s, OB_F32, 4, NULL), OB_OK);
        assert_int_equal(m.n_params, want[i].params);
        ob_mlp_free(&m);
    }
    const ob_net_preset *w = ob_net_preset_find("window");
    ob_mlp_spec s;
    ob_net_preset_spec(w, 20, 2, &s);
    assert_int_equal(s.sizes[0], 20);
    assert_int_equal(s.sizes[1], 8);
    assert_int_equal(s.sizes[2], 1);
    assert_int_equal(s.act, OB_ACT_SIGMOID);
    assert_int_equal(s.loss, OB_LOSS_MARGIN);
    const ob_net_preset *d5 = ob_net_preset_find("deep5");
    assert_true(d5->preset_dropout[0] == 0.4 && d5->preset_dropout[3] == 0.1);
    assert_null(ob_net_preset_find("netC"));
}

/* ---- training ------------------------------------------------------------------------- */

static ob_dataset make_set(size_t n, size_t d, size_t classes, const float *x, const int32_t *y,
                           const char *name)
{
    ob_dataset ds = {.n = n, .d = d, .classes = classes};
    ds.x = malloc(n * d * sizeof *ds.x);
    ds.y = malloc(n * sizeof *ds.y);
    memcpy(ds.x, x, n * d * sizeof *x);
    memcpy(ds.y, y, n * sizeof *y);
    snprintf(ds.name, sizeof ds.name, "%s", name);
    return ds;
}

typedef struct {
    ob_train_row rows[64];
    size_t n;
} rowlog;

static ob_status log_row(void *ctx, const ob_train_row *r, ob_error *err)
{
    (void)err;
    rowlog *l = ctx;
    if (l->n < 64) l->rows[l->n++] = *r;
    return OB_OK;
}

/* the four XOR points as the training, validation and test splits alike */
static ob_splits xor_splits(void)
{
    const float x[8] = {0, 0, 0, 1, 1, 0, 1, 1};
    const int32_t y[4] = {0, 1, 1, 0};
    return (ob_splits){make_set(4, 2, 2, x, y, "xor"), make_set(4, 2, 2, x, y, "xor"),
                       make_set(4, 2, 2, x, y, "xor")};
}

/* XOR: 2-8-2 tanh with Adam fits the four points */
static void test_xor(void **st)
{
    (void)st;
    ob_splits sp = xor_splits();
    for (int dt = 0; dt < 2; dt++) {
        ob_train_config c = {.spec = {.n_layers = 2, .sizes = {2, 8, 2}, .act = OB_ACT_TANH,
                                      .loss = OB_LOSS_XENT},
                             .dtype = dt ? OB_F32 : OB_F64, .epochs = 300, .batch = 4, .seed = 3};
        c.opt = ob_optimizer_find("adam");
        ob_hparams_default(c.opt, &c.h);
        c.h.lr = 0.05;
        c.sched = ob_schedule_default();
        c.sched.type = ob_schedule_find("constant");
        ob_train_result res;
        ob_error e;
        if (ob_train(&c, &sp, NULL, &res, &e) != OB_OK) fail_msg("%s", e.msg);
        assert_int_equal(res.status, OB_OK);
        assert_true(res.last.acc[OB_SPLIT_TRAIN] == 1.0);
        if (!(res.last.loss[OB_SPLIT_TRAIN] < 0.05)) fail_msg("XOR loss %g", res.last.loss[0]);
    }
    ob_splits_free(&sp);
}

/* The rows without the training split (no_train_eval: a bench tuning run) or without any
 * evaluation (no_eval: a timed run) train the same model: the same validation numbers and
 * updates, the training split's cells NaN; a divergence is still one (sgd at lr 1e300, read
 * on the validation split then). */
static void test_eval_skips(void **st)
{
    (void)st;
    ob_splits sp = xor_splits();
    for (int div = 0; div < 2; div++) {
        ob_train_result res[3];
        for (int mode = 0; mode < 3; mode++) {
            ob_train_config c = {.spec = {.n_layers = 2, .sizes = {2, 8, 2},
                                          .act = div ? OB_ACT_RELU : OB_ACT_TANH,
                                          .loss = OB_LOSS_XENT},
                                 .dtype = OB_F64, .epochs = 50, .batch = 2, .seed = 3,
                                 .no_train_eval = mode == 1, .no_eval = mode == 2};
            c.opt = ob_optimizer_find(div ? "sgd" : "adam");
            ob_hparams_default(c.opt, &c.h);
            c.h.lr = div ? 1e300 : 0.05;
            c.sched = ob_schedule_default();
            ob_error e;
            if (ob_train(&c, &sp, NULL, &res[mode], &e) != OB_OK) fail_msg("%s", e.msg);
        }
        assert_int_equal(res[0].steps, res[1].steps);
        assert_int_equal(res[0].status, div ? OB_DIVERGED : OB_OK);
        assert_int_equal(res[1].status, res[0].status);
        assert_true(isnan(res[1].last.loss[OB_SPLIT_TRAIN]) && isnan(res[1].last.acc[OB_SPLIT_TRAIN]));
        if (!div) {
            assert_true(res[1].last.loss[OB_SPLIT_VAL] == res[0].last.loss[OB_SPLIT_VAL]);
            assert_true(res[0].last.loss[OB_SPLIT_TRAIN] < 0.5);
            assert_int_equal(res[2].status, OB_OK);
            assert_int_equal(res[2].steps, res[0].steps);
        }
    }
    ob_splits_free(&sp);
}

/* the row-0 evaluation (nets/train.h's ob_train_row0): filled by the first run, the same
 * numbers a run evaluating its own row 0 gets with another optimizer from the same seed,
 * and copied (not evaluated) by the next: a planted value comes out as row 0 */
static ob_status keep_row0(void *ctx, const ob_train_row *r, ob_error *err)
{
    (void)err;
    if (r->epoch == 0) *(ob_train_row *)ctx = *r;
    return OB_OK;
}

static void test_row0_shared(void **st)
{
    (void)st;
    ob_splits sp = xor_splits();
    ob_train_row0 shared = {0};
    ob_train_row seen[3];
    const char *opt[3] = {"adam", "sgd", "sgd"};
    for (int k = 0; k < 3; k++) {
        ob_train_config c = {.spec = {.n_layers = 2, .sizes = {2, 8, 2}, .act = OB_ACT_TANH,
                                      .loss = OB_LOSS_XENT},
                             .dtype = OB_F64, .epochs = 2, .batch = 2, .seed = 7,
                             .row0 = k == 1 ? NULL : &shared};
        c.opt = ob_optimizer_find(opt[k]);
        ob_hparams_default(c.opt, &c.h);
        c.h.lr = 0.1;
        c.sched = ob_schedule_default();
        if (k == 2) shared.loss[OB_SPLIT_VAL] = 42; /* planted: copied, not evaluated */
        ob_train_observer obs = {.row = keep_row0, .ctx = &seen[k]};
        ob_train_result res;
        ob_error e;
        if (ob_train(&c, &sp, &obs, &res, &e) != OB_OK) fail_msg("%s", e.msg);
    }
    assert_int_equal(shared.have, 1);
    for (int s = 0; s < OB_SPLITS; s++) /* adam filled it; sgd evaluated its own: equal */
        assert_true(seen[0].loss[s] == seen[1].loss[s] && seen[0].acc[s] == seen[1].acc[s]);
    assert_true(seen[2].loss[OB_SPLIT_VAL] == 42);
    ob_splits_free(&sp);
}

/* a small synthetic 3-class problem in 10-D, for the determinism tests */
static ob_splits blobs(size_t n, size_t d)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    float *x = malloc(n * d * sizeof *x);
    int32_t *y = malloc(n * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        y[i] = (int32_t)(i % 3);
        for (size_t j = 0; j < d; j++)
            x[i * d + j] = (float)(gsl_ran_gaussian(r, 1) + (j % 3 == (size_t)y[i] ? 1.5 : 0));
    }
    ob_splits sp = {make_set(n, d, 3, x, y, "blobs/train"),
                    make_set(n / 4, d, 3, x, y, "blobs/val"),
                    make_set(n / 4, d, 3, x + n / 4 * d, y + n / 4, "blobs/test")};
    free(x);
    free(y);
    gsl_rng_free(r);
    return sp;
}

static void train_log(const ob_splits *sp, ob_train_config *c, const char *opt, rowlog *l)
{
    c->opt = ob_optimizer_find(opt);
    ob_hparams_default(c->opt, &c->h);
    c->sched = ob_schedule_default();
    c->sched.type = ob_schedule_find("constant");
    ob_train_observer obs = {.row = log_row, .ctx = l};
    ob_train_result res;
    ob_error e;
    l->n = 0;
    if (ob_train(c, sp, &obs, &res, &e) != OB_OK) fail_msg("%s", e.msg);
}

static int same_rows(const rowlog *a, const rowlog *b)
{
    if (a->n != b->n) return 0;
    for (size_t i = 0; i < a->n; i++)
        for (int s = 0; s < OB_SPLITS; s++)
            if (memcmp(&a->rows[i].loss[s], &b->rows[i].loss[s], sizeof(double)) ||
                memcmp(&a->rows[i].acc[s], &b->rows[i].acc[s], sizeof(double)))
                return 0;
    return 1;
}

/* same seed, same numbers (with dropout and L1/L2, both precisions); another seed differs */
static void test_same_seed_same_numbers(void **st)
{
    (void)st;
    ob_splits sp = blobs(600, 10);
    for (int dt = 0; dt < 2; dt++) {
        ob_train_config c = {.spec = {.n_layers = 3, .sizes = {10, 32, 16, 3}, .act = OB_ACT_RELU,
                                      .loss = OB_LOSS_XENT, .dropout = {0.3, 0.1}, .l1 = 1e-4,
                                      .l2 = 1e-3},
                             .dtype = dt ? OB_F32 : OB_F64, .epochs = 3, .batch = 32, .seed = 5};
        rowlog a, b, other;
        train_log(&sp, &c, "adam", &a);
        train_log(&sp, &c, "adam", &b);
        c.seed = 6;
        train_log(&sp, &c, "adam", &other);
        assert_int_equal(a.n, 4);
        assert_true(same_rows(&a, &b));
        assert_false(same_rows(&a, &other));
        assert_true(a.rows[3].loss[OB_SPLIT_TRAIN] < a.rows[0].loss[OB_SPLIT_TRAIN]);
    }
    ob_splits_free(&sp);
}

/* Every first-order optimizer trains a network in both precisions (and gd takes the
 * full gradient: one update per epoch). */
static void test_every_optimizer(void **st)
{
    (void)st;
    ob_splits sp = blobs(300, 10);
    for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++) {
        if ((*t)->needs_objective) continue;
        for (int dt = 0; dt < 2; dt++) {
            ob_train_config c = {.spec = {.n_layers = 2, .sizes = {10, 16, 3},
                                          .act = OB_ACT_TANH, .loss = OB_LOSS_XENT},
                                 .dtype = dt ? OB_F32 : OB_F64, .epochs = 4, .batch = 30, .seed = 1};
            rowlog l;
            train_log(&sp, &c, (*t)->name, &l);
            assert_int_equal(l.n, 5);
            assert_int_equal(l.rows[4].step, strcmp((*t)->name, "gd") == 0 ? 4 : 40);
            if (!(l.rows[4].loss[OB_SPLIT_TRAIN] < l.rows[0].loss[OB_SPLIT_TRAIN]))
                fail_msg("%s (%s): loss %g -> %g", (*t)->name, dt ? "f32" : "f64",
                         l.rows[0].loss[0], l.rows[4].loss[0]);
        }
    }
    ob_splits_free(&sp);
}

/* The thread counts of OpenMP (the optimizer's loops) and OpenBLAS (the GEMMs) do not
 * change a single bit of a float32 netA-sized run. */
static void test_threads_same_numbers(void **st)
{
    (void)st;
    ob_splits sp = blobs(512, 784);
    ob_train_config c = {.spec = {.n_layers = 2, .sizes = {784, 300, 3}, .act = OB_ACT_RELU,
                                  .loss = OB_LOSS_XENT},
                         .dtype = OB_F32, .epochs = 1, .batch = 128, .seed = 2};
    rowlog one, two;
    openblas_set_num_threads(1);
    omp_set_num_threads(1);
    train_log(&sp, &c, "adam", &one);
    openblas_set_num_threads(2);
    omp_set_num_threads(2);
    train_log(&sp, &c, "adam", &two);
    assert_true(same_rows(&one, &two));
    ob_splits_free(&sp);
}

/* bad data is an error, not a crash: features that do not match, labels out of range */
static void test_train_rejects_bad_data(void **st)
{
    (void)st;
    ob_splits sp = blobs(60, 10);
    ob_train_config c = {.spec = {.n_layers = 2, .sizes = {11, 4, 3}, .act = OB_ACT_TANH,
                                  .loss = OB_LOSS_XENT},
                         .dtype = OB_F32, .epochs = 1, .batch = 8, .seed = 1};
    c.opt = ob_optimizer_find("sgd");
    ob_hparams_default(c.opt, &c.h);
    c.sched = ob_schedule_default();
    c.sched.type = ob_schedule_find("constant");
    ob_train_result res;
    ob_error e;
    assert_int_equal(ob_train(&c, &sp, NULL, &res, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "features"));
    c.spec.sizes[0] = 10;
    c.spec.sizes[2] = 2; /* labels go to 2 */
    assert_int_equal(ob_train(&c, &sp, NULL, &res, &e), OB_EINVAL);
    assert_non_null(strstr(e.msg, "label"));
    c.spec.sizes[2] = 3;
    c.opt = ob_optimizer_find("gsl-bfgs");
    assert_int_equal(ob_train(&c, &sp, NULL, &res, &e), OB_EINVAL);
    ob_splits_free(&sp);
}

/* the loop alone with i.i.d. batches (the rate experiment's oracle): exactly `steps`
 * updates, the before-update observer sees t = 0, 1, ... in order, no rows without
 * evaluation sets, and the same generator state gives the same parameters */
typedef struct {
    long calls, next;
    int in_order;
} update_count;

static void count_update(void *ctx, ob_mlp *m, long t)
{
    (void)m;
    update_count *u = ctx;
    u->in_order &= t == u->next;
    u->next = t + 1;
    u->calls++;
}

static void test_iid_batches(void **st)
{
    (void)st;
    ob_splits sp = blobs(60, 10);
    ob_mlp_spec spec = {.n_layers = 2, .sizes = {10, 4, 3}, .act = OB_ACT_TANH,
                        .loss = OB_LOSS_XENT};
    ob_train_config c = {.dtype = OB_F64, .batch = 8, .batching = OB_BATCHES_IID, .steps = 25,
                         .keep_going = 1};
    c.opt = ob_optimizer_find("sgd");
    ob_hparams_default(c.opt, &c.h);
    c.h.lr = 0.1;
    c.sched = ob_schedule_default();
    double *first = NULL;
    for (int rep = 0; rep < 2; rep++) {
        ob_mlp m;
        ob_error e;
        assert_int_equal(ob_mlp_alloc(&m, &spec, OB_F64, 64, &e), OB_OK);
        gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
        gsl_rng_set(r, 7);
        ob_mlp_init(&m, r);
        update_count u = {.in_order = 1};
        ob_train_observer obs = {.before_update = count_update, .ctx = &u};
        ob_train_result res;
        assert_int_equal(ob_train_model(&m, &c, &sp.train, NULL, r, NULL, &obs, &res, &e), OB_OK);
        assert_int_equal(u.calls, 25);
        assert_true(u.in_order);
        assert_int_equal(res.steps, 25);
        assert_int_equal(res.epochs_done, 1);
        assert_int_equal(res.status, OB_OK);
        if (!first) {
            first = malloc(m.n_params * sizeof *first);
            memcpy(first, m.params, m.n_params * sizeof *first);
        } else {
            assert_memory_equal(first, m.params, m.n_params * sizeof *first);
        }
        gsl_rng_free(r);
        ob_mlp_free(&m);
    }
    free(first);
    ob_splits_free(&sp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gradients),
        cmocka_unit_test(test_backward_accumulates),
        cmocka_unit_test(test_softmax_stable),
        cmocka_unit_test(test_f32_matches_f64),
        cmocka_unit_test(test_dropout),
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_spec_check),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_xor),
        cmocka_unit_test(test_same_seed_same_numbers),
        cmocka_unit_test(test_every_optimizer),
        cmocka_unit_test(test_threads_same_numbers),
        cmocka_unit_test(test_train_rejects_bad_data),
        cmocka_unit_test(test_iid_batches),
        cmocka_unit_test(test_eval_skips),
        cmocka_unit_test(test_row0_shared),
    };
    return ob_run_tests("nets", tests, NULL, NULL);
}
