/* saddle.c - f(w) = (1 - w1 w2)^2: a strict saddle at the origin, minima on a hyperbola.
 *
 * The smallest non-convex example of the "escaping saddle points" lecture material (e.g.
 * Ge, Huang, Jin & Yuan 2015, "Escaping from saddle points", COLT): the gradient vanishes
 * at w = 0, where the Hessian [[0,-2],[-2,0]] has eigenvalues +2 (along (1,-1)) and -2
 * (along (1,1)), and every point of the hyperbola w1 w2 = 1 is a global minimum. */
#include "problems/problem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* f = (1 - w1 w2)^2, df/dw1 = -2 (1 - w1 w2) w2, df/dw2 = -2 (1 - w1 w2) w1 */
static double saddle_fdf(const ob_problem *p, const double *w, double *g, double *gnorm2)
{
    (void)p;
    double r = 1.0 - w[0] * w[1]; /* residual of the hyperbola */
    if (g) {
        g[0] = -2.0 * r * w[1];
        g[1] = -2.0 * r * w[0];
        if (gnorm2) *gnorm2 = ob_sum_sq(g, 2);
    }
    return r * r;
}

static ob_status saddle_init(ob_problem *p, const ob_problem_opts *o, ob_error *err)
{
    if (o->dim != 0 && o->dim != 2)
        return ob_fail(err, OB_EINVAL, "--dim must be 2 for saddle (it is a 2-D surface), got %zu",
                       o->dim);
    p->dim = 2;
    p->x0 = malloc(2 * sizeof *p->x0);
    p->x_star = malloc(2 * sizeof *p->x_star);
    if (!p->x0 || !p->x_star) return ob_fail(err, OB_ENOMEM, "saddle: out of memory");
    /* Start near the stable direction (1,-1) of the saddle: GD first slides towards the
     * origin, stalls there while the small (1,1) component grows by (1 + 2 lr) per step,
     * then escapes to the minimum near (1,1) - the whole story in one picture. */
    p->x0[0] = -0.25;
    p->x0[1] = 0.3;
    p->x_star[0] = 1.0; /* one point of the minimizing hyperbola w1 w2 = 1 */
    p->x_star[1] = 1.0;
    p->f_star = 0.0;
    p->f_star_kind = OB_FSTAR_EXACT;
    p->L = NAN;
    snprintf(p->L_source, sizeof p->L_source,
             "not globally L-smooth: the Hessian grows with |w|; minimizers: the whole "
             "hyperbola w1*w2 = 1 (x_star = (1,1) is one)");
    p->has_box = 1;
    p->box[0] = -2.0, p->box[1] = 2.0, p->box[2] = -2.0, p->box[3] = 2.0;
    return OB_OK;
}

static const ob_problem_option saddle_options[] = {
    OB_POPT_DIM("2"),
    OB_POPT_END,
};


/* f = r^2, r = 1 - w1 w2: H = 2 (grad r grad r^T + r Hess r)
 *   = [[2 w2^2, 4 w1 w2 - 2], [4 w1 w2 - 2, 2 w1^2]] */
static void saddle_hvp(const ob_problem *p, const double *w, const double *v, double *hv)
{
    (void)p;
    double off = 4.0 * w[0] * w[1] - 2.0;
    hv[0] = 2.0 * w[1] * w[1] * v[0] + off * v[1];
    hv[1] = off * v[0] + 2.0 * w[0] * w[0] * v[1];
}

/* The branch w1 > 0 of the hyperbola w1 w2 = 1 inside box: w1 in [a, b] with a =
 * max(xmin, 1/ymax) and b = min(xmax, 1/ymin) (ymin <= 0: no upper end from it), sampled
 * log-uniformly (the curve bends over decades of w1); returns the points written. */
static size_t branch(const double box[4], double sign, double *xy, size_t cap)
{
    if (box[1] <= 0 || box[3] <= 0 || cap < 2) return 0;
    double a = fmax(fmax(box[0], 1.0 / box[3]), 1e-300),
           b = box[2] > 0 ? fmin(box[1], 1.0 / box[2]) : box[1];
    if (!(a < b)) return 0;
    for (size_t i = 0; i < cap; i++) {
        double w1 = a * pow(b / a, (double)i / (double)(cap - 1));
        xy[2 * i] = sign * w1;
        xy[2 * i + 1] = sign / w1;
    }
    return cap;
}

/* the minimizers: both branches of w1 w2 = 1 in box, the second (w1 < 0) found as the
 * first branch in the box mirrored through the origin */
static size_t saddle_minimizer_curve(const ob_problem *p, const double box[4], double *xy,
                                     size_t cap)
{
    (void)p;
    if (cap < 3) return 0;
    size_t half = (cap - 1) / 2, n = branch(box, 1.0, xy, half);
    const double mirrored[4] = {-box[1], -box[0], -box[3], -box[2]};
    size_t m = branch(mirrored, -1.0, xy + 2 * (n + 1), half);
    if (n && m) { /* a gap between the branches */
        xy[2 * n] = xy[2 * n + 1] = NAN;
        return n + 1 + m;
    }
    if (m) memmove(xy, xy + 2 * (n + 1), 2 * m * sizeof *xy);
    return n + m;
}

const ob_problem_type ob_problem_saddle = {
    .name = "saddle",
    .formula = "(1 - w1*w2)^2",
    .citation = "non-convex optimization lecture example; strict saddle at 0 "
                "(Ge et al. 2015, Escaping from saddle points, COLT)",
    .options = saddle_options,
    .init = saddle_init,
    .fdf = saddle_fdf,
    .fdf_batch = NULL,
    .hvp = saddle_hvp,
    .minimizer_curve = saddle_minimizer_curve,
    .free = NULL,
};
