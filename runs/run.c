/* run.c - the run loop of run.h.
 *
 * Row k holds x_k (after k updates) with the FULL objective and gradient norm there.
 * Deterministic and additive-noise runs evaluate the full gradient at every x_k anyway
 * (it is the next step's gradient, plus noise), so their log is free; mini-batch runs
 * evaluate the full objective only at logged rows, outside the timed region. */
#include "runs/run.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"

/* below this dimension the previous point is kept, so that a run that blows up to NaN
 * can still log its last finite point */
#define KEEP_PREV_MAX 100

/* The objective handed to the GSL minimizers: counts every evaluation. */
typedef struct {
    const ob_problem *p;
    long evals;
} counted;

static double counted_fdf(void *ctx, const double *x, double *g)
{
    counted *c = ctx;
    c->evals++;
    return c->p->type->fdf(c->p, x, g, NULL);
}

static int is_diverged(double f, double f0)
{
    return !isfinite(f) || f - f0 > OB_DIVERGE_FACTOR * (1 + fabs(f0));
}

typedef struct {
    const ob_run_config *c;
    const ob_observer *obs;
    ob_run_result *res;
    size_t n;
    double *x, *g, *gs, *xprev;
    size_t *perm, pos;     /* mini-batch order within the epoch */
    gsl_rng *rng;
} loop;

static int emit(loop *L, long k, double f, double gn2, double lr, const double *x)
{
    L->res->final_loss = f;
    L->res->final_grad_norm = sqrt(gn2);
    L->res->rows++;
    if (!L->obs) return 0;
    ob_row r = {.step = k, .loss = f, .grad_norm = sqrt(gn2), .evals = L->res->evals,
                .lr = lr, .seconds = L->res->seconds, .x = x};
    return L->obs->row(L->obs->ctx, &r);
}

/* the next mini-batch: B indices without replacement within an epoch; an epoch's last
 * N mod B samples are dropped, so every batch has exactly B terms (the variance the SGD
 * theorem uses is that of a B-batch) */
static const size_t *next_batch(loop *L)
{
    size_t N = L->c->prob->n_samples, B = L->c->batch;
    if (L->c->iid_batches) { /* B distinct indices, uniformly, independent of the past */
        gsl_ran_choose(L->rng, L->perm + N, B, L->perm, N, sizeof *L->perm);
        return L->perm + N;
    }
    if (L->pos + B > N) {
        gsl_ran_shuffle(L->rng, L->perm, N, sizeof *L->perm);
        L->pos = 0;
    }
    const size_t *idx = L->perm + L->pos;
    L->pos += B;
    return idx;
}

static ob_status check_config(const ob_run_config *c, ob_error *err)
{
    const ob_problem *p = c->prob;
    if (c->steps < 0) return ob_fail(err, OB_EINVAL, "--steps must be >= 0, got %ld", c->steps);
    if (!(isfinite(c->noise) && c->noise >= 0))
        return ob_fail(err, OB_EINVAL, "--noise must be a finite number >= 0, got %g", c->noise);
    if (c->batch && !p->n_samples)
        return ob_fail(err, OB_EINVAL,
                       "--batch applies to finite sums (logreg, lsq); %s takes --noise SIGMA",
                       p->type->name);
    if (c->batch > p->n_samples)
        return ob_fail(err, OB_EINVAL, "--batch must be between 1 and the %zu samples, got %zu",
                       p->n_samples, c->batch);
    int stochastic = c->noise > 0 || c->batch > 0;
    if (stochastic && c->opt->full_gradient)
        return ob_fail(err, OB_EINVAL,
                       "%s uses the full gradient; use sgd (or another rule) with --noise/--batch",
                       c->opt->name);
    if (stochastic && c->opt->needs_objective)
        return ob_fail(err, OB_EINVAL, "%s minimizes the full objective; --noise/--batch do not apply",
                       c->opt->name);
    ob_status s = ob_hparams_check(c->opt, &c->h, err);
    if (s != OB_OK) return s;
    return ob_schedule_check(&c->sched, err);
}

ob_status ob_run(const ob_run_config *c, const ob_observer *obs, double *x_out,
                 ob_run_result *res, ob_error *err)
{
    ob_status s = check_config(c, err);
    if (s != OB_OK) return s;
    const ob_problem *p = c->prob;
    const size_t n = p->dim;
    const long every = obs && obs->every > 0 ? obs->every : 1;
    const int batched = c->batch > 0;
    const int full_every_step = !batched || (obs && obs->every_step_full);

    *res = (ob_run_result){.status = OB_OK, .diverged_step = -1};
    loop L = {.c = c, .obs = obs, .res = res, .n = n};
    L.x = malloc(n * sizeof *L.x);
    L.g = malloc(n * sizeof *L.g);
    int need_gs = c->noise > 0 || batched;
    if (need_gs) L.gs = malloc(n * sizeof *L.gs);
    if (n <= KEEP_PREV_MAX) L.xprev = malloc(n * sizeof *L.xprev);
    if (batched) L.perm = malloc((p->n_samples + c->batch) * sizeof *L.perm);
    L.rng = gsl_rng_alloc(gsl_rng_mt19937);
    ob_optimizer *o = NULL;
    if (!L.x || !L.g || (need_gs && !L.gs) || (n <= KEEP_PREV_MAX && !L.xprev) ||
        (batched && !L.perm) || !L.rng) {
        s = ob_fail(err, OB_ENOMEM, "out of memory for a run in %zu dimensions", n);
        goto done;
    }
    o = ob_optimizer_alloc(c->opt, &c->h, n, OB_F64, err);
    if (!o) {
        s = OB_ENOMEM;
        goto done;
    }
    gsl_rng_set(L.rng, c->seed);
    if (batched) {
        for (size_t i = 0; i < p->n_samples; i++) L.perm[i] = i;
        L.pos = p->n_samples; /* shuffle before the first batch */
    }
    memcpy(L.x, c->x0 ? c->x0 : p->x0, n * sizeof *L.x);

    counted cobj = {.p = p};
    ob_objective obj = {counted_fdf, &cobj};
    const double noise_sd = c->noise / sqrt((double)n); /* E||noise||^2 = sigma^2 */

    double gn2 = 0, f = p->type->fdf(p, L.x, L.g, &gn2);
    res->f0 = f;
    res->last_finite_loss = f;
    if (!isfinite(f)) {
        s = ob_fail(err, OB_EINVAL, "f is not finite at the start point (f = %g)", f);
        goto done;
    }
    if (emit(&L, 0, f, gn2, ob_schedule_lr(&c->sched, 0), L.x)) {
        s = ob_fail(err, OB_EIO, "could not write the trajectory");
        goto done;
    }
    long last_logged = 0;
    double t_seg = ob_clock_now();
    for (long k = 1; k <= c->steps; k++) {
        const double lr = ob_schedule_lr(&c->sched, k - 1);
        if (L.xprev) memcpy(L.xprev, L.x, n * sizeof *L.x);
        ob_status st;
        if (c->opt->needs_objective) {
            st = ob_optimizer_step(o, L.x, NULL, lr, &obj);
            res->evals = cobj.evals;
        } else {
            const double *grad = L.g;
            if (batched) {
                double fb = p->type->fdf_batch(p, L.x, L.gs, next_batch(&L), c->batch);
                if (is_diverged(fb, res->f0)) {
                    /* x_{k-1} already blew up: its mini-batch loss is beyond the bound */
                    res->seconds += ob_clock_now() - t_seg;
                    res->status = OB_DIVERGED;
                    res->diverged_step = k - 1;
                    break;
                }
                res->last_finite_loss = fb;
                grad = L.gs;
            } else if (c->noise > 0) {
                for (size_t i = 0; i < n; i++)
                    L.gs[i] = L.g[i] + gsl_ran_gaussian_ziggurat(L.rng, noise_sd);
                grad = L.gs;
            }
            res->evals++;
            st = ob_optimizer_step(o, L.x, grad, lr, NULL);
        }
        res->steps_done = k;
        int have_f = 0;
        if (full_every_step && !c->opt->needs_objective) {
            /* the next step's gradient: part of the optimization time */
            f = p->type->fdf(p, L.x, L.g, &gn2);
            have_f = 1;
        }
        if (!(k % every == 0 || k == c->steps || st != OB_OK || (have_f && is_diverged(f, res->f0)))) {
            if (have_f) res->last_finite_loss = f;
            continue;
        }
        /* a row to log (or a stop): stop the clock; an evaluation made only for the log
         * is not optimization time */
        res->seconds += ob_clock_now() - t_seg;
        if (!have_f) f = p->type->fdf(p, L.x, L.g, &gn2);
        if (is_diverged(f, res->f0)) {
            res->status = OB_DIVERGED;
            res->diverged_step = k;
            if (isfinite(f) && isfinite(gn2)) { /* beyond the bound but still a number */
                res->last_finite_loss = f;
                if (emit(&L, k, f, gn2, lr, L.x)) s = OB_EIO;
            } else if (L.xprev && last_logged < k - 1) {
                /* NaN now: log the last finite point, x_{k-1} */
                double f1 = p->type->fdf(p, L.xprev, L.g, &gn2);
                if (isfinite(f1) &&
                    emit(&L, k - 1, f1, gn2, ob_schedule_lr(&c->sched, k - 2), L.xprev))
                    s = OB_EIO;
            }
            break;
        }
        res->last_finite_loss = f;
        if (emit(&L, k, f, gn2, lr, L.x)) {
            s = OB_EIO;
            break;
        }
        last_logged = k;
        if (st != OB_OK) { /* a GSL minimizer that can make no more progress */
            res->status = OB_STALLED;
            break;
        }
        t_seg = ob_clock_now();
    }
    if (s == OB_EIO) ob_fail(err, OB_EIO, "could not write the trajectory");
    if (x_out) memcpy(x_out, L.x, n * sizeof *L.x);
done:
    ob_optimizer_free(o);
    gsl_rng_free(L.rng);
    free(L.x);
    free(L.g);
    free(L.gs);
    free(L.xprev);
    free(L.perm);
    return s;
}
