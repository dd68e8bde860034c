/* optbench.h - the public interface of an optbench optimizer: what a plugin compiles
 * against (and what the built-in rules of optimizers/ compile against too).
 *
 * A plugin is a shared object that exports two symbols:
 *
 *     const unsigned optbench_abi = OB_PLUGIN_ABI_VERSION;
 *     const ob_optimizer_type optbench_optimizer = {.name = "mine", ...};
 *
 * built with `cc -O2 -fPIC -shared -I<optbench>/include mine.c -o mine.so` and used as
 * `optbench run --optimizer ./mine.so ...` (docs/optimizers.md, "Your own optimizer").  The type
 * is the same const struct the built-ins are (GSL multimin style): a name, a one-line
 * summary, an option table (every option a field of ob_hparams; "lr" is required), the
 * size of a private state that optbench allocates and zeroes, and alloc/step/free.
 *
 * This header is self-contained (C11 and the standard library only).  Change
 * OB_PLUGIN_ABI_VERSION whenever a struct below changes its layout or meaning. */
#ifndef OPTBENCH_H
#define OPTBENCH_H

#include <stddef.h>

/* The layout version of ob_hparams, ob_hp_option and ob_optimizer_type.  Version 2 adds
 * the stability facts (threshold, precond) at the end of ob_optimizer_type; a version-1
 * plugin (the same struct without them) still loads, as a rule with no known threshold.
 * Version 3 adds the reference fact after them; a version-1 or -2 plugin loads as a
 * competitor. */
#define OB_PLUGIN_ABI_VERSION 3u

/* Status codes: every function of an optimizer returns one. */
typedef enum {
    OB_OK = 0,
    OB_EINVAL,   /* a setting or an input is outside what is accepted */
    OB_ENOMEM,   /* an allocation failed */
    OB_EIO,      /* a file could not be read or written */
    OB_EDATA,    /* a data file is malformed */
    OB_DIVERGED, /* the run produced NaN/Inf or a loss beyond the divergence bound */
    OB_STALLED,  /* the optimizer can make no further progress (GSL's ENOPROG) */
    OB_INTERRUPTED /* stopped by SIGINT/SIGTERM after finishing the work under way */
} ob_status;

/* The precision of parameters and gradients: optimizers update either, networks train in
 * either (float32 by default). */
typedef enum { OB_F64 = 0, OB_F32 = 1 } ob_dtype;

/* An error message for the user, filled by library code next to the status it returns:
 * one line that names the problem (the argument, the file) and what is accepted. */
typedef struct {
    char msg[512];
} ob_error;

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
     * option table points at extra[k] (docs/optimizers.md, "Adding an optimizer") */
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
    int full_gradient;         /* 1: always the full gradient, never --batch: a full pass
                                  of a finite sum (gd); additive noise reaches it as any */
    size_t finite_sum_batch;   /* mini-batch on a finite sum when no --batch or --noise is
                                  given (sgd: 1, plain SGD); 0: the full gradient */
    ob_status (*check)(const ob_hparams *h, ob_error *err); /* NULL: nothing to check */
    /* Allocates the per-parameter arrays inside state (zeroed by the wrapper). */
    ob_status (*alloc)(void *state, size_t n, const ob_hparams *h);
    /* One update.  t counts steps from 1; lr is this step's learning rate. */
    ob_status (*step)(void *state, void *x, const void *g, size_t n, ob_dtype dt, double lr,
                      long t, const ob_objective *obj);
    void (*free)(void *state);
    /* ---- version 2: what the rule knows of its stability (NULL: nothing known) ---- */
    /* The largest curvature at which the rule, run with the constant step lr on a
     * quadratic, does not diverge (the edge of stability, Cohen et al. 2021), for settings
     * h, or NaN when none holds for them; *preconditioned (never NULL) is set to 1 when it
     * bounds the top eigenvalue of P^-1 H with P from precond, 0 when that of H. */
    double (*threshold)(const ob_hparams *h, double lr, int *preconditioned);
    /* The diagonal of that P (n values > 0) from the rule's state after t >= 1 steps. */
    void (*precond)(const void *state, long t, double *P, size_t n);
    /* ---- version 3: the rule's role in a benchmark ---- */
    int reference;             /* 1: a reference method (gsl-bfgs, gsl-cg: line searches,
                                  several evaluations a step), drawn and tabled beside the
                                  others but never ranked nor counted among the winners */
} ob_optimizer_type;

#endif
