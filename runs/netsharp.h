/* netsharp.h - the sharpness of a network's training loss along `optbench train
 * --sharpness-every K` (and the bench's network runs with the suite option, and
 * `optbench stability`): the ob_train_observer sharpness hook of nets/train.h.
 *
 * The loss is the full-batch training loss, without dropout, with the penalty, on a
 * fixed subset of the training split (N samples drawn once from the run's seed, in their
 * order in the split), in float64: the parameters are copied into a float64 twin of the
 * network whose Hessian-vector products come from nets/mlp_hvp.h.  The top eigenvalue
 * of H (of P^-1 H for adam-family rules, P from the optimizer's second moment) comes from
 * runs/sharpness.h, warm-started from the previous estimate; the threshold from
 * optimizers/threshold.h (Cohen et al. 2021, arXiv 2103.00065; 2022, arXiv 2207.14484). */
#ifndef OB_NETSHARP_H
#define OB_NETSHARP_H

#include "nets/mlp_hvp.h"
#include "nets/train.h"
#include "runs/sharpness.h"

#define OB_SHARPNESS_SUBSET 2000 /* default N: samples of the training split */

typedef struct {
    const ob_train_config *c;
    ob_mlp m;                  /* the float64 twin: its parameters are the estimate's point */
    size_t *idx;               /* (N) the subset's rows in the training split; NULL: all */
    ob_mlp_hvp_data D;
    ob_sharpness est;
    double *P;                 /* (n_params) the preconditioner, adam-family rules */
    int precond;               /* the rule's threshold is on P^-1 H */
} ob_netsharp;

/* For c's network (its spec final) on the training split train: the twin, the subset
 * (c->sharpness_subset samples, 0: OB_SHARPNESS_SUBSET, at most the split) and the
 * estimator (c->seed, at most OB_SHARP_PRODUCTS products per estimate). */
ob_status ob_netsharp_init(ob_netsharp *s, const ob_train_config *c, const ob_dataset *train,
                           ob_error *err);
void ob_netsharp_free(ob_netsharp *s);

/* The hook (ctx: ob_netsharp): fills st's sharpness fields at m's parameters, for the
 * optimizer o whose next update has learning rate lr.  An adam-family rule before its
 * first update has no preconditioner: the row gets its threshold and no sharpness. */
ob_status ob_netsharp_measure(void *ctx, ob_mlp *m, const ob_optimizer *o, double lr,
                              ob_train_step *st, ob_error *err);

#endif
