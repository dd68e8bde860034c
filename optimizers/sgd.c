/* sgd.c - gradient descent with optional (heavy-ball or Nesterov) momentum.
 *
 * torch.optim.SGD (1.13), one step:
 *     g   = g + wd*x
 *     buf = g                                 on the first step
 *     buf = mu*buf + (1-dampening)*g          afterwards
 *     g   = g + mu*buf  (nesterov)   or   g = buf
 *     x   = x - lr*g
 * With --velocity-form the velocity form of the optimization slides is used instead:
 *     momentum: v = mu*v - lr*g;  x = x + v
 *     nag:      v_prev = v;  v = mu*v - lr*g;  x = x - mu*v_prev + (1+mu)*v
 * which is the same trajectory as torch's for a constant lr (v = -lr*buf), and differs
 * when a schedule changes lr (the velocity keeps the old lr's steps).
 *
 * Four registry names share this rule: gd (full gradient, no momentum), sgd (stochastic
 * gradient, no momentum), momentum (mu 0.9) and nag (mu 0.9, nesterov). */
#include <stdlib.h>

#include "optimizers/threshold.h"
#include "optimizers/elementwise.h"

typedef struct {
    ob_hparams h;
    double *buf;    /* (n) momentum buffer, or the velocity v of --velocity-form; NULL without momentum */
    /* per-step coefficients */
    double lr;
    int first;
} sgd_state;

static ob_status sgd_alloc(void *state, size_t n, const ob_hparams *h)
{
    sgd_state *s = state;
    s->h = *h;
    if (h->momentum > 0 && !(s->buf = calloc(n, sizeof *s->buf))) return OB_ENOMEM;
    return OB_OK;
}

static void sgd_free(void *state) { free(((sgd_state *)state)->buf); }

/* x = x - lr*(g + wd*x) */
static inline double plain_rule(const sgd_state *s, size_t i, double x, double g)
{
    (void)i;
    g = g + s->h.weight_decay * x;
    return x - s->lr * g;
}

/* torch's momentum buffer */
static inline double torch_momentum_rule(const sgd_state *s, size_t i, double x, double g)
{
    const double mu = s->h.momentum;
    g = g + s->h.weight_decay * x;
    double b = s->first ? g : mu * s->buf[i] + (1 - s->h.dampening) * g;
    s->buf[i] = b;
    double d = s->h.nesterov ? g + mu * b : b;
    return x - s->lr * d;
}

/* the slides' velocity v = mu*v - lr*g (v starts at 0, so the first step is -lr*g) */
static inline double velocity_momentum_rule(const sgd_state *s, size_t i, double x, double g)
{
    const double mu = s->h.momentum;
    g = g + s->h.weight_decay * x;
    double v_prev = s->buf[i];
    double v = mu * v_prev - s->lr * g;
    s->buf[i] = v;
    return s->h.nesterov ? x - mu * v_prev + (1 + mu) * v : x + v;
}

OB_ELEMENTWISE(plain, sgd_state, plain_rule)
OB_ELEMENTWISE(torch_momentum, sgd_state, torch_momentum_rule)
OB_ELEMENTWISE(velocity_momentum, sgd_state, velocity_momentum_rule)

static ob_status sgd_step(void *state, void *x, const void *g, size_t n, ob_dtype dt, double lr,
                          long t, const ob_objective *obj)
{
    (void)obj;
    sgd_state *s = state;
    s->lr = lr;
    s->first = t == 1;
    if (!s->buf) plain_apply(s, x, g, n, dt);
    else if (s->h.velocity_form) velocity_momentum_apply(s, x, g, n, dt);
    else torch_momentum_apply(s, x, g, n, dt);
    return OB_OK;
}

/* The options of the four names.  --momentum, --dampening and --nesterov are torch's;
 * --velocity-form (old spelling --seed-form) is the slides' v = mu*v - lr*g. */
#define SGD_OPTIONS(mu_, nesterov_)                                                          \
    OB_HP_LR(1e-2, "learning rate"), OB_HP_WEIGHT_DECAY,                                   \
    OB_HP_NUMBER("momentum", momentum, mu_, "[0, 1)", "mu: buf = mu*buf + (1-d)*g"),          \
    OB_HP_NUMBER("dampening", dampening, 0, "[0, 1]", "d in buf = mu*buf + (1-d)*g"),         \
    OB_HP_FLAG("nesterov", nesterov, nesterov_, "Nesterov's look-ahead: g' = g + mu*buf")
#define VELOCITY_FORM                                                                        \
    {.name = "velocity-form", .alias = "seed-form", .kind = OB_HPK_FLAG,                    \
     .field = offsetof(ob_hparams, velocity_form),                                          \
     .help = "the velocity form v = mu*v - lr*g, x += v (nag: x += -mu*v_prev + (1+mu)*v)"}

static const ob_hp_option gd_options[] = {SGD_OPTIONS(0, 0), OB_HP_END};
static const ob_hp_option momentum_options[] = {SGD_OPTIONS(0.9, 0), VELOCITY_FORM, OB_HP_END};
static const ob_hp_option nag_options[] = {SGD_OPTIONS(0.9, 1), VELOCITY_FORM, OB_HP_END};

#define SGD_COMMON                                                                         \
    .state_size = sizeof(sgd_state), .alloc = sgd_alloc, .step = sgd_step, .free = sgd_free, \
    .threshold = ob_threshold_sgd

const ob_optimizer_type ob_opt_gd = {
    .name = "gd",
    .summary = "gradient descent on the full gradient: x -= lr*g",
    .options = gd_options,
    .full_gradient = 1,
    SGD_COMMON,
};

const ob_optimizer_type ob_opt_sgd = {
    .name = "sgd",
    .summary = "stochastic GD (mini-batch or noisy gradient): x -= lr*g",
    .options = gd_options,
    .finite_sum_batch = 1,
    SGD_COMMON,
};

const ob_optimizer_type ob_opt_momentum = {
    .name = "momentum",
    .summary = "heavy ball (torch SGD): buf = mu*buf + (1-d)*g, x -= lr*buf",
    .options = momentum_options,
    SGD_COMMON,
};

const ob_optimizer_type ob_opt_nag = {
    .name = "nag",
    .summary = "Nesterov (torch SGD nesterov): g' = g + mu*buf, x -= lr*g'",
    .options = nag_options,
    SGD_COMMON,
};
