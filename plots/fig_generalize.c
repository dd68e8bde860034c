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
    fputs("set multiplot\nset lmargin 12\nset rmargin 3\n", b.f);
    /* top: the two accuracies per optimizer */
    gp_common(b.f, title);
    fprintf(b.f, "set size 1,0.64\nset origin 0,0.36\nset bmargin 1\n"
                 "set key outside top center horizontal samplen 1\n"
                 "set ylabel 'accuracy, %%'\nset xrange [-0.6:%g]\nset yrange [%g:100]\n"
                 "set xtics format '' ( ",
            (double)no - 0.4, fmax(0, floor(lo - 2)));
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
    fprintf(b.f, "unset title\nunset key\nset size 1,0.36\nset origin 0,0\nset tmargin 0.5\n"
                 "set bmargin 5\nset ylabel 'gap, points'\nset yrange [%g:%g]\n"
                 "set xtics rotate by -40 format '%%g' ( ",
            floor(glo) - 0.5, ceil(ghi) + 0.5);
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
    return gp_render(&b, png, 960, 760, err);
}
