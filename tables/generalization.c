/* generalization.c - train against test on the network workloads (generalization.h):
 * the per-seed numbers from the training CSVs, generalization.csv, and their medians and
 * quartiles across seeds. */
#include "tables/tables.h"
#include "tables/generalization.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvout.h"
#include "common/stats.h"
#include "common/path.h"
#include "runs/runfile.h"

const char *const ob_gen_columns[OB_GEN_N] = {"final_train_acc", "final_train_loss", "test_acc",
                                              "gap"};

ob_status ob_generalization_seed(const ob_table *t, const char *path, ob_gen_seed *g,
                                 ob_error *err)
{
    static const char *const names[] = {"epoch", "train_loss", "train_acc", "val_acc", "test_acc"};
    int c[5];
    for (int k = 0; k < 5; k++)
        if ((c[k] = ob_table_col(t, names[k])) < 0)
            return ob_fail(err, OB_EDATA, "%s: no column %s", path, names[k]);
    long last = -1, best = -1;
    for (size_t i = 0; i < t->rows; i++) {
        double v = ob_table_num(t, i, c[3]);
        if (isnan(v)) continue; /* not an epoch row */
        last = (long)i;
        if (best < 0 || v > ob_table_num(t, (size_t)best, c[3])) best = (long)i; /* first wins */
    }
    if (last < 0) return ob_fail(err, OB_EDATA, "%s: no epoch row (none has a val_acc)", path);
    size_t L = (size_t)last, B = (size_t)best;
    *g = (ob_gen_seed){.final_epoch = ob_table_num(t, L, c[0]),
                       .final_train_loss = ob_table_num(t, L, c[1]),
                       .final_train_acc = ob_table_num(t, L, c[2]),
                       .best_epoch = ob_table_num(t, B, c[0]),
                       .best_val_acc = ob_table_num(t, B, c[3]),
                       .test_acc = ob_table_num(t, B, c[4])};
    g->gap = g->final_train_acc - g->test_acc;
    return OB_OK;
}

static int cmp_seed(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* 1 when the summary of dir's run seed-S says the run trained a network */
static int is_network_run(const char *dir, long seed)
{
    char stem[64];
    snprintf(stem, sizeof stem, "seed-%ld", seed);
    ob_table t;
    if (ob_run_summary_read(dir, stem, &t, NULL) != OB_OK) return 0;
    int net = t.rows > 0 && strcmp(ob_table_str(&t, 0, ob_table_col(&t, "kind")), "network") == 0;
    ob_table_free(&t);
    return net;
}

/* the rows of the pair out/runs/w/o, seeds in increasing order */
static ob_status write_pair(ob_csv *c, const char *dir, const char *w, const char *o, int *rows,
                            ob_error *err)
{
    char path[4200];
    size_t n = 0;
    char **stems = ob_run_stems(dir, "seed-", &n);
    long *seeds = malloc((n + 1) * sizeof *seeds);
    size_t ns = 0;
    for (size_t i = 0; seeds && i < n; i++) seeds[ns++] = strtol(stems[i] + 5, NULL, 10);
    ob_run_stems_free(stems, n);
    if (!seeds) return ob_fail(err, OB_ENOMEM, "out of memory");
    qsort(seeds, ns, sizeof *seeds, cmp_seed);
    ob_status s = OB_OK;
    for (size_t i = 0; i < ns && s == OB_OK && is_network_run(dir, seeds[0]); i++) {
        ob_table t;
        ob_gen_seed g;
        snprintf(path, sizeof path, "%s/seed-%ld.csv", dir, seeds[i]);
        if ((s = ob_table_read(path, &t, err)) != OB_OK) break;
        s = ob_generalization_seed(&t, path, &g, err);
        ob_table_free(&t);
        if (s != OB_OK) break;
        ob_csv_text(c, w);
        ob_csv_text(c, o);
        ob_csv_int(c, seeds[i]);
        const double v[] = {g.final_epoch, g.final_train_loss, g.final_train_acc, g.best_epoch,
                            g.best_val_acc, g.test_acc, g.gap};
        for (size_t k = 0; k < sizeof v / sizeof *v; k++) ob_csv_num(c, v[k]);
        ob_csv_end_row(c);
        (*rows)++;
    }
    free(seeds);
    return s;
}

ob_status ob_tables_each_pair(const char *out, ob_pair_fn fn, void *ctx, ob_error *err)
{
    char path[4096];
    size_t nw = 0;
    char **ws = ob_dir_entries(ob_pathf(path, sizeof path, "%s/runs", out), &nw);
    ob_status s = OB_OK;
    for (size_t i = 0; i < nw && s == OB_OK; i++) {
        size_t no = 0;
        char **os = ob_dir_entries(ob_pathf(path, sizeof path, "%s/runs/%s", out, ws[i]), &no);
        for (size_t j = 0; j < no && s == OB_OK; j++) {
            char dir[4096];
            ob_pathf(dir, sizeof dir, "%s/runs/%s/%s", out, ws[i], os[j]);
            s = fn(ctx, ws[i], os[j], dir, err);
        }
        ob_run_stems_free(os, no);
    }
    ob_run_stems_free(ws, nw);
    return s;
}

typedef struct {
    ob_csv c;
    int rows;
} gen_ctx;

static ob_status gen_pair(void *ctx, const char *w, const char *o, const char *dir, ob_error *err)
{
    gen_ctx *g = ctx;
    return write_pair(&g->c, dir, w, o, &g->rows, err);
}

ob_status ob_generalization_write(const char *out, ob_error *err)
{
    static const char *const cols[] = {"workload", "optimizer", "seed", "final_epoch",
                                       "final_train_loss", "final_train_acc", "best_epoch",
                                       "best_val_acc", "test_acc", "gap"};
    char path[4096];
    gen_ctx g = {.rows = 0};
    ob_status s = ob_csv_open(&g.c, ob_pathf(path, sizeof path, "%s/generalization.csv", out), err);
    if (s != OB_OK) return s;
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) ob_csv_text(&g.c, cols[k]);
    ob_csv_end_row(&g.c);
    s = ob_tables_each_pair(out, gen_pair, &g, err);
    if (s == OB_OK && g.rows) return ob_csv_commit(&g.c, err);
    ob_csv_abort(&g.c);
    return s;
}

size_t ob_generalization_summary(const ob_table *g, const char *w, const char *o,
                                 ob_gen_summary *s)
{
    int wc = ob_table_col(g, "workload"), oc = ob_table_col(g, "optimizer"), mc[OB_GEN_N];
    for (int k = 0; k < OB_GEN_N; k++) mc[k] = ob_table_col(g, ob_gen_columns[k]);
    double *v = malloc((g->rows + 1) * sizeof *v);
    *s = (ob_gen_summary){0};
    for (int k = 0; k < OB_GEN_N; k++) {
        size_t n = 0;
        for (size_t i = 0; v && i < g->rows; i++)
            if (!strcmp(ob_table_str(g, i, wc), w) && !strcmp(ob_table_str(g, i, oc), o) &&
                !isnan(ob_table_num(g, i, mc[k])))
                v[n++] = ob_table_num(g, i, mc[k]);
        ob_sort(v, n);
        s->med[k] = ob_quantile_sorted(v, n, 0.5);
        s->q1[k] = ob_quantile_sorted(v, n, 0.25);
        s->q3[k] = ob_quantile_sorted(v, n, 0.75);
        if (n > s->seeds) s->seeds = n;
    }
    free(v);
    return s->seeds;
}


size_t ob_generalization_comparable(const ob_gen_summary *s, size_t n, int *comparable)
{
    size_t best = n;
    for (size_t k = 0; k < n; k++)
        if (isfinite(s[k].med[OB_GEN_TRAIN_ACC]) &&
            (best == n || s[k].med[OB_GEN_TRAIN_ACC] > s[best].med[OB_GEN_TRAIN_ACC]))
            best = k;
    for (size_t k = 0; k < n; k++) /* (the 1e-12: a margin that meets the best exactly) */
        comparable[k] = best < n && isfinite(s[k].med[OB_GEN_TRAIN_ACC]) &&
                        s[k].med[OB_GEN_TRAIN_ACC] >=
                            s[best].med[OB_GEN_TRAIN_ACC] - OB_GEN_COMPARABLE - 1e-12;
    return best;
}
