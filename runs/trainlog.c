/* trainlog.c - the training CSV and summary (see trainlog.h). */
#include "runs/trainlog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* v, or an empty cell when acc says its split was not evaluated */
static void acc_cell(ob_csv *w, double acc, double v)
{
    if (isnan(acc)) ob_csv_text(w, "");
    else ob_csv_num(w, v);
}

ob_status ob_trainlog_open(ob_trainlog *t, const char *path, ob_error *err)
{
    t->best_val_acc = -INFINITY;
    t->test_at_best = NAN;
    t->best_epoch = -1;
    ob_status s = ob_csv_open(&t->csv, path, err);
    if (s != OB_OK) return s;
    static const char *const cols[] = {"epoch", "step", "seconds", "lr", "train_loss",
                                       "train_acc", "val_loss", "val_acc", "test_loss",
                                       "test_acc"};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) ob_csv_text(&t->csv, cols[i]);
    ob_csv_end_row(&t->csv);
    return OB_OK;
}

ob_status ob_trainlog_row(void *ctx, const ob_train_row *r, ob_error *err)
{
    ob_trainlog *t = ctx;
    ob_csv_int(&t->csv, r->epoch);
    ob_csv_int(&t->csv, r->step);
    ob_csv_num(&t->csv, r->seconds);
    ob_csv_num(&t->csv, r->lr);
    for (int s = 0; s < OB_SPLITS; s++) { /* an accuracy is NaN only for a split not evaluated
                                            (empty): its cells stay empty */
        acc_cell(&t->csv, r->acc[s], r->loss[s]);
        acc_cell(&t->csv, r->acc[s], r->acc[s]);
    }
    ob_csv_end_row(&t->csv);
    if (r->acc[OB_SPLIT_VAL] > t->best_val_acc) { /* the first epoch of the best wins a tie */
        t->best_val_acc = r->acc[OB_SPLIT_VAL];
        t->test_at_best = r->acc[OB_SPLIT_TEST];
        t->best_epoch = r->epoch;
    }
    return ferror(t->csv.fp) ? ob_fail(err, OB_EIO, "cannot write the training CSV") : OB_OK;
}

ob_status ob_train_summary_write(const char *path, const char *workload,
                                 const ob_train_config *c, const ob_train_result *res,
                                 const ob_trainlog *log, ob_error *err)
{
    ob_csv w;
    ob_status s = ob_csv_open(&w, path, err);
    if (s != OB_OK) return s;
    static const char *const cols[] = {
        "problem", "optimizer", "kind", "lr", "seed", "epochs", "batch", "status",
        "epochs_done", "steps", "best_val_acc", "best_epoch", "test_acc", "final_test_acc",
        "final_train_loss", "final_val_loss", "seconds", "epoch_seconds", "params"};
    int hp = c->hparams && *c->hparams;
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) ob_csv_text(&w, cols[i]);
    if (hp) ob_csv_text(&w, "hparams");
    ob_csv_end_row(&w);
    ob_csv_text(&w, workload);
    ob_csv_text(&w, c->opt->name);
    ob_csv_text(&w, "network");
    ob_csv_num(&w, c->h.lr);
    ob_csv_int(&w, (long)c->seed);
    ob_csv_int(&w, c->epochs);
    ob_csv_int(&w, (long)c->batch);
    ob_csv_text(&w, ob_status_name(res->status));
    ob_csv_int(&w, res->epochs_done);
    ob_csv_int(&w, res->steps);
    ob_csv_num(&w, log->best_val_acc);
    ob_csv_int(&w, log->best_epoch);
    acc_cell(&w, log->test_at_best, log->test_at_best);
    acc_cell(&w, res->last.acc[OB_SPLIT_TEST], res->last.acc[OB_SPLIT_TEST]);
    ob_csv_num(&w, res->last.loss[OB_SPLIT_TRAIN]);
    ob_csv_num(&w, res->last.loss[OB_SPLIT_VAL]);
    ob_csv_num(&w, res->seconds);
    ob_csv_num(&w, res->epoch_seconds_median);
    ob_csv_int(&w, (long)res->n_params);
    if (hp) ob_csv_text(&w, c->hparams);
    ob_csv_end_row(&w);
    return ob_csv_commit(&w, err);
}

char *ob_steplog_path(const char *csv_path)
{
    size_t n = strlen(csv_path);
    if (n >= 4 && strcmp(csv_path + n - 4, ".csv") == 0) n -= 4;
    char *p = malloc(n + sizeof ".steps.csv");
    if (p) {
        memcpy(p, csv_path, n);
        memcpy(p + n, ".steps.csv", sizeof ".steps.csv");
    }
    return p;
}

ob_status ob_steplog_open(ob_steplog *s, const char *path, int sharpness, ob_error *err)
{
    static const char *const cols[] = {"step", "epoch", "seconds", "lr", "batch_loss",
                                       "mean_loss", "sharpness", "threshold",
                                       "sharpness_residual", "hvps"};
    s->sharpness = sharpness;
    ob_status st = ob_csv_open(&s->csv, path, err);
    if (st != OB_OK) return st;
    for (size_t i = 0; i < (sharpness ? 10u : 6u); i++) ob_csv_text(&s->csv, cols[i]);
    ob_csv_end_row(&s->csv);
    return OB_OK;
}

/* a number, or an empty cell for NaN (not measured) */
static void num_or_empty(ob_csv *c, double v)
{
    if (isnan(v)) ob_csv_text(c, "");
    else ob_csv_num(c, v);
}

ob_status ob_steplog_row(void *ctx, const ob_train_step *r, ob_error *err)
{
    ob_steplog *s = ctx;
    ob_csv_int(&s->csv, r->step);
    ob_csv_num(&s->csv, r->epoch);
    ob_csv_num(&s->csv, r->seconds);
    ob_csv_num(&s->csv, r->lr);
    if (r->step == 0 && isnan(r->batch_loss)) { /* row 0: no update, no batch yet */
        ob_csv_text(&s->csv, "");
        ob_csv_text(&s->csv, "");
    } else {
        ob_csv_num(&s->csv, r->batch_loss); /* a diverged batch shows as nan or inf */
        ob_csv_num(&s->csv, r->mean_loss);
    }
    if (s->sharpness) {
        num_or_empty(&s->csv, r->has_sharpness ? r->sharpness : NAN);
        num_or_empty(&s->csv, r->has_sharpness ? r->threshold : NAN);
        num_or_empty(&s->csv, r->has_sharpness ? r->sharpness_residual : NAN);
        if (r->has_sharpness) ob_csv_int(&s->csv, r->hvps);
        else ob_csv_text(&s->csv, "");
    }
    ob_csv_end_row(&s->csv);
    return ferror(s->csv.fp) ? ob_fail(err, OB_EIO, "cannot write the step log") : OB_OK;
}
