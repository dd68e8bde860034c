/* train.c - mini-batch training of an MLP by any optimizer (see train.h). */
#include "nets/train.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* OpenBLAS's own (not in GSL's CBLAS header): the network splits its GEMMs across OpenMP
 * threads itself (see gemm in mlp_kernels.h), so OpenBLAS runs on one thread during
 * training and gets its setting back afterwards */
int openblas_get_num_threads(void);
void openblas_set_num_threads(int n);

#define EVAL_CHUNK 1024 /* rows per forward pass when evaluating */
#define MAX_CHUNK 8192  /* larger batches are processed in chunks of EVAL_CHUNK rows */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void ob_evaluate(ob_mlp *m, const ob_dataset *ds, double *loss, double *acc)
{
    if (ds->n == 0) {
        *loss = *acc = NAN;
        return;
    }
    const int margin = m->spec.loss == OB_LOSS_MARGIN;
    double *scores = margin ? malloc(ds->n * sizeof *scores) : NULL;
    if (margin && !scores) {
        *loss = *acc = NAN;
        return;
    }
    double sum = 0, correct = 0;
    for (size_t i = 0; i < ds->n; i += m->max_batch) {
        size_t B = ds->n - i < m->max_batch ? ds->n - i : m->max_batch;
        ob_mlp_gather(m, ds->x + i * ds->d, ds->d, NULL, B);
        ob_mlp_forward(m, B, NULL);
        if (margin) /* pairs span the whole set: collect the scores first */
            for (size_t b = 0; b < B; b++) scores[i + b] = ob_mlp_output(m, b, 0);
        else sum += ob_mlp_loss(m, B, ds->y + i, 0, &correct, NULL) * (double)B;
    }
    if (margin) {
        double pairs = 0;
        *loss = ob_margin_eval(scores, ds->y, ds->n, &correct, &pairs);
        *acc = pairs > 0 ? correct / pairs : NAN;
        free(scores);
        return;
    }
    *loss = sum / (double)ds->n;
    *acc = correct / (double)ds->n;
}

static ob_status check_data(const ob_train_config *c, const ob_splits *data, ob_error *err)
{
    const ob_dataset *sp[OB_SPLITS] = {&data->train, &data->val, &data->test};
    const size_t K = c->spec.sizes[c->spec.n_layers];
    const size_t nlab = c->spec.loss == OB_LOSS_MARGIN || K == 1 ? 2 : K;
    if (data->train.n == 0) return ob_fail(err, OB_EINVAL, "the training split is empty");
    for (int s = 0; s < OB_SPLITS; s++) {
        if (sp[s]->n && sp[s]->d != c->spec.sizes[0])
            return ob_fail(err, OB_EINVAL, "%s has %zu features but the network takes %zu",
                           sp[s]->name, sp[s]->d, c->spec.sizes[0]);
        for (size_t i = 0; i < sp[s]->n; i++)
            if (sp[s]->y[i] < 0 || (size_t)sp[s]->y[i] >= nlab)
                return ob_fail(err, OB_EINVAL, "%s: label %d of sample %zu is outside 0..%zu "
                               "(the network has %zu output%s, loss %s)", sp[s]->name,
                               (int)sp[s]->y[i], i, nlab - 1, K, K == 1 ? "" : "s",
                               ob_loss_name(c->spec.loss));
    }
    if (c->batch < 1) return ob_fail(err, OB_EINVAL, "--batch must be >= 1");
    if (c->epochs < 0) return ob_fail(err, OB_EINVAL, "--epochs must be >= 0");
    if (c->opt->needs_objective) /* the GSL minimizers run line searches on a full f */
        return ob_fail(err, OB_EINVAL, "%s needs a full-batch objective; networks train with "
                       "the first-order rules (gd, sgd, momentum, nag, rprop, adagrad, rmsprop, "
                       "adam)", c->opt->name);
    return OB_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void evaluate_all(ob_mlp *m, const ob_splits *d, ob_train_row *r)
{
    ob_evaluate(m, &d->train, &r->loss[OB_SPLIT_TRAIN], &r->acc[OB_SPLIT_TRAIN]);
    ob_evaluate(m, &d->val, &r->loss[OB_SPLIT_VAL], &r->acc[OB_SPLIT_VAL]);
    ob_evaluate(m, &d->test, &r->loss[OB_SPLIT_TEST], &r->acc[OB_SPLIT_TEST]);
}

ob_status ob_train(const ob_train_config *c, const ob_splits *data, const ob_train_observer *obs,
                   ob_train_result *res, ob_error *err)
{
    memset(res, 0, sizeof *res);
    ob_status st = check_data(c, data, err);
    if (st != OB_OK) return st;
    const size_t n = data->train.n, d = data->train.d;
    /* gd: the full gradient, one update per epoch; otherwise mini-batches of --batch */
    const size_t B = c->opt->full_gradient || c->batch > n ? n : c->batch;
    const size_t n_batches = (n + B - 1) / B;
    /* the buffers hold a whole batch (chunks of EVAL_CHUNK rows for batches above
     * MAX_CHUNK, except for the margin loss whose pairs span the batch) */
    size_t max_batch = B > EVAL_CHUNK ? B : EVAL_CHUNK;
    if (max_batch > MAX_CHUNK && c->spec.loss != OB_LOSS_MARGIN) max_batch = EVAL_CHUNK;
    ob_mlp m;
    st = ob_mlp_alloc(&m, &c->spec, c->dtype, max_batch, err);
    if (st != OB_OK) return st;
    const int blas_threads = openblas_get_num_threads();
    openblas_set_num_threads(1);
    /* three generators from the seed, so that e.g. dropout does not change the order
     * of the batches: initialization, shuffling, dropout masks */
    gsl_rng *r_init = gsl_rng_alloc(gsl_rng_mt19937), *r_shuf = gsl_rng_alloc(gsl_rng_mt19937),
            *r_drop = gsl_rng_alloc(gsl_rng_mt19937);
    size_t *idx = malloc(n * sizeof *idx);      /* (n) the epoch's order */
    int32_t *yb = malloc(max_batch * sizeof *yb); /* (max_batch) a chunk's labels */
    double *ep_sec = malloc(((size_t)c->epochs + 1) * sizeof *ep_sec);
    ob_optimizer *o = NULL;
    if (!r_init || !r_shuf || !r_drop || !idx || !yb || !ep_sec) {
        st = ob_fail(err, OB_ENOMEM, "out of memory");
        goto done;
    }
    gsl_rng_set(r_init, c->seed);
    gsl_rng_set(r_shuf, c->seed + 0x9e3779b9UL);
    gsl_rng_set(r_drop, c->seed + 2 * 0x9e3779b9UL);
    ob_mlp_init(&m, r_init);
    o = ob_optimizer_alloc(c->opt, &c->h, m.n_params, c->dtype, err);
    if (!o) {
        st = OB_EINVAL; /* a bad setting; ENOMEM is rare enough to report the same way */
        goto done;
    }
    for (size_t i = 0; i < n; i++) idx[i] = i;
    int has_dropout = 0;
    for (size_t l = 0; l < c->spec.n_layers; l++) has_dropout |= c->spec.dropout[l] > 0;
    res->n_params = m.n_params;

    ob_train_row row = {.epoch = 0, .lr = ob_schedule_lr(&c->sched, 0)};
    evaluate_all(&m, data, &row);
    if (obs && obs->row && (st = obs->row(obs->ctx, &row, err)) != OB_OK) goto done;
    res->status = OB_OK;
    long t = 0;
    double seconds = 0;
    for (long e = 1; e <= c->epochs && res->status == OB_OK; e++) {
        double t0 = now();
        gsl_ran_shuffle(r_shuf, idx, n, sizeof *idx);
        for (size_t b = 0; b < n_batches; b++) {
            const size_t lo = b * B, nb = n - lo < B ? n - lo : B;
            /* one update from rows idx[lo, lo+nb), in chunks of at most max_batch rows
             * (one chunk except for full-batch gd), each adding its share of the mean */
            double loss = 0;
            ob_mlp_zero_grad(&m);
            for (size_t c0 = 0; c0 < nb; c0 += m.max_batch) {
                const size_t nc = nb - c0 < m.max_batch ? nb - c0 : m.max_batch;
                for (size_t i = 0; i < nc; i++) yb[i] = data->train.y[idx[lo + c0 + i]];
                ob_mlp_gather(&m, data->train.x, d, idx + lo + c0, nc);
                ob_mlp_forward(&m, nc, has_dropout ? r_drop : NULL);
                const double share = nc == nb ? 1 : (double)nc / (double)nb;
                loss += share * ob_mlp_loss(&m, nc, yb, 1, NULL, NULL);
                ob_mlp_backward_data(&m, nc, share);
            }
            ob_mlp_penalty_backward(&m);
            if (!isfinite(loss)) {
                res->status = OB_DIVERGED;
                break;
            }
            row.lr = ob_schedule_lr(&c->sched, t);
            ob_optimizer_step(o, m.params, m.grads, row.lr, NULL);
            t++;
            if (obs && obs->progress) obs->progress(obs->ctx, e, b + 1, n_batches, loss);
        }
        ep_sec[e - 1] = now() - t0;
        seconds += ep_sec[e - 1];
        res->epochs_done = e;
        row.epoch = e;
        row.step = t;
        row.seconds = seconds;
        evaluate_all(&m, data, &row);
        if (!isfinite(row.loss[OB_SPLIT_TRAIN])) res->status = OB_DIVERGED;
        if (obs && obs->row && (st = obs->row(obs->ctx, &row, err)) != OB_OK) goto done;
    }
    res->steps = t;
    res->seconds = seconds;
    res->last = row;
    if (res->epochs_done > 0) {
        qsort(ep_sec, (size_t)res->epochs_done, sizeof *ep_sec, cmp_double);
        size_t k = (size_t)res->epochs_done;
        res->epoch_seconds_median = k % 2 ? ep_sec[k / 2] : 0.5 * (ep_sec[k / 2 - 1] + ep_sec[k / 2]);
    }
    st = OB_OK;
done:
    ob_optimizer_free(o);
    free(ep_sec);
    free(yb);
    free(idx);
    if (r_init) gsl_rng_free(r_init);
    if (r_shuf) gsl_rng_free(r_shuf);
    if (r_drop) gsl_rng_free(r_drop);
    ob_mlp_free(&m);
    openblas_set_num_threads(blas_threads);
    return st;
}
