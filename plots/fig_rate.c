/* fig_rate.c - the SGD-rate experiment's figure (rate/W.png) as a registry recipe: the
 * title from rate/W.summary.csv, the curves from rate/W.csv (ob_plot_rate, gnuplot.h). */
#include <string.h>

#include "plots/draw.h"
#include "plots/gnuplot.h"
#include "plots/recipes.h"

ob_status ob_plot_rate_figure(const char *dir, const char *w, const char *png, ob_error *err)
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
    if (ob_table_read(sum, &su, NULL) == OB_OK) {
        snprintf(title, sizeof title, "SGD on %s (n = %s, L = %.4g, %s): measured vs the bound", w,
                 ob_table_str(&su, 0, ob_table_col(&su, "dim")),
                 ob_table_num(&su, 0, ob_table_col(&su, "L")),
                 ob_table_str(&su, 0, ob_table_col(&su, "oracle")));
        ob_table_free(&su);
    }
    return ob_plot_rate(csv, png, title, n0, m0, err);
}
