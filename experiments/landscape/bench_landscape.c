/* bench_landscape.c - `optbench landscape` as a step of the benchmark, on every network
 * workload whose suite entry says landscape = true (off by default: about 20 s per
 * optimizer on the quick suite's netA).  Each optimizer that ran on the workload is trained
 * once more at its chosen learning rate (chosen.csv) with the workload's settings and seed
 * 1, so theta_T is its seed-1 run's final weights, keeping about 20 checkpoints; then the
 * command's interpolation and slices at its defaults.  out/landscape/W/ gets the files of
 * docs/contracts.md; the figures are drawn with the others (plots/registry.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiments/landscape/bench_landscape.h"
#include "common/progress.h"
#include "common/table.h"
#include "nets/presets.h"
#include "experiments/landscape/landscapewrite.h"

#define CHECKPOINTS 20   /* per run, whatever its length: memory stays at ~20 P doubles */
#define EVAL_SUBSET 1000 /* the command's defaults (cli/cmd_landscape.c, README) */
#define GRID 15
#define ALPHA_STEPS 41

/* the suite's entry for optimizer name: its fixed hyperparameters */
static const ob_suite_optimizer *suite_optimizer(const ob_suite *S, const char *name)
{
    for (size_t i = 0; i < S->n_optimizers; i++)
        if (strcmp(S->optimizers[i].T->name, name) == 0) return &S->optimizers[i];
    return NULL;
}

/* f's optimizers: those of chosen.csv on workload w, at their chosen rates */
static ob_status chosen(const ob_bench_config *c, const ob_workload *w, ob_landscape_files *f,
                        ob_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/chosen.csv", c->out);
    ob_table t;
    ob_status s = ob_table_read(path, &t, err);
    if (s != OB_OK) return s;
    int cw = ob_table_col(&t, "workload"), co = ob_table_col(&t, "optimizer"),
        cl = ob_table_col(&t, "lr");
    for (size_t r = 0; r < t.rows && f->n_opt < OB_LANDSCAPE_MAX_OPT; r++) {
        if (strcmp(ob_table_str(&t, r, cw), w->name) != 0) continue;
        const ob_suite_optimizer *so = suite_optimizer(c->suite, ob_table_str(&t, r, co));
        const double lr = ob_table_num(&t, r, cl);
        if (!so || so->T->needs_objective || !(lr > 0)) continue;
        f->T[f->n_opt] = so->T;
        f->h[f->n_opt] = so->h;
        f->h[f->n_opt++].lr = lr;
    }
    ob_table_free(&t);
    return OB_OK;
}

static void point_done(void *ctx) { ob_progress_add(ctx, 1, 1); }

static ob_status one_workload(const ob_bench_config *c, const ob_workload *w, const ob_splits *sp,
                              ob_error *err)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/landscape/%s", c->out, w->name);
    ob_landscape_files f = {.dir = dir, .net = w->name, .n_alpha = ALPHA_STEPS, .grid = GRID,
                            .epochs = w->epochs, .dir_seed = 1, .eval = EVAL_SUBSET,
                            .train_n = sp->train.n};
    ob_status s = chosen(c, w, &f, err);
    if (s != OB_OK || f.n_opt == 0) return s;
    const ob_net_preset *P = ob_net_preset_find(w->net);
    ob_train_config tc = {.dtype = OB_F32, .epochs = w->epochs, .seed = 1};
    ob_net_preset_spec(P, sp->train.d, sp->train.classes, &tc.spec);
    tc.spec.l1 = w->l1, tc.spec.l2 = w->l2;
    for (size_t l = 0; l + 1 < tc.spec.n_layers; l++) /* as bench/job.c's network runs */
        tc.spec.dropout[l] = w->preset_dropout && l < P->n_hidden ? P->preset_dropout[l] : w->dropout;
    double alpha[ALPHA_STEPS];
    ob_landscape_linspace(-0.5, 1.5, ALPHA_STEPS, alpha);
    f.alpha = alpha;
    ob_dataset ev_train = sp->train, ev_test = sp->test;
    if (ev_train.n > EVAL_SUBSET) ev_train.n = EVAL_SUBSET;
    if (ev_test.n > EVAL_SUBSET) ev_test.n = EVAL_SUBSET;
    ob_landscape_result res[OB_LANDSCAPE_MAX_OPT];
    memset(res, 0, sizeof res);
    ob_progress prog;
    for (size_t k = 0; k < f.n_opt && s == OB_OK; k++) {
        ob_landscape_config lc = {.train = tc, .eval_train = &ev_train, .eval_test = &ev_test,
                                  .alpha = alpha, .n_alpha = ALPHA_STEPS, .grid = GRID,
                                  .range = 1, .margin = 0.15, .dir_seed = 1,
                                  .point = point_done, .ctx = &prog};
        lc.train.opt = f.T[k];
        lc.train.h = f.h[k];
        lc.train.sched = ob_schedule_default();
        lc.train.batch = w->batch ? w->batch : OB_TRAIN_BATCH;
        const size_t B = f.T[k]->full_gradient || lc.train.batch > sp->train.n ? sp->train.n
                                                                                : lc.train.batch;
        const long steps = w->epochs * (long)((sp->train.n + B - 1) / B);
        lc.every = steps / CHECKPOINTS > 0 ? steps / CHECKPOINTS : 1;
        if (!f.T[k]->full_gradient) f.every = lc.every; /* landscape.md names the mini-batch rules' */
        char label[200];
        snprintf(label, sizeof label, "bench: landscape %s %s", w->name, f.T[k]->name);
        ob_progress_begin(&prog, label, "points", 2 * GRID * GRID, 0, !c->progress);
        s = ob_landscape_study(&lc, sp, &res[k], err);
        ob_progress_end(&prog);
        f.res[k] = &res[k];
    }
    if (s == OB_OK) s = ob_landscape_write(&f, err);
    for (size_t k = 0; k < f.n_opt; k++) ob_landscape_result_free(&res[k]);
    return s;
}

ob_status ob_landscape_bench(const ob_bench_config *c, ob_error *err)
{
    ob_splits sp = {0};
    size_t have_subset = (size_t)-1;
    ob_status s = OB_OK;
    for (size_t i = 0; i < c->suite->n_workloads && s == OB_OK; i++) {
        const ob_workload *w = &c->suite->workloads[i];
        char done[4096];
        snprintf(done, sizeof done, "%s/landscape/%s/summary.csv", c->out, w->name);
        if (!w->net || !w->landscape || access(done, F_OK) == 0) continue; /* resume */
        if (have_subset != w->popts.samples) { /* Fashion-MNIST as bench/job.c loads it */
            ob_splits_free(&sp);
            s = ob_load_idx_dir(OB_FASHION_MNIST_DIR, OB_FASHION_MNIST_VAL, 1, &sp, err);
            if (s != OB_OK) break;
            if (w->popts.samples && w->popts.samples < sp.train.n) sp.train.n = w->popts.samples;
            have_subset = w->popts.samples;
        }
        s = one_workload(c, w, &sp, err);
    }
    ob_splits_free(&sp);
    return s;
}
