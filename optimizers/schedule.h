/* schedule.h - learning-rate schedules: lr_t for step t = 0, 1, 2, ... (the t-th update).
 *
 *   constant   lr0
 *   step       lr0 * factor^floor(t / every)        step annealing (crash-course notes)
 *   exp        lr0 * exp(-k t)                       exponential decay (crash-course notes)
 *   inv        lr0 / (t + 1)                         1/t decay (optimization slides)
 *   tau        lr0 * tau / max(t, tau)               the notes' alpha0*tau/max(t,tau)
 *   invsqrt    lr0 / sqrt(t + 1)                     AdaGrad's 1/sqrt(t+1) view (slides)
 *   theory     1 / (L sqrt(N))                       the SGD theorem's step (Math. of Data), N steps
 *   cosine     eta_min + (lr0 - eta_min)(1 + cos(pi t/T))/2 for t < T, eta_min after
 *                                                    torch's CosineAnnealingLR (Loshchilov &
 *                                                    Hutter 2017, SGDR without restarts)
 * and, on any of them, --warmup K: the rate times min(1, (t + 1)/K) (Goyal et al. 2017's
 * gradual warm-up, linear from lr/K at t = 0 to the schedule's rate at t = K - 1).
 *
 * lr0 is the rule's learning rate (ob_hparams.lr, --lr), its one home: the schedule does
 * not keep a copy; ob_schedule_lr takes it at every call. */
#ifndef OB_SCHEDULE_H
#define OB_SCHEDULE_H

#include "common/ob.h"

typedef struct ob_schedule_type ob_schedule_type;

typedef struct {
    const ob_schedule_type *type;
    double factor;    /* step: multiplier, --decay-factor (0.5) */
    long every;       /* step: period in steps, --decay-every (100) */
    double k;         /* exp: rate, --decay-rate (0.01) */
    double tau;       /* tau: --tau (100) */
    double L;         /* theory: gradient Lipschitz constant of the problem */
    long N;           /* theory, and cosine's default T: number of updates of the run */
    double eta_min;   /* cosine: the floor, --eta-min (0) */
    long t_max;       /* cosine: T, --t-max; 0: N, the run's number of updates */
    long warmup;      /* any: K, --warmup; 0 or 1: no warm-up */
} ob_schedule;

struct ob_schedule_type {
    const char *name;
    const char *formula;
    double (*lr)(const ob_schedule *s, double lr0, long t);
    ob_status (*check)(const ob_schedule *s, ob_error *err);
};

extern const ob_schedule_type *const ob_schedule_types[]; /* NULL-terminated */
const ob_schedule_type *ob_schedule_find(const char *name);

/* A constant schedule with every parameter at its default. */
ob_schedule ob_schedule_default(void);

/* Validates the parameters the schedule's type reads. */
ob_status ob_schedule_check(const ob_schedule *s, ob_error *err);

/* lr_t for the rule's rate lr0: the schedule's rate, times min(1, (t + 1)/K) during a
 * warm-up of K updates */
static inline double ob_schedule_lr(const ob_schedule *s, double lr0, long t)
{
    double lr = s->type->lr(s, lr0, t);
    if (t + 1 < s->warmup) lr *= (double)(t + 1) / (double)s->warmup; /* min(1, (t+1)/K) */
    return lr;
}

#endif
