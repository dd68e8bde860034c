/* netsharp.c - a network's sharpness along its training (see netsharp.h). */
#include "runs/netsharp.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "optimizers/threshold.h"

#define HVP_CHUNK 1024 /* rows per forward pass of a full-batch gradient */
/* An estimate stops at the relative residual ||A y - lambda y|| / |lambda| <= 1e-3: the
 * Ritz value's error is then of order (1e-3 lambda)^2 / gap (Parlett, The Symmetric
 * Eigenvalue Problem, 11.7), far below what a figure shows, at half the products of
 * runs/sharpness.h's 1e-8 on netA (a network's products cost full-batch gradients). */
#define NET_SHARP_TOL 1e-3

ob_status ob_netsharp_init(ob_netsharp *s, const ob_train_config *c, const ob_dataset *train,
                           ob_error *err)
{
    memset(s, 0, sizeof *s);
    s->c = c;
    size_t N = c->sharpness_subset ? c->sharpness_subset : OB_SHARPNESS_SUBSET;
    if (N > train->n) N = train->n;
    if (N == 0) return ob_fail(err, OB_EINVAL, "--sharpness-subset: the training split is empty");
    /* the margin loss's mean runs over pairs of the whole set: one chunk */
    size_t chunk = c->spec.loss == OB_LOSS_MARGIN || N < HVP_CHUNK ? N : HVP_CHUNK;
    ob_mlp_spec spec = c->spec;
    memset(spec.dropout, 0, sizeof spec.dropout); /* the loss has none: no mask buffers */
    ob_status st = ob_mlp_alloc(&s->m, &spec, OB_F64, chunk, err);
    if (st != OB_OK) return st;
    const size_t n = s->m.n_params;
    if (N < train->n) { /* N rows drawn once from the seed, kept in the split's order */
        size_t *all = malloc(train->n * sizeof *all);
        s->idx = malloc(N * sizeof *s->idx);
        gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
        if (all && s->idx && r) {
            for (size_t i = 0; i < train->n; i++) all[i] = i;
            gsl_rng_set(r, c->seed + 3 * 0x9e3779b9UL); /* beside train.c's three streams */
            gsl_ran_choose(r, s->idx, N, all, train->n, sizeof *all);
        }
        if (r) gsl_rng_free(r);
        int ok = all && s->idx && r;
        free(all);
        if (!ok) {
            ob_netsharp_free(s);
            return ob_fail(err, OB_ENOMEM, "out of memory");
        }
    }
    s->D = (ob_mlp_hvp_data){.m = &s->m, .x = train->x, .d = train->d, .y = train->y,
                             .idx = s->idx, .n = N};
    ob_stability_threshold(c->opt, &c->h, 1, &s->precond);
    if (s->precond && !(s->P = malloc(n * sizeof *s->P))) {
        ob_netsharp_free(s);
        return ob_fail(err, OB_ENOMEM, "out of memory");
    }
    st = ob_sharpness_alloc(&s->est, n, c->sharpness_products, NET_SHARP_TOL, c->seed, err);
    if (st != OB_OK) ob_netsharp_free(s);
    return st;
}

void ob_netsharp_free(ob_netsharp *s)
{
    ob_sharpness_free(&s->est); /* both take a zeroed struct */
    ob_mlp_free(&s->m);
    free(s->idx);
    free(s->P);
    memset(s, 0, sizeof *s);
}

ob_status ob_netsharp_measure(void *ctx, ob_mlp *m, const ob_optimizer *o, double lr,
                              ob_train_step *st, ob_error *err)
{
    ob_netsharp *s = ctx;
    int pre = 0;
    /* Cohen et al. 2021 (2/lr for gd), 2022 ((2 + 2 b1)/((1 - b1) lr) on P^-1 H for adam):
     * the threshold at the learning rate of the next update */
    st->threshold = ob_stability_threshold(s->c->opt, &s->c->h, lr, &pre);
    st->has_sharpness = 1;
    if (pre && ob_stability_precond(o, s->P, NULL) != OB_OK) { /* no second moment yet */
        st->sharpness = st->sharpness_residual = NAN;
        st->hvps = 0;
        return OB_OK;
    }
    ob_mlp_copy_params(&s->m, m); /* float32 -> the float64 twin, exactly */
    ob_sharp_est e;
    ob_status r = ob_sharpness_estimate(&s->est, ob_mlp_hvp_cb, &s->D, pre ? s->P : NULL, &e, err);
    if (r != OB_OK) return r;
    st->sharpness = e.lambda;
    st->sharpness_residual = e.residual;
    st->hvps = e.products;
    return OB_OK;
}
