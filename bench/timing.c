/* timing.c - the timing pass: the times the report compares, measured when the bench has
 * the machine to itself.
 *
 * The runs' own times (seconds_per_step, epoch_seconds in their summaries) are measured
 * while --jobs processes and the rate experiment share the cores, so a difference between
 * two of them can be the neighbours' doing.  Once every run is done, this pass times each
 * pair's chosen point again in this one process on one thread (the GEMMs of these small
 * networks only wait for a second thread, and more so beside other work), nothing else of
 * the bench running: a warm-up (analytic runs), then OB_TIME_REPEATS timed runs of the run loop alone (no file, no logging; a
 * network trains OB_TIME_STEPS mini-batches without evaluating), and writes the median
 * time per update with the smallest and largest of the repeats to timing.csv, with the
 * most processes other than this one that the kernel had runnable at the start of a
 * repeat (/proc/loadavg; the one-minute load average would still remember the runs): when
 * it is not 0, other processes shared the machine and the report says so.  A plugin's
 * optimizer is not timed here (its runs go through a child process, bench/execute.c).
 * The pass resumes: a whole timing.csv is kept. */
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/bench_internal.h"
#include "common/csvout.h"
#include "common/interrupt.h"
#include "common/path.h"
#include "common/progress.h"
#include "common/stats.h"
#include "common/table.h"
#include "optimizers/plugin.h"

/* the runnable processes other than this one now (the "R/T" field of /proc/loadavg
 * counts this one), or -1 when it cannot be read */
static int others_running(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    int running = 0;
    int ok = f && fscanf(f, "%*f %*f %*f %d/", &running) == 1;
    if (f) fclose(f);
    return ok ? running - 1 : -1;
}

/* one pair's repeats: the median, smallest and largest seconds per update (t[0..2]) and
 * the most other processes seen running (t[3]; NaN: unknown) */
static ob_status time_pair(const ob_run_spec *r, ob_bench_cache *pc, double *t, long *steps,
                           ob_error *err)
{
    double v[OB_TIME_REPEATS];
    t[3] = -1;
    /* k = -1: the warm-up of an analytic run (its problem's first touch; a network's
     * model is allocated afresh by every repeat, its data already warm from the runs) */
    for (int k = r->w->net ? 0 : -1; k < OB_TIME_REPEATS; k++) {
        double sec = 0;
        int others = k >= 0 ? others_running() : -1;
        if (others > t[3]) t[3] = others;
        ob_status s = ob_bench_time_run(r, pc, &sec, steps, err);
        if (s != OB_OK) return s;
        if (k >= 0) v[k] = *steps > 0 ? sec / (double)*steps : NAN;
    }
    ob_sort(v, OB_TIME_REPEATS);
    t[0] = ob_quantile_sorted(v, OB_TIME_REPEATS, 0.5);
    t[1] = v[0];
    t[2] = v[OB_TIME_REPEATS - 1];
    if (t[3] < 0) t[3] = NAN;
    return OB_OK;
}

ob_status ob_bench_timing(const ob_bench_config *c, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/timing.csv", c->out);
    if (ob_table_check(path, NULL) == OB_OK) return OB_OK; /* timed before */
    ob_run_spec *runs = malloc((c->suite->n_workloads * c->suite->n_optimizers + 1) * sizeof *runs);
    if (!runs) return ob_fail(err, OB_ENOMEM, "out of memory");
    ob_status s = OB_OK;
    size_t n = ob_bench_plan(c, 3, runs, &s, err);
    ob_csv w;
    if (s == OB_OK) s = ob_csv_open(&w, path, err);
    if (s != OB_OK) {
        free(runs);
        return s;
    }
    static const char *const cols[] = {"workload", "kind", "optimizer", "repeats", "steps",
                                       "median_seconds_per_step", "min_seconds_per_step",
                                       "max_seconds_per_step", "others_running"};
    for (size_t k = 0; k < sizeof cols / sizeof *cols; k++) ob_csv_text(&w, cols[k]);
    ob_csv_end_row(&w);
    ob_progress pr;
    ob_progress_begin(&pr, "bench: timing, one job", "pairs", n, (double)n, !c->progress);
    ob_bench_cache pc = {0};
    int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    for (size_t i = 0; i < n && s == OB_OK; i++) {
        const ob_run_spec *r = &runs[i];
        double t[4];
        long steps = 0;
        if (!ob_plugin_loaded(r->T) && (s = time_pair(r, &pc, t, &steps, err)) == OB_OK) {
            ob_csv_text(&w, r->w->name);
            ob_csv_text(&w, r->w->net ? "network" : "analytic");
            ob_csv_text(&w, r->T->name);
            ob_csv_int(&w, OB_TIME_REPEATS);
            ob_csv_int(&w, steps);
            for (int k = 0; k < 3; k++) ob_csv_num(&w, t[k]);
            if (isnan(t[3])) ob_csv_text(&w, "");
            else ob_csv_int(&w, (long)t[3]);
            ob_csv_end_row(&w);
        }
        ob_progress_add(&pr, 1, 1);
        if (s == OB_OK && ob_interrupted())
            s = ob_fail(err, OB_INTERRUPTED, "interrupted in the timing pass; run the same "
                        "command again to resume");
    }
    omp_set_num_threads(threads);
    ob_bench_cache_free(&pc);
    free(runs);
    if (s != OB_OK) {
        ob_csv_abort(&w);
        return s;
    }
    ob_progress_end(&pr);
    return ob_csv_commit(&w, err);
}
