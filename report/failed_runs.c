/* failed_runs.c - the report's count of the runs that did not finish because their
 * optimizer, a plugin run in a process of its own (bench/execute.c), crashed or ran past
 * the time limit: statuses `crashed` and `timeout` in tuning.csv (the grid's runs) and
 * metrics_analytic.csv and metrics_net.csv (the seeds' runs).  Such runs count as diverged
 * in the tables. */
#include <stdio.h>
#include <string.h>

#include "report/sections.h"

#define MAX_OPT 64

typedef struct {
    const char *o[MAX_OPT];
    int crashed[MAX_OPT], timeout[MAX_OPT];
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
        int crashed = !strcmp(s, "crashed"), timeout = !strcmp(s, "timeout");
        if ((!crashed && !timeout) || (w && strcmp(ob_table_str(t, r, wc), w))) continue;
        size_t i = 0;
        while (i < f->n && strcmp(f->o[i], o)) i++;
        if (i == f->n) {
            if (f->n == MAX_OPT) continue;
            f->o[f->n++] = o;
        }
        f->crashed[i] += crashed;
        f->timeout[i] += timeout;
    }
}

/* "N run(s) crashed" / "N run(s) timed out" for one optimizer, into buf */
static void phrase(char *buf, size_t cap, const char *o, int crashed, int timeout)
{
    char c[64] = "", t[64] = "";
    if (crashed) snprintf(c, sizeof c, "%d run%s crashed", crashed, crashed == 1 ? "" : "s");
    if (timeout) snprintf(t, sizeof t, "%d run%s timed out", timeout, timeout == 1 ? "" : "s");
    snprintf(buf, cap, "**%s**: %s%s%s", o, c, crashed && timeout ? ", " : "", t);
}

void ob_section_failed_runs(ob_doc *d, const ob_report_tables *t, const char *w)
{
    failed_counts f = {.n = 0};
    if (t->have_tuning) count_rows(&f, &t->tuning, w);
    if (t->have_metrics) count_rows(&f, &t->metrics, w);
    if (t->have_metrics_net) count_rows(&f, &t->metrics_net, w);
    if (f.n == 0) return;
    int total = 0;
    char list[2048] = "";
    size_t k = 0;
    for (size_t i = 0; i < f.n; i++) {
        char one[256];
        total += f.crashed[i] + f.timeout[i];
        phrase(one, sizeof one, f.o[i], f.crashed[i], f.timeout[i]);
        if (k < sizeof list)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? "; " : "", one);
    }
    ob_doc_p(d, "%d run%s did not finish%s because the optimizer's process crashed or ran past "
                "the time limit (they count as diverged): %s.",
             total, total == 1 ? "" : "s", w ? " on this workload" : "", list);
}
