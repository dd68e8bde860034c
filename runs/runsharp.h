/* runsharp.h - an analytic run's sharpness, as an observer of the run (run.h's measure
 * hook): every K updates (c->sharpness_every) the top eigenvalue of the problem's Hessian
 * at x_k, or of P^-1 H for the rules whose stability threshold is preconditioned (the
 * rule's type says so, optimizers/threshold.h), by Lanczos on the problem's exact
 * Hessian-vector products (runs/sharpness.h), with the rule's threshold at the next
 * update's learning rate.  The network runs' counterpart is runs/netsharp.h. */
#ifndef OB_RUNSHARP_H
#define OB_RUNSHARP_H

#include "runs/run.h"
#include "runs/sharpness.h"

typedef struct {
    const ob_run_config *c;
    ob_sharpness est;       /* warm across rows */
    double *P;              /* (dim) the preconditioner, for the rules that have one */
} ob_runsharp;

/* For run c (c->sharpness_every > 0): OB_EINVAL when c's problem has no Hessian-vector
 * product, OB_ENOMEM. */
ob_status ob_runsharp_init(ob_runsharp *s, const ob_run_config *c, ob_error *err);
void ob_runsharp_free(ob_runsharp *s);

/* The measure hook (ctx: an ob_runsharp): r's sharpness, its residual and products, and
 * the threshold; the sharpness stays NaN where P is not yet defined (row 0 of adam). */
int ob_runsharp_measure(void *ctx, const ob_probe *p, ob_row *r);

#endif
