/* adagrad.c - AdaGrad (Duchi, Hazan & Singer 2011) as torch.optim.Adagrad (1.13).
 *
 *     g   = g + wd*x
 *     clr = lr / (1 + (t-1)*lr_decay)
 *     r   = r + g^2                          (r starts at initial_accumulator_value)
 *     x   = x - clr * g / (sqrt(r) + eps)    eps = 1e-10, outside the root (torch)
 * --eps-inside: x = x - clr * g / sqrt(r + eps), the crash-course notes' form (the CS224n
 * notes' grad/sqrt(cache + 1e-8); the Mathematics of Data slides write
 * gamma/(delta + sqrt(r)), torch's form). */
#include <math.h>
#include <stdlib.h>

#include "optimizers/elementwise.h"

typedef struct {
    ob_hparams h;
    double *r;      /* (n) sum of squared gradients */
    double clr;     /* this step's lr */
} adagrad_state;

static ob_status adagrad_alloc(void *state, size_t n, const ob_hparams *h)
{
    adagrad_state *s = state;
    s->h = *h;
    if (!(s->r = malloc(n * sizeof *s->r))) return OB_ENOMEM;
    for (size_t i = 0; i < n; i++) s->r[i] = h->initial_accumulator_value;
    return OB_OK;
}

static void adagrad_free(void *state) { free(((adagrad_state *)state)->r); }

static inline double adagrad_rule(const adagrad_state *s, size_t i, double x, double g)
{
    g = g + s->h.weight_decay * x;
    double r = s->r[i] + g * g;                          /* r += g^2 */
    s->r[i] = r;
    double denom = s->h.eps_inside ? sqrt(r + s->h.eps)  /* notes: sqrt(r + eps) */
                                   : sqrt(r) + s->h.eps; /* torch: sqrt(r) + eps */
    return x - s->clr * (g / denom);
}

OB_ELEMENTWISE(adagrad, adagrad_state, adagrad_rule)

static ob_status adagrad_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                              double lr, long t, const ob_objective *obj)
{
    (void)obj;
    adagrad_state *s = state;
    s->clr = lr / (1 + (double)(t - 1) * s->h.lr_decay);
    adagrad_apply(s, x, g, n, dt);
    return OB_OK;
}

static const ob_hp_option adagrad_options[] = {
    OB_HP_LR(1e-2, "learning rate"),
    OB_HP_NUMBER("eps", eps, 1e-10, ">= 0", "x -= clr*g/(sqrt(r) + eps)"),
    OB_HP_NUMBER("lr-decay", lr_decay, 0, ">= 0", "clr = lr/(1 + (t-1)*lr_decay)"),
    OB_HP_NUMBER("initial-accumulator", initial_accumulator_value, 0, ">= 0",
                 "the start value of r = sum g^2"),
    OB_HP_WEIGHT_DECAY,
    OB_HP_FLAG("eps-inside", eps_inside, 0, "the crash-course notes' g/sqrt(r + eps)"),
    OB_HP_END,
};

const ob_optimizer_type ob_opt_adagrad = {
    .name = "adagrad",
    .summary = "AdaGrad: r += g^2, x -= lr*g/(sqrt(r)+eps)",
    .options = adagrad_options,
    .state_size = sizeof(adagrad_state),
    .alloc = adagrad_alloc,
    .step = adagrad_step,
    .free = adagrad_free,
};
