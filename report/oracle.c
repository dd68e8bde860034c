/* oracle.c - what each optimizer received on each workload (the gradient oracle), from
 * the runs themselves: out/oracle.csv, and the sentence of the report's workload
 * sections that states it.
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
#include "plots/draw.h"
#include "report/generalization.h"
#include "report/sections.h"
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
    char path[4200];
    ob_table t;
    int ok = n > 0 && ob_table_read(ob_pathf(path, sizeof path, "%s/%s.summary.csv", dir, stems[0]),
                                    &t, NULL) == OB_OK;
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
    s = ob_report_each_pair(out, oracle_pair, &x, err);
    if (s == OB_OK && x.rows) return ob_csv_commit(&x.c, err);
    ob_csv_abort(&x.c);
    return s;
}

/* "the full gradient", "mini-batches of 32 samples", "gradient noise of norm 0.1" */
static void oracle_words(char *buf, size_t cap, int net, double noise, double batch)
{
    if (net && batch == 0)
        snprintf(buf, cap, "the whole training set at every step");
    else if (batch > 0)
        snprintf(buf, cap, "mini-batches of %.0f samples", batch);
    else if (noise > 0)
        snprintf(buf, cap, "the full gradient plus Gaussian noise of norm σ = %g", noise);
    else
        snprintf(buf, cap, "the full gradient");
}

void ob_section_oracle(ob_doc *d, const ob_report_tables *t, const char *w)
{
    if (!t->have_oracle) return;
    const ob_table *O = &t->oracle;
    int oc = ob_table_col(O, "optimizer"), nc = ob_table_col(O, "noise"),
        bc = ob_table_col(O, "batch"), kc = ob_table_col(O, "kind");
    size_t idx[OB_MAX_SERIES * 4];
    size_t n = ob_rows_where(O, ob_table_col(O, "workload"), w, idx, sizeof idx / sizeof *idx);
    if (n == 0) return;
    /* the optimizers grouped by what they received, groups in order of first appearance
     * in the canonical optimizer order */
    const char *names[OB_MAX_SERIES * 4];
    size_t rows[OB_MAX_SERIES * 4];
    for (size_t i = 0; i < n; i++) names[i] = ob_table_str(O, idx[i], oc);
    ob_style_sort(names, n);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < n; k++)
            if (!strcmp(ob_table_str(O, idx[k], oc), names[i])) rows[i] = idx[k];
    char text[4096] = "";
    size_t len = 0;
    int done[OB_MAX_SERIES * 4] = {0}, groups = 0;
    for (size_t i = 0; i < n; i++) {
        if (done[i]) continue;
        double noise = ob_table_num(O, rows[i], nc), batch = ob_table_num(O, rows[i], bc);
        int net = !strcmp(ob_table_str(O, rows[i], kc), "network");
        char what[128];
        oracle_words(what, sizeof what, net, noise, batch);
        len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0, "%s%s: ",
                                groups++ ? "; " : "", what);
        for (size_t k = i, first = 1; k < n; k++)
            if (!done[k] && ob_table_num(O, rows[k], nc) == noise &&
                ob_table_num(O, rows[k], bc) == batch) {
                done[k] = 1;
                len += (size_t)snprintf(text + len, len < sizeof text ? sizeof text - len : 0,
                                        "%s%s", first ? "" : ", ", names[k]);
                first = 0;
            }
    }
    ob_doc_p(d, "**What each optimizer received:** %s.", text);
}
