/* fig_curves.c - convergence figures of the analytic workloads (curves/W.csv: the median
 * and quartiles across seeds at every logged step) and the learning-rate sensitivity
 * figure (tuning.csv, chosen.csv). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/gnuplot.h"
#include "plots/recipes.h"

#define MAX_POINTS 1500 /* per line: more than a 960-pixel-wide figure can show */
#define FLOOR_DECADES 20 /* the log axis spans at most this many decades below its top */

typedef struct {
    const char *x, *xlabel;            /* x column and its axis label */
    const char *med, *q1, *q3;         /* y columns */
    const char *ylabel, *what;         /* axis label; what the title says */
} curve_spec;

/* One figure from curves/W.csv: per optimizer a semi-transparent band between q1 and q3
 * and the median as a line with a few markers, on a log y axis.  Values at or below
 * zero, or below the axis floor, are drawn on the floor (a run that reached the floor
 * of double precision stays visible instead of disappearing from a log axis). */
static ob_status draw_curves(const char *dir, const char *w, const char *png,
                             const curve_spec *c, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/curves/%s.csv", dir, w);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    const char *names[] = {"optimizer", c->x, c->med, c->q1, c->q3};
    int col[5];
    size_t *idx = malloc((t.rows + 1) * sizeof *idx);
    if (!idx) s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK) s = ob_need_cols(&t, path, names, col, 5, err);
    const char *opt[OB_MAX_SERIES];
    size_t nopt = s == OB_OK ? ob_optimizers_of(&t, col[0], opt, OB_MAX_SERIES) : 0;
    if (s == OB_OK && t.rows == 0) s = ob_fail(err, OB_EDATA, "%s: no rows", path);
    if (s != OB_OK) {
        free(idx);
        ob_table_free(&t);
        return s;
    }
    /* the axis: top a decade above the largest start value, floor at the smallest
     * positive value but at most FLOOR_DECADES below the top */
    double top = 0, lo = INFINITY, xmax = 0;
    for (size_t k = 0; k < nopt; k++) {
        size_t n = ob_rows_where(&t, col[0], opt[k], idx, t.rows);
        if (n == 0) continue;
        double y0 = ob_table_num(&t, idx[0], col[2]);
        if (isfinite(y0) && y0 > top) top = y0;
        for (size_t i = 0; i < n; i++) {
            double x = ob_table_num(&t, idx[i], col[1]);
            if (isfinite(x) && x > xmax) xmax = x;
            for (int j = 2; j < 5; j++) {
                double y = ob_table_num(&t, idx[i], col[j]);
                if (isfinite(y) && y > 0 && y < lo) lo = y;
            }
        }
    }
    if (!(top > 0)) top = isfinite(lo) ? lo : 1;
    top = ob_decade_up(top * 1.5);
    double floor_ = isfinite(lo) ? ob_decade_down(lo) : top * 1e-6;
    if (floor_ < top * pow(10, -FLOOR_DECADES)) floor_ = top * pow(10, -FLOOR_DECADES);
    if (floor_ >= top) floor_ = top / 10;

    ob_sbuf b = {0};
    for (size_t k = 0; k < nopt; k++) {
        size_t n = ob_rows_where(&t, col[0], opt[k], idx, t.rows);
        size_t stride = n > MAX_POINTS ? (n + MAX_POINTS - 1) / MAX_POINTS : 1;
        ob_sbuf_printf(&b, "$D%zu << EOD\n", k);
        for (size_t i = 0; i < n; i++) {
            if (i % stride != 0 && i != n - 1) continue;
            gp_num(&b, ob_table_num(&t, idx[i], col[1]));
            for (int j = 2; j < 5; j++) {
                double y = ob_table_num(&t, idx[i], col[j]);
                if (!isnan(y) && y < floor_) y = floor_;
                ob_sbuf_puts(&b, " ");
                gp_num(&b, y);
            }
            ob_sbuf_puts(&b, "\n");
        }
        gp_block_end(&b);
    }
    char title[512];
    ob_pathf(title, sizeof title, "%s: %s", w, c->what);
    gp_common(&b, title);
    gp_key_right(&b);
    ob_sbuf_printf(&b, "set logscale y\nset format y '10^{%%L}'\nset yrange [%g:%g]\n"
                       "set xrange [0:%g]\nset xlabel \"%s\"\nset ylabel \"%s\"\n"
                       "set style fill transparent solid 0.15 noborder\n",
                   floor_, top, xmax > 0 ? xmax : 1, c->xlabel, c->ylabel);
    ob_sbuf_puts(&b, "plot ");
    for (size_t k = 0; k < nopt; k++) {
        ob_style st = ob_style_of(opt[k]);
        size_t n = ob_rows_where(&t, col[0], opt[k], idx, t.rows);
        long pi = n > MAX_POINTS ? MAX_POINTS / 8 : (long)(n / 8 > 0 ? n / 8 : 1);
        ob_sbuf_printf(&b, "%s$D%zu using 1:3:4 with filledcurves lc rgb '%s' notitle, \\\n"
                           "  $D%zu using 1:2 with linespoints pi %ld ",
                       k ? ", \\\n  " : "", k, st.color, k, pi);
        gp_style_spec(&b, &st, 2);
        ob_sbuf_puts(&b, " title ");
        gp_quoted(&b, opt[k]);
    }
    ob_sbuf_puts(&b, "\n");
    free(idx);
    ob_table_free(&t);
    s = gp_render(&b, png, 0, 0, err);
    return s;
}

ob_status ob_plot_gap_steps(const char *dir, const char *w, const char *png, ob_error *err)
{
    static const curve_spec c = {"step", "steps (parameter updates)", "gap_median", "gap_q1",
                                 "gap_q3", "loss gap f(x) - f* (log scale; median, IQR band)",
                                 "loss gap against steps"};
    return draw_curves(dir, w, png, &c, err);
}

ob_status ob_plot_gap_seconds(const char *dir, const char *w, const char *png, ob_error *err)
{
    static const curve_spec c = {"seconds", "optimization time (seconds)", "gap_median",
                                 "gap_q1", "gap_q3",
                                 "loss gap f(x) - f* (log scale; median, IQR band)",
                                 "loss gap against time"};
    return draw_curves(dir, w, png, &c, err);
}

ob_status ob_plot_gnorm_steps(const char *dir, const char *w, const char *png, ob_error *err)
{
    static const curve_spec c = {"step", "steps (parameter updates)", "gnorm_median",
                                 "gnorm_q1", "gnorm_q3",
                                 "gradient norm ‖∇f(x)‖ (log scale; median, IQR band)",
                                 "gradient norm against steps"};
    return draw_curves(dir, w, png, &c, err);
}

/* Score against lr per optimizer from tuning.csv (the runs of one workload), the chosen
 * lr of chosen.csv circled; diverged runs (score inf or nan) are drawn as crosses on the
 * top edge so a reader sees where the grid stops working. */
ob_status ob_plot_lr(const char *dir, const char *w, const char *png, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/tuning.csv", dir);
    ob_table t, ch = {0};
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    const char *names[] = {"workload", "optimizer", "lr", "score"};
    int col[4], cc[4] = {-1, -1, -1, -1};
    size_t *idx = malloc((t.rows + 1) * sizeof *idx), n = 0;
    if (!idx) s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK) s = ob_need_cols(&t, path, names, col, 4, err);
    if (s == OB_OK) n = ob_rows_where(&t, col[0], w, idx, t.rows);
    if (s == OB_OK && n == 0) s = ob_fail(err, OB_EDATA, "%s: no tuning runs of %s", path, w);
    if (s != OB_OK) {
        free(idx);
        ob_table_free(&t);
        return s;
    }
    char cpath[4096];
    ob_pathf(cpath, sizeof cpath, "%s/chosen.csv", dir);
    if (ob_table_read(cpath, &ch, NULL) == OB_OK)
        for (int k = 0; k < 4; k++) cc[k] = ob_table_col(&ch, names[k]);

    /* optimizers of this workload, in canonical order */
    const char *opt[OB_MAX_SERIES];
    size_t nopt = 0;
    for (size_t i = 0; i < n; i++) {
        const char *o = ob_table_str(&t, idx[i], col[1]);
        size_t k = 0;
        while (k < nopt && strcmp(opt[k], o) != 0) k++;
        if (k == nopt && nopt < OB_MAX_SERIES) opt[nopt++] = o;
    }
    ob_style_sort(opt, nopt);
    double lo = INFINITY, hi = -INFINITY, lo_pos = INFINITY, xlo = INFINITY, xhi = 0;
    for (size_t i = 0; i < n; i++) {
        double y = ob_table_num(&t, idx[i], col[3]), x = ob_table_num(&t, idx[i], col[2]);
        if (isfinite(y) && y < lo) lo = y;
        if (isfinite(y) && y > hi) hi = y;
        if (isfinite(y) && y > 0 && y < lo_pos) lo_pos = y;
        if (x > 0 && x < xlo) xlo = x;
        if (x > 0 && x > xhi) xhi = x;
    }
    /* log y when the scores are >= 0 and span decades; a score of 0 (a run that hit f*
     * exactly) is drawn on the bottom edge */
    int logy = isfinite(lo) && lo >= 0 && isfinite(lo_pos) && hi / lo_pos > 20;
    if (logy) lo = lo_pos;
    double top, bottom;
    if (!isfinite(lo)) {
        bottom = 0, top = 1;
    } else if (logy) {
        top = ob_decade_up(hi) * 10; /* a free decade on top for the diverged crosses */
        bottom = ob_decade_down(lo);
        if (bottom < top * pow(10, -FLOOR_DECADES)) bottom = top * pow(10, -FLOOR_DECADES);
    } else {
        double span = hi > lo ? hi - lo : fabs(hi) + 1;
        bottom = lo - 0.05 * span, top = hi + 0.15 * span;
    }
    double ytop_mark = logy ? top / 1.6 : top - 0.04 * (top - bottom);

    ob_sbuf b = {0};
    int any_div = 0, any_chosen = 0;
    size_t nt[OB_MAX_SERIES] = {0}, nv[OB_MAX_SERIES] = {0}, nc[OB_MAX_SERIES] = {0};
    for (size_t k = 0; k < nopt; k++) {
        ob_sbuf_printf(&b, "$T%zu << EOD\n", k);
        ob_sbuf b_div = {0};
        for (size_t i = 0; i < n; i++) { /* tuning rows come in grid order; sorted below */
            if (strcmp(ob_table_str(&t, idx[i], col[1]), opt[k]) != 0) continue;
            double x = ob_table_num(&t, idx[i], col[2]), y = ob_table_num(&t, idx[i], col[3]);
            if (isfinite(y)) {
                if (logy && y < bottom) y = bottom;
                gp_num(&b, x);
                ob_sbuf_puts(&b, " ");
                gp_num(&b, y);
                ob_sbuf_puts(&b, "\n");
                nt[k]++;
            } else {
                ob_sbuf_printf(&b_div, "%.10g %.10g\n", x, ytop_mark);
                any_div = 1;
                nv[k]++;
            }
        }
        gp_block_end(&b);
        ob_sbuf_printf(&b, "$V%zu << EOD\n%sEOD\n", k, ob_sbuf_str(&b_div));
        ob_sbuf_free(&b_div);
        ob_sbuf_printf(&b, "$C%zu << EOD\n", k);
        for (size_t i = 0; cc[0] >= 0 && i < ch.rows; i++) {
            if (strcmp(ob_table_str(&ch, i, cc[0]), w) != 0 ||
                strcmp(ob_table_str(&ch, i, cc[1]), opt[k]) != 0)
                continue;
            double x = ob_table_num(&ch, i, cc[2]), y = ob_table_num(&ch, i, cc[3]);
            if (!isfinite(y)) y = ytop_mark;
            if (logy && y < bottom) y = bottom;
            ob_sbuf_printf(&b, "%.10g %.10g\n", x, y);
            any_chosen = 1;
            nc[k]++;
        }
        gp_block_end(&b);
    }
    char title[512];
    ob_pathf(title, sizeof title, "%s: learning-rate sensitivity (tuning runs)", w);
    gp_common(&b, title);
    gp_key_right(&b);
    ob_sbuf_printf(&b, "set logscale x\nset format x '10^{%%L}'\nset xrange [%g:%g]\n"
                       "set yrange [%.10g:%.10g]\n%s"
                       "set xlabel 'learning rate (log scale)'\n"
                       "set ylabel \"tuning score (lower is better%s)\"\n",
                   isfinite(xlo) ? xlo / 1.5 : 1e-6, xhi > 0 ? xhi * 1.5 : 1, bottom, top,
                   logy ? "set logscale y\nset format y '10^{%L}'\n" : "",
                   logy ? "; log scale, 0 on the bottom edge" : "");
    ob_sbuf_puts(&b, "plot ");
    for (size_t k = 0; k < nopt; k++) {
        ob_style st = ob_style_of(opt[k]);
        if (nt[k]) /* the legend entry is drawn by keyentry when every run diverged */
            ob_sbuf_printf(&b, "%s$T%zu using 1:2 smooth unique with linespoints ", k ? ", \\\n  " : "", k);
        else
            ob_sbuf_printf(&b, "%skeyentry with linespoints ", k ? ", \\\n  " : "");
        gp_style_spec(&b, &st, 2);
        ob_sbuf_puts(&b, " title ");
        gp_quoted(&b, opt[k]);
        if (nv[k])
            ob_sbuf_printf(&b, ", \\\n  $V%zu using 1:2 with points pt 2 ps 1.6 lw 2 lc rgb '%s' notitle",
                           k, st.color);
        if (nc[k])
            ob_sbuf_printf(&b, ", \\\n  $C%zu using 1:2 with points pt 6 ps 3.2 lw 2.5 lc rgb '%s' notitle",
                           k, st.color);
    }
    if (any_chosen)
        ob_sbuf_puts(&b, ", \\\n  keyentry with points pt 6 ps 2.5 lw 2.5 lc rgb 'black' title 'chosen lr'");
    if (any_div)
        ob_sbuf_puts(&b, ", \\\n  keyentry with points pt 2 ps 1.6 lw 2 lc rgb 'black' "
                         "title 'diverged (top edge)'");
    ob_sbuf_puts(&b, "\n");
    free(idx);
    ob_table_free(&t);
    ob_table_free(&ch);
    s = gp_render(&b, png, 0, 0, err);
    return s;
}
