/* workloads.c - the report's "Analytic workloads" and "Network workloads" sections: per
 * workload its rows of ranking_analytic.csv (with ranking_targets.csv's) or ranking_net.csv
 * as a table, then its figures (the registry's OB_SECTION_WORKLOAD recipes).  The column
 * the ranking sorts by is shown with its 95 % bootstrap interval, the rank as its group
 * (2=), a reference method's as "ref" (tables/ranking.c). */
#define _GNU_SOURCE /* qsort_r */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench.h"
#include "common/path.h"
#include "optimizers/optimizer.h"
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

int ob_ranking_is_reference(const ob_table *R, size_t i)
{
    if (ob_table_col(R, "role") >= 0) return strcmp(rstr(R, i, "role"), "reference") == 0;
    const ob_optimizer_type *T = ob_optimizer_find(rstr(R, i, "optimizer")); /* older */
    return T && T->reference;
}

const char *ob_fmt_rank(ob_cell c, const ob_table *R, size_t i)
{
    if (ob_ranking_is_reference(R, i)) return strcpy(c, "ref");
    ob_fmt_steps(c, rnum(R, i, "rank"));
    if (rnum(R, i, "tied") == 1) strcat(c, "=");
    return c;
}

/* Row i's place within its rank group, the ranking's order (tables/ranking.c): pairs whose
 * median run reached the target before the others, then the metric's median, ascending
 * (accuracy: descending); NaN (an older table without the columns) last. */
static void order_of(const ob_table *R, size_t i, int *unreached, double *key)
{
    const char *metric = rstr(R, i, "metric");
    double m = rnum(R, i, "median");
    *unreached = strcmp(metric, "final_gap") == 0;
    if (strcmp(metric, "best_val_acc") == 0) m = -m;
    *key = isnan(m) ? INFINITY : m;
}

/* ranking rows in the ranking's order: by rank (a reference's or a missing rank last),
 * then the ranking's order within the group, then canonical optimizer order: several
 * keys, one of them a string, hence qsort rather than gsl_sort */
static int cmp_rank_row(const void *pa, const void *pb, void *arg)
{
    const ob_table *R = arg;
    size_t ia = *(const size_t *)pa, ib = *(const size_t *)pb;
    double a = ob_ranking_is_reference(R, ia) ? NAN : rnum(R, ia, "rank"),
           b = ob_ranking_is_reference(R, ib) ? NAN : rnum(R, ib, "rank");
    if (isnan(a)) a = INFINITY;
    if (isnan(b)) b = INFINITY;
    if (a != b) return a < b ? -1 : 1;
    int ua, ub;
    double ka, kb;
    order_of(R, ia, &ua, &ka);
    order_of(R, ib, &ub, &kb);
    if (ua != ub) return ua - ub;
    if (ka != kb) return ka < kb ? -1 : 1;
    int c = ob_style_cmp(rstr(R, ia, "optimizer"), rstr(R, ib, "optimizer"));
    return c ? c : (ia > ib) - (ia < ib);
}

/* "median [lo, hi]" of row i's columns med, lo and hi through fmt; an empty bound beside
 * a median is not finite (a seed that never reached the target, or diverged): "∞" above,
 * "—" below; without the bound columns (an older table) the median alone */
static const char *fmt_interval(ob_cell c, const ob_table *R, size_t i, const char *med,
                                const char *lo, const char *hi,
                                const char *(*fmt)(ob_cell, double))
{
    ob_cell m, l, h;
    fmt(m, rnum(R, i, med));
    if (isnan(rnum(R, i, med)) || ob_table_col(R, lo) < 0 || ob_table_col(R, hi) < 0)
        return strcpy(c, m);
    double vl = rnum(R, i, lo), vh = rnum(R, i, hi);
    fmt(l, vl);
    if (isnan(vh)) strcpy(h, "∞");
    else fmt(h, vh);
    snprintf(c, sizeof(ob_cell), "%.28s [%.28s, %.28s]", m, l, h);
    return c;
}

/* The reference methods among the rows of R, each once, in canonical order, as "a, b"
 * into out; "" when there are none. */
static void reference_names(char *out, size_t cap, const ob_table *R)
{
    const char *names[OB_MAX_SERIES];
    size_t nn = 0, len = 0;
    for (size_t i = 0; R && i < R->rows; i++) {
        if (!ob_ranking_is_reference(R, i)) continue;
        const char *o = rstr(R, i, "optimizer");
        size_t k = 0;
        while (k < nn && strcmp(names[k], o) != 0) k++;
        if (k == nn && nn < OB_MAX_SERIES) names[nn++] = o;
    }
    ob_style_sort(names, nn);
    out[0] = '\0';
    for (size_t k = 0; k < nn && len < cap; k++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", k ? ", " : "", names[k]);
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

/* rank, optimizer, lr, the evaluations to the tightest target and the final gap (the
 * ranking's two keys, each median [95 % CI]), one column per target of the directory (the
 * tightest with how many seeds reached it), diverged runs and the time per step */
static void analytic_table(ob_doc *d, const ob_report_tables *t, const size_t *idx, size_t n)
{
    const ob_target_set *tg = &t->tg;
    int nt = tg->n, last = nt - 1;
    const ob_table *R = &t->ranking;
    char h[OB_N_TARGETS][64], ev[64];
    for (int k = 0; k < nt; k++)
        snprintf(h[k], sizeof h[k], "steps to %s%s", tg->name[k], k == last ? " (reached)" : "");
    snprintf(ev, sizeof ev, "evaluations to %s [95 %% CI]", tg->name[last]);
    const char *head[7 + OB_N_TARGETS] = {"rank", "optimizer", "lr", ev, "final gap [95 % CI]"};
    for (int k = 0; k < nt; k++) head[5 + k] = h[k];
    head[5 + nt] = "diverged";
    head[6 + nt] = "time per step";
    size_t nc = (size_t)(7 + nt);
    ob_doc_table_head(d, head, nc, &"rlrrrrrrrr"[OB_N_TARGETS - nt]); /* 7 + nt of them */
    for (size_t r = 0; r < n; r++) {
        size_t i = idx[r];
        ob_cell rk, lr, dv, s[OB_N_TARGETS], evals, gap, tps, a, b, c;
        ob_fmt_rank(rk, R, i);
        if (ob_ranking_is_reference(R, i)) lr[0] = '\0'; /* a first trial step, not a rate */
        else ob_fmt_g(lr, rnum(R, i, "lr"));
        if (strcmp(rstr(R, i, "metric"), "evals") == 0)
            fmt_interval(evals, R, i, "median", "ci_lo", "ci_hi", ob_fmt_steps);
        else
            strcpy(evals, "—");
        fmt_interval(gap, R, i, "median_final_gap", "final_gap_ci_lo", "final_gap_ci_hi", ob_fmt_g);
        snprintf(dv, sizeof dv, "%s of %s", ob_fmt_steps(a, rnum(R, i, "diverged")),
                 ob_fmt_steps(b, rnum(R, i, "seeds")));
        for (int k = 0; k < last; k++) ob_fmt_steps(s[k], target_num(t, i, k, 0));
        snprintf(s[last], sizeof s[last], "%s (%s of %s)", ob_fmt_steps(a, target_num(t, i, last, 0)),
                 ob_fmt_steps(b, target_num(t, i, last, 1)), ob_fmt_steps(c, rnum(R, i, "seeds")));
        ob_fmt_time(tps, rnum(R, i, "median_seconds_per_step"));
        const char *cells[7 + OB_N_TARGETS] = {rk, rstr(R, i, "optimizer"), lr, evals, gap};
        for (int k = 0; k < nt; k++) cells[5 + k] = s[k];
        cells[5 + nt] = dv;
        cells[6 + nt] = tps;
        ob_doc_table_row(d, cells, nc);
    }
    ob_doc_table_end(d);
}

static void network_table(ob_doc *d, const ob_table *R, const size_t *idx, size_t n)
{
    static const char *const head[] = {"rank", "optimizer", "lr",
                                       "best validation accuracy [95 % CI]", "test accuracy",
                                       "diverged", "time per epoch"};
    ob_doc_table_head(d, head, 7, "rlrrrrr");
    for (size_t k = 0; k < n; k++) {
        size_t i = idx[k];
        ob_cell rk, lr, dv, va, ta, ep, a, b;
        ob_fmt_rank(rk, R, i);
        if (ob_ranking_is_reference(R, i)) lr[0] = '\0';
        else ob_fmt_g(lr, rnum(R, i, "lr"));
        snprintf(dv, sizeof dv, "%s of %s", ob_fmt_steps(a, rnum(R, i, "diverged")),
                 ob_fmt_steps(b, rnum(R, i, "seeds")));
        fmt_interval(va, R, i, "median_best_val_acc", "ci_lo", "ci_hi", ob_fmt_pct);
        ob_fmt_pct(ta, rnum(R, i, "median_test_acc"));
        ob_fmt_time(ep, rnum(R, i, "median_epoch_seconds"));
        const char *cells[7] = {rk, rstr(R, i, "optimizer"), lr, va, ta, dv, ep};
        ob_doc_table_row(d, cells, 7);
    }
    ob_doc_table_end(d);
}

/* The section's lead-in after its first sentence: how the ranking is decided, a word on
 * too few seeds, and the reference methods of the kind's table R, if any. */
static void ranking_lead(ob_doc *d, const ob_table *R, int an, const char *first)
{
    int few = 1; /* every pair has at most 3 seeds: the test can never reject */
    for (size_t i = 0; R && i < R->rows; i++) few &= !(rnum(R, i, "seeds") > 3);
    char refs[512];
    reference_names(refs, sizeof refs, R);
    char more[1024] = "";
    size_t len = 0;
    if (R && R->rows && few)
        len += (size_t)snprintf(more + len, sizeof more - len,
                                " With 3 seeds or fewer per optimizer, as here, it never can "
                                "(3 against 3: its smallest p-value is 2/20 = 0.1): every rank "
                                "is a tie.");
    if (refs[0])
        snprintf(more + len, sizeof more - len,
                 " Reference methods (%s) are shown for comparison but not ranked (\"ref\")%s.",
                 refs, an ? "; their lr is GSL's first trial step, not a learning rate, and is "
                            "left empty" : "");
    ob_doc_p(d, "%s Optimizers that a two-sided Mann-Whitney test at 0.05 cannot tell apart "
                "on the metric the ranking sorts by share a rank: 1, 2=, 2=, 4.%s", first, more);
}

void ob_section_workloads(ob_doc *d, const ob_report_tables *t, const ob_result_list *w,
                          const ob_figure_list *figs, ob_workload_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < w->n; i++) n += w->v[i].kind == kind;
    if (n == 0) return;
    int an = kind == OB_KIND_ANALYTIC;
    ob_doc_h(d, 2, an ? "Analytic workloads" : "Network workloads");
    char first[1024];
    const char *tight = t->tg.name[t->tg.n - 1];
    if (an)
        snprintf(first, sizeof first,
                 "One table per workload, in the ranking's order: the optimizers whose median "
                 "run reached %s of the start gap, by their median gradient evaluations to it "
                 "(reached.csv's evals; a seed that never reached it counts as ∞), then the "
                 "others by their median final loss gap. Brackets hold 95 %% bootstrap "
                 "intervals over seeds. Beside them: the updates to each relative target (with "
                 "how many seeds reached %s), the seeds that diverged and the time per update; "
                 "the figures follow.", tight, tight);
    else
        snprintf(first, sizeof first,
                 "One table per network, ranked by the median best validation accuracy "
                 "during training over seeds (higher is better; brackets: its 95 %% bootstrap "
                 "interval), with the test accuracy and the training time per epoch; then "
                 "training against test (does the optimizer that fits the training set best "
                 "also do best on the test set?), and the figures.");
    ranking_lead(d, ranking_of(t, !an), an, first);
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
