/* schedule.c - the learning-rate schedules of schedule.h. */
#include "optimizers/schedule.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846 /* M_PI is not in strict C11 */

static double constant_lr(const ob_schedule *s, double lr0, long t)
{
    (void)s;
    (void)t;
    return lr0;
}

/* lr0 * factor^floor(t/every): "reduce the learning rate by a factor x after every n
 * iterations" (the crash-course notes), torch's StepLR */
static double step_lr(const ob_schedule *s, double lr0, long t)
{
    return lr0 * pow(s->factor, (double)(t / s->every));
}

/* lr0 * exp(-k t) */
static double exp_lr(const ob_schedule *s, double lr0, long t)
{
    return lr0 * exp(-s->k * (double)t);
}

/* eta / (t + 1) (the optimization slides' 1/t decay) */
static double inv_lr(const ob_schedule *s, double lr0, long t)
{
    (void)s;
    return lr0 / ((double)t + 1);
}

/* alpha0 * tau / max(t, tau) (the crash-course notes) */
static double tau_lr(const ob_schedule *s, double lr0, long t)
{
    double tt = (double)t;
    return lr0 * s->tau / (tt > s->tau ? tt : s->tau);
}

/* lr0 / sqrt(t + 1) */
static double invsqrt_lr(const ob_schedule *s, double lr0, long t)
{
    (void)s;
    return lr0 / sqrt((double)t + 1);
}

/* 1 / (L sqrt(N)): the constant step of the SGD theorem (Mathematics of Data, lecture 8); lr0 is not used */
static double theory_lr(const ob_schedule *s, double lr0, long t)
{
    (void)lr0;
    (void)t;
    return 1.0 / (s->L * sqrt((double)s->N));
}

/* eta_min + (lr0 - eta_min)(1 + cos(pi t/T))/2 for t < T, eta_min after (torch's
 * CosineAnnealingLR in closed form); T = --t-max, or the run's number of updates N */
static double cosine_lr(const ob_schedule *s, double lr0, long t)
{
    long T = s->t_max > 0 ? s->t_max : s->N;
    if (t >= T) return s->eta_min;
    return s->eta_min + (lr0 - s->eta_min) * (1 + cos(PI * (double)t / (double)T)) / 2;
}

static ob_status no_check(const ob_schedule *s, ob_error *err)
{
    (void)s;
    (void)err;
    return OB_OK;
}

static ob_status step_check(const ob_schedule *s, ob_error *err)
{
    if (!(s->factor > 0 && s->factor <= 1))
        return ob_fail(err, OB_EINVAL, "--decay-factor must be in (0, 1], got %g", s->factor);
    if (s->every < 1)
        return ob_fail(err, OB_EINVAL, "--decay-every must be >= 1, got %ld", s->every);
    return OB_OK;
}

static ob_status exp_check(const ob_schedule *s, ob_error *err)
{
    if (!(isfinite(s->k) && s->k >= 0))
        return ob_fail(err, OB_EINVAL, "--decay-rate must be >= 0, got %g", s->k);
    return OB_OK;
}

static ob_status tau_check(const ob_schedule *s, ob_error *err)
{
    if (!(isfinite(s->tau) && s->tau >= 1))
        return ob_fail(err, OB_EINVAL, "--tau must be >= 1, got %g", s->tau);
    return OB_OK;
}

static ob_status theory_check(const ob_schedule *s, ob_error *err)
{
    if (!(isfinite(s->L) && s->L > 0))
        return ob_fail(err, OB_EINVAL,
                       "--schedule theory needs a problem with a global Lipschitz constant L");
    if (s->N < 1) return ob_fail(err, OB_EINVAL, "--schedule theory needs --steps >= 1");
    return OB_OK;
}

static ob_status cosine_check(const ob_schedule *s, ob_error *err)
{
    if (!(isfinite(s->eta_min) && s->eta_min >= 0))
        return ob_fail(err, OB_EINVAL, "--eta-min must be >= 0, got %g", s->eta_min);
    if (s->t_max < 0) return ob_fail(err, OB_EINVAL, "--t-max must be >= 1, got %ld", s->t_max);
    return OB_OK;
}

static const ob_schedule_type sched_constant = {"constant", "lr0", constant_lr, no_check};
static const ob_schedule_type sched_step = {"step", "lr0 * factor^floor(t/every)", step_lr,
                                            step_check};
static const ob_schedule_type sched_exp = {"exp", "lr0 * exp(-k t)", exp_lr, exp_check};
static const ob_schedule_type sched_inv = {"inv", "lr0 / (t+1)", inv_lr, no_check};
static const ob_schedule_type sched_tau = {"tau", "lr0 * tau / max(t, tau)", tau_lr, tau_check};
static const ob_schedule_type sched_invsqrt = {"invsqrt", "lr0 / sqrt(t+1)", invsqrt_lr,
                                               no_check};
static const ob_schedule_type sched_theory = {"theory", "1 / (L sqrt(N)), N = --steps",
                                              theory_lr, theory_check};
static const ob_schedule_type sched_cosine = {
    "cosine", "eta_min + (lr0 - eta_min)(1 + cos(pi t/T))/2, t < T; T = --t-max (N)",
    cosine_lr, cosine_check};

const ob_schedule_type *const ob_schedule_types[] = {
    &sched_constant, &sched_step, &sched_exp, &sched_inv, &sched_tau, &sched_invsqrt,
    &sched_theory, &sched_cosine, NULL,
};

const ob_schedule_type *ob_schedule_find(const char *name)
{
    for (const ob_schedule_type *const *t = ob_schedule_types; *t; t++)
        if (strcmp((*t)->name, name) == 0) return *t;
    return NULL;
}

ob_schedule ob_schedule_default(void)
{
    return (ob_schedule){.type = &sched_constant, .factor = 0.5, .every = 100,
                         .k = 0.01, .tau = 100, .L = NAN, .N = 0, .eta_min = 0, .t_max = 0,
                         .warmup = 0};
}

ob_status ob_schedule_check(const ob_schedule *s, ob_error *err)
{
    if (s->warmup < 0) return ob_fail(err, OB_EINVAL, "--warmup must be >= 1, got %ld", s->warmup);
    return s->type->check(s, err);
}
