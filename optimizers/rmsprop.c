/* rmsprop.c - RMSProp (Tieleman & Hinton 2012) as torch.optim.RMSprop (1.13).
 *
 *     g   = g + wd*x
 *     r   = alpha*r + (1-alpha)*g^2
 *     a   = sqrt(r) + eps                   (torch: eps outside the root)
 *         = sqrt(r - gbar^2) + eps, gbar = alpha*gbar + (1-alpha)*g   (--centered)
 *     x   = x - lr*g/a                      or, with --momentum mu:
 *     buf = mu*buf + g/a;  x = x - lr*buf
 * --eps-inside: a = sqrt(r + eps), the form of the crash-course notes. */
#include <math.h>
#include <stdlib.h>

#include "optimizers/elementwise.h"

typedef struct {
    ob_hparams h;
    double *r;      /* (n) moving average of g^2 */
    double *gbar;   /* (n) moving average of g, --centered only */
    double *buf;    /* (n) momentum buffer, --momentum > 0 only */
    double lr;
} rmsprop_state;

static ob_status rmsprop_alloc(void *state, size_t n, const ob_hparams *h)
{
    rmsprop_state *s = state;
    s->h = *h;
    s->r = calloc(n, sizeof *s->r);
    if (h->centered) s->gbar = calloc(n, sizeof *s->gbar);
    if (h->momentum > 0) s->buf = calloc(n, sizeof *s->buf);
    if (!s->r || (h->centered && !s->gbar) || (h->momentum > 0 && !s->buf)) return OB_ENOMEM;
    return OB_OK;
}

static void rmsprop_free(void *state)
{
    rmsprop_state *s = state;
    free(s->r);
    free(s->gbar);
    free(s->buf);
}

static inline double rmsprop_rule(const rmsprop_state *s, size_t i, double x, double g)
{
    const double al = s->h.alpha;
    g = g + s->h.weight_decay * x;
    double r = al * s->r[i] + (1 - al) * (g * g);       /* r = alpha*r + (1-alpha)*g^2 */
    s->r[i] = r;
    double var = r;
    if (s->gbar) {                                      /* centered: r - gbar^2 */
        double gb = al * s->gbar[i] + (1 - al) * g;
        s->gbar[i] = gb;
        var = r - gb * gb;
    }
    double a = s->h.eps_inside ? sqrt(var + s->h.eps) : sqrt(var) + s->h.eps;
    if (s->buf) {                                       /* buf = mu*buf + g/a */
        double b = s->h.momentum * s->buf[i] + g / a;
        s->buf[i] = b;
        return x - s->lr * b;
    }
    return x - s->lr * (g / a);
}

OB_ELEMENTWISE(rmsprop, rmsprop_state, rmsprop_rule)

static ob_status rmsprop_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                              double lr, long t, const ob_objective *obj)
{
    (void)t;
    (void)obj;
    rmsprop_state *s = state;
    s->lr = lr;
    rmsprop_apply(s, x, g, n, dt);
    return OB_OK;
}

static const ob_hp_option rmsprop_options[] = {
    OB_HP_LR(1e-2, "learning rate"),
    OB_HP_NUMBER("alpha", alpha, 0.99, "[0, 1)", "smoothing: r = alpha*r + (1-alpha)*g^2"),
    OB_HP_NUMBER("eps", eps, 1e-8, ">= 0", "x -= lr*g/(sqrt(r) + eps)"),
    OB_HP_NUMBER("momentum", momentum, 0, "[0, 1)", "buf = mu*buf + g/a, x -= lr*buf"),
    OB_HP_FLAG("centered", centered, 0, "divide by sqrt(r - gbar^2), gbar the mean of g"),
    OB_HP_WEIGHT_DECAY,
    OB_HP_FLAG("eps-inside", eps_inside, 0, "the crash-course notes' g/sqrt(r + eps)"),
    OB_HP_END,
};

const ob_optimizer_type ob_opt_rmsprop = {
    .name = "rmsprop",
    .summary = "RMSProp: r = a*r + (1-a)*g^2, x -= lr*g/(sqrt(r)+eps)",
    .options = rmsprop_options,
    .state_size = sizeof(rmsprop_state),
    .alloc = rmsprop_alloc,
    .step = rmsprop_step,
    .free = rmsprop_free,
};
