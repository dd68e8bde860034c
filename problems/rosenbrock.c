/* rosenbrock.c - the n-dimensional Rosenbrock chain (the banana valley).
 *
 * f(x) = sum_{i=1}^{n-1} [100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2]
 * (Rosenbrock 1960, "An automatic method for finding the greatest or least value of a
 * function", The Computer Journal 3(3):175-184, for n = 2; the chained "extended" form
 * of Dixon & Mills 1994 / scipy.optimize.rosen for n > 2).  The minimum f = 0 is at
 * x = (1,...,1); for 4 <= n <= 7 there is also a local minimum near x_1 = -1. */
#include "problems/problem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* With u_i = x_{i+1} - x_i^2 (0-based i = 0..n-2):
 *   df/dx_i = -400 x_i u_i - 2 (1 - x_i)   (from term i)
 *           + 200 u_{i-1}                   (from term i-1, when i >= 1). */
static double rosenbrock_fdf(const ob_problem *p, const double *x, double *g, double *gnorm2)
{
    size_t n = p->dim;
    double f = 0;
    if (g) g[0] = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double u = x[i + 1] - x[i] * x[i], v = 1.0 - x[i];
        f += 100.0 * u * u + v * v;
        if (g) {
            g[i] += -400.0 * x[i] * u - 2.0 * v;
            g[i + 1] = 200.0 * u;
        }
    }
    if (g && gnorm2) *gnorm2 = ob_sum_sq(g, n);
    return f;
}

static ob_status rosenbrock_init(ob_problem *p, const ob_problem_opts *o, ob_error *err)
{
    size_t n = o->dim ? o->dim : 2;
    if (n < 2)
        return ob_fail(err, OB_EINVAL, "--dim must be >= 2 for rosenbrock (a chain of pairs), got %zu",
                       n);
    if (n > SIZE_MAX / 2 / sizeof(double))
        return ob_fail(err, OB_EINVAL, "--dim %zu is too large for rosenbrock", n);
    p->dim = n;
    p->x0 = malloc(n * sizeof *p->x0);
    p->x_star = malloc(n * sizeof *p->x_star);
    if (!p->x0 || !p->x_star)
        return ob_fail(err, OB_ENOMEM, "rosenbrock: out of memory for --dim %zu", n);
    for (size_t i = 0; i < n; i++) {
        p->x0[i] = i % 2 == 0 ? -1.2 : 1.0; /* Rosenbrock's start (-1.2, 1), repeated */
        p->x_star[i] = 1.0;
    }
    p->f_star = 0.0;
    p->f_star_kind = OB_FSTAR_EXACT;
    p->L = NAN;
    snprintf(p->L_source, sizeof p->L_source,
             "not globally L-smooth: the Hessian entry 1200 x_i^2 - 400 x_{i+1} + 2 is unbounded");
    if (n == 2) {
        p->has_box = 1;
        p->box[0] = -2.0, p->box[1] = 2.0, p->box[2] = -1.0, p->box[3] = 3.0;
    }
    return OB_OK;
}

static const ob_problem_option rosenbrock_options[] = {
    OB_POPT_DIM("2"),
    OB_POPT_END,
};

/* Each pair's term 100 u^2 + (1 - x_i)^2, u = x_{i+1} - x_i^2, has the Hessian block
 *   d2/dx_i^2 = 1200 x_i^2 - 400 x_{i+1} + 2,  d2/dx_i dx_{i+1} = -400 x_i,
 *   d2/dx_{i+1}^2 = 200;  hv adds block * (v_i, v_{i+1}) over the chain. */
static void rosenbrock_hvp(const ob_problem *p, const double *x, const double *v, double *hv)
{
    size_t n = p->dim;
    for (size_t i = 0; i < n; i++) hv[i] = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double a = 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0, b = -400.0 * x[i];
        hv[i] += a * v[i] + b * v[i + 1];
        hv[i + 1] += b * v[i] + 200.0 * v[i + 1];
    }
}

const ob_problem_type ob_problem_rosenbrock = {
    .name = "rosenbrock",
    .formula = "sum_{i<n} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2",
    .citation = "Rosenbrock 1960, The Computer Journal 3(3):175-184 (chained form for n > 2)",
    .options = rosenbrock_options,
    .init = rosenbrock_init,
    .fdf = rosenbrock_fdf,
    .fdf_batch = NULL,
    .hvp = rosenbrock_hvp,
    .free = NULL,
};
