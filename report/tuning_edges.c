/* tuning_edges.c - the report's list of the (workload, optimizer) pairs whose chosen
 * learning rate stayed at an edge of the rates tuning ran: the edge extension
 * (bench/tuning.h) stopped there at a limit (six rates past the suite's grid, or lr
 * outside [1e-8, 1e3]), so the best rate may lie beyond what was tried.  From
 * chosen.csv and tuning.csv alone (its grid column; older directories have none, and
 * their choices at an edge are listed too: they were never extended). */
#include <math.h>
#include <string.h>

#include "bench/tuning.h"
#include "report/sections.h"

/* the smallest and largest lr tuning.csv has for (w, o), its rows and how many of them
 * the extension added */
static void pair_range(const ob_table *T, const char *w, const char *o, double *lo,
                       double *hi, int *rows, int *extended)
{
    int wc = ob_table_col(T, "workload"), oc = ob_table_col(T, "optimizer"),
        lc = ob_table_col(T, "lr"), gc = ob_table_col(T, "grid");
    *lo = INFINITY, *hi = -INFINITY, *rows = *extended = 0;
    for (size_t r = 0; r < T->rows; r++) {
        if (strcmp(ob_table_str(T, r, wc), w) || strcmp(ob_table_str(T, r, oc), o)) continue;
        double lr = ob_table_num(T, r, lc);
        *lo = lr < *lo ? lr : *lo;
        *hi = lr > *hi ? lr : *hi;
        ++*rows;
        *extended += strcmp(ob_table_str(T, r, gc), "extended") == 0; /* "" without */
    }
}

void ob_section_tuning_limits(ob_doc *d, const ob_report_tables *t)
{
    if (!t->have_chosen || !t->have_tuning) return;
    const ob_table *C = &t->chosen;
    int wc = ob_table_col(C, "workload"), oc = ob_table_col(C, "optimizer"),
        lc = ob_table_col(C, "lr");
    static const char *const head[] = {"workload", "optimizer", "chosen lr", "edge",
                                       "rates tried", "of which added"};
    int any = 0;
    for (size_t r = 0; r < C->rows; r++) {
        const char *w = ob_table_str(C, r, wc), *o = ob_table_str(C, r, oc);
        double lr = ob_table_num(C, r, lc), lo, hi;
        int rows, ext;
        pair_range(&t->tuning, w, o, &lo, &hi, &rows, &ext);
        if (!(lr == lo || lr == hi) || lo == hi) continue;
        if (!any++) {
            ob_doc_p(d, "**Chosen at an edge.** For these pairs the chosen rate is the "
                        "smallest or largest one tuning ran: the grid was extended past its "
                        "edge (same spacing) until a limit, %d rates past the suite's grid or "
                        "lr outside [%g, %g], so the best rate may lie beyond (a directory "
                        "from before the extension has no added rates):",
                     OB_TUNE_EXTRA_MAX, OB_TUNE_LR_MIN, OB_TUNE_LR_MAX);
            ob_doc_table_head(d, head, 6, "llrlrr");
        }
        ob_cell a;
        char n1[32], n2[32];
        snprintf(n1, sizeof n1, "%d", rows);
        snprintf(n2, sizeof n2, "%d", ext);
        ob_fmt_g(a, lr);
        const char *cells[6] = {w, o, a, lr == hi ? "largest" : "smallest", n1, n2};
        ob_doc_table_row(d, cells, 6);
    }
    if (any) ob_doc_table_end(d);
}
