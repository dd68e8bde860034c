/* failed_runs.c - the report's count of the runs that did not finish because their
 * optimizer, a plugin run in a process of its own (bench/execute.c), crashed, ran past
 * the time limit or failed (its state could not be allocated; the final runs of a pair
 * none of whose tuning runs finished): statuses `crashed`, `timeout` and `failed` in
 * tuning.csv (the grid's runs) and metrics_analytic.csv and metrics_net.csv (the seeds'
 * runs).  Such runs count as diverged in the tables. */
#include <stdio.h>
#include <string.h>

#include "report/sections.h"

#define MAX_OPT 64

typedef struct {
    const char *o[MAX_OPT];
    int crashed[MAX_OPT], timeout[MAX_OPT], failed[MAX_OPT];
    size_t n;
} failed_counts;

/* adds the rows of table t (workload w, or all when NULL) with a failed status to f */
static void count_rows(failed_counts *f, const ob_table *t, const char *w)
{
    int wc = ob_table_col(t, "workload"), oc = ob_table_col(t, "optimizer"),
        sc = ob_table_col(t, "status");
    if (oc < 0 || sc < 0) return;
    for (size_t r = 0; r < t->rows; r++) {
        const char *s = ob_table_str(t, r, sc), *o = ob_table_str(t, r, oc);
        int crashed = !strcmp(s, "crashed"), timeout = !strcmp(s, "timeout"),
            failed = !strcmp(s, "failed");
        if ((!crashed && !timeout && !failed) || (w && strcmp(ob_table_str(t, r, wc), w)))
            continue;
        size_t i = 0;
        while (i < f->n && strcmp(f->o[i], o)) i++;
        if (i == f->n) {
            if (f->n == MAX_OPT) continue;
            f->o[f->n++] = o;
        }
        f->crashed[i] += crashed;
        f->timeout[i] += timeout;
        f->failed[i] += failed;
    }
}

/* "N run(s) crashed" / "N run(s) timed out" / "N run(s) failed" for one optimizer, into buf */
static void phrase(char *buf, size_t cap, const char *o, int crashed, int timeout, int failed)
{
    const int n[3] = {crashed, timeout, failed};
    static const char *const what[3] = {"crashed", "timed out", "failed"};
    size_t k = (size_t)snprintf(buf, cap, "**%s**: ", o);
    for (int j = 0, first = 1; j < 3; j++) {
        if (!n[j] || k >= cap) continue;
        k += (size_t)snprintf(buf + k, cap - k, "%s%d run%s %s", first ? "" : ", ", n[j],
                              n[j] == 1 ? "" : "s", what[j]);
        first = 0;
    }
}

void ob_section_failed_runs(ob_doc *d, const ob_report_tables *t, const char *w)
{
    failed_counts f = {.n = 0};
    if (t->have_tuning) count_rows(&f, &t->tuning, w);
    if (t->have_metrics) count_rows(&f, &t->metrics, w);
    if (t->have_metrics_net) count_rows(&f, &t->metrics_net, w);
    if (f.n == 0) return;
    int total = 0, any_failed = 0;
    char list[2048] = "";
    size_t k = 0;
    for (size_t i = 0; i < f.n; i++) {
        char one[256];
        total += f.crashed[i] + f.timeout[i] + f.failed[i];
        any_failed |= f.failed[i] > 0;
        phrase(one, sizeof one, f.o[i], f.crashed[i], f.timeout[i], f.failed[i]);
        if (k < sizeof list)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? "; " : "", one);
    }
    ob_doc_p(d, "%d run%s did not finish%s because the optimizer's process crashed%s ran past "
                "the time limit%s (they count as diverged%s): %s.",
             total, total == 1 ? "" : "s", w ? " on this workload" : "", any_failed ? "," : " or",
             any_failed ? " or failed" : "",
             any_failed ? "; a run failed when its optimizer's state could not be allocated, or "
                          "when none of the pair's tuning runs finished: then its final runs "
                          "were not run" : "", list);
}
