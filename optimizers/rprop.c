/* rprop.c - resilient backpropagation (Riedmiller & Braun 1993) as torch.optim.Rprop
 * (1.13), i.e. the iRprop- variant:
 *
 *     s = sign(g * g_prev)
 *     step = clamp(step * (s > 0 ? eta_plus : s < 0 ? eta_minus : 1), step_min, step_max)
 *     g = 0 where s < 0          (no move after a sign change; it also skips the next
 *                                 step's comparison, since g_prev becomes 0)
 *     x = x - sign(g) * step;  g_prev = g
 * step starts at lr (the learning rate of the first step; a schedule has no effect on it
 * afterwards).  --sign-only is the optimization slides' plain sign step x = x - lr*sign(g). */
#include <stdlib.h>

#include "optimizers/elementwise.h"

typedef struct {
    ob_hparams h;
    double *restrict prev;  /* (n) previous (masked) gradient */
    double *restrict step;  /* (n) per-coordinate step size */
    double lr;
    int first;
} rprop_state;

static ob_status rprop_alloc(void *state, size_t n, const ob_hparams *h)
{
    rprop_state *s = state;
    s->h = *h;
    if (h->sign_only) return OB_OK;
    s->prev = calloc(n, sizeof *s->prev);
    s->step = calloc(n, sizeof *s->step);
    return s->prev && s->step ? OB_OK : OB_ENOMEM;
}

static void rprop_free(void *state)
{
    rprop_state *s = state;
    free(s->prev);
    free(s->step);
}

/* sign(v) as a double, by two flat selects (nested ?: defeats GCC's if-conversion, and
 * an int conversion the vectorizer): the loop stays vectorizable */
static inline double sign(double v)
{
    double sg = v > 0 ? 1.0 : 0.0;
    return v < 0 ? -1.0 : sg;
}

static inline double rprop_rule(const rprop_state *s, size_t i, double x, double g)
{
    double prod = g * s->prev[i];
    double st = s->step[i];           /* loaded unconditionally: a select, not a branch */
    st = s->first ? s->lr : st;
    double f = prod > 0 ? s->h.eta_plus : 1.0;        /* grow on the same sign, */
    f = prod < 0 ? s->h.eta_minus : f;                /* shrink on a change */
    st *= f;
    st = st < s->h.step_min ? s->h.step_min : st;     /* clamp to [step_min, step_max] */
    st = st > s->h.step_max ? s->h.step_max : st;
    s->step[i] = st;
    g = prod < 0 ? 0.0 : g;           /* iRprop-: no step after a sign change */
    s->prev[i] = g;
    return x - sign(g) * st;
}

static inline double sign_rule(const rprop_state *s, size_t i, double x, double g)
{
    (void)i;
    return x - s->lr * sign(g);   /* the slides: w = w - eta * sign(g) */
}

OB_ELEMENTWISE(rprop, rprop_state, rprop_rule)
OB_ELEMENTWISE(signstep, rprop_state, sign_rule)

static ob_status rprop_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                            double lr, long t, const ob_objective *obj)
{
    (void)obj;
    rprop_state *s = state;
    s->lr = lr;
    s->first = t == 1;
    if (s->h.sign_only) signstep_apply(s, x, g, n, dt);
    else rprop_apply(s, x, g, n, dt);
    return OB_OK;
}

static const ob_hp_option rprop_options[] = {
    OB_HP_LR(1e-2, "the initial per-coordinate step"),
    OB_HP_PAIR("etas", eta_minus, eta_plus, 0.5, 1.2, "0 < lo < 1 < hi",
               "step factors on a sign change (lo) and on the same sign (hi)"),
    OB_HP_PAIR("step-sizes", step_min, step_max, 1e-6, 50, "0 < lo <= hi",
               "the step's lower and upper bound"),
    OB_HP_FLAG("sign-only", sign_only, 0, "the slides' plain sign step x -= lr*sign(g)"),
    OB_HP_END,
};

const ob_optimizer_type ob_opt_rprop = {
    .name = "rprop",
    .summary = "Rprop: per-coordinate steps grown by eta+ / shrunk by eta- on sign changes",
    .options = rprop_options,
    .state_size = sizeof(rprop_state),
    .alloc = rprop_alloc,
    .step = rprop_step,
    .free = rprop_free,
};
