/* fig_tuning.c - the expected best score against the number of random tuning trials
 * (tuning_curve.csv, tables/tables.h; Sivaprasad et al. 2020): per optimizer on one
 * workload, E_k for k = 1 .. N.  Analytic workloads: the tuning score f - f* (lower is
 * better, a log axis when it spans decades); networks: the best validation accuracy
 * (higher is better). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/figopts.h"
#include "plots/recipes.h"

ob_status ob_plot_tuning_curve(const char *dir, const char *w, const char *png, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/tuning_curve.csv", dir);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    static const char *const names[] = {"workload", "kind", "optimizer", "k", "expected_best"};
    int col[5];
    s = ob_need_cols(&t, path, names, col, 5, err);
    size_t *idx = malloc((t.rows + 1) * sizeof *idx), n = 0;
    if (s == OB_OK && !idx) s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK && (n = ob_rows_where(&t, col[0], w, idx, t.rows)) == 0)
        s = ob_fail(err, OB_EDATA, "%s: no rows for %s", path, w);
    if (s != OB_OK) {
        free(idx);
        ob_table_free(&t);
        return s;
    }
    int net = !strcmp(ob_table_str(&t, idx[0], col[1]), "network");
    double lo = INFINITY, hi = -INFINITY, kmax = 1;
    for (size_t i = 0; i < n; i++) {
        double y = ob_table_num(&t, idx[i], col[4]), k = ob_table_num(&t, idx[i], col[3]);
        if (isfinite(y) && y < lo) lo = y;
        if (isfinite(y) && y > hi) hi = y;
        if (k > kmax) kmax = k;
    }
    /* log y for gaps that span decades; a gap of 0 on the bottom edge */
    int logy = !net && lo >= 0 && hi > 0;
    double lo_pos = INFINITY;
    for (size_t i = 0; logy && i < n; i++) {
        double y = ob_table_num(&t, idx[i], col[4]);
        if (isfinite(y) && y > 0 && y < lo_pos) lo_pos = y;
    }
    logy = logy && isfinite(lo_pos) && hi / lo_pos > 20;
    double bottom = logy ? ob_decade_down(lo_pos) : lo, top = logy ? ob_decade_up(hi) : hi;
    if (!logy) {
        double span = hi > lo ? hi - lo : fabs(hi) * 0.1 + 1e-3;
        bottom = lo - 0.05 * span, top = hi + 0.05 * span;
    }
    const char *opt[OB_MAX_SERIES], *all[OB_MAX_SERIES];
    size_t na = ob_optimizers_drawn(&t, col[2], all, OB_MAX_SERIES), no = 0;
    gp_script b;
    gp_begin(&b);
    for (size_t j = 0; j < na; j++) { /* a block per optimizer of w: k, E_k */
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(ob_table_str(&t, idx[i], col[2]), all[j])) continue;
            double y = ob_table_num(&t, idx[i], col[4]);
            if (!isfinite(y)) continue; /* infinite: some k trials may all diverge */
            if (m++ == 0) fprintf(b.f, "$K%zu << EOD\n", no);
            gp_num(b.f, ob_table_num(&t, idx[i], col[3]));
            fputc(' ', b.f);
            gp_num(b.f, logy && y < bottom ? bottom : y);
            fputc('\n', b.f);
        }
        if (m) {
            gp_block_end(b.f);
            opt[no++] = all[j];
        }
    }
    char title[512];
    ob_pathf(title, sizeof title, "%s: expected best %s of k random tuning trials", w,
             net ? "validation accuracy" : "tuning score");
    gp_common(b.f, title);
    gp_title_over_plot(b.f, title, 960, gp_labels_px(opt, no, 11));
    gp_key_right(b.f);
    fprintf(b.f, "set xrange [0.5:%g]\nset yrange [%.10g:%.10g]\n%s"
                 "set xlabel 'k, random trials (drawn without replacement from the N run)'\n"
                 "set ylabel \"%s\"\n",
            kmax + 0.5, bottom, top, logy ? "set logscale y\nset format y '10^{%L}'\n" : "",
            net ? "expected best validation accuracy (higher is better)"
                : logy ? "expected best tuning score (lower is better; log scale)"
                       : "expected best tuning score (lower is better)");
    if (kmax <= 20) fputs("set xtics 1\n", b.f);
    fputs(no ? "plot " : "plot 1/0 notitle", b.f);
    for (size_t k = 0; k < no; k++) {
        ob_style st = ob_style_of(opt[k]);
        fprintf(b.f, "%s$K%zu using 1:2 with linespoints ", k ? ", \\\n  " : "", k);
        gp_style_spec(b.f, &st, 2);
        fputs(" title ", b.f);
        gp_quoted(b.f, opt[k]);
    }
    fputs("\n", b.f);
    free(idx);
    ob_table_free(&t);
    return gp_render(&b, png, 0, 0, err);
}
