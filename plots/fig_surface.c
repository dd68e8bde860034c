/* fig_surface.c - the 2-D surfaces: log-spaced contours of f - f* with every optimizer's
 * seed-0 trajectory on top, and a 3-D view (surfaces/W.csv, surfaces/W.meta.csv,
 * runs/W/OPT/seed-0.csv). */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/gnuplot.h"
#include "plots/recipes.h"

#define MAX_TRAJ_POINTS 2000
#define GAP_DECADES 12 /* contours span at most this many decades below the largest gap */

typedef struct {
    double *x, *y, *f; /* (n) grid in file order */
    size_t n;
    double box[4];     /* xmin, xmax, ymin, ymax */
    double xstar, ystar, fstar;
} surface;

static void surface_free(surface *s) { free(s->x); }

static ob_status surface_read(const char *dir, const char *w, surface *sf, ob_error *err)
{
    *sf = (surface){0};
    char path[4096];
    ob_table t, m;
    ob_pathf(path, sizeof path, "%s/surfaces/%s.meta.csv", dir, w);
    ob_status s = ob_table_read(path, &m, err);
    if (s != OB_OK) return s;
    const char *mn[] = {"xmin", "xmax", "ymin", "ymax", "xstar", "ystar", "fstar"};
    int mc[7];
    s = ob_need_cols(&m, path, mn, mc, 7, err);
    if (s == OB_OK && m.rows < 1) s = ob_fail(err, OB_EDATA, "%s: no data row", path);
    if (s == OB_OK) {
        for (int k = 0; k < 4; k++) sf->box[k] = ob_table_num(&m, 0, mc[k]);
        sf->xstar = ob_table_num(&m, 0, mc[4]);
        sf->ystar = ob_table_num(&m, 0, mc[5]);
        sf->fstar = ob_table_num(&m, 0, mc[6]);
        if (!(sf->box[0] < sf->box[1] && sf->box[2] < sf->box[3]))
            s = ob_fail(err, OB_EDATA, "%s: the box must have xmin < xmax and ymin < ymax", path);
    }
    ob_table_free(&m);
    if (s != OB_OK) return s;
    ob_pathf(path, sizeof path, "%s/surfaces/%s.csv", dir, w);
    if ((s = ob_table_read(path, &t, err)) != OB_OK) return s;
    const char *gn[] = {"x", "y", "f"};
    int gc[3];
    s = ob_need_cols(&t, path, gn, gc, 3, err);
    if (s == OB_OK && t.rows < 4) s = ob_fail(err, OB_EDATA, "%s: too few grid points", path);
    if (s == OB_OK && !(sf->x = malloc(3 * t.rows * sizeof *sf->x)))
        s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK) {
        sf->n = t.rows;
        sf->y = sf->x + t.rows, sf->f = sf->y + t.rows;
        double fmin = INFINITY;
        for (size_t i = 0; i < t.rows; i++) {
            sf->x[i] = ob_table_num(&t, i, gc[0]);
            sf->y[i] = ob_table_num(&t, i, gc[1]);
            sf->f[i] = ob_table_num(&t, i, gc[2]);
            if (sf->f[i] < fmin) fmin = sf->f[i];
        }
        if (!isfinite(sf->fstar)) sf->fstar = fmin; /* f* unknown: the grid's minimum */
    }
    ob_table_free(&t);
    if (s != OB_OK) surface_free(sf);
    return s;
}

/* The grid as a gnuplot data block "x y z" with a blank line between scan lines (the
 * file scans y within each x, or x within each y; whichever it is, a scan line ends
 * where the outer coordinate changes).  z = log10(max(f - f*, lo)) when logz. */
static void grid_block(FILE *b, const surface *sf, int logz, double lo)
{
    int outer_is_x = sf->x[1] == sf->x[0];
    gp_block_begin(b, "G");
    for (size_t i = 0; i < sf->n; i++) {
        if (i > 0 && (outer_is_x ? sf->x[i] != sf->x[i - 1] : sf->y[i] != sf->y[i - 1]))
            fputs("\n", b);
        double g = sf->f[i] - sf->fstar;
        double z = logz ? log10(g > lo ? g : lo) : g;
        fprintf(b, "%.10g %.10g ", sf->x[i], sf->y[i]);
        gp_num(b, z);
        fputs("\n", b);
    }
    gp_block_end(b);
}

/* The smallest positive gap and the largest gap of the grid. */
static void gap_range(const surface *sf, double *lo, double *hi)
{
    *lo = INFINITY, *hi = 0;
    for (size_t i = 0; i < sf->n; i++) {
        double g = sf->f[i] - sf->fstar;
        if (g > 0 && g < *lo) *lo = g;
        if (isfinite(g) && g > *hi) *hi = g;
    }
    if (!(*hi > 0)) *hi = 1;
    if (!isfinite(*lo) || *lo < *hi * pow(10, -GAP_DECADES)) *lo = *hi * pow(10, -GAP_DECADES);
}

static int cmp_str(const void *a, const void *b)
{
    return ob_style_cmp(*(const char *const *)a, *(const char *const *)b);
}

/* The lowest seed S of the files DIR/seed-S.csv (or .csv.gz), or -1. */
static long first_seed(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    long best = -1;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        if (strncmp(e->d_name, "seed-", 5) != 0) continue;
        long v = strtol(e->d_name + 5, &end, 10);
        if (end != e->d_name + 5 && (strcmp(end, ".csv") == 0 || strcmp(end, ".csv.gz") == 0) &&
            v >= 0 && (best < 0 || v < best))
            best = v;
    }
    closedir(d);
    return best;
}

/* The optimizers with a run runs/W/OPT/seed-S.csv, in canonical order (names malloc'ed),
 * and for each the lowest seed S it has (seed 0 when there is one). */
static size_t traj_optimizers(const char *dir, const char *w, char **out, long *seed, size_t cap)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/runs/%s", dir, w);
    DIR *d = opendir(path);
    if (!d) return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < cap) {
        if (e->d_name[0] == '.') continue;
        char sub[4096];
        if (first_seed(ob_pathf(sub, sizeof sub, "%s/%s", path, e->d_name)) >= 0 &&
            (out[n] = strdup(e->d_name)))
            n++;
    }
    closedir(d);
    qsort(out, n, sizeof *out, cmp_str);
    for (size_t k = 0; k < n; k++) {
        char sub[4096];
        seed[k] = first_seed(ob_pathf(sub, sizeof sub, "%s/%s", path, out[k]));
    }
    return n;
}

/* A trajectory as a data block "x1 x2", thinned: a point is kept when it lies more than
 * min_move (in box units) from the last kept one; the first and last always.  Returns
 * the number of points, 0 when the file has no x1,x2 columns; *x0, *y0 the start. */
static size_t traj_block(FILE *b, const char *name, const char *path, const double *box,
                         double *x0, double *y0)
{
    ob_table t;
    if (ob_table_read(path, &t, NULL) != OB_OK) return 0;
    int c1 = ob_table_col(&t, "x1"), c2 = ob_table_col(&t, "x2");
    size_t kept = 0;
    if (c1 >= 0 && c2 >= 0 && t.rows > 0) {
        double sx = box[1] - box[0], sy = box[3] - box[2], min_move = 2e-3;
        double lx = NAN, ly = NAN;
        fprintf(b, "$%s << EOD\n", name);
        for (size_t i = 0; i < t.rows; i++) {
            double x = ob_table_num(&t, i, c1), y = ob_table_num(&t, i, c2);
            if (!isfinite(x) || !isfinite(y)) continue;
            if (i == 0) *x0 = x, *y0 = y;
            double dx = (x - lx) / sx, dy = (y - ly) / sy;
            if (i != 0 && i != t.rows - 1 && !(dx * dx + dy * dy > min_move * min_move)) continue;
            if (kept >= MAX_TRAJ_POINTS && i != t.rows - 1) continue; /* a very long path */
            fprintf(b, "%.10g %.10g\n", x, y);
            lx = x, ly = y;
            kept++;
        }
        gp_block_end(b);
    }
    ob_table_free(&t);
    return kept;
}

ob_status ob_plot_contour(const char *dir, const char *w, const char *png, ob_error *err)
{
    surface sf;
    ob_status s = surface_read(dir, w, &sf, err);
    if (s != OB_OK) return s;
    double lo, hi;
    gap_range(&sf, &lo, &hi);
    /* log-spaced levels: every decade, or every half decade when there are few */
    int d0 = (int)ceil(log10(lo) - 1e-9), d1 = (int)floor(log10(hi) + 1e-9);
    double step = d1 - d0 < 5 ? 0.5 : d1 - d0 > 14 ? 2 : 1;
    gp_script b;
    gp_begin(&b);
    grid_block(b.f, &sf, 1, lo);
    fputs("set contour base\nunset surface\nset cntrparam linear\n"
                     "set cntrparam levels discrete ", b.f);
    int first = 1;
    for (double L = d0; L <= d1 + 1e-9; L += step) {
        fprintf(b.f, "%s%g", first ? "" : ",", L);
        first = 0;
    }
    fputs("\nset table $C\nsplot $G using 1:2:3 with lines notitle\nunset table\n"
                     "unset contour\nset surface\n", b.f);

    char *opt[OB_MAX_SERIES];
    long seed[OB_MAX_SERIES];
    size_t nopt = traj_optimizers(dir, w, opt, seed, OB_MAX_SERIES);
    size_t npts[OB_MAX_SERIES];
    double sx[OB_MAX_SERIES], sy[OB_MAX_SERIES];
    int one_seed = 1;
    for (size_t k = 0; k < nopt; k++) {
        char path[4096], name[32];
        one_seed &= seed[k] == seed[0];
        ob_pathf(path, sizeof path, "%s/runs/%s/%s/seed-%ld.csv", dir, w, opt[k], seed[k]);
        ob_pathf(name, sizeof name, "T%zu", k);
        sx[k] = sy[k] = NAN;
        npts[k] = traj_block(b.f, name, path, sf.box, &sx[k], &sy[k]);
    }
    /* the distinct start points */
    gp_block_begin(b.f, "S");
    size_t nstart = 0;
    for (size_t k = 0; k < nopt; k++) {
        int seen = 0;
        for (size_t j = 0; j < k; j++)
            if (sx[j] == sx[k] && sy[j] == sy[k]) seen = 1;
        if (!seen && isfinite(sx[k])) {
            fprintf(b.f, "%.10g %.10g\n", sx[k], sy[k]);
            nstart++;
        }
    }
    gp_block_end(b.f);

    char title[512], which[64] = "first seed of each";
    if (nopt && one_seed) ob_pathf(which, sizeof which, "seed %ld", seed[0]);
    ob_pathf(title, sizeof title, "%s: contours of f - f* and the optimizers' paths (%s)", w, which);
    gp_common(b.f, title);
    gp_key_below(b.f, 6);
    double ax = (sf.box[1] - sf.box[0]) / (sf.box[3] - sf.box[2]);
    fprintf(b.f, "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n%s"
                       "set xlabel 'x_1'\nset ylabel 'x_2'\nset grid noxtics noytics\n"
                       "set palette defined (0 '#9e9e9e', 0.35 '#d0d0d0', 1 '#ffffff')\n"
                       "set cbrange [%g:%g]\nset cbtics 1\nset format cb '10^{%%.0f}'\n"
                       "set cblabel 'f - f* (log scale; lines every %g decade%s)'\n",
                   sf.box[0], sf.box[1], sf.box[2], sf.box[3],
                   ax > 1.0 / 3 && ax < 3 ? "set size ratio -1\n" : "", log10(lo), log10(hi),
                   step, step == 1 ? "" : "s");
    fputs("plot $G using 1:2:3 with image notitle, \\\n"
                     "  $C using 1:2 with lines lc rgb '#6e6e6e' lw 0.8 notitle", b.f);
    for (size_t k = 0; k < nopt; k++) {
        if (npts[k] == 0) continue;
        ob_style st = ob_style_of(opt[k]);
        size_t pi = npts[k] / 10 ? npts[k] / 10 : 1;
        fprintf(b.f, ", \\\n  $T%zu using 1:2 with linespoints pi %zu ", k, pi);
        gp_style_spec(b.f, &st, 2);
        fputs(" title ", b.f);
        gp_quoted(b.f, opt[k]);
    }
    if (nstart)
        fputs(", \\\n  $S using 1:2 with points pt 6 ps 3 lw 3 lc rgb 'black' "
                         "title 'start x_0'", b.f);
    if (isfinite(sf.xstar) && isfinite(sf.ystar))
        fprintf(b.f, ", \\\n  '+' using (%.10g):(%.10g) every ::0::0 with points pt 3 ps 3.5 "
                           "lw 3 lc rgb '#000000' title 'minimizer x*'",
                       sf.xstar, sf.ystar);
    fputs("\n", b.f);
    for (size_t k = 0; k < nopt; k++) free(opt[k]);
    surface_free(&sf);
    s = gp_render(&b, png, 900, 860, err);
    return s;
}

ob_status ob_plot_surface3d(const char *dir, const char *w, const char *png, ob_error *err)
{
    surface sf;
    ob_status s = surface_read(dir, w, &sf, err);
    if (s != OB_OK) return s;
    double lo, hi;
    gap_range(&sf, &lo, &hi);
    /* a linear z shows the shape (the saddle's); when most of the grid sits decades
     * below the peak, a log z shows the valley instead of a flat sheet and a wall */
    size_t below = 0;
    for (size_t i = 0; i < sf.n; i++)
        if (sf.f[i] - sf.fstar < hi * 1e-2) below++;
    int logz = below > sf.n / 2;
    gp_script b;
    gp_begin(&b);
    grid_block(b.f, &sf, logz, lo);
    char title[512];
    ob_pathf(title, sizeof title, "%s: the surface f(x1, x2) - f*%s", w,
             logz ? " (log scale)" : "");
    gp_common(b.f, title);
    fprintf(b.f, "set border 31 lc rgb '#555555'\nset grid xtics ytics ztics\n"
                       "set view 58, 32, 1, 1.05\nset xyplane relative 0.05\n"
                       "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n"
                       "set xlabel 'x_1'\nset ylabel 'x_2'\nset tics mirror in\n"
                       "set zlabel \"%s\" rotate parallel\n%s"
                       "set pm3d at s depthorder %s\n"
                       "set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', "
                       "0.75 '#5ec962', 1 '#fde725')\n"
                       "set cblabel \"%s\"\nunset key\n",
                   sf.box[0], sf.box[1], sf.box[2], sf.box[3],
                   logz ? "f - f* (log scale)" : "f - f*",
                   logz ? "set format z '10^{%.0f}'\nset format cb '10^{%.0f}'\n" : "",
                   /* a mesh helps the eye on a coarse grid and turns to moiré on a fine one */
                   sf.n <= 60 * 60 ? "border lc rgb '#606060' lw 0.5" : "noborder",
                   logz ? "f - f* (log scale)" : "f - f*");
    fputs("splot $G using 1:2:3 with pm3d notitle\n", b.f);
    surface_free(&sf);
    s = gp_render(&b, png, 960, 720, err);
    return s;
}
