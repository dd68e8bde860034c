/* fig_runs.c - figures of run CSVs (optbench run): the paths of 2-D runs on their
 * contour, the gap and the gradient norm against steps and gradient evaluations, and a
 * one-file overview for `run --plot` (see runplots.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plots/contours.h"
#include "plots/draw.h"
#include "plots/gnuplot.h"
#include "plots/paths.h"
#include "plots/runplots.h"
#include "runs/runfile.h"
#include "runs/traj.h"

#define MAX_ROWS 1500      /* rows drawn per run: more than a figure can show */

typedef struct {
    char stem[160], label[200], optimizer[64], problem[64], popts[1024];
    const char *color;
    double fstar;         /* NaN when unknown */
    ob_table t;
    int c_step, c_loss, c_gnorm, c_evals;
    int dim2;             /* x1, x2 and no x3 */
} run_csv;

static void stem_of(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(out, cap, "%.*s", (int)ob_csv_stem_len(base), base);
}

/* the first row's cell of column name ("" when there is none) */
static const char *cell(const ob_table *t, const char *name)
{
    return ob_table_str(t, 0, ob_table_col(t, name));
}

/* csv and its summary (when there is one: the optimizer, the learning rate, the problem
 * and its options, f*) */
static ob_status run_load(const char *csv, run_csv *r, ob_error *err)
{
    memset(r, 0, sizeof *r);
    r->fstar = NAN;
    ob_status s = ob_table_read(csv, &r->t, err);
    if (s != OB_OK) return s;
    const char *need[] = {"step", "loss", "grad_norm"};
    int c[3];
    if ((s = ob_need_cols(&r->t, csv, need, c, 3, err)) != OB_OK) return s;
    r->c_step = c[0], r->c_loss = c[1], r->c_gnorm = c[2];
    r->c_evals = ob_table_col(&r->t, "evals");
    r->dim2 = ob_table_col(&r->t, "x1") >= 0 && ob_table_col(&r->t, "x2") >= 0 &&
              ob_table_col(&r->t, "x3") < 0;
    stem_of(csv, r->stem, sizeof r->stem);
    snprintf(r->label, sizeof r->label, "%s", r->stem);
    ob_table m;
    int have = ob_run_summary_beside(csv, &m, NULL) == OB_OK;
    if (!have) return OB_OK; /* no summary: the stem names the run, the loss stands for the gap */
    if (m.rows > 0) {
        snprintf(r->optimizer, sizeof r->optimizer, "%s", cell(&m, "optimizer"));
        snprintf(r->problem, sizeof r->problem, "%s", cell(&m, "problem"));
        snprintf(r->popts, sizeof r->popts, "%s", cell(&m, "problem_options"));
        if (strcmp(cell(&m, "f_star_kind"), "unknown") != 0)
            r->fstar = ob_table_num(&m, 0, ob_table_col(&m, "f_star"));
        double lr = ob_table_num(&m, 0, ob_table_col(&m, "lr"));
        if (*r->optimizer && isfinite(lr))
            snprintf(r->label, sizeof r->label, "%s, lr %.3g", r->optimizer, lr);
    }
    ob_table_free(&m);
    return OB_OK;
}

typedef struct {
    run_csv *v;
    size_t n;
    int gap;              /* every run knows f*: y is f - f*, else the loss */
    int evals;            /* every run has an evals column */
} run_set;

static void runs_free(run_set *rs)
{
    for (size_t k = 0; k < rs->n; k++) ob_table_free(&rs->v[k].t);
    free(rs->v);
    memset(rs, 0, sizeof *rs);
}

static ob_status runs_load(const char *const *csv, size_t n, run_set *rs, ob_error *err)
{
    memset(rs, 0, sizeof *rs);
    if (!(rs->v = calloc(n ? n : 1, sizeof *rs->v))) return ob_fail(err, OB_ENOMEM, "out of memory");
    rs->gap = rs->evals = 1;
    for (size_t k = 0; k < n; k++) {
        ob_status s = run_load(csv[k], &rs->v[k], err);
        rs->n = k + 1;
        if (s != OB_OK) {
            runs_free(rs);
            return s;
        }
        rs->gap &= isfinite(rs->v[k].fstar);
        rs->evals &= rs->v[k].c_evals >= 0;
    }
    /* colours: an optimizer's own, a series colour for its second run and after */
    for (size_t k = 0; k < n; k++) {
        run_csv *r = &rs->v[k];
        for (size_t j = 0; j < k; j++)
            if (!strcmp(rs->v[j].optimizer, r->optimizer) || !strcmp(rs->v[j].label, r->label))
                r->color = ob_series_color(k);
        for (size_t j = 0; j < k; j++)
            if (!strcmp(rs->v[j].label, r->label)) {
                size_t l = strlen(r->label);
                snprintf(r->label + l, sizeof r->label - l, " (%s)", r->stem);
                break;
            }
    }
    return OB_OK;
}

static double run_y(const run_set *rs, const run_csv *r, size_t i, int what)
{
    if (what == 1) return ob_table_num(&r->t, i, r->c_gnorm);
    double f = ob_table_num(&r->t, i, r->c_loss);
    return rs->gap ? f - r->fstar : f;
}

/* $R<k>: step evals y gnorm per run; the y axes' ranges into lo/hi (what 0: gap or loss,
 * 1: gradient norm), log when every value is positive, or for the gap when the others
 * are 0 (or below: rounding): those are drawn on a floor, fl[w] (0: none), a decade under
 * the smallest positive value, which the figure shows as a line and names in its key.
 * Every positive value is drawn where it is, however small (a run at 8.8e-30 is there). */
static void runs_blocks(FILE *b, const run_set *rs, double lo[2], double hi[2], int logy[2],
                        double fl[2])
{
    int zero[2] = {0, 0};
    for (int w = 0; w < 2; w++) lo[w] = INFINITY, hi[w] = -INFINITY, logy[w] = 1, fl[w] = 0;
    for (size_t k = 0; k < rs->n; k++) {
        const run_csv *r = &rs->v[k];
        size_t rows = r->t.rows, stride = rows > MAX_ROWS ? (rows + MAX_ROWS - 1) / MAX_ROWS : 1;
        fprintf(b, "$R%zu << EOD\n", k);
        for (size_t i = 0; i < rows; i++) {
            if (i % stride && i + 1 != rows) continue;
            gp_num(b, ob_table_num(&r->t, i, r->c_step));
            fputs(" ", b);
            gp_num(b, r->c_evals >= 0 ? ob_table_num(&r->t, i, r->c_evals) : NAN);
            for (int w = 0; w < 2; w++) {
                double y = run_y(rs, r, i, w);
                fputs(" ", b);
                gp_num(b, y);
                if (!isfinite(y)) continue;
                if (y <= 0) zero[w] = 1;
                if (y <= 0 && !(w == 0 && rs->gap)) logy[w] = 0; /* a gap of 0 sits on the floor */
                if (y > 0 && y < lo[w]) lo[w] = y;
                if (y > hi[w]) hi[w] = y;
            }
            fputs("\n", b);
        }
        gp_block_end(b);
    }
    for (int w = 0; w < 2; w++) {
        if (!isfinite(lo[w]) || !isfinite(hi[w])) lo[w] = 1e-16, hi[w] = 1, logy[w] = 1;
        if (logy[w]) {
            hi[w] = ob_decade_up(hi[w] * 1.5);
            lo[w] = ob_decade_down(lo[w]);
            if (lo[w] >= hi[w]) lo[w] = hi[w] / 10;
            if (zero[w]) fl[w] = lo[w] /= 10, lo[w] /= 3; /* the floor's line above the axis */
        }
    }
}

/* one panel: y (2: gap or loss, 3: gradient norm) against x (0: steps, 1: evaluations) */
static void curve_panel(FILE *b, const run_set *rs, int x, int w, const double *lo,
                        const double *hi, const int *logy, const double *fl, int key)
{
    const char *yl = w ? "gradient norm ‖∇f(x)‖" : rs->gap ? "f(x) - f*" : "loss f(x)";
    fprintf(b, "unset logscale\nset autoscale x\nset xrange [0:*]\nset xlabel '%s'\n"
               "set ylabel \"%s%s\"\n%s",
            x ? "sample-gradient evaluations" : "steps (parameter updates)", yl,
            logy[w] ? " (log scale)" : "", key ? "" : "unset key\n");
    if (logy[w])
        fprintf(b, "set logscale y\nset format y '10^{%%L}'\nset yrange [%g:%g]\n", lo[w], hi[w]);
    else
        fputs("set format y '%g'\nset autoscale y\n", b);
    fputs("plot ", b);
    for (size_t k = 0; k < rs->n; k++) {
        const run_csv *r = &rs->v[k];
        ob_style st = ob_style_of(r->optimizer[0] ? r->optimizer : r->stem);
        if (r->color) st.color = r->color;
        /* values of 0 (or below) are drawn on the floor, which is drawn and named below */
        if (logy[w] && fl[w] > 0)
            fprintf(b, "%s$R%zu using %d:($%d > 0 ? $%d : %g) with lines ", k ? ", \\\n  " : "",
                    k, x + 1, w + 3, w + 3, fl[w]);
        else
            fprintf(b, "%s$R%zu using %d:%d with lines ", k ? ", \\\n  " : "", k, x + 1, w + 3);
        fprintf(b, "lc rgb '%s' lw 2 dt %d title ", st.color, st.dash);
        gp_quoted(b, r->label);
    }
    if (logy[w] && fl[w] > 0) {
        char t[160];
        snprintf(t, sizeof t, "%s <= 0 drawn at %.0e", w ? "‖∇f‖" : "f - f*", fl[w]);
        fprintf(b, ", \\\n  %g with lines lc rgb '#606060' lw 1 dt 3 title ", fl[w]);
        gp_quoted(b, t);
    }
    fputs("\n", b);
}

/* a figure of panels side by side: (x, w) pairs */
static ob_status curves_figure(const run_set *rs, const char *title, const int (*panels)[2],
                               int np, const char *out, ob_error *err)
{
    gp_script b;
    gp_begin(&b);
    double lo[2], hi[2], fl[2];
    int logy[2];
    runs_blocks(b.f, rs, lo, hi, logy, fl);
    gp_common(b.f, "");
    fputs("set key top right box opaque noenhanced\n", b.f);
    fprintf(b.f, "set multiplot layout 1,%d title ", np);
    gp_quoted(b.f, title);
    fputs(" noenhanced font ',13'\n", b.f);
    for (int p = 0; p < np; p++) curve_panel(b.f, rs, panels[p][0], panels[p][1], lo, hi, logy, fl, p == 0);
    fputs("unset multiplot\n", b.f);
    return gp_render(&b, out, np > 1 ? 1300 : 800, 560, err);
}

/* the options of an instance without its seed ("kappa=100;seed=3" -> "kappa=100") */
static void without_seed(const char *po, char *out, size_t cap)
{
    const char *sd = strstr(po, "seed=");
    size_t n = sd && (sd == po || sd[-1] == ';') ? (size_t)(sd - po) : strlen(po);
    snprintf(out, cap, "%.*s", (int)n, po);
}

/* 1 when the instances popts a and b of problem give the same f: equal at a 7 x 7 grid
 * over the problem's box (a seed moves the start points of every problem, and changes the
 * instance of some: a rotated quadratic, a data set) */
static int same_instance(const char *problem, const char *a, const char *b)
{
    if (!strcmp(a, b)) return 1;
    ob_surface sa, sb;
    if (ob_surface_from_problem(&sa, problem, a, NULL) != OB_OK) return 0;
    if (ob_surface_from_problem(&sb, problem, b, NULL) != OB_OK) {
        ob_surface_free(&sa);
        return 0;
    }
    int same = 1;
    for (int i = 0; i < 7 && same; i++)
        for (int j = 0; j < 7 && same; j++) {
            const double *bx = sa.prob.box;
            double x[2] = {bx[0] + (bx[1] - bx[0]) * i / 6.0, bx[2] + (bx[3] - bx[2]) * j / 6.0};
            double fa = ob_problem_f(&sa.prob, x), fb = ob_problem_f(&sb.prob, x);
            same = fa == fb || fabs(fa - fb) <= 1e-12 * (1 + fabs(fa));
        }
    ob_surface_free(&sa);
    ob_surface_free(&sb);
    return same;
}

/* The surface of the runs' problem, its box fitted to their paths: every run 2-D, of one
 * problem instance (options equal but for the seed, and the same f), named by its
 * summary. */
static ob_status runs_surface(const run_set *rs, const char *const *csv, ob_surface *sf,
                              ob_paths *ps, ob_error *err)
{
    memset(ps, 0, sizeof *ps);
    char a[1024], b2[1024];
    for (size_t k = 0; k < rs->n; k++) {
        const run_csv *r = &rs->v[k];
        if (!r->dim2)
            return ob_fail(err, OB_EINVAL, "%s: not a 2-D run (no x1,x2 columns, or more): no "
                           "contour to draw its path on", csv[k]);
        if (!*r->problem)
            return ob_fail(err, OB_EINVAL, "%s: its summary (%s.summary.csv) is missing or does "
                           "not name the problem, which the contour needs", csv[k], r->stem);
        without_seed(r->popts, a, sizeof a);
        without_seed(rs->v[0].popts, b2, sizeof b2);
        if (strcmp(r->problem, rs->v[0].problem) != 0 || strcmp(a, b2) != 0)
            return ob_fail(err, OB_EINVAL, "%s is a run of %s%s%s, %s of %s%s%s: one contour "
                           "needs runs of one problem instance; plot them separately", csv[0],
                           rs->v[0].problem, *b2 ? " " : "", b2, csv[k], r->problem, *a ? " " : "", a);
        if (!same_instance(r->problem, rs->v[0].popts, r->popts))
            return ob_fail(err, OB_EINVAL, "%s (%s) and %s (%s) are runs of two instances of %s "
                           "(their seeds give different functions): one contour needs runs of "
                           "one problem instance; plot them separately", csv[0],
                           rs->v[0].popts, csv[k], r->popts, r->problem);
    }
    ob_status s = ob_surface_from_problem(sf, rs->v[0].problem, rs->v[0].popts, err);
    if (s != OB_OK) return s == OB_EDATA ? OB_EINVAL : s;
    for (size_t k = 0; k < rs->n && s == OB_OK; k++) {
        ob_path p;
        if ((s = ob_path_read(csv[k], &p, err)) != OB_OK) break;
        const run_csv *r = &rs->v[k];
        snprintf(p.optimizer, sizeof p.optimizer, "%.63s", *r->optimizer ? r->optimizer : r->stem);
        snprintf(p.label, sizeof p.label, "%.159s", r->label);
        p.color = r->color;
        p.highlight = 1;
        s = ob_paths_add(ps, &p, err);
    }
    if (s != OB_OK) {
        ob_paths_free(ps);
        ob_surface_free(sf);
        return s;
    }
    ob_surface_fit(sf, ps, 0);
    ob_surface_box_option(sf);
    return OB_OK;
}

static void fig_path(const ob_csv_plot_opts *o, const char *kind, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s-%s.%s", o->outdir, o->stem, kind, o->format);
}

static ob_status record(ob_csv_plot_opts *o, const char *path, ob_status s)
{
    if (s == OB_OK && o->n_written < sizeof o->written / sizeof *o->written)
        snprintf(o->written[o->n_written++], sizeof *o->written, "%s", path);
    return s;
}

ob_status ob_plot_run_csvs(const char *const *csv, size_t n, ob_csv_plot_opts *o, ob_error *err)
{
    run_set rs;
    ob_status s = runs_load(csv, n, &rs, err);
    if (s != OB_OK) return s;
    int any2 = 0;
    for (size_t k = 0; k < rs.n; k++) any2 |= rs.v[k].dim2;
    char out[4096], title[512];
    const char *what = rs.gap ? "f - f*" : "the loss";
    if (any2) { /* 2-D runs: their paths on one contour */
        ob_surface sf;
        ob_paths ps;
        s = runs_surface(&rs, csv, &sf, &ps, err);
        if (s == OB_OK) {
            ob_pathf(title, sizeof title, "%s: contours of f - f* and the paths", sf.name);
            fig_path(o, "contour", out, sizeof out);
            s = record(o, out, ob_draw_contour(&sf, &ps, title, out, err));
            ob_paths_free(&ps);
            ob_surface_free(&sf);
        }
    }
    static const int gap_panels[2][2] = {{0, 0}, {1, 0}}, gn_panels[2][2] = {{0, 1}, {1, 1}};
    int np = rs.evals ? 2 : 1;
    const char *p = rs.v[0].problem, *against = rs.evals ? "steps and sample-gradient evaluations" : "steps";
    if (s == OB_OK) {
        ob_pathf(title, sizeof title, "%s%s%s against %s", p, *p ? ": " : "", what, against);
        fig_path(o, "gap", out, sizeof out);
        s = record(o, out, curves_figure(&rs, title, gap_panels, np, out, err));
    }
    if (s == OB_OK) {
        ob_pathf(title, sizeof title, "%s%sthe gradient norm against %s", p, *p ? ": " : "", against);
        fig_path(o, "gnorm", out, sizeof out);
        s = record(o, out, curves_figure(&rs, title, gn_panels, np, out, err));
    }
    if (s == OB_OK) s = ob_plot_sharpness_of(csv, n, o, err);
    runs_free(&rs);
    return s;
}

ob_status ob_plot_run_overview(const char *csv, const char *out, ob_error *err)
{
    run_set rs;
    ob_status s = runs_load(&csv, 1, &rs, err);
    if (s != OB_OK) return s;
    char title[512];
    ob_pathf(title, sizeof title, "%s%s%s", rs.v[0].problem, *rs.v[0].problem ? ": " : "",
             rs.v[0].label);
    static const int panels[2][2] = {{0, 0}, {0, 1}};
    if (!rs.v[0].dim2) {
        s = curves_figure(&rs, title, panels, 2, out, err);
        runs_free(&rs);
        return s;
    }
    ob_surface sf;
    ob_paths ps;
    ob_contours c = {0};
    char near[4300];
    if ((s = runs_surface(&rs, &csv, &sf, &ps, err)) == OB_OK &&
        (s = ob_contours_get(&sf, ob_gnuplot_near(out, near, sizeof near), &c, err)) != OB_OK) {
        ob_paths_free(&ps);
        ob_surface_free(&sf);
    } else if (s == OB_OK) {
        gp_script b;
        gp_begin(&b);
        double lo[2], hi[2], fl[2];
        int logy[2];
        runs_blocks(b.f, &rs, lo, hi, logy, fl);
        gp_common(b.f, "");
        fputs("set multiplot title ", b.f);
        gp_quoted(b.f, title);
        fputs(" noenhanced font ',13'\nset origin 0,0\nset size 0.56,0.95\n", b.f);
        s = ob_contour_panel(b.f, &sf, &ps, 3, c.path, err);
        fputs("set size noratio\nset origin 0.57,0\nset size 0.43,0.95\nunset colorbox\n"
              "set key inside top right vertical box opaque noenhanced\n"
              "set grid xtics ytics\n", b.f);
        curve_panel(b.f, &rs, 0, 0, lo, hi, logy, fl, 1);
        fputs("unset multiplot\n", b.f);
        if (s == OB_OK)
            s = gp_render(&b, out, 1500, 700, err);
        else
            gp_free(&b);
        ob_contours_release(&c);
        ob_paths_free(&ps);
        ob_surface_free(&sf);
    }
    runs_free(&rs);
    return s;
}

ob_status ob_plot_run_animation(const char *const *csv, size_t n, const char *gif, ob_error *err)
{
    run_set rs;
    ob_status s = runs_load(csv, n, &rs, err);
    if (s != OB_OK) return s;
    ob_surface sf;
    ob_paths ps;
    if ((s = runs_surface(&rs, csv, &sf, &ps, err)) == OB_OK) {
        char title[512];
        ob_pathf(title, sizeof title, "%s: the path%s", sf.name, n > 1 ? "s" : "");
        s = ob_draw_animation(&sf, &ps, title, gif, err);
        ob_paths_free(&ps);
        ob_surface_free(&sf);
    }
    runs_free(&rs);
    return s;
}
