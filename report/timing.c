/* timing.c - the report's "Time per update" section, from timing.csv (the bench's timing
 * pass, bench/timing.c): per workload the fastest optimizer, those whose range of repeats
 * overlaps its range (not told apart: a difference within the spread is not called a
 * difference), and the others with their median time as a multiple of the fastest's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/path.h"
#include "report/sections.h"
#include "plots/style.h"

/* one optimizer's row of timing.csv on the workload at hand */
typedef struct {
    const char *o;
    double med, lo, hi, others;
} timed;

static int by_median(const void *a, const void *b)
{
    const timed *x = a, *y = b;
    if (x->med != y->med) return x->med < y->med ? -1 : 1;
    return strcmp(x->o, y->o);
}

/* appends "text" to the cell buf (cap bytes), a comma between items */
static void add(char *buf, size_t cap, const char *text)
{
    size_t used = strlen(buf);
    if (used + 2 < cap) snprintf(buf + used, cap - used, "%s%s", used ? ", " : "", text);
}

/* the row of workload w: its optimizers' times, fastest first */
static void workload_row(ob_doc *d, const ob_table *t, const char *w, double *others_max)
{
    size_t idx[OB_MAX_SERIES * 2], n;
    timed v[OB_MAX_SERIES * 2];
    n = ob_rows_where(t, ob_table_col(t, "workload"), w, idx, sizeof idx / sizeof *idx);
    int co = ob_table_col(t, "optimizer"), cm = ob_table_col(t, "median_seconds_per_step"),
        cl = ob_table_col(t, "min_seconds_per_step"), ch = ob_table_col(t, "max_seconds_per_step"),
        ca = ob_table_col(t, "others_running");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        timed x = {ob_table_str(t, idx[i], co), ob_table_num(t, idx[i], cm),
                   ob_table_num(t, idx[i], cl), ob_table_num(t, idx[i], ch),
                   ob_table_num(t, idx[i], ca)};
        if (!isfinite(x.med) || x.med <= 0) continue;
        if (x.others > *others_max) *others_max = x.others;
        v[m++] = x;
    }
    if (m == 0) return;
    qsort(v, m, sizeof *v, by_median);
    ob_cell a, b, c;
    char fastest[256], same[2048] = "", slower[4096] = "", item[160];
    snprintf(fastest, sizeof fastest, "%s %s [%s – %s]", v[0].o, ob_fmt_time(a, v[0].med),
             ob_fmt_time(b, v[0].lo), ob_fmt_time(c, v[0].hi));
    for (size_t i = 1; i < m; i++) {
        if (v[i].lo <= v[0].hi) { /* the ranges overlap */
            add(same, sizeof same, v[i].o);
            continue;
        }
        snprintf(item, sizeof item, "%s %.3g×", v[i].o, v[i].med / v[0].med);
        add(slower, sizeof slower, item);
    }
    const char *cells[4] = {w, fastest, same[0] ? same : "—", slower[0] ? slower : "—"};
    ob_doc_table_row(d, cells, 4);
}

void ob_section_timing(ob_doc *d, const ob_report_tables *rt)
{
    ob_table t;
    if (!rt->dir || ob_read_table(rt->dir, "timing.csv", &t, NULL) != OB_OK) return;
    ob_doc_h(d, 2, "Time per update");
    int reps = (int)ob_table_num(&t, 0, ob_table_col(&t, "repeats"));
    ob_doc_p(d, "Measured once every run was done, by a timing pass with nothing else of the "
                "benchmark running: one process, each optimizer's tuned setting on each "
                "workload run %d times (after a warm-up on the analytic ones; the run loop alone: no files, no "
                "logging; a network trains on a few random mini-batches, gd on full passes over "
                "as many samples, without evaluating, timing.csv's steps; one thread). Each cell "
                "gives the median time per update with the range of the %d repeats. An "
                "optimizer whose range overlaps the fastest's is listed as not told apart from "
                "it: a difference within the spread is not a difference. The times in the "
                "workload tables and in metrics_*.csv come from the runs themselves, measured "
                "beside the other jobs of the benchmark; compare these instead (timing.csv).",
             reps, reps);
    static const char *const head[] = {"workload", "fastest: median [range]",
                                       "not told apart from the fastest",
                                       "slower: median time × the fastest's"};
    ob_doc_table_head(d, head, 4, "llll");
    const char *ws[256];
    size_t nw = ob_table_distinct(&t, ob_table_col(&t, "workload"), ws, 256);
    double load = 0;
    for (size_t i = 0; i < nw; i++) workload_row(d, &t, ws[i], &load);
    ob_doc_table_end(d);
    if (load > 0)
        ob_doc_p(d, "**Measured beside other processes:** up to %.0f other process%s ran while "
                    "the timing pass timed (timing.csv's others_running), so these times carry "
                    "their noise too; the ranges show how much.", load, load == 1 ? "" : "es");
    ob_table_free(&t);
}
