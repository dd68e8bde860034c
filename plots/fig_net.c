/* fig_net.c - the network workloads (netcurves/W.csv: medians across seeds per epoch):
 * loss and accuracy against epochs per optimizer, and the regularization comparison of
 * the course assignment's comparison (W against W-l1, W-l2, W-dropout). */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/figopts.h"
#include "plots/gnuplot.h"
#include "plots/recipes.h"

typedef struct {
    const char *train, *val, *val_q1, *val_q3; /* columns; q1/q3 may be NULL */
    const char *steps;                         /* netsteps/W.csv's column for the training
                                                  line (NULL: per epoch from netcurves) */
    double scale;                              /* 100 for accuracies shown in % */
    const char *ylabel, *what;
} net_spec;

/* The training line of optimizer o from the step log's table t (netsteps/W.csv, every
 * few updates, x in fractional epochs) as data block $S<k>; updates lo and hi.  Returns
 * the number of points written. */
static size_t steps_block(const ob_table *t, const char *col, const char *o, size_t k,
                          double scale, FILE *f, double *lo, double *hi)
{
    int oc = ob_table_col(t, "optimizer"), ec = ob_table_col(t, "epoch"), vc = ob_table_col(t, col);
    size_t n = 0;
    fprintf(f, "$S%zu << EOD\n", k);
    for (size_t i = 0; oc >= 0 && ec >= 0 && vc >= 0 && i < t->rows; i++) {
        double e = ob_table_num(t, i, ec), v = ob_table_num(t, i, vc) * scale;
        if (strcmp(ob_table_str(t, i, oc), o) != 0 || !isfinite(e) || !isfinite(v)) continue;
        if (v < *lo) *lo = v;
        if (v > *hi) *hi = v;
        gp_num(f, e);
        fputs(" ", f);
        gp_num(f, v);
        fputs("\n", f);
        n++;
    }
    gp_block_end(f);
    return n;
}

/* Per optimizer: validation median (solid, band between its quartiles) and training
 * median (dashed, same colour; from the step log when the runs wrote one).  Log y when
 * the values span more than a decade. */
static ob_status draw_net(const char *dir, const char *w, const char *png, const net_spec *c,
                          ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/netcurves/%s.csv", dir, w);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    const char *names[] = {"optimizer", "epoch", c->train, c->val};
    int col[4];
    int q1 = c->val_q1 ? ob_table_col(&t, c->val_q1) : -1;
    int q3 = c->val_q3 ? ob_table_col(&t, c->val_q3) : -1;
    s = ob_need_cols(&t, path, names, col, 4, err);
    if (s == OB_OK && t.rows == 0) s = ob_fail(err, OB_EDATA, "%s: no rows", path);
    size_t *idx = malloc((t.rows + 1) * sizeof *idx);
    if (s == OB_OK && !idx) s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s != OB_OK) {
        free(idx);
        ob_table_free(&t);
        return s;
    }
    const char *opt[OB_MAX_SERIES];
    size_t nopt = ob_optimizers_drawn(&t, col[0], opt, OB_MAX_SERIES);
    double lo = INFINITY, hi = -INFINITY, emax = 0;
    double lo1 = INFINITY; /* the lowest value after epoch 0: accuracies are scaled to it */
    gp_script b;
    gp_begin(&b);
    ob_table sl = {0}; /* netsteps/W.csv */
    int steps = c->steps && ob_table_read(ob_pathf(path, sizeof path, "%s/netsteps/%s.csv", dir, w),
                                          &sl, NULL) == OB_OK;
    size_t from_steps[OB_MAX_SERIES] = {0}; /* points of $S<k> */
    for (size_t k = 0; steps && k < nopt; k++)
        from_steps[k] = steps_block(&sl, c->steps, opt[k], k, c->scale, b.f, &lo, &hi);
    ob_table_free(&sl);
    for (size_t k = 0; k < nopt; k++) {
        size_t n = ob_rows_where(&t, col[0], opt[k], idx, t.rows);
        fprintf(b.f, "$N%zu << EOD\n", k);
        for (size_t i = 0; i < n; i++) {
            double v[5] = {ob_table_num(&t, idx[i], col[1]), ob_table_num(&t, idx[i], col[2]),
                           ob_table_num(&t, idx[i], col[3]), ob_table_num(&t, idx[i], q1),
                           ob_table_num(&t, idx[i], q3)};
            if (isnan(v[3])) v[3] = v[2]; /* no quartiles: a band of zero width */
            if (isnan(v[4])) v[4] = v[2];
            if (v[0] > emax) emax = v[0];
            for (int j = 1; j < 5; j++) {
                v[j] *= c->scale;
                if (isfinite(v[j]) && v[j] < lo) lo = v[j];
                if (isfinite(v[j]) && v[0] >= 1 && v[j] < lo1) lo1 = v[j];
                if (isfinite(v[j]) && v[j] > hi) hi = v[j];
                gp_num(b.f, v[j - 1]);
                fputs(" ", b.f);
            }
            gp_num(b.f, v[4]);
            fputs("\n", b.f);
        }
        gp_block_end(b.f);
    }
    int logy = c->scale != 100 && lo > 0 && hi / lo > 10; /* accuracies: always linear */
    char title[512];
    ob_pathf(title, sizeof title, "%s: %s", w, c->what);
    gp_common(b.f, title);
    gp_title_over_plot(b.f, title, 960, fmax(gp_labels_px(opt, nopt, 11), gp_text_px("validation", 11)));
    gp_key_right(b.f);
    fprintf(b.f, "set xlabel 'epoch'\nset ylabel \"%s%s\"\nset xrange [0:%g]\n"
                       "set style fill transparent solid 0.15 noborder\n%s",
                   c->ylabel, logy ? " (log scale)" : "", emax > 0 ? emax : 1,
                   logy ? "set logscale y\n" : "");
    /* accuracies: the untrained epoch 0 (~10%) would squeeze the trained epochs into a
     * sliver, so the axis starts a little below the lowest value after it (the first
     * segment then enters from below the frame) */
    if (c->scale == 100 && isfinite(lo1) && hi > lo1)
        fprintf(b.f, "set yrange [%g:%g]\n", fmax(0, lo1 - 0.1 * (hi - lo1) - 1),
                       fmin(100, hi + 0.1 * (hi - lo1) + 1));
    else if (c->scale == 100) fputs("set yrange [*:100<*]\n", b.f);
    if (emax <= 20) fputs("set xtics 1\n", b.f); /* whole epochs */
    fputs("plot ", b.f);
    for (size_t k = 0; k < nopt; k++) {
        ob_style st = ob_style_of(opt[k]);
        fprintf(b.f, "%s$N%zu using 1:4:5 with filledcurves lc rgb '%s' notitle, \\\n"
                           "  $N%zu using 1:3 with linespoints ",
                       k ? ", \\\n  " : "", k, st.color, k);
        st.dash = 1;
        gp_style_spec(b.f, &st, 2);
        fputs(" title ", b.f);
        gp_quoted(b.f, opt[k]);
        if (from_steps[k]) /* every few updates */
            fprintf(b.f, ", \\\n  $S%zu using 1:2 with lines lc rgb '%s' lw 1.2 dt 2 notitle",
                    k, st.color);
        else
            fprintf(b.f, ", \\\n  $N%zu using 1:2 with lines lc rgb '%s' lw 1.5 dt 2 notitle",
                    k, st.color);
    }
    fputs(", \\\n  keyentry with lines lc rgb 'black' lw 2 dt 1 title 'validation', \\\n"
                     "  keyentry with lines lc rgb 'black' lw 1.5 dt 2 title 'training'\n", b.f);
    free(idx);
    ob_table_free(&t);
    s = gp_render(&b, png, 0, 0, err);
    return s;
}

ob_status ob_plot_net_loss(const char *dir, const char *w, const char *png, ob_error *err)
{
    static const net_spec c = {"train_loss", "val_loss", "val_loss_q1", "val_loss_q3",
                               "train_loss", 1, "loss (median over seeds)",
                               "training and validation loss"};
    return draw_net(dir, w, png, &c, err);
}

ob_status ob_plot_net_acc(const char *dir, const char *w, const char *png, ob_error *err)
{
    static const net_spec c = {"train_acc", "val_acc", "val_acc_q1", "val_acc_q3", NULL, 100,
                               "accuracy, % (median over seeds)",
                               "training and validation accuracy"};
    return draw_net(dir, w, png, &c, err);
}

static int netcurves_exist(const char *dir, const char *w)
{
    char path[4096];
    return ob_file_exists(ob_pathf(path, sizeof path, "%s/netcurves/%s.csv", dir, w));
}

size_t ob_regularization_variants(const char *dir, const char *w, char (*out)[128], size_t cap)
{
    static const char *const known[] = {"l1", "l2", "dropout"};
    size_t n = 0;
    if (cap == 0 || !netcurves_exist(dir, w) || strlen(w) > 100) return 0;
    snprintf(out[n++], 128, "%s", w);
    for (size_t k = 0; k < 3 && n < cap; k++) {
        ob_pathf(out[n], 128, "%s-%s", w, known[k]);
        if (netcurves_exist(dir, out[n])) n++;
    }
    /* any other netcurves/W-SUFFIX.csv, sorted for a stable order */
    char path[4096];
    DIR *d = opendir(ob_pathf(path, sizeof path, "%s/netcurves", dir));
    size_t first_other = n, wl = strlen(w);
    struct dirent *e;
    while (d && (e = readdir(d)) && n < cap) {
        size_t l = strlen(e->d_name);
        if (l <= wl + 5 || strncmp(e->d_name, w, wl) != 0 || e->d_name[wl] != '-' ||
            strcmp(e->d_name + l - 4, ".csv") != 0 || l - 4 >= 128)
            continue;
        char v[128];
        snprintf(v, sizeof v, "%.*s", (int)(l - 4), e->d_name);
        int dup = 0;
        for (size_t k = 0; k < n; k++) dup |= strcmp(out[k], v) == 0;
        if (!dup) memcpy(out[n++], v, sizeof v);
    }
    if (d) closedir(d);
    for (size_t i = first_other + 1; i < n; i++) /* insertion sort of the others */
        for (size_t j = i; j > first_other && strcmp(out[j - 1], out[j]) > 0; j--) {
            char tmp[128];
            memcpy(tmp, out[j], 128), memcpy(out[j], out[j - 1], 128), memcpy(out[j - 1], tmp, 128);
        }
    return n > 1 ? n : 0;
}

/* The optimizer shown: the one present in every variant with the best final validation
 * accuracy on the base workload (adam when accuracies are missing and it is there). */
static int pick_optimizer(ob_table *tabs, size_t nv, char *out, size_t cap)
{
    const char *opt[OB_MAX_SERIES];
    int oc = ob_table_col(&tabs[0], "optimizer"), ac = ob_table_col(&tabs[0], "val_acc");
    size_t nopt = ob_optimizers_drawn(&tabs[0], oc, opt, OB_MAX_SERIES);
    double best = -INFINITY;
    int found = 0;
    for (size_t k = 0; k < nopt; k++) {
        int everywhere = 1;
        for (size_t v = 1; v < nv; v++) {
            size_t i;
            everywhere &= ob_rows_where(&tabs[v], ob_table_col(&tabs[v], "optimizer"), opt[k],
                                        &i, 1) == 1;
        }
        if (!everywhere) continue;
        double acc = -1;
        for (size_t i = 0; i < tabs[0].rows; i++)
            if (strcmp(ob_table_str(&tabs[0], i, oc), opt[k]) == 0) {
                double a = ob_table_num(&tabs[0], i, ac);
                if (isfinite(a)) acc = a; /* the last epoch's */
            }
        if (strcmp(opt[k], "adam") == 0 && acc < 0) acc = 0;
        if (!found || acc > best) {
            best = acc, found = 1;
            snprintf(out, cap, "%s", opt[k]);
        }
    }
    return found;
}

ob_status ob_plot_regularization(const char *dir, const char *w, const char *png, ob_error *err)
{
    char var[8][128];
    size_t nv = ob_regularization_variants(dir, w, var, 8);
    if (nv == 0) return ob_fail(err, OB_EDATA, "no netcurves/%s-{l1,l2,dropout}.csv to compare", w);
    ob_table tabs[8] = {{0}};
    ob_status s = OB_OK;
    for (size_t nt = 0; nt < nv && s == OB_OK; nt++) {
        char path[4096];
        ob_pathf(path, sizeof path, "%s/netcurves/%s.csv", dir, var[nt]);
        s = ob_table_read(path, &tabs[nt], err);
        if (s != OB_OK) break;
        const char *names[] = {"optimizer", "epoch", "train_loss", "val_loss", "train_acc", "val_acc"};
        int col[6];
        s = ob_need_cols(&tabs[nt], path, names, col, 6, err);
    }
    char opt[128];
    if (s == OB_OK && !pick_optimizer(tabs, nv, opt, sizeof opt))
        s = ob_fail(err, OB_EDATA, "no optimizer was run on every one of %s's variants", w);
    gp_script b;
    gp_begin(&b);
    for (size_t v = 0; s == OB_OK && v < nv; v++) {
        ob_table *t = &tabs[v];
        int oc = ob_table_col(t, "optimizer");
        int c[5] = {ob_table_col(t, "epoch"), ob_table_col(t, "train_loss"), ob_table_col(t, "val_loss"),
                    ob_table_col(t, "train_acc"), ob_table_col(t, "val_acc")};
        fprintf(b.f, "$R%zu << EOD\n", v);
        for (size_t i = 0; i < t->rows; i++) {
            if (strcmp(ob_table_str(t, i, oc), opt) != 0) continue;
            for (int j = 0; j < 5; j++) {
                gp_num(b.f, ob_table_num(t, i, c[j]) * (j >= 3 ? 100 : 1));
                fputs(j < 4 ? " " : "\n", b.f);
            }
        }
        gp_block_end(b.f);
    }
    if (s == OB_OK) {
        char title[512];
        ob_pathf(title, sizeof title, "%s: regularization compared (optimizer %s, medians over seeds)",
                 w, opt);
        /* two panels and one legend for both in a column at their right */
        enum { PW = 560, H = 600 };
        double label_w = gp_text_px("training", 11);
        for (size_t v = 1; v < nv; v++) label_w = fmax(label_w, gp_text_px(var[v] + strlen(w) + 1, 11));
        const double key_w = label_w + 110, top = 1.25 * gp_line_px(13) + 14;
        const int W = (int)ceil(2 * PW + key_w);
        char wrapped[1024];
        gp_wrap(title, W - 40, 13, wrapped, sizeof wrapped);
        fputs("set multiplot title ", b.f);
        gp_quoted(b.f, wrapped);
        fputs(" noenhanced font ',13'\n", b.f);
        gp_common(b.f, "loss: validation (solid), training (dashed)");
        fputs("unset key\nset xlabel 'epoch'\nset ylabel 'loss'\n", b.f);
        for (int panel = 0; panel < 2; panel++) {
            fprintf(b.f, "set origin %.6f, 0\nset size %.6f, %.6f\n", (double)panel * PW / W,
                    (double)PW / W, (H - top) / H);
            if (panel == 1) {
                fputs("set title 'accuracy: validation (solid), training (dashed)' "
                                 "font ',13'\nset ylabel 'accuracy, %'\n", b.f);
            }
            fputs("plot ", b.f);
            for (size_t v = 0; v < nv; v++) {
                fprintf(b.f, "%s$R%zu using 1:%d with linespoints lc rgb '%s' lw 2.5 pt %zu "
                                   "pi 2 notitle",
                               v ? ", \\\n  " : "", v, panel ? 5 : 3, ob_series_color(v), 4 + 2 * v);
                fprintf(b.f, ", \\\n  $R%zu using 1:%d with lines lc rgb '%s' lw 1.5 dt 2 notitle",
                               v, panel ? 4 : 2, ob_series_color(v));
            }
            fputs("\n", b.f);
        }
        gp_legend_panel(b.f, 2.0 * PW / W, key_w / W, (H - top - 10) / H, nv + 1);
        for (size_t v = 0; v < nv; v++) {
            fprintf(b.f, ", \\\n  keyentry with linespoints lc rgb '%s' lw 2.5 pt %zu title ",
                    ob_series_color(v), 4 + 2 * v);
            gp_quoted(b.f, v == 0 ? "none" : var[v] + strlen(w) + 1);
        }
        fputs(", \\\n  keyentry with lines lc rgb '#555555' lw 1.5 dt 2 title 'training'\n"
              "unset multiplot\n", b.f);
        s = gp_render(&b, png, W, H, err);
    }
    gp_free(&b);
    for (size_t v = 0; v < nv; v++) ob_table_free(&tabs[v]);
    return s;
}
