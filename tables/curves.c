/* curves.c - curves/W.csv and netcurves/W.csv: one optimizer's runs summarized across
 * seeds at every logged step (analytic) or epoch (networks), see tables.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/stats.h"
#include "common/table.h"
#include "tables/pairs.h"

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

/* ---- the step log and the sharpness -------------------------------------------------- */

/* One run's logged rows as columns (a network's step log or an analytic trajectory);
 * NaN where a column is absent or a cell empty. */
typedef struct {
    size_t n;
    double *v; /* (5, n): step, epoch, loss, sharpness, threshold */
} run_cols;
enum { RC_STEP, RC_EPOCH, RC_LOSS, RC_SHARP, RC_THRESH, RC_NCOLS };

static int run_columns(const ob_run_data *r, run_cols *c)
{
    c->n = r->net ? r->steps.rows : r->rows;
    c->v = malloc((RC_NCOLS * c->n + 1) * sizeof *c->v);
    if (!c->v) return -1;
    if (r->net) {
        static const char *const names[RC_NCOLS] = {"step", "epoch", "mean_loss", "sharpness",
                                                    "threshold"};
        for (int k = 0; k < RC_NCOLS; k++) {
            int col = ob_table_col(&r->steps, names[k]);
            for (size_t i = 0; i < c->n; i++) c->v[k * c->n + i] = ob_table_num(&r->steps, i, col);
        }
        return 0;
    }
    for (size_t i = 0; i < c->n; i++) {
        c->v[RC_STEP * c->n + i] = ob_run_at(r, i, OB_RC_STEP);
        c->v[RC_EPOCH * c->n + i] = NAN;
        c->v[RC_LOSS * c->n + i] = ob_run_at(r, i, OB_RC_LOSS);
        c->v[RC_SHARP * c->n + i] = r->sharp_col >= 0 ? r->v[i * r->cols + (size_t)r->sharp_col] : NAN;
        c->v[RC_THRESH * c->n + i] = r->thresh_col >= 0 ? r->v[i * r->cols + (size_t)r->thresh_col] : NAN;
    }
    return 0;
}

#define RC(c, k, i) ((c)->v[(size_t)(k) * (c)->n + (i)])

/* the sorted distinct steps of the runs' rows (with want >= 0: only rows where column
 * want is not NaN) into out (room for every row); returns how many */
static size_t steps_union(const run_cols *rc, size_t n, int want, double *out)
{
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < rc[k].n; i++)
            if (want < 0 || !isnan(RC(&rc[k], want, i))) out[m++] = RC(&rc[k], RC_STEP, i);
    ob_sort(out, m);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (!isnan(out[i]) && (u == 0 || out[i] != out[u - 1])) out[u++] = out[i];
    return u;
}

/* column k of run c at step s: its row at that step, or at the last one before it; a
 * diverged run past its end: inf (worse than anything); NaN when it has none */
static double at_step(const run_cols *c, const ob_run_data *r, int k, double s, int exact)
{
    size_t i = c->n;
    while (i > 0 && RC(c, RC_STEP, i - 1) > s) i--;
    if (i == 0) return NAN;
    if (exact && RC(c, RC_STEP, i - 1) != s) return NAN;
    if (i == c->n && s > RC(c, RC_STEP, c->n - 1) && ob_run_diverged(r)) return INFINITY;
    return RC(c, k, i - 1);
}

/* the finite-or-inf values of v (n) sorted into v; returns how many (NaN dropped) */
static size_t present(double *v, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i])) v[m++] = v[i];
    ob_sort(v, m);
    return m;
}

static void quantiles(ob_csv *c, double *v, size_t n, int quartiles)
{
    size_t m = present(v, n);
    ob_csv_num_or_empty(c, m ? ob_quantile_sorted(v, m, 0.5) : NAN);
    if (!quartiles) return;
    ob_csv_num_or_empty(c, m ? ob_quantile_sorted(v, m, 0.25) : NAN);
    ob_csv_num_or_empty(c, m ? ob_quantile_sorted(v, m, 0.75) : NAN);
}

/* rows of netsteps (sharp 0) or sharpness (sharp 1) for optimizer o */
static int write_steps(ob_csv *c, const char *o, ob_run_data *runs, size_t n, int sharp)
{
    run_cols *rc = calloc(n ? n : 1, sizeof *rc);
    size_t total = 0;
    int ok = rc != NULL, wrote = 0;
    for (size_t k = 0; ok && k < n; k++) {
        ok = run_columns(&runs[k], &rc[k]) == 0;
        total += rc[k].n;
    }
    double *steps = ok ? malloc((total + 1) * sizeof *steps) : NULL;
    double *v = ok ? malloc((n + 1) * sizeof *v) : NULL;
    if (ok && steps && v) {
        size_t u = steps_union(rc, n, sharp ? RC_SHARP : -1, steps);
        for (size_t i = 0; i < u; i++, wrote = 1) {
            ob_csv_text(c, o);
            ob_csv_num(c, steps[i]);
            /* the sharpness is an estimate at its own steps: no carrying forward */
            static const int cols[2][4] = {{RC_EPOCH, RC_LOSS, -1, -1},
                                           {RC_EPOCH, RC_LOSS, RC_SHARP, RC_THRESH}};
            for (int j = 0; j < (sharp ? 4 : 2); j++) {
                const int col = cols[sharp][j];
                for (size_t k = 0; k < n; k++)
                    v[k] = at_step(&rc[k], &runs[k], col, steps[i], sharp || col == RC_EPOCH);
                if (col == RC_EPOCH) for (size_t k = 0; k < n; k++) v[k] = isinf(v[k]) ? NAN : v[k];
                quantiles(c, v, n, (sharp && col == RC_SHARP) || (!sharp && col == RC_LOSS));
            }
            ob_csv_end_row(c);
        }
    }
    for (size_t k = 0; rc && k < n; k++) free(rc[k].v);
    free(rc);
    free(steps);
    free(v);
    return wrote;
}

int ob_write_net_steps(ob_csv *c, const char *o, ob_run_data *runs, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!runs[k].net || runs[k].steps.rows == 0) return 0; /* written before step logs */
    return write_steps(c, o, runs, n, 0);
}

int ob_write_sharpness(ob_csv *c, const char *o, ob_run_data *runs, size_t n)
{
    int any = 0;
    for (size_t k = 0; k < n; k++)
        any |= runs[k].net ? ob_table_col(&runs[k].steps, "sharpness") >= 0 : runs[k].sharp_col >= 0;
    return any ? write_steps(c, o, runs, n, 1) : 0;
}
