/* runwrite.c - a run's CSV and summary as a pair (see runwrite.h). */
#include "runs/runwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/outfile.h"

#include "runs/trainlog.h"
#include "runs/traj.h"

ob_status ob_runfiles_finish(ob_csv *csv, const char *path, const char *summary, ob_status s,
                             ob_summary_writer write, const void *ctx, ob_error *err)
{
    if (s != OB_OK) {
        ob_csv_abort(csv);
        return s;
    }
    if ((s = ob_csv_commit(csv, err)) != OB_OK) return s;
    char *spath = summary ? strdup(summary) : ob_summary_path(path);
    s = spath ? write(spath, ctx, err) : ob_fail(err, OB_ENOMEM, "out of memory");
    /* the pair is written together or not at all; a FIFO or a device written in place is
     * never removed */
    if (s != OB_OK && !ob_out_in_place(path)) remove(path);
    free(spath);
    return s;
}

/* ---- analytic runs ------------------------------------------------------------------- */

typedef struct {
    const ob_run_config *c;
    const ob_run_result *res;
} run_summary;

static ob_status write_run_summary(const char *spath, const void *ctx, ob_error *err)
{
    const run_summary *r = ctx;
    return ob_summary_write(spath, r->c, r->res, err);
}

ob_status ob_run_files(const char *path, const char *summary, const ob_run_config *c,
                       long every, int log_x, ob_run_result *res, ob_error *err)
{
    ob_traj traj;
    ob_status s = ob_traj_open(&traj, path, c->prob->dim, log_x, c->sharpness_every > 0,
                               err);
    if (s != OB_OK) return s;
    ob_observer obs = {.row = ob_traj_row, .ctx = &traj, .every = every > 0 ? every : 1};
    s = ob_run(c, &obs, NULL, res, err);
    run_summary r = {c, res};
    return ob_runfiles_finish(&traj.csv, path, summary, s, write_run_summary, &r, err);
}

/* ---- training runs ------------------------------------------------------------------- */

typedef struct {
    ob_trainlog log;
    const ob_train_observer *echo;
    const char *workload;
    const ob_train_config *c;
    const ob_train_result *res;
} train_files;

static ob_status log_row(void *ctx, const ob_train_row *r, ob_error *err)
{
    train_files *t = ctx;
    ob_status s = ob_trainlog_row(&t->log, r, err);
    if (s == OB_OK && t->echo && t->echo->row) s = t->echo->row(t->echo->ctx, r, err);
    return s;
}

static void echo_progress(void *ctx, long epoch, size_t batch, size_t n_batches, double loss)
{
    const ob_train_observer *echo = ((train_files *)ctx)->echo;
    echo->progress(echo->ctx, epoch, batch, n_batches, loss);
}

static void echo_update(void *ctx, ob_mlp *m, long t)
{
    const ob_train_observer *echo = ((train_files *)ctx)->echo;
    echo->before_update(echo->ctx, m, t);
}

static ob_status write_train_summary(const char *spath, const void *ctx, ob_error *err)
{
    const train_files *t = ctx;
    return ob_train_summary_write(spath, t->workload, t->c, t->res, &t->log, err);
}

ob_status ob_train_files(const char *path, const char *summary, const char *workload,
                         const ob_train_config *c,
                         const ob_splits *data, const ob_train_observer *echo,
                         ob_train_result *res, ob_error *err)
{
    train_files t = {.echo = echo, .workload = workload, .c = c, .res = res};
    ob_status s = ob_trainlog_open(&t.log, path, err);
    if (s != OB_OK) return s;
    ob_train_observer obs = {.row = log_row, .ctx = &t,
                             .progress = echo && echo->progress ? echo_progress : NULL,
                             .before_update = echo && echo->before_update ? echo_update : NULL};
    s = ob_train(c, data, &obs, res, err);
    return ob_runfiles_finish(&t.log.csv, path, summary, s, write_train_summary, &t, err);
}
