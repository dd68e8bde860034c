/* adam.c - Adam (Kingma & Ba 2015) with PyTorch's bias correction; AdamW and AMSGrad as
 * options.
 *
 * torch.optim.Adam (1.13), step t (from 1):
 *     g  = g + wd*x                        (adam with --weight-decay: L2 in the gradient)
 *     x  = x * (1 - lr*wd)                 (--adamw: decoupled decay, Loshchilov & Hutter)
 *     m  = b1*m + (1-b1)*g
 *     v  = b2*v + (1-b2)*g^2
 *     vmax = max(vmax, v)                  (--amsgrad, Reddi et al. 2018: v -> vmax below)
 *     x  = x - (lr/(1-b1^t)) * m / (sqrt(v)/sqrt(1-b2^t) + eps)
 * The first step moves every coordinate by lr*g/(|g| + eps*...) ~= lr whatever the
 * gradient's scale (the optimization slides' bias-correction argument). */
#include <math.h>
#include <stdlib.h>

#include "optimizers/threshold.h"
#include "optimizers/elementwise.h"

typedef struct {
    ob_hparams h;
    double *restrict m;     /* (n) first moment; restrict: the arrays never overlap */
    double *restrict v;     /* (n) second moment */
    double *restrict vmax;  /* (n) running max of v, --amsgrad only */
    /* per-step coefficients */
    double step_size;   /* lr / (1 - b1^t) */
    double bc2_sqrt;    /* sqrt(1 - b2^t) */
    double decay;       /* 1 - lr*wd for --adamw, else 1 */
} adam_state;

static ob_status adam_alloc(void *state, size_t n, const ob_hparams *h)
{
    adam_state *s = state;
    s->h = *h;
    s->m = calloc(n, sizeof *s->m);
    s->v = calloc(n, sizeof *s->v);
    if (h->amsgrad) s->vmax = calloc(n, sizeof *s->vmax);
    return s->m && s->v && (s->vmax || !h->amsgrad) ? OB_OK : OB_ENOMEM;
}

static void adam_free(void *state)
{
    adam_state *s = state;
    free(s->m);
    free(s->v);
    free(s->vmax);
}

/* One coordinate.  decoupled and ams are compile-time constants in the four rules
 * below, so each loop has no branch left and vectorizes. */
static inline double adam_core(const adam_state *s, size_t i, double x, double g,
                               const int decoupled, const int ams)
{
    const double b1 = s->h.beta1, b2 = s->h.beta2;
    if (decoupled) x = x * s->decay;                    /* AdamW */
    else g = g + s->h.weight_decay * x;                 /* L2 through the gradient */
    double m = b1 * s->m[i] + (1 - b1) * g;             /* m = b1*m + (1-b1)*g */
    double v = b2 * s->v[i] + (1 - b2) * (g * g);       /* v = b2*v + (1-b2)*g^2 */
    s->m[i] = m;
    s->v[i] = v;
    if (ams) {                                          /* AMSGrad: vmax = max(vmax, v) */
        double vm = s->vmax[i];
        vm = v > vm ? v : vm;
        s->vmax[i] = vm;
        v = vm;                                         /* ... and v_hat from vmax */
    }
    double denom = sqrt(v) / s->bc2_sqrt + s->h.eps;    /* sqrt(v_hat) + eps */
    return x - s->step_size * (m / denom);              /* x -= lr_t * m / denom */
}

static inline double adam_rule(const adam_state *s, size_t i, double x, double g)
{
    return adam_core(s, i, x, g, 0, 0);
}
static inline double adamw_rule(const adam_state *s, size_t i, double x, double g)
{
    return adam_core(s, i, x, g, 1, 0);
}
static inline double amsgrad_rule(const adam_state *s, size_t i, double x, double g)
{
    return adam_core(s, i, x, g, 0, 1);
}
static inline double adamw_amsgrad_rule(const adam_state *s, size_t i, double x, double g)
{
    return adam_core(s, i, x, g, 1, 1);
}

OB_ELEMENTWISE(adam, adam_state, adam_rule)
OB_ELEMENTWISE(adamw, adam_state, adamw_rule)
OB_ELEMENTWISE(amsgrad, adam_state, amsgrad_rule)
OB_ELEMENTWISE(adamw_amsgrad, adam_state, adamw_amsgrad_rule)

static ob_status adam_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                           double lr, long t, const ob_objective *obj)
{
    (void)obj;
    adam_state *s = state;
    s->step_size = lr / (1 - pow(s->h.beta1, (double)t));
    s->bc2_sqrt = sqrt(1 - pow(s->h.beta2, (double)t));
    s->decay = 1 - lr * s->h.weight_decay;
    if (s->h.decoupled) {
        if (s->vmax) adamw_amsgrad_apply(s, x, g, n, dt);
        else adamw_apply(s, x, g, n, dt);
    } else {
        if (s->vmax) amsgrad_apply(s, x, g, n, dt);
        else adam_apply(s, x, g, n, dt);
    }
    return OB_OK;
}

static const ob_hp_option adam_options[] = {
    OB_HP_LR(1e-3, "learning rate"),
    OB_HP_NUMBER("beta1", beta1, 0.9, "[0, 1)", "m = b1*m + (1-b1)*g"),
    OB_HP_NUMBER("beta2", beta2, 0.999, "[0, 1)", "v = b2*v + (1-b2)*g^2"),
    OB_HP_NUMBER("eps", eps, 1e-8, ">= 0", "x -= lr_t*m/(sqrt(v_hat) + eps)"),
    OB_HP_WEIGHT_DECAY,
    OB_HP_FLAG("amsgrad", amsgrad, 0, "AMSGrad: v_hat from the running max of v"),
    {.name = "adamw", .kind = OB_HPK_FLAG, .field = offsetof(ob_hparams, decoupled),
     .help = "AdamW: decoupled decay x *= 1 - lr*wd (then --weight-decay defaults to 0.01)",
     .implies = "weight-decay", .implied = 1e-2}, /* torch.optim.AdamW's default */
    OB_HP_END,
};

/* The frozen-preconditioner threshold (optimizers/threshold.c), which L2 weight decay
 * (g += wd x inside P's average) breaks: NaN then. */
void ob_adam_precond(const void *state, long t, double *P, size_t n);

static double adam_threshold(const ob_hparams *h, double lr, int *preconditioned)
{
    if (!h->decoupled && h->weight_decay > 0) return *preconditioned = 0, NAN;
    return ob_threshold_adam_frozen(h, lr, preconditioned);
}

const ob_optimizer_type ob_opt_adam = {
    .name = "adam",
    .summary = "Adam: m,v moving averages of g, g^2; x -= lr*m_hat/(sqrt(v_hat)+eps)",
    .options = adam_options,
    .state_size = sizeof(adam_state),
    .alloc = adam_alloc,
    .step = adam_step,
    .free = adam_free,
    .threshold = adam_threshold,
    .precond = ob_adam_precond,
};

/* The diagonal preconditioner of Adam after t >= 1 steps, as Cohen et al. 2022 ("Adaptive
 * gradient methods at the edge of stability", arXiv 2207.14484, sec. 2) write Adam:
 * x_{t+1} = x_t - lr P_t^-1 m_t with P_t = (1 - b1^t) [diag(sqrt(v_t / (1 - b2^t))) + eps I]
 * (the first moment's bias correction folded into P).  --amsgrad: v -> vmax, as in the
 * step.  state is ob_opt_adam's; P has n entries. */
void ob_adam_precond(const void *state, long t, double *P, size_t n)
{
    const adam_state *s = state;
    const double bc1 = 1 - pow(s->h.beta1, (double)t), bc2 = sqrt(1 - pow(s->h.beta2, (double)t));
    const double *v = s->vmax ? s->vmax : s->v;
    for (size_t i = 0; i < n; i++) P[i] = bc1 * (sqrt(v[i]) / bc2 + s->h.eps);
}
