/* workloads.c - the report's "Analytic workloads" and "Network workloads" sections: per
 * workload its rows of ranking.csv as a table, then its figures (the registry's
 * OB_SECTION_WORKLOAD recipes). */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "plots/draw.h"
#include "report/sections.h"

static double rnum(const ob_report_tables *t, size_t i, const char *col)
{
    return ob_table_num(&t->ranking, i, ob_table_col(&t->ranking, col));
}

static const char *rstr(const ob_report_tables *t, size_t i, const char *col)
{
    return ob_table_str(&t->ranking, i, ob_table_col(&t->ranking, col));
}

/* ranking rows ordered by rank (a missing rank last), then canonical optimizer order:
 * two keys, one of them a string, hence qsort rather than gsl_sort */
static int cmp_rank_row(const void *pa, const void *pb, void *arg)
{
    const ob_report_tables *sort_tables = arg;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    double a = rnum(sort_tables, ia, "rank"), b = rnum(sort_tables, ib, "rank");
    if (isnan(a)) a = INFINITY;
    if (isnan(b)) b = INFINITY;
    if (a != b) return a < b ? -1 : 1;
    int c = ob_style_cmp(rstr(sort_tables, ia, "optimizer"), rstr(sort_tables, ib, "optimizer"));
    return c ? c : (ia > ib) - (ia < ib);
}

/* Rows of ranking.csv for workload w, by rank; returns how many (<= cap). */
static size_t ranking_rows(const ob_report_tables *t, const char *w, size_t *idx, size_t cap)
{
    if (!t->have_ranking) return 0;
    size_t n = ob_rows_where(&t->ranking, ob_table_col(&t->ranking, "workload"), w, idx, cap);
    qsort_r(idx, n, sizeof *idx, cmp_rank_row, (void *)t);
    return n;
}

static void analytic_table(ob_doc *d, const ob_report_tables *t, const size_t *idx, size_t n)
{
    const char *const *tn = ob_target_names;
    char h1[64], h3[64], h6[64], c1[64], c3[64], c6[64], reached[64];
    snprintf(h1, sizeof h1, "steps to %s", tn[0]);
    snprintf(h3, sizeof h3, "steps to %s", tn[1]);
    snprintf(h6, sizeof h6, "steps to %s (reached)", tn[2]);
    snprintf(c1, sizeof c1, "median_steps_to_%s", tn[0]);
    snprintf(c3, sizeof c3, "median_steps_to_%s", tn[1]);
    snprintf(c6, sizeof c6, "median_steps_to_%s", tn[2]);
    snprintf(reached, sizeof reached, "reached_%s", tn[2]);
    const char *head[] = {"rank", "optimizer", "lr", "diverged", h1, h3, h6,
                          "final gap: median [IQR]", "time per step"};
    ob_doc_table_head(d, head, 9, "rlrrrrrrr");
    for (size_t k = 0; k < n; k++) {
        size_t i = idx[k];
        ob_cell rk, lr, dv, s1, s3, s6, gap, tps, a, b, c, g1, g3;
        ob_fmt_steps(rk, rnum(t, i, "rank"));
        ob_fmt_g(lr, rnum(t, i, "lr"));
        snprintf(dv, sizeof dv, "%s of %s", ob_fmt_steps(a, rnum(t, i, "diverged")),
                 ob_fmt_steps(b, rnum(t, i, "seeds")));
        ob_fmt_steps(s1, rnum(t, i, c1));
        ob_fmt_steps(s3, rnum(t, i, c3));
        snprintf(s6, sizeof s6, "%s (%s of %s)", ob_fmt_steps(a, rnum(t, i, c6)),
                 ob_fmt_steps(b, rnum(t, i, reached)), ob_fmt_steps(c, rnum(t, i, "seeds")));
        snprintf(gap, sizeof gap, "%s [%s, %s]", ob_fmt_g(a, rnum(t, i, "median_final_gap")),
                 ob_fmt_g(g1, rnum(t, i, "q1_final_gap")), ob_fmt_g(g3, rnum(t, i, "q3_final_gap")));
        ob_fmt_time(tps, rnum(t, i, "median_seconds_per_step"));
        const char *cells[9] = {rk, rstr(t, i, "optimizer"), lr, dv, s1, s3, s6, gap, tps};
        ob_doc_table_row(d, cells, 9);
    }
    ob_doc_table_end(d);
}

static void network_table(ob_doc *d, const ob_report_tables *t, const size_t *idx, size_t n)
{
    static const char *const head[] = {"rank", "optimizer", "lr", "diverged",
                                       "best validation accuracy", "test accuracy", "time per epoch"};
    ob_doc_table_head(d, head, 7, "rlrrrrr");
    for (size_t k = 0; k < n; k++) {
        size_t i = idx[k];
        ob_cell rk, lr, dv, va, ta, ep, a, b;
        ob_fmt_steps(rk, rnum(t, i, "rank"));
        ob_fmt_g(lr, rnum(t, i, "lr"));
        snprintf(dv, sizeof dv, "%s of %s", ob_fmt_steps(a, rnum(t, i, "diverged")),
                 ob_fmt_steps(b, rnum(t, i, "seeds")));
        ob_fmt_pct(va, rnum(t, i, "median_best_val_acc"));
        ob_fmt_pct(ta, rnum(t, i, "median_test_acc"));
        ob_fmt_time(ep, rnum(t, i, "median_epoch_seconds"));
        const char *cells[7] = {rk, rstr(t, i, "optimizer"), lr, dv, va, ta, ep};
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
                    "update. Then the figures.", ob_target_names[OB_N_TARGETS - 1]);
    else
        ob_doc_p(d, "One table per network: the median over seeds of the best validation "
                    "accuracy during training, the test accuracy, and the training time per "
                    "epoch; then the learning curves.");
    for (size_t i = 0; i < w->n; i++) {
        if (w->v[i].kind != kind) continue;
        const char *name = w->v[i].name;
        ob_doc_h(d, 3, name);
        size_t idx[OB_MAX_SERIES * 4];
        size_t nr = ranking_rows(t, name, idx, sizeof idx / sizeof *idx);
        if (nr == 0)
            ob_doc_p(d, "No ranking for this workload (ranking.csv has no rows for it).");
        else if (an)
            analytic_table(d, t, idx, nr);
        else
            network_table(d, t, idx, nr);
        ob_section_figures(d, figs, OB_SECTION_WORKLOAD, name);
    }
}
