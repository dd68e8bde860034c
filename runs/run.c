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
#include "runs/runsharp.h"

/* below this dimension the previous point is kept, so that a run that blows up to NaN
 * can still log its last finite point */
#define KEEP_PREV_MAX 100

/* What one full gradient costs in sample-gradient evaluations: N on a finite sum of N
 * terms, 1 on any other problem.  A mini-batch of B costs B. */
static long full_cost(const ob_problem *p)
{
    return p->n_samples ? (long)p->n_samples : 1;
}

/* The objective handed to the GSL minimizers: counts every evaluation (each a full
 * gradient, full_cost sample gradients), line-search trials included. */
typedef struct {
    const ob_problem *p;
    long evals;
} counted;

static double counted_fdf(void *ctx, const double *x, double *g)
{
    counted *c = ctx;
    c->evals += full_cost(c->p);
    return c->p->type->fdf(c->p, x, g, NULL);
}

/* the learning rate of update t: the schedule at the rule's rate (its one home, h.lr) */
static double lr_at(const ob_run_config *c, long t)
{
    return ob_schedule_lr(&c->sched, c->h.lr, t);
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
    ob_optimizer *o;
    counted cobj;          /* the objective of the GSL minimizers, counting evaluations */
    ob_objective obj;
    double noise_sd;       /* per coordinate: E||noise||^2 = sigma^2 */
    double t_seg;          /* start of the current timed segment */
} loop;

static int emit(loop *L, long k, double f, double gn2, double lr, const double *x)
{
    L->res->final_loss = f;
    L->res->final_grad_norm = sqrt(gn2);
    L->res->rows++;
    if (!L->obs) return 0;
    ob_row r = {.step = k, .loss = f, .grad_norm = sqrt(gn2), .evals = L->res->evals,
                .lr = lr, .seconds = L->res->seconds, .x = x, .sharpness = NAN,
                .sharpness_residual = NAN, .threshold = NAN};
    const long K = L->obs->measure ? L->obs->measure_every : 0;
    if (K > 0 && k % K == 0) {
        ob_probe p = {.step = k, .x = x, .o = L->o, .next_lr = lr_at(L->c, k)};
        if (L->obs->measure(L->obs->mctx, &p, &r)) return 1;
    }
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
    if (c->batch > 0 && c->opt->full_gradient) /* with --noise, gd is sgd */
        return ob_fail(err, OB_EINVAL,
                       "%s takes the full gradient (a full pass of the finite sum); use sgd (or "
                       "another rule) with --batch", c->opt->name);
    if (stochastic && c->opt->needs_objective)
        return ob_fail(err, OB_EINVAL, "%s minimizes the full objective; --noise/--batch do not apply",
                       c->opt->name);
    ob_status s = ob_hparams_check(c->opt, &c->h, err);
    if (s != OB_OK) return s;
    return ob_schedule_check(&c->sched, err);
}

static ob_status loop_alloc(loop *L, ob_error *err)
{
    const ob_run_config *c = L->c;
    const ob_problem *p = c->prob;
    const size_t n = L->n;
    const int batched = c->batch > 0, need_gs = c->noise > 0 || batched;
    L->x = malloc(n * sizeof *L->x);
    L->g = malloc(n * sizeof *L->g);
    if (need_gs) L->gs = malloc(n * sizeof *L->gs);
    if (n <= KEEP_PREV_MAX) L->xprev = malloc(n * sizeof *L->xprev);
    if (batched) L->perm = malloc((p->n_samples + c->batch) * sizeof *L->perm);
    L->rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!L->x || !L->g || (need_gs && !L->gs) || (n <= KEEP_PREV_MAX && !L->xprev) ||
        (batched && !L->perm) || !L->rng)
        return ob_fail(err, OB_ENOMEM, "out of memory for a run in %zu dimensions", n);
    L->o = ob_optimizer_alloc(c->opt, &c->h, n, OB_F64, err);
    if (!L->o) return OB_ENOMEM;
    gsl_rng_set(L->rng, c->seed);
    if (batched) {
        for (size_t i = 0; i < p->n_samples; i++) L->perm[i] = i;
        L->pos = p->n_samples; /* shuffle before the first batch */
    }
    memcpy(L->x, c->x0 ? c->x0 : p->x0, n * sizeof *L->x);
    L->cobj = (counted){.p = p};
    L->obj = (ob_objective){counted_fdf, &L->cobj};
    L->noise_sd = c->noise / sqrt((double)n);
    return OB_OK;
}

static void loop_free(loop *L)
{
    ob_optimizer_free(L->o);
    gsl_rng_free(L->rng);
    free(L->x);
    free(L->g);
    free(L->gs);
    free(L->xprev);
    free(L->perm);
}

/* Update k at rate lr from the gradient at x_{k-1} (L->g, or a stochastic one); *st gets
 * the optimizer's status.  Returns 1 when the mini-batch loss at x_{k-1} already shows a
 * divergence (no update made; the run stops there). */
static int update(loop *L, long k, double lr, ob_status *st)
{
    const ob_run_config *c = L->c;
    const ob_problem *p = c->prob;
    ob_run_result *res = L->res;
    if (c->opt->needs_objective) {
        *st = ob_optimizer_step(L->o, L->x, NULL, lr, &L->obj);
        res->evals = L->cobj.evals;
        return 0;
    }
    const double *grad = L->g;
    if (c->batch > 0) {
        double fb = p->type->fdf_batch(p, L->x, L->gs, next_batch(L), c->batch);
        if (is_diverged(fb, res->f0)) {
            /* x_{k-1} already blew up: its mini-batch loss is beyond the bound */
            res->seconds += ob_clock_now() - L->t_seg;
            res->status = OB_DIVERGED;
            res->diverged_step = k - 1;
            return 1;
        }
        res->last_finite_loss = fb;
        grad = L->gs;
    } else if (c->noise > 0) {
        for (size_t i = 0; i < L->n; i++)
            L->gs[i] = L->g[i] + gsl_ran_gaussian_ziggurat(L->rng, L->noise_sd);
        grad = L->gs;
    }
    res->evals += c->batch > 0 ? (long)c->batch : full_cost(p); /* sample gradients */
    *st = ob_optimizer_step(L->o, L->x, grad, lr, NULL);
    return 0;
}

/* x_k diverged (f, gn2 there): log it when it is still a number, else the last finite
 * point x_{k-1} when it was not logged.  Returns non-zero when the observer failed. */
static int log_divergence(loop *L, long k, double f, double gn2, double lr, long last_logged)
{
    const ob_problem *p = L->c->prob;
    L->res->status = OB_DIVERGED;
    L->res->diverged_step = k;
    if (isfinite(f) && isfinite(gn2)) { /* beyond the bound but still a number */
        L->res->last_finite_loss = f;
        return emit(L, k, f, gn2, lr, L->x);
    }
    if (L->xprev && last_logged < k - 1) { /* NaN now: log the last finite point, x_{k-1} */
        double f1 = p->type->fdf(p, L->xprev, L->g, &gn2);
        if (isfinite(f1) && emit(L, k - 1, f1, gn2, lr_at(L->c, k - 2), L->xprev))
            return 1;
    }
    return 0;
}

long ob_log_grid_next(long k)
{
    if (k < OB_LOG_GRID_DENSE) return k + 1;
    /* the smallest j with round(D 10^(j/P)) > k, from a guess one below the true j */
    long j = (long)floor(OB_LOG_GRID_PER_DECADE * log10((double)k / OB_LOG_GRID_DENSE)) - 1;
    if (j < 0) j = 0;
    for (;; j++) {
        long g = lround(OB_LOG_GRID_DENSE * pow(10.0, (double)j / OB_LOG_GRID_PER_DECADE));
        if (g > k) return g;
    }
}

/* The targets newly reached at f: whether the gap f - f* (f* = 0 when unknown, as the
 * tables read it back from the summary: runs/runfile.c) is at most t (f0 - f*) for the
 * next target not yet reached; *next advances past every target reached. */
static int reached_target(const loop *L, double f, int *next)
{
    const ob_observer *o = L->obs;
    double fs = isfinite(L->c->prob->f_star) ? L->c->prob->f_star : 0;
    double gap = f - fs > 0 ? f - fs : 0, gap0 = L->res->f0 - fs;
    int hit = 0;
    while (*next < o->n_targets && gap <= o->targets[*next] * gap0) (*next)++, hit = 1;
    return hit;
}

/* the steps after row 0 (f, gn2: at x_0); OB_EIO when the observer failed */
static ob_status steps(loop *L, double f, double gn2)
{
    const ob_run_config *c = L->c;
    const ob_problem *p = c->prob;
    ob_run_result *res = L->res;
    const ob_observer *obs = L->obs;
    const long every = obs && obs->every > 0 ? obs->every : 1;
    const int geometric = obs && obs->geometric;
    const long K = obs && obs->measure ? obs->measure_every : 0; /* measured rows: logged */
    const int full_every_step = c->batch == 0 || (obs && obs->every_step_full);
    const int track = obs && obs->n_targets > 0; /* f at every step, timed or not */
    int next_target = 0;
    if (track) reached_target(L, f, &next_target); /* row 0 (always logged) */
    long last_logged = 0, next_row = geometric ? ob_log_grid_next(0) : every;
    L->t_seg = ob_clock_now();
    for (long k = 1; k <= c->steps; k++) {
        const double lr = lr_at(c, k - 1);
        if (L->xprev) memcpy(L->xprev, L->x, L->n * sizeof *L->x);
        ob_status st = OB_OK;
        if (update(L, k, lr, &st)) break;
        res->steps_done = k;
        int have_f = 0;
        if (full_every_step && !c->opt->needs_objective) {
            /* the next step's gradient: part of the optimization time */
            f = p->type->fdf(p, L->x, L->g, &gn2);
            have_f = 1;
        }
        int row = k == next_row || k == c->steps || st != OB_OK || (K > 0 && k % K == 0) ||
                  (have_f && is_diverged(f, res->f0));
        if (k == next_row) next_row = geometric ? ob_log_grid_next(k) : k + every;
        int checked = 0; /* the targets were tested at this step */
        if (!row && track && have_f) row = reached_target(L, f, &next_target), checked = 1;
        if (!row && !(track && !have_f)) {
            if (have_f) res->last_finite_loss = f;
            continue;
        }
        /* a row to log, a stop, or an evaluation for the targets: stop the clock; an
         * evaluation made only for the log is not optimization time */
        res->seconds += ob_clock_now() - L->t_seg;
        if (!have_f) f = p->type->fdf(p, L->x, L->g, &gn2);
        if (is_diverged(f, res->f0)) return log_divergence(L, k, f, gn2, lr, last_logged) ? OB_EIO : OB_OK;
        res->last_finite_loss = f;
        if (track && !checked && reached_target(L, f, &next_target)) row = 1;
        if (row) {
            if (emit(L, k, f, gn2, lr, L->x)) return OB_EIO;
            last_logged = k;
        }
        if (st != OB_OK) { /* a GSL minimizer that can make no more progress */
            res->status = OB_STALLED;
            break;
        }
        L->t_seg = ob_clock_now();
    }
    return OB_OK;
}

ob_status ob_run(const ob_run_config *c, const ob_observer *obs, double *x_out,
                 ob_run_result *res, ob_error *err)
{
    ob_status s = check_config(c, err);
    if (s != OB_OK) return s;
    /* a config that asks for the sharpness gets its observer (runsharp.h), measuring for
     * the caller's rows */
    ob_runsharp sharp = {0};
    ob_observer with;
    if (c->sharpness_every > 0 && obs && !obs->measure) {
        if ((s = ob_runsharp_init(&sharp, c, err)) != OB_OK) return s;
        with = *obs;
        with.measure = ob_runsharp_measure, with.mctx = &sharp;
        with.measure_every = c->sharpness_every;
        obs = &with;
    }
    const ob_problem *p = c->prob;
    *res = (ob_run_result){.status = OB_OK, .diverged_step = -1};
    loop L = {.c = c, .obs = obs, .res = res, .n = p->dim};
    if ((s = loop_alloc(&L, err)) != OB_OK) goto done;
    double gn2 = 0, f = p->type->fdf(p, L.x, L.g, &gn2);
    res->f0 = f;
    res->last_finite_loss = f;
    if (!isfinite(f)) {
        s = ob_fail(err, OB_EINVAL, "f is not finite at the start point (f = %g)", f);
        goto done;
    }
    if (emit(&L, 0, f, gn2, lr_at(c, 0), L.x)) {
        s = ob_fail(err, OB_EIO, "could not write the trajectory");
        goto done;
    }
    s = steps(&L, f, gn2);
    if (s == OB_EIO) ob_fail(err, OB_EIO, "could not write the trajectory");
    if (x_out) memcpy(x_out, L.x, L.n * sizeof *L.x);
done:
    loop_free(&L);
    ob_runsharp_free(&sharp);
    return s;
}
