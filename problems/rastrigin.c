/* rastrigin.c - Rastrigin's function: a bowl covered in a lattice of local minima.
 *
 * f(x) = 10 n + sum_i [x_i^2 - 10 cos(2 pi x_i)]
 * (Rastrigin 1974, "Systems of extremal control", Nauka, for n = 2; generalized to n
 * dimensions by Muehlenbein, Schomisch & Born 1991, Parallel Computing 17:619-632).
 * Global minimum f = 0 at x = 0; local minima near every integer point.  Shifted by
 * default (problem.h's shift_radius): f(x) = f_textbook(x - x*), x* drawn from --seed;
 * --shift 0 keeps x* = 0. */
#include "problems/problem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define TWO_PI 6.283185307179586476925286766559

/* term_i = x_i^2 + 10 (1 - cos(2 pi x_i)): the 10 n is split over the terms so that
 * f(0) is exactly 0.  df/dx_i = 2 x_i + 20 pi sin(2 pi x_i). */
static double rastrigin_fdf(const ob_problem *p, const double *x, double *g, double *gnorm2)
{
    double f = 0;
    for (size_t i = 0; i < p->dim; i++) {
        double z = p->shift ? x[i] - p->shift[i] : x[i], a = TWO_PI * z;
        f += z * z + 10.0 * (1.0 - cos(a));
        if (g) g[i] = 2.0 * z + 10.0 * TWO_PI * sin(a);
    }
    if (g && gnorm2) *gnorm2 = ob_sum_sq(g, p->dim);
    return f;
}

static ob_status rastrigin_init(ob_problem *p, const ob_problem_opts *o, ob_error *err)
{
    size_t n = o->dim ? o->dim : 2;
    if (n > SIZE_MAX / 2 / sizeof(double))
        return ob_fail(err, OB_EINVAL, "--dim %zu is too large for rastrigin", n);
    p->dim = n;
    p->x0 = malloc(n * sizeof *p->x0);
    p->x_star = calloc(n, sizeof *p->x_star); /* x* = 0 */
    if (!p->x0 || !p->x_star)
        return ob_fail(err, OB_ENOMEM, "rastrigin: out of memory for --dim %zu", n);
    /* 3.2 sits on the slope of the local minimum near 3 (at about 2.98), three basins away
     * from the global one: plain GD gets stuck there, momentum may hop out. */
    for (size_t i = 0; i < n; i++) p->x0[i] = 3.2;
    p->f_star = 0.0;
    p->f_star_kind = OB_FSTAR_EXACT;
    /* Hessian = diag(2 + 40 pi^2 cos(2 pi x_i)), so ||H|| <= 2 + 40 pi^2 everywhere,
     * with equality at x = 0: the bound is attained, hence exact. */
    p->L = 2.0 + 10.0 * TWO_PI * TWO_PI;
    snprintf(p->L_source, sizeof p->L_source,
             "max of the diagonal Hessian 2+40pi^2 cos(2 pi z) (attained at x*)");
    if (n == 2) {
        p->has_box = 1;
        p->box[0] = -5.12, p->box[1] = 5.12, p->box[2] = -5.12, p->box[3] = 5.12;
    }
    return OB_OK;
}

static const ob_problem_option rastrigin_options[] = {
    OB_POPT_DIM("2"),
    OB_POPT_SHIFT,
    OB_POPT_END,
};


/* H = diag(2 + 40 pi^2 cos(2 pi z_i)), z = x - shift */
static void rastrigin_hvp(const ob_problem *p, const double *x, const double *v, double *hv)
{
    for (size_t i = 0; i < p->dim; i++) {
        double z = p->shift ? x[i] - p->shift[i] : x[i];
        hv[i] = (2.0 + 10.0 * TWO_PI * TWO_PI * cos(TWO_PI * z)) * v[i];
    }
}

const ob_problem_type ob_problem_rastrigin = {
    .name = "rastrigin",
    .formula = "10 n + sum_i z_i^2 - 10 cos(2 pi z_i), z = x - x* (--shift 0: x* = 0)",
    .citation = "Rastrigin 1974 (n = 2); Muehlenbein, Schomisch & Born 1991 (n-D)",
    .options = rastrigin_options,
    .shift_radius = 4.096, /* 4/5 of the box's half-width 5.12, as COCO's [-4, 4] in [-5, 5] */
    .init = rastrigin_init,
    .fdf = rastrigin_fdf,
    .fdf_batch = NULL,
    .hvp = rastrigin_hvp,
    .free = NULL,
};
