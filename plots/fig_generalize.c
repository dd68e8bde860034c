/* fig_generalize.c - train against test on a network workload (generalization.csv; see
 * report/generalization.h): per optimizer, the final training accuracy (open marker) and
 * the test accuracy at the best validation epoch (filled marker), medians over seeds with
 * inter-quartile bars; the vertical distance between the two is the generalization gap. */
#include <math.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/recipes.h"
#include "report/generalization.h"

ob_status ob_plot_generalization(const char *dir, const char *w, const char *png, ob_error *err)
{
    ob_table t;
    ob_status s = ob_read_table(dir, "generalization.csv", &t, err);
    if (s != OB_OK) return s;
    const char *all[OB_MAX_SERIES], *opt[OB_MAX_SERIES];
    ob_gen_summary S[OB_MAX_SERIES];
    size_t na = ob_optimizers_of(&t, ob_table_col(&t, "optimizer"), all, OB_MAX_SERIES), no = 0;
    for (size_t k = 0; k < na; k++)
        if (ob_generalization_summary(&t, w, all[k], &S[no])) opt[no++] = all[k];
    if (no == 0) {
        ob_table_free(&t);
        return ob_fail(err, OB_EDATA, "%s/generalization.csv: no rows for %s", dir, w);
    }
    gp_script b;
    gp_begin(&b);
    double lo = 100;
    for (size_t k = 0; k < no; k++) {
        /* x, median, q1, q3 (in %) of the training accuracy, then of the test accuracy */
        fprintf(b.f, "$G%zu << EOD\n%zu", k, k);
        for (int m = 0; m < 2; m++) {
            int j = m ? OB_GEN_TEST_ACC : OB_GEN_TRAIN_ACC;
            double v[3] = {100 * S[k].med[j], 100 * S[k].q1[j], 100 * S[k].q3[j]};
            for (int i = 0; i < 3; i++) {
                fputc(' ', b.f);
                gp_num(b.f, v[i]);
                if (isfinite(v[i]) && v[i] < lo) lo = v[i];
            }
        }
        fputc('\n', b.f);
        gp_block_end(b.f);
    }
    char title[512];
    ob_pathf(title, sizeof title, "%s: training accuracy against test accuracy", w);
    gp_common(b.f, title);
    gp_key_below(b.f, 2);
    fprintf(b.f, "set ylabel 'accuracy, %% (median over seeds, IQR bars)'\n"
                 "set xrange [-0.6:%g]\nset yrange [%g:100]\nset xtics rotate by -40 ( ",
            (double)no - 0.4, fmax(0, floor(lo - 2)));
    for (size_t k = 0; k < no; k++) {
        fprintf(b.f, "%s", k ? ", " : "");
        gp_quoted(b.f, opt[k]);
        fprintf(b.f, " %zu", k);
    }
    fputs(")\nset bars 0.6\nplot ", b.f);
    for (size_t k = 0; k < no; k++) {
        ob_style st = ob_style_of(opt[k]);
        fprintf(b.f, "%s$G%zu using ($1-0.12):2:3:4 with yerrorbars lc rgb '%s' lw 1.5 pt 6 ps 1.6 "
                     "notitle, \\\n  $G%zu using ($1+0.12):5:6:7 with yerrorbars lc rgb '%s' lw 1.5 "
                     "pt 7 ps 1.6 notitle, \\\n  $G%zu using ($1-0.12):2:(0.24):($5-$2) with vectors "
                     "nohead lc rgb '%s' dt 3 notitle",
                k ? ", \\\n  " : "", k, st.color, k, st.color, k, st.color);
    }
    fputs(", \\\n  keyentry with points lc rgb 'black' pt 6 ps 1.6 title 'final training accuracy'"
          ", \\\n  keyentry with points lc rgb 'black' pt 7 ps 1.6 title 'test accuracy at the best "
          "validation epoch'\n", b.f);
    ob_table_free(&t);
    return gp_render(&b, png, 0, 0, err);
}
