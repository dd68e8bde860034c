/* interp.c - the interpolation file of a seed-1 network run (see interp.h). */
#include "runs/interp.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvout.h"
#include "nets/landscape.h"

/* theta_0: the parameters before update 0 (the initialization of the run's seed) */
static void keep_start(void *ctx, ob_mlp *m, long t)
{
    ob_bench_interp *ip = ctx;
    if (t != 0 || ip->theta0) return;
    ip->theta0 = malloc(m->n_params * sizeof *ip->theta0);
    if (ip->theta0) ob_landscape_get(m, ip->theta0);
    else ip->status = ob_fail(&ip->err, OB_ENOMEM, "out of memory (theta_0)");
}

/* theta_T: the parameters after the last epoch; the file is written now, before the
 * run's training CSV and summary are committed */
static void at_epoch_end(void *ctx, const ob_mlp *m, long epoch, long step)
{
    (void)step;
    ob_bench_interp *ip = ctx;
    if (epoch != ip->c->epochs || !ip->theta0 || ip->status != OB_OK) return;
    double *theta1 = malloc(m->n_params * sizeof *theta1);
    if (!theta1) {
        ip->status = ob_fail(&ip->err, OB_ENOMEM, "out of memory (theta_T)");
        return;
    }
    ob_landscape_get(m, theta1);
    ip->status = ob_bench_interp_write(ip->path, m, ip->data, ip->theta0, theta1, &ip->err);
    ip->written = ip->status == OB_OK;
    free(theta1);
}

void ob_bench_interp_begin(ob_bench_interp *ip, const char *run_path, const ob_train_config *c,
                           const ob_splits *data)
{
    memset(ip, 0, sizeof *ip);
    ip->c = c, ip->data = data;
    const size_t len = strlen(run_path);
    snprintf(ip->path, sizeof ip->path, "%.*s.interp.csv", (int)(len > 4 ? len - 4 : len),
             run_path);
    ip->obs = (ob_train_observer){.before_update = keep_start, .epoch_end = at_epoch_end,
                                  .ctx = ip};
}

ob_status ob_bench_interp_end(ob_bench_interp *ip, ob_error *err)
{
    free(ip->theta0);
    ip->theta0 = NULL;
    if (ip->status != OB_OK && err) *err = ip->err;
    return ip->status;
}

static void num_or_empty(ob_csv *w, double v)
{
    if (isfinite(v)) ob_csv_num(w, v);
    else ob_csv_text(w, "");
}

ob_status ob_bench_interp_write(const char *path, const ob_mlp *m, const ob_splits *data,
                                const double *theta0, const double *theta1, ob_error *err)
{
    /* the first OB_BENCH_INTERP_EVAL samples of each split, the same for every run */
    ob_dataset ev[2] = {data->train, data->test};
    for (int s = 0; s < 2; s++)
        if (ev[s].n > OB_BENCH_INTERP_EVAL) ev[s].n = OB_BENCH_INTERP_EVAL;
    /* finer between theta_0 and theta_T, where a barrier would be; all exact in binary */
    static const double alpha[OB_BENCH_INTERP_POINTS] = {-0.5, -0.25, 0, 0.125, 0.25, 0.375, 0.5,
                                                         0.625, 0.75, 0.875, 1, 1.25, 1.5};
    double v[4][OB_BENCH_INTERP_POINTS];
    /* a model of the run's shape and chunk size, so that on a subset of at most one chunk
     * a = 0 and a = 1 give the training CSV's own numbers bit for bit */
    ob_mlp e;
    ob_status s = ob_mlp_alloc(&e, &m->spec, m->dtype, m->max_batch, err);
    if (s != OB_OK) return s;
    for (int k = 0; k < 2; k++) /* theta(a) = (1 - a) theta_0 + a theta_T (Goodfellow et al.) */
        ob_landscape_interp(&e, &ev[k], theta0, theta1, alpha, OB_BENCH_INTERP_POINTS,
                            v[2 * k], v[2 * k + 1]);
    ob_mlp_free(&e);
    ob_csv w;
    if ((s = ob_csv_open(&w, path, err)) != OB_OK) return s;
    static const char *const head[] = {"alpha", "train_loss", "train_acc", "test_loss", "test_acc"};
    for (int c = 0; c < 5; c++) ob_csv_text(&w, head[c]);
    ob_csv_end_row(&w);
    for (size_t i = 0; i < OB_BENCH_INTERP_POINTS; i++) {
        ob_csv_num(&w, alpha[i]);
        for (int c = 0; c < 4; c++) num_or_empty(&w, v[c][i]);
        ob_csv_end_row(&w);
    }
    return ob_csv_commit(&w, err);
}
