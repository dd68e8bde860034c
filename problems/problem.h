/* problem.h - analytic objectives behind one interface.
 *
 * A problem is a type (a const struct with a name, a formula, a citation and an init
 * function) and an instance (ob_problem) that init fills: dimension, default start,
 * known minimizer and f*, the gradient's Lipschitz constant where it is global, and a
 * plotting box for 2-D problems.  Finite sums (logreg, lsq) also give the loss and
 * gradient of a mini-batch.  Every evaluation is pure: it writes only its outputs. */
#ifndef OB_PROBLEM_H
#define OB_PROBLEM_H

#include <stddef.h>

#include "common/ob.h"

typedef struct ob_problem ob_problem;

/* What the user can set on the command line; 0 / NULL means "the problem's default". */
typedef struct {
    size_t dim;           /* --dim */
    double kappa;         /* --kappa: condition number (quadratic, lsq) */
    int rotate;           /* --rotate: random orthogonal basis (quadratic) */
    unsigned long seed;   /* --seed: rotations and synthetic data */
    const char *data;     /* --data FILE.csv: feature columns then the target (logreg, lsq) */
    size_t samples;       /* --samples: number of synthetic samples (logreg, lsq) */
    int separable;        /* --separable: logreg's linearly separable variant */
    double l2;            /* --l2: ridge term (l2/2)||x||^2 added to logreg and lsq */
    int textbook;         /* --shift 0: the textbook form, its minimizer at the origin;
                             0 (the default): shifted (ob_problem_type.shift_radius) */
} ob_problem_opts;

/* One command-line option of a problem: `--name` sets a field of ob_problem_opts.  The
 * command line accepts it only with a problem whose table lists it. */
typedef enum {
    OB_POK_COUNT,  /* --name N: a whole number in [lo, hi] into a size_t */
    OB_POK_NUMBER, /* --name X: a finite double >= lo */
    OB_POK_FLAG,   /* --name: an int set to 1 */
    OB_POK_TEXT,   /* --name TEXT: a const char * */
    OB_POK_OFF,    /* --name 0|1, on by default: the int at field is 1 when given 0, so
                      that zeroed options mean on (--shift) */
} ob_popt_kind;

typedef struct {
    const char *name;     /* without "--"; NULL ends a table */
    ob_popt_kind kind;
    size_t field;         /* offsetof(ob_problem_opts, ...) */
    double lo, hi;        /* the accepted range of numbers (hi: counts only) */
    const char *def;      /* the default as --help shows it ("10"), or NULL: off / none */
    const char *help;     /* one line */
} ob_problem_option;

#define OB_POPT_DIM(def_)                                                                    \
    {.name = "dim", .kind = OB_POK_COUNT, .field = offsetof(ob_problem_opts, dim), .lo = 1,    \
     .hi = 1e9, .def = (def_), .help = "dimension (fixed for the 2-D surfaces and quadratic_deep)"}
#define OB_POPT_KAPPA(def_)                                                                  \
    {.name = "kappa", .kind = OB_POK_NUMBER, .field = offsetof(ob_problem_opts, kappa),        \
     .lo = 1, .def = (def_), .help = "condition number L/mu"}
#define OB_POPT_SAMPLES(def_)                                                                \
    {.name = "samples", .kind = OB_POK_COUNT, .field = offsetof(ob_problem_opts, samples),     \
     .lo = 1, .hi = 1e8, .def = (def_), .help = "number of synthetic samples"}
#define OB_POPT_L2                                                                           \
    {.name = "l2", .kind = OB_POK_NUMBER, .field = offsetof(ob_problem_opts, l2), .lo = 0,     \
     .def = "0", .help = "ridge term (l2/2)||x||^2"}
#define OB_POPT_DATA                                                                         \
    {.name = "data", .kind = OB_POK_TEXT, .field = offsetof(ob_problem_opts, data),            \
     .def = "synthetic from --seed", .help = "FILE.csv: feature columns, then the target"}
#define OB_POPT_SHIFT                                                                        \
    {.name = "shift", .kind = OB_POK_OFF, .field = offsetof(ob_problem_opts, textbook),        \
     .def = "1", .help = "1: the minimizer moved off the origin, drawn from --seed; 0: the "    \
     "textbook form"}
#define OB_POPT_END {.name = NULL}

typedef enum {
    OB_FSTAR_UNKNOWN = 0, /* nothing is known; f_star is NaN */
    OB_FSTAR_EXACT,       /* f_star is the minimum, known in closed form */
    OB_FSTAR_COMPUTED,    /* f_star was computed numerically at creation (e.g. GSL BFGS) */
    OB_FSTAR_LOWER_BOUND  /* f_star is an infimum/lower bound that may not be attained */
} ob_fstar_kind;

typedef struct ob_problem_type {
    const char *name;     /* registry key, e.g. "rosenbrock" */
    const char *formula;  /* one line, e.g. "(1-x)^2 + 100 (y-x^2)^2" */
    const char *citation; /* where the formula comes from */
    const ob_problem_option *options; /* the options it reads; ends with OB_POPT_END */
    /* > 0: the textbook minimizer is the origin, where any rule that shrinks x (weight
     * decay) would find it for free; an instance (unless --shift 0) moves it to x* drawn
     * uniformly from [-r, r]^n by --seed, as COCO does (x_opt in [-4, 4]^n inside
     * [-5, 5]^n): f(x) = f_textbook(x - x*), the same f*, Hessian and start-to-optimum
     * geometry (x0, the box and x_star move with it).  Such a type reads p->shift in fdf
     * and hvp, and lists OB_POPT_SHIFT.  0: never shifted. */
    double shift_radius;
    /* Fills p (type and impl are set by the caller before; init sets everything else).
     * On failure returns a status with a message in err and leaves nothing allocated. */
    ob_status (*init)(ob_problem *p, const ob_problem_opts *o, ob_error *err);
    /* f(x); when g is not NULL also the gradient g (dim), and when gnorm2 is not NULL
     * also ||g||^2 (fused into the same pass where it matters, as in the quadratic). */
    double (*fdf)(const ob_problem *p, const double *x, double *g, double *gnorm2);
    /* Finite sums only (NULL otherwise): (1/b) sum_{i in idx} f_i(x) and its gradient,
     * with the same regularization as fdf, so that E[batch] = full. */
    double (*fdf_batch)(const ob_problem *p, const double *x, double *g, const size_t *idx,
                        size_t b);
    /* Finite sums only (NULL otherwise): the variance of one sample's gradient at x,
     * V(x) = (1/N) sum_i ||grad f_i(x) - grad f(x)||^2 (the regularizer, the same in every
     * term, cancels).  A b-sample batch drawn without replacement has variance
     * V(x) (N-b)/(b(N-1)): the sigma^2 of the SGD theorem (optbench rate). */
    double (*grad_var)(const ob_problem *p, const double *x);
    /* The exact Hessian-vector product hv = H(x) v (dim each) from the analytic second
     * derivatives, of the full objective (finite sums: the mean over all N terms plus the
     * l2 term).  Pure; hv is filled with NaN when a scratch allocation fails. */
    void (*hvp)(const ob_problem *p, const double *x, const double *v, double *hv);
    /* 2-D problems whose minimizers form a curve, not isolated points (NULL otherwise:
     * x_star is the minimizer the figures mark): points (x1, x2) of the curve inside box
     * (xmin, xmax, ymin, ymax), two doubles a point, at most cap points, its branches
     * separated by a point of NaNs; returns how many points it wrote.  The figures draw
     * the curve beside x_star (one point of it). */
    size_t (*minimizer_curve)(const ob_problem *p, const double box[4], double *xy, size_t cap);
    void (*free)(ob_problem *p); /* frees p->impl */
} ob_problem_type;

struct ob_problem {
    const ob_problem_type *type;
    size_t dim;
    size_t n_samples;     /* finite sums: number of terms; 0 otherwise */
    double *x0;           /* default start (dim), malloc'ed */
    double *x_star;       /* a minimizer (dim) or NULL when unknown / not attained */
    double f_star;        /* see f_star_kind */
    ob_fstar_kind f_star_kind;
    double L;             /* gradient Lipschitz constant; NaN when not global */
    char L_source[160];   /* how L was obtained, or why there is none */
    double *shift;        /* (dim) the shift of a shifted instance (shift_radius), or NULL:
                             f(x) = f_textbook(x - shift), x_star = shift */
    int has_box;          /* 2-D problems: a plotting box */
    double box[4];        /* xmin, xmax, ymin, ymax */
    void *impl;           /* the problem's own data */
};

extern const ob_problem_type *const ob_problem_types[]; /* NULL-terminated */

/* NULL when there is no such problem. */
const ob_problem_type *ob_problem_find(const char *name);

/* T's option called name, or NULL when T does not read it. */
const ob_problem_option *ob_problem_option_find(const ob_problem_type *T, const char *name);

/* Creates an instance; on failure err says why (e.g. "--kappa must be >= 1, got 0.5"). */
ob_status ob_problem_create(ob_problem *p, const ob_problem_type *T, const ob_problem_opts *o,
                            ob_error *err);
void ob_problem_free(ob_problem *p);

/* Convenience: f only. */
static inline double ob_problem_f(const ob_problem *p, const double *x)
{
    return p->type->fdf(p, x, NULL, NULL);
}

/* Convenience: hv = H(x) v. */
static inline void ob_problem_hvp(const ob_problem *p, const double *x, const double *v,
                                  double *hv)
{
    p->type->hvp(p, x, v, hv);
}

#endif
