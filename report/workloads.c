/* workloads.c - the report's "Analytic workloads" and "Network workloads" sections: per
 * workload its rows of ranking_analytic.csv (with ranking_targets.csv's) or ranking_net.csv
 * as a table, then its figures (the registry's OB_SECTION_WORKLOAD recipes). */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "common/path.h"
#include "plots/style.h"
#include "report/sections.h"

static double rnum(const ob_table *R, size_t i, const char *col)
{
    return ob_table_num(R, i, ob_table_col(R, col));
}

static const char *rstr(const ob_table *R, size_t i, const char *col)
{
    return ob_table_str(R, i, ob_table_col(R, col));
}

/* ranking rows ordered by rank (a missing rank last), then canonical optimizer order:
 * two keys, one of them a string, hence qsort rather than gsl_sort */
static int cmp_rank_row(const void *pa, const void *pb, void *arg)
{
    const ob_table *R = arg;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    double a = rnum(R, ia, "rank"), b = rnum(R, ib, "rank");
    if (isnan(a)) a = INFINITY;
    if (isnan(b)) b = INFINITY;
    if (a != b) return a < b ? -1 : 1;
    int c = ob_style_cmp(rstr(R, ia, "optimizer"), rstr(R, ib, "optimizer"));
    return c ? c : (ia > ib) - (ia < ib);
}

/* The ranking table of the kind (an older directory's ranking.csv holds both kinds), or
 * NULL without one. */
static const ob_table *ranking_of(const ob_report_tables *t, int net)
{
    if (net && t->have_ranking_net) return &t->ranking_net;
    return t->have_ranking ? &t->ranking : NULL;
}

/* Rows of R for workload w, by rank; returns how many (<= cap). */
static size_t ranking_rows(const ob_table *R, const char *w, size_t *idx, size_t cap)
{
    if (!R) return 0;
    size_t n = ob_rows_where(R, ob_table_col(R, "workload"), w, idx, cap);
    qsort_r(idx, n, sizeof *idx, cmp_rank_row, (void *)R);
    return n;
}

/* Row i's median steps to target k (reached = 0) or how many seeds reached it (1): from
 * ranking_targets.csv, or an older ranking.csv's median_steps_to_T and reached_T columns;
 * NAN when missing. */
static double target_num(const ob_report_tables *t, size_t i, int k, int reached)
{
    const char *name = t->tg.name[k];
    if (!t->have_ranking_targets) {
        char col[64];
        snprintf(col, sizeof col, reached ? "reached_%s" : "median_steps_to_%s", name);
        return rnum(&t->ranking, i, col);
    }
    const ob_table *L = &t->ranking_targets;
    int wc = ob_table_col(L, "workload"), oc = ob_table_col(L, "optimizer"),
        tc = ob_table_col(L, "target");
    const char *w = rstr(&t->ranking, i, "workload"), *o = rstr(&t->ranking, i, "optimizer");
    for (size_t r = 0; r < L->rows; r++)
        if (strcmp(ob_table_str(L, r, wc), w) == 0 && strcmp(ob_table_str(L, r, oc), o) == 0 &&
            strcmp(ob_table_str(L, r, tc), name) == 0)
            return rnum(L, r, reached ? "seeds_reached" : "median_steps");
    return NAN;
}

/* rank, optimizer, lr, diverged, one column per target of the directory (the tightest
 * with how many seeds reached it), the final gap and the time per step */
static void analytic_table(ob_doc *d, const ob_report_tables *t, const size_t *idx, size_t n)
{
    const ob_target_set *tg = &t->tg;
    int nt = tg->n, last = nt - 1;
    const ob_table *R = &t->ranking;
    char h[OB_N_TARGETS][64];
    for (int k = 0; k < nt; k++)
        snprintf(h[k], sizeof h[k], "steps to %s%s", tg->name[k], k == last ? " (reached)" : "");
    const char *head[6 + OB_N_TARGETS] = {"rank", "optimizer", "lr", "diverged"};
    for (int k = 0; k < nt; k++) head[4 + k] = h[k];
    head[4 + nt] = "final gap: median [IQR]";
    head[5 + nt] = "time per step";
    size_t nc = (size_t)(6 + nt);
    ob_doc_table_head(d, head, nc, &"rlrrrrrrr"[OB_N_TARGETS - nt]); /* 6 + nt of them */
    for (size_t r = 0; r < n; r++) {
        size_t i = idx[r];
        ob_cell rk, lr, dv, s[OB_N_TARGETS], gap, tps, a, b, c, g1, g3;
        ob_fmt_steps(rk, rnum(R, i, "rank"));
        ob_fmt_g(lr, rnum(R, i, "lr"));
        snprintf(dv, sizeof dv, "%s of %s", ob_fmt_steps(a, rnum(R, i, "diverged")),
                 ob_fmt_steps(b, rnum(R, i, "seeds")));
        for (int k = 0; k < last; k++) ob_fmt_steps(s[k], target_num(t, i, k, 0));
        snprintf(s[last], sizeof s[last], "%s (%s of %s)", ob_fmt_steps(a, target_num(t, i, last, 0)),
                 ob_fmt_steps(b, target_num(t, i, last, 1)), ob_fmt_steps(c, rnum(R, i, "seeds")));
        snprintf(gap, sizeof gap, "%s [%s, %s]", ob_fmt_g(a, rnum(R, i, "median_final_gap")),
                 ob_fmt_g(g1, rnum(R, i, "q1_final_gap")), ob_fmt_g(g3, rnum(R, i, "q3_final_gap")));
        ob_fmt_time(tps, rnum(R, i, "median_seconds_per_step"));
        const char *cells[6 + OB_N_TARGETS] = {rk, rstr(R, i, "optimizer"), lr, dv};
        for (int k = 0; k < nt; k++) cells[4 + k] = s[k];
        cells[4 + nt] = gap;
        cells[5 + nt] = tps;
        ob_doc_table_row(d, cells, nc);
    }
    ob_doc_table_end(d);
}

static void network_table(ob_doc *d, const ob_table *R, const size_t *idx, size_t n)
{
    static const char *const head[] = {"rank", "optimizer", "lr", "diverged",
                                       "best validation accuracy", "test accuracy", "time per epoch"};
    ob_doc_table_head(d, head, 7, "rlrrrrr");
    for (size_t k = 0; k < n; k++) {
        size_t i = idx[k];
        ob_cell rk, lr, dv, va, ta, ep, a, b;
        ob_fmt_steps(rk, rnum(R, i, "rank"));
        ob_fmt_g(lr, rnum(R, i, "lr"));
        snprintf(dv, sizeof dv, "%s of %s", ob_fmt_steps(a, rnum(R, i, "diverged")),
                 ob_fmt_steps(b, rnum(R, i, "seeds")));
        ob_fmt_pct(va, rnum(R, i, "median_best_val_acc"));
        ob_fmt_pct(ta, rnum(R, i, "median_test_acc"));
        ob_fmt_time(ep, rnum(R, i, "median_epoch_seconds"));
        const char *cells[7] = {rk, rstr(R, i, "optimizer"), lr, dv, va, ta, ep};
        ob_doc_table_row(d, cells, 7);
    }
    ob_doc_table_end(d);
}

void ob_section_workloads(ob_doc *d, const ob_report_tables *t, const ob_result_list *w,
                          const ob_figure_list *figs, ob_workload_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < w->n; i++) n += w->v[i].kind == kind;
    if (n == 0) return;
    int an = kind == OB_KIND_ANALYTIC;
    ob_doc_h(d, 2, an ? "Analytic workloads" : "Network workloads");
    if (an)
        ob_doc_p(d, "One table per workload: the median over seeds of the number of updates to "
                    "each relative target (with how many seeds reached %s), the final loss gap "
                    "with its inter-quartile range, how many seeds diverged, and the time per "
                    "update. Then the figures.", t->tg.name[t->tg.n - 1]);
    else
        ob_doc_p(d, "One table per network: the median over seeds of the best validation "
                    "accuracy during training, the test accuracy, and the training time per "
                    "epoch; then training against test (does the optimizer that fits the "
                    "training set best also do best on the test set?), and the figures.");
    for (size_t i = 0; i < w->n; i++) {
        if (w->v[i].kind != kind) continue;
        const char *name = w->v[i].name;
        ob_doc_h(d, 3, name);
        size_t idx[OB_MAX_SERIES * 4];
        const ob_table *R = ranking_of(t, !an);
        size_t nr = ranking_rows(R, name, idx, sizeof idx / sizeof *idx);
        if (nr == 0)
            ob_doc_p(d, "No ranking for this workload (%s has no rows for it).",
                     an ? "ranking_analytic.csv" : "ranking_net.csv");
        else if (an)
            analytic_table(d, t, idx, nr);
        else
            network_table(d, R, idx, nr);
        ob_section_oracle(d, t, name);
        if (!an) ob_section_generalization(d, t, name);
        ob_section_failed_runs(d, t, name);
        ob_section_figures(d, figs, OB_SECTION_WORKLOAD, name);
    }
}
