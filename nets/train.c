/* train.c - mini-batch training of an MLP by any optimizer (see train.h). */
#include "nets/train.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "common/names.h"
#include "common/stats.h"

/* OpenBLAS's own (not in GSL's CBLAS header): the network splits its GEMMs across OpenMP
 * threads itself (see gemm in mlp_kernels.h), so OpenBLAS runs on one thread during
 * training and gets its setting back afterwards */
int openblas_get_num_threads(void);
void openblas_set_num_threads(int n);

#define EVAL_CHUNK 1024 /* rows per forward pass when evaluating */
#define MAX_CHUNK 8192  /* larger batches are processed in chunks of EVAL_CHUNK rows */

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
    return ob_train_optimizer_check(c->opt, err);
}

ob_status ob_train_optimizer_check(const ob_optimizer_type *T, ob_error *err)
{
    if (!T->needs_objective) return OB_OK;
    /* the GSL minimizers run line searches on a full f */
    const char *rules[OB_NAMES_MAX];
    char list[512];
    size_t n = 0;
    for (size_t k = 0; ob_optimizer_types[k] && n + 1 < OB_NAMES_MAX; k++)
        if (!ob_optimizer_types[k]->needs_objective) rules[n++] = ob_optimizer_types[k]->name;
    rules[n] = NULL;
    return ob_fail(err, OB_EINVAL, "--optimizer %s needs a full-batch objective; networks train "
                   "with the first-order rules (%s)", T->name,
                   ob_accepted(list, sizeof list, rules));
}

/* the learning rate of update t: the schedule at the rule's rate (its one home, h.lr) */
static double lr_at(const ob_train_config *c, long t)
{
    return ob_schedule_lr(&c->sched, c->h.lr, t);
}

static void evaluate_all(ob_mlp *m, const ob_splits *d, ob_train_row *r)
{
    ob_evaluate(m, &d->train, &r->loss[OB_SPLIT_TRAIN], &r->acc[OB_SPLIT_TRAIN]);
    ob_evaluate(m, &d->val, &r->loss[OB_SPLIT_VAL], &r->acc[OB_SPLIT_VAL]);
    ob_evaluate(m, &d->test, &r->loss[OB_SPLIT_TEST], &r->acc[OB_SPLIT_TEST]);
}

/* what one run of the loop works with */
typedef struct {
    ob_mlp *m;
    const ob_train_config *c;
    const ob_dataset *train;
    const ob_train_observer *obs;
    gsl_rng *batches, *dropout;
    ob_optimizer *o;
    size_t B, n_batches;
    size_t *idx;       /* (n) the epoch's order; OB_BATCHES_IID: 0..n-1, drawn from */
    size_t *drawn;     /* (B) OB_BATCHES_IID: the update's samples */
    int32_t *yb;       /* (max_batch) a chunk's labels */
    int has_dropout;
    long t;            /* updates so far */
    /* the step log */
    long total;        /* the updates the run is to make */
    double win_sum;    /* batch losses since the last step row */
    long win_n;
    int steplog;       /* obs->step is called (the config asks for step rows) */
    double hook_sec;   /* this epoch's time in the step log and the sharpness */
    double last_loss;  /* the last batch loss */
} loop;

/* the rows of batch b: a slice of the epoch's order, or B fresh draws */
static const size_t *batch_rows(loop *L, size_t b, size_t *nb)
{
    const size_t n = L->train->n;
    if (L->c->batching == OB_BATCHES_IID) {
        gsl_ran_choose(L->batches, L->drawn, L->B, L->idx, n, sizeof *L->idx);
        *nb = L->B;
        return L->drawn;
    }
    const size_t lo = b * L->B;
    *nb = n - lo < L->B ? n - lo : L->B;
    return L->idx + lo;
}

/* One update from the rows of batch b, in chunks of at most max_batch rows (one chunk
 * except for full-batch gd), each adding its share of the mean.  Returns the batch's
 * mean loss (no penalty); a non-finite one means no update was made (unless keep_going). */
static double update(loop *L, long epoch, size_t b)
{
    ob_mlp *m = L->m;
    const ob_dataset *tr = L->train;
    if (L->obs && L->obs->before_update) L->obs->before_update(L->obs->ctx, m, L->t);
    size_t nb;
    const size_t *rows = batch_rows(L, b, &nb);
    double loss = 0;
    ob_mlp_zero_grad(m);
    for (size_t c0 = 0; c0 < nb; c0 += m->max_batch) {
        const size_t nc = nb - c0 < m->max_batch ? nb - c0 : m->max_batch;
        for (size_t i = 0; i < nc; i++) L->yb[i] = tr->y[rows[c0 + i]];
        ob_mlp_gather(m, tr->x, tr->d, rows + c0, nc);
        ob_mlp_forward(m, nc, L->has_dropout ? L->dropout : NULL);
        const double share = nc == nb ? 1 : (double)nc / (double)nb;
        loss += share * ob_mlp_loss(m, nc, L->yb, 1, NULL, NULL);
        ob_mlp_backward_data(m, nc, share);
    }
    ob_mlp_penalty_backward(m);
    if (!isfinite(loss) && !L->c->keep_going) return loss;
    ob_optimizer_step(L->o, m->params, m->grads, lr_at(L->c, L->t), NULL);
    L->t++;
    if (L->obs && L->obs->progress) L->obs->progress(L->obs->ctx, epoch, b + 1, L->n_batches, loss);
    return loss;
}

/* a step row is due after t updates: every log_every, every sharpness_every, the last */
static int step_due(const loop *L, long t)
{
    const ob_train_config *c = L->c;
    return L->steplog && ((c->log_every > 0 && t % c->log_every == 0) ||
                          (c->sharpness_every > 0 && t % c->sharpness_every == 0) ||
                          t == L->total);
}

/* Writes the step row after L->t updates, the sharpness first when it is due; its time
 * goes to L->hook_sec.  seconds: the training time so far; epoch: the fractional epoch;
 * loss: the last batch loss.  skipped: that batch's loss was not finite and its update was
 * not made: the row is the run's last, step L->t + 1, without a sharpness. */
static ob_status step_row(loop *L, double seconds, double epoch, double lr, double loss,
                          int skipped, ob_error *err)
{
    const double t0 = ob_clock_now();
    const ob_train_config *c = L->c;
    ob_train_step s = {.step = L->t + (skipped ? 1 : 0), .epoch = epoch, .seconds = seconds,
                       .lr = lr, .batch_loss = L->win_n ? loss : NAN,
                       .mean_loss = L->win_n ? L->win_sum / (double)L->win_n : NAN,
                       .sharpness = NAN, .threshold = NAN, .sharpness_residual = NAN};
    ob_status st = OB_OK;
    if (L->obs->sharpness && !skipped && c->sharpness_every > 0 && L->t % c->sharpness_every == 0)
        st = L->obs->sharpness(L->obs->ctx, L->m, L->o, lr_at(c, L->t), &s, err);
    if (st == OB_OK) st = L->obs->step(L->obs->ctx, &s, err);
    L->win_sum = 0;
    L->win_n = 0;
    L->hook_sec += ob_clock_now() - t0;
    return st;
}

/* the epochs: rows 1.. after each (row 0 before), timed without the evaluations */
static ob_status epochs(loop *L, const ob_splits *eval, long n_epochs, double *ep_sec,
                        ob_train_result *res, ob_error *err)
{
    const ob_train_config *c = L->c;
    const ob_train_observer *obs = L->obs;
    ob_train_row row = {.epoch = 0, .lr = lr_at(c, 0)};
    ob_status st;
    if (eval && c->row0 && c->row0->have) {
        memcpy(row.loss, c->row0->loss, sizeof row.loss);
        memcpy(row.acc, c->row0->acc, sizeof row.acc);
    } else if (eval) {
        evaluate_all(L->m, eval, &row);
        if (c->row0) {
            memcpy(c->row0->loss, row.loss, sizeof row.loss);
            memcpy(c->row0->acc, row.acc, sizeof row.acc);
            c->row0->have = 1;
        }
    }
    if (eval && obs && obs->row && (st = obs->row(obs->ctx, &row, err)) != OB_OK) return st;
    if (step_due(L, 0) && (st = step_row(L, 0, 0, row.lr, NAN, 0, err)) != OB_OK) return st;
    double seconds = 0;
    const int iid = c->batching == OB_BATCHES_IID;
    for (long e = 1; e <= n_epochs && res->status == OB_OK; e++) {
        double t0 = ob_clock_now();
        L->hook_sec = 0;
        if (c->batching == OB_BATCHES_EPOCHS)
            gsl_ran_shuffle(L->batches, L->idx, L->train->n, sizeof *L->idx);
        for (size_t b = 0; b < L->n_batches; b++) {
            const long t = L->t;
            const double loss = update(L, e, b);
            L->win_sum += loss;
            L->win_n++;
            const int stop = !isfinite(loss) && !c->keep_going;
            if (!stop) row.lr = lr_at(c, t); /* the last update's */
            if (stop ? L->steplog : step_due(L, L->t)) {
                /* epochs of batches so far: IID draws count B/n of an epoch each */
                double ep = iid ? (double)(t + 1) * (double)L->B / (double)L->train->n
                                : (double)(e - 1) + (double)(b + 1) / (double)L->n_batches;
                double sec = seconds + (ob_clock_now() - t0 - L->hook_sec);
                st = step_row(L, sec, ep, lr_at(c, t), loss, stop, err);
                if (st != OB_OK) return st;
            }
            L->last_loss = loss;
            if (stop) {
                res->status = OB_DIVERGED;
                break;
            }
        }
        ep_sec[e - 1] = ob_clock_now() - t0 - L->hook_sec;
        if (obs && obs->epoch_end) obs->epoch_end(obs->ctx, L->m, e, L->t);
        seconds += ep_sec[e - 1];
        res->epochs_done = e;
        row.epoch = e;
        row.step = L->t;
        row.seconds = seconds;
        if (!eval) continue;
        evaluate_all(L->m, eval, &row);
        /* a non-finite loss on the training split (on the validation split when the rows
         * leave the training split out: c->no_train_eval) */
        if (!isfinite(row.loss[eval->train.n ? OB_SPLIT_TRAIN : OB_SPLIT_VAL])) res->status = OB_DIVERGED;
        if (obs && obs->row && (st = obs->row(obs->ctx, &row, err)) != OB_OK) return st;
    }
    /* stopped early by a non-finite training loss at an epoch's end: the updates since
     * the last step row get theirs */
    if (L->steplog && L->win_n > 0 && (st = step_row(L, seconds, (double)res->epochs_done, row.lr,
                                       L->last_loss, 0, err)) != OB_OK)
        return st;
    res->steps = L->t;
    res->seconds = seconds;
    res->last = row;
    if (res->epochs_done > 0) res->epoch_seconds_median = ob_median(ep_sec, (size_t)res->epochs_done);
    return OB_OK;
}

ob_status ob_train_model(ob_mlp *m, const ob_train_config *c, const ob_dataset *train,
                         const ob_splits *eval, gsl_rng *batches, gsl_rng *dropout,
                         const ob_train_observer *obs, ob_train_result *res, ob_error *err)
{
    memset(res, 0, sizeof *res);
    res->n_params = m->n_params;
    const size_t n = train->n;
    const int iid = c->batching == OB_BATCHES_IID;
    /* gd: the full gradient, one update per epoch; otherwise mini-batches of --batch */
    loop L = {.m = m, .c = c, .train = train, .obs = obs, .batches = batches, .dropout = dropout,
              .steplog = obs && obs->step && (c->log_every > 0 || c->sharpness_every > 0)};
    L.B = c->opt->full_gradient || c->batch > n ? n : c->batch;
    L.n_batches = iid ? (size_t)c->steps : (n + L.B - 1) / L.B;
    const long n_epochs = iid ? 1 : c->epochs;
    L.total = n_epochs * (long)L.n_batches;
    L.idx = malloc(n * sizeof *L.idx);
    L.drawn = iid ? malloc(L.B * sizeof *L.drawn) : NULL;
    L.yb = malloc(m->max_batch * sizeof *L.yb);
    double *ep_sec = malloc(((size_t)n_epochs + 1) * sizeof *ep_sec);
    ob_status st;
    if (!L.idx || (iid && !L.drawn) || !L.yb || !ep_sec) {
        st = ob_fail(err, OB_ENOMEM, "out of memory");
        goto done;
    }
    L.o = ob_optimizer_alloc(c->opt, &c->h, m->n_params, c->dtype, err);
    if (!L.o) {
        st = OB_EINVAL; /* a bad setting; ENOMEM is rare enough to report the same way */
        goto done;
    }
    for (size_t i = 0; i < n; i++) L.idx[i] = i;
    for (size_t l = 0; l < m->spec.n_layers; l++) L.has_dropout |= m->spec.dropout[l] > 0;
    res->status = OB_OK;
    st = epochs(&L, eval, n_epochs, ep_sec, res, err);
done:
    ob_optimizer_free(L.o);
    free(ep_sec);
    free(L.yb);
    free(L.drawn);
    free(L.idx);
    return st;
}

long ob_train_updates(const ob_train_config *c, size_t n)
{
    if (c->batching == OB_BATCHES_IID) return c->steps;
    const size_t B = c->opt->full_gradient || c->batch > n || c->batch == 0 ? n : c->batch;
    return n == 0 ? 0 : c->epochs * (long)((n + B - 1) / B);
}

long ob_train_log_every(const ob_train_config *c, size_t n, long rows)
{
    const long u = ob_train_updates(c, n);
    return rows > 0 && u >= 2 * rows ? u / rows : 1;
}

ob_status ob_train(const ob_train_config *c, const ob_splits *data, const ob_train_observer *obs,
                   ob_train_result *res, ob_error *err)
{
    memset(res, 0, sizeof *res);
    ob_status st = check_data(c, data, err);
    if (st != OB_OK) return st;
    const size_t n = data->train.n;
    const size_t B = c->opt->full_gradient || c->batch > n ? n : c->batch;
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
    if (!r_init || !r_shuf || !r_drop) {
        st = ob_fail(err, OB_ENOMEM, "out of memory");
    } else {
        gsl_rng_set(r_init, c->seed);
        gsl_rng_set(r_shuf, c->seed + 0x9e3779b9UL);
        gsl_rng_set(r_drop, c->seed + 2 * 0x9e3779b9UL);
        ob_mlp_init(&m, r_init);
        ob_splits ev = *data; /* what the rows evaluate */
        if (c->no_train_eval) ev.train.n = 0;
        st = ob_train_model(&m, c, &data->train, c->no_eval ? NULL : &ev, r_shuf, r_drop, obs,
                            res, err);
    }
    if (r_init) gsl_rng_free(r_init);
    if (r_shuf) gsl_rng_free(r_shuf);
    if (r_drop) gsl_rng_free(r_drop);
    ob_mlp_free(&m);
    openblas_set_num_threads(blas_threads);
    return st;
}
