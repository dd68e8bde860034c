/* fig_landscape.c - the loss-landscape figures (see fig_landscape.h): the 1-D interpolation
 * and the 2-D slices of `optbench landscape`, read back from its CSVs by column name. */
#include "experiments/landscape/fig_landscape.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/figopts.h"
#include "plots/gnuplot.h"
#include "runs/runfile.h"

#define CONTOUR_LEVELS 12
#define FONT 11  /* the terminals' font size */
#define TITLE 13 /* the titles' */

/* optimizer k's rows idx[0..n) of t as $Ik: alpha, train loss, train acc, test loss, test
 * acc (columns c[0..5)) */
static void interp_block(FILE *b, size_t k, const ob_table *t, const int *c, const size_t *idx,
                         size_t n)
{
    char blk[16];
    snprintf(blk, sizeof blk, "I%zu", k);
    gp_block_begin(b, blk);
    for (size_t i = 0; i < n; i++)
        for (int j = 0; j < 5; j++) {
            gp_num(b, ob_table_num(t, idx ? idx[i] : i, c[j]));
            fputs(j < 4 ? " " : "\n", b);
        }
    gp_block_end(b);
}

/* the two panels over the blocks $I0.. of opt[0..nopt), drawn into png: loss and
 * accuracy side by side, and one legend for both in a column at their right (a colour per
 * optimizer; training solid, test dashed), the canvas as tall as the legend needs */
static ob_status interp_render(gp_script *b, const char *title, const char *const *opt,
                               size_t nopt, const char *png, ob_error *err)
{
    enum { PW = 500, PH = 430 }; /* a panel, with its margins */
    double label_w = gp_text_px("training (solid)", FONT);
    for (size_t k = 0; k < nopt; k++) label_w = fmax(label_w, gp_text_px(opt[k], FONT));
    const double entry_h = 1.3 * gp_line_px(FONT), key_w = label_w + 110;
    const int W = (int)ceil(2 * PW + key_w);
    char wrapped[2048];
    const int lines = gp_wrap(title, W - 40, TITLE, wrapped, sizeof wrapped);
    const double top = lines * gp_line_px(TITLE) * 1.25 + 14;
    const double key_h = (nopt + 4) * entry_h + 30; /* the entries, the box's padding */
    const int H = (int)ceil(top + fmax(PH, key_h));
    fputs("set multiplot title ", b->f);
    gp_quoted(b->f, wrapped);
    fprintf(b->f, " noenhanced font ',%d'\n", TITLE);
    for (int panel = 0; panel < 2; panel++) {
        gp_common(b->f, panel == 0 ? "loss (log scale)" : "accuracy");
        fprintf(b->f, "set origin %.6f, 0\nset size %.6f, %.6f\n", (double)panel * PW / W,
                (double)PW / W, (H - top) / H);
        fprintf(b->f, "set xlabel 'a   (θ = (1 − a) θ_0 + a θ_T)'\n%s"
                      "set arrow 1 from 0, graph 0 to 0, graph 1 nohead dt 3 lc rgb '#777777'\n"
                      "set arrow 2 from 1, graph 0 to 1, graph 1 nohead dt 3 lc rgb '#777777'\n",
                panel == 0 ? "set logscale y\n" : "unset logscale y\n");
        fputs("unset key\nplot ", b->f);
        for (size_t k = 0; k < nopt; k++) {
            ob_style st = ob_style_of(opt[k]);
            for (int split = 0; split < 2; split++)
                fprintf(b->f, "%s$I%zu using 1:%d with lines lc rgb '%s' lw 2 dt %d notitle",
                        k || split ? ", \\\n  " : "", k, 2 + 2 * split + panel, st.color,
                        split ? 2 : 1);
        }
        fputs("\n", b->f);
    }
    gp_legend_panel(b->f, 2.0 * PW / W, key_w / W, (H - top - 10) / H, nopt + 2);
    for (size_t k = 0; k < nopt; k++) {
        fprintf(b->f, ", \\\n  keyentry with lines lc rgb '%s' lw 2 title ",
                ob_style_of(opt[k]).color);
        gp_quoted(b->f, opt[k]);
        fputs(" noenhanced", b->f);
    }
    fputs(", \\\n  keyentry with lines lc rgb 'black' lw 2 dt 1 title 'training (solid)'"
          ", \\\n  keyentry with lines lc rgb 'black' lw 2 dt 2 title 'test (dashed)'\n", b->f);
    fputs("unset multiplot\n", b->f);
    return gp_render(b, png, W, H, err);
}

ob_status ob_plot_landscape_interp(const char *ldir, const char *png, const char *title,
                                   ob_error *err)
{
    ob_table t;
    ob_status s = ob_read_table(ldir, "interp.csv", &t, err);
    if (s != OB_OK) return s;
    const char *names[] = {"optimizer", "alpha", "train_loss", "train_acc", "test_loss", "test_acc"};
    int c[6];
    char path[4096];
    ob_pathf(path, sizeof path, "%s/interp.csv", ldir);
    if ((s = ob_need_cols(&t, path, names, c, 6, err)) != OB_OK || t.rows == 0) {
        ob_table_free(&t);
        return s != OB_OK ? s : ob_fail(err, OB_EDATA, "%s: no data row", path);
    }
    const char *opt[OB_MAX_SERIES];
    size_t nopt = ob_optimizers_drawn(&t, c[0], opt, OB_MAX_SERIES);
    gp_script b;
    gp_begin(&b);
    size_t *idx = malloc(t.rows * sizeof *idx);
    for (size_t k = 0; idx && k < nopt; k++)
        interp_block(b.f, k, &t, c + 1, idx, ob_rows_where(&t, c[0], opt[k], idx, t.rows));
    if (!idx) b.failed = 1;
    free(idx);
    s = interp_render(&b, title, opt, nopt, png, err);
    ob_table_free(&t);
    return s;
}

/* PC1 and PC2 of optimizer opt from summary.csv (NaN when absent) */
static void shares(const char *ldir, const char *opt, double pc[2])
{
    pc[0] = pc[1] = NAN;
    ob_table t;
    if (ob_read_table(ldir, "summary.csv", &t, NULL) != OB_OK) return;
    int co = ob_table_col(&t, "optimizer"), c1 = ob_table_col(&t, "pc1"), c2 = ob_table_col(&t, "pc2");
    size_t i;
    if (ob_rows_where(&t, co, opt, &i, 1) == 1) pc[0] = ob_table_num(&t, i, c1), pc[1] = ob_table_num(&t, i, c2);
    ob_table_free(&t);
}

/* optimizer k's slice as $Gk (x y log10 loss, a blank line between rows of y) and its
 * contour lines as $Ck; returns the number of grid points */
static size_t grid_blocks(FILE *b, const ob_table *t, const int *c, const char *opt,
                          const char *plane, size_t k, size_t *idx, double range[6])
{
    size_t n = ob_rows_where(t, c[0], opt, idx, t->rows), kept = 0;
    char blk[16];
    snprintf(blk, sizeof blk, "G%zu", k);
    gp_block_begin(b, blk);
    double last_y = NAN;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(ob_table_str(t, idx[i], c[1]), plane) != 0) continue;
        double x = ob_table_num(t, idx[i], c[2]), y = ob_table_num(t, idx[i], c[3]);
        double L = ob_table_num(t, idx[i], c[4]);
        if (kept && y != last_y) fputs("\n", b);
        last_y = y;
        gp_num(b, x), fputs(" ", b), gp_num(b, y), fputs(" ", b);
        gp_num(b, L > 0 ? log10(L) : NAN);
        const double v[3] = {x, y, L > 0 ? log10(L) : NAN};
        for (int j = 0; j < 3; j++)
            if (isfinite(v[j]))
                range[2 * j] = fmin(range[2 * j], v[j]), range[2 * j + 1] = fmax(range[2 * j + 1], v[j]);
        fputs("\n", b);
        kept++;
    }
    gp_block_end(b);
    if (kept)
        fprintf(b, "set contour base\nunset surface\nset cntrparam linear\nset cntrparam levels "
                   "auto %d\nset table $C%zu\nsplot $G%zu using 1:2:3 with lines notitle\n"
                   "unset table\nunset contour\nset surface\n", CONTOUR_LEVELS, k, k);
    return kept;
}

/* optimizer k's path as $Pk (x y); returns its points */
static size_t path_block(FILE *b, const char *ldir, const char *opt, size_t k)
{
    ob_table t;
    if (ob_read_table(ldir, "path.csv", &t, NULL) != OB_OK) return 0;
    int co = ob_table_col(&t, "optimizer"), cx = ob_table_col(&t, "x"), cy = ob_table_col(&t, "y");
    size_t *idx = malloc((t.rows + 1) * sizeof *idx), n = 0;
    if (idx && cx >= 0 && cy >= 0) n = ob_rows_where(&t, co, opt, idx, t.rows);
    char blk[16];
    snprintf(blk, sizeof blk, "P%zu", k);
    gp_block_begin(b, blk);
    for (size_t i = 0; i < n; i++) {
        gp_num(b, ob_table_num(&t, idx[i], cx)), fputs(" ", b);
        gp_num(b, ob_table_num(&t, idx[i], cy)), fputs("\n", b);
    }
    gp_block_end(b);
    free(idx);
    ob_table_free(&t);
    return n;
}

/* The slices' grid of panels: each PANEL_W x PANEL_H pixels, gnuplot's margins inside it;
 * one colour scale for all, its bar in a column of its own at the right. */
#define PANEL_W 440
#define PANEL_H 400

/* xtics or ytics (axis "x" or "y") over [lo, hi]: a round step that leaves the labels
 * (%g) room along an axis len pixels long, each label taking its width (x) or a line (y) */
static void panel_tics(FILE *b, const char *axis, double lo, double hi, double len)
{
    for (int n = 7; n >= 2; n--) {
        double step = gp_tick_step(lo, hi, n);
        if (!(step > 0)) return;
        double w = axis[0] == 'x' ? gp_ticks_px(lo, hi, step, "%g", FONT) : gp_line_px(FONT);
        if (n == 2 || (w + 16) * n <= len) {
            fprintf(b, "set %stics %.10g format '%%g'\n", axis, step);
            return;
        }
    }
}

static void panel(FILE *b, const char *ldir, const char *opt, const char *plane, size_t k,
                  size_t npath, const double range[6])
{
    const int pca = strcmp(plane, "pca") == 0;
    double pc[2];
    if (pca) shares(ldir, opt, pc);
    gp_common(b, opt);
    if (pca)
        fprintf(b, "set xlabel 'PC1 (%.1f%% of the squared offsets)'\n"
                   "set ylabel 'PC2 (%.1f%%)'\n", 100 * pc[0], 100 * pc[1]);
    else
        fputs("set xlabel 'random direction 1 (filter-normalized)'\n"
              "set ylabel 'random direction 2'\n", b);
    /* about 100 pixels of the panel go to the y axis's labels and 30 to the right */
    panel_tics(b, "x", range[0], range[1], PANEL_W - 130);
    panel_tics(b, "y", range[2], range[3], PANEL_H - 120);
    fprintf(b, "unset key\nset autoscale xfix\nset autoscale yfix\n"
               "plot $G%zu using 1:2:3 with image, \\\n"
               "  $C%zu using 1:2 with lines lc rgb '#303030' lw 0.8", k, k);
    if (pca && npath) {
        ob_style st = ob_style_of(opt);
        fprintf(b, ", \\\n  $P%zu using 1:2 with linespoints lc rgb '%s' lw 2 pt 7 ps 0.6, \\\n"
                   "  $P%zu using 1:2 every ::0::0 with points pt 6 ps 2.5 lw 2 lc rgb 'black', \\\n"
                   "  $P%zu using 1:2 every ::%zu::%zu with points pt 3 ps 2.5 lw 2 lc rgb 'black'",
                k, st.color, k, k, npath - 1, npath - 1);
    } else {
        fputs(", \\\n  '+' using (0):(0) every ::0::0 with points pt 3 ps 2.5 lw 2 lc rgb 'black'",
              b);
    }
    fputs("\n", b);
}

ob_status ob_plot_landscape_plane(const char *ldir, const char *plane, const char *png,
                                  const char *title, ob_error *err)
{
    ob_table t;
    ob_status s = ob_read_table(ldir, "surface.csv", &t, err);
    if (s != OB_OK) return s;
    const char *names[] = {"optimizer", "plane", "x", "y", "loss"};
    int c[5];
    char path[4096];
    ob_pathf(path, sizeof path, "%s/surface.csv", ldir);
    if ((s = ob_need_cols(&t, path, names, c, 5, err)) != OB_OK) {
        ob_table_free(&t);
        return s;
    }
    const char *opt[OB_MAX_SERIES], *drawn[OB_MAX_SERIES];
    size_t nopt = ob_optimizers_drawn(&t, c[0], opt, OB_MAX_SERIES), n = 0, npath[OB_MAX_SERIES];
    size_t *idx = malloc((t.rows + 1) * sizeof *idx);
    double range[OB_MAX_SERIES][6], zlo = INFINITY, zhi = -INFINITY;
    gp_script b;
    gp_begin(&b);
    for (size_t k = 0; idx && k < nopt; k++) {
        double *r = range[n];
        r[0] = r[2] = r[4] = INFINITY, r[1] = r[3] = r[5] = -INFINITY;
        if (grid_blocks(b.f, &t, c, opt[k], plane, n, idx, r) >= 4) {
            npath[n] = strcmp(plane, "pca") == 0 ? path_block(b.f, ldir, opt[k], n) : 0;
            zlo = fmin(zlo, r[4]), zhi = fmax(zhi, r[5]);
            drawn[n++] = opt[k];
        }
    }
    free(idx);
    if (n == 0) {
        ob_table_free(&t);
        gp_free(&b);
        return ob_fail(err, OB_EDATA, "%s: no '%s' slice to draw", path, plane);
    }
    if (!(zhi > zlo)) zlo = isfinite(zlo) ? zlo - 1 : 0, zhi = zlo + 2; /* a flat slice */
    /* the grid, the colour bar's column (bar, tick labels, its label) and the title */
    const size_t cols = n <= 3 ? n : n == 4 ? 2 : n <= 9 ? 3 : 4, rows = (n + cols - 1) / cols;
    const double bar_h = fmin(0.8 * rows * PANEL_H, 420);
    const int cb_tick_n = bar_h / 40 > 9 ? 9 : (int)(bar_h / 40); /* a label each 40 px */
    double cstep = gp_tick_step(zlo, zhi, cb_tick_n);
    int dec = cstep > 0 && cstep < 1 ? (int)ceil(-log10(cstep) - 1e-9) : 0;
    char cfmt[16];
    snprintf(cfmt, sizeof cfmt, "%%.%df", dec);
    const double bar_x = 16, bar_w = 18;
    const double ticks_w = gp_ticks_px(zlo, zhi, cstep, cfmt, FONT);
    const double cb_w = bar_x + bar_w + 10 + ticks_w + 12 + gp_line_px(FONT) + 14;
    const int W = (int)(cols * PANEL_W + ceil(cb_w));
    char wrapped[2048];
    const int lines = gp_wrap(title, W - 40, TITLE, wrapped, sizeof wrapped);
    const double top = lines * gp_line_px(TITLE) * 1.25 + 14;
    const int H = (int)ceil(top + rows * PANEL_H);
    fputs("set view map\nset palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', "
          "0.75 '#5ec962', 1 '#fde725')\n", b.f);
    /* the bar's label beside its tick labels (gnuplot's cblabel goes by its own guess of
     * their width), set for the first panel only */
    fprintf(b.f, "set cbrange [%.10g:%.10g]\nset cbtics %.10g format '%s'\n"
                 "set colorbox user origin %.6f, %.6f size %.6f, %.6f\n"
                 "set label 99 'log_{10} loss' at screen %.6f, screen %.6f center rotate by 90\n",
            zlo, zhi, cstep, cfmt, (cols * PANEL_W + bar_x) / W,
            (rows * PANEL_H - bar_h) / 2 / H, bar_w / W, bar_h / H,
            (cols * PANEL_W + bar_x + bar_w + 10 + ticks_w + 12 + gp_line_px(FONT) / 2) / W,
            rows * PANEL_H / 2.0 / H);
    fputs("set multiplot title ", b.f);
    gp_quoted(b.f, wrapped);
    fprintf(b.f, " noenhanced font ',%d'\n", TITLE);
    for (size_t k = 0; k < n; k++) {
        const size_t col = k % cols, row = k / cols;
        fprintf(b.f, "set origin %.6f, %.6f\nset size %.6f, %.6f\n%s", (double)col * PANEL_W / W,
                (H - top - (row + 1.0) * PANEL_H) / H, (double)PANEL_W / W, (double)PANEL_H / H,
                k == 0 ? "" : "unset colorbox\nunset label 99\n"); /* one bar: the first panel's */
        panel(b.f, ldir, drawn[k], plane, k, npath[k], range[k]);
    }
    fputs("unset multiplot\n", b.f);
    ob_table_free(&t);
    return gp_render(&b, png, W, H, err);
}

ob_status ob_landscape_figures(const char *ldir, const char *net, ob_error *err)
{
    char png[4096], title[256];
    snprintf(title, sizeof title, "%s: the loss from θ_0 to each optimizer's θ_T", net);
    ob_status s = ob_plot_landscape_interp(ldir, ob_pathf(png, sizeof png, "%s/interp.png", ldir),
                                           title, err);
    snprintf(title, sizeof title, "%s: the loss around θ_T on the plane of the path's top two "
             "principal directions, the path projected on it", net);
    if (s == OB_OK) { /* no optimizer with a PCA slice (too few checkpoints): no pca.png */
        s = ob_plot_landscape_plane(ldir, "pca", ob_pathf(png, sizeof png, "%s/pca.png", ldir),
                                    title, err);
        if (s == OB_EDATA && strstr(err->msg, "no 'pca' slice")) s = OB_OK;
    }
    snprintf(title, sizeof title, "%s: the loss around θ_T along two filter-normalized random "
             "directions", net);
    if (s == OB_OK)
        s = ob_plot_landscape_plane(ldir, "random", ob_pathf(png, sizeof png, "%s/random.png", ldir),
                                    title, err);
    return s;
}

/* ---- the benchmark's recipes ------------------------------------------------------------ */

static int cmp_name(const void *a, const void *b) { return strcmp(a, b); }

size_t ob_landscape_workloads(const char *dir, char (*out)[160], size_t cap)
{
    char path[4096];
    DIR *d = opendir(ob_pathf(path, sizeof path, "%s/landscape", dir));
    size_t n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL && n < cap) {
        char sum[4096];
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len >= sizeof *out) continue;
        if (ob_file_exists(ob_pathf(sum, sizeof sum, "%s/%s/summary.csv", path, e->d_name)))
            memcpy(out[n++], e->d_name, len + 1);
    }
    if (d) closedir(d);
    qsort(out, n, sizeof *out, cmp_name);
    return n;
}

static ob_status draw_w(const char *dir, const char *w, const char *plane, const char *png,
                        ob_error *err)
{
    char ldir[4096], title[512];
    ob_pathf(ldir, sizeof ldir, "%s/landscape/%s", dir, w);
    if (!plane) {
        snprintf(title, sizeof title, "%s: the loss from θ_0 to each optimizer's θ_T", w);
        return ob_plot_landscape_interp(ldir, png, title, err);
    }
    snprintf(title, sizeof title, strcmp(plane, "pca") == 0
             ? "%s: the loss on the plane of each path's top two principal directions"
             : "%s: the loss along two filter-normalized random directions", w);
    return ob_plot_landscape_plane(ldir, plane, png, title, err);
}

ob_status ob_plot_landscape_interp_w(const char *dir, const char *w, const char *png, ob_error *err)
{
    return draw_w(dir, w, NULL, png, err);
}
ob_status ob_plot_landscape_pca_w(const char *dir, const char *w, const char *png, ob_error *err)
{
    return draw_w(dir, w, "pca", png, err);
}
ob_status ob_plot_landscape_random_w(const char *dir, const char *w, const char *png,
                                     ob_error *err)
{
    return draw_w(dir, w, "random", png, err);
}

/* ---- the benchmark's seed-1 interpolations (runs/W/O/seed-1.interp.csv) ------------------ */

/* the optimizers with a seed-1 run under runs/W/ (its summary), in canonical order; *have:
 * how many of them have an interpolation file */
static size_t seed1_runs(const char *dir, const char *w, char (*name)[128], size_t cap,
                         const char **out, size_t *have)
{
    char path[4096], f[4096];
    DIR *d = opendir(ob_pathf(path, sizeof path, "%s/runs/%s", dir, w));
    size_t n = 0;
    *have = 0;
    for (struct dirent *e; d && (e = readdir(d)) != NULL && n < cap;) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len >= sizeof *name) continue;
        ob_table t;
        if (ob_run_summary_read(ob_pathf(f, sizeof f, "%s/%s", path, e->d_name), "seed-1", &t, NULL) != OB_OK)
            continue;
        ob_table_free(&t);
        memcpy(name[n], e->d_name, len + 1);
        out[n] = name[n];
        n++;
        *have += ob_file_exists(ob_pathf(f, sizeof f, "%s/%s/seed-1.interp.csv", path, e->d_name));
    }
    if (d) closedir(d);
    ob_style_sort(out, n);
    return n;
}

int ob_net_interp_applies(const char *dir, const char *w)
{
    char name[OB_MAX_SERIES][128];
    const char *opt[OB_MAX_SERIES];
    size_t have;
    seed1_runs(dir, w, name, OB_MAX_SERIES, opt, &have);
    return have > 0;
}

/* "diverged" when the run's summary says so, else "no interpolation file" */
static const char *why_missing(const char *dir, const char *w, const char *opt)
{
    char pair[4096];
    ob_table t;
    if (ob_run_summary_read(ob_pathf(pair, sizeof pair, "%s/runs/%s/%s", dir, w, opt), "seed-1", &t,
                            NULL) != OB_OK)
        return "no interpolation file";
    const int c = ob_table_col(&t, "status");
    const int div = c >= 0 && t.rows == 1 && strcmp(ob_table_str(&t, 0, c), "ok") != 0;
    ob_table_free(&t);
    return div ? "diverged" : "no interpolation file";
}

ob_status ob_plot_net_interp(const char *dir, const char *w, const char *png, ob_error *err)
{
    char name[OB_MAX_SERIES][128], title[1024];
    const char *all[OB_MAX_SERIES], *drawn[OB_MAX_SERIES];
    size_t have, n = seed1_runs(dir, w, name, OB_MAX_SERIES, all, &have), nd = 0, nmiss = 0;
    int len = snprintf(title, sizeof title, "%s: the loss from θ_0 to each optimizer's seed-1 "
                       "θ_T (250 training and 250 test samples)", w);
    gp_script b;
    gp_begin(&b);
    ob_status s = OB_OK;
    for (size_t k = 0; k < n && s == OB_OK; k++) {
        char rel[512], path[4096];
        snprintf(rel, sizeof rel, "runs/%s/%s/seed-1.interp.csv", w, all[k]);
        ob_table t;
        if (!ob_file_exists(ob_pathf(path, sizeof path, "%s/%s", dir, rel))) {
            /* a run without its file (diverged before its last epoch, or made before the
             * file existed) is named in the title rather than drawn */
            if (len > 0 && (size_t)len < sizeof title)
                len += snprintf(title + len, sizeof title - (size_t)len, "%s%s: %s",
                                nmiss++ ? "; " : "\nno curve for ",
                                all[k], why_missing(dir, w, all[k]));
            continue;
        }
        if ((s = ob_read_table(dir, rel, &t, err)) != OB_OK) break;
        const char *names[] = {"alpha", "train_loss", "train_acc", "test_loss", "test_acc"};
        int c[5];
        if ((s = ob_need_cols(&t, path, names, c, 5, err)) == OB_OK) {
            interp_block(b.f, nd, &t, c, NULL, t.rows);
            drawn[nd++] = all[k];
        }
        ob_table_free(&t);
    }
    if (s == OB_OK && nd == 0)
        s = ob_fail(err, OB_EDATA, "%s/runs/%s: no seed-1.interp.csv to draw", dir, w);
    if (s != OB_OK) {
        gp_free(&b);
        return s;
    }
    return interp_render(&b, title, drawn, nd, png, err);
}
