/* fig_generalize.c - train against test on a network workload (generalization.csv; see
 * report/generalization.h): per optimizer, the final training accuracy (open marker) and
 * the test accuracy at the best validation epoch (filled marker), medians over seeds with
 * inter-quartile bars; below, the gap between the two (training - test, percentage
 * points: the generalization gap), median and inter-quartile bar. */
#include <math.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/figopts.h"
#include "plots/recipes.h"
#include "tables/generalization.h"

#define FONT 11  /* the terminals' font size */
#define TITLE 13 /* the title's */

ob_status ob_plot_generalization(const char *dir, const char *w, const char *png, ob_error *err)
{
    ob_table t;
    ob_status s = ob_read_table(dir, "generalization.csv", &t, err);
    if (s != OB_OK) return s;
    const char *all[OB_MAX_SERIES], *opt[OB_MAX_SERIES];
    ob_gen_summary S[OB_MAX_SERIES];
    size_t na = ob_optimizers_drawn(&t, ob_table_col(&t, "optimizer"), all, OB_MAX_SERIES), no = 0;
    for (size_t k = 0; k < na; k++)
        if (ob_generalization_summary(&t, w, all[k], &S[no])) opt[no++] = all[k];
    if (no == 0) {
        ob_table_free(&t);
        return ob_fail(err, OB_EDATA, "%s/generalization.csv: no rows for %s", dir, w);
    }
    gp_script b;
    gp_begin(&b);
    double lo = 100, ghi = 0, glo = 0;
    for (size_t k = 0; k < no; k++) {
        /* x, then median, q1, q3 (in %) of the training accuracy, of the test accuracy and
         * of the gap (percentage points) */
        static const int m[3] = {OB_GEN_TRAIN_ACC, OB_GEN_TEST_ACC, OB_GEN_GAP};
        fprintf(b.f, "$G%zu << EOD\n%zu", k, k);
        for (int j = 0; j < 3; j++) {
            double v[3] = {100 * S[k].med[m[j]], 100 * S[k].q1[m[j]], 100 * S[k].q3[m[j]]};
            for (int i = 0; i < 3; i++) {
                fputc(' ', b.f);
                gp_num(b.f, v[i]);
                if (!isfinite(v[i])) continue;
                if (j < 2 && v[i] < lo) lo = v[i];
                if (j == 2) ghi = fmax(ghi, v[i]), glo = fmin(glo, v[i]);
            }
        }
        fputc('\n', b.f);
        gp_block_end(b.f);
    }
    char title[512];
    ob_pathf(title, sizeof title, "%s: training accuracy against test accuracy", w);
    /* The layout in pixels from the bottom: the optimizers' names (turned by 40 degrees),
     * the gap panel, the accuracy panel, the legend and the title; each optimizer a slot
     * of 50 pixels or wider, so that its name clears the next one; the last name inside
     * the canvas. */
    double name_w = 0, last_w = gp_text_px(opt[no - 1], FONT);
    for (size_t k = 0; k < no; k++) name_w = fmax(name_w, gp_text_px(opt[k], FONT));
    const double line = gp_line_px(FONT), s40 = 0.6427876, c40 = 0.7660444; /* 40 degrees */
    const double left = 100, right = fmax(30, last_w * c40 + line * s40 + 12);
    const double slot = fmax(line / s40 + 6, 50); /* the names' boxes clear each other */
    const int W = (int)fmax(640, ceil(left + right + (no + 0.2) * slot));
    char wrapped[1024];
    const int tlines = gp_wrap(title, W - 40, TITLE, wrapped, sizeof wrapped);
    const double names = 14 + name_w * s40 + line * c40 + 8, gap_h = 160, acc_h = 400;
    const double head = tlines * gp_line_px(TITLE) * 1.25 + 14 + 2.6 * line + 8; /* 2 entries */
    const int H = (int)ceil(names + gap_h + 24 + acc_h + head);
    fputs("set multiplot title ", b.f);
    gp_quoted(b.f, wrapped);
    fprintf(b.f, " noenhanced font ',%d'\nset lmargin at screen %.6f\nset rmargin at screen %.6f\n",
            TITLE, left / W, 1 - right / W);
    /* top: the two accuracies per optimizer */
    gp_common(b.f, "");
    fprintf(b.f, "unset title\nset tmargin at screen %.6f\nset bmargin at screen %.6f\n"
                 "set key at screen 0.5, screen %.6f center top vertical samplen 1\n"
                 "set ylabel 'accuracy, %%'\nset xrange [-0.6:%g]\nset yrange [%g:100]\n"
                 "set xtics format '' ( ",
            1 - head / H, (names + gap_h + 24) / H,
            1 - (tlines * gp_line_px(TITLE) * 1.25 + 10) / H, (double)no - 0.4,
            fmax(0, floor(lo - 2)));
    for (size_t k = 0; k < no; k++) fprintf(b.f, "%s'' %zu", k ? ", " : "", k);
    fputs(")\nset bars 0.6\nplot ", b.f);
    for (size_t k = 0; k < no; k++) {
        ob_style st = ob_style_of(opt[k]);
        fprintf(b.f, "%s$G%zu using ($1-0.12):2:3:4 with yerrorbars lc rgb '%s' lw 1.5 pt 6 ps 1.6 "
                     "notitle, \\\n  $G%zu using ($1+0.12):5:6:7 with yerrorbars lc rgb '%s' lw 1.5 "
                     "pt 7 ps 1.6 notitle",
                k ? ", \\\n  " : "", k, st.color, k, st.color);
    }
    fputs(", \\\n  keyentry with points lc rgb 'black' pt 6 ps 1.6 title 'final training accuracy'"
          ", \\\n  keyentry with points lc rgb 'black' pt 7 ps 1.6 title 'test accuracy at the best "
          "validation epoch'\n", b.f);
    /* bottom: the gap, training minus test, in percentage points */
    fprintf(b.f, "unset key\nset tmargin at screen %.6f\nset bmargin at screen %.6f\n"
                 "set ylabel 'gap, points'\nset yrange [%g:%g]\n"
                 "set xtics rotate by -40 format '%%g' ( ",
            (names + gap_h) / H, names / H, floor(glo) - 0.5, ceil(ghi) + 0.5);
    for (size_t k = 0; k < no; k++) {
        fprintf(b.f, "%s", k ? ", " : "");
        gp_quoted(b.f, opt[k]);
        fprintf(b.f, " %zu", k);
    }
    fputs(")\nplot 0 with lines lc rgb '#888888' notitle", b.f);
    for (size_t k = 0; k < no; k++)
        fprintf(b.f, ", \\\n  $G%zu using 1:8:9:10 with yerrorbars lc rgb '%s' lw 1.5 pt 5 ps 1.3 "
                     "notitle",
                k, ob_style_of(opt[k]).color);
    fputs("\nunset multiplot\n", b.f);
    ob_table_free(&t);
    return gp_render(&b, png, W, H, err);
}
