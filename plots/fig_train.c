/* fig_train.c - figures of training CSVs (optbench train): loss and accuracy on the
 * training, validation and test sets against epochs (see runplots.h), and on the loss
 * panel the mini-batch loss of the step log beside a CSV (FILE.steps.csv, written with
 * --log-every or by the bench), a thin line between the epochs' points.  A split that
 * was not evaluated (its column empty: a bench tuning run's test split) is left out. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/gnuplot.h"
#include "plots/runplots.h"
#include "runs/runfile.h"
#include "runs/trainlog.h"
#include "runs/traj.h"

typedef struct {
    char stem[160], label[200], optimizer[64], net[64];
    const char *color;
    ob_table t;
    int c_epoch, c[2][3]; /* [loss, acc][train, val, test], -1 when absent or empty */
    ob_table steps;       /* FILE.steps.csv: epoch, mean_loss (0 rows: none) */
    int s_epoch, s_loss;
} train_csv;

static const char *const split_name[3] = {"training", "validation", "test"};
static const int split_dash[3] = {2, 1, 3}; /* training dashed, validation solid, test dotted */

static ob_status train_load(const char *csv, train_csv *r, ob_error *err)
{
    memset(r, 0, sizeof *r);
    ob_status s = ob_table_read(csv, &r->t, err);
    if (s != OB_OK) return s;
    const char *need[] = {"epoch", "train_loss"};
    int c[2];
    if ((s = ob_need_cols(&r->t, csv, need, c, 2, err)) != OB_OK) return s;
    r->c_epoch = c[0];
    static const char *const col[2][3] = {{"train_loss", "val_loss", "test_loss"},
                                          {"train_acc", "val_acc", "test_acc"}};
    for (int m = 0; m < 2; m++)
        for (int k = 0; k < 3; k++) {
            int cc = ob_table_col(&r->t, col[m][k]), any = 0;
            for (size_t i = 0; cc >= 0 && i < r->t.rows && !any; i++)
                any = !isnan(ob_table_num(&r->t, i, cc));
            r->c[m][k] = any ? cc : -1;
        }
    char *sp = ob_steplog_path(csv);
    if (sp && ob_table_read(sp, &r->steps, NULL) == OB_OK) {
        r->s_epoch = ob_table_col(&r->steps, "epoch");
        r->s_loss = ob_table_col(&r->steps, "mean_loss");
        if (r->s_epoch < 0 || r->s_loss < 0) ob_table_free(&r->steps);
    }
    free(sp);
    const char *base = strrchr(csv, '/');
    base = base ? base + 1 : csv;
    snprintf(r->stem, sizeof r->stem, "%.*s", (int)ob_csv_stem_len(base), base);
    snprintf(r->label, sizeof r->label, "%s", r->stem);
    ob_table m;
    if (ob_run_summary_beside(csv, &m, NULL) == OB_OK) {
        if (m.rows > 0) {
            snprintf(r->optimizer, sizeof r->optimizer, "%s",
                     ob_table_str(&m, 0, ob_table_col(&m, "optimizer")));
            snprintf(r->net, sizeof r->net, "%s", ob_table_str(&m, 0, ob_table_col(&m, "problem")));
            double lr = ob_table_num(&m, 0, ob_table_col(&m, "lr"));
            if (*r->optimizer && isfinite(lr))
                snprintf(r->label, sizeof r->label, "%s, lr %.3g", r->optimizer, lr);
        }
        ob_table_free(&m);
    }
    return OB_OK;
}

typedef struct {
    train_csv *v;
    size_t n;
} train_set;

static void trains_free(train_set *ts)
{
    for (size_t k = 0; k < ts->n; k++) {
        ob_table_free(&ts->v[k].t);
        ob_table_free(&ts->v[k].steps);
    }
    free(ts->v);
    memset(ts, 0, sizeof *ts);
}

static ob_status trains_load(const char *const *csv, size_t n, train_set *ts, ob_error *err)
{
    memset(ts, 0, sizeof *ts);
    if (!(ts->v = calloc(n ? n : 1, sizeof *ts->v))) return ob_fail(err, OB_ENOMEM, "out of memory");
    for (size_t k = 0; k < n; k++) {
        ob_status s = train_load(csv[k], &ts->v[k], err);
        ts->n = k + 1;
        if (s != OB_OK) {
            trains_free(ts);
            return s;
        }
        for (size_t j = 0; j < k; j++)
            if (!strcmp(ts->v[j].optimizer, ts->v[k].optimizer)) ts->v[k].color = ob_series_color(k);
        if (n > 1 && k > 0 && !strcmp(ts->v[0].label, ts->v[k].label)) {
            size_t l = strlen(ts->v[k].label);
            snprintf(ts->v[k].label + l, sizeof ts->v[k].label - l, " (%s)", ts->v[k].stem);
        }
    }
    return OB_OK;
}

/* $T<k>: epoch, then the loss and the accuracy of the three splits */
static void train_blocks(FILE *b, const train_set *ts)
{
    for (size_t k = 0; k < ts->n; k++) {
        const train_csv *r = &ts->v[k];
        fprintf(b, "$T%zu << EOD\n", k);
        for (size_t i = 0; i < r->t.rows; i++) {
            gp_num(b, ob_table_num(&r->t, i, r->c_epoch));
            for (int m = 0; m < 2; m++)
                for (int s = 0; s < 3; s++) {
                    fputs(" ", b);
                    gp_num(b, ob_table_num(&r->t, i, r->c[m][s]));
                }
            fputs("\n", b);
        }
        gp_block_end(b);
        if (!r->steps.rows) continue;
        fprintf(b, "$S%zu << EOD\n", k); /* the step log: epoch, mean mini-batch loss */
        for (size_t i = 0; i < r->steps.rows; i++) {
            gp_num(b, ob_table_num(&r->steps, i, r->s_epoch));
            fputs(" ", b);
            gp_num(b, ob_table_num(&r->steps, i, r->s_loss));
            fputs("\n", b);
        }
        gp_block_end(b);
    }
}

/* one panel: m 0 the losses, 1 the accuracies */
static void train_panel(FILE *b, const train_set *ts, int m)
{
    fprintf(b, "set xlabel 'epoch'\nset ylabel '%s'\nset xrange [0:*]\n%s", m ? "accuracy" : "loss",
            m ? "set yrange [0:1]\nset key bottom right box opaque noenhanced\n"
              : "set autoscale y\nset key top right box opaque noenhanced\n");
    fputs("plot ", b);
    int first = 1;
    for (size_t k = 0; k < ts->n; k++) {
        const train_csv *r = &ts->v[k];
        ob_style st = ob_style_of(*r->optimizer ? r->optimizer : r->stem);
        if (r->color) st.color = r->color;
        for (int s = 0; s < 3; s++) {
            if (r->c[m][s] < 0) continue;
            char label[300];
            snprintf(label, sizeof label, "%s: %s", r->label, split_name[s]);
            fprintf(b, "%s$T%zu using 1:%d with linespoints pt %d ps 0.6 lc rgb '%s' lw 2 dt %d title ",
                    first ? "" : ", \\\n  ", k, 2 + 3 * m + s, st.point, st.color, split_dash[s]);
            gp_quoted(b, label);
            first = 0;
        }
        if (m == 0 && r->steps.rows) {
            char label[300];
            snprintf(label, sizeof label, "%s: mini-batch loss", r->label);
            fprintf(b, "%s$S%zu using 1:2 with lines lc rgb '%s' lw 1 dt 1 title ",
                    first ? "" : ", \\\n  ", k, st.color);
            gp_quoted(b, label);
            first = 0;
        }
    }
    if (first) fputs("1/0 notitle", b);
    fputs("\n", b);
}

/* "training dashed, validation solid, test dotted" for the splits drawn on the panels
 * m0..m1, and the step log's line when one is drawn */
static const char *styles_note(const train_set *ts, int m0, int m1, char *buf, size_t cap)
{
    static const char *const dash_name[4] = {"", "solid", "dashed", "dotted"};
    size_t used = 0;
    buf[0] = '\0';
    for (int s = 0; s < 3; s++) {
        int any = 0;
        for (size_t k = 0; k < ts->n; k++)
            for (int m = m0; m <= m1; m++) any |= ts->v[k].c[m][s] >= 0;
        if (any && used < cap)
            used += (size_t)snprintf(buf + used, cap - used, "%s%s %s", used ? ", " : "",
                                     split_name[s], dash_name[split_dash[s]]);
    }
    int steps = 0;
    for (size_t k = 0; k < ts->n; k++) steps |= m0 == 0 && ts->v[k].steps.rows > 0;
    if (steps && used < cap)
        snprintf(buf + used, cap - used, "%smini-batch loss thin", used ? ", " : "");
    return buf;
}

static ob_status train_figure(const train_set *ts, const char *title, int m0, int m1,
                              const char *out, ob_error *err)
{
    gp_script b;
    gp_begin(&b);
    train_blocks(b.f, ts);
    gp_common(b.f, "");
    fprintf(b.f, "set multiplot layout 1,%d title ", m1 - m0 + 1);
    gp_quoted(b.f, title);
    fputs(" noenhanced font ',13'\n", b.f);
    for (int m = m0; m <= m1; m++) train_panel(b.f, ts, m);
    fputs("unset multiplot\n", b.f);
    return gp_render(&b, out, m1 > m0 ? 1400 : 900, 600, err);
}

ob_status ob_plot_train_csvs(const char *const *csv, size_t n, ob_csv_plot_opts *o,
                             ob_error *err)
{
    train_set ts;
    ob_status s = trains_load(csv, n, &ts, err);
    if (s != OB_OK) return s;
    static const char *const kind[2] = {"loss", "acc"};
    for (int m = 0; m < 2 && s == OB_OK; m++) {
        char out[4096], title[512], note[160];
        snprintf(out, sizeof out, "%s/%s-%s.%s", o->outdir, o->stem, kind[m], o->format);
        snprintf(title, sizeof title, "%s against epochs (%s)", m ? "accuracy" : "loss",
                 styles_note(&ts, m, m, note, sizeof note));
        s = train_figure(&ts, title, m, m, out, err);
        if (s == OB_OK && o->n_written < sizeof o->written / sizeof *o->written)
            snprintf(o->written[o->n_written++], sizeof *o->written, "%s", out);
    }
    if (s == OB_OK) s = ob_plot_sharpness_of(csv, n, o, err);
    trains_free(&ts);
    return s;
}

ob_status ob_plot_train_overview(const char *csv, const char *out, ob_error *err)
{
    train_set ts;
    ob_status s = trains_load(&csv, 1, &ts, err);
    if (s != OB_OK) return s;
    char title[512], note[160];
    snprintf(title, sizeof title, "%s%s%s: loss and accuracy (%s)", ts.v[0].net,
             *ts.v[0].net ? " " : "", ts.v[0].label, styles_note(&ts, 0, 1, note, sizeof note));
    s = train_figure(&ts, title, 0, 1, out, err);
    trains_free(&ts);
    return s;
}
