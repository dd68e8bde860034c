/* gsl_multimin.c - GSL's quasi-Newton and conjugate-gradient minimizers as reference
 * lines: gsl-bfgs (gsl_multimin_fdfminimizer_vector_bfgs2, Fletcher's BFGS with a
 * Moré-Thuente-style line search) and gsl-cg (conjugate_pr, Polak-Ribière).
 *
 * One step() is one GSL iterate: a line search that may evaluate f and g several
 * times, so these are compared with the others by gradient evaluations, not by steps
 * (the harness counts evaluations through the objective).  lr is GSL's first trial
 * step length; --tol its line-search tolerance (0.1 as GSL's manual recommends).
 * Float64 parameters only. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <string.h>

#include "optimizers/optimizer.h"

typedef struct {
    const gsl_multimin_fdfminimizer_type *kind;
    gsl_multimin_fdfminimizer *m;
    gsl_vector *x0;
    gsl_vector *scratch;        /* gradient output for f-only calls */
    gsl_multimin_function_fdf fn;
    ob_objective obj;           /* the objective being minimized (set on step 1) */
    double tol;
    int stalled;
} gslmin_state;

static double call_f(const gsl_vector *x, void *p)
{
    gslmin_state *s = p;
    /* GSL asks for f alone during the line search; ob_objective computes both, and the
     * harness counts each call as one gradient evaluation (honest for the comparison). */
    return s->obj.fdf(s->obj.ctx, x->data, s->scratch->data);
}

static void call_df(const gsl_vector *x, void *p, gsl_vector *g)
{
    gslmin_state *s = p;
    s->obj.fdf(s->obj.ctx, x->data, g->data);
}

static void call_fdf(const gsl_vector *x, void *p, double *f, gsl_vector *g)
{
    gslmin_state *s = p;
    *f = s->obj.fdf(s->obj.ctx, x->data, g->data);
}

static ob_status gslmin_alloc_kind(gslmin_state *s, size_t n,
                                   const gsl_multimin_fdfminimizer_type *kind)
{
    s->kind = kind;
    s->tol = 0.1;
    s->m = gsl_multimin_fdfminimizer_alloc(kind, n);
    s->x0 = gsl_vector_alloc(n);
    s->scratch = gsl_vector_alloc(n);
    return s->m && s->x0 && s->scratch ? OB_OK : OB_ENOMEM;
}

static ob_status bfgs_alloc(void *state, size_t n, const ob_hparams *h)
{
    (void)h;
    return gslmin_alloc_kind(state, n, gsl_multimin_fdfminimizer_vector_bfgs2);
}

static ob_status cg_alloc(void *state, size_t n, const ob_hparams *h)
{
    (void)h;
    return gslmin_alloc_kind(state, n, gsl_multimin_fdfminimizer_conjugate_pr);
}

static void gslmin_free(void *state)
{
    gslmin_state *s = state;
    if (s->m) gsl_multimin_fdfminimizer_free(s->m);
    if (s->x0) gsl_vector_free(s->x0);
    if (s->scratch) gsl_vector_free(s->scratch);
}

static ob_status gslmin_step(void *state, void *x, const void *g, size_t n, ob_dtype dt,
                             double lr, long t, const ob_objective *obj)
{
    (void)g;
    (void)dt;
    gslmin_state *s = state;
    if (s->stalled) return OB_STALLED;
    if (t == 1) {
        s->obj = *obj;
        s->fn = (gsl_multimin_function_fdf){
            .f = call_f, .df = call_df, .fdf = call_fdf, .n = n, .params = s};
        memcpy(s->x0->data, x, n * sizeof(double));
        if (gsl_multimin_fdfminimizer_set(s->m, &s->fn, s->x0, lr, s->tol) != GSL_SUCCESS)
            return OB_EINVAL;
    }
    int rc = gsl_multimin_fdfminimizer_iterate(s->m);
    memcpy(x, gsl_multimin_fdfminimizer_x(s->m)->data, n * sizeof(double));
    if (rc != GSL_SUCCESS) {
        /* GSL_ENOPROG: the line search found no lower point (at the minimum, or stuck);
         * the harness tells a non-finite loss (diverged) from a stall by f itself */
        s->stalled = 1;
        return OB_STALLED;
    }
    return OB_OK;
}

static const ob_hp_option gslmin_options[] = {
    OB_HP_LR(1e-2, "GSL's first trial step length"),
    OB_HP_END,
};

const ob_optimizer_type ob_opt_gsl_bfgs = {
    .name = "gsl-bfgs",
    .summary = "reference: GSL vector_bfgs2 (quasi-Newton + line search), by evaluations",
    .options = gslmin_options,
    .state_size = sizeof(gslmin_state),
    .needs_objective = 1,
    .f64_only = 1,
    .reference = 1,
    .alloc = bfgs_alloc,
    .step = gslmin_step,
    .free = gslmin_free,
};

const ob_optimizer_type ob_opt_gsl_cg = {
    .name = "gsl-cg",
    .summary = "reference: GSL conjugate_pr (Polak-Ribiere CG + line search), by evaluations",
    .options = gslmin_options,
    .state_size = sizeof(gslmin_state),
    .needs_objective = 1,
    .f64_only = 1,
    .reference = 1,
    .alloc = cg_alloc,
    .step = gslmin_step,
    .free = gslmin_free,
};
