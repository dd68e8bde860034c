/* fig_curves.c - convergence figures of the analytic workloads (curves/W.csv: the median
 * and quartiles across seeds at every logged step) and the learning-rate sensitivity
 * figure (tuning.csv, chosen.csv). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/figopts.h"
#include "plots/gnuplot.h"
#include "plots/recipes.h"

#define MAX_POINTS 1500 /* per line: more than a 960-pixel-wide figure can show */
#define FLOOR_DECADES 20 /* the log axis spans at most this many decades below its top */

typedef struct {
    const char *x, *xlabel;            /* x column and its axis label */
    const char *med, *q1, *q3;         /* y columns */
    const char *ylabel, *what;         /* axis label; what the title says */
    int logx;                          /* a log x axis (rows with x <= 0 left out) */
} curve_spec;

/* One figure from curves/W.csv: per optimizer a semi-transparent band between q1 and q3
 * and the median as a line with a few markers, on a log y axis.  Values at or below
 * zero, or below the axis floor, are drawn on the floor (a run that reached the floor
 * of double precision stays visible instead of disappearing from a log axis). */
static ob_status draw_curves(const char *dir, const char *w, const char *png,
                             const curve_spec *c, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/curves/%s.csv", dir, w);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    const char *names[] = {"optimizer", c->x, c->med, c->q1, c->q3};
    int col[5];
    size_t *idx = malloc((t.rows + 1) * sizeof *idx);
    if (!idx) s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK) s = ob_need_cols(&t, path, names, col, 5, err);
    const char *opt[OB_MAX_SERIES];
    size_t nopt = s == OB_OK ? ob_optimizers_drawn(&t, col[0], opt, OB_MAX_SERIES) : 0;
    if (s == OB_OK && t.rows == 0) s = ob_fail(err, OB_EDATA, "%s: no rows", path);
    if (s != OB_OK) {
        free(idx);
        ob_table_free(&t);
        return s;
    }
    /* the axis: top a decade above the largest start value, floor at the smallest
     * positive value but at most FLOOR_DECADES below the top */
    double top = 0, lo = INFINITY, xmax = 0;
    for (size_t k = 0; k < nopt; k++) {
        size_t n = ob_rows_where(&t, col[0], opt[k], idx, t.rows);
        if (n == 0) continue;
        double y0 = ob_table_num(&t, idx[0], col[2]);
        if (isfinite(y0) && y0 > top) top = y0;
        for (size_t i = 0; i < n; i++) {
            double x = ob_table_num(&t, idx[i], col[1]);
            if (isfinite(x) && x > xmax) xmax = x;
            if (c->logx && !(x > 0)) continue;
            for (int j = 2; j < 5; j++) {
                double y = ob_table_num(&t, idx[i], col[j]);
                if (isfinite(y) && y > 0 && y < lo) lo = y;
            }
        }
    }
    if (!(top > 0)) top = isfinite(lo) ? lo : 1;
    top = ob_decade_up(top * 1.5);
    double floor_ = isfinite(lo) ? ob_decade_down(lo) : top * 1e-6;
    if (floor_ < top * pow(10, -FLOOR_DECADES)) floor_ = top * pow(10, -FLOOR_DECADES);
    if (floor_ >= top) floor_ = top / 10;

    gp_script b;
    gp_begin(&b);
    for (size_t k = 0; k < nopt; k++) {
        size_t n = ob_rows_where(&t, col[0], opt[k], idx, t.rows);
        size_t stride = n > MAX_POINTS ? (n + MAX_POINTS - 1) / MAX_POINTS : 1;
        fprintf(b.f, "$D%zu << EOD\n", k);
        for (size_t i = 0; i < n; i++) {
            if (i % stride != 0 && i != n - 1) continue;
            if (c->logx && !(ob_table_num(&t, idx[i], col[1]) > 0)) continue;
            gp_num(b.f, ob_table_num(&t, idx[i], col[1]));
            for (int j = 2; j < 5; j++) {
                double y = ob_table_num(&t, idx[i], col[j]);
                if (!isnan(y) && y < floor_) y = floor_;
                fputs(" ", b.f);
                gp_num(b.f, y);
            }
            fputs("\n", b.f);
        }
        gp_block_end(b.f);
    }
    char title[512];
    ob_pathf(title, sizeof title, "%s: %s", w, c->what);
    gp_common(b.f, title);
    gp_title_over_plot(b.f, title, 960, gp_labels_px(opt, nopt, 11));
    gp_key_right(b.f);
    fprintf(b.f, "set logscale y\nset format y '10^{%%L}'\nset yrange [%g:%g]\n"
                       "set xlabel \"%s\"\nset ylabel \"%s\"\n"
                       "set style fill transparent solid 0.15 noborder\n",
                   floor_, top, c->xlabel, c->ylabel);
    if (c->logx)
        fprintf(b.f, "set logscale x\nset format x '10^{%%L}'\nset xrange [1:%g]\n",
                ob_decade_up(xmax > 1 ? xmax : 10));
    else
        fprintf(b.f, "set xrange [0:%g]\n", xmax > 0 ? xmax : 1);
    fputs("plot ", b.f);
    for (size_t k = 0; k < nopt; k++) {
        ob_style st = ob_style_of(opt[k]);
        size_t n = ob_rows_where(&t, col[0], opt[k], idx, t.rows);
        long pi = n > MAX_POINTS ? MAX_POINTS / 8 : (long)(n / 8 > 0 ? n / 8 : 1);
        fprintf(b.f, "%s$D%zu using 1:3:4 with filledcurves lc rgb '%s' notitle, \\\n"
                           "  $D%zu using 1:2 with linespoints pi %ld ",
                       k ? ", \\\n  " : "", k, st.color, k, pi);
        gp_style_spec(b.f, &st, 2);
        fputs(" title ", b.f);
        gp_quoted(b.f, opt[k]);
    }
    fputs("\n", b.f);
    free(idx);
    ob_table_free(&t);
    s = gp_render(&b, png, 0, 0, err);
    return s;
}

ob_status ob_plot_gap_steps(const char *dir, const char *w, const char *png, ob_error *err)
{
    static const curve_spec c = {"step", "steps (parameter updates)", "gap_median", "gap_q1",
                                 "gap_q3", "loss gap f(x) - f* (log scale; median, IQR band)",
                                 "loss gap against steps", 0};
    return draw_curves(dir, w, png, &c, err);
}

/* the cross-rule comparison of a finite sum with mini-batches: a step of gd is a full
 * pass (N sample gradients), the others' one mini-batch (B), so the x axis is the cost */
ob_status ob_plot_gap_evals(const char *dir, const char *w, const char *png, ob_error *err)
{
    static const curve_spec c = {"evals", "sample-gradient evaluations (log scale)",
                                 "gap_median", "gap_q1", "gap_q3",
                                 "loss gap f(x) - f* (log scale; median, IQR band)",
                                 "loss gap against sample-gradient evaluations", 1};
    return draw_curves(dir, w, png, &c, err);
}

ob_status ob_plot_gap_seconds(const char *dir, const char *w, const char *png, ob_error *err)
{
    static const curve_spec c = {"seconds", "optimization time (seconds)", "gap_median",
                                 "gap_q1", "gap_q3",
                                 "loss gap f(x) - f* (log scale; median, IQR band)",
                                 "loss gap against time", 0};
    return draw_curves(dir, w, png, &c, err);
}

ob_status ob_plot_gnorm_steps(const char *dir, const char *w, const char *png, ob_error *err)
{
    static const curve_spec c = {"step", "steps (parameter updates)", "gnorm_median",
                                 "gnorm_q1", "gnorm_q3",
                                 "gradient norm ‖∇f(x)‖ (log scale; median, IQR band)",
                                 "gradient norm against steps", 0};
    return draw_curves(dir, w, png, &c, err);
}

/* The sensitivity figure's inputs: the tuning runs of one workload (rows idx of t), the
 * chosen rates (ch), the optimizers, and the axes. */
typedef struct {
    ob_table t, ch;
    size_t *idx, n;
    int col[4], cc[4];         /* workload, optimizer, lr, score in t and in ch */
    int hc, hcc;               /* the hparams column (product grids) in t and ch, or -1 */
    const char *opt[OB_MAX_SERIES]; /* one series per optimizer, or per (optimizer, point)
                                       when a product grid tuned other hyperparameters */
    const char *hp[OB_MAX_SERIES];  /* the series' point ("momentum=0.9"), or "" */
    int dash[OB_MAX_SERIES];        /* its dash type: the optimizer's, then 2, 3, ... */
    size_t nopt;
    int logy;
    int acc;                   /* a network: the score is minus the best validation
                                  accuracy, drawn as the accuracy (higher is better) */
    double bottom, top, xlo, xhi, ytop_mark; /* ytop_mark: where diverged runs are drawn,
                                                the worst edge (top, or bottom for acc) */
    size_t nt[OB_MAX_SERIES], nv[OB_MAX_SERIES], nc[OB_MAX_SERIES]; /* points per block */
    int any_div, any_chosen;
} lr_fig;

static const char *const lr_names[] = {"workload", "optimizer", "lr", "score"};

static ob_status lr_load(lr_fig *F, const char *dir, const char *w, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/tuning.csv", dir);
    for (int k = 0; k < 4; k++) F->cc[k] = -1;
    ob_status s = ob_table_read(path, &F->t, err);
    if (s != OB_OK) return s;
    F->idx = malloc((F->t.rows + 1) * sizeof *F->idx);
    if (!F->idx) s = ob_fail(err, OB_ENOMEM, "out of memory");
    if (s == OB_OK) s = ob_need_cols(&F->t, path, lr_names, F->col, 4, err);
    if (s == OB_OK) F->n = ob_rows_where(&F->t, F->col[0], w, F->idx, F->t.rows);
    if (s == OB_OK && F->n == 0) s = ob_fail(err, OB_EDATA, "%s: no tuning runs of %s", path, w);
    if (s != OB_OK) return s;
    int kc = ob_table_col(&F->t, "kind"); /* a network's score is minus an accuracy */
    F->acc = kc >= 0 && !strcmp(ob_table_str(&F->t, F->idx[0], kc), "network");
    ob_pathf(path, sizeof path, "%s/chosen.csv", dir);
    F->hcc = -1;
    if (ob_table_read(path, &F->ch, NULL) == OB_OK) {
        for (int k = 0; k < 4; k++) F->cc[k] = ob_table_col(&F->ch, lr_names[k]);
        F->hcc = ob_table_col(&F->ch, "hparams");
    }
    F->hc = ob_table_col(&F->t, "hparams");
    /* optimizers of this workload, in canonical order */
    const char *names[OB_MAX_SERIES];
    size_t nn = 0;
    for (size_t i = 0; i < F->n; i++) {
        const char *o = ob_table_str(&F->t, F->idx[i], F->col[1]);
        size_t k = 0;
        while (k < nn && strcmp(names[k], o) != 0) k++;
        if (k == nn && nn < OB_MAX_SERIES) names[nn++] = o;
    }
    ob_style_sort(names, nn);
    /* then one series per point of each optimizer, in the order tuning.csv lists them */
    for (size_t j = 0; j < nn; j++) {
        int dash = ob_style_of(names[j]).dash, first = 1;
        for (size_t i = 0; i < F->n && F->nopt < OB_MAX_SERIES; i++) {
            if (strcmp(ob_table_str(&F->t, F->idx[i], F->col[1]), names[j]) != 0) continue;
            const char *h = ob_table_str(&F->t, F->idx[i], F->hc);
            size_t k = 0;
            while (k < F->nopt && !(F->opt[k] == names[j] && strcmp(F->hp[k], h) == 0)) k++;
            if (k < F->nopt) continue;
            size_t s = F->nopt++;
            F->opt[s] = names[j], F->hp[s] = h;
            F->dash[s] = first ? dash : dash + 1 + (int)(s % 4); /* the next points dashed */
            first = 0;
        }
    }
    return OB_OK;
}

/* row i of table t (columns oc, hc) belongs to series k */
static int in_series(const lr_fig *F, const ob_table *t, size_t i, int oc, int hc, size_t k)
{
    return strcmp(ob_table_str(t, i, oc), F->opt[k]) == 0 &&
           strcmp(ob_table_str(t, i, hc), F->hp[k]) == 0;
}

/* what the figure draws of a score: the score, or for a network the accuracy */
static double lr_y(const lr_fig *F, double score) { return F->acc ? -score : score; }

static void lr_axes(lr_fig *F)
{
    double lo = INFINITY, hi = -INFINITY, lo_pos = INFINITY;
    F->xlo = INFINITY, F->xhi = 0;
    for (size_t i = 0; i < F->n; i++) {
        double y = lr_y(F, ob_table_num(&F->t, F->idx[i], F->col[3]));
        double x = ob_table_num(&F->t, F->idx[i], F->col[2]);
        if (isfinite(y) && y < lo) lo = y;
        if (isfinite(y) && y > hi) hi = y;
        if (isfinite(y) && y > 0 && y < lo_pos) lo_pos = y;
        if (x > 0 && x < F->xlo) F->xlo = x;
        if (x > 0 && x > F->xhi) F->xhi = x;
    }
    /* log y when the scores are >= 0 and span decades; a score of 0 (a run that hit f*
     * exactly) is drawn on the bottom edge */
    F->logy = !F->acc && isfinite(lo) && lo >= 0 && isfinite(lo_pos) && hi / lo_pos > 20;
    if (F->logy) lo = lo_pos;
    if (!isfinite(lo)) {
        F->bottom = 0, F->top = 1;
    } else if (F->logy) {
        F->top = ob_decade_up(hi) * 10; /* a free decade on top for the diverged crosses */
        F->bottom = ob_decade_down(lo);
        if (F->bottom < F->top * pow(10, -FLOOR_DECADES))
            F->bottom = F->top * pow(10, -FLOOR_DECADES);
    } else {
        double span = hi > lo ? hi - lo : fabs(hi) + 1;
        if (F->acc) /* the free room below, for the diverged crosses */
            F->bottom = lo - 0.15 * span, F->top = hi + 0.05 * span;
        else
            F->bottom = lo - 0.05 * span, F->top = hi + 0.15 * span;
    }
    F->ytop_mark = F->logy  ? F->top / 1.6
                   : F->acc ? F->bottom + 0.04 * (F->top - F->bottom)
                            : F->top - 0.04 * (F->top - F->bottom);
}

/* optimizer k's data blocks: $T (finite scores), $V (diverged, on the top edge), $C (the
 * chosen rate) */
static void lr_blocks(lr_fig *F, size_t k, const char *w, FILE *b)
{
    const ob_table *t = &F->t, *ch = &F->ch;
    fprintf(b, "$T%zu << EOD\n", k);
    gp_script div;
    gp_begin(&div);
    for (size_t i = 0; i < F->n; i++) { /* tuning rows come in grid order; sorted below */
        if (!in_series(F, t, F->idx[i], F->col[1], F->hc, k)) continue;
        double x = ob_table_num(t, F->idx[i], F->col[2]),
               y = lr_y(F, ob_table_num(t, F->idx[i], F->col[3]));
        if (isfinite(y)) {
            if (F->logy && y < F->bottom) y = F->bottom;
            gp_num(b, x);
            fputs(" ", b);
            gp_num(b, y);
            fputs("\n", b);
            F->nt[k]++;
        } else {
            fprintf(div.f, "%.10g %.10g\n", x, F->ytop_mark);
            F->any_div = 1;
            F->nv[k]++;
        }
    }
    gp_block_end(b);
    gp_finish(&div);
    fprintf(b, "$V%zu << EOD\n%sEOD\n", k, div.text);
    gp_free(&div);
    fprintf(b, "$C%zu << EOD\n", k);
    for (size_t i = 0; F->cc[0] >= 0 && i < ch->rows; i++) {
        if (strcmp(ob_table_str(ch, i, F->cc[0]), w) != 0 ||
            !in_series(F, ch, i, F->cc[1], F->hcc, k))
            continue;
        double x = ob_table_num(ch, i, F->cc[2]), y = lr_y(F, ob_table_num(ch, i, F->cc[3]));
        if (!isfinite(y)) y = F->ytop_mark;
        if (F->logy && y < F->bottom) y = F->bottom;
        fprintf(b, "%.10g %.10g\n", x, y);
        F->any_chosen = 1;
        F->nc[k]++;
    }
    gp_block_end(b);
}

static void lr_plot(const lr_fig *F, const char *w, FILE *b)
{
    char title[512];
    ob_pathf(title, sizeof title, "%s: learning-rate sensitivity (tuning runs)", w);
    gp_common(b, title);
    double label_px = gp_text_px("diverged (bottom edge)", 11);
    for (size_t k = 0; k < F->nopt; k++) {
        char label[160];
        snprintf(label, sizeof label, "%s%s%s", F->opt[k], *F->hp[k] ? " " : "", F->hp[k]);
        label_px = fmax(label_px, gp_text_px(label, 11));
    }
    gp_title_over_plot(b, title, 960, label_px);
    gp_key_right(b);
    fprintf(b, "set logscale x\nset format x '10^{%%L}'\nset xrange [%g:%g]\n"
               "set yrange [%.10g:%.10g]\n%s"
               "set xlabel 'learning rate (log scale)'\n"
               "set ylabel \"%s%s)\"\n",
            isfinite(F->xlo) ? F->xlo / 1.5 : 1e-6, F->xhi > 0 ? F->xhi * 1.5 : 1, F->bottom,
            F->top, F->logy ? "set logscale y\nset format y '10^{%L}'\n" : "",
            F->acc ? "best validation accuracy (higher is better" : "tuning score (lower is better",
            F->logy ? "; log scale, 0 on the bottom edge" : "");
    fputs("plot ", b);
    for (size_t k = 0; k < F->nopt; k++) {
        ob_style st = ob_style_of(F->opt[k]);
        st.dash = F->dash[k];
        if (F->nt[k]) /* the legend entry is drawn by keyentry when every run diverged */
            fprintf(b, "%s$T%zu using 1:2 smooth unique with linespoints ", k ? ", \\\n  " : "", k);
        else
            fprintf(b, "%skeyentry with linespoints ", k ? ", \\\n  " : "");
        gp_style_spec(b, &st, 2);
        fputs(" title ", b);
        char label[160];
        snprintf(label, sizeof label, "%s%s%s", F->opt[k], *F->hp[k] ? " " : "", F->hp[k]);
        gp_quoted(b, label);
        if (F->nv[k])
            fprintf(b, ", \\\n  $V%zu using 1:2 with points pt 2 ps 1.6 lw 2 lc rgb '%s' notitle",
                    k, st.color);
        if (F->nc[k])
            fprintf(b, ", \\\n  $C%zu using 1:2 with points pt 6 ps 3.2 lw 2.5 lc rgb '%s' notitle",
                    k, st.color);
    }
    if (F->any_chosen)
        fputs(", \\\n  keyentry with points pt 6 ps 2.5 lw 2.5 lc rgb 'black' title 'chosen lr'", b);
    if (F->any_div)
        fprintf(b, ", \\\n  keyentry with points pt 2 ps 1.6 lw 2 lc rgb 'black' "
                   "title 'diverged (%s edge)'", F->acc ? "bottom" : "top");
    fputs("\n", b);
}

/* Score against lr per optimizer from tuning.csv (the runs of one workload), the chosen
 * lr of chosen.csv circled; diverged runs (score inf or nan) are drawn as crosses on the
 * top edge so a reader sees where the grid stops working. */
ob_status ob_plot_lr(const char *dir, const char *w, const char *png, ob_error *err)
{
    lr_fig F;
    memset(&F, 0, sizeof F);
    ob_status s = lr_load(&F, dir, w, err);
    if (s == OB_OK) {
        lr_axes(&F);
        gp_script b;
        gp_begin(&b);
        for (size_t k = 0; k < F.nopt; k++) lr_blocks(&F, k, w, b.f);
        lr_plot(&F, w, b.f);
        s = gp_render(&b, png, 0, 0, err);
    }
    free(F.idx);
    ob_table_free(&F.t);
    ob_table_free(&F.ch);
    return s;
}
