/* oracle.c - what each optimizer received on each workload (the gradient oracle), from
 * the runs themselves: out/oracle.csv (the report's sentence: report/oracle.c).
 *
 * A run's summary records its oracle: analytic runs their `noise` (the norm sigma of the
 * additive Gaussian noise) and `batch` (mini-batch size; 0: the full gradient); network
 * runs their `batch`, except that a full-gradient rule (gd) takes the whole training set
 * whatever the batch (nets/train.c), which oracle.csv writes as batch 0. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/csvout.h"
#include "optimizers/optimizer.h"
#include "common/path.h"
#include "tables/generalization.h"
#include "tables/tables.h"
#include "runs/runfile.h"

typedef struct {
    ob_csv c;
    int rows;
} oracle_ctx;

static ob_status oracle_pair(void *ctx, const char *w, const char *o, const char *dir,
                             ob_error *err)
{
    (void)err;
    size_t n = 0;
    char **stems = ob_run_stems(dir, "seed-", &n); /* a final run; else a tuning run */
    if (!stems) stems = ob_run_stems(dir, "tune-", &n);
    ob_table t;
    int ok = n > 0 && ob_run_summary_read(dir, stems[0], &t, NULL) == OB_OK;
    ob_run_stems_free(stems, n);
    if (!ok) return OB_OK;
    if (t.rows) {
        int net = !strcmp(ob_table_str(&t, 0, ob_table_col(&t, "kind")), "network");
        double noise = ob_table_num(&t, 0, ob_table_col(&t, "noise")),
               batch = ob_table_num(&t, 0, ob_table_col(&t, "batch"));
        const ob_optimizer_type *T = ob_optimizer_find(o);
        if (net && T && T->full_gradient) batch = 0;
        oracle_ctx *x = ctx;
        ob_csv *c = &x->c;
        x->rows++;
        ob_csv_text(c, w);
        ob_csv_text(c, net ? "network" : "analytic");
        ob_csv_text(c, o);
        ob_csv_num(c, isnan(noise) ? 0 : noise);
        ob_csv_num(c, isnan(batch) ? 0 : batch);
        ob_csv_end_row(c);
    }
    ob_table_free(&t);
    return OB_OK;
}

ob_status ob_oracle_write(const char *out, ob_error *err)
{
    static const char *const cols[] = {"workload", "kind", "optimizer", "noise", "batch"};
    char path[4096];
    oracle_ctx x = {.rows = 0};
    ob_status s = ob_csv_open(&x.c, ob_pathf(path, sizeof path, "%s/oracle.csv", out), err);
    if (s != OB_OK) return s;
    for (size_t k = 0; k < 5; k++) ob_csv_text(&x.c, cols[k]);
    ob_csv_end_row(&x.c);
    s = ob_tables_each_pair(out, oracle_pair, &x, err);
    if (s == OB_OK && x.rows) return ob_csv_commit(&x.c, err);
    ob_csv_abort(&x.c);
    return s;
}

