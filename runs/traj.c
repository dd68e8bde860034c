/* traj.c - trajectory and summary CSVs. */
#include "runs/traj.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

ob_status ob_traj_open(ob_traj *t, const char *path, size_t n, int log_x, int sharpness,
                       ob_error *err)
{
    t->n = n;
    t->sharpness = sharpness;
    t->log_x = log_x == OB_LOG_X_ON || (log_x == OB_LOG_X_AUTO && n <= OB_LOG_X_MAX);
    ob_status s = ob_csv_open(&t->csv, path, err);
    if (s != OB_OK) return s;
    static const char *const cols[] = {"step", "loss", "grad_norm", "evals", "lr", "seconds"};
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) ob_csv_text(&t->csv, cols[i]);
    if (sharpness) {
        ob_csv_text(&t->csv, "sharpness");
        ob_csv_text(&t->csv, "threshold");
        ob_csv_text(&t->csv, "sharpness_residual");
    }
    if (t->log_x) {
        char name[32];
        for (size_t i = 0; i < n; i++) {
            snprintf(name, sizeof name, "x%zu", i + 1);
            ob_csv_text(&t->csv, name);
        }
    }
    ob_csv_end_row(&t->csv);
    return OB_OK;
}

/* a number, or an empty cell for NaN ("not estimated on this row", "no threshold") */
static void num_or_empty(ob_csv *w, double v)
{
    if (isnan(v)) ob_csv_text(w, "");
    else ob_csv_num(w, v);
}

int ob_traj_row(void *ctx, const ob_row *r)
{
    ob_traj *t = ctx;
    ob_csv_int(&t->csv, r->step);
    ob_csv_num(&t->csv, r->loss);
    ob_csv_num(&t->csv, r->grad_norm);
    ob_csv_int(&t->csv, r->evals);
    ob_csv_num(&t->csv, r->lr);
    ob_csv_num(&t->csv, r->seconds);
    if (t->sharpness) {
        num_or_empty(&t->csv, r->sharpness);
        num_or_empty(&t->csv, r->threshold);
        num_or_empty(&t->csv, r->sharpness_residual);
    }
    if (t->log_x)
        for (size_t i = 0; i < t->n; i++) ob_csv_num(&t->csv, r->x[i]);
    ob_csv_end_row(&t->csv);
    return ferror(t->csv.fp) != 0;
}

char *ob_summary_path(const char *traj_path)
{
    if (strcmp(traj_path, "-") == 0) return strdup(OB_OUT_STDERR); /* the CSV is on stdout */
    size_t len = strlen(traj_path);
    if (len >= 7 && strcmp(traj_path + len - 7, ".csv.gz") == 0) len -= 7;
    else if (len >= 4 && strcmp(traj_path + len - 4, ".csv") == 0) len -= 4;
    char *s = malloc(len + sizeof ".summary.csv");
    if (!s) return NULL;
    memcpy(s, traj_path, len);
    strcpy(s + len, ".summary.csv");
    return s;
}

static const char *fstar_kind_name(ob_fstar_kind k)
{
    switch (k) {
    case OB_FSTAR_EXACT: return "exact";
    case OB_FSTAR_COMPUTED: return "computed";
    case OB_FSTAR_LOWER_BOUND: return "lower-bound";
    case OB_FSTAR_UNKNOWN: break;
    }
    return "unknown";
}

ob_status ob_summary_write(const char *path, const ob_run_config *c, const ob_run_result *r,
                           ob_error *err)
{
    return ob_summary_write_more(path, c, r, NULL, NULL, 0, err);
}

ob_status ob_summary_write_more(const char *path, const ob_run_config *c,
                                const ob_run_result *r, const char *const *names,
                                const double *values, int n, ob_error *err)
{
    ob_csv w;
    ob_status s = ob_csv_open(&w, path, err);
    if (s != OB_OK) return s;
    static const char *const cols[] = {
        "problem", "optimizer", "schedule", "lr", "seed", "noise", "batch", "steps",
        "status", "steps_done", "diverged_step", "f0", "final_loss", "final_gap",
        "final_grad_norm", "last_finite_loss", "f_star", "f_star_kind", "evals", "seconds",
        "seconds_per_step"};
    int hp = c->hparams && *c->hparams;
    for (size_t i = 0; i < sizeof cols / sizeof *cols; i++) ob_csv_text(&w, cols[i]);
    for (int i = 0; i < n; i++) ob_csv_text(&w, names[i]);
    if (hp) ob_csv_text(&w, "hparams");
    if (c->problem_options) ob_csv_text(&w, "problem_options");
    ob_csv_end_row(&w);
    const ob_problem *p = c->prob;
    int known = p->f_star_kind != OB_FSTAR_UNKNOWN;
    ob_csv_text(&w, p->type->name);
    ob_csv_text(&w, c->opt->name);
    ob_csv_text(&w, c->sched.type->name);
    ob_csv_num(&w, c->h.lr);
    ob_csv_int(&w, (long)c->seed);
    ob_csv_num(&w, c->noise);
    ob_csv_int(&w, (long)c->batch);
    ob_csv_int(&w, c->steps);
    ob_csv_text(&w, ob_status_name(r->status));
    ob_csv_int(&w, r->steps_done);
    ob_csv_int(&w, r->diverged_step);
    ob_csv_num(&w, r->f0);
    ob_csv_num(&w, r->final_loss);
    ob_csv_num(&w, known ? r->final_loss - p->f_star : NAN);
    ob_csv_num(&w, r->final_grad_norm);
    ob_csv_num(&w, r->last_finite_loss);
    ob_csv_num(&w, p->f_star);
    ob_csv_text(&w, fstar_kind_name(p->f_star_kind));
    ob_csv_int(&w, r->evals);
    ob_csv_num(&w, r->seconds);
    ob_csv_num(&w, r->steps_done ? r->seconds / (double)r->steps_done : 0);
    for (int i = 0; i < n; i++) {
        if (isnan(values[i])) ob_csv_text(&w, ""); /* not reached */
        else ob_csv_num(&w, values[i]);
    }
    if (hp) ob_csv_text(&w, c->hparams);
    if (c->problem_options) ob_csv_text(&w, c->problem_options);
    ob_csv_end_row(&w);
    return ob_csv_commit(&w, err);
}
