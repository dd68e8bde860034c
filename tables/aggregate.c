/* aggregate.c - the result tables of results/README.md, from out/runs/ alone
 * (ob_tables_aggregate, declared in bench/bench.h; the tables themselves: tables.h).
 *
 * Everything here is a function of the run files, read in sorted order, so the same
 * runs give byte-identical tables (timing columns aside) however they were produced:
 * in one process, with --jobs N, or by shards merged into one directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tables/tables.h"
#include "bench/tuning.h"
#include "tables/pairs.h"
#include "runs/runfile.h"

/* The header rows of the suite-wide tables: a last `hparams` column in tuning.csv and
 * chosen.csv only when some optimizer was tuned over a product grid or by random trials,
 * and then `trial` in tuning.csv for random trials (so that suites without them keep
 * their tables byte for byte). */
static void header_tuning(ob_csv *c, const ob_tables *T)
{
    static const char *const cols[] = {"workload", "kind", "optimizer", "lr", "status",
                                       "final_gap", "score", "grid", "hparams", "trial"};
    ob_csv_header(c, cols, T->trials ? 10 : T->hparams ? 9 : 8); /* trials have tags */
}

static void header_chosen(ob_csv *c, const ob_tables *T)
{
    static const char *const cols[] = {"workload", "kind", "optimizer", "lr", "score",
                                       "grid_lo", "grid_hi", "grid_points", "hparams"};
    ob_csv_header(c, cols, T->hparams ? 9 : 8);
}

/* metrics by kind, so that no row carries the other kind's empty columns, and the
 * targets in long form (reached.csv): every column name is a plain identifier that R and
 * pandas take as it is */
static void header_metrics(ob_csv *c, const ob_tables *T)
{
    static const char *const cols[] = {"workload", "optimizer", "lr", "seed", "status",
                                       "diverged_step", "f0", "final_gap", "final_grad_norm",
                                       "seconds_per_step"};
    (void)T;
    ob_csv_header(c, cols, 10);
}

static void header_metrics_net(ob_csv *c, const ob_tables *T)
{
    static const char *const cols[] = {"workload", "optimizer", "lr", "seed", "status",
                                       "best_val_acc", "test_acc", "epoch_seconds"};
    (void)T;
    ob_csv_header(c, cols, 8);
}

static void header_reached(ob_csv *c, const ob_tables *T)
{
    static const char *const cols[] = {"workload", "optimizer", "seed", "target", "steps",
                                       "evals", "seconds"};
    (void)T;
    ob_csv_header(c, cols, 7);
}

/* the ranking split alike: by kind, and the per-target medians in long form */
static void header_ranking(ob_csv *c, const ob_tables *T)
{
    static const char *const cols[] = {"workload", "optimizer", "lr", "seeds", "diverged",
                                       "median_final_gap", "q1_final_gap", "q3_final_gap",
                                       "median_seconds_per_step", "rank", "metric", "median",
                                       "ci_lo", "ci_hi", "tied", "role", "final_gap_ci_lo",
                                       "final_gap_ci_hi"};
    (void)T;
    ob_csv_header(c, cols, 18);
}

static void header_ranking_net(ob_csv *c, const ob_tables *T)
{
    static const char *const cols[] = {"workload", "optimizer", "lr", "seeds", "diverged",
                                       "median_best_val_acc", "median_test_acc",
                                       "median_epoch_seconds", "rank", "metric", "median",
                                       "ci_lo", "ci_hi", "tied", "role"};
    (void)T;
    ob_csv_header(c, cols, 15);
}

static void header_ranking_targets(ob_csv *c, const ob_tables *T)
{
    static const char *const cols[] = {"workload", "optimizer", "target", "median_steps",
                                       "seeds_reached"};
    (void)T;
    ob_csv_header(c, cols, 5);
}

/* whether the final runs of workload w (optimizers os[0 .. no)) are gzipped: the first
 * seed-S file found says */
static int runs_gzipped(const char *out, const char *w, char **os, size_t no)
{
    for (size_t j = 0; j < no; j++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/runs/%s/%s", out, w, os[j]);
        size_t n;
        char **e = ob_dir_entries(dir, &n);
        int gz = -1;
        for (size_t i = 0; i < n && gz < 0; i++) {
            size_t l = strlen(e[i]);
            if (strncmp(e[i], "seed-", 5) || strstr(e[i], ".summary.")) continue;
            gz = l > 7 && strcmp(e[i] + l - 7, ".csv.gz") == 0;
        }
        ob_run_stems_free(e, n);
        if (gz >= 0) return gz;
    }
    return 0;
}

/* netsteps/W.csv (the step logs of network runs) and sharpness/W.csv (where runs
 * estimated their sharpness), into T->netsteps and T->sharpness; kept only when rows
 * were written, their directories only when they hold a file */
static const char *const step_tables[2] = {"netsteps", "sharpness"};

static ob_status close_step_tables(ob_tables *T, const char *out, ob_status s, ob_error *err)
{
    ob_csv *c[2] = {T->netsteps, T->sharpness};
    int rows[2] = {T->step_rows, T->sharp_rows};
    for (int k = 0; k < 2; k++) {
        if (!c[k]) continue;
        if (s == OB_OK && rows[k]) s = ob_csv_commit(c[k], err);
        else ob_csv_abort(c[k]);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", out, step_tables[k]);
        rmdir(path); /* only when empty */
    }
    T->netsteps = T->sharpness = NULL;
    return s;
}

static ob_status open_step_tables(ob_tables *T, const char *out, const char *w, ob_csv *c,
                                  ob_error *err)
{
    static const char *const cols[2][8] = {
        {"optimizer", "step", "epoch", "train_loss", "train_loss_q1", "train_loss_q3"},
        {"optimizer", "step", "epoch", "loss", "sharpness", "sharpness_q1", "sharpness_q3",
         "threshold"}};
    char path[4096];
    T->netsteps = T->sharpness = NULL;
    T->step_rows = T->sharp_rows = 0;
    for (int k = 0; k < 2; k++) {
        snprintf(path, sizeof path, "%s/%s/%s.csv", out, step_tables[k], w);
        ob_status s = ob_csv_open(&c[k], path, err);
        if (s != OB_OK) return close_step_tables(T, out, s, err);
        ob_csv_header(&c[k], cols[k], k ? 8 : 6);
        *(k ? &T->sharpness : &T->netsteps) = &c[k];
    }
    return OB_OK;
}

/* curves/W.csv and netcurves/W.csv for workload w (each kept only when the workload
 * wrote rows into it), and w's pairs added to T */
static ob_status aggregate_workload(ob_tables *T, const char *out, const char *w, ob_error *err)
{
    static const char *const ncols[] = {"optimizer", "epoch", "seconds", "train_loss",
                                        "train_loss_q1", "train_loss_q3", "val_loss",
                                        "val_loss_q1", "val_loss_q3", "train_acc", "val_acc",
                                        "val_acc_q1", "val_acc_q3", "test_acc"};
    static const char *const kcols[] = {"optimizer", "step", "evals", "seconds", "gap_median",
                                        "gap_q1", "gap_q3", "gnorm_median", "gnorm_q1",
                                        "gnorm_q3"};
    char path[4096];
    size_t no;
    snprintf(path, sizeof path, "%s/runs/%s", out, w);
    char **os = ob_dir_entries(path, &no);
    if (!os) return OB_OK;
    ob_csv curves, netcurves;
    /* curves/W.csv.gz when the workload's final runs were gzipped (the suite's gzip), so
     * that the tables follow the directory alone; the other form goes */
    int gz = runs_gzipped(out, w, os, no);
    snprintf(path, sizeof path, "%s/curves/%s.csv%s", out, w, gz ? "" : ".gz");
    remove(path);
    snprintf(path, sizeof path, "%s/curves/%s.csv%s", out, w, gz ? ".gz" : "");
    ob_status s = ob_csv_open(&curves, path, err);
    if (s != OB_OK) {
        ob_run_stems_free(os, no);
        return s;
    }
    snprintf(path, sizeof path, "%s/netcurves/%s.csv", out, w);
    if ((s = ob_csv_open(&netcurves, path, err)) != OB_OK) {
        ob_csv_abort(&curves);
        ob_run_stems_free(os, no);
        return s;
    }
    ob_csv_header(&curves, kcols, 10);
    ob_csv_header(&netcurves, ncols, 14);
    T->curve_rows = T->net_rows = 0;
    ob_csv steps[2];
    s = open_step_tables(T, out, w, steps, err);
    for (size_t j = 0; j < no && s == OB_OK; j++)
        s = ob_tables_add_pair(T, out, w, os[j], &curves, &netcurves, err);
    if (s == OB_OK && T->curve_rows) s = ob_csv_commit(&curves, err);
    else ob_csv_abort(&curves);
    if (s == OB_OK && T->net_rows) s = ob_csv_commit(&netcurves, err);
    else ob_csv_abort(&netcurves);
    s = close_step_tables(T, out, s, err);
    ob_run_stems_free(os, no);
    return s;
}

ob_status ob_tables_aggregate(const char *out, ob_error *err)
{
    char path[4096];
    ob_tables T = {.hparams = ob_tuning_has_tags(out), .trials = ob_tuning_has_trials(out)};
    struct {
        ob_csv *c;
        const char *name;
        void (*header)(ob_csv *, const ob_tables *);
    } files[] = {{&T.tuning, "tuning", header_tuning}, {&T.chosen, "chosen", header_chosen},
                 {&T.metrics, "metrics_analytic", header_metrics},
                 {&T.metrics_net, "metrics_net", header_metrics_net},
                 {&T.reached, "reached", header_reached},
                 {&T.ranking, "ranking_analytic", header_ranking},
                 {&T.ranking_net, "ranking_net", header_ranking_net},
                 {&T.ranking_targets, "ranking_targets", header_ranking_targets}};
    enum { NF = sizeof files / sizeof *files };
    ob_status s = ob_targets_read(out, &T.tg, err);
    size_t opened = 0;
    for (; opened < NF && s == OB_OK; opened++) {
        snprintf(path, sizeof path, "%s/%s.csv", out, files[opened].name);
        if ((s = ob_csv_open(files[opened].c, path, err)) != OB_OK) break;
        files[opened].header(files[opened].c, &T);
    }
    size_t nw = 0;
    char **wls = NULL;
    snprintf(path, sizeof path, "%s/runs", out);
    if (s == OB_OK && !(wls = ob_dir_entries(path, &nw)) && !nw) {
        struct stat st;
        if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            s = ob_fail(err, OB_EIO, "no runs in %s (run optbench bench first)", path);
    }
    if (s == OB_OK) {
        snprintf(path, sizeof path, "%s/curves", out);
        mkdir(path, 0777);
        snprintf(path, sizeof path, "%s/netcurves", out);
        mkdir(path, 0777);
    }
    for (size_t i = 0; i < nw && s == OB_OK; i++) s = aggregate_workload(&T, out, wls[i], err);
    ob_run_stems_free(wls, nw);
    if (s == OB_OK) ob_write_ranking(&T);
    for (size_t k = 0; k < NF && s == OB_OK; k++) s = ob_csv_commit(files[k].c, err);
    if (s == OB_OK) { /* the wide tables of older versions would contradict these */
        snprintf(path, sizeof path, "%s/metrics.csv", out);
        remove(path);
        snprintf(path, sizeof path, "%s/ranking.csv", out);
        remove(path);
    }
    if (s == OB_OK) s = ob_write_profiles(out, &T, err);
    if (s == OB_OK) s = ob_tuning_curve_write(out, T.trials, err);
    else
        for (size_t k = 0; k < opened; k++)
            if (files[k].c->fp) ob_csv_abort(files[k].c);
    ob_tables_free(&T);
    return s;
}
