/* adamax.c - Adamax (Kingma & Ba 2015, section 7.1: Adam in the infinity norm) as
 * torch.optim.Adamax (1.13).
 *
 * torch.optim.Adamax, step t (from 1):
 *     g = g + wd*x
 *     m = b1*m + (1-b1)*g
 *     u = max(b2*u, |g| + eps)
 *     x = x - (lr/(1-b1^t)) * m/u */
#include <math.h>
#include <stdlib.h>

#include "optimizers/elementwise.h"

typedef struct {
    ob_hparams h;
    double *restrict m;  /* (n) first moment */
    double *restrict u;  /* (n) exponentially weighted infinity norm */
    double clr;          /* per step: lr / (1 - b1^t) */
} adamax_state;

static ob_status adamax_alloc(void *state, size_t n, const ob_hparams *h)
{
    adamax_state *s = state;
    s->h = *h;
    s->m = calloc(n, sizeof *s->m);
    s->u = calloc(n, sizeof *s->u);
    return s->m && s->u ? OB_OK : OB_ENOMEM;
}

static void adamax_free(void *state)
{
    adamax_state *s = state;
    free(s->m);
    free(s->u);
}

static inline double adamax_rule(const adamax_state *s, size_t i, double x, double g)
{
    const double b1 = s->h.beta1;
    g = g + s->h.weight_decay * x;                      /* L2 through the gradient */
    double m = b1 * s->m[i] + (1 - b1) * g;             /* m = b1*m + (1-b1)*g */
    double a = s->h.beta2 * s->u[i], b = fabs(g) + s->h.eps;
    double u = a > b ? a : b;                           /* u = max(b2*u, |g| + eps) */
    s->m[i] = m;
    s->u[i] = u;
    return x - s->clr * (m / u);                        /* x -= lr/(1-b1^t) * m/u */
}

OB_ELEMENTWISE(adamax, adamax_state, adamax_rule)

static ob_status adamax_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                             double lr, long t, const ob_objective *obj)
{
    (void)obj;
    adamax_state *s = state;
    s->clr = lr / (1 - pow(s->h.beta1, (double)t));
    adamax_apply(s, x, g, n, dt);
    return OB_OK;
}

static const ob_hp_option adamax_options[] = {
    OB_HP_LR(2e-3, "learning rate"),
    OB_HP_NUMBER("beta1", beta1, 0.9, "[0, 1)", "m = b1*m + (1-b1)*g"),
    OB_HP_NUMBER("beta2", beta2, 0.999, "[0, 1)", "adamax: u = max(b2*u, |g| + eps)"),
    OB_HP_NUMBER("eps", eps, 1e-8, ">= 0", "adamax: u = max(b2*u, |g| + eps)"),
    OB_HP_WEIGHT_DECAY,
    OB_HP_END,
};

const ob_optimizer_type ob_opt_adamax = {
    .name = "adamax",
    .summary = "Adamax: u = max(b2*u, |g|+eps), x -= lr/(1-b1^t) * m/u",
    .options = adamax_options,
    .state_size = sizeof(adamax_state),
    .alloc = adamax_alloc,
    .step = adamax_step,
    .free = adamax_free,
};
