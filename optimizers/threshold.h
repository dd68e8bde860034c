/* threshold.h - the stability threshold of an update rule: the largest curvature at which
 * the rule, run with a constant step lr on a quadratic, does not diverge.  Compared with
 * the sharpness along a run (runs/sharpness.h) it shows the "edge of stability" (Cohen et
 * al., ICLR 2021, arXiv 2103.00065; for adaptive rules Cohen et al. 2022, arXiv
 * 2207.14484).  Rules whose threshold is not known give NaN (an empty cell). */
#ifndef OB_THRESHOLD_H
#define OB_THRESHOLD_H

#include "optimizers/optimizer.h"

/* The thresholds a rule's type points at (its .threshold; threshold.c derives them). */
double ob_threshold_sgd(const ob_hparams *h, double lr, int *preconditioned);
double ob_threshold_adam_frozen(const ob_hparams *h, double lr, int *preconditioned);

/* The threshold of T (its type's .threshold) with settings h at step lr (> 0), or NaN when
 * none is known.
 * *preconditioned (may be NULL) is set to 1 when it bounds the top eigenvalue of
 * P^-1 H with P from ob_stability_precond (adam, adamw), 0 when it bounds that of H:
 *   gd, sgd         2/lr                                 (Cohen et al. 2021, sec. 2)
 *   momentum        (2 + 2 mu)/((1 - dampening) lr)      (heavy ball, torch's form)
 *   nag             (2 + 2 mu)/((1 + 2 mu) lr)           (torch's Nesterov form)
 *   adam, adamw     (2 + 2 b1)/((1 - b1) lr) on P^-1 H   (Cohen et al. 2022; also with
 *                   --amsgrad, whose P has v's running max: the same frozen-P analysis)
 * minus the L2 weight decay wd of the sgd-family rules (g += wd x adds wd to every
 * eigenvalue); adam with L2 weight decay (not decoupled): NaN.  The sgd family's velocity
 * form has the same thresholds, without dampening. */
double ob_stability_threshold(const ob_optimizer_type *T, const ob_hparams *h, double lr,
                              int *preconditioned);

/* The diagonal of P (o->n values > 0) for the rules whose threshold is preconditioned,
 * from o's current state; OB_EINVAL when o has none, or before its first step (t = 0: no
 * second moment yet). */
ob_status ob_stability_precond(const ob_optimizer *o, double *P, ob_error *err);

#endif
