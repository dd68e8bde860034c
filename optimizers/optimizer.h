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
 * ob_optimizer_register call); see README.md, "Adding an optimizer". */
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
    int velocity_form;      /* momentum/nag in the velocity form of the optimization
                               slides: v = mu*v - lr*g */
    /* adam / adamw / amsgrad */
    double beta1, beta2;
    double eps;             /* the denominator's guard: sqrt(v) + eps */
    int amsgrad;
    int decoupled;          /* adamw: x *= 1 - lr*wd */
    /* the average r = alpha*r + (1-alpha)*g^2 */
    double alpha;           /* smoothing constant of the squared-gradient average */
    int centered;
    /* adagrad */
    double lr_decay;
    double initial_accumulator_value;
    int eps_inside;         /* g / sqrt(r + eps) (the crash-course notes) */
    /* rprop */
    double eta_minus, eta_plus;   /* --etas */
    double step_min, step_max;    /* --step-sizes */
    int sign_only;          /* the slides' plain sign step: x -= lr * sign(g) */
    /* numbers of rules added later, so that a new rule needs no new field here: its
     * option table points at extra[k] (README.md, "Adding an optimizer") */
    double extra[4];
} ob_hparams;

/* One command-line option of an optimizer: `--name` sets a field of ob_hparams. */
typedef enum {
    OB_HPK_NUMBER, /* --name X: the double at field */
    OB_HPK_FLAG,   /* --name: the int at field becomes 1 */
    OB_HPK_PAIR,   /* --name lo,hi: the doubles at field and field2 */
} ob_hp_kind;

typedef struct {
    const char *name;       /* without "--"; NULL ends a table */
    ob_hp_kind kind;
    size_t field, field2;   /* offsetof(ob_hparams, ...); field2 for pairs */
    double def, def2;       /* the default (flags: 0 off, 1 on; pairs: lo, hi) */
    const char *range;      /* the accepted values, for --help ("[0, 1)"); NULL for flags */
    const char *help;       /* one line */
    const char *alias;      /* an older spelling, still accepted, never printed; or NULL */
    /* flags only: giving the flag without the option `implies` sets that option's
     * field to implied (--adamw without --weight-decay: weight decay 0.01) */
    const char *implies;
    double implied;
} ob_hp_option;

#define OB_HP_NUMBER(name_, field_, def_, range_, help_)                                   \
    {.name = (name_), .kind = OB_HPK_NUMBER, .field = offsetof(ob_hparams, field_),          \
     .def = (def_), .range = (range_), .help = (help_)}
#define OB_HP_FLAG(name_, field_, def_, help_)                                             \
    {.name = (name_), .kind = OB_HPK_FLAG, .field = offsetof(ob_hparams, field_),            \
     .def = (def_), .help = (help_)}
#define OB_HP_PAIR(name_, lo_field, hi_field, lo_, hi_, range_, help_)                     \
    {.name = (name_), .kind = OB_HPK_PAIR, .field = offsetof(ob_hparams, lo_field),          \
     .field2 = offsetof(ob_hparams, hi_field), .def = (lo_), .def2 = (hi_),                 \
     .range = (range_), .help = (help_)}
/* the options most rules share, with their torch.optim defaults */
#define OB_HP_LR(def_, help_) OB_HP_NUMBER("lr", lr, def_, "> 0", help_)
#define OB_HP_WEIGHT_DECAY                                                                  \
    OB_HP_NUMBER("weight-decay", weight_decay, 0, ">= 0", "L2 penalty: g += wd*x")
#define OB_HP_END {.name = NULL}

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
    const ob_hp_option *options; /* the options it reads, with their defaults; must have
                                    "lr"; ends with OB_HP_END */
    size_t state_size;         /* bytes of the private state struct */
    int needs_objective;       /* 1: step() evaluates f and g itself (gsl-bfgs, gsl-cg) */
    int f64_only;              /* 1: only float64 parameters */
    int full_gradient;         /* 1: always the full gradient, never --batch/--noise (gd) */
    size_t finite_sum_batch;   /* mini-batch on a finite sum when no --batch or --noise is
                                  given (sgd: 1, plain SGD); 0: the full gradient */
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
