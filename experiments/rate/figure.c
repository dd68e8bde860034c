/* figure.c - the SGD-rate experiment's figure: rate/W.png of a results directory as a
 * registry recipe (the title from rate/W.summary.csv, the curves from rate/W.csv), and
 * the figure of `optbench rate --plot` (ob_plot_rate). */
#include "experiments/rate/bench_rate.h"
#include "experiments/rate/rate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/gnuplot.h"
#include "plots/recipes.h"

ob_status ob_plot_rate(const char *csv, const char *png, const char *title, long n0,
                       double mean0, int estimate, ob_error *err)
{
    /* where L and sigma^2 are estimated (a network) the curve is an estimate of the
     * bound, and the legend says so */
    const char *curve = estimate ? "estimate (2L(f(θ_0)-f*)+σ^2)/√N, L and σ^2 estimated"
                                 : "bound (2L(f(θ_0)-f*)+σ^2)/√N";
    char body[4096], qc[1024], qt[512];
    ob_gnuplot_quote(csv, qc, sizeof qc);
    ob_gnuplot_quote(title, qt, sizeof qt);
    snprintf(body, sizeof body,
             "set datafile separator comma\n"
             "set logscale xy\n"
             "set format x '10^{%%L}'\n"
             "set format y '10^{%%L}'\n"
             "set grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
             "set title \"%s\"\n"
             "set xlabel 'N (steps; SGD with constant step 1/(L sqrt(N)))'\n"
             "set ylabel '(1/N) Σ_{t<N} ‖∇f(θ_t)‖^2'\n"
             /* a margin left and right of the data, so that the axes' first tick labels
              * (whole decades) do not meet at the corner */
             "set offsets graph 0.03, graph 0.03, 0, 0\n"
             /* entries with superscripts and subscripts: room between them */
             "set key top right box opaque spacing 1.5\n"
             "ref(x) = %.17g * (x / %ld.0)**(-0.5)\n"
             "plot \"%s\" using 'N':'min':'max' with filledcurves lc rgb '#bcd4ee' "
             "title 'spread over runs (min-max)', \\\n"
             "     '' using 'N':'mean_avg_sq_grad':'stderr' with yerrorlines lw 2 pt 7 "
             "lc rgb '#1f4e9a' title 'measured mean ± s.e.', \\\n"
             "     '' using 'N':'bound' with linespoints lw 2 dt 2 pt 5 lc rgb '#c0392b' "
             "title '%s', \\\n"
             "     ref(x) with lines lw 1 dt 3 lc rgb '#555555' title 'slope -1/2 (reference)'\n",
             qt, mean0, n0, qc, curve);
    return ob_gnuplot_png(png, body, err);
}

static int cmp_name(const void *a, const void *b) { return strcmp(a, b); }

size_t ob_rate_workloads(const char *dir, char (*out)[160], size_t cap)
{
    char path[4096];
    size_t n = 0;
    DIR *d = opendir(ob_pathf(path, sizeof path, "%s/rate", dir));
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n < cap) {
        size_t l = strlen(e->d_name);
        if (l < 5 || l - 4 >= sizeof *out || strcmp(e->d_name + l - 4, ".csv") != 0 ||
            strstr(e->d_name, ".summary.csv"))
            continue;
        snprintf(out[n++], sizeof *out, "%.*s", (int)(l - 4), e->d_name);
    }
    if (d) closedir(d);
    qsort(out, n, sizeof *out, cmp_name);
    return n;
}

static int has_rate(const char *dir, const char *w)
{
    char path[4096];
    return ob_file_exists(ob_pathf(path, sizeof path, "%s/rate/%s.csv", dir, w));
}

static ob_status rate_figure(const char *dir, const char *w, const char *png, ob_error *err)
{
    char csv[4096], sum[4096], title[512];
    ob_pathf(csv, sizeof csv, "%s/rate/%s.csv", dir, w);
    ob_pathf(sum, sizeof sum, "%s/rate/%s.summary.csv", dir, w);
    ob_table t, su;
    ob_status s = ob_table_read(csv, &t, err);
    if (s != OB_OK) return s;
    int nc = ob_table_col(&t, "N"), mc = ob_table_col(&t, "mean_avg_sq_grad");
    if (t.rows == 0 || nc < 0 || mc < 0) {
        ob_table_free(&t);
        return ob_fail(err, OB_EDATA, "%s: no rows with N and mean_avg_sq_grad", csv);
    }
    long n0 = (long)ob_table_num(&t, 0, nc); /* the reference slope goes through row 0 */
    double m0 = ob_table_num(&t, 0, mc);
    ob_table_free(&t);
    snprintf(title, sizeof title, "SGD with step 1/(L sqrt(N)) on %s: measured vs the bound", w);
    int estimate = 0;
    if (ob_table_read(sum, &su, NULL) == OB_OK) {
        estimate = ob_table_col(&su, "estimate") >= 0 &&
                   !strcmp(ob_table_str(&su, 0, ob_table_col(&su, "estimate")), "yes");
        snprintf(title, sizeof title, "SGD on %s (n = %s, %sL = %.4g, %s): measured vs the %s", w,
                 ob_table_str(&su, 0, ob_table_col(&su, "dim")), estimate ? "estimated " : "",
                 ob_table_num(&su, 0, ob_table_col(&su, "L")),
                 ob_table_str(&su, 0, ob_table_col(&su, "oracle")),
                 estimate ? "estimate" : "bound");
        ob_table_free(&su);
    }
    return ob_plot_rate(csv, png, title, n0, m0, estimate, err);
}

static const ob_plot_recipe rate_recipe = {
    .name = "rate", .scope = OB_SCOPE_WORKLOAD, .section = OB_SECTION_OWN,
    .caption = "SGD with the constant step 1/(L √N) on %s (`optbench rate`): the measured mean of "
               "(1/N) Σ ‖∇f(θ_t)‖² over runs against N, its spread, the theorem's bound (on a "
               "network an estimate of it, L and σ² being estimated) and a "
               "reference slope of −1/2, on log-log axes.",
    .applies = has_rate, .draw = rate_figure, .instances = ob_rate_workloads,
    .file = "rate/%s.png"};

const ob_plot_recipe *const ob_rate_recipes[] = {&rate_recipe, NULL};
