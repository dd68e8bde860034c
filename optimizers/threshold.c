/* threshold.c - stability thresholds from the quadratic analysis of each rule.
 *
 * On f = (h/2) x^2 with a = lr h, each momentum rule is a linear recurrence in (x, lr buf)
 * whose characteristic polynomial p(z) must keep both roots inside the unit circle; for
 * mu in [0, 1) the Jury conditions p(1) > 0 and |p(0)| < 1 hold for every a > 0 below the
 * threshold, and the root leaves through z = -1, so the threshold is the a where
 * p(-1) = 0:
 *   gd:          x' = (1 - a) x                              a < 2
 *   heavy ball:  c' = mu c + (1-d) a x, x' = x - c'   p(z) = z^2 - (1 + mu - (1-d) a) z + mu,
 *                p(-1) = 2 + 2 mu - (1-d) a                  a < (2 + 2 mu)/(1 - d)
 *   nesterov:    c' = mu c + a x, x' = x - a x - mu c'   (torch: dampening 0 with nesterov)
 *                p(z) = z^2 - (1 + mu) (1 - a) z + mu (1 - a),
 *                p(-1) = 1 + (1 + 2 mu)(1 - a)               a < (2 + 2 mu)/(1 + 2 mu)
 * (heavy ball's (2 + 2 mu)/lr is the threshold Cohen et al. 2021, arXiv 2103.00065, give
 * for momentum).  Adam with a frozen preconditioner P is heavy ball on P^-1 H with the
 * EMA m = b1 m + (1 - b1) g, i.e. mu = b1 and dampening d = b1: (2 + 2 b1)/((1 - b1) lr)
 * (Cohen et al. 2022, arXiv 2207.14484, sec. 2). */
#include "optimizers/threshold.h"

#include <math.h>

/* gd, sgd, momentum, nag (torch's SGD with its momentum, dampening and nesterov): the
 * roots of p(z) above; h's weight decay adds wd to every eigenvalue of H */
double ob_threshold_sgd(const ob_hparams *h, double lr, int *preconditioned)
{
    *preconditioned = 0;
    if (!(lr > 0)) return NAN;
    double mu = h->momentum, d = h->velocity_form ? 0 : h->dampening, a;
    if (mu == 0) a = 2;                                      /* Cohen et al. 2021: 2/lr */
    else if (d >= 1) return NAN;                             /* buf never sees g again */
    else if (h->nesterov) a = (2 + 2 * mu) / (1 + 2 * mu);  /* Nesterov: p(-1) = 0 */
    else a = (2 + 2 * mu) / (1 - d);                         /* heavy ball: p(-1) = 0 */
    return a / lr - h->weight_decay; /* g += wd x: H + wd I must stay below a/lr */
}

/* Adam with a frozen P: heavy ball on P^-1 H with mu = b1, dampening b1 (Cohen et al.
 * 2022, sec. 2): lambda_1(P^-1 H) < (2 + 2 b1)/((1 - b1) lr), 38/lr at b1 = 0.9 */
double ob_threshold_adam_frozen(const ob_hparams *h, double lr, int *preconditioned)
{
    *preconditioned = 0;
    if (!(lr > 0)) return NAN;
    *preconditioned = 1;
    return (2 + 2 * h->beta1) / ((1 - h->beta1) * lr);
}

double ob_stability_threshold(const ob_optimizer_type *T, const ob_hparams *h, double lr,
                              int *preconditioned)
{
    int pre = 0;
    double v = T->threshold ? T->threshold(h, lr, &pre) : NAN; /* plugins of ABI 1: none */
    if (preconditioned) *preconditioned = pre;
    return v;
}

ob_status ob_stability_precond(const ob_optimizer *o, double *P, ob_error *err)
{
    if (!o->type->precond)
        return ob_fail(err, OB_EINVAL, "%s has no preconditioner", o->type->name);
    if (o->t < 1)
        return ob_fail(err, OB_EINVAL, "%s: no preconditioner before the first step",
                       o->type->name);
    o->type->precond(o->state, o->t, P, o->n);
    return OB_OK;
}
