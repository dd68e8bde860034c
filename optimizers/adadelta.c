/* adadelta.c - Adadelta (Zeiler 2012) as torch.optim.Adadelta (1.13).
 *
 * torch.optim.Adadelta, one step (rho = --rho, stored in ob_hparams.alpha):
 *     g  = g + wd*x
 *     r  = rho*r + (1-rho)*g^2
 *     d  = sqrt(a + eps) / sqrt(r + eps) * g
 *     a  = rho*a + (1-rho)*d^2
 *     x  = x - lr*d                            (torch's lr, default 1: Zeiler has none) */
#include <math.h>
#include <stdlib.h>

#include "optimizers/elementwise.h"

typedef struct {
    ob_hparams h;
    double *restrict r;  /* (n) moving average of g^2 (torch's square_avg) */
    double *restrict a;  /* (n) moving average of d^2 (torch's acc_delta) */
    double lr;
} adadelta_state;

static ob_status adadelta_alloc(void *state, size_t n, const ob_hparams *h)
{
    adadelta_state *s = state;
    s->h = *h;
    s->r = calloc(n, sizeof *s->r);
    s->a = calloc(n, sizeof *s->a);
    return s->r && s->a ? OB_OK : OB_ENOMEM;
}

static void adadelta_free(void *state)
{
    adadelta_state *s = state;
    free(s->r);
    free(s->a);
}

static inline double adadelta_rule(const adadelta_state *s, size_t i, double x, double g)
{
    const double rho = s->h.alpha, eps = s->h.eps;
    g = g + s->h.weight_decay * x;                      /* L2 through the gradient */
    double r = rho * s->r[i] + (1 - rho) * (g * g);     /* r = rho*r + (1-rho)*g^2 */
    double d = sqrt(s->a[i] + eps) / sqrt(r + eps) * g; /* d = sqrt(a+eps)/sqrt(r+eps)*g */
    s->r[i] = r;
    s->a[i] = rho * s->a[i] + (1 - rho) * (d * d);      /* a = rho*a + (1-rho)*d^2 */
    return x - s->lr * d;                               /* x -= lr*d */
}

OB_ELEMENTWISE(adadelta, adadelta_state, adadelta_rule)

static ob_status adadelta_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                               double lr, long t, const ob_objective *obj)
{
    (void)t;
    (void)obj;
    adadelta_state *s = state;
    s->lr = lr;
    adadelta_apply(s, x, g, n, dt);
    return OB_OK;
}

static const ob_hp_option adadelta_options[] = {
    OB_HP_LR(1.0, "learning rate"),
    OB_HP_NUMBER("rho", alpha, 0.9, "[0, 1)", "adadelta: r = rho*r + (1-rho)*g^2, same for d^2"),
    OB_HP_NUMBER("eps", eps, 1e-6, ">= 0", "adadelta: d = sqrt(a + eps)/sqrt(r + eps)*g"),
    OB_HP_WEIGHT_DECAY,
    OB_HP_END,
};

const ob_optimizer_type ob_opt_adadelta = {
    .name = "adadelta",
    .summary = "Adadelta: d = sqrt(a+eps)/sqrt(r+eps)*g, x -= lr*d, r and a averages of g^2, d^2",
    .options = adadelta_options,
    .state_size = sizeof(adadelta_state),
    .alloc = adadelta_alloc,
    .step = adadelta_step,
    .free = adadelta_free,
};
