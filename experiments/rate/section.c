/* section.c - the report's "SGD against its theoretical rate" section, built from
 * the experiment's data: rate.csv (one row per workload of the suite: measured, or not
 * and why; written by bench_rate.c), rate/W.csv (per N) and rate/W.summary.csv
 * (the fit), then the experiment's figures (figure.c).  Without rate.csv (a results
 * directory from `optbench rate` runs alone) every rate/W.summary.csv is listed. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/path.h"
#include "common/table.h"
#include "experiments/experiment.h"
#include "experiments/rate/bench_rate.h"
#include "experiments/rate/rate.h"
#include "report/report.h"

static const char *sstr(const ob_table *t, const char *col)
{
    return ob_table_str(t, 0, ob_table_col(t, col));
}

static double snum(const ob_table *t, const char *col)
{
    return ob_table_num(t, 0, ob_table_col(t, col));
}

/* One list item for a measured workload, from rate/W.summary.csv. */
static void measured_item(ob_doc *d, const char *dir, const char *w)
{
    char path[4096];
    ob_table t;
    if (ob_table_read(ob_pathf(path, sizeof path, "%s/rate/%s.summary.csv", dir, w), &t, NULL) != OB_OK ||
        t.rows == 0) {
        ob_doc_li(d, "**%s**: no result (rate/%s.summary.csv is missing or unreadable).", w, w);
        return;
    }
    char slope[128], ratio[64];
    ob_rate_slope_text(slope, sizeof slope, snum(&t, "slope"), snum(&t, "slope_stderr"), "±");
    ob_rate_ratio_range(ratio, sizeof ratio, snum(&t, "min_ratio"), snum(&t, "max_ratio"));
    /* L and σ² estimated (a network): the curve is an estimate of the bound, not one */
    int estimate = strcmp(sstr(&t, "estimate"), "yes") == 0,
        held = strcmp(sstr(&t, "all_hold"), "yes") == 0;
    ob_doc_li(d, "**%s** (%sn = %s, L = %.4g, %s, %s runs per N): the %s %s; it is %s times "
                 "the measured mean; the measured slope of log(mean) against log(N) is %s (the "
                 "theorem's rate: -0.5).",
              w,
              estimate ? "ESTIMATE, L and σ² estimated on a network that is not globally "
                         "L-smooth; "
                       : "",
              sstr(&t, "dim"), snum(&t, "L"), sstr(&t, "oracle"), sstr(&t, "seeds"),
              estimate ? "estimate (2L(f(θ_0) - f*) + σ²)/√N" : "bound",
              estimate ? (held ? "stayed above the measured mean at every N"
                               : "fell below the measured mean at some N")
                       : (held ? "held at every N" : "did NOT hold at every N"),
              ratio, slope);
    ob_table_free(&t);
}

/* The smallest and largest N over rate/W.csv for the n workloads names; hi 0: none. */
static void n_range(const char *dir, char (*names)[160], size_t n, double *lo, double *hi)
{
    *lo = INFINITY, *hi = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        ob_table t;
        if (ob_table_read(ob_pathf(path, sizeof path, "%s/rate/%s.csv", dir, names[i]), &t, NULL) != OB_OK)
            continue;
        int c = ob_table_col(&t, "N");
        for (size_t r = 0; c >= 0 && r < t.rows; r++) {
            double v = ob_table_num(&t, r, c);
            if (v < *lo) *lo = v;
            if (v > *hi) *hi = v;
        }
        ob_table_free(&t);
    }
}

static void rate_section(ob_doc *d, const char *dir, const ob_figure_list *figs)
{
    char path[4096];
    ob_table idx;
    int have_idx = ob_read_table(dir, "rate.csv", &idx, NULL) == OB_OK;
    char names[256][160];
    size_t nsum = ob_rate_workloads(dir, names, 256);
    if (!have_idx && nsum == 0) return;
    ob_doc_h(d, 2, "SGD against its theoretical rate");
    double lo, hi;
    n_range(dir, names, nsum, &lo, &hi);
    char range[96] = "";
    if (hi > 0) snprintf(range, sizeof range, " for N = %.0f to %.0f", lo, hi);
    ob_doc_p(d, "SGD with the constant step 1/(L √N)%s, several runs from the same start at each "
                "N, against the bound (2L(f(θ_0) - f*) + σ²)/√N of the theorem for L-smooth "
                "functions whose stochastic gradients are unbiased with variance at most σ² "
                "(on a network, where L and σ² are estimated, the same formula is an estimate, "
                "not a bound).",
             range);
    if (have_idx) {
        int wc = ob_table_col(&idx, "workload"), sc = ob_table_col(&idx, "status"),
            rc = ob_table_col(&idx, "reason");
        for (size_t i = 0; i < idx.rows; i++) {
            const char *w = ob_table_str(&idx, i, wc);
            if (strcmp(ob_table_str(&idx, i, sc), "measured") == 0)
                measured_item(d, dir, w);
            else
                ob_doc_li(d, "**%s**: not measured: %s.", w, ob_table_str(&idx, i, rc));
        }
        ob_table_free(&idx);
    } else {
        for (size_t i = 0; i < nsum; i++) {
            ob_pathf(path, sizeof path, "%s/rate/%s.summary.csv", dir, names[i]);
            if (ob_file_exists(path)) measured_item(d, dir, names[i]);
        }
    }
    ob_doc_list_end(d);
    ob_section_figures_of(d, figs, ob_rate_recipes);
}

const ob_experiment ob_exp_rate = {.name = "rate", .stage = OB_EXP_BESIDE_RUNS,
                                   .bench = ob_rate_bench, .recipes = ob_rate_recipes,
                                   .section = rate_section};
