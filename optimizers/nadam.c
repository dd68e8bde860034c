/* nadam.c - NAdam (Dozat 2016, Nesterov momentum in Adam) as torch.optim.NAdam (1.13).
 *
 * torch.optim.NAdam, step t (from 1), psi = --momentum-decay:
 *     g    = g + wd*x
 *     mu_t = b1 * (1 - 0.5 * 0.96^(t*psi)),  mu_t1 = b1 * (1 - 0.5 * 0.96^((t+1)*psi))
 *     P    = P * mu_t                          (P = prod mu_1..mu_t, from 1)
 *     Pn   = P * mu_t * mu_t1                  (torch 1.13's mu_product_next, as written
 *                                               there: mu_t counted twice; later torch
 *                                               releases use P * mu_t1)
 *     m    = b1*m + (1-b1)*g
 *     v    = b2*v + (1-b2)*g^2
 *     d    = sqrt(v / (1-b2^t)) + eps
 *     x    = x - lr*(1-mu_t)/(1-P) * g/d  -  lr*mu_t1/(1-Pn) * m/d */
#include <math.h>
#include <stdlib.h>

#include "optimizers/elementwise.h"

typedef struct {
    ob_hparams h;
    double *restrict m;  /* (n) first moment */
    double *restrict v;  /* (n) second moment */
    double mu_product;   /* P, prod of mu_1..mu_t (1 before the first step) */
    /* per-step coefficients */
    double bc2;          /* 1 - b2^t */
    double cg, cm;       /* -lr*(1-mu_t)/(1-P), -lr*mu_t1/(1-Pn) */
} nadam_state;

static ob_status nadam_alloc(void *state, size_t n, const ob_hparams *h)
{
    nadam_state *s = state;
    s->h = *h;
    s->mu_product = 1;
    s->m = calloc(n, sizeof *s->m);
    s->v = calloc(n, sizeof *s->v);
    return s->m && s->v ? OB_OK : OB_ENOMEM;
}

static void nadam_free(void *state)
{
    nadam_state *s = state;
    free(s->m);
    free(s->v);
}

static inline double nadam_rule(const nadam_state *s, size_t i, double x, double g)
{
    const double b1 = s->h.beta1, b2 = s->h.beta2;
    g = g + s->h.weight_decay * x;                      /* L2 through the gradient */
    double m = b1 * s->m[i] + (1 - b1) * g;             /* m = b1*m + (1-b1)*g */
    double v = b2 * s->v[i] + (1 - b2) * (g * g);       /* v = b2*v + (1-b2)*g^2 */
    s->m[i] = m;
    s->v[i] = v;
    double d = sqrt(v / s->bc2) + s->h.eps;             /* d = sqrt(v/(1-b2^t)) + eps */
    x = x + s->cg * (g / d);                            /* x -= lr(1-mu_t)/(1-P) g/d */
    return x + s->cm * (m / d);                         /* x -= lr mu_t1/(1-Pn) m/d */
}

OB_ELEMENTWISE(nadam, nadam_state, nadam_rule)

static ob_status nadam_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                            double lr, long t, const ob_objective *obj)
{
    (void)obj;
    nadam_state *s = state;
    const double b1 = s->h.beta1, psi = s->h.extra[0], tt = (double)t;
    double mu = b1 * (1. - 0.5 * pow(0.96, tt * psi));          /* mu_t */
    double mu_next = b1 * (1. - 0.5 * pow(0.96, (tt + 1) * psi)); /* mu_{t+1} */
    s->mu_product *= mu;                                         /* P = P * mu_t */
    double mu_product_next = s->mu_product * mu * mu_next;       /* torch 1.13, see above */
    s->bc2 = 1 - pow(s->h.beta2, tt);
    s->cg = -lr * (1. - mu) / (1. - s->mu_product);
    s->cm = -lr * mu_next / (1. - mu_product_next);
    nadam_apply(s, x, g, n, dt);
    return OB_OK;
}

static ob_status nadam_check(const ob_hparams *h, ob_error *err)
{
    if (!(isfinite(h->extra[0]) && h->extra[0] >= 0))
        return ob_fail(err, OB_EINVAL, "--momentum-decay must be >= 0, got %g", h->extra[0]);
    return OB_OK;
}

static const ob_hp_option nadam_options[] = {
    OB_HP_LR(2e-3, "learning rate"),
    OB_HP_NUMBER("beta1", beta1, 0.9, "[0, 1)", "m = b1*m + (1-b1)*g"),
    OB_HP_NUMBER("beta2", beta2, 0.999, "[0, 1)", "v = b2*v + (1-b2)*g^2"),
    OB_HP_NUMBER("eps", eps, 1e-8, ">= 0", "nadam: d = sqrt(v/(1-b2^t)) + eps"),
    OB_HP_WEIGHT_DECAY,
    OB_HP_NUMBER("momentum-decay", extra[0], 4e-3, ">= 0",
                 "nadam: psi in mu_t = b1*(1 - 0.5*0.96^(t*psi))"),
    OB_HP_END,
};

const ob_optimizer_type ob_opt_nadam = {
    .name = "nadam",
    .summary = "NAdam: Adam with a Nesterov look-ahead on m, momentum schedule mu_t",
    .options = nadam_options,
    .state_size = sizeof(nadam_state),
    .check = nadam_check,
    .alloc = nadam_alloc,
    .step = nadam_step,
    .free = nadam_free,
};
