/* fig_suite.c - figures of the whole suite: performance profiles (profiles.csv) and the
 * ECDF of targets reached (ecdf.csv), both as step functions on a log x axis, and the
 * reference figures: learning-rate schedules (schedules.csv) and activation functions
 * with their derivatives (activations.csv). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/figopts.h"
#include "plots/gnuplot.h"
#include "plots/recipes.h"

typedef struct {
    const char *file, *xcol, *ycol;
    const char *xlabel, *ylabel, *title;
} step_spec;

/* One step line per optimizer (y in [0, 1], x > 0 on a log axis), carried on to the right
 * edge so the final fraction is visible; markers at a few of the steps. */
static ob_status draw_steps(const char *dir, const char *png, const step_spec *c, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/%s", dir, c->file);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    const char *names[] = {"optimizer", c->xcol, c->ycol};
    int col[3];
    s = ob_need_cols(&t, path, names, col, 3, err);
    size_t *idx = malloc((t.rows + 1) * sizeof *idx);
    if (s == OB_OK && !idx) s = ob_fail(err, OB_ENOMEM, "out of memory");
    double xlo = INFINITY, xhi = 0;
    for (size_t i = 0; s == OB_OK && i < t.rows; i++) {
        double x = ob_table_num(&t, i, col[1]);
        if (isfinite(x) && x > 0 && x < xlo) xlo = x;
        if (isfinite(x) && x > xhi) xhi = x;
    }
    if (s == OB_OK && !(xhi > 0)) s = ob_fail(err, OB_EDATA, "%s: no finite positive %s", path, c->xcol);
    if (s != OB_OK) {
        free(idx);
        ob_table_free(&t);
        return s;
    }
    double right = xhi > xlo ? xhi * 1.5 : xlo * 10;
    const char *opt[OB_MAX_SERIES];
    size_t nopt = ob_optimizers_drawn(&t, col[0], opt, OB_MAX_SERIES), npts[OB_MAX_SERIES];
    gp_script b;
    gp_begin(&b);
    for (size_t k = 0; k < nopt; k++) {
        size_t n = ob_rows_where(&t, col[0], opt[k], idx, t.rows);
        double last = 0;
        npts[k] = 0;
        fprintf(b.f, "$P%zu << EOD\n", k);
        for (size_t i = 0; i < n; i++) {
            double x = ob_table_num(&t, idx[i], col[1]), y = ob_table_num(&t, idx[i], col[2]);
            if (!isfinite(x) || !(x > 0) || !isfinite(y)) continue;
            fprintf(b.f, "%.10g %.10g\n", x, y);
            last = y;
            npts[k]++;
        }
        fprintf(b.f, "%.10g %.10g\nEOD\n", right, last);
    }
    gp_common(b.f, c->title);
    gp_title_over_plot(b.f, c->title, 960, gp_labels_px(opt, nopt, 11));
    gp_key_right(b.f);
    fprintf(b.f, "set logscale x\nset format x '10^{%%L}'\nset xrange [%g:%g]\n"
                       "set yrange [-0.02:1.02]\nset ytics 0.2\nset mytics 2\n"
                       "set xlabel \"%s\"\nset ylabel \"%s\"\n",
                   ob_decade_down(xlo), right, c->xlabel, c->ylabel);
    fputs("plot ", b.f);
    for (size_t k = 0; k < nopt; k++) {
        ob_style st = ob_style_of(opt[k]);
        size_t pi = npts[k] / 6 ? npts[k] / 6 : 1;
        fprintf(b.f, "%s$P%zu using 1:2 with steps lc rgb '%s' lw 2.5 dt %d notitle, \\\n"
                           "  $P%zu using 1:2 every %zu with points lc rgb '%s' pt %d ps 1.3 notitle, \\\n"
                           "  keyentry with linespoints ",
                       k ? ", \\\n  " : "", k, st.color, st.dash, k, pi, st.color, st.point);
        gp_style_spec(b.f, &st, 2.5);
        fputs(" title ", b.f);
        gp_quoted(b.f, opt[k]);
    }
    fputs("\n", b.f);
    free(idx);
    ob_table_free(&t);
    s = gp_render(&b, png, 0, 0, err);
    return s;
}

ob_status ob_plot_profiles(const char *dir, const char *w, const char *png, ob_error *err)
{
    (void)w;
    static const step_spec c = {
        "profiles.csv", "tau", "fraction",
        "τ: cost (median sample-gradient evaluations to the target) relative to the best (log scale)",
        "fraction of (workload, target) pairs within τ of the best",
        "Performance profiles (Dolan-Moré) over all analytic workloads and targets"};
    return draw_steps(dir, png, &c, err);
}

ob_status ob_plot_ecdf(const char *dir, const char *w, const char *png, ob_error *err)
{
    (void)w;
    static const step_spec c = {
        "ecdf.csv", "steps", "fraction", "sample-gradient evaluations (log scale)",
        "fraction of (workload, target) pairs reached",
        "Targets reached against sample-gradient evaluations (ECDF over workloads and targets, median runs)"};
    return draw_steps(dir, png, &c, err);
}

ob_status ob_plot_schedules(const char *dir, const char *w, const char *png, ob_error *err)
{
    (void)w;
    char path[4096];
    ob_pathf(path, sizeof path, "%s/schedules.csv", dir);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    const char *names[] = {"schedule", "t", "lr"};
    int col[3];
    s = ob_need_cols(&t, path, names, col, 3, err);
    if (s == OB_OK && t.rows == 0) s = ob_fail(err, OB_EDATA, "%s: no rows", path);
    if (s != OB_OK) {
        ob_table_free(&t);
        return s;
    }
    const char *sch[OB_MAX_SERIES];
    size_t ns = ob_table_distinct(&t, col[0], sch, OB_MAX_SERIES);
    double lo = INFINITY, hi = 0, tmax = 0;
    gp_script b;
    gp_begin(&b);
    for (size_t k = 0; k < ns; k++) {
        fprintf(b.f, "$S%zu << EOD\n", k);
        for (size_t i = 0; i < t.rows; i++) {
            if (strcmp(ob_table_str(&t, i, col[0]), sch[k]) != 0) continue;
            double x = ob_table_num(&t, i, col[1]), y = ob_table_num(&t, i, col[2]);
            if (y > 0 && y < lo) lo = y;
            if (isfinite(y) && y > hi) hi = y;
            if (isfinite(x) && x > tmax) tmax = x;
            gp_num(b.f, x);
            fputs(" ", b.f);
            gp_num(b.f, y);
            fputs("\n", b.f);
        }
        gp_block_end(b.f);
    }
    int logy = lo > 0 && hi / lo > 30;
    gp_common(b.f, "Learning-rate schedules: the learning rate used at update t");
    gp_key_right(b.f);
    fprintf(b.f, "set xlabel 't (update number)'\nset ylabel 'learning rate%s'\n"
                       "set xrange [0:%g]\n%s",
                   logy ? " (log scale)" : "", tmax > 0 ? tmax : 1,
                   logy ? "set logscale y\nset format y '10^{%L}'\n" : "set yrange [0:*]\n");
    fputs("plot ", b.f);
    for (size_t k = 0; k < ns; k++) {
        fprintf(b.f, "%s$S%zu using 1:2 with steps lc rgb '%s' lw 2.5 dt %zu title ",
                       k ? ", \\\n  " : "", k, ob_series_color(k), 1 + k / 8);
        gp_quoted(b.f, sch[k]);
        fputs(" noenhanced", b.f);
    }
    fputs("\n", b.f);
    ob_table_free(&t);
    s = gp_render(&b, png, 0, 0, err);
    return s;
}

ob_status ob_plot_activations(const char *dir, const char *w, const char *png, ob_error *err)
{
    (void)w;
    char path[4096];
    ob_pathf(path, sizeof path, "%s/activations.csv", dir);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    const char *names[] = {"activation", "z", "f", "df"};
    int col[4];
    s = ob_need_cols(&t, path, names, col, 4, err);
    if (s == OB_OK && t.rows == 0) s = ob_fail(err, OB_EDATA, "%s: no rows", path);
    if (s != OB_OK) {
        ob_table_free(&t);
        return s;
    }
    const char *act[12];
    size_t na = ob_table_distinct(&t, col[0], act, 12);
    size_t cols = na <= 3 ? na : na == 4 ? 2 : 3, rows = (na + cols - 1) / cols;
    gp_script b;
    gp_begin(&b);
    for (size_t k = 0; k < na; k++) {
        fprintf(b.f, "$A%zu << EOD\n", k);
        for (size_t i = 0; i < t.rows; i++) {
            if (strcmp(ob_table_str(&t, i, col[0]), act[k]) != 0) continue;
            for (int j = 1; j < 4; j++) {
                gp_num(b.f, ob_table_num(&t, i, col[j]));
                fputs(j < 3 ? " " : "\n", b.f);
            }
        }
        gp_block_end(b.f);
    }
    fprintf(b.f, "set multiplot layout %zu,%zu title \"Activation functions f(z) (solid blue) "
                       "and their derivatives f'(z) (dashed red)\" font ',14'\n",
                   rows, cols);
    fputs("set grid xtics ytics lc rgb '#d9d9d9'\nset border 3 lc rgb '#333333'\n"
                     "set tics nomirror out\nunset key\nset xlabel 'z'\n"
                     "set xzeroaxis lt 1 lc rgb '#888888'\nset yzeroaxis lt 1 lc rgb '#888888'\n"
                     "set offsets 0, 0, graph 0.08, graph 0.08\n", b.f);
    for (size_t k = 0; k < na; k++) {
        fputs("set title ", b.f);
        gp_quoted(b.f, act[k]);
        fprintf(b.f, " noenhanced font ',13'\n"
                           "plot $A%zu using 1:2 with lines lc rgb '#1f4e9a' lw 2.5, \\\n"
                           "  $A%zu using 1:3 with lines lc rgb '#c0392b' lw 2 dt 2\n",
                       k, k);
    }
    fputs("unset multiplot\n", b.f);
    ob_table_free(&t);
    s = gp_render(&b, png, 360 * (int)cols + 120, 300 * (int)rows + 80, err);
    return s;
}
