/* radam.c - RAdam (Liu et al. 2020, rectified Adam) as torch.optim.RAdam (1.13).
 *
 * torch.optim.RAdam, step t (from 1):
 *     g     = g + wd*x
 *     m     = b1*m + (1-b1)*g
 *     v     = b2*v + (1-b2)*g^2
 *     rho_inf = 2/(1-b2) - 1,  rho_t = rho_inf - 2 t b2^t / (1-b2^t)
 *     rho_t > 5:  r = sqrt((rho_t-4)(rho_t-2) rho_inf / ((rho_inf-4)(rho_inf-2) rho_t))
 *                 x = x - m/(1-b1^t) * lr * sqrt(1-b2^t)/(sqrt(v) + eps) * r
 *     otherwise:  x = x - m/(1-b1^t) * lr          (SGD with momentum, no v yet)
 * The branch is per step (rho_t), so each of the two loops below has none. */
#include <math.h>
#include <stdlib.h>

#include "optimizers/elementwise.h"

typedef struct {
    ob_hparams h;
    double *restrict m;  /* (n) first moment */
    double *restrict v;  /* (n) second moment */
    /* per-step coefficients */
    double bc1;          /* 1 - b1^t */
    double lr;
    double bc2_sqrt;     /* sqrt(1 - b2^t) */
    double rect;         /* r */
} radam_state;

static ob_status radam_alloc(void *state, size_t n, const ob_hparams *h)
{
    radam_state *s = state;
    s->h = *h;
    s->m = calloc(n, sizeof *s->m);
    s->v = calloc(n, sizeof *s->v);
    return s->m && s->v ? OB_OK : OB_ENOMEM;
}

static void radam_free(void *state)
{
    radam_state *s = state;
    free(s->m);
    free(s->v);
}

/* one coordinate; rectified is a compile-time constant in the two rules below */
static inline double radam_core(const radam_state *s, size_t i, double x, double g,
                                const int rectified)
{
    const double b1 = s->h.beta1, b2 = s->h.beta2;
    g = g + s->h.weight_decay * x;                      /* L2 through the gradient */
    double m = b1 * s->m[i] + (1 - b1) * g;             /* m = b1*m + (1-b1)*g */
    double v = b2 * s->v[i] + (1 - b2) * (g * g);       /* v = b2*v + (1-b2)*g^2 */
    s->m[i] = m;
    s->v[i] = v;
    double mh = m / s->bc1;                             /* m_hat = m/(1-b1^t) */
    if (!rectified) return x - mh * s->lr;              /* x -= m_hat*lr */
    double alr = s->bc2_sqrt / (sqrt(v) + s->h.eps);    /* sqrt(1-b2^t)/(sqrt(v)+eps) */
    return x - mh * s->lr * alr * s->rect;              /* x -= m_hat*lr*alr*r */
}

static inline double radam_rect_rule(const radam_state *s, size_t i, double x, double g)
{
    return radam_core(s, i, x, g, 1);
}
static inline double radam_sgd_rule(const radam_state *s, size_t i, double x, double g)
{
    return radam_core(s, i, x, g, 0);
}

OB_ELEMENTWISE(radam_rect, radam_state, radam_rect_rule)
OB_ELEMENTWISE(radam_sgd, radam_state, radam_sgd_rule)

static ob_status radam_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                            double lr, long t, const ob_objective *obj)
{
    (void)obj;
    radam_state *s = state;
    const double b2 = s->h.beta2, tt = (double)t;
    const double bc2 = 1 - pow(b2, tt);
    const double rho_inf = 2 / (1 - b2) - 1;                        /* SMA's length limit */
    const double rho_t = rho_inf - 2 * tt * pow(b2, tt) / bc2;      /* SMA's length at t */
    s->bc1 = 1 - pow(s->h.beta1, tt);
    s->lr = lr;
    if (rho_t > 5.) {
        s->rect = sqrt((rho_t - 4) * (rho_t - 2) * rho_inf /
                       ((rho_inf - 4) * (rho_inf - 2) * rho_t));
        s->bc2_sqrt = sqrt(bc2);
        radam_rect_apply(s, x, g, n, dt);
    } else {
        radam_sgd_apply(s, x, g, n, dt);
    }
    return OB_OK;
}

static const ob_hp_option radam_options[] = {
    OB_HP_LR(1e-3, "learning rate"),
    OB_HP_NUMBER("beta1", beta1, 0.9, "[0, 1)", "m = b1*m + (1-b1)*g"),
    OB_HP_NUMBER("beta2", beta2, 0.999, "[0, 1)", "v = b2*v + (1-b2)*g^2"),
    OB_HP_NUMBER("eps", eps, 1e-8, ">= 0", "x -= lr_t*m/(sqrt(v_hat) + eps)"),
    OB_HP_WEIGHT_DECAY,
    OB_HP_END,
};

const ob_optimizer_type ob_opt_radam = {
    .name = "radam",
    .summary = "RAdam: Adam with the variance rectification r_t; momentum SGD while rho_t <= 5",
    .options = radam_options,
    .state_size = sizeof(radam_state),
    .alloc = radam_alloc,
    .step = radam_step,
    .free = radam_free,
};
