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

/* the two panels over the blocks $I0.. of opt[0..nopt), drawn into png */
static ob_status interp_render(gp_script *b, const char *title, const char *const *opt,
                               size_t nopt, const char *png, ob_error *err)
{
    fputs("set multiplot layout 1,2 title ", b->f);
    gp_quoted(b->f, title);
    fputs(" noenhanced font ',13'\n", b->f);
    for (int panel = 0; panel < 2; panel++) {
        gp_common(b->f, panel == 0 ? "loss (log scale)" : "accuracy");
        fprintf(b->f, "set xlabel 'a   (θ = (1 − a) θ_0 + a θ_T)'\nset key %s box "
                      "lc rgb '#aaaaaa'\n%s"
                      "set arrow 1 from 0, graph 0 to 0, graph 1 nohead dt 3 lc rgb '#777777'\n"
                      "set arrow 2 from 1, graph 0 to 1, graph 1 nohead dt 3 lc rgb '#777777'\n",
                panel == 0 ? "top right" : "right center", panel == 0 ? "set logscale y\n" : "unset logscale y\n");
        fputs("plot ", b->f);
        for (size_t k = 0; k < nopt; k++) {
            ob_style st = ob_style_of(opt[k]);
            for (int split = 0; split < 2; split++) {
                fprintf(b->f, "%s$I%zu using 1:%d with lines lc rgb '%s' lw 2 dt %d title ",
                        k || split ? ", \\\n  " : "", k, 2 + 2 * split + panel, st.color,
                        split ? 2 : 1);
                char label[160];
                snprintf(label, sizeof label, "%s (%s)", opt[k], split ? "test" : "train");
                gp_quoted(b->f, label);
            }
        }
        fputs("\n", b->f);
    }
    fputs("unset multiplot\n", b->f);
    return gp_render(b, png, 1200, 520, err);
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
                          const char *plane, size_t k, size_t *idx)
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

static void panel(FILE *b, const char *ldir, const char *opt, const char *plane, size_t k,
                  size_t npath)
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
    fprintf(b, "unset key\nset autoscale xfix\nset autoscale yfix\nset cblabel 'log_{10} loss'\n"
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
    gp_script b;
    gp_begin(&b);
    for (size_t k = 0; idx && k < nopt; k++)
        if (grid_blocks(b.f, &t, c, opt[k], plane, n, idx) >= 4) {
            npath[n] = strcmp(plane, "pca") == 0 ? path_block(b.f, ldir, opt[k], n) : 0;
            drawn[n++] = opt[k];
        }
    free(idx);
    if (n == 0) {
        ob_table_free(&t);
        gp_free(&b);
        return ob_fail(err, OB_EDATA, "%s: no '%s' slice to draw", path, plane);
    }
    const size_t cols = n < 3 ? n : 3, rows = (n + cols - 1) / cols;
    fputs("set view map\nset palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', "
          "0.75 '#5ec962', 1 '#fde725')\n", b.f);
    fprintf(b.f, "set multiplot layout %zu,%zu title ", rows, cols);
    gp_quoted(b.f, title);
    fputs(" noenhanced font ',13'\n", b.f);
    for (size_t k = 0; k < n; k++) panel(b.f, ldir, drawn[k], plane, k, npath[k]);
    fputs("unset multiplot\n", b.f);
    ob_table_free(&t);
    return gp_render(&b, png, 560 * (int)cols, 480 * (int)rows, err);
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
