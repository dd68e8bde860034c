/* problem.c - the registry of analytic problems and the create/free wrapper.
 *
 * As in GSL multimin, a problem is a const type; the wrapper owns the instance's life:
 * it zeroes the struct, sets the defaults every problem shares, checks the options that
 * mean the same thing for every problem, and only then calls the type's init. */
#include "problems/problem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

extern const ob_problem_type ob_problem_saddle, ob_problem_quadratic, ob_problem_rosenbrock,
    ob_problem_quadratic_deep, ob_problem_beale, ob_problem_rastrigin, ob_problem_logreg,
    ob_problem_lsq;

/* In the order `optbench list` shows them: 2-D surfaces, then scalable ones, then sums. */
const ob_problem_type *const ob_problem_types[] = {
    &ob_problem_saddle,     &ob_problem_rosenbrock, &ob_problem_beale,
    &ob_problem_rastrigin,  &ob_problem_quadratic,  &ob_problem_quadratic_deep,
    &ob_problem_logreg,     &ob_problem_lsq,        NULL,
};

const ob_problem_type *ob_problem_find(const char *name)
{
    for (size_t i = 0; name && ob_problem_types[i]; i++)
        if (strcmp(ob_problem_types[i]->name, name) == 0) return ob_problem_types[i];
    return NULL;
}

const ob_problem_option *ob_problem_option_find(const ob_problem_type *T, const char *name)
{
    for (const ob_problem_option *o = T->options; o && o->name; o++)
        if (strcmp(o->name, name) == 0) return o;
    return NULL;
}

/* Options whose accepted range is the same wherever they are read. */
static ob_status check_generic(const ob_problem_opts *o, ob_error *err)
{
    if (o->kappa != 0 && !(o->kappa >= 1 && isfinite(o->kappa)))
        return ob_fail(err, OB_EINVAL, "--kappa must be a finite number >= 1, got %g", o->kappa);
    if (!(o->l2 >= 0 && isfinite(o->l2)))
        return ob_fail(err, OB_EINVAL, "--l2 must be a finite number >= 0, got %g", o->l2);
    if (o->data && !o->data[0]) return ob_fail(err, OB_EINVAL, "--data needs a file name");
    return OB_OK;
}

/* The shift of a type whose textbook minimizer is the origin (shift_radius r): x* ~
 * U(-r, r)^n from the instance seed (GSL's taus2, a stream apart from the mt19937 of the
 * rotations and data), and x0, x_star and the plotting box moved by it. */
static ob_status shift_instance(ob_problem *p, const ob_problem_opts *o, ob_error *err)
{
    const double r = p->type->shift_radius;
    const size_t n = p->dim;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
    p->shift = malloc(n * sizeof *p->shift);
    if (!p->x_star) p->x_star = calloc(n, sizeof *p->x_star);
    if (!g || !p->shift || !p->x_star) {
        gsl_rng_free(g);
        return ob_fail(err, OB_ENOMEM, "%s: out of memory for the shift", p->type->name);
    }
    gsl_rng_set(g, o->seed);
    for (size_t i = 0; i < n; i++) {
        p->shift[i] = r * (2.0 * gsl_rng_uniform(g) - 1.0); /* U(-r, r) */
        p->x0[i] += p->shift[i];
        p->x_star[i] += p->shift[i]; /* the textbook x* is 0 */
    }
    gsl_rng_free(g);
    if (p->has_box && n == 2)
        for (int k = 0; k < 4; k++) p->box[k] += p->shift[k / 2];
    return OB_OK;
}

ob_status ob_problem_create(ob_problem *p, const ob_problem_type *T, const ob_problem_opts *o,
                            ob_error *err)
{
    static const ob_problem_opts defaults; /* all zero: every problem's own defaults */
    memset(p, 0, sizeof *p);
    if (!T) return ob_fail(err, OB_EINVAL, "no problem type given");
    if (!o) o = &defaults;
    p->type = T;
    p->L = NAN;
    p->f_star = NAN;
    p->f_star_kind = OB_FSTAR_UNKNOWN;
    ob_status s = check_generic(o, err);
    if (s == OB_OK) s = T->init(p, o, err);
    if (s == OB_OK && (p->dim == 0 || !p->x0))
        s = ob_fail(err, OB_EINVAL, "%s: init left no dimension or start point", T->name);
    if (s == OB_OK && T->shift_radius > 0 && !o->textbook) s = shift_instance(p, o, err);
    if (s != OB_OK) {
        /* a failed init may leave partial allocations in p: release them here, once */
        ob_problem_free(p);
        p->type = T;
    }
    return s;
}

void ob_problem_free(ob_problem *p)
{
    if (!p) return;
    if (p->type && p->type->free && p->impl) p->type->free(p);
    free(p->x0);
    free(p->x_star);
    free(p->shift);
    memset(p, 0, sizeof *p);
}
