/* rate_net.c - the SGD-rate comparison on a network, where L and sigma^2 can only be
 * estimated (a network is not globally L-smooth): netA (or any preset) in float64 on a
 * subset of Fashion-MNIST, f = the mean cross-entropy over the subset (f* >= 0).
 *
 *   L       power iteration (20 steps) on exact Hessian-vector products of the
 *           subset's loss in float64 (the R-operator: ob_mlp_hvp, nets/mlp_hvp.h),
 *           at theta_0 and after a 100-step pilot run of SGD; the larger |lambda|.
 *   sigma^2 the mean of ||g_B - g||^2 over 32 independent B-batches, at the same two
 *           points; the larger.
 * Then, as for the analytic problems: for each N, R runs of SGD with i.i.d. B-batches and
 * the step 1/(L sqrt(N)) from the same theta_0, the average of the full-gradient norm^2
 * over t < N against (2L(f(theta_0) - 0) + sigma^2)/sqrt(N).  Every figure is labelled an
 * estimate. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "experiments/rate/rate.h"
#include "experiments/rate/rate_net.h"
#include "nets/mlp.h"
#include "nets/mlp_hvp.h"
#include "nets/presets.h"
#include "nets/train.h"
#include "common/progress.h"

#define POWER_STEPS 20
#define PILOT_STEPS 100
#define VAR_BATCHES 32

typedef struct {
    ob_mlp m;
    const ob_dataset *ds;
    size_t n;          /* the subset: rows 0..n of ds */
    int32_t *labels;   /* (max_batch) labels of a gathered batch */
    double *g;         /* (P) scratch gradients */
    double *g2;        /* (P) */
} net_obj;

static double *params(net_obj *o) { return o->m.params; }
static double *grads(net_obj *o) { return o->m.grads; }

/* f over the subset; grads <- its gradient */
static double full_grad(net_obj *o)
{
    ob_mlp *m = &o->m;
    const size_t d = o->ds->d;
    ob_mlp_zero_grad(m);
    double sum = 0;
    for (size_t i = 0; i < o->n; i += m->max_batch) {
        size_t B = o->n - i < m->max_batch ? o->n - i : m->max_batch;
        ob_mlp_gather(m, o->ds->x + i * d, d, NULL, B);
        ob_mlp_forward(m, B, NULL);
        sum += ob_mlp_loss(m, B, o->ds->y + i, 1, NULL, NULL) * (double)B;
        ob_mlp_backward_data(m, B, (double)B / (double)o->n); /* its share of the mean */
    }
    return sum / (double)o->n;
}

/* grads <- the gradient of the mean loss over the rows idx (B) */
static void batch_grad(net_obj *o, const size_t *idx, size_t B)
{
    ob_mlp *m = &o->m;
    ob_mlp_zero_grad(m);
    for (size_t b = 0; b < B; b++) o->labels[b] = o->ds->y[idx[b]];
    ob_mlp_gather(m, o->ds->x, o->ds->d, idx, B);
    ob_mlp_forward(m, B, NULL);
    ob_mlp_loss(m, B, o->labels, 1, NULL, NULL);
    ob_mlp_backward_data(m, B, 1);
}

static double norm2(const double *v, size_t n) { return ob_dot(v, v, n); }

/* the largest |eigenvalue| of the Hessian at the current parameters: power iteration on
 * the networks' one Hessian-vector product (nets/mlp_hvp.h) */
static double power_iteration(net_obj *o, gsl_rng *r)
{
    const size_t P = o->m.n_params;
    double *v = calloc(P, sizeof *v);
    if (!v) return NAN;
    for (size_t i = 0; i < P; i++) v[i] = gsl_ran_gaussian(r, 1);
    double nv = sqrt(norm2(v, P)), lambda = 0;
    for (size_t i = 0; i < P; i++) v[i] /= nv;
    ob_mlp_hvp_data D = {.m = &o->m, .x = o->ds->x, .d = o->ds->d, .y = o->ds->y, .n = o->n};
    for (int it = 0; it < POWER_STEPS; it++) {
        if (ob_mlp_hvp(&D, v, o->g, NULL) != OB_OK) { /* o->g = Hv */
            lambda = NAN;
            break;
        }
        lambda = ob_dot(v, o->g, P);                /* Rayleigh quotient, |v| = 1 */
        double nh = sqrt(norm2(o->g, P));
        if (!(nh > 0)) break;
        for (size_t i = 0; i < P; i++) v[i] = o->g[i] / nh;
    }
    free(v);
    return fabs(lambda);
}

/* E||g_B - g||^2 over VAR_BATCHES i.i.d. batches at the current parameters */
static double batch_variance(net_obj *o, size_t B, size_t *perm, size_t *idx, gsl_rng *r)
{
    const size_t P = o->m.n_params;
    full_grad(o);
    memcpy(o->g2, grads(o), P * sizeof *o->g2);
    double v = 0;
    for (int k = 0; k < VAR_BATCHES; k++) {
        gsl_ran_choose(r, idx, B, perm, o->n, sizeof *idx);
        batch_grad(o, idx, B);
        double s = 0;
        for (size_t i = 0; i < P; i++) {
            double dlt = grads(o)[i] - o->g2[i];
            s += dlt * dlt;
        }
        v += s;
    }
    return v / VAR_BATCHES;
}

/* the observer of an SGD run: ||grad f(theta_t)||^2 summed before every update */
typedef struct {
    net_obj *o;
    double sum;
} grad_sum;

static void add_full_grad_norm(void *ctx, ob_mlp *m, long t)
{
    (void)m; /* o->m: the model being trained */
    (void)t;
    grad_sum *gs = ctx;
    full_grad(gs->o);
    gs->sum += norm2(grads(gs->o), gs->o->m.n_params);
}

/* N steps of SGD with i.i.d. B-batches (drawn by r) from theta_0 at step lr, through the
 * training loop of nets/train.h; returns (1/N) sum_{t<N} ||grad f(theta_t)||^2 (NaN when
 * it blew up: the run is not stopped, the sum says so) */
static double sgd_run(net_obj *o, const double *theta0, long N, double lr, size_t B, gsl_rng *r,
                      int measure, ob_status *st, ob_error *err)
{
    const size_t P = o->m.n_params;
    memcpy(params(o), theta0, P * sizeof *theta0);
    ob_train_config c = {.dtype = OB_F64, .opt = ob_optimizer_find("sgd"), .batch = B,
                         .batching = OB_BATCHES_IID, .steps = N, .keep_going = 1};
    ob_hparams_default(c.opt, &c.h);
    c.h.lr = lr;
    c.sched = ob_schedule_default();
    ob_dataset subset = *o->ds;
    subset.n = o->n;
    grad_sum gs = {.o = o};
    ob_train_observer obs = {.before_update = measure ? add_full_grad_norm : NULL, .ctx = &gs};
    ob_train_result res;
    *st = ob_train_model(&o->m, &c, &subset, NULL, r, NULL, &obs, &res, err);
    return gs.sum / (double)N;
}

/* L and sigma^2: at theta_0 (the parameters on entry) and after a pilot run; the larger
 * of each.  p counts the two points. */
static ob_status estimate(net_obj *o, const double *theta0, size_t B, size_t *perm, size_t *idx,
                          gsl_rng *r, ob_progress *p, double *L, double *sigma2, ob_error *err)
{
    double L0 = power_iteration(o, r);
    double v0 = batch_variance(o, B, perm, idx, r);
    ob_progress_add(p, 1, 1);
    /* the pilot: its sum is not needed, and the full gradients it would take change
     * nothing else (every batch gradient starts from zero) */
    ob_status s;
    sgd_run(o, theta0, PILOT_STEPS, 1 / (L0 * sqrt((double)PILOT_STEPS)), B, r, 0, &s, err);
    if (s != OB_OK) return s;
    double L1 = power_iteration(o, r);
    double v1 = batch_variance(o, B, perm, idx, r);
    ob_progress_add(p, 1, 1);
    *L = L0 > L1 ? L0 : L1;
    *sigma2 = v0 > v1 ? v0 : v1;
    return OB_OK;
}

/* for each N, the runs from theta0 with i.i.d. batches: row k */
static ob_status rate_rows(net_obj *o, const ob_rate_net_config *c, const double *theta0,
                           double L, double sigma2, double f0, gsl_rng *r, double *avg,
                           ob_rate_row *rows, ob_error *err)
{
    double cost = 0;
    for (size_t k = 0; k < c->n_count; k++) cost += (double)c->n_list[k] * c->seeds;
    char label[64];
    snprintf(label, sizeof label, "rate %s: SGD", c->net);
    ob_progress p;
    ob_progress_begin(&p, label, "runs", c->n_count * (size_t)c->seeds, cost, !c->progress);
    ob_status s = OB_OK;
    for (size_t k = 0; k < c->n_count && s == OB_OK; k++) {
        ob_rate_row *row = &rows[k];
        memset(row, 0, sizeof *row);
        row->N = c->n_list[k];
        row->lr = 1 / (L * sqrt((double)row->N));
        int runs = 0;
        for (int seed = 0; seed < c->seeds && s == OB_OK; seed++) {
            gsl_rng_set(r, c->seed0 + 1000 + (unsigned long)seed); /* the batches of this run */
            double a = sgd_run(o, theta0, row->N, row->lr, c->batch, r, 1, &s, err);
            if (isfinite(a)) avg[runs++] = a;
            else row->diverged++;
            ob_progress_add(&p, 1, (double)row->N);
        }
        ob_rate_finish_row(row, avg, runs, sigma2, L, f0); /* f* >= 0 */
    }
    if (s == OB_OK) ob_progress_end(&p);
    return s;
}

ob_status ob_rate_net_run(const ob_rate_net_config *c, const ob_splits *data,
                          ob_rate_subject *sub, ob_rate_row *rows, ob_rate_fit *fit,
                          ob_error *err)
{
    const ob_net_preset *preset = ob_net_preset_find(c->net);
    if (!preset) return ob_fail(err, OB_EINVAL, "unknown network '%s'", c->net);
    if (c->seeds < 2) return ob_fail(err, OB_EINVAL, "--seeds must be >= 2");
    net_obj o = {.ds = &data->train, .n = c->subset < data->train.n ? c->subset : data->train.n};
    if (c->batch < 1 || c->batch > o.n)
        return ob_fail(err, OB_EINVAL, "--batch must be between 1 and the %zu samples, got %zu",
                       o.n, c->batch);
    ob_mlp_spec spec;
    ob_net_preset_spec(preset, data->train.d, data->train.classes, &spec);
    if (spec.loss != OB_LOSS_XENT)
        return ob_fail(err, OB_EINVAL, "%s: the rate estimate needs a cross-entropy network "
                       "(f* >= 0)", c->net);
    for (size_t l = 0; l < OB_MLP_MAX_LAYERS; l++) spec.dropout[l] = 0;
    spec.l1 = spec.l2 = 0;
    size_t mb = c->batch > 256 ? c->batch : 256;
    ob_status s = ob_mlp_alloc(&o.m, &spec, OB_F64, mb, err);
    if (s != OB_OK) return s;
    const size_t P = o.m.n_params;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    o.labels = malloc(mb * sizeof *o.labels);
    o.g = malloc(P * sizeof *o.g);
    o.g2 = malloc(P * sizeof *o.g2);
    double *theta0 = malloc(P * sizeof *theta0), *avg = malloc((size_t)c->seeds * sizeof *avg);
    size_t *perm = malloc(o.n * sizeof *perm), *idx = malloc(c->batch * sizeof *idx);
    if (!r || !o.labels || !o.g || !o.g2 || !theta0 || !avg || !perm || !idx) {
        s = ob_fail(err, OB_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < o.n; i++) perm[i] = i;
    gsl_rng_set(r, c->seed0);
    ob_mlp_init(&o.m, r); /* theta_0: the same for every run */
    memcpy(theta0, params(&o), P * sizeof *theta0);
    fit->f0 = full_grad(&o);

    /* what it estimates, said before the long quiet part */
    char label[64];
    snprintf(label, sizeof label, "rate %s: estimating L and sigma^2", c->net);
    ob_progress p;
    ob_progress_begin(&p, label, "points", 2, 0, !c->progress);
    double L, sigma2;
    s = estimate(&o, theta0, c->batch, perm, idx, r, &p, &L, &sigma2, err);
    if (s != OB_OK) goto done;
    ob_progress_end(&p);
    if (!(L > 0 && isfinite(L) && isfinite(sigma2))) {
        s = ob_fail(err, OB_EINVAL, "%s: the curvature estimate failed (L = %g)", c->net, L);
        goto done;
    }
    if ((s = rate_rows(&o, c, theta0, L, sigma2, fit->f0, r, avg, rows, err)) != OB_OK) goto done;
    ob_rate_fit_rows(rows, c->n_count, fit);
    *sub = (ob_rate_subject){.name = c->net, .dim = P, .L = L, .f_star = 0, .seeds = c->seeds,
                             .estimate = 1,
                             .L_source = "estimate: power iteration on exact (R-operator) "
                                         "Hessian-vector products at the start and after a "
                                         "100-step pilot run (a network is not globally "
                                         "L-smooth)",
                             .sigma2_source = "estimate: variance of 32 mini-batch gradients "
                                              "at the start and after the pilot run (max)"};
    snprintf(sub->oracle, sizeof sub->oracle, "batch %zu of %zu Fashion-MNIST samples", c->batch,
             o.n);
done:
    ob_mlp_free(&o.m);
    gsl_rng_free(r);
    free(o.labels);
    free(o.g);
    free(o.g2);
    free(theta0);
    free(avg);
    free(perm);
    free(idx);
    return s;
}
