/* aggregate.c - the result tables of results/README.md, from out/runs/ alone.
 *
 * Everything here is a function of the run files, read in sorted order, so the same
 * runs give byte-identical tables (timing columns aside) however they were produced:
 * in one process, with --jobs N, or by shards merged into one directory. */
#include <dirent.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/csvout.h"
#include "common/csvread.h"
#include "common/table.h"
#include "bench/bench_internal.h"
#include "bench/tuning.h"
#include "common/stats.h"
#include "runs/runfile.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void num_or_empty(ob_csv *w, double v)
{
    if (isfinite(v)) ob_csv_num(w, v);
    else ob_csv_text(w, "");
}

/* ---- the tables ------------------------------------------------------------------------ */

typedef struct {
    char w[128], o[64];
    double lr;
    int seeds, ndiv;
    double *final_gap;           /* (seeds) */
    double *to[OB_N_TARGETS];    /* (seeds) evals to each target, inf when not reached */
    double *steps_to[OB_N_TARGETS];
    double spp;                  /* median seconds per step */
    int net;                     /* a network pair: the three below instead */
    double *val, *test, *esec;   /* (seeds) best validation accuracy, test accuracy there,
                                    median epoch seconds */
} pair_stats;

static const char *kind_name(int net) { return net ? "network" : "analytic"; }

static void header(ob_csv *c, const char *const *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) ob_csv_text(c, cols[i]);
    ob_csv_end_row(c);
}

/* curves/W.csv for one optimizer: quantiles across seeds at every logged step */
static void write_curves(ob_csv *c, const char *o, ob_run_data *runs, size_t n)
{
    /* the union of the logged steps, in order */
    size_t total = 0;
    for (size_t k = 0; k < n; k++) total += runs[k].rows;
    double *steps = malloc((total ? total : 1) * sizeof *steps);
    double *g = malloc((n ? n : 1) * sizeof *g), *gn = malloc((n ? n : 1) * sizeof *gn);
    double *ev = malloc((n ? n : 1) * sizeof *ev), *sec = malloc((n ? n : 1) * sizeof *sec);
    size_t *pos = calloc(n ? n : 1, sizeof *pos);
    if (!steps || !g || !gn || !ev || !sec || !pos) goto done;
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < runs[k].rows; i++) steps[m++] = ob_run_at(&runs[k], i, OB_RC_STEP);
    ob_sort(steps, m);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (u == 0 || steps[i] != steps[u - 1]) steps[u++] = steps[i];
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
        num_or_empty(c, ob_quantile_sorted(ev, n, 0.5));
        num_or_empty(c, ob_quantile_sorted(sec, n, 0.5));
        num_or_empty(c, ob_quantile_sorted(g, n, 0.5));
        num_or_empty(c, ob_quantile_sorted(g, n, 0.25));
        num_or_empty(c, ob_quantile_sorted(g, n, 0.75));
        num_or_empty(c, ob_quantile_sorted(gn, n, 0.5));
        num_or_empty(c, ob_quantile_sorted(gn, n, 0.25));
        num_or_empty(c, ob_quantile_sorted(gn, n, 0.75));
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

typedef struct {
    ob_csv tuning, chosen, metrics, ranking;
    pair_stats *pairs;
    size_t npairs, cap;
    int curve_rows, net_rows;   /* the current workload wrote curves / netcurves */
} tables;

/* netcurves/W.csv for one optimizer: per epoch, medians (and quartiles) across seeds */
static void write_net_curves(ob_csv *c, const char *o, ob_run_data *runs, size_t n)
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
            num_or_empty(c, ob_quantile_sorted(v, n, 0.5));
            if (j == 1 || j == 2 || j == 4) { /* quartiles for train/val loss and val acc */
                num_or_empty(c, ob_quantile_sorted(v, n, 0.25));
                num_or_empty(c, ob_quantile_sorted(v, n, 0.75));
            }
        }
        ob_csv_end_row(c);
    }
    free(v);
}

static ob_status add_pair(tables *T, const char *out, const char *w, const char *o,
                          ob_csv *curves, ob_csv *netcurves, ob_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/runs/%s/%s", out, w, o);
    ob_tune_row *tr;
    size_t nt;
    ob_status s = ob_tuning_load(dir, &tr, &nt, err);
    if (s != OB_OK) return s;
    for (size_t i = 0; i < nt; i++) {
        ob_csv_text(&T->tuning, w);
        ob_csv_text(&T->tuning, kind_name(tr[i].net));
        ob_csv_text(&T->tuning, o);
        ob_csv_num(&T->tuning, tr[i].lr);
        ob_csv_text(&T->tuning, tr[i].status);
        num_or_empty(&T->tuning, tr[i].final_gap);
        ob_csv_num(&T->tuning, tr[i].score);
        ob_csv_end_row(&T->tuning);
    }
    if (nt) {
        size_t b = ob_tuning_choose(tr, nt);
        ob_csv_text(&T->chosen, w);
        ob_csv_text(&T->chosen, kind_name(tr[b].net));
        ob_csv_text(&T->chosen, o);
        ob_csv_num(&T->chosen, tr[b].lr);
        ob_csv_num(&T->chosen, tr[b].score);
        ob_csv_num(&T->chosen, tr[0].lr);
        ob_csv_num(&T->chosen, tr[nt - 1].lr);
        ob_csv_int(&T->chosen, (long)nt);
        ob_csv_end_row(&T->chosen);
    }
    free(tr);

    size_t ns;
    char **stems = ob_run_stems(dir, "seed-", &ns);
    if (ns == 0) {
        ob_run_stems_free(stems, ns);
        return OB_OK;
    }
    /* numeric order of the seeds: seed-10 after seed-9 */
    for (size_t i = 1; i < ns; i++)
        for (size_t j = i; j > 0 && atoi(stems[j] + 5) < atoi(stems[j - 1] + 5); j--) {
            char *tmp = stems[j];
            stems[j] = stems[j - 1];
            stems[j - 1] = tmp;
        }
    ob_run_data *runs = calloc(ns, sizeof *runs);
    if (T->npairs == T->cap) {
        T->cap = T->cap ? 2 * T->cap : 32;
        pair_stats *np = realloc(T->pairs, T->cap * sizeof *np);
        if (!np) s = ob_fail(err, OB_ENOMEM, "out of memory");
        else T->pairs = np;
    }
    if (!runs) s = ob_fail(err, OB_ENOMEM, "out of memory");
    pair_stats *P = s == OB_OK ? &T->pairs[T->npairs] : NULL;
    if (P) {
        memset(P, 0, sizeof *P);
        snprintf(P->w, sizeof P->w, "%s", w);
        snprintf(P->o, sizeof P->o, "%s", o);
        P->seeds = (int)ns;
        P->final_gap = malloc(ns * sizeof *P->final_gap);
        P->val = malloc(ns * sizeof *P->val);
        P->test = malloc(ns * sizeof *P->test);
        P->esec = malloc(ns * sizeof *P->esec);
        for (int k = 0; k < OB_N_TARGETS; k++) {
            P->to[k] = malloc(ns * sizeof *P->to[k]);
            P->steps_to[k] = malloc(ns * sizeof *P->steps_to[k]);
        }
    }
    double *spp = malloc(ns * sizeof *spp);
    for (size_t i = 0; i < ns && s == OB_OK; i++) {
        ob_run_data *r = &runs[i];
        if ((s = ob_run_data_load(dir, stems[i], r, err)) != OB_OK) break;
        P->lr = r->lr;
        P->ndiv += ob_run_diverged(r);
        P->net = r->net;
        ob_csv *m = &T->metrics;
        if (r->net) {
            P->final_gap[i] = INFINITY;
            for (int k = 0; k < OB_N_TARGETS; k++) P->to[k][i] = P->steps_to[k][i] = INFINITY;
            P->val[i] = ob_run_diverged(r) ? -INFINITY : r->best_val_acc;
            P->test[i] = r->test_acc;
            P->esec[i] = r->epoch_seconds;
            spp[i] = NAN;
            ob_csv_text(m, w);
            ob_csv_text(m, kind_name(1));
            ob_csv_text(m, o);
            ob_csv_num(m, r->lr);
            ob_csv_int(m, r->seed);
            ob_csv_text(m, r->status);
            for (int k = 0; k < 14; k++) ob_csv_text(m, ""); /* the analytic columns */
            num_or_empty(m, r->best_val_acc);
            num_or_empty(m, r->test_acc);
            num_or_empty(m, r->epoch_seconds);
            ob_csv_end_row(m);
            continue;
        }
        P->final_gap[i] = ob_run_diverged(r) ? INFINITY : r->final_gap;
        P->val[i] = P->test[i] = P->esec[i] = NAN;
        spp[i] = r->sec_per_step;
        ob_csv_text(m, w);
        ob_csv_text(m, kind_name(0));
        ob_csv_text(m, o);
        ob_csv_num(m, r->lr);
        ob_csv_int(m, r->seed);
        ob_csv_text(m, r->status);
        if (r->diverged_step >= 0) ob_csv_int(m, r->diverged_step);
        else ob_csv_text(m, "");
        ob_csv_num(m, r->f0);
        num_or_empty(m, P->final_gap[i]);
        ob_csv_num(m, r->final_gnorm);
        double secs_to[OB_N_TARGETS];
        for (int k = 0; k < OB_N_TARGETS; k++) {
            long row = ob_run_first_below(r, ob_targets[k]);
            P->steps_to[k][i] = row < 0 ? INFINITY : ob_run_at(r, row, OB_RC_STEP);
            P->to[k][i] = row < 0 ? INFINITY : ob_run_at(r, row, OB_RC_EVALS);
            secs_to[k] = row < 0 ? INFINITY : ob_run_at(r, row, OB_RC_SECONDS);
        }
        for (int k = 0; k < OB_N_TARGETS; k++) num_or_empty(m, P->steps_to[k][i]);
        for (int k = 0; k < OB_N_TARGETS; k++) num_or_empty(m, secs_to[k]);
        for (int k = 0; k < OB_N_TARGETS; k++) num_or_empty(m, P->to[k][i]);
        ob_csv_num(m, r->sec_per_step);
        for (int k = 0; k < 3; k++) ob_csv_text(m, ""); /* network columns */
        ob_csv_end_row(m);
    }
    if (s == OB_OK) {
        ob_sort(spp, ns);
        P->spp = ob_quantile_sorted(spp, ns, 0.5);
        if (P->net) {
            write_net_curves(netcurves, o, runs, ns);
            T->net_rows = 1;
        } else {
            write_curves(curves, o, runs, ns);
            T->curve_rows = 1;
        }
        T->npairs++;
    }
    for (size_t i = 0; i < ns; i++) ob_run_data_free(&runs[i]);
    free(runs);
    free(spp);
    ob_run_stems_free(stems, ns);
    return s;
}

static void free_pair(pair_stats *P)
{
    free(P->final_gap);
    free(P->val);
    free(P->test);
    free(P->esec);
    for (int k = 0; k < OB_N_TARGETS; k++) {
        free(P->to[k]);
        free(P->steps_to[k]);
    }
}

/* median of x (n, sorted in place) */
static double median(double *x, size_t n)
{
    ob_sort(x, n);
    return ob_quantile_sorted(x, n, 0.5);
}

/* ranking within each workload: reached the 1e-6 target (median) first, by median
 * evaluations; then the rest by median final gap */
typedef struct {
    size_t idx;
    int reached;
    double key;
} rank_key;

static int cmp_rank(const void *a, const void *b)
{
    const rank_key *x = a, *y = b;
    if (x->reached != y->reached) return y->reached - x->reached;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static void write_ranking(tables *T)
{
    size_t start = 0;
    rank_key *keys = malloc((T->npairs ? T->npairs : 1) * sizeof *keys);
    int *rank = calloc(T->npairs ? T->npairs : 1, sizeof *rank);
    if (!keys || !rank) goto done;
    while (start < T->npairs) {
        size_t end = start;
        while (end < T->npairs && strcmp(T->pairs[end].w, T->pairs[start].w) == 0) end++;
        for (size_t i = start; i < end; i++) {
            pair_stats *P = &T->pairs[i];
            double *tmp = malloc((size_t)P->seeds * sizeof *tmp);
            if (!tmp) goto done;
            if (P->net) { /* networks: the highest median best validation accuracy first */
                memcpy(tmp, P->val, (size_t)P->seeds * sizeof *tmp);
                keys[i - start] = (rank_key){i, 1, -median(tmp, (size_t)P->seeds)};
                free(tmp);
                continue;
            }
            memcpy(tmp, P->to[2], (size_t)P->seeds * sizeof *tmp);
            double m6 = median(tmp, (size_t)P->seeds);
            memcpy(tmp, P->final_gap, (size_t)P->seeds * sizeof *tmp);
            double mg = median(tmp, (size_t)P->seeds);
            free(tmp);
            keys[i - start] = (rank_key){i, isfinite(m6), isfinite(m6) ? m6 : mg};
        }
        qsort(keys, end - start, sizeof *keys, cmp_rank);
        for (size_t k = 0; k < end - start; k++) rank[keys[k].idx] = (int)k + 1;
        start = end;
    }
    for (size_t i = 0; i < T->npairs; i++) {
        pair_stats *P = &T->pairs[i];
        size_t n = (size_t)P->seeds;
        double *tmp = malloc(n * sizeof *tmp);
        if (!tmp) break;
        ob_csv *c = &T->ranking;
        ob_csv_text(c, P->w);
        ob_csv_text(c, kind_name(P->net));
        ob_csv_text(c, P->o);
        ob_csv_num(c, P->lr);
        ob_csv_int(c, P->seeds);
        ob_csv_int(c, P->ndiv);
        if (P->net) {
            for (int k = 0; k < 8; k++) ob_csv_text(c, ""); /* the analytic columns */
            double *cols[3] = {P->val, P->test, P->esec};
            for (int k = 0; k < 3; k++) {
                memcpy(tmp, cols[k], n * sizeof *tmp);
                num_or_empty(c, median(tmp, n));
            }
            ob_csv_int(c, rank[i]);
            ob_csv_end_row(c);
            free(tmp);
            continue;
        }
        memcpy(tmp, P->final_gap, n * sizeof *tmp);
        ob_sort(tmp, n);
        num_or_empty(c, ob_quantile_sorted(tmp, n, 0.5));
        num_or_empty(c, ob_quantile_sorted(tmp, n, 0.25));
        num_or_empty(c, ob_quantile_sorted(tmp, n, 0.75));
        int reached6 = 0;
        for (int k = 0; k < OB_N_TARGETS; k++) {
            memcpy(tmp, P->steps_to[k], n * sizeof *tmp);
            num_or_empty(c, median(tmp, n));
        }
        for (size_t j = 0; j < n; j++) reached6 += isfinite(P->steps_to[2][j]);
        ob_csv_int(c, reached6);
        ob_csv_num(c, P->spp);
        for (int k = 0; k < 3; k++) ob_csv_text(c, ""); /* network columns */
        ob_csv_int(c, rank[i]);
        ob_csv_end_row(c);
        free(tmp);
    }
done:
    free(keys);
    free(rank);
}

/* Dolan-More profiles and the COCO-style ECDF over (workload, target) pairs, with the
 * median evaluations to the target as the cost (evaluations, not steps: the GSL line
 * searches spend several per step). */
static ob_status write_profiles(const char *out, tables *T, ob_error *err)
{
    /* optimizers and workloads, in first-seen order */
    const char *opts[32], *wls[256];
    size_t no = 0, nw = 0;
    for (size_t i = 0; i < T->npairs; i++) {
        if (T->pairs[i].net) continue; /* profiles and ECDF: the analytic workloads */
        size_t k;
        for (k = 0; k < no && strcmp(opts[k], T->pairs[i].o); k++) {}
        if (k == no && no < 32) opts[no++] = T->pairs[i].o;
        for (k = 0; k < nw && strcmp(wls[k], T->pairs[i].w); k++) {}
        if (k == nw && nw < 256) wls[nw++] = T->pairs[i].w;
    }
    size_t np = nw * OB_N_TARGETS;
    double *cost = malloc((no * np > 0 ? no * np : 1) * sizeof *cost); /* (no, np) */
    double *best = malloc((np ? np : 1) * sizeof *best);
    if (!cost || !best) {
        free(cost);
        free(best);
        return ob_fail(err, OB_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < no * np; i++) cost[i] = INFINITY;
    for (size_t i = 0; i < T->npairs; i++) {
        pair_stats *P = &T->pairs[i];
        if (P->net) continue;
        size_t oi, wi;
        for (oi = 0; oi < no && strcmp(opts[oi], P->o); oi++) {}
        for (wi = 0; wi < nw && strcmp(wls[wi], P->w); wi++) {}
        double *tmp = malloc((size_t)P->seeds * sizeof *tmp);
        if (!tmp) break;
        for (int k = 0; k < OB_N_TARGETS; k++) {
            memcpy(tmp, P->to[k], (size_t)P->seeds * sizeof *tmp);
            double c = median(tmp, (size_t)P->seeds);
            cost[oi * np + wi * OB_N_TARGETS + (size_t)k] = c < 1 ? 1 : c; /* start counts 1 */
        }
        free(tmp);
    }
    for (size_t j = 0; j < np; j++) {
        best[j] = INFINITY;
        for (size_t oi = 0; oi < no; oi++)
            if (cost[oi * np + j] < best[j]) best[j] = cost[oi * np + j];
    }
    char path[4096];
    ob_csv pc, ec;
    snprintf(path, sizeof path, "%s/profiles.csv", out);
    ob_status s = ob_csv_open(&pc, path, err);
    if (s == OB_OK) {
        static const char *const cols[] = {"optimizer", "tau", "fraction"};
        header(&pc, cols, 3);
        size_t solvable = 0;
        for (size_t j = 0; j < np; j++) solvable += isfinite(best[j]);
        double *r = malloc((np ? np : 1) * sizeof *r);
        for (size_t oi = 0; oi < no && r; oi++) {
            size_t m = 0;
            for (size_t j = 0; j < np; j++)
                if (isfinite(best[j])) r[m++] = cost[oi * np + j] / best[j];
            ob_sort(r, m);
            /* the step function rho(tau) = #{ratio <= tau} / #pairs at each jump */
            ob_csv_text(&pc, opts[oi]);
            ob_csv_num(&pc, 1);
            size_t at1 = 0;
            while (at1 < m && r[at1] <= 1) at1++;
            ob_csv_num(&pc, solvable ? (double)at1 / (double)solvable : 0);
            ob_csv_end_row(&pc);
            for (size_t k = at1; k < m && isfinite(r[k]); k++) {
                if (k + 1 < m && r[k + 1] == r[k]) continue;
                ob_csv_text(&pc, opts[oi]);
                ob_csv_num(&pc, r[k]);
                ob_csv_num(&pc, (double)(k + 1) / (double)solvable);
                ob_csv_end_row(&pc);
            }
        }
        free(r);
        s = ob_csv_commit(&pc, err);
    }
    snprintf(path, sizeof path, "%s/ecdf.csv", out);
    if (s == OB_OK && (s = ob_csv_open(&ec, path, err)) == OB_OK) {
        static const char *const cols[] = {"optimizer", "steps", "fraction"};
        header(&ec, cols, 3);
        double *c = malloc((np ? np : 1) * sizeof *c);
        for (size_t oi = 0; oi < no && c; oi++) {
            memcpy(c, cost + oi * np, np * sizeof *c);
            ob_sort(c, np);
            ob_csv_text(&ec, opts[oi]);
            ob_csv_num(&ec, 1);
            ob_csv_num(&ec, 0);
            ob_csv_end_row(&ec);
            for (size_t k = 0; k < np && isfinite(c[k]); k++) {
                if (k + 1 < np && c[k + 1] == c[k]) continue;
                ob_csv_text(&ec, opts[oi]);
                ob_csv_num(&ec, c[k]);
                ob_csv_num(&ec, (double)(k + 1) / (double)np);
                ob_csv_end_row(&ec);
            }
        }
        free(c);
        s = ob_csv_commit(&ec, err);
    }
    free(cost);
    free(best);
    return s;
}

ob_status ob_bench_aggregate(const char *out, ob_error *err)
{
    char path[4096];
    tables T = {0};
    static const char *const tcols[] = {"workload", "kind", "optimizer", "lr", "status",
                                        "final_gap", "score"};
    static const char *const ccols[] = {"workload", "kind", "optimizer", "lr", "score",
                                        "grid_lo", "grid_hi", "grid_points"};
    static const char *const mcols[] = {
        "workload", "kind", "optimizer", "lr", "seed", "status", "diverged_step", "f0",
        "final_gap", "final_grad_norm", "steps_to_1e-1", "steps_to_1e-3", "steps_to_1e-6",
        "seconds_to_1e-1", "seconds_to_1e-3", "seconds_to_1e-6", "evals_to_1e-1",
        "evals_to_1e-3", "evals_to_1e-6", "seconds_per_step", "best_val_acc", "test_acc",
        "epoch_seconds"};
    static const char *const rcols[] = {
        "workload", "kind", "optimizer", "lr", "seeds", "diverged", "median_final_gap",
        "q1_final_gap", "q3_final_gap", "median_steps_to_1e-1", "median_steps_to_1e-3",
        "median_steps_to_1e-6", "reached_1e-6", "median_seconds_per_step",
        "median_best_val_acc", "median_test_acc", "median_epoch_seconds", "rank"};
    static const char *const ncols[] = {"optimizer", "epoch", "seconds", "train_loss",
                                        "train_loss_q1", "train_loss_q3", "val_loss",
                                        "val_loss_q1", "val_loss_q3", "train_acc", "val_acc",
                                        "val_acc_q1", "val_acc_q3", "test_acc"};
    static const char *const kcols[] = {"optimizer", "step", "evals", "seconds", "gap_median",
                                        "gap_q1", "gap_q3", "gnorm_median", "gnorm_q1",
                                        "gnorm_q3"};
    ob_status s;
    struct {
        ob_csv *c;
        const char *name;
        const char *const *cols;
        size_t n;
    } files[] = {{&T.tuning, "tuning", tcols, 7}, {&T.chosen, "chosen", ccols, 8},
                 {&T.metrics, "metrics", mcols, 23}, {&T.ranking, "ranking", rcols, 18}};
    size_t opened = 0;
    for (; opened < 4; opened++) {
        snprintf(path, sizeof path, "%s/%s.csv", out, files[opened].name);
        if ((s = ob_csv_open(files[opened].c, path, err)) != OB_OK) goto fail;
        header(files[opened].c, files[opened].cols, files[opened].n);
    }
    snprintf(path, sizeof path, "%s/runs", out);
    size_t nw = 0;
    char **wls = NULL;
    DIR *d = opendir(path);
    if (!d) {
        s = ob_fail(err, OB_EIO, "no runs in %s (run optbench bench first)", path);
        goto fail;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char **nv = realloc(wls, (nw + 1) * sizeof *nv);
        if (!nv) break;
        wls = nv;
        wls[nw++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(wls, nw, sizeof *wls, cmp_str);
    snprintf(path, sizeof path, "%s/curves", out);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/netcurves", out);
    mkdir(path, 0777);
    s = OB_OK;
    for (size_t i = 0; i < nw && s == OB_OK; i++) {
        char wdir[4096];
        snprintf(wdir, sizeof wdir, "%s/runs/%s", out, wls[i]);
        DIR *od = opendir(wdir);
        if (!od) continue;
        char **os = NULL;
        size_t no = 0;
        while ((e = readdir(od)) != NULL) {
            if (e->d_name[0] == '.') continue;
            char **nv = realloc(os, (no + 1) * sizeof *nv);
            if (!nv) break;
            os = nv;
            os[no++] = strdup(e->d_name);
        }
        closedir(od);
        qsort(os, no, sizeof *os, cmp_str);
        /* both kinds of curve file are opened; the one the workload fills is kept */
        ob_csv curves, netcurves;
        snprintf(path, sizeof path, "%s/curves/%s.csv", out, wls[i]);
        if ((s = ob_csv_open(&curves, path, err)) != OB_OK) {
            ob_run_stems_free(os, no);
            break;
        }
        snprintf(path, sizeof path, "%s/netcurves/%s.csv", out, wls[i]);
        if ((s = ob_csv_open(&netcurves, path, err)) != OB_OK) {
            ob_csv_abort(&curves);
            ob_run_stems_free(os, no);
            break;
        }
        header(&curves, kcols, 10);
        header(&netcurves, ncols, 14);
        T.curve_rows = T.net_rows = 0;
        for (size_t j = 0; j < no && s == OB_OK; j++)
            s = add_pair(&T, out, wls[i], os[j], &curves, &netcurves, err);
        if (s == OB_OK && T.curve_rows) s = ob_csv_commit(&curves, err);
        else ob_csv_abort(&curves);
        if (s == OB_OK && T.net_rows) s = ob_csv_commit(&netcurves, err);
        else ob_csv_abort(&netcurves);
        ob_run_stems_free(os, no);
    }
    ob_run_stems_free(wls, nw);
    if (s == OB_OK) write_ranking(&T);
    for (size_t k = 0; k < 4 && s == OB_OK; k++) s = ob_csv_commit(files[k].c, err);
    opened = s == OB_OK ? 0 : opened;
    if (s == OB_OK) s = write_profiles(out, &T, err);
fail:
    for (size_t k = 0; k < opened; k++)
        if (files[k].c->fp) ob_csv_abort(files[k].c);
    for (size_t i = 0; i < T.npairs; i++) free_pair(&T.pairs[i]);
    free(T.pairs);
    return s;
}
