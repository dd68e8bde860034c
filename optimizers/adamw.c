/* adamw.c - AdamW (Loshchilov & Hutter 2019) as torch.optim.AdamW (1.13).
 *
 * torch.optim.AdamW, step t (from 1):
 *     x  = x * (1 - lr*wd)                 decoupled decay (not through the gradient)
 *     m  = b1*m + (1-b1)*g
 *     v  = b2*v + (1-b2)*g^2
 *     vmax = max(vmax, v)                  (--amsgrad: v -> vmax below)
 *     x  = x - (lr/(1-b1^t)) * m / (sqrt(v)/sqrt(1-b2^t) + eps)
 * This is exactly `adam --adamw` (adam.c's decoupled rule), so the rule runs adam's own
 * kernel with the decoupled flag set: the two names give the same trajectory bit for bit,
 * and only the defaults differ (weight decay 0.01 here, as torch's AdamW). */
#include <stdlib.h>

#include "optimizers/threshold.h"
#include "optimizers/optimizer.h"

extern const ob_optimizer_type ob_opt_adam;

typedef struct {
    void *adam; /* adam's state, allocated with adam's own state_size */
} adamw_state;

static ob_status adamw_alloc(void *state, size_t n, const ob_hparams *h)
{
    adamw_state *s = state;
    ob_hparams d = *h;
    d.decoupled = 1; /* x *= 1 - lr*wd instead of g += wd*x */
    s->adam = calloc(1, ob_opt_adam.state_size);
    if (!s->adam) return OB_ENOMEM;
    ob_status st = ob_opt_adam.alloc(s->adam, n, &d);
    if (st != OB_OK) { /* the wrapper frees only our state: adam's arrays go here */
        ob_opt_adam.free(s->adam);
        free(s->adam);
        s->adam = NULL;
    }
    return st;
}

static void adamw_free(void *state)
{
    adamw_state *s = state;
    if (!s->adam) return;
    ob_opt_adam.free(s->adam);
    free(s->adam);
}

static ob_status adamw_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                            double lr, long t, const ob_objective *obj)
{
    adamw_state *s = state;
    return ob_opt_adam.step(s->adam, x, g, n, dt, lr, t, obj);
}

static const ob_hp_option adamw_options[] = {
    OB_HP_LR(1e-3, "learning rate"),
    OB_HP_NUMBER("beta1", beta1, 0.9, "[0, 1)", "m = b1*m + (1-b1)*g"),
    OB_HP_NUMBER("beta2", beta2, 0.999, "[0, 1)", "v = b2*v + (1-b2)*g^2"),
    OB_HP_NUMBER("eps", eps, 1e-8, ">= 0", "x -= lr_t*m/(sqrt(v_hat) + eps)"),
    OB_HP_NUMBER("weight-decay", weight_decay, 1e-2, ">= 0", "decoupled decay: x *= 1 - lr*wd"),
    OB_HP_FLAG("amsgrad", amsgrad, 0, "AMSGrad: v_hat from the running max of v"),
    OB_HP_END,
};

/* AdamW's P_t: adam's (ob_adam_precond) from the wrapped state. */
void ob_adam_precond(const void *state, long t, double *P, size_t n);
static void adamw_precond(const void *state, long t, double *P, size_t n)
{
    const adamw_state *s = state;
    ob_adam_precond(s->adam, t, P, n);
}

const ob_optimizer_type ob_opt_adamw = {
    .name = "adamw",
    .summary = "AdamW: Adam with decoupled decay x *= 1 - lr*wd (= adam --adamw)",
    .options = adamw_options,
    .state_size = sizeof(adamw_state),
    .alloc = adamw_alloc,
    .step = adamw_step,
    .free = adamw_free,
    .threshold = ob_threshold_adam_frozen,
    .precond = adamw_precond,
};
