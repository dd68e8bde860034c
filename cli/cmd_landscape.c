/* cmd_landscape.c - `optbench landscape`: several optimizers trained from the same
 * initialization, and the loss landscape around each one's final weights: the 1-D linear
 * interpolation from theta_0 (Goodfellow et al. 2015), the slice on the plane of the path's
 * top two principal directions with the path on it (Li et al. 2018, Section 7) and the slice
 * along two filter-normalized random directions (their Section 4).  Parse (pure), run
 * (nets/landscape.h, one optimizer at a time), write (tidy CSVs, a Markdown summary and
 * three figures in --out DIR, docs/contracts.md), print. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "common/names.h"
#include "common/outfile.h"
#include "common/progress.h"
#include "nets/dataset.h"
#include "nets/landscape.h"
#include "nets/presets.h"
#include "experiments/landscape/fig_landscape.h"
#include "experiments/landscape/landscapewrite.h"

#define MAX_OPT OB_LANDSCAPE_MAX_OPT

enum {
    O_NET = 1, O_OPTIMIZER, O_LR, O_EPOCHS, O_BATCH, O_SEED, O_SUBSET, O_DATASET, O_SAMPLES,
    O_EVERY, O_EVAL, O_ALPHA, O_ALPHA_STEPS, O_GRID, O_RANGE, O_MARGIN, O_DIR_SEED, O_OUT,
    O_QUIET,
};

static const ob_cli_option land_options[] = {
    {"net", O_NET, "N", "netA", "network preset (optbench list)", 0},
    {"optimizer", O_OPTIMIZER, "O1,O2,...", "sgd,momentum,adam",
     "the update rules, each trained from the same initialization", 0},
    {"lr", O_LR, "X|X1,X2,...", "each rule's default", "learning rate: one for all, or one per "
     "optimizer", 0},
    {"epochs", O_EPOCHS, "N", "5", "passes over the training split", 0},
    {"batch", O_BATCH, "B", OB_STR(OB_TRAIN_BATCH),
     "mini-batch size (gd: the whole training split)", 0},
    {"seed", O_SEED, "S", "1", "random seed: initialization (the same for every optimizer), "
     "shuffling", 0},
    {"train-subset", O_SUBSET, "N", "10000", "the first N training samples are trained on "
     "(0: all)", 0},
    {"dataset", O_DATASET, "NAME", "the preset's", "fashion-mnist|spirals|moons|windows", 0},
    {"samples", O_SAMPLES, "N", OB_STR(OB_DATASET_SAMPLES), "synthetic training size", 0},
    {"checkpoint-every", O_EVERY, "K", "20", "keep theta every K updates (0: after each "
     "epoch); theta_0 and the final theta always", 0},
    {"eval-subset", O_EVAL, "N", "1000", "losses are measured on the first N training (and "
     "test) samples", 0},
    {"alpha", O_ALPHA, "LO,HI", "-0.5,1.5", "the interpolation's range of a", 0},
    {"alpha-steps", O_ALPHA_STEPS, "N", "41", "points of the interpolation", 0},
    {"grid", O_GRID, "N", "15", "points per axis of each 2-D slice", 0},
    {"range", O_RANGE, "R", "1", "the random slice spans [-R, R]^2 (filter-normalized units)",
     0},
    {"margin", O_MARGIN, "X", "0.15", "the PCA slice: the path's box widened by this share "
     "each side", 0},
    {"dir-seed", O_DIR_SEED, "S", "1", "random seed of the random directions", 0},
    {"out", O_OUT, "DIR", "landscape-NET", "where the CSVs, figures and landscape.md go", 0},
    {"quiet", O_QUIET, NULL, "off", "no progress on stderr, no summary on stdout", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

const ob_cli_command ob_landscape_command = {
    .name = "landscape",
    .synopsis = "[--net N] [--optimizer O1,O2,...] [--out DIR] [options]",
    .summary = "loss landscapes: interpolation, PCA and random slices",
    .options = land_options,
    .main = ob_cmd_landscape,
    .about =
        "Trains every optimizer from the same theta_0 (same seed), keeping checkpoints, then\n"
        "measures the loss and accuracy on a fixed evaluation subset:\n"
        "  interp.csv   at (1-a) theta_0 + a theta_T (Goodfellow et al. 2015), train and test\n"
        "  surface.csv  at theta_T + x d1 + y d2 on two planes: 'pca', the top two principal\n"
        "               directions of theta_t - theta_T over the checkpoints (Li et al. 2018,\n"
        "               Section 7), with the path projected on it (path.csv); 'random', two\n"
        "               filter-normalized Gaussian directions (Li et al. 2018, Section 4)\n"
        "  summary.csv, landscape.md, interp.png, pca.png, random.png\n"
        "The defaults take about half a minute for netA on two cores (docs/experiments.md, \"Loss landscapes\").\n",
};

typedef struct {
    int help, quiet;
    const char *net, *dataset, *out;
    const ob_net_preset *P;
    const ob_dataset_type *D;
    size_t n_opt, n_lr;
    const ob_optimizer_type *T[MAX_OPT];
    ob_hparams h[MAX_OPT];
    double lr[MAX_OPT];
    long epochs, batch, seed, subset, samples, every, eval, alpha_steps, grid, dir_seed;
    int have_batch;
    double alpha[2], range, margin;
    char opt_list[512], out_buf[256];
} land_args;

static ob_status take(land_args *a, const ob_cli_arg *o, ob_error *e)
{
    size_t n;
    switch (o->id) {
    case O_NET: a->net = o->arg; return OB_OK;
    case O_OPTIMIZER: snprintf(a->opt_list, sizeof a->opt_list, "%s", o->arg); return OB_OK;
    case O_LR:
        if (ob_parse_list("--lr", o->arg, a->lr, MAX_OPT, &a->n_lr, e)) return OB_EINVAL;
        for (size_t k = 0; k < a->n_lr; k++)
            if (!(a->lr[k] > 0)) return ob_fail(e, OB_EINVAL, "--lr must be > 0, got %g", a->lr[k]);
        return OB_OK;
    case O_EPOCHS: return ob_parse_long("--epochs", o->arg, 1, 100000L, &a->epochs, e);
    case O_BATCH:
        a->have_batch = 1;
        return ob_parse_long("--batch", o->arg, 1, 1L << 24, &a->batch, e);
    case O_SEED: return ob_parse_long("--seed", o->arg, 0, 2147483647L, &a->seed, e);
    case O_SUBSET: return ob_parse_long("--train-subset", o->arg, 0, 100000000L, &a->subset, e);
    case O_DATASET: a->dataset = o->arg; return OB_OK;
    case O_SAMPLES: return ob_parse_long("--samples", o->arg, 4, 100000000L, &a->samples, e);
    case O_EVERY: return ob_parse_long("--checkpoint-every", o->arg, 0, 100000000L, &a->every, e);
    case O_EVAL: return ob_parse_long("--eval-subset", o->arg, 1, 100000000L, &a->eval, e);
    case O_ALPHA:
        if (ob_parse_list("--alpha", o->arg, a->alpha, 2, &n, e)) return OB_EINVAL;
        if (n != 2 || !(a->alpha[0] < a->alpha[1]))
            return ob_fail(e, OB_EINVAL, "--alpha takes LO,HI with LO < HI, got '%s'", o->arg);
        return OB_OK;
    case O_ALPHA_STEPS: return ob_parse_long("--alpha-steps", o->arg, 2, 100000L, &a->alpha_steps, e);
    case O_GRID: return ob_parse_long("--grid", o->arg, 2, 1000L, &a->grid, e);
    case O_RANGE: return ob_parse_min("--range", o->arg, 0, 1, &a->range, e);
    case O_MARGIN: return ob_parse_min("--margin", o->arg, 0, 0, &a->margin, e);
    case O_DIR_SEED: return ob_parse_long("--dir-seed", o->arg, 0, 2147483647L, &a->dir_seed, e);
    case O_OUT: a->out = o->arg; return OB_OK;
    case O_QUIET: a->quiet = 1; return OB_OK;
    }
    return ob_fail(e, OB_EINVAL, "internal: landscape option --%s is not handled", o->name);
}

/* one rule of --optimizer: one that trains a network, at most once */
static ob_status add_optimizer(land_args *a, const ob_optim_args *none, const char *name,
                               ob_error *e)
{
    ob_schedule sched;
    const ob_optimizer_type *T;
    if (ob_optim_args_resolve(none, name, &T, &a->h[a->n_opt], &sched, e)) return OB_EINVAL;
    if (ob_train_optimizer_check(T, e)) return OB_EINVAL;
    for (size_t k = 0; k < a->n_opt; k++)
        if (a->T[k] == T) return ob_fail(e, OB_EINVAL, "--optimizer: %s is listed twice", name);
    a->T[a->n_opt++] = T;
    return OB_OK;
}

/* --optimizer O1,O2,...: each a rule that trains a network, at most once; --lr matched */
static ob_status resolve_optimizers(land_args *a, ob_error *e)
{
    ob_optim_args none;
    ob_optim_args_init(&none);
    const char *names[MAX_OPT];
    char *buf = NULL;
    size_t n;
    ob_status st = ob_parse_items("--optimizer", a->opt_list, "optimizers", &buf, names, MAX_OPT,
                                  &n, e);
    for (size_t i = 0; st == OB_OK && i < n; i++) st = add_optimizer(a, &none, names[i], e);
    free(buf);
    if (st != OB_OK) return OB_EINVAL;
    if (a->n_lr > 1 && a->n_lr != a->n_opt)
        return ob_fail(e, OB_EINVAL, "--lr takes one rate or one per optimizer (%zu), got %zu",
                       a->n_opt, a->n_lr);
    for (size_t k = 0; k < a->n_opt && a->n_lr; k++) a->h[k].lr = a->lr[a->n_lr == 1 ? 0 : k];
    return OB_OK;
}

static ob_status land_parse(int argc, char **argv, land_args *a, ob_error *e)
{
    memset(a, 0, sizeof *a);
    snprintf(a->opt_list, sizeof a->opt_list, "sgd,momentum,adam");
    a->epochs = 5, a->batch = OB_TRAIN_BATCH, a->seed = 1, a->subset = 10000;
    a->every = 20, a->eval = 1000, a->alpha_steps = 41, a->grid = 15, a->dir_seed = 1;
    a->alpha[0] = -0.5, a->alpha[1] = 1.5, a->range = 1, a->margin = 0.15;
    ob_cli_parser p;
    ob_cli_arg o;
    int r;
    ob_cli_begin(&p, &ob_landscape_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, e)) == 1) {
        if (o.id == OB_CLI_HELP) return a->help = 1, OB_OK;
        if (take(a, &o, e)) return OB_EINVAL;
    }
    if (r < 0 || ob_cli_operands(&p, 0, 0, NULL, NULL, e)) return OB_EINVAL;
    if (!a->net) a->net = "netA";
    if (!(a->P = ob_net_preset_find(a->net))) {
        const char *names[OB_NAMES_MAX];
        char list[512];
        OB_NAMES_OF(names, ob_net_presets);
        return ob_fail(e, OB_EINVAL, "--net: unknown network '%s' (%s)", a->net,
                       ob_accepted(list, sizeof list, names));
    }
    if (!a->dataset) a->dataset = a->P->dataset;
    if (ob_dataset_lookup("--dataset", a->dataset, &a->D, e)) return OB_EINVAL;
    if (!a->out) {
        snprintf(a->out_buf, sizeof a->out_buf, "landscape-%s", a->net);
        a->out = a->out_buf;
    }
    return resolve_optimizers(a, e);
}

/* ---- run ------------------------------------------------------------------------------- */

/* the registry's data set: the seed draws a synthetic one; a file's validation split is
 * the fixed one of seed 1, as the benchmark's */
static ob_status load_data(const land_args *a, ob_splits *sp, ob_error *e)
{
    ob_dataset_opts o = ob_dataset_defaults();
    o.seed = (unsigned long)a->seed;
    o.samples = (size_t)a->samples;
    o.subset = (size_t)a->subset;
    return ob_dataset_load(a->D, &o, sp, e);
}

typedef struct {
    const land_args *a;
    ob_landscape_result res[MAX_OPT];
    double *alpha;
    ob_progress prog;
} study;

static void point_done(void *ctx) { ob_progress_add(&((study *)ctx)->prog, 1, 1); }

static ob_status run_all(study *S, const ob_splits *sp, ob_error *e)
{
    const land_args *a = S->a;
    ob_train_config tc = {.dtype = OB_F32, .epochs = a->epochs, .seed = (unsigned long)a->seed};
    ob_net_preset_spec(a->P, sp->train.d, sp->train.classes, &tc.spec);
    ob_status st = ob_mlp_spec_check(&tc.spec, e);
    if (st != OB_OK) return st;
    ob_dataset ev_train = sp->train, ev_test = sp->test;
    if ((size_t)a->eval < ev_train.n) ev_train.n = (size_t)a->eval;
    if ((size_t)a->eval < ev_test.n) ev_test.n = (size_t)a->eval;
    if (ev_test.n == 0) ev_test = ev_train; /* a data set without a test split */
    ob_landscape_config c = {.every = a->every, .eval_train = &ev_train, .eval_test = &ev_test,
                             .alpha = S->alpha, .n_alpha = (size_t)a->alpha_steps,
                             .grid = (size_t)a->grid, .range = a->range, .margin = a->margin,
                             .dir_seed = (unsigned long)a->dir_seed, .point = point_done, .ctx = S};
    for (size_t k = 0; k < a->n_opt && st == OB_OK; k++) {
        c.train = tc;
        c.train.opt = a->T[k];
        c.train.h = a->h[k];
        c.train.sched = ob_schedule_default();
        c.train.batch = a->T[k]->full_gradient ? sp->train.n : (size_t)a->batch;
        char label[64];
        snprintf(label, sizeof label, "landscape: %s", a->T[k]->name);
        ob_progress_begin(&S->prog, label, "points", 2 * c.grid * c.grid, 0, a->quiet);
        st = ob_landscape_study(&c, sp, &S->res[k], e);
        ob_progress_end(&S->prog);
    }
    return st;
}

int ob_cmd_landscape(int argc, char **argv)
{
    static land_args a;
    static study S;
    ob_error e = {{0}};
    if (land_parse(argc, argv, &a, &e) != OB_OK) return ob_cli_bad("landscape", &e);
    if (a.help) return ob_cli_help(stdout, &ob_landscape_command), 0;
    if (a.have_batch)
        for (size_t k = 0; k < a.n_opt; k++)
            if (a.T[k]->full_gradient) {
                e = (ob_error){{0}};
                ob_fail(&e, OB_EINVAL, "--batch does not apply to %s (it uses the full gradient)",
                        a.T[k]->name);
                return ob_cli_bad("landscape", &e);
            }
    ob_status st = ob_mkdirs(a.out, &e);
    ob_splits sp = {0};
    if (st == OB_OK) st = load_data(&a, &sp, &e);
    double *alpha = malloc((size_t)a.alpha_steps * sizeof *alpha);
    if (st == OB_OK && !alpha) st = ob_fail(&e, OB_ENOMEM, "out of memory");
    S = (study){.a = &a, .alpha = alpha};
    if (alpha) ob_landscape_linspace(a.alpha[0], a.alpha[1], (size_t)a.alpha_steps, alpha);
    if (st == OB_OK) st = run_all(&S, &sp, &e);
    ob_landscape_files f = {.dir = a.out, .net = a.net, .n_opt = a.n_opt};
    for (size_t k = 0; k < a.n_opt; k++) f.T[k] = a.T[k], f.h[k] = a.h[k], f.res[k] = &S.res[k];
    f.alpha = alpha, f.n_alpha = (size_t)a.alpha_steps, f.grid = (size_t)a.grid;
    f.epochs = a.epochs, f.eval = (size_t)a.eval, f.every = a.every, f.dir_seed = a.dir_seed;
    f.train_n = sp.train.n;
    if (st == OB_OK) st = ob_landscape_write(&f, &e);
    int any = 0; /* a run that diverged has no landscape: nothing to draw without one */
    for (size_t k = 0; k < a.n_opt; k++) any |= S.res[k].interp[0] != NULL;
    if (st == OB_OK && any) st = ob_landscape_figures(a.out, a.net, &e);
    if (st == OB_OK && !a.quiet) {
        ob_landscape_print(&f, stdout);
        printf("wrote %s/: interp.csv surface.csv path.csv summary.csv landscape.md%s\n", a.out,
               any ? " interp.png pca.png random.png" : " (no figure: every run diverged)");
    }
    for (size_t k = 0; k < a.n_opt; k++) ob_landscape_result_free(&S.res[k]);
    ob_splits_free(&sp);
    free(alpha);
    if (st != OB_OK) {
        fprintf(stderr, "optbench landscape: %s\n", e.msg);
        return ob_exit_code(st);
    }
    return 0;
}
