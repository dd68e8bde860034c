/* landscape.c - checkpoints, interpolations, slices and directions of a network's loss
 * landscape (see landscape.h). */
#include "nets/landscape.h"

#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ob_ckpts_free(ob_ckpts *c)
{
    free(c->theta);
    free(c->step);
    *c = (ob_ckpts){0};
}

/* ---- checkpoints along one run of the training loop ---------------------------------- */

typedef struct {
    ob_ckpts *ck;
    long every, epochs;
    const ob_train_observer *echo;
    int oom;
} keeper;

static void push(keeper *k, const ob_mlp *m, long step)
{
    ob_ckpts *ck = k->ck;
    if (k->oom || (ck->n && ck->step[ck->n - 1] == step)) return; /* kept already */
    if (ck->n == ck->cap) {
        size_t cap = ck->cap ? 2 * ck->cap : 16;
        double *th = realloc(ck->theta, cap * ck->P * sizeof *th);
        if (th) ck->theta = th;
        long *st = th ? realloc(ck->step, cap * sizeof *st) : NULL;
        if (st) ck->step = st;
        if (!th || !st) {
            k->oom = 1;
            return;
        }
        ck->cap = cap;
    }
    ob_landscape_get(m, ck->theta + ck->n * ck->P);
    ck->step[ck->n++] = step;
}

/* theta_t before update t: theta_0, and every `every` updates */
static void keep_before(void *ctx, ob_mlp *m, long t)
{
    keeper *k = ctx;
    if (t == 0 || (k->every > 0 && t % k->every == 0)) push(k, m, t);
}

/* after each epoch (every = 0), and after the last one: theta_T */
static void keep_epoch(void *ctx, const ob_mlp *m, long epoch, long step)
{
    keeper *k = ctx;
    if (k->every == 0 || epoch == k->epochs) push(k, m, step);
}

static ob_status echo_row(void *ctx, const ob_train_row *r, ob_error *err)
{
    const keeper *k = ctx;
    return k->echo && k->echo->row ? k->echo->row(k->echo->ctx, r, err) : OB_OK;
}

static void echo_progress(void *ctx, long epoch, size_t b, size_t nb, double loss)
{
    const keeper *k = ctx;
    if (k->echo && k->echo->progress) k->echo->progress(k->echo->ctx, epoch, b, nb, loss);
}

ob_status ob_landscape_train(const ob_train_config *c, const ob_splits *data, long every,
                             const ob_train_observer *echo, ob_ckpts *out, ob_train_result *res,
                             ob_error *err)
{
    *out = (ob_ckpts){0};
    if (every < 0) return ob_fail(err, OB_EINVAL, "the checkpoint interval must be >= 0");
    size_t P = 0; /* the parameter count: sum over layers of out*(in + 1) */
    for (size_t l = 0; l < c->spec.n_layers; l++)
        P += c->spec.sizes[l + 1] * (c->spec.sizes[l] + 1);
    out->P = P;
    keeper k = {.ck = out, .every = every, .epochs = c->epochs, .echo = echo};
    ob_train_observer obs = {.row = echo_row, .progress = echo_progress,
                             .before_update = keep_before, .epoch_end = keep_epoch, .ctx = &k};
    ob_status st = ob_train(c, data, &obs, res, err);
    if (st == OB_OK && k.oom) st = ob_fail(err, OB_ENOMEM, "out of memory keeping checkpoints");
    if (st != OB_OK) ob_ckpts_free(out);
    return st;
}

/* ---- parameters as doubles ------------------------------------------------------------ */

void ob_landscape_get(const ob_mlp *m, double *theta)
{
    if (m->dtype == OB_F32) {
        const float *p = m->params;
        for (size_t i = 0; i < m->n_params; i++) theta[i] = p[i];
    } else {
        memcpy(theta, m->params, m->n_params * sizeof *theta);
    }
}

void ob_landscape_set(ob_mlp *m, double a, const double *u, double b, const double *v, double c,
                      const double *w)
{
    const size_t P = m->n_params;
    float *pf = m->dtype == OB_F32 ? m->params : NULL;
    double *pd = m->dtype == OB_F32 ? NULL : m->params;
    for (size_t i = 0; i < P; i++) {
        double s = a * u[i] + b * v[i];
        if (w) s += c * w[i];
        if (pf) pf[i] = (float)s;
        else pd[i] = s;
    }
}

/* ---- evaluations along a line and over a plane ---------------------------------------- */

void ob_landscape_interp(ob_mlp *m, const ob_dataset *ds, const double *theta0,
                         const double *theta1, const double *alpha, size_t n, double *loss,
                         double *acc)
{
    for (size_t k = 0; k < n; k++) {
        /* theta(a) = (1 - a) theta_0 + a theta_1 (Goodfellow et al. 2015): a = 0 and a = 1
         * give theta_0 and theta_1 exactly, not theta_0 + 1 (theta_1 - theta_0) */
        ob_landscape_set(m, 1 - alpha[k], theta0, alpha[k], theta1, 0, NULL);
        ob_evaluate(m, ds, &loss[k], &acc[k]);
    }
}

void ob_landscape_grid(ob_mlp *m, const ob_dataset *ds, const double *theta, const double *d1,
                       const double *d2, const double *xs, size_t nx, const double *ys,
                       size_t ny, double *loss, double *acc, void (*progress)(void *), void *ctx)
{
    for (size_t j = 0; j < ny; j++)
        for (size_t i = 0; i < nx; i++) {
            /* f(theta + x d1 + y d2) (Li et al. 2018, eq. 2) */
            ob_landscape_set(m, 1, theta, xs[i], d1, ys[j], d2);
            ob_evaluate(m, ds, &loss[j * nx + i], &acc[j * nx + i]);
            if (progress) progress(ctx);
        }
}

void ob_landscape_linspace(double lo, double hi, size_t n, double *out)
{
    for (size_t k = 0; k < n; k++) {
        double v = n == 1 ? lo : lo + (hi - lo) * (double)k / (double)(n - 1);
        const double tol = 1e-12 * fabs(hi - lo);
        if (fabs(v) <= tol) v = 0;
        if (fabs(v - 1) <= tol) v = 1;
        out[k] = v;
    }
}

/* ---- directions ------------------------------------------------------------------------- */

void ob_landscape_filter_normalize(const ob_mlp *m, const double *theta, double *d)
{
    const ob_mlp_spec *s = &m->spec;
    for (size_t l = 0; l < s->n_layers; l++) {
        const size_t out = s->sizes[l + 1], in = s->sizes[l];
        for (size_t r = 0; r < out; r++) { /* filter r of layer l: row r of W_l (out, in) */
            double *dr = d + m->w_off[l] + r * in;
            const double *tr = theta + m->w_off[l] + r * in;
            const double nd = sqrt(ob_sum_sq(dr, in)), nt = sqrt(ob_sum_sq(tr, in));
            if (nd > 0)
                for (size_t c = 0; c < in; c++) dr[c] *= nt / nd; /* eq. 3: d ||theta|| / ||d|| */
        }
        memset(d + m->b_off[l], 0, out * sizeof *d); /* biases stay where they are */
    }
}

void ob_landscape_random_dirs(const ob_mlp *m, const double *theta, unsigned long seed,
                              double *d1, double *d2)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, seed);
    for (size_t i = 0; i < m->n_params; i++) d1[i] = gsl_ran_gaussian_ziggurat(r, 1);
    for (size_t i = 0; i < m->n_params; i++) d2[i] = gsl_ran_gaussian_ziggurat(r, 1);
    gsl_rng_free(r);
    ob_landscape_filter_normalize(m, theta, d1);
    ob_landscape_filter_normalize(m, theta, d2);
}

ob_status ob_landscape_pca(const ob_ckpts *ck, double *d1, double *d2, double explained[2],
                           ob_error *err)
{
    const size_t P = ck->P;
    if (ck->n < 3)
        return ob_fail(err, OB_EINVAL, "the principal directions need at least 3 checkpoints "
                       "(theta_0, one more, theta_T), got %zu: keep them more often", ck->n);
    const size_t k = ck->n - 1;
    if (P < k)
        return ob_fail(err, OB_EINVAL, "%zu checkpoints for %zu parameters: the principal "
                       "directions need at most one checkpoint per parameter", ck->n, P);
    const double *last = ck->theta + k * P;
    gsl_matrix *A = gsl_matrix_alloc(P, k), *X = gsl_matrix_alloc(k, k), *V = gsl_matrix_alloc(k, k);
    gsl_vector *S = gsl_vector_alloc(k), *work = gsl_vector_alloc(k);
    ob_status st = OB_OK;
    if (!A || !X || !V || !S || !work) {
        st = ob_fail(err, OB_ENOMEM, "out of memory (the %zu x %zu checkpoint matrix)", P, k);
        goto done;
    }
    for (size_t c = 0; c < k; c++) /* column c: theta_c - theta_T (Li et al. 2018, Section 7) */
        for (size_t i = 0; i < P; i++) gsl_matrix_set(A, i, c, ck->theta[c * P + i] - last[i]);
    /* M = U S V^T; U (P, k) overwrites A; S descending */
    if (gsl_linalg_SV_decomp_mod(A, X, V, S, work) != GSL_SUCCESS) {
        st = ob_fail(err, OB_EDATA, "the SVD of the checkpoint matrix failed (non-finite "
                     "parameters?)");
        goto done;
    }
    double total = 0;
    for (size_t c = 0; c < k; c++) total += gsl_vector_get(S, c) * gsl_vector_get(S, c);
    double *dir[2] = {d1, d2};
    for (size_t c = 0; c < 2; c++) {
        double sv = c < k ? gsl_vector_get(S, c) : 0;
        explained[c] = total > 0 ? sv * sv / total : 0;
        double proj = 0; /* <theta_0 - theta_T, u_c>: the start on the positive side */
        for (size_t i = 0; i < P; i++) {
            dir[c][i] = c < k ? gsl_matrix_get(A, i, c) : 0;
            proj += (ck->theta[i] - last[i]) * dir[c][i];
        }
        if (proj < 0)
            for (size_t i = 0; i < P; i++) dir[c][i] = -dir[c][i];
        if (!(fabs(sqrt(ob_sum_sq(dir[c], P)) - 1) < 1e-6))
            st = ob_fail(err, OB_EDATA, "the path spans fewer than two directions (singular "
                         "value %zu is %g): no plane to draw", c + 1, sv);
    }
done:
    gsl_matrix_free(A);
    gsl_matrix_free(X);
    gsl_matrix_free(V);
    gsl_vector_free(S);
    gsl_vector_free(work);
    return st;
}

void ob_landscape_project(const ob_ckpts *ck, const double *d1, const double *d2, double *x,
                          double *y)
{
    const size_t P = ck->P;
    const double *last = ck->theta + (ck->n - 1) * P;
    for (size_t k = 0; k < ck->n; k++) { /* in order, one pass: the same bits every time */
        const double *t = ck->theta + k * P;
        double sx = 0, sy = 0;
        for (size_t i = 0; i < P; i++) {
            sx += (t[i] - last[i]) * d1[i];
            sy += (t[i] - last[i]) * d2[i];
        }
        x[k] = sx, y[k] = sy;
    }
}
