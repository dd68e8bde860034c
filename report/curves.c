/* curves.c - curves/W.csv and netcurves/W.csv: one optimizer's runs summarized across
 * seeds at every logged step (analytic) or epoch (networks), see tables.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/stats.h"
#include "common/table.h"
#include "report/tables.h"

/* the sorted union of the steps logged by the n runs; returns how many (out has room
 * for every row of every run) */
static size_t union_of_steps(ob_run_data *runs, size_t n, double *out)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < runs[k].rows; i++) out[m++] = ob_run_at(&runs[k], i, OB_RC_STEP);
    ob_sort(out, m);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (u == 0 || out[i] != out[u - 1]) out[u++] = out[i];
    return u;
}

void ob_write_curves(ob_csv *c, const char *o, ob_run_data *runs, size_t n)
{
    size_t total = 0;
    for (size_t k = 0; k < n; k++) total += runs[k].rows;
    double *steps = malloc((total ? total : 1) * sizeof *steps);
    double *g = malloc((n ? n : 1) * sizeof *g), *gn = malloc((n ? n : 1) * sizeof *gn);
    double *ev = malloc((n ? n : 1) * sizeof *ev), *sec = malloc((n ? n : 1) * sizeof *sec);
    size_t *pos = calloc(n ? n : 1, sizeof *pos); /* (n) each run's row at or before the step */
    if (!steps || !g || !gn || !ev || !sec || !pos) goto done;
    size_t u = union_of_steps(runs, n, steps);
    for (size_t i = 0; i < u; i++) {
        for (size_t k = 0; k < n; k++) {
            ob_run_data *r = &runs[k];
            while (pos[k] + 1 < r->rows && ob_run_at(r, pos[k] + 1, OB_RC_STEP) <= steps[i]) pos[k]++;
            int past_end = r->rows == 0 || steps[i] > ob_run_at(r, r->rows - 1, OB_RC_STEP);
            if (past_end && ob_run_diverged(r)) { /* blown up: worse than anything */
                g[k] = gn[k] = ev[k] = sec[k] = INFINITY;
            } else { /* a stalled minimizer stays where it stopped */
                g[k] = ob_run_gap_at(r, pos[k]);
                gn[k] = ob_run_at(r, pos[k], OB_RC_GNORM);
                ev[k] = ob_run_at(r, pos[k], OB_RC_EVALS);
                sec[k] = ob_run_at(r, pos[k], OB_RC_SECONDS);
            }
        }
        ob_sort(g, n);
        ob_sort(gn, n);
        ob_sort(ev, n);
        ob_sort(sec, n);
        ob_csv_text(c, o);
        ob_csv_num(c, steps[i]);
        ob_csv_num_or_empty(c, ob_quantile_sorted(ev, n, 0.5));
        ob_csv_num_or_empty(c, ob_quantile_sorted(sec, n, 0.5));
        ob_csv_num_or_empty(c, ob_quantile_sorted(g, n, 0.5));
        ob_csv_num_or_empty(c, ob_quantile_sorted(g, n, 0.25));
        ob_csv_num_or_empty(c, ob_quantile_sorted(g, n, 0.75));
        ob_csv_num_or_empty(c, ob_quantile_sorted(gn, n, 0.5));
        ob_csv_num_or_empty(c, ob_quantile_sorted(gn, n, 0.25));
        ob_csv_num_or_empty(c, ob_quantile_sorted(gn, n, 0.75));
        ob_csv_end_row(c);
    }
done:
    free(steps);
    free(g);
    free(gn);
    free(ev);
    free(sec);
    free(pos);
}

void ob_write_net_curves(ob_csv *c, const char *o, ob_run_data *runs, size_t n)
{
    static const char *const cols[] = {"seconds", "train_loss", "val_loss", "train_acc",
                                       "val_acc", "test_acc"};
    size_t epochs = 0;
    for (size_t k = 0; k < n; k++)
        if (runs[k].curve.rows > epochs) epochs = runs[k].curve.rows;
    double *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) return;
    for (size_t e = 0; e < epochs; e++) {
        ob_csv_text(c, o);
        ob_csv_int(c, (long)e);
        for (int j = 0; j < 6; j++) {
            for (size_t k = 0; k < n; k++) {
                const ob_table *t = &runs[k].curve;
                double x = e < t->rows ? ob_table_num(t, e, ob_table_col(t, cols[j])) : NAN;
                /* a run that stopped (diverged) has no row: the worst value */
                if (!isfinite(x)) x = strstr(cols[j], "acc") ? 0 : INFINITY;
                v[k] = x;
            }
            ob_sort(v, n);
            ob_csv_num_or_empty(c, ob_quantile_sorted(v, n, 0.5));
            if (j == 1 || j == 2 || j == 4) { /* quartiles for train/val loss and val acc */
                ob_csv_num_or_empty(c, ob_quantile_sorted(v, n, 0.25));
                ob_csv_num_or_empty(c, ob_quantile_sorted(v, n, 0.75));
            }
        }
        ob_csv_end_row(c);
    }
    free(v);
}
