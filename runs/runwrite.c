/* runwrite.c - a run's CSV and summary as a pair (see runwrite.h). */
#include "runs/runwrite.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/outfile.h"

#include "runs/netsharp.h"
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
                       const ob_log_spec *log, ob_run_result *res, ob_error *err)
{
    static const ob_log_spec every_step = {.every = 1};
    if (!log) log = &every_step;
    ob_traj traj;
    ob_status s = ob_traj_open(&traj, path, c->prob->dim, log->log_x, c->sharpness_every > 0,
                               err);
    if (s != OB_OK) return s;
    ob_observer obs = {.row = ob_traj_row, .ctx = &traj, .every = log->every > 0 ? log->every : 1,
                       .geometric = log->geometric, .targets = log->targets,
                       .n_targets = log->n_targets};
    s = ob_run(c, &obs, NULL, res, err);
    run_summary r = {c, res};
    return ob_runfiles_finish(&traj.csv, path, summary, s, write_run_summary, &r, err);
}

/* ---- training runs ------------------------------------------------------------------- */

typedef struct {
    ob_trainlog log;
    ob_steplog steps;          /* FILE.steps.csv, when the config asks for step rows */
    ob_netsharp sharp;         /* with sharpness_every: the estimator */
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

static ob_status log_step(void *ctx, const ob_train_step *r, ob_error *err)
{
    train_files *t = ctx;
    ob_status s = ob_steplog_row(&t->steps, r, err);
    if (s == OB_OK && t->echo && t->echo->step) s = t->echo->step(t->echo->ctx, r, err);
    return s;
}

static ob_status measure(void *ctx, ob_mlp *m, const ob_optimizer *o, double lr,
                         ob_train_step *st, ob_error *err)
{
    return ob_netsharp_measure(&((train_files *)ctx)->sharp, m, o, lr, st, err);
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

static void echo_epoch_end(void *ctx, const ob_mlp *m, long epoch, long step)
{
    const ob_train_observer *echo = ((train_files *)ctx)->echo;
    echo->epoch_end(echo->ctx, m, epoch, step);
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
    const int steps = c->log_every > 0 || c->sharpness_every > 0;
    if (steps && strcmp(path, "-") == 0)
        return ob_fail(err, OB_EINVAL, "the step log (--log-every, --sharpness-every) goes "
                       "beside the training CSV: it needs --out FILE.csv, not '-'");
    char *spath = steps ? ob_steplog_path(path) : NULL;
    if (steps && !spath) return ob_fail(err, OB_ENOMEM, "out of memory");
    ob_status s = c->sharpness_every > 0 ? ob_netsharp_init(&t.sharp, c, &data->train, err) : OB_OK;
    if (s == OB_OK) s = ob_trainlog_open(&t.log, path, err);
    if (s != OB_OK) {
        ob_netsharp_free(&t.sharp);
        free(spath);
        return s;
    }
    if (steps && (s = ob_steplog_open(&t.steps, spath, c->sharpness_every > 0, err)) != OB_OK) {
        ob_csv_abort(&t.log.csv);
        ob_netsharp_free(&t.sharp);
        free(spath);
        return s;
    }
    ob_train_observer obs = {.row = log_row, .ctx = &t, .step = steps ? log_step : NULL,
                             .sharpness = c->sharpness_every > 0 ? measure : NULL,
                             .progress = echo && echo->progress ? echo_progress : NULL,
                             .before_update = echo && echo->before_update ? echo_update : NULL,
                             .epoch_end = echo && echo->epoch_end ? echo_epoch_end : NULL};
    s = ob_train(c, data, &obs, res, err);
    ob_netsharp_free(&t.sharp);
    /* the step log first: the summary, written last, means that every file is complete */
    int committed = 0;
    if (steps && s == OB_OK) committed = (s = ob_csv_commit(&t.steps.csv, err)) == OB_OK;
    else if (steps) ob_csv_abort(&t.steps.csv);
    s = ob_runfiles_finish(&t.log.csv, path, summary, s, write_train_summary, &t, err);
    if (committed && s != OB_OK && !ob_out_in_place(spath)) remove(spath);
    free(spath);
    return s;
}
