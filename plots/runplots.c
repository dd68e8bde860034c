/* runplots.c - the kinds of CSV that `optbench plot FILE.csv` draws (see runplots.h). */
#include "plots/runplots.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/table.h"
#include "plots/fig_sharpness.h"

static const char *const run_columns[] = {"step", "loss", "grad_norm", NULL};
static const char *const train_columns[] = {"epoch", "train_loss", "val_loss", NULL};

static const ob_csv_kind k_run = {
    .name = "run", .what = "a trajectory CSV (optbench run: step,loss,grad_norm,...)",
    .columns = run_columns, .draw = ob_plot_run_csvs,
};
static const ob_csv_kind k_train = {
    .name = "train", .what = "a training CSV (optbench train: epoch,train_loss,val_loss,...)",
    .columns = train_columns, .draw = ob_plot_train_csvs,
};

/* the first kind whose columns a CSV has wins: a kind with more columns goes first */
const ob_csv_kind *const ob_csv_kinds[] = {&k_train, &k_run, NULL};

size_t ob_csv_stem_len(const char *base)
{
    size_t n = strlen(base);
    if (n > 7 && strcmp(base + n - 7, ".csv.gz") == 0) return n - 7;
    if (n > 4 && strcmp(base + n - 4, ".csv") == 0) return n - 4;
    return n;
}

ob_status ob_plot_sharpness_of(const char *const *csv, size_t n, ob_csv_plot_opts *o,
                               ob_error *err)
{
    for (size_t k = 0; k < n; k++) {
        if (!ob_csv_has_sharpness(csv[k])) continue;
        char out[4096], stem[256];
        const char *base = strrchr(csv[k], '/');
        base = base ? base + 1 : csv[k];
        snprintf(stem, sizeof stem, "%.*s", (int)ob_csv_stem_len(base), base);
        if (n == 1)
            snprintf(out, sizeof out, "%s/%s-sharpness.%s", o->outdir, o->stem, o->format);
        else
            snprintf(out, sizeof out, "%s/%s-sharpness-%s.%s", o->outdir, o->stem, stem, o->format);
        ob_status s = ob_fig_sharpness(csv[k], out, NAN, NULL, err);
        if (s != OB_OK) return s;
        if (o->n_written < sizeof o->written / sizeof *o->written)
            snprintf(o->written[o->n_written++], sizeof *o->written, "%s", out);
    }
    return OB_OK;
}

const ob_csv_kind *ob_csv_kind_of(const char *csv, ob_error *err)
{
    ob_table t;
    if (ob_table_read(csv, &t, err) != OB_OK) return NULL;
    const ob_csv_kind *found = NULL;
    for (const ob_csv_kind *const *k = ob_csv_kinds; *k && !found; k++) {
        int all = 1;
        for (const char *const *c = (*k)->columns; *c; c++) all &= ob_table_col(&t, *c) >= 0;
        if (all) found = *k;
    }
    ob_table_free(&t);
    if (!found) {
        char kinds[1024] = "";
        size_t n = 0;
        for (const ob_csv_kind *const *k = ob_csv_kinds; *k; k++)
            n += (size_t)snprintf(kinds + n, n < sizeof kinds ? sizeof kinds - n : 0, "%s%s",
                                  n ? "; " : "", (*k)->what);
        ob_fail(err, OB_EINVAL, "%s: not a CSV optbench plot draws (accepted: %s)", csv, kinds);
    }
    return found;
}
