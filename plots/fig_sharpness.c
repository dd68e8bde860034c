/* fig_sharpness.c - the sharpness figure of one run and of a bench workload (the recipe
 * "sharpness", from sharpness/W.csv), and the series the stability experiment's panels
 * are drawn from (see fig_sharpness.h). */
#include "plots/fig_sharpness.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/figopts.h"
#include "plots/gnuplot.h"
#include "plots/recipes.h"

static const char *series_color(const ob_sharp_series *s, size_t k)
{
    if (s->color) return s->color;
    return s->lr_label > 0 ? ob_series_color(k) : ob_style_of(s->name).color;
}

static int series_point(const ob_sharp_series *s)
{
    return s->point > 0 ? s->point : ob_style_of(s->name).point;
}

/* a data block $<tag><k> of the finite points (x, y[, z]) with y > 0 (log axes);
 * returns how many, and widens the ranges */
static size_t block(FILE *f, const char *tag, size_t k, const double *x, const double *y,
                    const double *z, size_t n, double *xmax, double *lo, double *hi)
{
    size_t m = 0;
    fprintf(f, "$%s%zu << EOD\n", tag, k);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || !(y[i] > 0)) continue;
        gp_num(f, x[i]);
        fputs(" ", f);
        gp_num(f, y[i]);
        if (z) {
            fputs(" ", f);
            gp_num(f, z[i]);
            if (isfinite(z[i]) && z[i] > 0 && z[i] < *lo) *lo = z[i];
            if (isfinite(z[i]) && z[i] > *hi) *hi = z[i];
        }
        fputs("\n", f);
        if (x[i] > *xmax) *xmax = x[i];
        if (y[i] < *lo) *lo = y[i];
        if (y[i] > *hi) *hi = y[i];
        m++;
    }
    gp_block_end(f);
    return m;
}

void ob_fig_sharpness_script(FILE *f, const ob_sharp_series *s, size_t n, double L,
                             const char *title, const char *loss_label, double x0, double w)
{
    char tag[3][16];
    int id = (int)lround(x0 * 100); /* the panels of one canvas get their own blocks */
    snprintf(tag[0], sizeof tag[0], "SH%d_", id);
    snprintf(tag[1], sizeof tag[1], "TH%d_", id);
    snprintf(tag[2], sizeof tag[2], "LO%d_", id);
    double xmax = 1, lo = INFINITY, hi = -INFINITY, llo = INFINITY, lhi = -INFINITY;
    size_t *cnt = calloc(3 * (n + 1), sizeof *cnt); /* (n, 3) points per block */
    if (!cnt) return;
    for (size_t k = 0; k < n; k++) {
        cnt[3 * k] = block(f, tag[0], k, s[k].step, s[k].sharp, NULL, s[k].n, &xmax, &lo, &hi);
        cnt[3 * k + 1] = block(f, tag[1], k, s[k].step, s[k].thr, NULL, s[k].n, &xmax, &lo, &hi);
        cnt[3 * k + 2] = block(f, tag[2], k, s[k].lstep, s[k].loss, NULL, s[k].nl, &xmax, &llo, &lhi);
    }
    if (isfinite(L) && L > 0) {
        if (L < lo) lo = L;
        if (L > hi) hi = L;
    }
    /* top: the sharpness (solid, points at the estimates), the threshold (dashed), L */
    /* the same margins above and below, so that the two x axes line up */
    /* a few series: the key inside, top left; more (a bench's optimizers): in a right
     * margin that both panels keep, off the data */
    const int outside = n > 6;
    fprintf(f, "set origin %g,0.36\nset size %g,0.6\nset lmargin 11\n", x0, w);
    if (outside) fprintf(f, "set rmargin at screen %g\n", x0 + 0.82 * w);
    else fputs("set rmargin 3\n", f);
    gp_common(f, title);
    fprintf(f, "set key %s samplen 3 spacing 1.1 font ',9'\n"
               "set logscale y\nset xrange [0:%g]\nset format x ''\nset xlabel ''\n"
               "set ylabel 'sharpness (log scale)'\n",
            outside ? "outside right top" : "top left opaque box lc rgb '#aaaaaa'", xmax);
    if (isfinite(lo) && hi > 0) fprintf(f, "set yrange [%g:%g]\n", lo / 1.5, hi * 2.5);
    fputs("plot ", f);
    int first = 1;
    for (size_t k = 0; k < n; k++) {
        const char *col = series_color(&s[k], k);
        if (cnt[3 * k]) {
            size_t pi = cnt[3 * k] > 12 ? cnt[3 * k] / 8 : 1; /* at most ~10 points */
            fprintf(f, "%s$%s%zu using 1:2 with linespoints lc rgb '%s' lw 2 pt %d ps 0.8 pi %zu "
                       "title ", first ? "" : ", \\\n  ", tag[0], k, col, series_point(&s[k]), pi);
            gp_quoted(f, s[k].name);
            first = 0;
        }
        if (cnt[3 * k + 1]) {
            fprintf(f, "%s$%s%zu using 1:2 with lines lc rgb '%s' lw 1.5 dt 2 notitle",
                    first ? "" : ", \\\n  ", tag[1], k, col);
            first = 0;
        }
    }
    fputs(first ? "NaN notitle, \\\n  " : ", \\\n  ", f); /* none: an empty frame */
    fputs("keyentry with lines lc rgb '#555555' lw 1.5 dt 2 title 'stability threshold'", f);
    if (isfinite(L) && L > 0) fprintf(f, ", \\\n  %.17g with lines lc rgb 'black' lw 1.5 dt 3 "
                                      "title 'L = %.4g (the problem)'", L, L);
    fputs("\n", f);
    /* beneath: the loss */
    fprintf(f, "set origin %g,0.0\nset size %g,0.38\nset title ''\nunset key\n"
               "set format x '%%g'\nset xlabel 'step'\nset ylabel \"%s%s\"\n", x0, w,
            loss_label, llo > 0 && lhi / llo > 10 ? " (log scale)" : "");
    if (!(llo > 0 && lhi / llo > 10)) fputs("unset logscale y\n", f);
    else if (lhi / llo > 1e4) fputs("set format y '10^{%L}'\n", f); /* a diverging run */
    fputs("set yrange [*:*]\n", f);
    first = 1;
    for (size_t k = 0; k < n; k++)
        if (cnt[3 * k + 2]) {
            fprintf(f, "%s$%s%zu using 1:2 with lines lc rgb '%s' lw 1.5 notitle",
                    first ? "plot " : ", \\\n  ", tag[2], k, series_color(&s[k], k));
            first = 0;
        }
    fputs(first ? "plot NaN notitle\n" : "\n", f);
    fputs("unset logscale y\nset format y '%g'\n", f);
    free(cnt);
}

ob_status ob_fig_sharpness_series(const ob_sharp_series *s, size_t n, double L,
                                  const char *title, const char *loss_label, const char *png,
                                  int w, int h, ob_error *err)
{
    gp_script b;
    gp_begin(&b);
    fputs("set multiplot\n", b.f);
    ob_fig_sharpness_script(b.f, s, n, L, title, loss_label, 0, 1);
    fputs("unset multiplot\n", b.f);
    return gp_render(&b, png, w > 0 ? w : 960, h > 0 ? h : 720, err);
}

/* ---- one run ---------------------------------------------------------------------------- */

static int has_col(const char *csv, const char *name)
{
    ob_table t;
    if (ob_table_read(csv, &t, NULL) != OB_OK) return 0;
    int c = ob_table_col(&t, name) >= 0;
    ob_table_free(&t);
    return c;
}

int ob_sharp_file(const char *csv, char *out, size_t cap)
{
    if (has_col(csv, "sharpness")) return snprintf(out, cap, "%s", csv), 1;
    size_t l = strlen(csv);
    if (l < 4 || strcmp(csv + l - 4, ".csv") != 0) return 0;
    snprintf(out, cap, "%.*s.steps.csv", (int)(l - 4), csv);
    return has_col(out, "sharpness");
}

int ob_csv_has_sharpness(const char *csv)
{
    char path[4096];
    return ob_sharp_file(csv, path, sizeof path);
}

ob_status ob_fig_sharpness(const char *csv, const char *png, double L, const char *title,
                           ob_error *err)
{
    char path[4096];
    if (!ob_sharp_file(csv, path, sizeof path))
        return ob_fail(err, OB_EDATA, "%s: no sharpness column (run or train with "
                       "--sharpness-every K)", csv);
    ob_table t;
    ob_status st = ob_table_read(path, &t, err);
    if (st != OB_OK) return st;
    int cs = ob_table_col(&t, "step"), ch = ob_table_col(&t, "sharpness"),
        ct = ob_table_col(&t, "threshold"), cl = ob_table_col(&t, "loss");
    const int net = cl < 0;
    if (net) cl = ob_table_col(&t, "mean_loss");
    double *v = malloc((2 * t.rows + 1) * sizeof *v); /* (2, rows) every row's step, loss */
    size_t m = 0; /* rows with an estimate */
    for (size_t i = 0; v && i < t.rows; i++) {
        v[i] = ob_table_num(&t, i, cs);
        v[t.rows + i] = ob_table_num(&t, i, cl);
        m += !isnan(ob_table_num(&t, i, ch));
    }
    double *es = malloc((3 * m + 1) * sizeof *es); /* (3, m) their step, sharpness, threshold */
    for (size_t i = 0, j = 0; v && es && i < t.rows; i++) {
        double sh = ob_table_num(&t, i, ch);
        if (isnan(sh)) continue;
        es[j] = ob_table_num(&t, i, cs);
        es[m + j] = sh;
        es[2 * m + j] = ob_table_num(&t, i, ct);
        j++;
    }
    if (!v || !es) st = ob_fail(err, OB_ENOMEM, "out of memory");
    else if (m == 0) st = ob_fail(err, OB_EDATA, "%s: no sharpness estimate in its rows", path);
    if (st == OB_OK) {
        const char *base = strrchr(csv, '/') ? strrchr(csv, '/') + 1 : csv;
        ob_sharp_series s = {.name = "sharpness", .step = es, .sharp = es + m, .thr = es + 2 * m,
                             .n = m, .lstep = v, .loss = v + t.rows, .nl = t.rows};
        st = ob_fig_sharpness_series(&s, 1, L, title ? title : base,
                                     net ? "training loss (mini-batch mean)" : "loss", png, 0, 0,
                                     err);
    }
    free(es);
    free(v);
    ob_table_free(&t);
    return st;
}

/* ---- the bench's recipe: sharpness/W.csv ----------------------------------------------- */

/* column c of t's rows for optimizer o where column need is a number, into out (rows) */
static size_t column_of(const ob_table *t, const char *o, const char *c, const char *need,
                        double *out)
{
    int oc = ob_table_col(t, "optimizer"), cc = ob_table_col(t, c), nc = ob_table_col(t, need);
    size_t m = 0;
    for (size_t i = 0; i < t->rows; i++)
        if (!strcmp(ob_table_str(t, i, oc), o) && !isnan(ob_table_num(t, i, nc)))
            out[m++] = ob_table_num(t, i, cc);
    return m;
}

ob_status ob_plot_sharpness(const char *dir, const char *w, const char *png, ob_error *err)
{
    char path[4096];
    ob_table t, ls = {0}, meta;
    ob_status st = ob_table_read(ob_pathf(path, sizeof path, "%s/sharpness/%s.csv", dir, w), &t, err);
    if (st != OB_OK) return st;
    const char *names[] = {"optimizer", "step", "sharpness", "threshold", "loss"};
    int col[5];
    if ((st = ob_need_cols(&t, path, names, col, 5, err)) != OB_OK) {
        ob_table_free(&t);
        return st;
    }
    /* the loss beneath: every logged step of a network's runs, else the estimates' rows */
    int net = ob_table_read(ob_pathf(path, sizeof path, "%s/netsteps/%s.csv", dir, w), &ls, NULL) == OB_OK;
    const ob_table *lt = net ? &ls : &t;
    double L = NAN, every = NAN, seeds = NAN, subset = NAN; /* NaN: not in an older meta */
    if (ob_table_read(ob_pathf(path, sizeof path, "%s/sharpness/%s.meta.csv", dir, w), &meta,
                      NULL) == OB_OK) {
        L = ob_table_num(&meta, 0, ob_table_col(&meta, "L"));
        every = ob_table_num(&meta, 0, ob_table_col(&meta, "every"));
        seeds = ob_table_num(&meta, 0, ob_table_col(&meta, "seeds"));
        subset = ob_table_num(&meta, 0, ob_table_col(&meta, "subset"));
        ob_table_free(&meta);
    }
    const char *opt[OB_MAX_SERIES];
    size_t nopt = ob_optimizers_drawn(&t, col[0], opt, OB_MAX_SERIES);
    ob_sharp_series s[OB_MAX_SERIES];
    double *buf = malloc((5 * (t.rows + lt->rows) + 1) * sizeof *buf);
    size_t used = 0, kept = 0;
    for (size_t k = 0; buf && k < nopt; k++) {
        ob_sharp_series *x = &s[kept];
        *x = (ob_sharp_series){.name = opt[k]};
        double *p = buf + used;
        x->n = column_of(&t, opt[k], "step", "sharpness", p);
        column_of(&t, opt[k], "sharpness", "sharpness", p + x->n);
        column_of(&t, opt[k], "threshold", "sharpness", p + 2 * x->n);
        x->step = p, x->sharp = p + x->n, x->thr = p + 2 * x->n;
        used += 3 * x->n;
        const char *lc = net ? "train_loss" : "loss";
        x->nl = column_of(lt, opt[k], "step", "step", buf + used);
        column_of(lt, opt[k], lc, "step", buf + used + x->nl);
        x->lstep = buf + used, x->loss = buf + used + x->nl;
        used += 2 * x->nl;
        kept += x->n > 0;
    }
    if (!buf) st = ob_fail(err, OB_ENOMEM, "out of memory");
    else if (!kept) st = ob_fail(err, OB_EDATA, "%s/sharpness/%s.csv: no estimates", dir, w);
    else {
        /* which runs estimated it, on what, how often: the suite's sharpness-seeds,
         * -subset and -every */
        char title[512], who[64] = "median over seeds", on[64] = "", often[64] = "";
        if (seeds == 1) snprintf(who, sizeof who, "seed 1");
        else if (seeds > 1) snprintf(who, sizeof who, "median of seeds 1-%.0f", seeds);
        if (subset > 0) snprintf(on, sizeof on, ", %.0f samples", subset);
        if (every > 0) snprintf(often, sizeof often, ", every %.0f %s", every, net ? "updates" : "steps");
        ob_pathf(title, sizeof title, "%s: sharpness (%s%s%s), stability thresholds dashed", w,
                 who, on, often);
        st = ob_fig_sharpness_series(s, kept, L, title, net ? "mini-batch loss"
                                                           : "loss (median over seeds)",
                                     png, 0, 0, err);
    }
    free(buf);
    if (net) ob_table_free(&ls);
    ob_table_free(&t);
    return st;
}

ob_status ob_sharp_load(const char *path, ob_sharp_series *s, double **buf, ob_error *err)
{
    ob_table t;
    ob_status st = ob_table_read(path, &t, err);
    if (st != OB_OK) return st;
    int cs = ob_table_col(&t, "step"), ch = ob_table_col(&t, "sharpness"),
        ct = ob_table_col(&t, "threshold"), cl = ob_table_col(&t, "loss");
    if (cl < 0) cl = ob_table_col(&t, "mean_loss");
    double *v = *buf = malloc((5 * t.rows + 1) * sizeof *v);
    if (!v) {
        ob_table_free(&t);
        return ob_fail(err, OB_ENOMEM, "out of memory");
    }
    size_t m = 0;
    for (size_t i = 0; i < t.rows; i++) {
        v[3 * t.rows + i] = ob_table_num(&t, i, cs);
        v[4 * t.rows + i] = ob_table_num(&t, i, cl);
        if (isnan(ob_table_num(&t, i, ch))) continue;
        v[m] = ob_table_num(&t, i, cs);
        v[t.rows + m] = ob_table_num(&t, i, ch);
        v[2 * t.rows + m] = ob_table_num(&t, i, ct);
        m++;
    }
    s->step = v, s->sharp = v + t.rows, s->thr = v + 2 * t.rows, s->n = m;
    s->lstep = v + 3 * t.rows, s->loss = v + 4 * t.rows, s->nl = t.rows;
    ob_table_free(&t);
    return OB_OK;
}
