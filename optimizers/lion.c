/* lion.c - Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms",
 * Algorithm 2); torch 1.13 has none, the defaults are the paper's.
 *
 *     c = b1*m + (1-b1)*g
 *     x = x - lr*(sign(c) + wd*x)              decoupled decay, sign(0) = 0
 *     m = b2*m + (1-b2)*g */
#include <math.h>
#include <stdlib.h>

#include "optimizers/elementwise.h"

typedef struct {
    ob_hparams h;
    double *restrict m;  /* (n) momentum */
    double lr;
} lion_state;

static ob_status lion_alloc(void *state, size_t n, const ob_hparams *h)
{
    lion_state *s = state;
    s->h = *h;
    s->m = calloc(n, sizeof *s->m);
    return s->m ? OB_OK : OB_ENOMEM;
}

static void lion_free(void *state) { free(((lion_state *)state)->m); }

static inline double lion_rule(const lion_state *s, size_t i, double x, double g)
{
    const double b1 = s->h.beta1, b2 = s->h.beta2;
    double m = s->m[i];
    double c = b1 * m + (1 - b1) * g;                   /* c = b1*m + (1-b1)*g */
    double sgn = copysign(fabs(c) > 0 ? 1.0 : 0.0, c);  /* sign(c): +-1, or +-0 at c = 0;
                                                           this form vectorizes, a - b of
                                                           two comparisons does not */
    s->m[i] = b2 * m + (1 - b2) * g;                    /* m = b2*m + (1-b2)*g */
    return x - s->lr * (sgn + s->h.weight_decay * x);   /* x -= lr*(sign(c) + wd*x) */
}

OB_ELEMENTWISE(lion, lion_state, lion_rule)

static ob_status lion_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                           double lr, long t, const ob_objective *obj)
{
    (void)t;
    (void)obj;
    lion_state *s = state;
    s->lr = lr;
    lion_apply(s, x, g, n, dt);
    return OB_OK;
}

static const ob_hp_option lion_options[] = {
    OB_HP_LR(1e-4, "learning rate"),
    OB_HP_NUMBER("beta1", beta1, 0.9, "[0, 1)", "lion: c = b1*m + (1-b1)*g, x -= lr*sign(c)"),
    OB_HP_NUMBER("beta2", beta2, 0.99, "[0, 1)", "lion: m = b2*m + (1-b2)*g"),
    OB_HP_NUMBER("weight-decay", weight_decay, 0, ">= 0", "decoupled decay: x -= lr*wd*x"),
    OB_HP_END,
};

const ob_optimizer_type ob_opt_lion = {
    .name = "lion",
    .summary = "Lion: x -= lr*(sign(b1*m + (1-b1)*g) + wd*x), m = b2*m + (1-b2)*g",
    .options = lion_options,
    .state_size = sizeof(lion_state),
    .alloc = lion_alloc,
    .step = lion_step,
    .free = lion_free,
};
