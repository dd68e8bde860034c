/* sharp_perf.c - what a sharpness estimate once per epoch costs a network's training
 * (`make perf-nets`).
 *
 * usage: sharp_perf NET EPOCHS [SUBSET [PRODUCTS [TOL]]]   (defaults 2000, 20, 1e-3)
 *
 * Trains NET on Fashion-MNIST (54000 samples, float32, batch 128, Adam lr 1e-3) for
 * EPOCHS epochs through the one training loop (ob_train), and at the end of every epoch
 * estimates the top Hessian eigenvalue of the mean loss over SUBSET training samples drawn
 * once from the seed, in float64: exact Hessian-vector products (nets/mlp_hvp.h) and
 * Lanczos warm-started from the previous estimate (runs/sharpness.h), at most PRODUCTS
 * products, stopping at the relative residual TOL (the settings of `train
 * --sharpness-every` on networks).  Prints one line:
 *   net epoch_s estimate_s products_per_estimate ratio sharpness
 * epoch_s: the median training time of an epoch (batches only, as ob_train counts it);
 * estimate_s: the median time of one estimate; ratio = (epoch_s + estimate_s) / epoch_s,
 * what one estimate per epoch makes of the training time (the bar: at most 2). */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/stats.h"
#include "nets/dataset.h"
#include "nets/mlp_hvp.h"
#include "nets/presets.h"
#include "nets/train.h"
#include "runs/sharpness.h"

#define MAX_EPOCHS 64

typedef struct {
    ob_mlp m64;              /* the float64 twin the products run on */
    ob_mlp_hvp_data D;
    ob_sharpness est;
    double seconds[MAX_EPOCHS], lambda;
    long products, n;
    ob_status status;
} sharp_ctx;

static void at_epoch_end(void *ctx, const ob_mlp *m, long epoch, long step)
{
    (void)epoch, (void)step;
    sharp_ctx *s = ctx;
    if (s->status != OB_OK || s->n >= MAX_EPOCHS) return;
    double t0 = ob_clock_now();
    ob_mlp_copy_params(&s->m64, m);
    ob_sharp_est e;
    s->status = ob_sharpness_estimate(&s->est, ob_mlp_hvp_cb, &s->D, NULL, &e, NULL);
    s->seconds[s->n++] = ob_clock_now() - t0;
    s->products += e.products;
    s->lambda = e.lambda;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: sharp_perf NET EPOCHS [SUBSET [PRODUCTS [TOL]]]\n");
        return 2;
    }
    gsl_set_error_handler_off();
    const ob_net_preset *preset = ob_net_preset_find(argv[1]);
    long epochs = atol(argv[2]);
    size_t subset = argc > 3 ? (size_t)atol(argv[3]) : 2000;
    int products = argc > 4 ? atoi(argv[4]) : OB_SHARP_PRODUCTS;
    double tol = argc > 5 ? atof(argv[5]) : 1e-3;
    if (!preset || epochs < 1 || epochs > MAX_EPOCHS || subset < 1) {
        fprintf(stderr, "sharp_perf: unknown network or bad EPOCHS/SUBSET\n");
        return 2;
    }
    ob_error e = {{0}};
    ob_splits sp;
    if (ob_load_idx_dir(OB_FASHION_MNIST_DIR, OB_FASHION_MNIST_VAL, 1, &sp, &e) != OB_OK) {
        fprintf(stderr, "sharp_perf: %s\n", e.msg);
        return 1;
    }
    ob_train_config c = {.dtype = OB_F32, .opt = ob_optimizer_find("adam"), .epochs = epochs,
                         .batch = 128, .seed = 1};
    ob_net_preset_spec(preset, sp.train.d, sp.train.classes, &c.spec);
    ob_hparams_default(c.opt, &c.h);
    c.h.lr = 1e-3;
    c.sched = ob_schedule_default();
    /* the estimate's loss: SUBSET rows drawn once, in float64, without dropout */
    sharp_ctx s = {.status = OB_OK};
    if (subset > sp.train.n) subset = sp.train.n;
    ob_mlp_spec spec = c.spec;
    memset(spec.dropout, 0, sizeof spec.dropout);
    size_t *all = malloc(sp.train.n * sizeof *all), *idx = malloc(subset * sizeof *idx);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!all || !idx || !r || ob_mlp_alloc(&s.m64, &spec, OB_F64, 1024, &e) != OB_OK ||
        ob_sharpness_alloc(&s.est, s.m64.n_params, products, tol, 1, &e) != OB_OK) {
        fprintf(stderr, "sharp_perf: out of memory %s\n", e.msg);
        return 1;
    }
    for (size_t i = 0; i < sp.train.n; i++) all[i] = i;
    gsl_rng_set(r, 7);
    gsl_ran_choose(r, idx, subset, all, sp.train.n, sizeof *all);
    s.D = (ob_mlp_hvp_data){.m = &s.m64, .x = sp.train.x, .d = sp.train.d, .y = sp.train.y,
                            .idx = idx, .n = subset};
    ob_train_observer obs = {.epoch_end = at_epoch_end, .ctx = &s};
    ob_train_result res;
    if (ob_train(&c, &sp, &obs, &res, &e) != OB_OK || s.status != OB_OK || s.n == 0) {
        fprintf(stderr, "sharp_perf: %s\n", e.msg);
        return 1;
    }
    double per = (double)s.products / (double)s.n, est = ob_median(s.seconds, (size_t)s.n);
    printf("%s %.3f %.3f %.1f %.2f %.6g\n", argv[1], res.epoch_seconds_median, est, per,
           (res.epoch_seconds_median + est) / res.epoch_seconds_median, s.lambda);
    ob_sharpness_free(&s.est);
    ob_mlp_free(&s.m64);
    ob_splits_free(&sp);
    gsl_rng_free(r);
    free(all);
    free(idx);
    return 0;
}
