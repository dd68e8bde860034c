/* profiles.c - Dolan-Moré performance profiles (profiles.csv) and the COCO-style ECDF
 * (ecdf.csv) over the (analytic workload, target) pairs, with the median number of
 * sample-gradient evaluations to the target as the cost (evaluations, not steps: the GSL
 * line searches spend several gradients per step, and on a finite sum with mini-batches
 * gd's step is a full pass of N sample gradients, the others' one mini-batch of B;
 * runs/run.h).  The best cost of a pair, the profiles' yardstick, is the best
 * competitor's: a reference method (gsl-bfgs, gsl-cg: the optimizer type's reference
 * fact) has its curve against it but never sets it, so that it is not counted among the
 * fastest.  See tables.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/stats.h"
#include "tables/pairs.h"

#define MAX_OPT 32
#define MAX_WL 256

/* The cost matrix: cost[oi * np + j] for optimizer oi and problem j = (workload,
 * target), +inf when the median run never reached the target; best[j] its minimum. */
typedef struct {
    const char *opts[MAX_OPT], *wls[MAX_WL];
    size_t no, nw, np;
    double *cost, *best;
} costs;

static size_t index_of(const char *const *v, size_t n, const char *s)
{
    size_t k;
    for (k = 0; k < n && strcmp(v[k], s); k++) {}
    return k;
}

static ob_status costs_build(costs *C, const ob_tables *T, ob_error *err)
{
    /* optimizers and workloads, in first-seen order; networks are left out */
    for (size_t i = 0; i < T->npairs; i++) {
        const ob_pair_stats *P = &T->pairs[i];
        if (P->net) continue;
        if (index_of(C->opts, C->no, P->o) == C->no && C->no < MAX_OPT) C->opts[C->no++] = P->o;
        if (index_of(C->wls, C->nw, P->w) == C->nw && C->nw < MAX_WL) C->wls[C->nw++] = P->w;
    }
    C->np = C->nw * (size_t)T->tg.n;
    C->cost = malloc((C->no * C->np > 0 ? C->no * C->np : 1) * sizeof *C->cost); /* (no, np) */
    C->best = malloc((C->np ? C->np : 1) * sizeof *C->best);                     /* (np) */
    if (!C->cost || !C->best) return ob_fail(err, OB_ENOMEM, "out of memory");
    for (size_t i = 0; i < C->no * C->np; i++) C->cost[i] = INFINITY;
    for (size_t i = 0; i < T->npairs; i++) {
        const ob_pair_stats *P = &T->pairs[i];
        if (P->net) continue;
        size_t oi = index_of(C->opts, C->no, P->o), wi = index_of(C->wls, C->nw, P->w);
        double *tmp = malloc((size_t)P->seeds * sizeof *tmp);
        if (!tmp) return ob_fail(err, OB_ENOMEM, "out of memory");
        for (int k = 0; k < T->tg.n && oi < C->no && wi < C->nw; k++) {
            memcpy(tmp, P->to[k], (size_t)P->seeds * sizeof *tmp);
            double c = ob_median(tmp, (size_t)P->seeds);
            C->cost[oi * C->np + wi * (size_t)T->tg.n + (size_t)k] = c < 1 ? 1 : c; /* start counts 1 */
        }
        free(tmp);
    }
    int ref[MAX_OPT];
    for (size_t oi = 0; oi < C->no; oi++) {
        const ob_optimizer_type *T = ob_optimizer_find(C->opts[oi]);
        ref[oi] = T && T->reference;
    }
    for (size_t j = 0; j < C->np; j++) {
        C->best[j] = INFINITY;
        for (size_t oi = 0; oi < C->no; oi++)
            if (!ref[oi] && C->cost[oi * C->np + j] < C->best[j]) C->best[j] = C->cost[oi * C->np + j];
    }
    return OB_OK;
}

/* rho(tau) = #{problems with cost/best <= tau} / #solvable problems, at tau = 1 and at
 * every jump, per optimizer (a reference's ratio can be below 1: it counts at tau = 1) */
static ob_status write_profile_file(const char *out, const costs *C, ob_error *err)
{
    char path[4096];
    ob_csv pc;
    snprintf(path, sizeof path, "%s/profiles.csv", out);
    ob_status s = ob_csv_open(&pc, path, err);
    if (s != OB_OK) return s;
    static const char *const cols[] = {"optimizer", "tau", "fraction"};
    ob_csv_header(&pc, cols, 3);
    size_t solvable = 0;
    for (size_t j = 0; j < C->np; j++) solvable += isfinite(C->best[j]);
    double *r = malloc((C->np ? C->np : 1) * sizeof *r); /* (np) the ratios, sorted */
    for (size_t oi = 0; oi < C->no && r; oi++) {
        size_t m = 0;
        for (size_t j = 0; j < C->np; j++)
            if (isfinite(C->best[j])) r[m++] = C->cost[oi * C->np + j] / C->best[j];
        ob_sort(r, m);
        ob_csv_text(&pc, C->opts[oi]);
        ob_csv_num(&pc, 1);
        size_t at1 = 0;
        while (at1 < m && r[at1] <= 1) at1++;
        ob_csv_num(&pc, solvable ? (double)at1 / (double)solvable : 0);
        ob_csv_end_row(&pc);
        for (size_t k = at1; k < m && isfinite(r[k]); k++) {
            if (k + 1 < m && r[k + 1] == r[k]) continue;
            ob_csv_text(&pc, C->opts[oi]);
            ob_csv_num(&pc, r[k]);
            ob_csv_num(&pc, (double)(k + 1) / (double)solvable);
            ob_csv_end_row(&pc);
        }
    }
    free(r);
    return ob_csv_commit(&pc, err);
}

/* the fraction of all problems reached within a cost, at 1 and at every jump */
static ob_status write_ecdf_file(const char *out, const costs *C, ob_error *err)
{
    char path[4096];
    ob_csv ec;
    snprintf(path, sizeof path, "%s/ecdf.csv", out);
    ob_status s = ob_csv_open(&ec, path, err);
    if (s != OB_OK) return s;
    static const char *const cols[] = {"optimizer", "steps", "fraction"};
    ob_csv_header(&ec, cols, 3);
    double *c = malloc((C->np ? C->np : 1) * sizeof *c); /* (np) one optimizer's costs, sorted */
    for (size_t oi = 0; oi < C->no && c; oi++) {
        memcpy(c, C->cost + oi * C->np, C->np * sizeof *c);
        ob_sort(c, C->np);
        ob_csv_text(&ec, C->opts[oi]);
        ob_csv_num(&ec, 1);
        ob_csv_num(&ec, 0);
        ob_csv_end_row(&ec);
        for (size_t k = 0; k < C->np && isfinite(c[k]); k++) {
            if (k + 1 < C->np && c[k + 1] == c[k]) continue;
            ob_csv_text(&ec, C->opts[oi]);
            ob_csv_num(&ec, c[k]);
            ob_csv_num(&ec, (double)(k + 1) / (double)C->np);
            ob_csv_end_row(&ec);
        }
    }
    free(c);
    return ob_csv_commit(&ec, err);
}

ob_status ob_write_profiles(const char *out, const ob_tables *T, ob_error *err)
{
    costs C = {.no = 0};
    ob_status s = costs_build(&C, T, err);
    if (s == OB_OK) s = write_profile_file(out, &C, err);
    if (s == OB_OK) s = write_ecdf_file(out, &C, err);
    free(C.cost);
    free(C.best);
    return s;
}
