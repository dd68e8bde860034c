/* tuning_edges.c - the report's list of the (workload, optimizer) pairs whose chosen
 * learning rate, or chosen value of a list tuned with it, stayed at an edge of the values
 * tuning ran: the edge extension (bench/tuning.h) stopped there at a limit (six values
 * past the suite's grid or list, lr outside [1e-8, 1e3], a value the rule refuses), so
 * the best value may lie beyond what was tried.  From chosen.csv and tuning.csv alone
 * (its grid and hparams columns; an older directory has neither, and its choices at an
 * edge are listed too: they were never extended).  A choice that ties exactly with other
 * values (the same score: a flat criterion, where the tie-break chose) was not extended
 * either: the table says so rather than call it a limit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/tuning.h"
#include "report/sections.h"

/* the value of hyperparameter name in row r of T: lr's column, or from hparams */
static double value_of(const ob_table *T, size_t r, const char *name)
{
    if (!strcmp(name, "lr")) return ob_table_num(T, r, ob_table_col(T, "lr"));
    const char *hp = ob_table_str(T, r, ob_table_col(T, "hparams")); /* "" without */
    size_t n = strlen(name);
    for (const char *p = hp; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL)
        if (!strncmp(p, name, n) && p[n] == '=') return strtod(p + n + 1, NULL);
    return NAN;
}

typedef struct {
    double lo, hi;
    int distinct, added; /* values tried; of which only on extended rows */
} range;

/* the values of name over the tuning rows of (w, o) */
static range range_of(const ob_table *T, const char *w, const char *o, const char *name)
{
    int wc = ob_table_col(T, "workload"), oc = ob_table_col(T, "optimizer"),
        gc = ob_table_col(T, "grid");
    range g = {INFINITY, -INFINITY, 0, 0};
    for (size_t r = 0; r < T->rows; r++) {
        if (strcmp(ob_table_str(T, r, wc), w) || strcmp(ob_table_str(T, r, oc), o)) continue;
        if (!strcmp(ob_table_str(T, r, gc), "random")) continue; /* trials: no grid edge */
        double v = value_of(T, r, name);
        if (isnan(v)) continue;
        int seen = 0, orig = 0; /* v met in an earlier row; v on an original row */
        for (size_t q = 0; q < T->rows; q++)
            if (!strcmp(ob_table_str(T, q, wc), w) && !strcmp(ob_table_str(T, q, oc), o) &&
                value_of(T, q, name) == v) {
                seen |= q < r;
                orig |= strcmp(ob_table_str(T, q, gc), "extended") != 0;
            }
        if (seen) continue;
        g.lo = v < g.lo ? v : g.lo;
        g.hi = v > g.hi ? v : g.hi;
        g.distinct++;
        g.added += !orig;
    }
    return g;
}

/* how many other values of name than v have a tuning row of (w, o) scoring exactly score */
static int ties(const ob_table *T, const char *w, const char *o, const char *name, double v,
                double score)
{
    int wc = ob_table_col(T, "workload"), oc = ob_table_col(T, "optimizer"),
        sc = ob_table_col(T, "score"), n = 0;
    if (sc < 0 || !isfinite(score)) return 0;
    for (size_t r = 0; r < T->rows; r++)
        n += !strcmp(ob_table_str(T, r, wc), w) && !strcmp(ob_table_str(T, r, oc), o) &&
             value_of(T, r, name) != v && ob_table_num(T, r, sc) == score;
    return n;
}

static void row(ob_doc *d, int *any, const char *w, const char *o, const char *name, double v,
                const range *g, int tied)
{
    static const char *const head[] = {"workload", "optimizer", "hyperparameter", "chosen",
                                       "edge", "values tried", "of which added", "why"};
    if (!(*any)++) {
        ob_doc_p(d, "**Chosen at an edge.** For these pairs a chosen value is the smallest or "
                    "largest one tuning ran: the grid was extended past its edge (same "
                    "spacing) until a limit (%d values past the suite's grid or list, lr "
                    "outside [1e%d, 1e%d], a value the rule refuses, or a rate whose decay alone "
                    "zeroes x, listed under Not run), so the best value "
                    "may lie beyond (a directory from before the extension has no added "
                    "values); or the criterion is flat there (the same score at other "
                    "values, and the tie-break chose), where extending would only follow the "
                    "tie-break:",
                 OB_TUNE_EXTRA_MAX, (int)lround(log10(OB_TUNE_LR_MIN)),
                 (int)lround(log10(OB_TUNE_LR_MAX)));
        ob_doc_table_head(d, head, 8, "lllrlrrl");
    }
    ob_cell a;
    char n1[32], n2[32], why[64];
    snprintf(n1, sizeof n1, "%d", g->distinct);
    snprintf(n2, sizeof n2, "%d", g->added);
    if (tied) snprintf(why, sizeof why, "flat: %d other value%s tie", tied, tied > 1 ? "s" : "");
    else snprintf(why, sizeof why, "a limit");
    const char *cells[8] = {w, o, name, ob_fmt_g(a, v), v == g->hi ? "largest" : "smallest",
                            n1, n2, why};
    ob_doc_table_row(d, cells, 8);
}

void ob_section_tuning_limits(ob_doc *d, const ob_report_tables *t)
{
    if (!t->have_chosen || !t->have_tuning) return;
    const ob_table *C = &t->chosen;
    int wc = ob_table_col(C, "workload"), oc = ob_table_col(C, "optimizer");
    int any = 0;
    for (size_t r = 0; r < C->rows; r++) {
        const char *w = ob_table_str(C, r, wc), *o = ob_table_str(C, r, oc);
        /* lr, then each name of the chosen hparams ("momentum=0.9;beta1=0.8") */
        char names[256], *save = NULL;
        snprintf(names, sizeof names, "lr=;%s", ob_table_str(C, r, ob_table_col(C, "hparams")));
        for (char *kv = strtok_r(names, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
            char *eq = strchr(kv, '=');
            if (!eq) continue;
            *eq = '\0';
            double v = value_of(C, r, kv);
            range g = range_of(&t->tuning, w, o, kv);
            if (g.distinct > 1 && (v == g.lo || v == g.hi))
                row(d, &any, w, o, kv, v, &g,
                    ties(&t->tuning, w, o, kv, v,
                         ob_table_num(C, r, ob_table_col(C, "score"))));
        }
    }
    if (any) ob_doc_table_end(d);
}
