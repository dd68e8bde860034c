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
 * lowest seed's when all is 0), the lowest seed highlighted. */
static ob_status bench_paths(const char *dir, const char *w, int all, ob_paths *ps, ob_error *err)
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
    ob_status s = OB_OK;
    for (size_t k = 0; k < nopt; k++) {
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

/* the surface of w with its box fitted to ps */
static ob_status load(const char *dir, const char *w, int all, ob_surface *sf, ob_paths *ps,
                      ob_error *err)
{
    ob_status s = ob_surface_from_results(sf, dir, w, err);
    if (s != OB_OK) return s;
    if ((s = bench_paths(dir, w, all, ps, err)) != OB_OK) {
        ob_surface_free(sf);
        return s;
    }
    ob_surface_fit(sf, ps);
    return OB_OK;
}

typedef ob_status (*surface_draw)(const ob_surface *, const ob_paths *, const char *title,
                                  const char *out, ob_error *err);

/* drops the paths of ps that are not highlighted */
static void keep_highlighted(ob_paths *ps)
{
    size_t m = 0;
    for (size_t k = 0; k < ps->n; k++)
        if (ps->v[k].highlight)
            ps->v[m++] = ps->v[k];
        else
            free(ps->v[k].x);
    ps->n = m;
}

/* One figure of w's surface: the paths load() reads (all: every seed's), of which only the
 * highlighted ones when highlighted is set (the animation: with all set, it keeps the
 * contour figure's box, every seed's start in it, so that the contour lines traced once
 * serve it too: plots/contours.h), and the title "W: WHAT (seeds...EXTRA)". */
static ob_status surface_figure(const char *dir, const char *w, int all, int highlighted,
                                const char *what, const char *extra, surface_draw draw,
                                const char *out, ob_error *err)
{
    ob_surface sf;
    ob_paths ps;
    ob_status s = load(dir, w, all, &sf, &ps, err);
    if (s != OB_OK) return s;
    if (highlighted) keep_highlighted(&ps);
    char note[96], title[512];
    seeds_note(&ps, note, sizeof note);
    ob_pathf(title, sizeof title, "%s: %s (%s%s)", w, what, note, extra);
    s = draw(&sf, &ps, title, out, err);
    ob_paths_free(&ps);
    ob_surface_free(&sf);
    return s;
}

ob_status ob_plot_contour(const char *dir, const char *w, const char *png, ob_error *err)
{
    return surface_figure(dir, w, 1, 0, "contours of f - f* and the optimizers' paths", "",
                          ob_draw_contour, png, err);
}

ob_status ob_plot_multiples(const char *dir, const char *w, const char *png, ob_error *err)
{
    return surface_figure(dir, w, 1, 0, "each optimizer's paths", "; circles: the starts",
                          ob_draw_multiples, png, err);
}

ob_status ob_plot_contours(const char *dir, const char *w, ob_error *err)
{
    ob_surface sf;
    ob_paths ps;
    ob_status s = load(dir, w, 1, &sf, &ps, err);
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
    return surface_figure(dir, w, 1, 1, "the optimizers' paths", "", ob_draw_animation, gif,
                          err);
}

ob_status ob_plot_surface3d(const char *dir, const char *w, const char *png, ob_error *err)
{
    return surface_figure(dir, w, 0, 0, "the surface f - f* and the optimizers' paths", "",
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
    if (s != OB_OK)
        gp_free(&b);
    else
        s = gp_render(&b, out, 900, 860, err);
    ob_contours_release(&c);
    return s;
}

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

ob_status ob_draw_multiples(const ob_surface *sf, const ob_paths *ps, const char *title,
                            const char *out, ob_error *err)
{
    const char *opt[OB_MAX_SERIES];
    size_t n = optimizers_in(ps, opt, OB_MAX_SERIES);
    if (n == 0) return ob_fail(err, OB_EDATA, "%s: no paths to draw", out);
    int cols = (int)ceil(sqrt((double)n)), rows = (int)((n + (size_t)cols - 1) / (size_t)cols);
    ob_contours c;
    gp_script b;
    ob_zrange zr;
    char near[4300];
    ob_status s = ob_contour_script(sf, ob_gnuplot_near(out, near, sizeof near), &c, &b, &zr,
                                    err);
    if (s != OB_OK) return s;
    ob_surface_minimizer_block(b.f, sf, 0, 0);
    gp_common(b.f, "");
    ob_surface_axes(b.f, sf, &zr);
    fputs("unset key\nunset colorbox\nunset xlabel\nunset ylabel\nset size noratio\n"
          "set tics font ',8'\nset title font ',11'\n", b.f);
    fprintf(b.f, "set multiplot layout %d,%d title ", rows, cols);
    gp_quoted(b.f, title);
    fputs(" noenhanced font ',13' margins 0.04,0.99,0.04,0.93 spacing 0.035,0.085\n", b.f);
    for (size_t j = 0; j < n; j++) { /* one panel per optimizer */
        ob_paths sub = {0};
        ob_path v[256];
        for (size_t k = 0; k < ps->n && sub.n < 256; k++)
            if (strcmp(ps->v[k].optimizer, opt[j]) == 0) v[sub.n++] = ps->v[k];
        sub.v = v;
        size_t exits = ob_paths_blocks(b.f, &sub, sf->box, 500);
        fputs("set title ", b.f);
        gp_quoted(b.f, opt[j]);
        fputs(" noenhanced\nplot $G using 1:2:3 with image notitle, \\\n  ", b.f);
        ob_contours_clause(b.f, c.path, "#7a7a7a", 0.6);
        ob_paths_clauses(b.f, &sub, sf, exits, 0);
        fputs("\n", b.f);
    }
    fputs("unset multiplot\n", b.f);
    s = gp_render(&b, out, 250 * cols + 20, 240 * rows + 50, err);
    ob_contours_release(&c);
    return s;
}
