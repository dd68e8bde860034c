/* runsharp.c - an analytic run's sharpness observer (see runsharp.h). */
#include "runs/runsharp.h"

#include <stdlib.h>

#include "optimizers/threshold.h"

ob_status ob_runsharp_init(ob_runsharp *s, const ob_run_config *c, ob_error *err)
{
    *s = (ob_runsharp){.c = c};
    const ob_problem *p = c->prob;
    if (!p->type->hvp)
        return ob_fail(err, OB_EINVAL, "--sharpness-every: %s has no Hessian-vector product",
                       p->type->name);
    if (!(s->P = malloc(p->dim * sizeof *s->P)))
        return ob_fail(err, OB_ENOMEM, "out of memory for a run in %zu dimensions", p->dim);
    ob_status st = ob_sharpness_alloc(&s->est, p->dim, c->sharpness_products, 0, c->seed, err);
    if (st != OB_OK) {
        free(s->P);
        s->P = NULL;
    }
    return st;
}

void ob_runsharp_free(ob_runsharp *s)
{
    if (!s->P) return;
    ob_sharpness_free(&s->est);
    free(s->P);
    s->P = NULL;
}

/* the exact Hessian-vector product of the problem at x: an ob_hvp_fn */
typedef struct {
    const ob_problem *p;
    const double *x;
} hvp_at;

static ob_status problem_hvp(void *ctx, const double *v, double *hv, ob_error *err)
{
    (void)err;
    const hvp_at *a = ctx;
    a->p->type->hvp(a->p, a->x, v, hv);
    return OB_OK;
}

/* Cohen et al. 2021, 2022: the top eigenvalue of H, or of P^-1 H for adam-family rules,
 * against the rule's threshold at the learning rate of the next update */
int ob_runsharp_measure(void *ctx, const ob_probe *p, ob_row *r)
{
    ob_runsharp *s = ctx;
    const ob_run_config *c = s->c;
    const size_t n = c->prob->dim;
    int pre = 0;
    r->threshold = ob_stability_threshold(c->opt, &c->h, p->next_lr, &pre);
    if (pre && ob_stability_precond(p->o, s->P, NULL) != OB_OK) return 0; /* row 0 */
    for (size_t i = 0; pre && i < n; i++)
        if (!(s->P[i] > 0)) return 0; /* eps 0 and a zero v_i: P^-1 H is unbounded */
    hvp_at a = {c->prob, p->x};
    ob_sharp_est e;
    if (ob_sharpness_estimate(&s->est, problem_hvp, &a, pre ? s->P : NULL, &e, NULL) != OB_OK)
        return 1;
    r->sharpness = e.lambda;
    r->sharpness_residual = e.residual;
    r->sharpness_products = e.products;
    return 0;
}
