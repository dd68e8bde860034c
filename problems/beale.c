/* beale.c - Beale's function, a 2-D test surface with a narrow curved valley.
 *
 * f(x,y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2
 * (Beale 1958, "On an iterative method for finding a local minimum of a function of more
 * than one variable", Tech. Rep. 25, Statistical Techniques Research Group, Princeton;
 * the form used in the Surjanovic & Bingham virtual library of test functions).
 * Global minimum f = 0 at (3, 0.5); flat plateaus and steep walls make it a classic
 * picture for adaptive methods. */
#include "problems/problem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const double beale_c[3] = {1.5, 2.25, 2.625}; /* the three targets */

/* With t_k = c_k - x + x y^k (k = 1,2,3), f = sum t_k^2,
 * df/dx = sum 2 t_k (y^k - 1),  df/dy = sum 2 t_k k x y^(k-1). */
static double beale_fdf(const ob_problem *p, const double *v, double *g, double *gnorm2)
{
    (void)p;
    double x = v[0], y = v[1], f = 0, gx = 0, gy = 0;
    double yk1 = 1.0; /* y^(k-1) */
    for (int k = 1; k <= 3; k++) {
        double yk = yk1 * y;
        double t = beale_c[k - 1] - x + x * yk;
        f += t * t;
        gx += 2.0 * t * (yk - 1.0);
        gy += 2.0 * t * k * x * yk1;
        yk1 = yk;
    }
    if (g) {
        g[0] = gx;
        g[1] = gy;
        if (gnorm2) *gnorm2 = ob_sum_sq(g, 2);
    }
    return f;
}

static ob_status beale_init(ob_problem *p, const ob_problem_opts *o, ob_error *err)
{
    if (o->dim != 0 && o->dim != 2)
        return ob_fail(err, OB_EINVAL, "--dim must be 2 for beale (it is a 2-D surface), got %zu",
                       o->dim);
    p->dim = 2;
    p->x0 = malloc(2 * sizeof *p->x0);
    p->x_star = malloc(2 * sizeof *p->x_star);
    if (!p->x0 || !p->x_star) return ob_fail(err, OB_ENOMEM, "beale: out of memory");
    p->x0[0] = 1.0, p->x0[1] = 1.0;
    p->x_star[0] = 3.0, p->x_star[1] = 0.5; /* all three t_k vanish: 1.5-3+1.5, 2.25-3+.75, ... */
    p->f_star = 0.0;
    p->f_star_kind = OB_FSTAR_EXACT;
    p->L = NAN;
    snprintf(p->L_source, sizeof p->L_source,
             "not globally L-smooth: a polynomial of degree 8 whose Hessian grows without bound");
    p->has_box = 1;
    p->box[0] = -4.5, p->box[1] = 4.5, p->box[2] = -4.5, p->box[3] = 4.5;
    return OB_OK;
}

static const ob_problem_option beale_options[] = {
    OB_POPT_DIM("2"),
    OB_POPT_END,
};


/* f = sum_k t_k^2, H = sum_k 2 (grad t_k grad t_k^T + t_k Hess t_k), with
 * grad t_k = (y^k - 1, k x y^(k-1)) and Hess t_k = [[0, k y^(k-1)], [k y^(k-1),
 * k (k-1) x y^(k-2)]]. */
static void beale_hvp(const ob_problem *p, const double *w, const double *v, double *hv)
{
    (void)p;
    double x = w[0], y = w[1], hxx = 0, hxy = 0, hyy = 0;
    double ykm2 = 0, ykm1 = 1.0; /* y^(k-2) (its factor k (k-1) is 0 at k = 1), y^(k-1) */
    for (int k = 1; k <= 3; k++) {
        double yk = ykm1 * y;
        double t = beale_c[k - 1] - x + x * yk;
        double tx = yk - 1.0, ty = k * x * ykm1;
        hxx += 2.0 * tx * tx;
        hxy += 2.0 * (tx * ty + t * k * ykm1);
        hyy += 2.0 * (ty * ty + t * k * (k - 1) * x * ykm2);
        ykm2 = ykm1;
        ykm1 = yk;
    }
    hv[0] = hxx * v[0] + hxy * v[1];
    hv[1] = hxy * v[0] + hyy * v[1];
}

const ob_problem_type ob_problem_beale = {
    .name = "beale",
    .formula = "(1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2",
    .citation = "Beale 1958, Tech. Rep. 25, Statistical Techniques Research Group, Princeton",
    .options = beale_options,
    .init = beale_init,
    .fdf = beale_fdf,
    .fdf_batch = NULL,
    .hvp = beale_hvp,
    .free = NULL,
};
