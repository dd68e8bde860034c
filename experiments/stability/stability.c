/* stability.c - the edge-of-stability experiment (see stability.h). */
#include "experiments/stability/stability.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/csvout.h"
#include "common/outfile.h"
#include "common/stats.h"
#include "common/table.h"
#include "nets/dataset.h"
#include "optimizers/threshold.h"
#include "problems/problem.h"
#include "runs/runwrite.h"

#define QUAD_DIM 20
#define QUAD_KAPPA 100.0
/* the quadratic's two runs: lr = factor * 2/kappa, just below and just above */
static const double quad_factor[2] = {0.95, 1.05};

void ob_stability_defaults(ob_stability_config *c, int smoke)
{
    *c = (ob_stability_config){.out = "stability", .steps = 400, .subset = 1000, .hidden = 64,
                               .sharpness_every = 20, .quad_steps = 300, .seed = 1,
                               .data = OB_FASHION_MNIST_DIR};
    if (smoke) c->steps = 30, c->subset = 100, c->hidden = 8, c->sharpness_every = 5,
               c->quad_steps = 150;
}

/* one run of the experiment */
typedef struct {
    char name[48];
    const char *opt;    /* registry name */
    double lr, mu;      /* mu: heavy ball's momentum (0: none) */
    int quad;           /* a quadratic run */
} srun;

/* gd at three rates whose thresholds 2/lr = 6.7, 8, 10 lie above the sharpness at the
 * start (about 5) and within reach of its progressive sharpening, heavy ball at 0.3
 * ((2 + 2 mu)/lr = 12.7) and Adam at 0.005 (38/lr = 7600 on P^-1 H), and the
 * quadratic's pair */
static size_t plan(srun *r)
{
    static const struct { const char *opt; double lr, mu; } net[] = {
        {"gd", 0.3, 0}, {"gd", 0.25, 0}, {"gd", 0.2, 0},
        {"momentum", 0.3, 0.9}, {"adam", 0.005, 0},
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof net / sizeof *net; i++, n++) {
        r[n] = (srun){.opt = net[i].opt, .lr = net[i].lr, .mu = net[i].mu};
        snprintf(r[n].name, sizeof r[n].name, "%s-lr%.3g", net[i].opt, net[i].lr);
    }
    for (int k = 0; k < 2; k++, n++) {
        r[n] = (srun){.opt = "gd", .lr = quad_factor[k] * 2 / QUAD_KAPPA, .quad = 1};
        snprintf(r[n].name, sizeof r[n].name, "quadratic-gd-%s", k ? "above" : "below");
    }
    return n;
}

static ob_hparams hparams_of(const srun *r, const ob_optimizer_type **T)
{
    ob_hparams h;
    *T = ob_optimizer_find(r->opt);
    ob_hparams_default(*T, &h);
    h.lr = r->lr;
    if (r->mu > 0) h.momentum = r->mu;
    return h;
}

static ob_status net_run(const ob_stability_config *c, const ob_splits *sp, const srun *r,
                         const char *path, ob_error *err)
{
    ob_train_config tc = {.dtype = OB_F32, .epochs = c->steps, .batch = sp->train.n,
                          .seed = c->seed, .sharpness_every = c->sharpness_every,
                          .sharpness_subset = sp->train.n,
                          .log_every = c->steps >= 200 ? c->steps / 200 : 1};
    /* 784-H-H-10, tanh, cross-entropy (Cohen et al.'s fully connected tanh networks): on
     * centred inputs its sharpness climbs steadily from the start, where one hidden layer,
     * or the squared loss, first lose sharpness for hundreds of steps (measured here) */
    tc.spec = (ob_mlp_spec){.n_layers = 3,
                            .sizes = {sp->train.d, c->hidden, c->hidden, sp->train.classes},
                            .act = OB_ACT_TANH, .loss = OB_LOSS_XENT};
    tc.h = hparams_of(r, &tc.opt);
    tc.sched = ob_schedule_default();
    ob_train_result res;
    return ob_train_files(path, NULL, r->name, &tc, sp, NULL, &res, err);
}

static ob_status quad_run(const ob_stability_config *c, const srun *r, const char *path,
                          double *L, ob_error *err)
{
    ob_problem p;
    ob_problem_opts po = {.dim = QUAD_DIM, .kappa = QUAD_KAPPA, .seed = 1};
    ob_status s = ob_problem_create(&p, ob_problem_find("quadratic"), &po, err);
    if (s != OB_OK) return s;
    *L = p.L; /* kappa: the top eigenvalue, the sharpness everywhere */
    ob_run_config rc = {.prob = &p, .steps = c->quad_steps, .seed = c->seed,
                        .sharpness_every = 1};
    rc.h = hparams_of(r, &rc.opt);
    rc.sched = ob_schedule_default();
    ob_run_result res;
    s = ob_run_files(path, NULL, &rc, NULL, &res, err); /* every step */
    ob_problem_free(&p);
    return s;
}

/* the table's row of a run: from its log (the step log or the trajectory) the median of
 * sharpness/threshold over the estimates in the second half of the steps it made, and
 * from its summary the status and the final loss */
typedef struct {
    double thr, ratio, final_loss;
    long estimates;
    char status[16];
} srow;

static ob_status summarize(const char *log, const char *summary, const char *loss_col,
                           srow *o, ob_error *err)
{
    ob_table t, su;
    ob_status s = ob_table_read(log, &t, err);
    if (s != OB_OK) return s;
    if ((s = ob_table_read(summary, &su, err)) != OB_OK) {
        ob_table_free(&t);
        return s;
    }
    int cs = ob_table_col(&t, "step"), ch = ob_table_col(&t, "sharpness"),
        ct = ob_table_col(&t, "threshold");
    double last = t.rows ? ob_table_num(&t, t.rows - 1, cs) : 0;
    double *v = malloc((t.rows + 1) * sizeof *v);
    size_t m = 0;
    o->thr = NAN;
    for (size_t i = 0; v && i < t.rows; i++) {
        double sh = ob_table_num(&t, i, ch), th = ob_table_num(&t, i, ct);
        if (isfinite(th)) o->thr = th;
        if (ob_table_num(&t, i, cs) >= last / 2 && isfinite(sh) && isfinite(th) && th > 0)
            v[m++] = sh / th;
    }
    o->ratio = v && m ? ob_median(v, m) : NAN;
    o->estimates = (long)m;
    o->final_loss = ob_table_num(&su, 0, ob_table_col(&su, loss_col));
    snprintf(o->status, sizeof o->status, "%s", ob_table_str(&su, 0, ob_table_col(&su, "status")));
    free(v);
    ob_table_free(&t);
    ob_table_free(&su);
    return v ? OB_OK : ob_fail(err, OB_ENOMEM, "out of memory");
}

/* stability.csv and stability.md */
static ob_status write_table(const ob_stability_config *c, const srun *r, const srow *row,
                             size_t n, ob_error *err)
{
    static const char *const cols[] = {"run", "problem", "optimizer", "lr", "momentum",
                                       "threshold", "median_ratio", "estimates", "final_loss",
                                       "status", "file"};
    char path[4096];
    snprintf(path, sizeof path, "%s/stability.csv", c->out);
    ob_csv w;
    ob_status s = ob_csv_open(&w, path, err);
    if (s != OB_OK) return s;
    for (size_t k = 0; k < 11; k++) ob_csv_text(&w, cols[k]);
    ob_csv_end_row(&w);
    for (size_t i = 0; i < n; i++) {
        char file[1024];
        snprintf(file, sizeof file, "%s/%s.csv", r[i].quad ? "quadratic" : "runs", r[i].name);
        ob_csv_text(&w, r[i].name);
        ob_csv_text(&w, r[i].quad ? "quadratic" : "fashion-mnist");
        ob_csv_text(&w, r[i].opt);
        ob_csv_num(&w, r[i].lr);
        ob_csv_num(&w, r[i].mu);
        ob_csv_num(&w, row[i].thr);
        if (isfinite(row[i].ratio)) ob_csv_num(&w, row[i].ratio);
        else ob_csv_text(&w, "");
        ob_csv_int(&w, row[i].estimates);
        ob_csv_num(&w, row[i].final_loss);
        ob_csv_text(&w, row[i].status);
        ob_csv_text(&w, file);
        ob_csv_end_row(&w);
    }
    if ((s = ob_csv_commit(&w, err)) != OB_OK) return s;
    snprintf(path, sizeof path, "%s/stability.md", c->out);
    ob_outfile o;
    if ((s = ob_outfile_open(&o, path, err)) != OB_OK) return s;
    fprintf(o.fp, "# The edge of stability\n\nFull-batch training of a 784-%zu-%zu-10 tanh "
            "network (cross-entropy) on the first %zu centred Fashion-MNIST training samples "
            "for %ld steps, "
            "the sharpness estimated every %ld steps; gradient descent on a %d-dimensional "
            "quadratic with kappa = %g for %ld steps. The ratio is the median of "
            "sharpness/threshold over the estimates in the second half of a run: near 1 at "
            "the edge of stability, below 1 when stable.\n\n"
            "| run | optimizer | lr | threshold | median ratio | final loss | status |\n"
            "|---|---|---:|---:|---:|---:|---|\n", c->hidden, c->hidden, c->subset, c->steps,
            c->sharpness_every, QUAD_DIM, QUAD_KAPPA, c->quad_steps);
    for (size_t i = 0; i < n; i++)
        fprintf(o.fp, "| %s | %s%s | %.4g | %.4g | %.3f | %.4g | %s |\n", r[i].name, r[i].opt,
                r[i].mu > 0 ? " (mu 0.9)" : "", r[i].lr, row[i].thr, row[i].ratio,
                row[i].final_loss, row[i].status);
    fprintf(o.fp, "\nThresholds: 2/lr for gd, (2 + 2 mu)/lr for heavy ball, and for Adam "
            "(2 + 2 beta1)/((1 - beta1) lr) on the preconditioned sharpness (Cohen et al. 2021, "
            "2022).\n\n![sharpness against steps](stability.png)\n");
    return ob_outfile_commit(&o, err);
}

static ob_status load_data(const ob_stability_config *c, ob_splits *sp, ob_error *err)
{
    ob_status s = ob_load_idx_dir(c->data, OB_FASHION_MNIST_VAL, 1, sp, err);
    if (s != OB_OK) return s;
    if (c->subset < sp->train.n) sp->train.n = c->subset;
    /* only the training loss matters here: no validation or test passes every step */
    sp->val.n = sp->test.n = 0;
    /* centred inputs, as Cohen et al.'s: raw pixels (mean 0.29) put a large curvature on
     * the direction of the mean input, which training then flattens, hiding the
     * progressive sharpening of every other direction */
    s = ob_preprocess_apply(sp, OB_PRE_CENTER, 1e-5, err);
    if (s != OB_OK) ob_splits_free(sp);
    return s;
}

ob_status ob_stability_run(const ob_stability_config *c, ob_error *err)
{
    if (c->steps < 1 || c->subset < 10 || c->hidden < 1 || c->sharpness_every < 1 ||
        c->quad_steps < 1)
        return ob_fail(err, OB_EINVAL, "stability: --steps, --subset (>= 10), "
                       "--sharpness-every and the quadratic's steps must be positive");
    ob_splits sp;
    ob_status s = load_data(c, &sp, err);
    if (s != OB_OK) return s;
    srun r[8];
    srow row[8];
    size_t n = plan(r);
    double L = NAN;
    for (size_t i = 0; i < n && s == OB_OK; i++) {
        char path[4096], log[4200], sum[4200];
        snprintf(path, sizeof path, "%s/%s/%s.csv", c->out, r[i].quad ? "quadratic" : "runs",
                 r[i].name);
        if (c->progress) fprintf(stderr, "stability: run %zu/%zu, %s\n", i + 1, n, r[i].name);
        s = r[i].quad ? quad_run(c, &r[i], path, &L, err) : net_run(c, &sp, &r[i], path, err);
        size_t len = strlen(path) - 4;
        snprintf(log, sizeof log, "%.*s%s", (int)len, path, r[i].quad ? ".csv" : ".steps.csv");
        snprintf(sum, sizeof sum, "%.*s.summary.csv", (int)len, path);
        if (s == OB_OK)
            s = summarize(log, sum, r[i].quad ? "final_loss" : "final_train_loss", &row[i], err);
    }
    ob_splits_free(&sp);
    if (s == OB_OK) s = write_table(c, r, row, n, err);
    if (s == OB_OK) {
        char png[4096];
        snprintf(png, sizeof png, "%s/stability.png", c->out);
        s = ob_plot_stability(c->out, NULL, png, err);
    }
    return s;
}
