/* tuning_search.c - the report's account of the search itself, in its tuning section:
 * the budget each optimizer had (tuning runs per workload, tuning.csv), random search when
 * the suite asked for it (tuning = random N: tuning.csv's trial column), and the expected
 * best of k random trials (tuning_curve.csv; Sivaprasad et al. 2020). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/style.h"
#include "report/sections.h"

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
