/* landscape_study.c - one optimizer's loss-landscape study: train with checkpoints, then the
 * 1-D interpolation, the PCA plane with the projected path and the random plane (see
 * landscape.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/clock.h"
#include "nets/landscape.h"

#define EVAL_BATCH 1024 /* rows per forward pass of the evaluations */

void ob_landscape_result_free(ob_landscape_result *r)
{
    free(r->step);
    free(r->path_x); /* path_y, path_loss, path_acc share it */
    for (int k = 0; k < 4; k++) free(r->interp[k]);
    free(r->pca_x);  /* pca_y shares it */
    free(r->pca_loss);
    free(r->pca_acc);
    free(r->rnd_x);
    free(r->rnd_loss);
    free(r->rnd_acc);
    ob_train_result t = r->train;
    *r = (ob_landscape_result){.train = t};
}

static ob_status alloc_result(ob_landscape_result *r, const ob_landscape_config *c, size_t n,
                              ob_error *err)
{
    const size_t G = c->grid, G2 = G * G;
    r->n_ckpt = n;
    r->step = malloc(n * sizeof *r->step);
    r->path_x = malloc(4 * n * sizeof *r->path_x);
    int ok = r->step && r->path_x;
    for (int k = 0; k < 4; k++) ok &= (r->interp[k] = malloc(c->n_alpha * sizeof(double))) != NULL;
    r->pca_x = malloc(2 * G * sizeof *r->pca_x);
    r->rnd_x = malloc(G * sizeof *r->rnd_x);
    r->pca_loss = malloc(G2 * sizeof(double)), r->pca_acc = malloc(G2 * sizeof(double));
    r->rnd_loss = malloc(G2 * sizeof(double)), r->rnd_acc = malloc(G2 * sizeof(double));
    ok &= r->pca_x && r->rnd_x && r->pca_loss && r->pca_acc && r->rnd_loss && r->rnd_acc;
    if (!ok) return ob_fail(err, OB_ENOMEM, "out of memory");
    r->path_y = r->path_x + n, r->path_loss = r->path_y + n, r->path_acc = r->path_loss + n;
    r->pca_y = r->pca_x + G;
    return OB_OK;
}

/* The PCA plane's axes: the box of the path and the origin, each side widened by the
 * margin; a side narrower than a quarter of the other is widened to that, so that a path
 * almost on one line still gets a plane rather than a strip. */
static void pca_axes(const ob_landscape_config *c, ob_landscape_result *r)
{
    double lo[2] = {0, 0}, hi[2] = {0, 0};
    const double *p[2] = {r->path_x, r->path_y};
    for (int a = 0; a < 2; a++)
        for (size_t k = 0; k < r->n_ckpt; k++) {
            if (p[a][k] < lo[a]) lo[a] = p[a][k];
            if (p[a][k] > hi[a]) hi[a] = p[a][k];
        }
    double w[2] = {hi[0] - lo[0], hi[1] - lo[1]};
    const double wmax = w[0] > w[1] ? w[0] : w[1];
    double *axis[2] = {r->pca_x, r->pca_y};
    for (int a = 0; a < 2; a++) {
        if (w[a] < 0.25 * wmax) {
            const double mid = 0.5 * (lo[a] + hi[a]);
            w[a] = 0.25 * wmax;
            lo[a] = mid - 0.5 * w[a], hi[a] = mid + 0.5 * w[a];
        }
        if (!(w[a] > 0)) w[a] = 1; /* theta_0 = theta_T: nothing moved */
        ob_landscape_linspace(lo[a] - c->margin * w[a], hi[a] + c->margin * w[a], c->grid,
                              axis[a]);
    }
}

/* everything after the training, on the checkpoints ck */
static ob_status evaluate(const ob_landscape_config *c, const ob_ckpts *ck,
                          ob_landscape_result *r, ob_error *err)
{
    const size_t P = ck->P, G = c->grid;
    const double *theta0 = ck->theta, *thetaT = ck->theta + (ck->n - 1) * P;
    ob_mlp m;
    ob_status st = ob_mlp_alloc(&m, &c->train.spec, c->train.dtype, EVAL_BATCH, err);
    if (st != OB_OK) return st;
    double *d1 = malloc(P * sizeof *d1), *d2 = malloc(P * sizeof *d2);
    if (!d1 || !d2) {
        st = ob_fail(err, OB_ENOMEM, "out of memory");
        goto done;
    }
    ob_landscape_interp(&m, c->eval_train, theta0, thetaT, c->alpha, c->n_alpha, r->interp[0],
                        r->interp[1]);
    ob_landscape_interp(&m, c->eval_test, theta0, thetaT, c->alpha, c->n_alpha, r->interp[2],
                        r->interp[3]);
    for (size_t k = 0; k < ck->n; k++) { /* the path's own losses, off the plane too */
        r->step[k] = ck->step[k];
        ob_landscape_set(&m, 1, ck->theta + k * P, 0, thetaT, 0, NULL);
        ob_evaluate(&m, c->eval_train, &r->path_loss[k], &r->path_acc[k]);
    }
    ob_error why = {{0}};
    r->have_pca = ob_landscape_pca(ck, d1, d2, r->explained, &why) == OB_OK;
    if (r->have_pca) {
        ob_landscape_project(ck, d1, d2, r->path_x, r->path_y);
        pca_axes(c, r);
        ob_landscape_grid(&m, c->eval_train, thetaT, d1, d2, r->pca_x, G, r->pca_y, G,
                          r->pca_loss, r->pca_acc, c->point, c->ctx);
    } else {
        snprintf(r->pca_why, sizeof r->pca_why, "%s", why.msg);
        for (size_t k = 0; k < ck->n; k++) r->path_x[k] = r->path_y[k] = NAN;
        for (size_t k = 0; k < G * G; k++) r->pca_loss[k] = r->pca_acc[k] = NAN;
        for (size_t k = 0; k < 2 * G; k++) r->pca_x[k] = NAN;
        for (size_t k = 0; k < G * G && c->point; k++) c->point(c->ctx);
    }
    ob_landscape_random_dirs(&m, thetaT, c->dir_seed, d1, d2);
    ob_landscape_linspace(-c->range, c->range, G, r->rnd_x);
    ob_landscape_grid(&m, c->eval_train, thetaT, d1, d2, r->rnd_x, G, r->rnd_x, G, r->rnd_loss,
                      r->rnd_acc, c->point, c->ctx);
done:
    free(d1);
    free(d2);
    ob_mlp_free(&m);
    return st;
}

ob_status ob_landscape_study(const ob_landscape_config *c, const ob_splits *data,
                             ob_landscape_result *res, ob_error *err)
{
    *res = (ob_landscape_result){0};
    if (c->grid < 2 || c->n_alpha < 1 || !(c->range > 0) || !(c->margin >= 0))
        return ob_fail(err, OB_EINVAL, "a landscape needs a grid of >= 2 points per axis, "
                       ">= 1 interpolation point, a range > 0 and a margin >= 0");
    ob_ckpts ck;
    ob_status st = ob_landscape_train(&c->train, data, c->every, c->echo, &ck, &res->train, err);
    if (st != OB_OK) return st;
    if (res->train.status == OB_OK) {
        double t0 = ob_clock_now();
        ob_blas_threads(1); /* the network's own threads split the GEMMs (nets/mlp.h) */
        st = alloc_result(res, c, ck.n, err);
        if (st == OB_OK) st = evaluate(c, &ck, res, err);
        res->seconds_eval = ob_clock_now() - t0;
        if (st != OB_OK) ob_landscape_result_free(res);
    }
    ob_ckpts_free(&ck);
    return st;
}
