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
 * option named after the formula in the course seeds (see DESIGN.md). */
#ifndef OB_OPTIMIZER_H
#define OB_OPTIMIZER_H

#include <stddef.h>

#include "common/ob.h"

/* Every hyper-parameter of every rule; each rule reads the ones it uses.
 * ob_hparams_default() fills PyTorch's defaults for the given optimizer. */
typedef struct {
    double lr;              /* base learning rate (a schedule may scale it per step) */
    double weight_decay;    /* L2 added to the gradient (decoupled for adamw) */
    /* sgd / momentum / nag */
    double momentum;        /* mu */
    double dampening;       /* buf = mu*buf + (1-dampening)*g */
    int nesterov;           /* g' = g + mu*buf */
    int seed_form;          /* momentum/nag as in seed 002: v = mu*v - lr*g */
    /* adam / adamw / amsgrad */
    double beta1, beta2;
    double eps;             /* adam, adagrad, rmsprop */
    int amsgrad;
    int decoupled;          /* adamw: x *= 1 - lr*wd */
    /* rmsprop */
    double alpha;           /* smoothing constant of the squared-gradient average */
    int centered;
    /* adagrad */
    double lr_decay;
    double initial_accumulator_value;
    int eps_inside;         /* adagrad / rmsprop: g / sqrt(r + eps) (seeds 000, 003) */
    /* rprop */
    double eta_minus, eta_plus;   /* --etas */
    double step_min, step_max;    /* --step-sizes */
    int sign_only;          /* seed 002's plain sign step: x -= lr * sign(g) */
} ob_hparams;

typedef struct ob_optimizer ob_optimizer;

/* Full objective, for the GSL reference minimizers whose line searches evaluate f and g
 * themselves.  Returns f(x) and writes g. */
typedef struct {
    double (*fdf)(void *ctx, const double *x, double *g);
    void *ctx;
} ob_objective;

typedef struct ob_optimizer_type {
    const char *name;
    const char *summary;       /* the update rule in one line */
    const char *options;       /* the options it reads, with defaults, for `optbench list` */
    double default_lr;
    size_t state_size;         /* bytes of the private state struct */
    int needs_objective;       /* 1: step() evaluates f and g itself (gsl-bfgs, gsl-cg) */
    int f64_only;              /* 1: only float64 parameters */
    int full_gradient;         /* 1: always the full gradient, never --batch/--noise (gd) */
    size_t finite_sum_batch;   /* mini-batch on a finite sum when no --batch or --noise is
                                  given (sgd: 1, plain SGD); 0: the full gradient */
    void (*defaults)(ob_hparams *h); /* overrides on top of the common defaults */
    ob_status (*check)(const ob_hparams *h, ob_error *err); /* NULL: nothing to check */
    /* Allocates the per-parameter arrays inside state (zeroed by the wrapper). */
    ob_status (*alloc)(void *state, size_t n, const ob_hparams *h);
    /* One update.  t counts steps from 1; lr is this step's learning rate. */
    ob_status (*step)(void *state, void *x, const void *g, size_t n, ob_dtype dt, double lr,
                      long t, const ob_objective *obj);
    void (*free)(void *state);
} ob_optimizer_type;

struct ob_optimizer {
    const ob_optimizer_type *type;
    ob_hparams h;
    size_t n;
    ob_dtype dtype;
    long t;                    /* steps taken */
    void *state;
};

extern const ob_optimizer_type *const ob_optimizer_types[]; /* NULL-terminated */

/* NULL when there is no such optimizer. */
const ob_optimizer_type *ob_optimizer_find(const char *name);

/* PyTorch's defaults for T (lr = T->default_lr). */
void ob_hparams_default(const ob_optimizer_type *T, ob_hparams *h);

/* Validates h for T: lr > 0, betas in [0,1), eps >= 0, ... */
ob_status ob_hparams_check(const ob_optimizer_type *T, const ob_hparams *h, ob_error *err);

ob_optimizer *ob_optimizer_alloc(const ob_optimizer_type *T, const ob_hparams *h, size_t n,
                                 ob_dtype dtype, ob_error *err);
void ob_optimizer_free(ob_optimizer *o);

/* One step at learning rate lr (the schedule's value for this step); obj only for types
 * with needs_objective.  For those, g is ignored and x is updated by the minimizer. */
ob_status ob_optimizer_step(ob_optimizer *o, void *x, const void *g, double lr,
                            const ob_objective *obj);

#endif
