/* paths.h - 2-D figures with optimizer paths on a surface: the surface (a problem
 * instance created again from its name and options, or the stored grid of a results
 * directory), the paths (trajectory CSVs), the box fitted to them (plots/box.h), and
 * the gnuplot pieces every such figure shares: the shaded grid, its contour lines, the
 * clipped paths with their start, end and exit markers.  Internal to plots/. */
#ifndef OB_PATHS_H
#define OB_PATHS_H

#include <stddef.h>
#include <stdio.h>

#include "common/ob.h"
#include "problems/problem.h"

typedef struct {
    char optimizer[64];  /* the style (plots/style.h) */
    char label[160];     /* the legend entry */
    int seed;            /* -1 when unknown */
    int highlight;       /* drawn thick, with markers and a legend entry */
    const char *color;   /* '#rrggbb' instead of the optimizer's, or NULL */
    size_t n;
    double *x, *y, *step, *loss; /* (n) the logged rows, one allocation */
} ob_path;

typedef struct {
    ob_path *v;
    size_t n, cap;
} ob_paths;

/* Reads the x1, x2, step and loss columns of a trajectory CSV into p (label and
 * optimizer left empty).  OB_EDATA naming the file when it has no x1,x2 columns. */
ob_status ob_path_read(const char *csv, ob_path *p, ob_error *err);
/* Moves p into ps (p is emptied); OB_ENOMEM. */
ob_status ob_paths_add(ob_paths *ps, ob_path *p, ob_error *err);
void ob_paths_free(ob_paths *ps);

typedef struct {
    char name[160];      /* for titles: the problem or the workload */
    double pbox[4];      /* the problem's box: xmin, xmax, ymin, ymax */
    double box[4];       /* the box drawn (ob_surface_fit) */
    double star[2];
    int has_star;
    double fstar;        /* f* (NaN: unknown; the grid's minimum stands in) */
    ob_problem prob;
    int has_prob;        /* f is evaluated on a grid over box */
    double *gx, *gy, *gf; /* otherwise the stored grid (surfaces/W.csv) */
    size_t gn;
} ob_surface;

/* The surface of problem (name) with options popts (problems/problem_opts.h text; NULL
 * or "": the defaults).  OB_EDATA when it is not a 2-D problem with a plotting box. */
ob_status ob_surface_from_problem(ob_surface *s, const char *problem, const char *popts,
                                  ob_error *err);
/* The surface of workload w of results directory dir: the problem named by
 * surfaces/W.meta.csv (or by the summaries of runs/W/), else the stored grid. */
ob_status ob_surface_from_results(ob_surface *s, const char *dir, const char *w, ob_error *err);
/* box := the box fitted to the paths of ps (the highlighted ones, or every one when
 * every is set), every path's start and the minimizer (plots/box.h).  Of a path, the
 * points inside the problem's box count, and its last finite point: a run that flies off
 * and comes back, or diverges, does not set everyone's box; where a path leaves the box
 * a cross marks it, and so do the thin paths of other seeds.  Without a problem to
 * evaluate, the box stays within the stored grid's box. */
void ob_surface_fit(ob_surface *s, const ob_paths *ps, int every);
/* box := the box of the figure options in force (plot --box), when one is set. */
void ob_surface_box_option(ob_surface *s);
void ob_surface_free(ob_surface *s);

/* The colour scale: z = log10(max(f - f*, 10^zlo)), from zlo (the 2% quantile of the
 * grid's z, so that a surface whose minimum is one point, like Rastrigin's, is not
 * shaded nearly white) to zhi (the largest); levels every dz. */
typedef struct {
    double zlo, zhi, dz;
    double fstar; /* the f* the gaps were taken from (the grid's minimum when unknown) */
    double low_frac; /* the fraction of the grid whose gap is below 1% of the largest */
} ob_zrange;

/* Data block $G: z over the box as gnuplot's grid format (g points a side when f can
 * be evaluated), log10 of the gap when logz, else the gap; the scale into zr.  The
 * contour lines at zr's levels: plots/contours.h. */
ob_status ob_surface_grid(FILE *b, const ob_surface *s, int g, int logz, ob_zrange *zr,
                          ob_error *err);
/* The same as data block $name; with fixed set, zr is the scale to use (a panel of a
 * figure whose panels share one colour scale) and only its fstar is set. */
ob_status ob_surface_grid_as(FILE *b, const ob_surface *s, int g, const char *name, int logz,
                             ob_zrange *zr, int fixed, ob_error *err);
/* Ranges, labels and the colour scale (ob_surface_bands) of a contour figure over s->box. */
void ob_surface_axes(FILE *b, const ob_surface *s, const ob_zrange *zr);
/* The filled contours' colour scale: a light sequential map from OB_SHADE_DARK (the
 * lowest gaps) to OB_SHADE_LIGHT, in one flat band per level of zr (every dz), so that
 * the shading is the contour map and the paths drawn on it stay readable. */
void ob_surface_bands(FILE *b, const ob_zrange *zr);
/* (OB_SHADE_DARK, OB_SHADE_MID and OB_SHADE_LIGHT: plots/style.h, whose palette is
 * checked against them) */

/* Data blocks $P<k> (path k clipped to box: "x y step", a blank line where it leaves),
 * $S (starts), $E (ends: "x y rgb") and $X (where a path leaves the box: "x y rgb").
 * About cap points a path at most.  Returns the number of exits. */
size_t ob_paths_blocks(FILE *b, const ob_paths *ps, const double box[4], size_t cap);
/* Data block $M: the problem's curve of minimizers inside s->box (problems/problem.h's
 * minimizer_curve; a saddle's hyperbola), "x y" a point, or "x y z" at height z when
 * three_d, two blank lines between branches (two data sets: splot draws no mesh).  Returns 1 when it wrote points (the
 * minimizers are a curve the figure draws), 0 when the problem has no such curve, the
 * surface no problem (a stored grid), or the curve misses the box (no block then). */
int ob_surface_minimizer_block(FILE *b, const ob_surface *s, double z, int three_d);
/* its colour: a pale yellow no optimizer has (plots/style.c), seen on the grey shading */
#define OB_MINSET_COLOR "#ffd92f"
/* The plot clauses (each starting with ", ") of the paths, the starts, the ends, the
 * exits and the minimizer (with the curve of $M when the problem has one, which
 * ob_surface_minimizer_block must then have written); legend: titles on the highlighted
 * paths. */
void ob_paths_clauses(FILE *b, const ob_paths *ps, const ob_surface *s, size_t exits,
                      int legend);

/* The frames of an animation of paths: the logged steps (up to until) of all paths in order, cut into
 * chunks, one frame showing every path up to the end of each chunk: at most cap frames,
 * at least min(10, cap) (frames repeat a step when there are fewer logged steps).
 * Writes the last step of each frame into limit; returns the number of frames. */
size_t ob_anim_frames(const ob_paths *ps, double until, long *limit, size_t cap);
/* The logged step from which every highlighted path of ps stays within OB_ANIM_STILL of
 * the box's sides (box units) of where it ends: an animation ends there, as nothing moves
 * after it (-inf when no path has a finite point). */
#define OB_ANIM_STILL 0.005
double ob_anim_still(const ob_paths *ps, const double box[4]);

/* The figures themselves (plots/fig_surface.c), from a surface whose box is fitted and
 * the paths on it; title: the figure's title; out: the file (its extension picks the
 * format, plots/gnuplot.h). */
ob_status ob_draw_contour(const ob_surface *s, const ob_paths *ps, const char *title,
                          const char *out, ob_error *err);
/* The contour as one plot command into b (data blocks, axes, the plot), for a figure
 * of several panels; the legend below in key_columns columns; lines: the contour lines'
 * file (plots/contours.h), which must outlive the script. */
ob_status ob_contour_panel(FILE *b, const ob_surface *s, const ob_paths *ps, int key_columns,
                           const char *lines, ob_error *err);
/* One panel per optimizer (in the order of ps, highlighted paths first seen), each with
 * that optimizer's paths on the same contours. */
ob_status ob_draw_multiples(const ob_surface *s, const ob_paths *ps, const char *title,
                            const char *out, ob_error *err);
/* An animated GIF: every highlighted path moving together, a frame per chunk of logged
 * steps (ob_anim_frames), a step counter. */
ob_status ob_draw_animation(const ob_surface *s, const ob_paths *ps, const char *title,
                            const char *out, ob_error *err);
/* The 3-D surface over s->box with the highlighted paths on it. */
ob_status ob_draw_surface3d(const ob_surface *s, const ob_paths *ps, const char *title,
                            const char *out, ob_error *err);

#define OB_ANIM_MAX_FRAMES 40

/* The optimizers an overlaid path figure of workload w draws by default
 * (plots/paths_pick.c): of names[0..n), the classics gd, momentum and adam, then the best
 * ranked on w (ranking_analytic.csv or ranking_net.csv of dir; the reference methods are
 * unranked), OB_PICK_MAX at most, in the canonical order.  Without a ranking the canonical
 * order fills up.  Returns how many, into out (pointers into names or static names). */
#define OB_PICK_MAX 6
size_t ob_paths_pick(const char *dir, const char *w, const char *const *names, size_t n,
                     const char **out, size_t cap);

#endif
