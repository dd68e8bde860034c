/* optimizer.c - the registry, PyTorch's defaults, validation and the step wrapper. */
#include "optimizers/optimizer.h"
#include "optimizers/plugin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The built-in rules: one line each (the type ob_opt_NAME defined in NAME's own file),
 * in the order `optbench list`, the suites and the figures show them. */
#define OB_BUILTIN_OPTIMIZERS(X)                                                             \
    X(gd)                                                                                    \
    X(sgd)                                                                                   \
    X(momentum)                                                                              \
    X(nag)                                                                                   \
    X(rprop)                                                                                 \
    X(adagrad)                                                                               \
    X(rmsprop)                                                                               \
    X(adam)                                                                                  \
    X(adamw)                                                                                 \
    X(nadam)                                                                                 \
    X(radam)                                                                                 \
    X(adamax)                                                                                \
    X(adadelta)                                                                              \
    X(lion)                                                                                  \
    X(gsl_bfgs)                                                                              \
    X(gsl_cg)                                                                                \
    /* a new rule: one line X(name) above this one, and optimizers/name.c */

#define DECLARE(name) extern const ob_optimizer_type ob_opt_##name;
#define ENTRY(name) &ob_opt_##name,
OB_BUILTIN_OPTIMIZERS(DECLARE)

/* The registry: the built-ins, then the free slots ob_optimizer_register fills. */
const ob_optimizer_type *ob_optimizer_types[OB_OPTIMIZERS_MAX + 1] = {
    OB_BUILTIN_OPTIMIZERS(ENTRY) NULL,
};

const ob_optimizer_type *ob_optimizer_find(const char *name)
{
    for (const ob_optimizer_type *const *t = ob_optimizer_types; name && *t; t++)
        if (strcmp((*t)->name, name) == 0) return *t;
    return NULL;
}

const ob_hp_option *ob_hp_option_find(const ob_optimizer_type *T, const char *name)
{
    for (const ob_hp_option *o = T->options; o && o->name; o++)
        if (strcmp(o->name, name) == 0 || (o->alias && strcmp(o->alias, name) == 0)) return o;
    return NULL;
}

/* The same option name must mean the same thing for every rule that reads it: the
 * command line has one --momentum, whose value goes to one field. */
static ob_status check_options(const ob_optimizer_type *T, ob_error *err)
{
    if (!ob_hp_option_find(T, "lr"))
        return ob_fail(err, OB_EINVAL, "optimizer %s: its option table has no \"lr\"", T->name);
    /* every name and old spelling once: a second --foo would never be reached */
    for (const ob_hp_option *o = T->options; o->name; o++)
        for (const ob_hp_option *q = T->options; q < o; q++) {
            const char *a[2] = {o->name, o->alias}, *b[2] = {q->name, q->alias};
            for (int i = 0; i < 4; i++)
                if (a[i / 2] && b[i % 2] && strcmp(a[i / 2], b[i % 2]) == 0)
                    return ob_fail(err, OB_EINVAL, "optimizer %s: --%s is in its option table "
                                   "twice (options %s and %s)", T->name, a[i / 2], q->name,
                                   o->name);
        }
    for (const ob_hp_option *o = T->options; o->name; o++)
        for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++) {
            const ob_hp_option *q = ob_hp_option_find(*t, o->name);
            if (q && (q->kind != o->kind || q->field != o->field ||
                      (o->kind == OB_HPK_PAIR && q->field2 != o->field2)))
                return ob_fail(err, OB_EINVAL, "optimizer %s: --%s means another kind or field "
                               "for %s", T->name, o->name, (*t)->name);
        }
    return OB_OK;
}

ob_status ob_optimizer_register(const ob_optimizer_type *T, ob_error *err)
{
    if (!T || !T->name || !T->name[0] || !T->alloc || !T->step || !T->options)
        return ob_fail(err, OB_EINVAL, "an optimizer type needs a name, alloc, step and options");
    if (ob_optimizer_find(T->name))
        return ob_fail(err, OB_EINVAL, "optimizer %s is already registered", T->name);
    size_t n = 0;
    while (ob_optimizer_types[n]) n++;
    if (n == OB_OPTIMIZERS_MAX)
        return ob_fail(err, OB_ENOMEM, "the registry holds at most %d optimizers",
                       OB_OPTIMIZERS_MAX);
    ob_status s = check_options(T, err);
    if (s != OB_OK) return s;
    ob_optimizer_types[n] = T;
    ob_optimizer_types[n + 1] = NULL;
    return OB_OK;
}

void ob_hparams_default(const ob_optimizer_type *T, ob_hparams *h)
{
    /* torch.optim's defaults (1.13) for the fields a rule does not list: Adam betas
     * (0.9, 0.999), eps 1e-8; RMSprop alpha 0.99; Rprop etas (0.5, 1.2), step sizes
     * (1e-6, 50).  The rule's own table then sets every option it reads. */
    *h = (ob_hparams){
        .beta1 = 0.9,
        .beta2 = 0.999,
        .eps = 1e-8,
        .alpha = 0.99,
        .eta_minus = 0.5,
        .eta_plus = 1.2,
        .step_min = 1e-6,
        .step_max = 50,
    };
    for (const ob_hp_option *o = T->options; o && o->name; o++) {
        if (o->kind == OB_HPK_FLAG) {
            *ob_hp_flag(h, o->field) = o->def != 0;
            continue;
        }
        *ob_hp_number(h, o->field) = o->def;
        if (o->kind == OB_HPK_PAIR) *ob_hp_number(h, o->field2) = o->def2;
    }
}

static int finite_nonneg(double v) { return isfinite(v) && v >= 0; }

void ob_hparams_imply(const ob_optimizer_type *T, ob_hparams *h,
                      int (*set)(const void *ctx, const ob_hp_option *o), const void *ctx)
{
    for (const ob_hp_option *op = T->options; op->name; op++) {
        if (op->kind != OB_HPK_FLAG || !op->implies || !*ob_hp_flag(h, op->field)) continue;
        const ob_hp_option *im = ob_hp_option_find(T, op->implies);
        if (im && !set(ctx, im)) *ob_hp_number(h, im->field) = op->implied;
    }
}

ob_status ob_hparams_check(const ob_optimizer_type *T, const ob_hparams *h, ob_error *err)
{
    if (!(isfinite(h->lr) && h->lr > 0))
        return ob_fail(err, OB_EINVAL, "--lr must be a finite number > 0, got %g", h->lr);
    if (!finite_nonneg(h->weight_decay))
        return ob_fail(err, OB_EINVAL, "--weight-decay must be >= 0, got %g", h->weight_decay);
    if (!(finite_nonneg(h->momentum) && h->momentum < 1))
        return ob_fail(err, OB_EINVAL, "--momentum must be in [0, 1), got %g", h->momentum);
    if (!(finite_nonneg(h->dampening) && h->dampening <= 1))
        return ob_fail(err, OB_EINVAL, "--dampening must be in [0, 1], got %g", h->dampening);
    if (!(finite_nonneg(h->beta1) && h->beta1 < 1 && finite_nonneg(h->beta2) && h->beta2 < 1))
        return ob_fail(err, OB_EINVAL, "--beta1 and --beta2 must be in [0, 1), got %g, %g",
                       h->beta1, h->beta2);
    if (!finite_nonneg(h->eps))
        return ob_fail(err, OB_EINVAL, "--eps must be >= 0, got %g", h->eps);
    if (!(finite_nonneg(h->alpha) && h->alpha < 1))
        return ob_fail(err, OB_EINVAL, "--alpha must be in [0, 1), got %g", h->alpha);
    if (!finite_nonneg(h->lr_decay))
        return ob_fail(err, OB_EINVAL, "--lr-decay must be >= 0, got %g", h->lr_decay);
    if (!finite_nonneg(h->initial_accumulator_value))
        return ob_fail(err, OB_EINVAL, "--initial-accumulator must be >= 0, got %g",
                       h->initial_accumulator_value);
    if (!(h->eta_minus > 0 && h->eta_minus < 1 && h->eta_plus > 1 && isfinite(h->eta_plus)))
        return ob_fail(err, OB_EINVAL, "--etas must satisfy 0 < minus < 1 < plus, got %g,%g",
                       h->eta_minus, h->eta_plus);
    if (!(h->step_min > 0 && h->step_min <= h->step_max && isfinite(h->step_max)))
        return ob_fail(err, OB_EINVAL, "--step-sizes must satisfy 0 < lo <= hi, got %g,%g",
                       h->step_min, h->step_max);
    if (h->nesterov && (h->momentum <= 0 || h->dampening != 0))
        return ob_fail(err, OB_EINVAL,
                       "--nesterov needs --momentum > 0 and --dampening 0 (as in torch.optim.SGD)");
    if (h->velocity_form && h->dampening != 0)
        return ob_fail(err, OB_EINVAL, "--velocity-form has no dampening; drop --dampening");
    return T->check ? T->check(h, err) : OB_OK;
}

ob_optimizer *ob_optimizer_alloc(const ob_optimizer_type *T, const ob_hparams *h, size_t n,
                                 ob_dtype dtype, ob_error *err)
{
    if (ob_hparams_check(T, h, err) != OB_OK) return NULL;
    if (n == 0) {
        ob_fail(err, OB_EINVAL, "an optimizer needs at least one parameter");
        return NULL;
    }
    if (dtype != OB_F64 && T->f64_only) {
        ob_fail(err, OB_EINVAL, "%s works on float64 parameters only", T->name);
        return NULL;
    }
    ob_optimizer *o = calloc(1, sizeof *o);
    void *state = calloc(1, T->state_size ? T->state_size : 1);
    if (!o || !state || T->alloc(state, n, h) != OB_OK) {
        free(o);
        free(state);
        ob_fail(err, OB_ENOMEM, "out of memory allocating %s state for %zu parameters",
                T->name, n);
        return NULL;
    }
    *o = (ob_optimizer){.type = T, .h = *h, .n = n, .dtype = dtype, .t = 0, .state = state};
    return o;
}

void ob_optimizer_free(ob_optimizer *o)
{
    if (!o) return;
    if (o->type->free) o->type->free(o->state);
    free(o->state);
    free(o);
}

ob_status ob_optimizer_step(ob_optimizer *o, void *x, const void *g, double lr,
                            const ob_objective *obj)
{
    if (o->type->needs_objective && !obj) return OB_EINVAL;
    o->t++;
    return o->type->step(o->state, x, g, o->n, o->dtype, lr, o->t, obj);
}

/* One step of T at rate lr from x = (1, 2) with a zero gradient: a rule whose step then
 * multiplies x by one factor c, x = (c, 2c), shrinks x whatever the objective (decoupled
 * weight decay x *= 1 - lr*wd: adamw, adam --adamw, lion's x -= lr*wd*x; and an L2 term
 * that a plain or momentum step applies linearly).  The factor is measured on the rule's
 * own step, not recognised by its name.  A plugin is not run here (its code runs in its
 * own process in the bench): 1. */
double ob_optimizer_decay(const ob_optimizer_type *T, const ob_hparams *h, double lr)
{
    if (T->needs_objective || ob_plugin_path(T)) return 1;
    ob_hparams hh = *h;
    hh.lr = lr;
    ob_error e = {{0}};
    ob_optimizer *o = ob_optimizer_alloc(T, &hh, 2, OB_F64, &e);
    if (!o) return 1;
    double x[2] = {1, 2}, g[2] = {0, 0};
    ob_status s = ob_optimizer_step(o, x, g, lr, NULL);
    ob_optimizer_free(o);
    return s == OB_OK && x[1] == 2 * x[0] ? x[0] : 1;
}
