/* paths_draw.c - the gnuplot pieces of the 2-D path figures: the grid and its colour
 * scale, clipped paths and their markers, animation frames (paths.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/stats.h"
#include "plots/box.h"
#include "plots/draw.h"
#include "plots/paths.h"
#include "plots/style.h"

#define MIN_MOVE 2e-3        /* a point nearer than this (in box units) to the last is dropped */
#define Z_QUANTILE 0.02      /* the colour scale starts at this quantile of the grid's z */

/* a nice level spacing: about ten levels between lo and hi */
static double nice_step(double span)
{
    static const double nice[] = {0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50};
    for (size_t k = 0; k < sizeof nice / sizeof *nice; k++)
        if (span / nice[k] <= 12) return nice[k];
    return pow(10, ceil(log10(span / 10)));
}

/* f at grid point (i, j) of g a side over s->box, or of the stored grid (j unused) */
static void grid_point(const ob_surface *s, int g, size_t i, size_t j, double *x, double *y,
                       double *f)
{
    if (s->has_prob) {
        double p[2] = {s->box[0] + (s->box[1] - s->box[0]) * (double)i / (g - 1),
                       s->box[2] + (s->box[3] - s->box[2]) * (double)j / (g - 1)};
        *x = p[0], *y = p[1], *f = ob_problem_f(&s->prob, p);
    } else {
        *x = s->gx[i], *y = s->gy[i], *f = s->gf[i];
    }
}

ob_status ob_surface_grid(FILE *b, const ob_surface *s, int g, int logz, ob_zrange *zr,
                          ob_error *err)
{
    return ob_surface_grid_as(b, s, g, "G", logz, zr, 0, err);
}

ob_status ob_surface_grid_as(FILE *b, const ob_surface *s, int g, const char *name, int logz,
                             ob_zrange *zr, int fixed, ob_error *err)
{
    size_t n = s->has_prob ? (size_t)g * (size_t)g : s->gn;
    double *v = malloc(4 * n * sizeof *v);
    if (!v) return ob_fail(err, OB_ENOMEM, "out of memory");
    double *xs = v + n, *ys = xs + n, *z = ys + n, fmin = INFINITY;
    for (size_t k = 0; k < n; k++) {
        grid_point(s, g, s->has_prob ? k / (size_t)g : k, k % (size_t)g, &xs[k], &ys[k], &v[k]);
        if (v[k] < fmin) fmin = v[k];
    }
    /* unknown: the grid's minimum; a fixed scale keeps its own (another box's) */
    double fstar = fixed ? zr->fstar : isfinite(s->fstar) ? s->fstar : fmin;
    zr->fstar = fstar;
    size_t m = 0, low = 0;
    double ghi = 0;
    for (size_t k = 0; k < n; k++)
        if (isfinite(v[k] - fstar) && v[k] - fstar > ghi) ghi = v[k] - fstar;
    for (size_t k = 0; k < n; k++) {
        double gap = v[k] - fstar;
        if (gap < 1e-2 * ghi) low++;
        if (isfinite(gap) && (gap > 0 || !logz)) z[m++] = logz ? log10(gap) : gap;
    }
    if (!fixed) {
        zr->zlo = 0, zr->zhi = 1;
        zr->low_frac = n ? (double)low / (double)n : 0;
        if (m > 0) {
            ob_sort(z, m);
            zr->zhi = z[m - 1];
            zr->zlo = logz ? ob_quantile_sorted(z, m, Z_QUANTILE) : z[0];
        }
        if (logz && zr->zhi - zr->zlo < 0.5) zr->zlo = zr->zhi - 0.5;
        if (!logz && !(zr->zhi > zr->zlo)) zr->zhi = zr->zlo + 1;
        zr->dz = logz ? nice_step(zr->zhi - zr->zlo) : (zr->zhi - zr->zlo) / 10;
    }
    gp_block_begin(b, name);
    for (size_t k = 0; k < n; k++) {
        /* scan lines end where the outer coordinate changes (x on the evaluated grid) */
        int new_scan = k > 0 && (s->has_prob ? k % (size_t)g == 0
                                 : n > 1 && xs[1] == xs[0] ? xs[k] != xs[k - 1]
                                                           : ys[k] != ys[k - 1]);
        if (new_scan) fputs("\n", b);
        double gap = v[k] - fstar;
        double zz = logz ? log10(gap > 0 ? gap : 0) : gap;
        if (logz && !(zz >= zr->zlo)) zz = zr->zlo; /* below the scale (or f = f*): its floor */
        z[k] = zz;
        /* 6 digits: a figure's pixel is 1e-3 of its box, a colour 1/256 of its range */
        if (isfinite(zz))
            fprintf(b, "%.6g %.6g %.6g\n", xs[k], ys[k], zz);
        else
            fprintf(b, "%.6g %.6g NaN\n", xs[k], ys[k]);
    }
    gp_block_end(b);
    free(v);
    return OB_OK;
}

void ob_surface_bands(FILE *b, const ob_zrange *zr)
{
    /* one band a level: the range widened to whole levels, a colour each */
    double lo = floor(zr->zlo / zr->dz + 1e-9) * zr->dz, hi = ceil(zr->zhi / zr->dz - 1e-9) * zr->dz;
    if (!(hi > lo)) hi = lo + zr->dz;
    int bands = (int)lround((hi - lo) / zr->dz);
    double tic = zr->dz < 0.5 ? 2 * zr->dz : zr->dz;
    fprintf(b, "set palette defined (0 '%s', 0.45 '%s', 1 '%s')\nset palette maxcolors %d\n"
               "set cbrange [%.10g:%.10g]\nset cbtics %g\nset format cb '10^{%s}'\n",
            OB_SHADE_DARK, OB_SHADE_MID, OB_SHADE_LIGHT, bands < 2 ? 2 : bands, lo, hi, tic,
            tic < 1 ? "%.1f" : "%.0f");
}

void ob_surface_axes(FILE *b, const ob_surface *s, const ob_zrange *zr)
{
    double ax = (s->box[1] - s->box[0]) / (s->box[3] - s->box[2]);
    fprintf(b, "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n%s"
               "set xlabel 'x_1'\nset ylabel 'x_2'\nset grid noxtics noytics\n"
               "set cblabel 'f - f* (log scale; a band every %g decade%s)' offset 2,0\n",
            s->box[0], s->box[1], s->box[2], s->box[3],
            ax > 1.0 / 3 && ax < 3 ? "set size ratio -1\n" : "", zr->dz, zr->dz == 1 ? "" : "s");
    ob_surface_bands(b, zr);
}

static long rgb_of(const char *hex) { return strtol(hex + 1, NULL, 16); }

/* the style of path p: its optimizer's, in its own colour when it has one */
static ob_style style_of(const ob_path *p)
{
    ob_style st = ob_style_of(p->optimizer);
    if (p->color) st.color = p->color;
    return st;
}

static int inside(const double box[4], double x, double y)
{
    return x >= box[0] && x <= box[1] && y >= box[2] && y <= box[3];
}

/* one past the last finite point of path p (0: none) */
static size_t end_of(const ob_path *p)
{
    size_t i = p->n;
    while (i > 0 && !(isfinite(p->x[i - 1]) && isfinite(p->y[i - 1]))) i--;
    return i;
}

/* the indices of path p worth drawing: finite, moved by MIN_MOVE, about cap at most (the
 * rows are taken every n/cap-th when there are more) */
static size_t thin(const ob_path *p, const double box[4], size_t cap, size_t *keep)
{
    double sx = box[1] - box[0], sy = box[3] - box[2], lx = NAN, ly = NAN;
    size_t n = 0, stride = p->n > cap ? (p->n + cap - 1) / cap : 1;
    for (size_t i = 0; i < p->n; i++) {
        if (!isfinite(p->x[i]) || !isfinite(p->y[i])) continue;
        int last = i + 1 == p->n;
        double dx = (p->x[i] - lx) / sx, dy = (p->y[i] - ly) / sy;
        if (n > 0 && !last && (i % stride || !(dx * dx + dy * dy > MIN_MOVE * MIN_MOVE))) continue;
        keep[n++] = i, lx = p->x[i], ly = p->y[i];
    }
    return n;
}

/* path p as data block $P<k>, clipped to box; its exits into x (a data block's text) */
static size_t path_block(FILE *b, size_t k, const ob_path *p, const double box[4], size_t cap,
                         FILE *x, long rgb)
{
    size_t *keep = malloc((p->n + 1) * sizeof *keep), exits = 0;
    fprintf(b, "$P%zu << EOD\n", k);
    size_t n = keep ? thin(p, box, cap, keep) : 0;
    int down = 0; /* the pen: the last point written is inside */
    for (size_t j = 0; j < n; j++) {
        size_t i = keep[j];
        if (j == 0) {
            if ((down = inside(box, p->x[i], p->y[i])))
                fprintf(b, "%.10g %.10g %.10g\n", p->x[i], p->y[i], p->step[i]);
            continue;
        }
        size_t h = keep[j - 1];
        double t0, t1, x0 = p->x[h], y0 = p->y[h], dx = p->x[i] - x0, dy = p->y[i] - y0;
        if (!ob_box_clip(box, x0, y0, p->x[i], p->y[i], &t0, &t1)) continue;
        if (!down) /* entering: a new piece from the border */
            fprintf(b, "\n%.10g %.10g %.10g\n", x0 + t0 * dx, y0 + t0 * dy, p->step[i]);
        fprintf(b, "%.10g %.10g %.10g\n", x0 + t1 * dx, y0 + t1 * dy, p->step[i]);
        down = t1 >= 1;
        if (!down) {
            fprintf(x, "%.10g %.10g %ld\n", x0 + t1 * dx, y0 + t1 * dy, rgb);
            exits++;
        }
    }
    gp_block_end(b);
    free(keep);
    return exits;
}

size_t ob_paths_blocks(FILE *b, const ob_paths *ps, const double box[4], size_t cap)
{
    gp_script xs;
    gp_begin(&xs);
    size_t exits = 0;
    for (size_t k = 0; k < ps->n; k++)
        exits += path_block(b, k, &ps->v[k], box, cap, xs.f, rgb_of(style_of(&ps->v[k]).color));
    gp_finish(&xs);
    fprintf(b, "$X << EOD\n%sEOD\n", xs.text);
    gp_free(&xs);
    gp_block_begin(b, "S");
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        if (p->n && inside(box, p->x[0], p->y[0])) fprintf(b, "%.10g %.10g\n", p->x[0], p->y[0]);
    }
    gp_block_end(b);
    gp_block_begin(b, "E");
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        size_t i = end_of(p);
        if (i > 0 && inside(box, p->x[i - 1], p->y[i - 1]))
            fprintf(b, "%.10g %.10g %ld\n", p->x[i - 1], p->y[i - 1],
                    rgb_of(style_of(p).color));
    }
    gp_block_end(b);
    return exits;
}

/* 1 when some path of ps ends (or starts) inside box: the $E (or $S) block has a point */
static int any_inside(const ob_paths *ps, const double box[4], int ends)
{
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        size_t i = ends ? end_of(p) : p->n > 0;
        if (i > 0 && inside(box, p->x[i - 1], p->y[i - 1])) return 1;
    }
    return 0;
}

#define MINSET_POINTS 801 /* points of a curve of minimizers, both branches */

/* the problem's curve of minimizers in s->box into xy (2 * MINSET_POINTS); the points */
static size_t minimizer_points(const ob_surface *s, double *xy)
{
    if (!s->has_prob || !s->prob.type->minimizer_curve) return 0;
    return s->prob.type->minimizer_curve(&s->prob, s->box, xy, MINSET_POINTS);
}

int ob_surface_minimizer_block(FILE *b, const ob_surface *s, double z, int three_d)
{
    double xy[2 * MINSET_POINTS];
    size_t n = minimizer_points(s, xy);
    if (n == 0) return 0;
    gp_block_begin(b, "M");
    for (size_t i = 0; i < n; i++) {
        if (isnan(xy[2 * i])) fputs("\n\n", b); /* between branches: two blank lines, so
                                                   that splot draws two curves, not a mesh */
        else if (three_d) fprintf(b, "%.10g %.10g %.10g\n", xy[2 * i], xy[2 * i + 1], z);
        else fprintf(b, "%.10g %.10g\n", xy[2 * i], xy[2 * i + 1]);
    }
    gp_block_end(b);
    return 1;
}

void ob_paths_clauses(FILE *b, const ob_paths *ps, const ob_surface *s, size_t exits, int legend)
{
    double xy[2 * MINSET_POINTS];
    int curve = minimizer_points(s, xy) > 0; /* the minimizers are a curve: drawn under the
                                                paths, as a wide band of its own colour */
    if (curve)
        fprintf(b, ", \\\n  $M using 1:2 with lines lc rgb '%s' lw 5 %s", OB_MINSET_COLOR,
                legend ? "title 'minimizers (a curve)'" : "notitle");
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        ob_style st = style_of(p);
        if (!p->highlight) { /* a thin, half-transparent line */
            fprintf(b, ", \\\n  $P%zu using 1:2 with lines lc rgb '#88%s' lw 0.8 dt %d notitle", k,
                    st.color + 1, st.dash);
            continue;
        }
        fprintf(b, ", \\\n  $P%zu using 1:2 with linespoints pi %zu ", k,
                p->n / 10 > 0 ? p->n / 10 : 1);
        gp_style_spec(b, &st, 2.2);
        if (legend) {
            fputs(" title ", b);
            gp_quoted(b, p->label[0] ? p->label : p->optimizer);
        } else {
            fputs(" notitle", b);
        }
    }
    /* an empty block makes gnuplot warn: a path that leaves the box at once has no end
     * in it, a start outside the box none either */
    if (any_inside(ps, s->box, 0))
        fprintf(b, ", \\\n  $S using 1:2 with points pt 6 ps 1.1 lw 1.5 lc rgb '#000000' %s",
                legend ? "title 'start'" : "notitle");
    int ends = any_inside(ps, s->box, 1);
    if (ends) fputs(", \\\n  $E using 1:2:3 with points pt 7 ps 1.1 lc rgb variable notitle", b);
    if (legend && ends)
        fputs(", \\\n  keyentry with points pt 7 ps 1.1 lc rgb '#000000' title 'end'", b);
    if (exits)
        fprintf(b, ", \\\n  $X using 1:2:3 with points pt 2 ps 2.2 lw 2.5 lc rgb variable notitle%s",
                legend ? ", \\\n  keyentry with points pt 2 ps 2.2 lw 2.5 lc rgb '#000000' "
                         "title 'leaves the box'" : "");
    if (s->has_star && inside(s->box, s->star[0], s->star[1]))
        fprintf(b, ", \\\n  '+' using (%.10g):(%.10g) every ::0::0 with points pt 3 ps 3.2 lw 2.5 "
                   "lc rgb '#000000' %s",
                s->star[0], s->star[1],
                !legend ? "notitle" : curve ? "title 'x* (one of them)'" : "title 'minimizer x*'");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double ob_anim_still(const ob_paths *ps, const double box[4])
{
    double sx = box[1] - box[0], sy = box[3] - box[2], until = -INFINITY;
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        size_t e = end_of(p);
        if (!p->highlight || e == 0) continue;
        /* the first logged step from which the path stays near where it ends */
        size_t i = e - 1;
        while (i > 0) {
            double dx = (p->x[i - 1] - p->x[e - 1]) / sx, dy = (p->y[i - 1] - p->y[e - 1]) / sy;
            if (!(dx * dx + dy * dy <= OB_ANIM_STILL * OB_ANIM_STILL)) break;
            i--;
        }
        if (isfinite(p->step[i]) && p->step[i] > until) until = p->step[i];
    }
    return until;
}

size_t ob_anim_frames(const ob_paths *ps, double until, long *limit, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < ps->n; k++) n += ps->v[k].n;
    double *u = malloc((n + 1) * sizeof *u);
    if (!u || cap == 0) {
        free(u);
        return 0;
    }
    size_t d = 0;
    for (size_t k = 0; k < ps->n; k++)
        for (size_t i = 0; i < ps->v[k].n; i++)
            if (isfinite(ps->v[k].step[i]) && ps->v[k].step[i] <= until) u[d++] = ps->v[k].step[i];
    qsort(u, d, sizeof *u, cmp_double);
    size_t m = 0; /* the distinct logged steps */
    for (size_t i = 0; i < d; i++)
        if (m == 0 || u[i] != u[m - 1]) u[m++] = u[i];
    size_t f = m < cap ? m : cap, min = cap < 10 ? cap : 10;
    if (f < min) f = min;
    /* frame j ends at the last step of chunk j: chunks of m/f logged steps */
    for (size_t j = 0; m > 0 && j < f; j++) limit[j] = (long)u[((j + 1) * m + f - 1) / f - 1];
    free(u);
    return m > 0 ? f : 0;
}
