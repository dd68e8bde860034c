/* tables.c - one (workload, optimizer) pair from its run files: its rows of tuning.csv,
 * chosen.csv, metrics_analytic.csv, metrics_net.csv and reached.csv, its curves, and the
 * per-seed statistics that the ranking tables and the profiles are computed from (tables.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>

#include "bench/tuning.h"
#include "common/stats.h"
#include "tables/pairs.h"

void ob_csv_num_or_empty(ob_csv *c, double v)
{
    if (isfinite(v)) ob_csv_num(c, v);
    else ob_csv_text(c, "");
}

void ob_csv_header(ob_csv *c, const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) ob_csv_text(c, cols[i]);
    ob_csv_end_row(c);
}

const char *ob_kind_name(int net) { return net ? "network" : "analytic"; }

/* A final loss gap f - f* as the tables give it: clamped at 0.  f below f* is round-off
 * in f or in f* (-5.55e-17 on a problem whose f* is 0.5), not a run that beat the
 * optimum; NaN and inf pass through. */
static double gap_clamped(double g) { return g < 0 ? 0 : g; }

/* tuning.csv's rows of the pair (one per grid point: lr, times the listed values when the
 * suite lists any) and its chosen.csv row; T->hparams adds the points' values */
static ob_status tuning_rows(ob_tables *T, const char *dir, const char *w, const char *o,
                             ob_error *err)
{
    ob_tune_row *tr;
    size_t nt;
    ob_status s = ob_tuning_load(dir, T->tg.v[OB_TIGHTEST(T->tg.n)], &tr, &nt, err);
    if (s != OB_OK) return s;
    for (size_t i = 0; i < nt; i++) {
        ob_csv_text(&T->tuning, w);
        ob_csv_text(&T->tuning, ob_kind_name(tr[i].net));
        ob_csv_text(&T->tuning, o);
        ob_csv_num(&T->tuning, tr[i].lr);
        ob_csv_text(&T->tuning, tr[i].status);
        ob_csv_num_or_empty(&T->tuning, gap_clamped(tr[i].final_gap));
        ob_csv_num(&T->tuning, tr[i].score);
        ob_csv_text(&T->tuning, tr[i].trial     ? "random"
                                : tr[i].extended ? "extended"
                                                 : "original"); /* tuning.h */
        if (T->hparams) ob_csv_text(&T->tuning, tr[i].hp); /* "" for a pair without lists */
        if (T->trials && tr[i].trial) ob_csv_int(&T->tuning, tr[i].trial);
        else if (T->trials) ob_csv_text(&T->tuning, "");
        ob_csv_end_row(&T->tuning);
    }
    if (nt) {
        size_t b = ob_tuning_choose(tr, nt);
        ob_csv_text(&T->chosen, w);
        ob_csv_text(&T->chosen, ob_kind_name(tr[b].net));
        ob_csv_text(&T->chosen, o);
        ob_csv_num(&T->chosen, tr[b].lr);
        ob_csv_num(&T->chosen, tr[b].score);
        ob_csv_num(&T->chosen, tr[0].lr);
        ob_csv_num(&T->chosen, tr[nt - 1].lr);
        ob_csv_int(&T->chosen, (long)nt); /* every point of the grid: lr x the lists */
        if (T->hparams) ob_csv_text(&T->chosen, tr[b].hp);
        ob_csv_end_row(&T->chosen);
    }
    free(tr);
    return OB_OK;
}

/* A new entry of T->pairs with room for ns seeds, or NULL when out of memory. */
static ob_pair_stats *new_pair(ob_tables *T, const char *w, const char *o, size_t ns)
{
    if (T->npairs == T->cap) {
        size_t cap = T->cap ? 2 * T->cap : 32;
        ob_pair_stats *np = realloc(T->pairs, cap * sizeof *np);
        if (!np) return NULL;
        T->pairs = np, T->cap = cap;
    }
    ob_pair_stats *P = &T->pairs[T->npairs];
    memset(P, 0, sizeof *P);
    snprintf(P->w, sizeof P->w, "%s", w);
    snprintf(P->o, sizeof P->o, "%s", o);
    P->seeds = (int)ns;
    P->nt = T->tg.n;
    int ok = (P->final_gap = malloc(ns * sizeof *P->final_gap)) != NULL;
    ok &= (P->val = malloc(ns * sizeof *P->val)) != NULL;
    ok &= (P->test = malloc(ns * sizeof *P->test)) != NULL;
    ok &= (P->esec = malloc(ns * sizeof *P->esec)) != NULL;
    for (int k = 0; k < OB_N_TARGETS; k++) {
        ok &= (P->to[k] = malloc(ns * sizeof *P->to[k])) != NULL;
        ok &= (P->steps_to[k] = malloc(ns * sizeof *P->steps_to[k])) != NULL;
    }
    T->npairs++; /* freed with the others, complete or not */
    return ok ? P : NULL;
}

/* seed i of a network pair: its statistics and its metrics_net.csv row */
static void net_seed(ob_pair_stats *P, size_t i, const ob_run_data *r, ob_csv *m)
{
    P->final_gap[i] = INFINITY;
    for (int k = 0; k < OB_N_TARGETS; k++) P->to[k][i] = P->steps_to[k][i] = INFINITY;
    P->val[i] = ob_run_diverged(r) ? -INFINITY : r->best_val_acc;
    P->test[i] = r->test_acc;
    P->esec[i] = r->epoch_seconds;
    ob_csv_text(m, P->w);
    ob_csv_text(m, P->o);
    ob_csv_num(m, r->lr);
    ob_csv_int(m, r->seed);
    ob_csv_text(m, r->status);
    ob_csv_num_or_empty(m, r->best_val_acc);
    ob_csv_num_or_empty(m, r->test_acc);
    ob_csv_num_or_empty(m, r->epoch_seconds);
    ob_csv_end_row(m);
}

/* seed i of an analytic pair: its statistics, its metrics_analytic.csv row and its
 * reached.csv rows (one per target: the first logged row at or below it, which the
 * bench's run loop logs whatever the grid, runs/run.h; empty cells when never) */
static void analytic_seed(ob_pair_stats *P, size_t i, const ob_run_data *r, ob_tables *T)
{
    const ob_target_set *tg = &T->tg;
    ob_csv *m = &T->metrics, *h = &T->reached;
    P->final_gap[i] = ob_run_diverged(r) ? INFINITY : gap_clamped(r->final_gap);
    P->val[i] = P->test[i] = P->esec[i] = NAN;
    ob_csv_text(m, P->w);
    ob_csv_text(m, P->o);
    ob_csv_num(m, r->lr);
    ob_csv_int(m, r->seed);
    ob_csv_text(m, r->status);
    if (r->diverged_step >= 0) ob_csv_int(m, r->diverged_step);
    else ob_csv_text(m, "");
    ob_csv_num(m, r->f0);
    ob_csv_num_or_empty(m, P->final_gap[i]);
    ob_csv_num(m, r->final_gnorm);
    ob_csv_num(m, r->sec_per_step);
    ob_csv_end_row(m);
    for (int k = 0; k < OB_N_TARGETS; k++) P->steps_to[k][i] = P->to[k][i] = INFINITY;
    for (int k = 0; k < tg->n; k++) {
        long row = ob_run_first_below(r, tg->v[k]);
        P->steps_to[k][i] = row < 0 ? INFINITY : ob_run_at(r, row, OB_RC_STEP);
        P->to[k][i] = row < 0 ? INFINITY : ob_run_at(r, row, OB_RC_EVALS);
        ob_csv_text(h, P->w);
        ob_csv_text(h, P->o);
        ob_csv_int(h, r->seed);
        ob_csv_text(h, tg->name[k]);
        ob_csv_num_or_empty(h, P->steps_to[k][i]);
        ob_csv_num_or_empty(h, P->to[k][i]);
        ob_csv_num_or_empty(h, row < 0 ? INFINITY : ob_run_at(r, row, OB_RC_SECONDS));
        ob_csv_end_row(h);
    }
}

/* The seed-N stems of a pair in numeric order of N (seed-10 after seed-9): a
 * permutation from gsl_sort_index over the seed numbers. */
static ob_status order_seeds(char **stems, size_t ns, ob_error *err)
{
    double *num = malloc(ns * sizeof *num);
    size_t *perm = malloc(ns * sizeof *perm);
    char **tmp = malloc(ns * sizeof *tmp);
    if (!num || !perm || !tmp) {
        free(num), free(perm), free(tmp);
        return ob_fail(err, OB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < ns; i++) num[i] = atoi(stems[i] + 5); /* after "seed-" */
    gsl_sort_index(perm, num, 1, ns);
    for (size_t i = 0; i < ns; i++) tmp[i] = stems[perm[i]];
    memcpy(stems, tmp, ns * sizeof *stems);
    free(num), free(perm), free(tmp);
    return OB_OK;
}

ob_status ob_tables_add_pair(ob_tables *T, const char *out, const char *w, const char *o,
                             ob_csv *curves, ob_csv *netcurves, ob_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", out, w, o);
    ob_status s = tuning_rows(T, dir, w, o, err);
    if (s != OB_OK) return s;
    size_t ns;
    char **stems = ob_run_stems(dir, "seed-", &ns);
    if (ns == 0) {
        ob_run_stems_free(stems, ns);
        return OB_OK;
    }
    s = order_seeds(stems, ns, err);
    ob_run_data *runs = calloc(ns, sizeof *runs);
    double *spp = malloc(ns * sizeof *spp); /* (ns) seconds per step; NaN for networks */
    ob_pair_stats *P = s == OB_OK && runs && spp ? new_pair(T, w, o, ns) : NULL;
    if (s == OB_OK && !P) s = ob_fail(err, OB_ENOMEM, "out of memory");
    for (size_t i = 0; i < ns && s == OB_OK; i++) {
        ob_run_data *r = &runs[i];
        if ((s = ob_run_data_load(dir, stems[i], r, err)) != OB_OK) break;
        P->lr = r->lr;
        P->ndiv += ob_run_diverged(r);
        P->net = r->net;
        spp[i] = r->net ? NAN : r->sec_per_step;
        if (r->net) net_seed(P, i, r, &T->metrics_net);
        else analytic_seed(P, i, r, T);
    }
    if (s == OB_OK) {
        P->spp = ob_median(spp, ns);
        if (P->net) ob_write_net_curves(netcurves, o, runs, ns), T->net_rows = 1;
        else ob_write_curves(curves, o, runs, ns), T->curve_rows = 1;
        if (P->net && T->netsteps) T->step_rows |= ob_write_net_steps(T->netsteps, o, runs, ns);
        if (T->sharpness) T->sharp_rows |= ob_write_sharpness(T->sharpness, o, runs, ns);
    }
    for (size_t i = 0; runs && i < ns; i++) ob_run_data_free(&runs[i]);
    free(runs);
    free(spp);
    ob_run_stems_free(stems, ns);
    return s;
}

void ob_tables_free(ob_tables *T)
{
    for (size_t i = 0; i < T->npairs; i++) {
        ob_pair_stats *P = &T->pairs[i];
        free(P->final_gap);
        free(P->val);
        free(P->test);
        free(P->esec);
        for (int k = 0; k < OB_N_TARGETS; k++) {
            free(P->to[k]);
            free(P->steps_to[k]);
        }
    }
    free(T->pairs);
    T->pairs = NULL;
    T->npairs = T->cap = 0;
}
