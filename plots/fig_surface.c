/* fig_surface.c - the 2-D surfaces with the optimizers' paths: contours with every seed's
 * path, small multiples (a panel per optimizer), an animation, and a 3-D view; drawn for
 * a results directory (surfaces/W.meta.csv, runs/W/OPT/seed-S.csv) and, through the
 * ob_draw_* functions, for run CSVs (plots/fig_runs.c). */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/contours.h"
#include "plots/draw.h"
#include "plots/figopts.h"
#include "plots/gnuplot.h"
#include "plots/paths.h"
#include "plots/recipes.h"

#define GRID_FINE OB_CONTOUR_GRID /* grid points a side: contour (161) */

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static int cmp_style(const void *a, const void *b)
{
    return ob_style_cmp(*(const char *const *)a, *(const char *const *)b);
}

/* The seeds S of the files d/seed-S.csv (or .csv.gz: compacted runs, which the table
 * reader finds under the .csv name), sorted, each once; returns how many (<= cap). */
static size_t seeds_of(const char *d, long *seed, size_t cap)
{
    DIR *dir = opendir(d);
    if (!dir) return 0;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) && n < cap) {
        char *end;
        if (strncmp(e->d_name, "seed-", 5) != 0) continue;
        long v = strtol(e->d_name + 5, &end, 10);
        if (end != e->d_name + 5 && (strcmp(end, ".csv") == 0 || strcmp(end, ".csv.gz") == 0) &&
            v >= 0)
            seed[n++] = v;
    }
    closedir(dir);
    qsort(seed, n, sizeof *seed, cmp_long);
    size_t m = 0;
    for (size_t k = 0; k < n; k++)
        if (m == 0 || seed[k] != seed[m - 1]) seed[m++] = seed[k];
    return m;
}

/* The paths of workload w: per optimizer (canonical order) every seed's run (or only the
 * lowest seed's when all is 0), the lowest seed highlighted; with pick set, only the
 * optimizers ob_paths_pick chooses.  *total: how many optimizers w has. */
static ob_status bench_paths(const char *dir, const char *w, int all, int pick, ob_paths *ps,
                             size_t *total, ob_error *err)
{
    memset(ps, 0, sizeof *ps);
    char path[4096], *opt[OB_MAX_SERIES];
    size_t nopt = 0;
    DIR *d = opendir(ob_pathf(path, sizeof path, "%s/runs/%s", dir, w));
    struct dirent *e;
    while (d && (e = readdir(d)) && nopt < OB_MAX_SERIES)
        if (e->d_name[0] != '.' && (opt[nopt] = strdup(e->d_name))) nopt++;
    if (d) closedir(d);
    qsort(opt, nopt, sizeof *opt, cmp_style);
    *total = nopt;
    const char *chosen[OB_PICK_MAX];
    size_t nchosen = pick ? ob_paths_pick(dir, w, (const char *const *)opt, nopt, chosen,
                                          OB_PICK_MAX)
                          : 0;
    ob_status s = OB_OK;
    int listed = ob_fig_options_get()->n_optimizers > 0; /* --optimizers: those, always */
    for (size_t k = 0; k < nopt; k++) {
        int drawn = !pick;
        for (size_t j = 0; j < nchosen; j++) drawn |= strcmp(chosen[j], opt[k]) == 0;
        if (listed) drawn = ob_fig_wants(opt[k]);
        if (!drawn) continue;
        long seed[256];
        char sub[4096], csv[4200];
        size_t ns = seeds_of(ob_pathf(sub, sizeof sub, "%s/%s", path, opt[k]), seed, 256);
        for (size_t j = 0; j < ns && (all || j == 0) && s == OB_OK; j++) {
            ob_path p;
            if (ob_path_read(ob_pathf(csv, sizeof csv, "%s/seed-%ld.csv", sub, seed[j]), &p, NULL) != OB_OK)
                continue;
            snprintf(p.optimizer, sizeof p.optimizer, "%s", opt[k]);
            snprintf(p.label, sizeof p.label, "%s", opt[k]);
            p.seed = (int)seed[j];
            p.highlight = j == 0;
            s = ob_paths_add(ps, &p, err);
            free(p.x);
        }
    }
    for (size_t k = 0; k < nopt; k++) free(opt[k]);
    if (s == OB_OK && ps->n == 0)
        s = ob_fail(err, OB_EDATA, "%s/runs/%s: no 2-D run with x1,x2 columns", dir, w);
    if (s != OB_OK) ob_paths_free(ps);
    return s;
}

/* "seed 1 thick, seeds 2-5 thin": which runs a figure of ps shows */
static void seeds_note(const ob_paths *ps, char *out, size_t cap)
{
    int lo = -1, hi = -1, thin = 0, one = -1, same = 1;
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        if (p->highlight) {
            if (one >= 0 && p->seed != one) same = 0;
            one = p->seed;
            continue;
        }
        thin = 1;
        if (lo < 0 || p->seed < lo) lo = p->seed;
        if (p->seed > hi) hi = p->seed;
    }
    char first[48];
    snprintf(first, sizeof first, same && one >= 0 ? "seed %d" : "first seed", one);
    if (thin)
        snprintf(out, cap, "%s thick, seed%s %d%s%.0d thin", first, lo == hi ? "" : "s", lo,
                 lo == hi ? "" : "-", lo == hi ? 0 : hi);
    else
        snprintf(out, cap, "%s", first);
}

/* the surface of w with its box fitted to ps (bench_paths) */
static ob_status load(const char *dir, const char *w, int all, int pick, ob_surface *sf,
                      ob_paths *ps, size_t *total, ob_error *err)
{
    ob_status s = ob_surface_from_results(sf, dir, w, err);
    if (s != OB_OK) return s;
    if ((s = bench_paths(dir, w, all, pick, ps, total, err)) != OB_OK) {
        ob_surface_free(sf);
        return s;
    }
    ob_surface_fit(sf, ps, 0);
    ob_surface_box_option(sf);
    return OB_OK;
}

typedef ob_status (*surface_draw)(const ob_surface *, const ob_paths *, const char *title,
                                  const char *out, ob_error *err);

/* the optimizers of ps in order of first appearance; returns how many */
static size_t optimizers_in(const ob_paths *ps, const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < ps->n; k++) {
        size_t j = 0;
        while (j < n && strcmp(out[j], ps->v[k].optimizer) != 0) j++;
        if (j == n && n < cap) out[n++] = ps->v[k].optimizer;
    }
    return n;
}

/* One figure of w's surface: the paths load() reads (all: every seed's; pick: only the
 * optimizers ob_paths_pick chooses), and the title "W: WHAT (seeds...)", with "N of M
 * optimizers" when some were left out. */
static ob_status surface_figure(const char *dir, const char *w, int all, int pick,
                                const char *what, surface_draw draw, const char *out,
                                ob_error *err)
{
    ob_surface sf;
    ob_paths ps;
    size_t total = 0;
    ob_status s = load(dir, w, all, pick, &sf, &ps, &total, err);
    if (s != OB_OK) return s;
    const char *names[OB_MAX_SERIES];
    size_t drawn = optimizers_in(&ps, names, OB_MAX_SERIES);
    char note[96], some[64] = "", title[512];
    seeds_note(&ps, note, sizeof note);
    if (drawn < total) snprintf(some, sizeof some, "; %zu of %zu optimizers", drawn, total);
    ob_pathf(title, sizeof title, "%s: %s (%s%s)", w, what, note, some);
    s = draw(&sf, &ps, title, out, err);
    ob_paths_free(&ps);
    ob_surface_free(&sf);
    return s;
}

ob_status ob_plot_contour(const char *dir, const char *w, const char *png, ob_error *err)
{
    return surface_figure(dir, w, 0, 1, "f - f* and the optimizers' paths", ob_draw_contour,
                          png, err);
}

ob_status ob_plot_multiples(const char *dir, const char *w, const char *png, ob_error *err)
{
    return surface_figure(dir, w, 1, 0, "each optimizer's paths", ob_draw_multiples, png, err);
}

ob_status ob_plot_contours(const char *dir, const char *w, ob_error *err)
{
    ob_surface sf;
    ob_paths ps;
    size_t total;
    ob_status s = load(dir, w, 0, 1, &sf, &ps, &total, err);
    if (s != OB_OK) return s;
    ob_contours c;
    char near[4096];
    s = ob_contours_get(&sf, ob_pathf(near, sizeof near, "%s/figures/contours-%s", dir, w), &c,
                        err);
    ob_contours_release(&c);
    ob_paths_free(&ps);
    ob_surface_free(&sf);
    return s;
}

ob_status ob_plot_animation(const char *dir, const char *w, const char *gif, ob_error *err)
{
    return surface_figure(dir, w, 0, 1, "the optimizers' paths", ob_draw_animation, gif, err);
}

ob_status ob_plot_surface3d(const char *dir, const char *w, const char *png, ob_error *err)
{
    return surface_figure(dir, w, 0, 1, "the surface f - f* and the optimizers' paths",
                          ob_draw_surface3d, png, err);
}

/* ---- the drawings ---- */

ob_status ob_contour_panel(FILE *b, const ob_surface *sf, const ob_paths *ps, int key_columns,
                           const char *lines, ob_error *err)
{
    ob_zrange zr;
    ob_status s = ob_surface_grid(b, sf, GRID_FINE, 1, &zr, err);
    if (s != OB_OK) return s;
    size_t exits = ob_paths_blocks(b, ps, sf->box, 2000);
    ob_surface_minimizer_block(b, sf, 0, 0);
    gp_key_below(b, key_columns);
    ob_surface_axes(b, sf, &zr);
    fputs("set rmargin 15\n", b); /* the colour bar, its ticks and its label */
    fputs("plot $G using 1:2:3 with image notitle, \\\n  ", b);
    ob_contours_clause(b, lines, "#6e6e6e", 0.8);
    ob_paths_clauses(b, ps, sf, exits, 1);
    fputs("\n", b);
    return OB_OK;
}

ob_status ob_draw_contour(const ob_surface *sf, const ob_paths *ps, const char *title,
                          const char *out, ob_error *err)
{
    ob_contours c;
    char near[4300];
    ob_status s = ob_contours_get(sf, ob_gnuplot_near(out, near, sizeof near), &c, err);
    if (s != OB_OK) return s;
    gp_script b;
    gp_begin(&b);
    gp_common(b.f, title);
    s = ob_contour_panel(b.f, sf, ps, 6, c.path, err);
    if (s != OB_OK) {
        gp_free(&b);
    } else {
        /* the canvas fits the box: a box drawn to scale (ob_surface_axes: aspect between
         * 1/3 and 3) that is wider than tall gets a lower canvas rather than white bands
         * above and below it; about 690 pixels of plot width, a title, axis labels and
         * the legend's rows (4 entries a row: the paths, start, end, exits, minimizer) */
        double ax = (sf->box[1] - sf->box[0]) / (sf->box[3] - sf->box[2]);
        int h = 860;
        if (ax > 1 && ax < 3) {
            int rows = (int)(ps->n + 5 + 3) / 4;
            h = (int)(690 / ax) + 130 + 20 * rows;
            if (h > 860) h = 860;
        }
        s = gp_render(&b, out, 900, h, err);
    }
    ob_contours_release(&c);
    return s;
}

/* a tick spacing of 1, 2 or 5 times a power of ten giving about four ticks over span */
static double tick_step(double span)
{
    double raw = span / 4, p = pow(10, floor(log10(raw))), m = raw / p;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/* A title that fits width pixels at font size pt (about 0.72 pt a character, pngcairo
 * drawing DejaVu Sans): whole, or
 * cut into two lines before its " (", written as a gnuplot string expression.  Returns
 * the number of lines. */
static int fitted_title(FILE *b, const char *title, int width, double pt)
{
    const char *cut = strstr(title, " (");
    if ((double)strlen(title) * 0.72 * pt <= width - 24 || !cut) {
        gp_quoted(b, title);
        return 1;
    }
    char first[512];
    snprintf(first, sizeof first, "%.*s", (int)(cut - title), title);
    gp_quoted(b, first);
    fputs(".\"\\n\".", b);
    gp_quoted(b, cut + 1);
    return 2;
}

/* the paths of ps drawn by optimizer name, as a view into v (room for ps->n paths) */
static ob_paths paths_of(const ob_paths *ps, const char *name, ob_path *v)
{
    ob_paths sub = {.v = v};
    for (size_t k = 0; k < ps->n; k++)
        if (strcmp(ps->v[k].optimizer, name) == 0) v[sub.n++] = ps->v[k];
    return sub;
}

#define PANEL_W 250 /* pixels a panel of the small multiples, with its margins */
#define PANEL_H 250

ob_status ob_draw_multiples(const ob_surface *sf, const ob_paths *ps, const char *title,
                            const char *out, ob_error *err)
{
    const char *opt[OB_MAX_SERIES];
    size_t n = optimizers_in(ps, opt, OB_MAX_SERIES);
    if (n == 0) return ob_fail(err, OB_EDATA, "%s: no paths to draw", out);
    int cols = (int)ceil(sqrt((double)n)), rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
    /* each panel's box fitted to its optimizer's paths, every seed's (the points a seed
     * that flies off reaches out of the problem's box do not count: ob_surface_fit) */
    double (*box)[4] = malloc(n * sizeof *box), uni[4] = {INFINITY, -INFINITY, INFINITY, -INFINITY};
    ob_path *v = malloc((ps->n + 1) * sizeof *v);
    if (!box || !v) {
        free(box);
        free(v);
        return ob_fail(err, OB_ENOMEM, "out of memory");
    }
    const ob_fig_options *fo = ob_fig_options_get();
    for (size_t j = 0; j < n; j++) {
        ob_paths sub = paths_of(ps, opt[j], v);
        ob_surface panel = *sf;
        /* --box: that box; --box shared: one box fitted to every path */
        ob_surface_fit(&panel, fo->box_shared ? ps : &sub, 1);
        ob_surface_box_option(&panel);
        memcpy(box[j], panel.box, sizeof box[j]);
        for (int a = 0; a < 2; a++)
            uni[2 * a] = fmin(uni[2 * a], box[j][2 * a]),
            uni[2 * a + 1] = fmax(uni[2 * a + 1], box[j][2 * a + 1]);
    }
    /* one colour scale for every panel: the one of the box they all fit in */
    ob_surface all = *sf;
    memcpy(all.box, uni, sizeof uni);
    gp_script b, scratch;
    ob_zrange zr;
    gp_begin(&scratch);
    ob_status s = ob_surface_grid(scratch.f, &all, OB_SHADE_GRID, 1, &zr, err);
    gp_free(&scratch);
    int width = PANEL_W * cols + 20;
    gp_begin(&b);
    gp_common(b.f, "");
    fputs("unset key\nunset colorbox\nunset xlabel\nunset ylabel\nunset title\nset size noratio\n"
          "set tics font ',8'\nset format x '%g'\nset format y '%g'\n", b.f);
    ob_surface_bands(b.f, &zr);
    fputs("set multiplot title ", b.f);
    int lines = fitted_title(b.f, title, width, 13);
    fputs(" noenhanced font ',13'\n", b.f);
    int top = 14 + 20 * lines, height = top + PANEL_H * rows + 6;
    for (size_t j = 0; j < n && s == OB_OK; j++) { /* one panel per optimizer */
        ob_paths sub = paths_of(ps, opt[j], v);
        ob_surface panel = *sf;
        memcpy(panel.box, box[j], sizeof box[j]);
        if ((s = ob_surface_grid_as(b.f, &panel, OB_SHADE_GRID, "G", 1, &zr, 1, err)) != OB_OK)
            break;
        size_t exits = ob_paths_blocks(b.f, &sub, panel.box, 500);
        ob_surface_minimizer_block(b.f, &panel, 0, 0);
        int r = (int)j / cols, c = (int)j % cols;
        double x0 = 10 + c * PANEL_W, y0 = height - top - r * PANEL_H; /* pixels, from the
                                                                          bottom left */
        fprintf(b.f, "set lmargin at screen %.5f\nset rmargin at screen %.5f\n"
                     "set tmargin at screen %.5f\nset bmargin at screen %.5f\n"
                     "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n"
                     "set xtics %.10g\nset ytics %.10g\nset label 1 ",
                (x0 + 46) / width, (x0 + PANEL_W - 12) / width, (y0 - 32) / height,
                (y0 - PANEL_H + 24) / height, box[j][0], box[j][1], box[j][2], box[j][3],
                tick_step(box[j][1] - box[j][0]), tick_step(box[j][3] - box[j][2]));
        /* the panel's name in the strip above its plot, clear of the tick labels of the
         * row above */
        gp_quoted(b.f, opt[j]);
        fprintf(b.f, " at screen %.5f, screen %.5f center noenhanced font ',11'\n"
                     "plot $G using 1:2:3 with image notitle",
                (x0 + 46 + x0 + PANEL_W - 12) / 2 / width, (y0 - 21) / height);
        ob_paths_clauses(b.f, &sub, &panel, exits, 0);
        fputs("\n", b.f);
    }
    free(box);
    free(v);
    if (s != OB_OK) {
        gp_free(&b);
        return s;
    }
    fputs("unset multiplot\n", b.f);
    return gp_render(&b, out, width, height, err);
}
