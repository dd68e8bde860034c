/* fig_interactive.c - the interactive curve figure of a workload, for index.html only
 * (report/html.c): gnuplot's svg terminal with mousing (`set terminal svg mouse
 * standalone`), one SVG per (quantity, x axis), gathered into one gzipped HTML fragment,
 * figures/curves-W.html.gz:
 *
 *   <script type="text/plain" class="ob-gplib">gnuplot_svg.js</script>
 *   <div class="iview" data-q="gap" data-qname="loss gap" data-x="steps"
 *        data-xname="steps"><svg ...>...</svg></div>   (one per view)
 *
 * The script is the mousing code gnuplot embeds in a standalone SVG (its js/gnuplot_svg.js,
 * read by gnuplot at plot time, never kept in this repository), taken out of the SVGs and
 * kept once: the page runs it once and attaches it to every SVG.  With it a reader hides
 * and shows an optimizer by clicking its key entry, reads the coordinates under the
 * pointer after a click, zooms with the wheel, pans by dragging, resets with a right
 * click; the page's buttons switch between the views.
 *
 * An analytic workload (curves/W.csv): the loss gap and the gradient norm against steps,
 * sample-gradient evaluations (where the table has the column) and seconds (not on a 2-D
 * surface, whose steps cost microseconds: timer noise), medians over seeds, no bands.
 * A network (netcurves/W.csv, netsteps/W.csv): loss and accuracy, validation (solid, the
 * key entry) and training (dashed, hidden and shown with it) against epochs, steps (from
 * the step log) and seconds.  At most I_MAX_POINTS points a line. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/interrupt.h"
#include "common/outfile.h"
#include "common/text.h"
#include "plots/draw.h"
#include "plots/figopts.h"
#include "plots/gnuplot.h"
#include "plots/recipes.h"

#define I_MAX_POINTS 300  /* per line: a 900-pixel-wide figure shows no more */
#define I_MAX_VIEWS 8
#define I_FLOOR_DECADES 20 /* as the still figures' log axes (fig_curves.c) */
#define I_TERMINAL "set terminal svg mouse standalone size 900,600 enhanced font 'DejaVu Sans,12'\n"

/* one view: a quantity against an x axis */
typedef struct {
    const char *q, *qname, *x, *xname;
} i_view;

typedef struct {
    gp_script b;
    i_view v[I_MAX_VIEWS];
    size_t n;
} i_fig;

/* Opens view (q, x) in the script: its output file is the k-th scratch file. */
static void view_begin(i_fig *F, const char *q, const char *qname, const char *x,
                       const char *xname, const char *title)
{
    F->v[F->n] = (i_view){q, qname, x, xname};
    fprintf(F->b.f, "set output '@SVG%zu@'\n", F->n++);
    fputs("reset\nunset logscale\n", F->b.f);
    gp_common(F->b.f, title);
    gp_key_right(F->b.f);
}

/* the stride that leaves at most I_MAX_POINTS of n points */
static size_t stride_of(size_t n) { return n > I_MAX_POINTS ? (n + I_MAX_POINTS - 1) / I_MAX_POINTS : 1; }

/* ---- analytic workloads: curves/W.csv ---- */

enum { C_OPT, C_STEP, C_GAP, C_GNORM, C_EVALS, C_SECONDS };

/* top and floor of a log axis for column c: a decade above the largest start value, the
 * smallest positive value but at most I_FLOOR_DECADES below the top (fig_curves.c) */
static void log_range(const ob_table *t, const int *col, int c, const char **opt, size_t nopt,
                      size_t *idx, double *floor_, double *top)
{
    double hi = 0, lo = INFINITY;
    for (size_t k = 0; k < nopt; k++) {
        size_t n = ob_rows_where(t, col[C_OPT], opt[k], idx, t->rows);
        if (n == 0) continue;
        double y0 = ob_table_num(t, idx[0], col[c]);
        if (isfinite(y0) && y0 > hi) hi = y0;
        for (size_t i = 0; i < n; i++) {
            double y = ob_table_num(t, idx[i], col[c]);
            if (isfinite(y) && y > 0 && y < lo) lo = y;
        }
    }
    if (!(hi > 0)) hi = isfinite(lo) ? lo : 1;
    *top = ob_decade_up(hi * 1.5);
    *floor_ = isfinite(lo) ? ob_decade_down(lo) : *top * 1e-6;
    if (*floor_ < *top * pow(10, -I_FLOOR_DECADES)) *floor_ = *top * pow(10, -I_FLOOR_DECADES);
    if (*floor_ >= *top) *floor_ = *top / 10;
}

static ob_status analytic_script(i_fig *F, const char *dir, const char *w, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/curves/%s.csv", dir, w);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    static const char *const names[] = {"optimizer", "step", "gap_median", "gnorm_median"};
    int col[6];
    col[C_EVALS] = ob_table_col(&t, "evals");
    col[C_SECONDS] = ob_table_col(&t, "seconds");
    size_t *idx = malloc((t.rows + 1) * sizeof *idx);
    if (!idx) s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK) s = ob_need_cols(&t, path, names, col, 4, err);
    if (s == OB_OK && t.rows == 0) s = ob_fail(err, OB_EDATA, "%s: no rows", path);
    const char *opt[OB_MAX_SERIES];
    size_t nopt = s == OB_OK ? ob_optimizers_drawn(&t, col[C_OPT], opt, OB_MAX_SERIES) : 0;
    if (s == OB_OK && nopt == 0) s = ob_fail(err, OB_EDATA, "%s: none of the optimizers to draw", path);
    if (s != OB_OK) {
        free(idx);
        ob_table_free(&t);
        return s;
    }
    /* the data: per optimizer one block, columns step evals seconds gap gnorm */
    double xmax[3] = {0, 0, 0}; /* step, evals, seconds */
    for (size_t k = 0; k < nopt; k++) {
        size_t n = ob_rows_where(&t, col[C_OPT], opt[k], idx, t.rows), st = stride_of(n);
        fprintf(F->b.f, "$D%zu << EOD\n", k);
        for (size_t i = 0; i < n; i++) {
            if (i % st != 0 && i != n - 1) continue;
            static const int xs[3] = {C_STEP, C_EVALS, C_SECONDS};
            for (int j = 0; j < 3; j++) {
                double x = ob_table_num(&t, idx[i], col[xs[j]]); /* NaN: no column */
                if (isfinite(x) && x > xmax[j]) xmax[j] = x;
                gp_num(F->b.f, x);
                fputs(" ", F->b.f);
            }
            gp_num(F->b.f, ob_table_num(&t, idx[i], col[C_GAP]));
            fputs(" ", F->b.f);
            gp_num(F->b.f, ob_table_num(&t, idx[i], col[C_GNORM]));
            fputs("\n", F->b.f);
        }
        gp_block_end(F->b.f);
    }
    /* time means little on a 2-D surface (registry.c's has_curves_timed) */
    char sp[4096], mp[4096];
    int surface = ob_file_exists(ob_pathf(sp, sizeof sp, "%s/surfaces/%s.csv", dir, w)) &&
                  ob_file_exists(ob_pathf(mp, sizeof mp, "%s/surfaces/%s.meta.csv", dir, w));
    static const struct {
        const char *q, *qname, *ylabel, *what;
        int ycol, using; /* the quantity's column in the table and in $D */
    } Q[2] = {{"gap", "loss gap", "loss gap f(x) - f* (log scale; median over seeds)", "loss gap",
               C_GAP, 4},
              {"gnorm", "gradient norm", "gradient norm ‖∇f(x)‖ (log scale; median over seeds)",
               "gradient norm", C_GNORM, 5}};
    static const struct {
        const char *x, *xname, *xlabel, *against;
        int logx;
    } X[3] = {{"steps", "steps", "steps (parameter updates)", "steps", 0},
              {"evals", "gradient evaluations", "sample-gradient evaluations (log scale)",
               "sample-gradient evaluations", 1},
              {"seconds", "seconds", "optimization time (seconds)", "time", 0}};
    for (int q = 0; q < 2; q++) {
        double floor_, top;
        log_range(&t, col, Q[q].ycol, opt, nopt, idx, &floor_, &top);
        for (int x = 0; x < 3; x++) {
            if ((x == 1 && (col[C_EVALS] < 0 || !(xmax[1] > 0))) ||
                (x == 2 && (surface || col[C_SECONDS] < 0 || !(xmax[2] > 0))))
                continue;
            char title[512];
            ob_pathf(title, sizeof title, "%s: %s against %s", w, Q[q].what, X[x].against);
            view_begin(F, Q[q].q, Q[q].qname, X[x].x, X[x].xname, title);
            fprintf(F->b.f, "set logscale y\nset format y '10^{%%L}'\nset yrange [%g:%g]\n"
                            "set xlabel \"%s\"\nset ylabel \"%s\"\n",
                    floor_, top, X[x].xlabel, Q[q].ylabel);
            if (X[x].logx)
                fprintf(F->b.f, "set logscale x\nset format x '10^{%%L}'\nset xrange [1:%g]\n",
                        ob_decade_up(xmax[x] > 1 ? xmax[x] : 10));
            else
                fprintf(F->b.f, "set xrange [0:%g]\n", xmax[x] > 0 ? xmax[x] : 1);
            fputs("plot ", F->b.f);
            for (size_t k = 0; k < nopt; k++) {
                ob_style st = ob_style_of(opt[k]);
                size_t n = ob_rows_where(&t, col[C_OPT], opt[k], idx, t.rows);
                n = n / stride_of(n) + 1;
                /* values at or below the floor drawn on it (a run that reached the floor of
                 * double precision stays visible); x <= 0 left out of a log axis */
                fprintf(F->b.f, "%s$D%zu using (%s):($%d < %g ? %g : $%d) with linespoints pi %zu ",
                        k ? ", \\\n  " : "", k, X[x].logx ? "$2 > 0 ? $2 : NaN" : x == 0 ? "$1" : "$3",
                        Q[q].using, floor_, floor_, Q[q].using, n / 8 > 0 ? n / 8 : 1);
                gp_style_spec(F->b.f, &st, 2);
                fputs(" title ", F->b.f);
                gp_quoted(F->b.f, opt[k]);
            }
            fputs("\n", F->b.f);
        }
    }
    free(idx);
    ob_table_free(&t);
    return OB_OK;
}

/* ---- networks: netcurves/W.csv and netsteps/W.csv ---- */

enum { N_OPT, N_EPOCH, N_TLOSS, N_VLOSS, N_TACC, N_VACC, N_SECONDS };

static ob_status network_script(i_fig *F, const char *dir, const char *w, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/netcurves/%s.csv", dir, w);
    ob_table t, sl = {0};
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    static const char *const names[] = {"optimizer", "epoch", "train_loss", "val_loss",
                                        "train_acc", "val_acc"};
    int col[7];
    col[N_SECONDS] = ob_table_col(&t, "seconds");
    s = ob_need_cols(&t, path, names, col, 6, err);
    if (s == OB_OK && t.rows == 0) s = ob_fail(err, OB_EDATA, "%s: no rows", path);
    if (s != OB_OK) {
        ob_table_free(&t);
        return s;
    }
    /* the step log: the training loss every few updates, and each optimizer's steps per
     * epoch (its last logged step over its epoch) */
    int steps = ob_table_read(ob_pathf(path, sizeof path, "%s/netsteps/%s.csv", dir, w), &sl,
                              NULL) == OB_OK;
    int so = steps ? ob_table_col(&sl, "optimizer") : -1, ss = steps ? ob_table_col(&sl, "step") : -1,
        se = steps ? ob_table_col(&sl, "epoch") : -1, sv = steps ? ob_table_col(&sl, "train_loss") : -1;
    steps = steps && so >= 0 && ss >= 0 && se >= 0;
    const char *opt[OB_MAX_SERIES];
    size_t nopt = ob_optimizers_drawn(&t, col[N_OPT], opt, OB_MAX_SERIES);
    if (nopt == 0) {
        ob_table_free(&t);
        ob_table_free(&sl);
        return ob_fail(err, OB_EDATA, "%s/netcurves/%s.csv: none of the optimizers to draw", dir, w);
    }
    size_t nlog[OB_MAX_SERIES] = {0}; /* points of $S<k> */
    double xmax[3] = {0, 0, 0};       /* epoch, step, seconds */
    double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY}, lo1 = INFINITY;
    for (size_t k = 0; k < nopt; k++) {
        double spe = NAN; /* steps per epoch */
        size_t n = 0;
        for (size_t i = 0; steps && i < sl.rows; i++)
            if (!strcmp(ob_table_str(&sl, i, so), opt[k])) {
                double e = ob_table_num(&sl, i, se), st = ob_table_num(&sl, i, ss);
                if (e > 0 && isfinite(st)) spe = st / e;
                n++;
            }
        /* $S<k>: epoch step train_loss from the step log */
        fprintf(F->b.f, "$S%zu << EOD\n", k);
        size_t st = stride_of(n), j = 0;
        for (size_t i = 0; steps && sv >= 0 && i < sl.rows; i++) {
            if (strcmp(ob_table_str(&sl, i, so), opt[k]) != 0) continue;
            double v[3] = {ob_table_num(&sl, i, se), ob_table_num(&sl, i, ss), ob_table_num(&sl, i, sv)};
            if (j++ % st != 0 && j != n) continue;
            if (!isfinite(v[2])) continue;
            if (v[2] < lo[0]) lo[0] = v[2];
            if (v[2] > hi[0]) hi[0] = v[2];
            fprintf(F->b.f, "%.10g %.10g %.10g\n", v[0], v[1], v[2]);
            nlog[k]++;
        }
        gp_block_end(F->b.f);
        /* $N<k>: epoch step seconds train_loss val_loss train_acc val_acc, accuracies in % */
        fprintf(F->b.f, "$N%zu << EOD\n", k);
        for (size_t i = 0; i < t.rows; i++) {
            if (strcmp(ob_table_str(&t, i, col[N_OPT]), opt[k]) != 0) continue;
            double e = ob_table_num(&t, i, col[N_EPOCH]);
            double v[7] = {e, e * spe, ob_table_num(&t, i, col[N_SECONDS]),
                           ob_table_num(&t, i, col[N_TLOSS]), ob_table_num(&t, i, col[N_VLOSS]),
                           100 * ob_table_num(&t, i, col[N_TACC]), 100 * ob_table_num(&t, i, col[N_VACC])};
            for (int x = 0; x < 3; x++)
                if (isfinite(v[x]) && v[x] > xmax[x]) xmax[x] = v[x];
            for (int q = 0; q < 2; q++)
                for (int c = 3 + 2 * q; c < 5 + 2 * q; c++) {
                    if (!isfinite(v[c])) continue;
                    if (v[c] < lo[q]) lo[q] = v[c];
                    if (v[c] > hi[q]) hi[q] = v[c];
                    if (q == 1 && e >= 1 && v[c] < lo1) lo1 = v[c];
                }
            for (int c = 0; c < 7; c++) {
                gp_num(F->b.f, v[c]);
                fputs(c < 6 ? " " : "\n", F->b.f);
            }
        }
        gp_block_end(F->b.f);
    }
    ob_table_free(&sl);
    static const struct {
        const char *x, *xname, *xlabel, *against;
        int ncol, scol; /* x's column in $N and in $S (0: none) */
    } X[3] = {{"epochs", "epochs", "epoch", "epochs", 1, 1},
              {"steps", "steps", "steps (parameter updates)", "steps", 2, 2},
              {"seconds", "seconds", "training time (seconds)", "time", 3, 0}};
    for (int q = 0; q < 2; q++) {
        int logy = q == 0 && lo[0] > 0 && hi[0] / lo[0] > 10; /* fig_net.c's rule */
        for (int x = 0; x < 3; x++) {
            if (!(xmax[x] > 0)) continue; /* no step log, no seconds column */
            char title[512];
            ob_pathf(title, sizeof title, "%s: training and validation %s against %s", w,
                     q ? "accuracy" : "loss", X[x].against);
            view_begin(F, q ? "acc" : "loss", q ? "accuracy" : "loss", X[x].x, X[x].xname, title);
            fprintf(F->b.f, "set xlabel \"%s\"\nset ylabel \"%s%s\"\nset xrange [0:%g]\n%s",
                    X[x].xlabel, q ? "accuracy, % (median over seeds)" : "loss (median over seeds)",
                    logy ? " (log scale)" : "", xmax[x], logy ? "set logscale y\n" : "");
            /* accuracies: the axis starts a little below the lowest value after epoch 0
             * (the untrained ~10% would squeeze the rest), as fig_net.c */
            if (q == 1 && isfinite(lo1) && hi[1] > lo1)
                fprintf(F->b.f, "set yrange [%g:%g]\n", fmax(0, lo1 - 0.1 * (hi[1] - lo1) - 1),
                        fmin(100, hi[1] + 0.1 * (hi[1] - lo1) + 1));
            fputs("plot ", F->b.f);
            for (size_t k = 0; k < nopt; k++) {
                ob_style st = ob_style_of(opt[k]);
                st.dash = 1;
                fprintf(F->b.f, "%s$N%zu using %d:%d with linespoints ", k ? ", \\\n  " : "", k,
                        X[x].ncol, 5 + 2 * q);
                gp_style_spec(F->b.f, &st, 2);
                fputs(" title ", F->b.f);
                gp_quoted(F->b.f, opt[k]);
                /* the training line right after its validation line: the page hides and
                 * shows it with it (a plot without a key entry follows the one before) */
                if (q == 0 && nlog[k] && X[x].scol)
                    fprintf(F->b.f, ", \\\n  $S%zu using %d:3 with lines lc rgb '%s' lw 1.2 dt 2 notitle",
                            k, X[x].scol, st.color);
                else
                    fprintf(F->b.f, ", \\\n  $N%zu using %d:%d with lines lc rgb '%s' lw 1.5 dt 2 notitle",
                            k, X[x].ncol, 4 + 2 * q, st.color);
            }
            fputs(", \\\n  keyentry with lines lc rgb 'black' lw 2 dt 1 title 'validation', \\\n"
                  "  keyentry with lines lc rgb 'black' lw 1.5 dt 2 title 'training'\n", F->b.f);
        }
    }
    ob_table_free(&t);
    return OB_OK;
}

/* ---- the fragment ---- */

/* Writes the SVG text svg into out as the page inlines it: from <svg on (no XML prolog),
 * the first script (gnuplot_svg.js) emptied but kept, as the mousing code reads its
 * settings from the SVG's second script; the library goes to *lib (the first time).
 * 0, or -1 when the SVG has no embedded script (a gnuplot without its js files). */
static int put_svg(FILE *out, const char *svg, char **lib)
{
    const char *start = strstr(svg, "<svg"), *s0 = start ? strstr(start, "<script") : NULL;
    const char *c0 = s0 ? strstr(s0, "<![CDATA[") : NULL, *c1 = c0 ? strstr(c0, "]]>") : NULL;
    const char *s1 = c1 ? strstr(c1, "</script>") : NULL;
    if (!s1) return -1;
    if (!*lib) *lib = strndup(c0 + 9, (size_t)(c1 - c0 - 9));
    fwrite(start, 1, (size_t)(s0 - start), out);
    fputs("<script type=\"text/javascript\"></script>", out);
    fputs(s1 + 9, out);
    return 0;
}

ob_status ob_plot_interactive(const char *dir, const char *w, const char *out, ob_error *err)
{
    char cp[4096], np[4096];
    i_fig F = {.n = 0};
    gp_begin(&F.b);
    fputs(I_TERMINAL, F.b.f);
    ob_status s;
    if (ob_file_exists(ob_pathf(cp, sizeof cp, "%s/curves/%s.csv", dir, w)))
        s = analytic_script(&F, dir, w, err);
    else if (ob_file_exists(ob_pathf(np, sizeof np, "%s/netcurves/%s.csv", dir, w)))
        s = network_script(&F, dir, w, err);
    else
        s = ob_fail(err, OB_EIO, "%s: no curves/%s.csv or netcurves/%s.csv", dir, w, w);
    fputs("unset output\n", F.b.f);
    gp_finish(&F.b);
    if (s == OB_OK && F.b.failed) s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK && F.n == 0) s = ob_fail(err, OB_EDATA, "%s: nothing to draw", w);
    /* the scratch SVGs beside the fragment (or in $TMPDIR for a FIFO), named into the
     * script where it says @SVGk@ */
    char nbuf[4096], svg[I_MAX_VIEWS][4300];
    const char *near = ob_gnuplot_near(out, nbuf, sizeof nbuf);
    static unsigned long serial;
    unsigned long me;
#pragma omp atomic capture
    me = ++serial;
    char *script = NULL;
    size_t len = 0;
    FILE *sf = s == OB_OK ? open_memstream(&script, &len) : NULL;
    if (s == OB_OK && !sf) s = ob_fail(err, OB_ENOMEM, "out of memory");
    for (size_t k = 0; k < F.n; k++)
        snprintf(svg[k], sizeof svg[k], "%s.%zu.%ld.%lu.svg", near, k, (long)getpid(), me);
    for (const char *p = F.b.text; sf && *p;) {
        const char *at = strstr(p, "'@SVG");
        if (!at) {
            fputs(p, sf);
            break;
        }
        fwrite(p, 1, (size_t)(at - p), sf);
        size_t k = strtoul(at + 5, NULL, 10);
        char q[4400];
        fprintf(sf, "\"%s\"", ob_gnuplot_quote(k < F.n ? svg[k] : "/dev/null", q, sizeof q));
        p = strchr(at + 5, '\'') + 1;
    }
    if (sf) fclose(sf);
    int held[I_MAX_VIEWS];
    for (size_t k = 0; k < F.n; k++) held[k] = ob_interrupt_track(svg[k]);
    if (s == OB_OK) s = ob_gnuplot_run(near, script, err);
    free(script);
    gp_free(&F.b);
    /* the fragment */
    ob_outfile o;
    char *lib = NULL;
    if (s == OB_OK) s = ob_outfile_open(&o, out, err);
    if (s == OB_OK) {
        char *text[I_MAX_VIEWS] = {0};
        for (size_t k = 0; k < F.n && s == OB_OK; k++) {
            text[k] = ob_read_text(svg[k]);
            if (!text[k]) s = ob_fail(err, OB_EIO, "gnuplot wrote no %s", svg[k]);
        }
        FILE *body = NULL;
        char *btext = NULL;
        size_t blen = 0;
        if (s == OB_OK && !(body = open_memstream(&btext, &blen)))
            s = ob_fail(err, OB_ENOMEM, "out of memory");
        for (size_t k = 0; k < F.n && s == OB_OK; k++) {
            fputs("<div class=\"iview\" data-q=\"", body);
            ob_html_attr(body, F.v[k].q);
            fputs("\" data-qname=\"", body);
            ob_html_attr(body, F.v[k].qname);
            fputs("\" data-x=\"", body);
            ob_html_attr(body, F.v[k].x);
            fputs("\" data-xname=\"", body);
            ob_html_attr(body, F.v[k].xname);
            fputs("\">", body);
            if (put_svg(body, text[k], &lib) != 0)
                s = ob_fail(err, OB_EIO, "%s: gnuplot's svg terminal embedded no mousing script "
                            "(its js/gnuplot_svg.js is missing)", svg[k]);
            fputs("</div>\n", body);
        }
        if (body) fclose(body);
        if (s == OB_OK) {
            fprintf(o.fp, "<script type=\"text/plain\" class=\"ob-gplib\">%s</script>\n%s", lib,
                    btext);
            s = ob_outfile_commit(&o, err);
        } else
            ob_outfile_abort(&o);
        free(btext);
        for (size_t k = 0; k < F.n; k++) free(text[k]);
    }
    free(lib);
    for (size_t k = 0; k < F.n; k++) {
        remove(svg[k]);
        ob_interrupt_untrack(held[k]);
    }
    /* a figure not drawn leaves no fragment of an earlier run for the page to show */
    if (s != OB_OK && !ob_out_in_place(out)) remove(out);
    return s;
}
