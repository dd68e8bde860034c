/* optimizer.h - first-order update rules behind one interface.
 *
 * An optimizer is a type (a const struct: name, defaults, alloc/step/free) and an
 * instance that the wrapper allocates (GSL multimin style).  step() updates a flat
 * array of parameters in place from a gradient of the same length: the same code
 * updates a 2-D point and a network's contiguous parameter buffer.  Parameters and
 * gradients are float64 or float32 (ob_dtype); the per-parameter state of every rule
 * is float64, and each rule's arithmetic is written once, per element, in double
 * (see elementwise.h), whatever the precision of x.
 *
 * The defaults are PyTorch's torch.optim, step for step; every deviation is an explicit
 * option named after the formula it uses (the course notes' or slides' form).
 *
 * Everything the command line knows about a rule is on its type: its options (name,
 * kind, field of ob_hparams, default, accepted range, help line) and its facts
 * (full_gradient, finite_sum_batch, needs_objective).  `optbench run/train --help`,
 * `optbench list` and the "--X does not apply to Y" check are generated from the types
 * in the registry, so adding a rule is one file plus one line in optimizer.c (or one
 * ob_optimizer_register call); see docs/optimizers.md, "Adding an optimizer". */
#ifndef OB_OPTIMIZER_H
#define OB_OPTIMIZER_H

#include <stddef.h>

/* ob_hparams, ob_hp_option, ob_optimizer_type: the public header, shared with plugins */
#include "include/optbench.h"
#include "common/ob.h"

typedef struct ob_optimizer ob_optimizer;

struct ob_optimizer {
    const ob_optimizer_type *type;
    ob_hparams h;
    size_t n;
    ob_dtype dtype;
    long t;                    /* steps taken */
    void *state;
};

#define OB_OPTIMIZERS_MAX 32

/* The registry, NULL-terminated: the built-in rules (one line each in optimizer.c), then
 * those added by ob_optimizer_register, in that order. */
extern const ob_optimizer_type *ob_optimizer_types[OB_OPTIMIZERS_MAX + 1];

/* Adds T to the registry (a rule defined outside optimizers/, e.g. in a test).  Refuses
 * a name already taken, a type without step, alloc or an "lr" option, and an option
 * whose name another rule already uses with another kind or field. */
ob_status ob_optimizer_register(const ob_optimizer_type *T, ob_error *err);

/* NULL when there is no such optimizer. */
const ob_optimizer_type *ob_optimizer_find(const char *name);

/* T's option called name (or by its old alias), or NULL when T does not read it. */
const ob_hp_option *ob_hp_option_find(const ob_optimizer_type *T, const char *name);

/* PyTorch's defaults for T: the common ones, then T's option table. */
void ob_hparams_default(const ob_optimizer_type *T, ob_hparams *h);

/* The field of h an option points at. */
static inline double *ob_hp_number(ob_hparams *h, size_t field)
{
    return (double *)(void *)((char *)h + field);
}
static inline int *ob_hp_flag(ob_hparams *h, size_t field)
{
    return (int *)(void *)((char *)h + field);
}

/* A flag that brings another option's value with it (--adamw: weight decay 0.01): for
 * every flag of T that is on in h, the option it `implies` gets `implied`, unless
 * set(ctx, that option) says it was given explicitly.  The command line and suite files
 * both finish an optimizer's settings with it. */
void ob_hparams_imply(const ob_optimizer_type *T, ob_hparams *h,
                      int (*set)(const void *ctx, const ob_hp_option *o), const void *ctx);

/* Validates h for T: lr > 0, betas in [0,1), eps >= 0, ... */
ob_status ob_hparams_check(const ob_optimizer_type *T, const ob_hparams *h, ob_error *err);

ob_optimizer *ob_optimizer_alloc(const ob_optimizer_type *T, const ob_hparams *h, size_t n,
                                 ob_dtype dtype, ob_error *err);
void ob_optimizer_free(ob_optimizer *o);

/* The factor by which one step of T with settings h at rate lr multiplies x when the
 * gradient is zero, where the step does so uniformly (decoupled weight decay: 1 - lr*wd);
 * 1 when it does not (an adaptive rule's L2 term, no decay, a GSL minimizer, a plugin).
 * At or below 0, the decay alone takes x to the origin or past it in one step: a setting
 * outside the rule's meaningful range, which games any problem whose minimizer is the
 * origin (the bench skips it, run and train warn). */
double ob_optimizer_decay(const ob_optimizer_type *T, const ob_hparams *h, double lr);

/* One step at learning rate lr (the schedule's value for this step); obj only for types
 * with needs_objective.  For those, g is ignored and x is updated by the minimizer. */
ob_status ob_optimizer_step(ob_optimizer *o, void *x, const void *g, double lr,
                            const ob_objective *obj);

#endif
