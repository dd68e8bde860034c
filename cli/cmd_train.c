/* cmd_train.c - `optbench train`: one network training run, written as the training CSV
 * of docs/ (one row per epoch, row 0 before training) and a summary CSV beside it.
 * Parse (pure: argv to the network's spec, the data's options and the optimizer), run
 * (load the data, train, write), print. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "common/interrupt.h"
#include "common/names.h"
#include "common/outfile.h"
#include "nets/dataset.h"
#include "nets/presets.h"
#include "nets/train.h"
#include "optimizers/plugin.h"
#include "runs/runwrite.h"
#include "runs/trainlog.h"
#include "runs/traj.h"
#include "plots/runplots.h"

/* --log-every not given: about LOG_ROWS step-log rows a run (ob_train_log_every), as the
 * bench's network runs log, so that `train --plot` draws a curve after one epoch */
#define LOG_AUTO (-1L)
#define LOG_ROWS 50

enum {
    O_NET = 1, O_OPTIMIZER, O_OUT, O_EPOCHS, O_BATCH, O_SEED, O_QUIET, O_LAYERS, O_ACT,
    O_LEAKY, O_LOSS, O_INIT, O_L1, O_L2, O_DROPOUT, O_PRECISION, O_DATASET, O_DATA, O_VAL,
    O_SUBSET, O_SAMPLES, O_NOISE, O_PREPROCESS, O_SUMMARY, O_LOG_EVERY,
    O_SHARP_EVERY, O_SHARP_SUBSET, O_SHARP_PRODUCTS, O_PLOT,
};

static const ob_cli_option train_options[] = {
    {"net", O_NET, "N", "netA with --layers, else required", "network preset (see below)", 0},
    {"optimizer", O_OPTIMIZER, "O", "adam", "the update rule (optbench list)", 0},
    {"out", O_OUT, "FILE.csv", "NET-OPTIMIZER.csv",
     "the per-epoch CSV; FILE.summary.csv beside it ('-': standard output, the summary to stderr)",
     0},
    {"summary", O_SUMMARY, "FILE.csv", "beside --out", "where the one-row summary goes", 0},
    {"epochs", O_EPOCHS, "N", "10", "passes over the training split", 0},
    {"batch", O_BATCH, "B", OB_STR(OB_TRAIN_BATCH),
     "mini-batch size (gd: the whole training split)", 0},
    {"seed", O_SEED, "S", "1", "random seed: initialization, shuffling, dropout, synthetic data", 0},
    {"quiet", O_QUIET, NULL, "off", "no progress on stderr, no summary on stdout", 0},
    {"plot", O_PLOT, "FILE.png", "none",
     "also a figure of the run (.png, .svg or .pdf): loss and accuracy against epochs", 0},
    {"layers", O_LAYERS, "A,B,...", "the preset's", "hidden sizes (--net optional then)", 0},
    {"act", O_ACT, "NAME", "the preset's",
     "relu|leaky-relu|sigmoid|tanh|hardtanh|softsign|identity", 0},
    {"leaky", O_LEAKY, "X", "0.01", "leaky-relu's slope", 0},
    {"loss", O_LOSS, "NAME", "the preset's", "xent|mse|margin", 0},
    {"init", O_INIT, "NAME", "auto", "auto|xavier|he (auto: He for ReLU, else Xavier)", 0},
    {"l1", O_L1, "X", "0", "penalty l1*sum|W| on the weights", 0},
    {"l2", O_L2, "X", "0", "penalty l2/2*sum W^2 on the weights", 0},
    {"dropout", O_DROPOUT, "P|P1,P2,...|preset", "0",
     "dropout rate, one per hidden layer, or the preset's own rates (deep4, deep5)", 0},
    {"precision", O_PRECISION, "float32|float64", "float32", "parameters' precision", 0},
    {"dataset", O_DATASET, "NAME", "the preset's", "fashion-mnist|spirals|moons|windows", 0},
    {"data", O_DATA, "DIR|FILE.csv", "none",
     "IDX files with the MNIST names, or a CSV (features, label)", 0},
    {"val", O_VAL, "N", OB_STR(OB_FASHION_MNIST_VAL),
     "IDX: validation samples held out of the training file "
     "(CSV: 10% validation, 20% test)", 0},
    {"subset", O_SUBSET, "N", "all", "the first N training samples only", 0},
    {"samples", O_SAMPLES, "N", OB_STR(OB_DATASET_SAMPLES),
     "synthetic training size (val and test: a quarter each)", 0},
    {"noise", O_NOISE, "X", "spirals 0.2, moons 0.1", "synthetic data's noise", 0},
    {"preprocess", O_PREPROCESS, "NAME", "none", "none|center|standardize|whiten", 0},
    {"log-every", O_LOG_EVERY, "K", "about 50 rows a run",
     "FILE.steps.csv: the mini-batch loss every K updates (see below); 0: no step log", 0},
    {"sharpness-every", O_SHARP_EVERY, "K", "off",
     "every K updates (and before the first) the top Hessian eigenvalue of the training "
     "loss and the rule's stability threshold, in FILE.steps.csv", 0},
    {"sharpness-subset", O_SHARP_SUBSET, "N", "2000",
     "the sharpness's loss: N training samples drawn once from the seed (float64)", 0},
    {"sharpness-products", O_SHARP_PRODUCTS, "N", "20",
     "at most N Hessian-vector products per sharpness estimate (Lanczos)", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

const ob_cli_command ob_train_command = {
    .name = "train",
    .synopsis = "--net N [--optimizer O] [--out FILE.csv] [options]",
    .summary = "one network training run",
    .options = train_options,
    .main = ob_cmd_train,
    .shared = OB_CLI_OPTIMIZER | OB_CLI_SCHEDULE,
    .about = "Writes FILE.csv: epoch,step,seconds,lr,train_loss,train_acc,val_loss,val_acc,\n"
             "test_loss,test_acc; row 0 before training; seconds = training time only (no\n"
             "loading, no evaluation); losses are mean data losses without dropout or penalty.\n"
             "--schedule theory is refused: a network has no global Lipschitz constant.\n"
             "The step log FILE.steps.csv goes beside it (--log-every K; by default about 50\n"
             "rows a run, every update when it makes fewer than 100, or with --sharpness-every\n"
             "K every K; --log-every 0: none):\n"
             "step,epoch,seconds,lr,\n"
             "batch_loss,mean_loss, a row every K updates (row 0 before the first, the last\n"
             "always); batch_loss is the last update's mini-batch loss, mean_loss the mean\n"
             "over the updates since the previous row; epoch is fractional.\n"
             "--sharpness-every K adds the columns sharpness,threshold,sharpness_residual,hvps\n"
             "(empty between estimates; K also logs a row every K updates): the top eigenvalue\n"
             "of the Hessian of the full-batch training loss (no dropout, with the penalty) on\n"
             "--sharpness-subset samples, for adam and adamw of P^-1 H (P: the rule's second\n"
             "moment), against 2/lr (gd, sgd), (2+2mu)/lr (momentum), Nesterov's, or\n"
             "(2+2b1)/((1-b1)lr) (adam) (Cohen et al. 2021, 2022); rows at or above it are at\n"
             "the edge of stability.\n",
};

typedef struct {
    const char *dataset, *data;
    const ob_dataset_type *T;     /* --dataset's, or NULL with --data */
    long val, subset, samples;
    double noise;
    int have_noise;
    ob_preprocess pre;
    unsigned long seed;
} data_opts;

typedef struct {
    int help, quiet, have_batch;
    const char *net, *optimizer, *out, *layers, *act, *loss, *init, *dropout;
    const char *summary;          /* NULL: beside out */
    const char *plot;             /* --plot FILE, or NULL */
    double l1, l2, leaky;
    const ob_net_preset *P;
    data_opts data;
    ob_train_config c;
    char out_buf[256];
} train_args;

/* one of train's own options into a */
static ob_status take(train_args *a, const ob_cli_arg *o, ob_error *e)
{
    static const char *const precisions[] = {"float32", "float64", NULL};
    static const ob_dtype dtypes[] = {OB_F32, OB_F64};
    static const char *const pres[] = {"none", "center", "standardize", "whiten", NULL};
    static const ob_preprocess pre[] = {OB_PRE_NONE, OB_PRE_CENTER, OB_PRE_STANDARDIZE,
                                        OB_PRE_WHITEN};
    data_opts *d = &a->data;
    long v;
    int k;
    switch (o->id) {
    case O_NET: a->net = o->arg; return OB_OK;
    case O_OPTIMIZER: a->optimizer = o->arg; return OB_OK;
    case O_OUT: a->out = o->arg; return OB_OK;
    case O_SUMMARY: a->summary = o->arg; return OB_OK;
    case O_PLOT: return ob_parse_figure("--plot", o->arg, 0, &a->plot, e);
    case O_LOG_EVERY: return ob_parse_long("--log-every", o->arg, 0, 1L << 40, &a->c.log_every, e);
    case O_SHARP_EVERY:
        return ob_parse_long("--sharpness-every", o->arg, 1, 1L << 40, &a->c.sharpness_every, e);
    case O_SHARP_SUBSET:
        if (ob_parse_long("--sharpness-subset", o->arg, 1, 100000000L, &v, e)) return OB_EINVAL;
        a->c.sharpness_subset = (size_t)v;
        return OB_OK;
    case O_SHARP_PRODUCTS:
        if (ob_parse_long("--sharpness-products", o->arg, 1, 1000, &v, e)) return OB_EINVAL;
        a->c.sharpness_products = (int)v;
        return OB_OK;
    case O_EPOCHS: return ob_parse_long("--epochs", o->arg, 0, 1000000L, &a->c.epochs, e);
    case O_BATCH:
        if (ob_parse_long("--batch", o->arg, 1, 1L << 24, &v, e)) return OB_EINVAL;
        a->c.batch = (size_t)v;
        a->have_batch = 1;
        return OB_OK;
    case O_SEED:
        if (ob_parse_long("--seed", o->arg, 0, 2147483647L, &v, e)) return OB_EINVAL;
        a->c.seed = d->seed = (unsigned long)v;
        return OB_OK;
    case O_QUIET: a->quiet = 1; return OB_OK;
    case O_LAYERS: a->layers = o->arg; return OB_OK;
    case O_ACT: a->act = o->arg; return OB_OK;
    case O_LEAKY: return ob_parse_double("--leaky", o->arg, &a->leaky, e);
    case O_LOSS: a->loss = o->arg; return OB_OK;
    case O_INIT: a->init = o->arg; return OB_OK;
    case O_L1: return ob_parse_min("--l1", o->arg, 0, 0, &a->l1, e);
    case O_L2: return ob_parse_min("--l2", o->arg, 0, 0, &a->l2, e);
    case O_DROPOUT: a->dropout = o->arg; return OB_OK;
    case O_PRECISION:
        if (ob_parse_word("--precision", o->arg, precisions, &k, e)) return OB_EINVAL;
        a->c.dtype = dtypes[k];
        return OB_OK;
    case O_DATASET: d->dataset = o->arg; return OB_OK;
    case O_DATA: d->data = o->arg; return OB_OK;
    case O_VAL: return ob_parse_long("--val", o->arg, 0, 100000000L, &d->val, e);
    case O_SUBSET: return ob_parse_long("--subset", o->arg, 1, 100000000L, &d->subset, e);
    case O_SAMPLES: return ob_parse_long("--samples", o->arg, 4, 100000000L, &d->samples, e);
    case O_NOISE:
        d->have_noise = 1;
        return ob_parse_min("--noise", o->arg, 0, 0, &d->noise, e);
    case O_PREPROCESS:
        if (ob_parse_word("--preprocess", o->arg, pres, &k, e)) return OB_EINVAL;
        d->pre = pre[k];
        return OB_OK;
    }
    return ob_fail(e, OB_EINVAL, "internal: train option --%s is not handled", o->name);
}

/* --dropout P | p1,p2,... | preset (old spelling: seed) */
static ob_status parse_dropout(const char *arg, const ob_net_preset *p, ob_mlp_spec *s,
                               ob_error *e)
{
    const size_t hidden = s->n_layers - 1;
    if (strcmp(arg, "preset") == 0 || strcmp(arg, "seed") == 0) {
        int any = 0;
        for (size_t l = 0; p && l < hidden && l < p->n_hidden; l++) any |= p->preset_dropout[l] > 0;
        if (!p || !any || hidden != p->n_hidden)
            return ob_fail(e, OB_EINVAL, "--dropout preset needs a preset with its own per-layer "
                           "rates (deep4, deep5) and its layers");
        for (size_t l = 0; l < hidden; l++) s->dropout[l] = p->preset_dropout[l];
        return OB_OK;
    }
    double v[OB_MLP_MAX_LAYERS];
    size_t n;
    if (ob_parse_list("--dropout", arg, v, OB_MLP_MAX_LAYERS, &n, e)) return OB_EINVAL;
    if (hidden == 0) return ob_fail(e, OB_EINVAL, "--dropout: the network has no hidden layer");
    if (n != 1 && n != hidden)
        return ob_fail(e, OB_EINVAL, "--dropout takes one rate or one per hidden layer (%zu), "
                       "got %zu", hidden, n);
    for (size_t l = 0; l < hidden; l++) {
        s->dropout[l] = v[n == 1 ? 0 : l];
        if (!(s->dropout[l] >= 0 && s->dropout[l] < 1))
            return ob_fail(e, OB_EINVAL, "--dropout rates must be in [0, 1), got %g", s->dropout[l]);
    }
    return OB_OK;
}

/* the network's shape, before loading anything: sizes 0 and n_layers follow the data */
static ob_status build_spec(train_args *a, ob_error *e)
{
    static const char *const inits[] = {"auto", "xavier", "he", NULL};
    static const ob_init init_of[] = {OB_INIT_AUTO, OB_INIT_XAVIER, OB_INIT_HE};
    ob_mlp_spec *s = &a->c.spec;
    ob_net_preset_spec(a->P, 1, 2, s);
    if (a->layers) {
        double v[OB_MLP_MAX_LAYERS];
        size_t n;
        if (ob_parse_list("--layers", a->layers, v, OB_MLP_MAX_LAYERS - 1, &n, e)) return OB_EINVAL;
        for (size_t l = 0; l < n; l++) {
            if (!(v[l] >= 1 && v[l] <= 100000 && v[l] == floor(v[l])))
                return ob_fail(e, OB_EINVAL, "--layers takes hidden sizes, whole numbers in "
                               "[1, 100000], got %g", v[l]);
            s->sizes[l + 1] = (size_t)v[l];
        }
        s->n_layers = n + 1;
        if (!a->net) s->act = OB_ACT_RELU;
    }
    if (a->act && ob_act_parse(a->act, &s->act, e)) return OB_EINVAL;
    if (a->loss && ob_loss_parse(a->loss, &s->loss, e)) return OB_EINVAL;
    int k;
    if (a->init) {
        if (ob_parse_word("--init", a->init, inits, &k, e)) return OB_EINVAL;
        s->init = init_of[k];
    }
    s->leaky = a->leaky;
    s->l1 = a->l1;
    s->l2 = a->l2;
    if (a->dropout && parse_dropout(a->dropout, a->layers ? NULL : a->P, s, e)) return OB_EINVAL;
    return OB_OK;
}

/* the optimizer and schedule, with what a network cannot take */
static ob_status resolve_optimizer(train_args *a, const ob_optim_args *oa, ob_error *e)
{
    const ob_optimizer_type *T;
    if (ob_optim_args_resolve(oa, a->optimizer, &T, &a->c.h, &a->c.sched, e)) return OB_EINVAL;
    if (ob_train_optimizer_check(T, e)) return OB_EINVAL;
    if (T->full_gradient && a->have_batch)
        return ob_fail(e, OB_EINVAL, "--batch does not apply to %s (it uses the full gradient; "
                       "use sgd)", T->name);
    if (strcmp(a->c.sched.type->name, "theory") == 0) {
        const char *names[OB_NAMES_MAX];
        char list[256];
        size_t n = 0;
        for (const ob_schedule_type *const *t = ob_schedule_types; *t; t++)
            if (strcmp((*t)->name, "theory") != 0 && n + 1 < OB_NAMES_MAX) names[n++] = (*t)->name;
        names[n] = NULL;
        return ob_fail(e, OB_EINVAL, "--schedule theory needs a global Lipschitz constant, which "
                       "a network does not have (%s)", ob_accepted(list, sizeof list, names));
    }
    a->c.opt = T;
    return ob_schedule_check(&a->c.sched, e);
}

static ob_status unknown_net(const char *net, ob_error *e)
{
    const char *names[OB_NAMES_MAX];
    char list[512];
    OB_NAMES_OF(names, ob_net_presets);
    return ob_fail(e, OB_EINVAL, "unknown network '%s' (%s; or --layers a,b,...)", net,
                   ob_accepted(list, sizeof list, names));
}

static ob_status train_parse(int argc, char **argv, train_args *a, ob_error *e)
{
    memset(a, 0, sizeof *a);
    a->optimizer = "adam"; /* torch's defaults: `optbench train --net netA` works as typed */
    a->leaky = 0.01;
    a->data = (data_opts){.val = OB_FASHION_MNIST_VAL, .seed = 1};
    a->c = (ob_train_config){.dtype = OB_F32, .epochs = 10, .batch = OB_TRAIN_BATCH,
                              .seed = 1, .log_every = LOG_AUTO};
    ob_optim_args oa;
    ob_optim_args_init(&oa);
    ob_cli_parser p;
    ob_cli_arg o;
    int r;
    ob_cli_begin(&p, &ob_train_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, e)) == 1) {
        if (o.id == OB_CLI_HELP) return a->help = 1, OB_OK;
        int taken = ob_optim_args_take(&oa, &o, e);
        if (!taken) taken = take(a, &o, e) == OB_OK ? 1 : -1;
        if (taken < 0) return OB_EINVAL;
    }
    if (r < 0 || ob_cli_operands(&p, 0, 0, NULL, NULL, e)) return OB_EINVAL;
    if (!a->net && !a->layers) return ob_cli_required("train", "--net (or --layers) is", e);
    a->P = ob_net_preset_find(a->net ? a->net : "netA");
    if (!a->P) return unknown_net(a->net, e);
    if (resolve_optimizer(a, &oa, e) || build_spec(a, e)) return OB_EINVAL;
    data_opts *d = &a->data;
    if (!d->dataset && !d->data) d->dataset = a->P->dataset;
    if (d->data && d->dataset)
        return ob_fail(e, OB_EINVAL, "--data and --dataset exclude each other");
    if (d->dataset && ob_dataset_lookup("--dataset", d->dataset, &d->T, e)) return OB_EINVAL;
    if (!a->out) { /* netA-adam.csv in the current directory */
        snprintf(a->out_buf, sizeof a->out_buf, "%s-%s.csv", a->net ? a->net : "mlp",
                 a->c.opt->name);
        a->out = a->out_buf;
    }
    if (a->plot && strcmp(a->out, "-") == 0)
        return ob_fail(e, OB_EINVAL, "--plot draws from the files the run writes: give --out "
                       "FILE.csv, not -");
    return OB_OK;
}

/* ---- data ----------------------------------------------------------------------------- */

/* --dataset NAME (the registry's) or --data PATH, with the options that shape it */
static ob_status load_data(const data_opts *d, ob_splits *sp, ob_error *e)
{
    ob_dataset_opts o = ob_dataset_defaults();
    o.seed = o.split_seed = d->seed;
    o.val = (size_t)d->val;
    o.samples = (size_t)d->samples;
    if (d->have_noise) o.noise = d->noise;
    o.subset = (size_t)d->subset;
    ob_status st = d->data ? ob_dataset_load_path(d->data, &o, sp, e)
                           : ob_dataset_load(d->T, &o, sp, e);
    if (st != OB_OK) return st;
    if (d->pre != OB_PRE_NONE) st = ob_preprocess_apply(sp, d->pre, 1e-5, e);
    if (st != OB_OK) ob_splits_free(sp);
    return st;
}

/* ---- the CSV and the progress: a bar on a terminal, a plain line per epoch elsewhere -- */

typedef struct {
    int bar;          /* stderr is a terminal */
    int lines;        /* one line per epoch on stderr (not --quiet) */
    int last_pct;
    long epochs;
} train_out;

static ob_status write_row(void *ctx, const ob_train_row *r, ob_error *err)
{
    train_out *o = ctx;
    (void)err;
    if (o->bar) fprintf(stderr, "\r%60s\r", "");
    if (o->lines)
        fprintf(stderr, "epoch %ld/%ld: train loss %.4f acc %.4f, val acc %.4f, test acc %.4f\n",
                r->epoch, o->epochs, r->loss[0], r->acc[0], r->acc[1], r->acc[2]);
    return OB_OK;
}

static void progress(void *ctx, long epoch, size_t batch, size_t n_batches, double loss)
{
    train_out *o = ctx;
    int pct = (int)(100 * batch / n_batches);
    if (pct == o->last_pct) return;
    o->last_pct = pct;
    char bar[31];
    for (int i = 0; i < 30; i++) bar[i] = i < pct * 30 / 100 ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\repoch %ld/%ld [%s] %3d%% loss %.4f", epoch, o->epochs, bar, pct, loss);
    if (batch == n_batches) o->last_pct = -1;
}

/* ---- run and print ---------------------------------------------------------------------- */

/* trains on sp and writes the CSV and its summary (and the step log), together or not at all */
static ob_status execute(train_args *a, const ob_splits *sp, ob_train_result *res, ob_error *e)
{
    ob_train_config *c = &a->c;
    ob_mlp_spec *s = &c->spec;
    s->sizes[0] = sp->train.d;
    s->sizes[s->n_layers] = s->loss != OB_LOSS_MARGIN ? sp->train.classes : 1;
    ob_status st = ob_mlp_spec_check(s, e);
    if (st != OB_OK) return st;
    c->sched.N = c->epochs * (long)((sp->train.n + c->batch - 1) / c->batch); /* updates */
    /* a curve after one epoch: about 50 rows (the bench's), unless --sharpness-every K
     * sets the rows (every K) or the CSV goes to standard output (no step log) */
    if (c->log_every == LOG_AUTO)
        c->log_every = strcmp(a->out, "-") && c->sharpness_every == 0
                           ? ob_train_log_every(c, sp->train.n, LOG_ROWS) : 0;
    int tty = isatty(2);
    train_out to = {.bar = tty && !a->quiet, .lines = !a->quiet, .last_pct = -1,
                    .epochs = c->epochs};
    ob_train_observer echo = {.row = write_row, .progress = to.bar ? progress : NULL, .ctx = &to};
    /* a plugin's code runs in this process: a crash or an exit() from it removes the
     * temporary files and names it (common/interrupt.h) */
    if (ob_plugin_loaded(c->opt))
        ob_interrupt_run_begin("%soptbench train: the optimizer plugin %s", to.bar ? "\n" : "",
                               ob_plugin_path(c->opt));
    st = ob_train_files(a->out, a->summary, a->net ? a->net : "mlp", c, sp, &echo, res, e);
    ob_interrupt_run_end();
    return st;
}

static void print(const train_args *a, const ob_train_result *res)
{
    /* with the CSV on standard output, the line goes to standard error */
    fprintf(strcmp(a->out, "-") == 0 ? stderr : stdout,
            "%s %s (%s, %zu parameters, %s): %s after %ld epochs, %ld steps; test acc %.4f, "
            "val acc %.4f; %.3g s training, %.3g s per epoch (median)\n",
           a->net ? a->net : "mlp", a->c.opt->name, a->c.dtype == OB_F32 ? "float32" : "float64",
           res->n_params, ob_loss_name(a->c.spec.loss),
           res->status == OB_OK ? "ok" : ob_status_name(res->status), res->epochs_done,
           res->steps, res->last.acc[OB_SPLIT_TEST], res->last.acc[OB_SPLIT_VAL], res->seconds,
           res->epoch_seconds_median);
}

/* every file the run will write, checked before any work (see cmd_run.c) */
static ob_status check_outputs(const train_args *a, ob_error *e)
{
    int to_stdout = strcmp(a->out, "-") == 0;
    char *sum = a->summary ? NULL : ob_summary_path(a->out);
    char *steps = !to_stdout && (a->c.log_every != 0 || a->c.sharpness_every > 0)
                      ? ob_steplog_path(a->out) : NULL;
    ob_status s = ob_out_check(a->out, "--out", e);
    if (s == OB_OK)
        s = ob_out_check(a->summary ? a->summary : sum, a->summary ? "--summary" : "--out", e);
    if (s == OB_OK) s = ob_out_check(steps, "--out", e);
    if (s == OB_OK) s = ob_out_check(a->plot, "--plot", e);
    free(sum);
    free(steps);
    return s;
}

static void help(void)
{
    ob_cli_help(stdout, &ob_train_command);
    printf("\nnetworks (input and output sizes follow the data):\n");
    for (const ob_net_preset *const *p = ob_net_presets; *p; p++)
        printf("  %-8s %s\n", (*p)->name, (*p)->summary);
}

int ob_cmd_train(int argc, char **argv)
{
    static train_args a;
    ob_error e = {{0}};
    if (train_parse(argc, argv, &a, &e) != OB_OK) return ob_cli_bad("train", &e);
    if (a.help) return help(), 0;
    if (check_outputs(&a, &e) != OB_OK) return ob_cli_bad("train", &e);
    ob_splits sp;
    ob_status st = load_data(&a.data, &sp, &e);
    if (st != OB_OK) {
        fprintf(stderr, "optbench train: %s\n", e.msg);
        return ob_exit_code(st);
    }
    ob_train_result res;
    ob_warn_decay("train", a.c.opt, &a.c.h);
    st = execute(&a, &sp, &res, &e);
    ob_splits_free(&sp);
    if (st != OB_OK) {
        fprintf(stderr, "optbench train: %s\n", e.msg);
        return ob_exit_code(st);
    }
    if (!a.quiet) print(&a, &res);
    if (a.plot) { /* the figure, from the files just written */
        if ((st = ob_plot_train_overview(a.out, a.plot, &e)) != OB_OK) {
            fprintf(stderr, "optbench train: %s\n", e.msg);
            return ob_exit_code(st);
        }
        if (!a.quiet) printf("wrote %s\n", a.plot);
    }
    return 0;
}
