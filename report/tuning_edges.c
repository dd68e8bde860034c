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
#include "plots/style.h"
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

/* The tuning budget: how many tuning runs each optimizer had on each workload (tuning.csv's
 * rows), workloads down, optimizers across; "22 (+3)" when the edge extension added 3 to
 * the suite's grid.  Rankings compare optimizers at their tuned settings, so an optimizer
 * tuned with more runs had more chances (Sivaprasad et al. 2020): the counts are stated,
 * and the sentence says whether they were equal. */
void ob_section_tuning_budget(ob_doc *d, const ob_report_tables *t, const ob_result_list *w)
{
    if (!t->have_tuning) return;
    const ob_table *T = &t->tuning;
    int wc = ob_table_col(T, "workload"), oc = ob_table_col(T, "optimizer"),
        gc = ob_table_col(T, "grid");
    const char *opt[OB_MAX_SERIES];
    size_t no = ob_optimizers_of(T, oc, opt, OB_MAX_SERIES);
    if (no == 0) return;
    const char *head[OB_MAX_SERIES + 1] = {"workload"};
    char al[OB_MAX_SERIES + 2] = "l";
    for (size_t k = 0; k < no; k++) head[k + 1] = opt[k], al[k + 1] = 'r';
    long unequal = 0, any = 0;
    char list[2048] = ""; /* "logreg 19 to 20, netA 5 to 6" */
    size_t used = 0;
    ob_doc_p(d, "**Tuning budget:** the tuning runs each optimizer had on each workload "
                "(tuning.csv's rows: every learning rate, times the values of any list tuned "
                "with it; \"+N\": N of them added past an edge of the suite's grid). An "
                "optimizer tuned with more runs had more chances to find a good setting.");
    ob_doc_table_head(d, head, no + 1, al);
    for (size_t i = 0; i < w->n; i++) {
        ob_cell cs[OB_MAX_SERIES];
        const char *cells[OB_MAX_SERIES + 1] = {w->v[i].name};
        long wlo = -1, whi = -1;
        for (size_t k = 0; k < no; k++) {
            long n = 0, added = 0;
            for (size_t r = 0; r < T->rows; r++)
                if (!strcmp(ob_table_str(T, r, wc), w->v[i].name) &&
                    !strcmp(ob_table_str(T, r, oc), opt[k])) {
                    n++;
                    added += !strcmp(ob_table_str(T, r, gc), "extended");
                }
            cells[k + 1] = "—";
            if (n == 0) continue;
            if (added) snprintf(cs[k], sizeof cs[k], "%ld (+%ld)", n, added);
            else snprintf(cs[k], sizeof cs[k], "%ld", n);
            cells[k + 1] = cs[k];
            wlo = wlo < 0 || n < wlo ? n : wlo;
            whi = n > whi ? n : whi;
        }
        if (whi < 0) continue;
        ob_doc_table_row(d, cells, no + 1);
        any = 1;
        if (wlo != whi && used < sizeof list) {
            unequal++;
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s %ld to %ld",
                                     used ? ", " : "", w->v[i].name, wlo, whi);
        }
    }
    ob_doc_table_end(d);
    if (!any) return;
    if (unequal)
        ob_doc_p(d, "The budget was not equal on %ld workload%s (%s runs an optimizer): the "
                    "extension runs more rates for a choice at an edge.",
                 unequal, unequal == 1 ? "" : "s", list);
    else
        ob_doc_p(d, "Every optimizer had the same number of tuning runs on each workload.");
}

int ob_tuning_is_random(const ob_report_tables *t)
{
    if (!t->have_tuning) return 0;
    int tc = ob_table_col(&t->tuning, "trial");
    for (size_t r = 0; tc >= 0 && r < t->tuning.rows; r++)
        if (*ob_table_str(&t->tuning, r, tc)) return 1;
    return 0;
}

int ob_section_tuning_random(ob_doc *d, const ob_report_tables *t)
{
    if (!ob_tuning_is_random(t)) return 0;
    const ob_table *T = &t->tuning;
    int tc = ob_table_col(T, "trial"), lc = ob_table_col(T, "lr");
    long most = 0;
    double lo = INFINITY, hi = 0;
    for (size_t r = 0; r < T->rows; r++) {
        long k = strtol(ob_table_str(T, r, tc), NULL, 10);
        double lr = ob_table_num(T, r, lc);
        most = k > most ? k : most;
        lo = lr < lo ? lr : lo;
        hi = lr > hi ? lr : hi;
    }
    ob_cell a, b;
    ob_doc_li(d, "**Random search** (`tuning = random %ld`): %ld trials per optimizer and "
                 "workload instead of a grid, the same number for every optimizer; each trial "
                 "draws the learning rate log-uniformly over the suite's range (the trials "
                 "drew %s to %s) and every option the suite declares as a range (the hparams "
                 "column of tuning.csv), from a generator seeded by the suite, so a rerun "
                 "draws the same trials. The grid is not extended.",
              most, most, ob_fmt_g(a, lo), ob_fmt_g(b, hi));
    return 1;
}

/* "0.0123 → 1e-06": E_1 and E_N of one pair in tuning_curve.csv's rows idx (k increasing),
 * accuracies in % */
static void curve_cell(ob_cell c, const ob_table *C, const size_t *idx, size_t n, int net)
{
    int ec = ob_table_col(C, "expected_best");
    ob_cell a, b;
    const char *(*f)(ob_cell, double) = net ? ob_fmt_pct : ob_fmt_g;
    snprintf(c, sizeof(ob_cell), "%s → %s", f(a, ob_table_num(C, idx[0], ec)),
             f(b, ob_table_num(C, idx[n - 1], ec)));
}

void ob_section_tuning_curve(ob_doc *d, const ob_report_tables *t, const ob_result_list *w)
{
    ob_table C;
    if (!t->dir || ob_read_table(t->dir, "tuning_curve.csv", &C, NULL) != OB_OK) return;
    int wc = ob_table_col(&C, "workload"), oc = ob_table_col(&C, "optimizer"),
        kc = ob_table_col(&C, "kind");
    const char *opt[OB_MAX_SERIES];
    size_t no = ob_optimizers_of(&C, oc, opt, OB_MAX_SERIES);
    size_t *idx = malloc((C.rows + 1) * sizeof *idx);
    if (no == 0 || !idx) {
        free(idx);
        ob_table_free(&C);
        return;
    }
    const char *head[OB_MAX_SERIES + 1] = {"workload"};
    char al[OB_MAX_SERIES + 2] = "l";
    for (size_t k = 0; k < no; k++) head[k + 1] = opt[k], al[k + 1] = 'r';
    ob_doc_p(d, "**Expected best against the number of trials** (tuning_curve.csv; Sivaprasad "
                "et al. 2020, \"Optimizer benchmarking needs to account for hyperparameter "
                "tuning\"): the best score of k trials drawn without replacement from the N "
                "run, in expectation, E_k = Σ_i s_(i) C(N−i, k−1)/C(N, k) over the sorted "
                "scores. Below, E_1 (one random trial) → E_N (the best trial, which the final "
                "runs use): the tuning score, lower is better; on a network the validation "
                "accuracy, higher is better; — where k trials could all have diverged. Each "
                "workload's section draws the whole curve.");
    ob_doc_table_head(d, head, no + 1, al);
    for (size_t i = 0; i < w->n; i++) {
        ob_cell cs[OB_MAX_SERIES];
        const char *cells[OB_MAX_SERIES + 1] = {w->v[i].name};
        int any = 0;
        for (size_t k = 0; k < no; k++) {
            size_t n = 0;
            for (size_t r = 0; r < C.rows; r++)
                if (!strcmp(ob_table_str(&C, r, wc), w->v[i].name) &&
                    !strcmp(ob_table_str(&C, r, oc), opt[k]))
                    idx[n++] = r;
            cells[k + 1] = "—";
            if (n == 0) continue;
            curve_cell(cs[k], &C, idx, n, !strcmp(ob_table_str(&C, idx[0], kc), "network"));
            cells[k + 1] = cs[k];
            any = 1;
        }
        if (any) ob_doc_table_row(d, cells, no + 1);
    }
    ob_doc_table_end(d);
    free(idx);
    ob_table_free(&C);
}
