/* rate_net.c - the SGD-rate comparison on a network, where L and sigma^2 can only be
 * estimated (a network is not globally L-smooth): netA (or any preset) in float64 on a
 * subset of Fashion-MNIST, f = the mean cross-entropy over the subset (f* >= 0).
 *
 *   L       power iteration (20 steps) on Hessian-vector products taken as central
 *           differences of full gradients, Hv ~ (g(theta + e v) - g(theta - e v)) / (2e),
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

#include "rate/rate.h"
#include "rate/rate_net.h"
#include "nets/mlp.h"
#include "nets/presets.h"

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

/* the largest |eigenvalue| of the Hessian at the current parameters */
static double power_iteration(net_obj *o, gsl_rng *r)
{
    const size_t P = o->m.n_params;
    double *theta = params(o), *v = calloc(P, sizeof *v), *t0 = malloc(P * sizeof *t0);
    if (!v || !t0) {
        free(v);
        free(t0);
        return NAN;
    }
    memcpy(t0, theta, P * sizeof *t0);
    for (size_t i = 0; i < P; i++) v[i] = gsl_ran_gaussian(r, 1);
    double nv = sqrt(norm2(v, P)), lambda = 0;
    for (size_t i = 0; i < P; i++) v[i] /= nv;
    const double e = 1e-4 * (1 + sqrt(norm2(t0, P))); /* central differences: O(e^2) error */
    for (int it = 0; it < POWER_STEPS; it++) {
        for (size_t i = 0; i < P; i++) theta[i] = t0[i] + e * v[i];
        full_grad(o);
        memcpy(o->g, grads(o), P * sizeof *o->g);
        for (size_t i = 0; i < P; i++) theta[i] = t0[i] - e * v[i];
        full_grad(o);
        for (size_t i = 0; i < P; i++) o->g[i] = (o->g[i] - grads(o)[i]) / (2 * e); /* Hv */
        lambda = ob_dot(v, o->g, P);                /* Rayleigh quotient, |v| = 1 */
        double nh = sqrt(norm2(o->g, P));
        if (!(nh > 0)) break;
        for (size_t i = 0; i < P; i++) v[i] = o->g[i] / nh;
    }
    memcpy(theta, t0, P * sizeof *t0);
    free(v);
    free(t0);
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

/* N steps of SGD from theta_0 at step lr; returns (1/N) sum_{t<N} ||grad f(theta_t)||^2 */
static double sgd_run(net_obj *o, const double *theta0, long N, double lr, size_t B,
                      size_t *perm, size_t *idx, gsl_rng *r)
{
    const size_t P = o->m.n_params;
    double *theta = params(o), sum = 0;
    memcpy(theta, theta0, P * sizeof *theta);
    for (long t = 0; t < N; t++) {
        full_grad(o);
        sum += norm2(grads(o), P);
        gsl_ran_choose(r, idx, B, perm, o->n, sizeof *idx);
        batch_grad(o, idx, B);
        for (size_t i = 0; i < P; i++) theta[i] -= lr * grads(o)[i];
    }
    return sum / (double)N;
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

    /* the estimates, at theta_0 and after a pilot run */
    double L0 = power_iteration(&o, r);
    double v0 = batch_variance(&o, c->batch, perm, idx, r);
    sgd_run(&o, theta0, PILOT_STEPS, 1 / (L0 * sqrt((double)PILOT_STEPS)), c->batch, perm, idx, r);
    double L1 = power_iteration(&o, r);
    double v1 = batch_variance(&o, c->batch, perm, idx, r);
    double L = L0 > L1 ? L0 : L1, sigma2 = v0 > v1 ? v0 : v1;
    if (!(L > 0 && isfinite(L) && isfinite(sigma2))) {
        s = ob_fail(err, OB_EINVAL, "%s: the curvature estimate failed (L = %g)", c->net, L);
        goto done;
    }
    for (size_t k = 0; k < c->n_count; k++) {
        ob_rate_row *row = &rows[k];
        memset(row, 0, sizeof *row);
        row->N = c->n_list[k];
        row->lr = 1 / (L * sqrt((double)row->N));
        int runs = 0;
        for (int seed = 0; seed < c->seeds; seed++) {
            gsl_rng_set(r, c->seed0 + 1000 + (unsigned long)seed); /* the batches of this run */
            double a = sgd_run(&o, theta0, row->N, row->lr, c->batch, perm, idx, r);
            if (isfinite(a)) avg[runs++] = a;
            else row->diverged++;
        }
        ob_rate_finish_row(row, avg, runs, sigma2, L, fit->f0); /* f* >= 0 */
    }
    ob_rate_fit_rows(rows, c->n_count, fit);
    *sub = (ob_rate_subject){.name = c->net, .dim = P, .L = L, .f_star = 0, .seeds = c->seeds,
                             .estimate = 1,
                             .L_source = "estimate: power iteration on finite-difference "
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
