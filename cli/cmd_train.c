/* cmd_train.c - `optbench train`: one network training run, written as DESIGN.md's
 * training CSV (one row per epoch, row 0 before training).
 * The optimizer and schedule options are the shared ones of cli/options.h. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/csvout.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "runs/trainlog.h"
#include "runs/traj.h"
#include "nets/dataset.h"
#include "nets/presets.h"
#include "nets/train.h"

static const char train_usage[] =
    "usage: optbench train --net N --optimizer O --out FILE.csv [options]\n"
    "\n"
    "network:    --net softmax|netA|netB|deep4|deep5|window (see below)\n"
    "            --layers 300,100 (hidden sizes; replaces the preset's, --net optional)\n"
    "            --act relu|leaky-relu|sigmoid|tanh|hardtanh|softsign|identity  --leaky 0.01\n"
    "            --loss xent|mse|margin  --init auto|xavier|he (auto: He for ReLU, else Xavier)\n"
    "            --l1 0 --l2 0 (penalty l1*sum|W| + l2/2*sum W^2 on weights)\n"
    "            --dropout P | p1,p2,... (per hidden layer) | seed (the preset's rates)\n"
    "            --precision float32|float64 (float32)\n"
    "training:   --epochs 10  --batch 128 (gd: the whole training split)  --seed 1\n"
    "            --lr (the optimizer's default)  --quiet\n"
    "data:       --dataset fashion-mnist|spirals|moons|windows (the preset's; fashion-mnist)\n"
    "            --data DIR (IDX files with the MNIST names) | FILE.csv (features, label)\n"
    "            --val 6000 (IDX: validation samples held out of the training file;\n"
    "            CSV: 10%% validation, 20%% test)  --subset N (first N training samples)\n"
    "            --samples 2000 (synthetic training size; val and test get a quarter each)\n"
    "            --noise (spirals 0.2, moons 0.1)  --preprocess none|center|standardize|whiten\n"
    "schedule:   --schedule constant|step|exp|inv|tau|invsqrt (t counts updates)\n"
    "            --decay-factor 0.5 --decay-every 100 --decay-rate 0.01 --tau 100\n"
    "optimizer:  --momentum --dampening --nesterov --seed-form        (sgd family)\n"
    "            --beta1 0.9 --beta2 0.999 --eps --amsgrad --adamw     (adam)\n"
    "            --alpha 0.99 --centered --eps-inside                  (rmsprop, adagrad)\n"
    "            --lr-decay 0 --initial-accumulator 0                  (adagrad)\n"
    "            --etas 0.5,1.2 --step-sizes 1e-6,50 --sign-only      (rprop)\n"
    "            --weight-decay 0\n"
    "\n"
    "Writes FILE.csv: epoch,step,seconds,lr,train_loss,train_acc,val_loss,val_acc,test_loss,\n"
    "test_acc; row 0 before training; seconds = training time only (no loading, no\n"
    "evaluation); losses are mean data losses without dropout or penalty.\n"
    "\n"
    "networks (input and output sizes follow the data):\n";

enum {
    O_NET = 256, O_OPTIMIZER, O_OUT, O_EPOCHS, O_BATCH, O_SEED, O_QUIET, O_LAYERS, O_ACT,
    O_LEAKY, O_LOSS, O_INIT, O_L1, O_L2, O_DROPOUT, O_PRECISION, O_DATASET, O_DATA, O_VAL,
    O_SUBSET, O_SAMPLES, O_NOISE, O_PREPROCESS, O_HELP,
};

static const struct option train_options[] = {
    {"net", required_argument, 0, O_NET},
    {"optimizer", required_argument, 0, O_OPTIMIZER},
    {"out", required_argument, 0, O_OUT},
    {"epochs", required_argument, 0, O_EPOCHS},
    {"batch", required_argument, 0, O_BATCH},
    {"seed", required_argument, 0, O_SEED},
    {"quiet", no_argument, 0, O_QUIET},
    {"layers", required_argument, 0, O_LAYERS},
    {"act", required_argument, 0, O_ACT},
    {"leaky", required_argument, 0, O_LEAKY},
    {"loss", required_argument, 0, O_LOSS},
    {"init", required_argument, 0, O_INIT},
    {"l1", required_argument, 0, O_L1},
    {"l2", required_argument, 0, O_L2},
    {"dropout", required_argument, 0, O_DROPOUT},
    {"precision", required_argument, 0, O_PRECISION},
    {"dataset", required_argument, 0, O_DATASET},
    {"data", required_argument, 0, O_DATA},
    {"val", required_argument, 0, O_VAL},
    {"subset", required_argument, 0, O_SUBSET},
    {"samples", required_argument, 0, O_SAMPLES},
    {"noise", required_argument, 0, O_NOISE},
    {"preprocess", required_argument, 0, O_PREPROCESS},
    {"help", no_argument, 0, O_HELP},
    OB_OPTIMIZER_OPTIONS,
    OB_SCHEDULE_OPTIONS,
    {0, 0, 0, 0},
};

static int bad(const ob_error *e)
{
    fprintf(stderr, "optbench train: %s\n", e->msg);
    return 2;
}

static void print_usage(void)
{
    fputs(train_usage, stdout);
    for (const ob_net_preset *const *p = ob_net_presets; *p; p++)
        printf("  %-8s %s\n", (*p)->name, (*p)->summary);
}

/* ---- the CSV and the progress bar ----------------------------------------------------- */

typedef struct {
    ob_trainlog log;  /* first: the row callback of trainlog.c gets this struct */
    int bar;          /* stderr is a terminal */
    int last_pct;
    long epochs;
} train_out;

static ob_status write_row(void *ctx, const ob_train_row *r, ob_error *err)
{
    train_out *o = ctx;
    if (o->bar) fprintf(stderr, "\r%60s\r", "");
    ob_status s = ob_trainlog_row(&o->log, r, err);
    if (o->bar)
        fprintf(stderr, "epoch %ld/%ld: train loss %.4f acc %.4f, val acc %.4f, test acc %.4f\n",
                r->epoch, o->epochs, r->loss[0], r->acc[0], r->acc[1], r->acc[2]);
    return s;
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

/* ---- data ----------------------------------------------------------------------------- */

typedef struct {
    const char *dataset, *data;
    long val, subset, samples;
    double noise;
    int have_noise;
    ob_preprocess pre;
    unsigned long seed;
} data_opts;

static ob_status load_data(const data_opts *d, ob_splits *sp, ob_error *e)
{
    memset(sp, 0, sizeof *sp);
    ob_status st;
    const char *name = d->dataset ? d->dataset : "fashion-mnist";
    size_t n = d->samples > 0 ? (size_t)d->samples : 0;
    if (d->data) {
        struct stat sb;
        if (stat(d->data, &sb) != 0)
            return ob_fail(e, OB_EIO, "--data: cannot read '%s' (a directory of IDX files or a "
                           "CSV file)", d->data);
        st = S_ISDIR(sb.st_mode) ? ob_load_idx_dir(d->data, (size_t)d->val, d->seed, sp, e)
                                 : ob_load_csv_dataset(d->data, 0.1, 0.2, d->seed, sp, e);
    } else if (strcmp(name, "fashion-mnist") == 0) {
        st = ob_load_idx_dir(OB_FASHION_MNIST_DIR, (size_t)d->val, d->seed, sp, e);
    } else if (strcmp(name, "spirals") == 0) {
        if (!n) n = 2000;
        st = ob_make_spirals(n, n / 4, n / 4, d->have_noise ? d->noise : 0.2, d->seed, sp, e);
    } else if (strcmp(name, "moons") == 0) {
        if (!n) n = 2000;
        st = ob_make_moons(n, n / 4, n / 4, d->have_noise ? d->noise : 0.1, d->seed, sp, e);
    } else if (strcmp(name, "windows") == 0) {
        if (!n) n = 2000;
        st = ob_make_windows(n, n / 4, n / 4, d->seed, sp, e);
    } else {
        return ob_fail(e, OB_EINVAL, "unknown --dataset '%s' (accepted: fashion-mnist, spirals, "
                       "moons, windows; or --data DIR|FILE.csv)", name);
    }
    if (st != OB_OK) return st;
    if (d->subset > 0 && (size_t)d->subset < sp->train.n) sp->train.n = (size_t)d->subset;
    if (d->pre != OB_PRE_NONE) st = ob_preprocess_apply(sp, d->pre, 1e-5, e);
    if (st != OB_OK) ob_splits_free(sp);
    return st;
}

/* --dropout P | p1,p2,... | seed */
static ob_status parse_dropout(const char *arg, const ob_net_preset *p, ob_mlp_spec *s,
                               ob_error *e)
{
    const size_t hidden = s->n_layers - 1;
    if (strcmp(arg, "seed") == 0) {
        int any = 0;
        for (size_t l = 0; p && l < hidden && l < p->n_hidden; l++) any |= p->seed_dropout[l] > 0;
        if (!p || !any || hidden != p->n_hidden)
            return ob_fail(e, OB_EINVAL, "--dropout seed needs a preset with the seed's per-layer "
                           "rates (deep4, deep5) and its layers");
        for (size_t l = 0; l < hidden; l++) s->dropout[l] = p->seed_dropout[l];
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

static void list_presets(FILE *f)
{
    for (const ob_net_preset *const *t = ob_net_presets; *t; t++)
        fprintf(f, "%s%s", (*t)->name, t[1] ? ", " : "");
}

int ob_cmd_train(int argc, char **argv)
{
    const char *net = NULL, *opt_name = NULL, *out = NULL;
    const char *layers = NULL, *act = NULL, *loss = NULL, *init = NULL, *dropout = NULL;
    data_opts dopt = {.val = 6000, .seed = 1};
    ob_train_config c = {.dtype = OB_F32, .epochs = 10, .batch = 128, .seed = 1};
    double l1 = 0, l2 = 0, leaky = 0.01;
    int have_batch = 0, quiet = 0, taken;
    long lval;
    ob_error e = {{0}};
    ob_schedule sched;
    ob_optim_args oa;
    ob_optim_args_init(&oa);
    ob_splits sp = {0};
    int have_data = 0, rc = 2;
    opterr = 0;
    optind = 1;
    int ch;
    while ((ch = getopt_long(argc, argv, "", train_options, NULL)) != -1) {
        switch (ch) {
        case O_HELP:
            print_usage();
            rc = 0;
            goto out;
        case O_NET: net = optarg; break;
        case O_OPTIMIZER: opt_name = optarg; break;
        case O_OUT: out = optarg; break;
        case O_EPOCHS:
            if (ob_parse_long("--epochs", optarg, 0, 1000000L, &c.epochs, &e)) goto usage_error;
            break;
        case O_BATCH:
            if (ob_parse_long("--batch", optarg, 1, 1L << 24, &lval, &e)) goto usage_error;
            c.batch = (size_t)lval;
            have_batch = 1;
            break;
        case O_SEED:
            if (ob_parse_long("--seed", optarg, 0, 2147483647L, &lval, &e)) goto usage_error;
            c.seed = dopt.seed = (unsigned long)lval;
            break;
        case O_QUIET: quiet = 1; break;
        case O_LAYERS: layers = optarg; break;
        case O_ACT: act = optarg; break;
        case O_LEAKY:
            if (ob_parse_double("--leaky", optarg, &leaky, &e)) goto usage_error;
            break;
        case O_LOSS: loss = optarg; break;
        case O_INIT: init = optarg; break;
        case O_L1:
            if (ob_parse_double("--l1", optarg, &l1, &e)) goto usage_error;
            if (l1 < 0) { ob_fail(&e, OB_EINVAL, "--l1 must be >= 0, got %g", l1); goto usage_error; }
            break;
        case O_L2:
            if (ob_parse_double("--l2", optarg, &l2, &e)) goto usage_error;
            if (l2 < 0) { ob_fail(&e, OB_EINVAL, "--l2 must be >= 0, got %g", l2); goto usage_error; }
            break;
        case O_DROPOUT: dropout = optarg; break;
        case O_PRECISION:
            if (strcmp(optarg, "float32") == 0) c.dtype = OB_F32;
            else if (strcmp(optarg, "float64") == 0) c.dtype = OB_F64;
            else {
                ob_fail(&e, OB_EINVAL, "--precision: '%s' is not accepted (float32, float64)", optarg);
                goto usage_error;
            }
            break;
        case O_DATASET: dopt.dataset = optarg; break;
        case O_DATA: dopt.data = optarg; break;
        case O_VAL:
            if (ob_parse_long("--val", optarg, 0, 100000000L, &dopt.val, &e)) goto usage_error;
            break;
        case O_SUBSET:
            if (ob_parse_long("--subset", optarg, 1, 100000000L, &dopt.subset, &e)) goto usage_error;
            break;
        case O_SAMPLES:
            if (ob_parse_long("--samples", optarg, 4, 100000000L, &dopt.samples, &e)) goto usage_error;
            break;
        case O_NOISE:
            if (ob_parse_double("--noise", optarg, &dopt.noise, &e)) goto usage_error;
            if (dopt.noise < 0) { ob_fail(&e, OB_EINVAL, "--noise must be >= 0, got %g", dopt.noise); goto usage_error; }
            dopt.have_noise = 1;
            break;
        case O_PREPROCESS:
            if (strcmp(optarg, "none") == 0) dopt.pre = OB_PRE_NONE;
            else if (strcmp(optarg, "center") == 0) dopt.pre = OB_PRE_CENTER;
            else if (strcmp(optarg, "standardize") == 0) dopt.pre = OB_PRE_STANDARDIZE;
            else if (strcmp(optarg, "whiten") == 0) dopt.pre = OB_PRE_WHITEN;
            else {
                ob_fail(&e, OB_EINVAL, "--preprocess: '%s' is not accepted (none, center, "
                        "standardize, whiten)", optarg);
                goto usage_error;
            }
            break;
        case '?':
            if (optopt >= 256) ob_fail(&e, OB_EINVAL, "option --%s needs a value or takes none (see optbench train --help)",
                                ob_option_name(train_options, optopt));
            else if (optopt) ob_fail(&e, OB_EINVAL, "unknown option '-%c' (see optbench train --help)", optopt);
            else ob_fail(&e, OB_EINVAL, "unknown option '%s' (see optbench train --help)", argv[optind - 1]);
            goto usage_error;
        default: /* optimizer and schedule options: resolved once the optimizer is known */
            taken = ob_optim_args_take(&oa, ch, optarg, &e);
            if (taken < 0) goto usage_error;
            break;
        }
    }
    if (optind < argc) {
        ob_fail(&e, OB_EINVAL, "unexpected argument '%s' (see optbench train --help)", argv[optind]);
        goto usage_error;
    }
    if ((!net && !layers) || !opt_name || !out) {
        ob_fail(&e, OB_EINVAL, "--net (or --layers), --optimizer and --out are required (see "
                "optbench train --help)");
        goto usage_error;
    }
    const ob_net_preset *P = net ? ob_net_preset_find(net) : ob_net_preset_find("netA");
    if (!P) {
        fprintf(stderr, "optbench train: unknown network '%s' (accepted: ", net);
        list_presets(stderr);
        fprintf(stderr, "; or --layers a,b,...)\n");
        goto out;
    }
    const ob_optimizer_type *T;
    if (ob_optim_args_resolve(&oa, opt_name, &T, &c.h, &sched, &e) != OB_OK) goto usage_error;
    if (T->needs_objective) {
        ob_fail(&e, OB_EINVAL, "--optimizer %s needs a full-batch objective; networks train with "
                "gd, sgd, momentum, nag, rprop, adagrad, rmsprop or adam", T->name);
        goto usage_error;
    }
    if (T->full_gradient && have_batch) {
        ob_fail(&e, OB_EINVAL, "--batch does not apply to %s (it uses the full gradient; use sgd)",
                T->name);
        goto usage_error;
    }
    if (strcmp(sched.type->name, "theory") == 0) {
        ob_fail(&e, OB_EINVAL, "--schedule theory needs a global Lipschitz constant, which a "
                "network does not have (accepted here: constant, step, exp, inv, tau, invsqrt)");
        goto usage_error;
    }
    if (ob_schedule_check(&sched, &e) != OB_OK) goto usage_error;
    c.opt = T;

    /* the network's shape, before loading anything: sizes 0 and n_layers follow the data */
    ob_mlp_spec *s = &c.spec;
    ob_net_preset_spec(P, 1, 2, s);
    if (layers) {
        double v[OB_MLP_MAX_LAYERS];
        size_t n;
        if (ob_parse_list("--layers", layers, v, OB_MLP_MAX_LAYERS - 1, &n, &e)) goto usage_error;
        for (size_t l = 0; l < n; l++) {
            if (!(v[l] >= 1 && v[l] <= 100000 && v[l] == floor(v[l]))) {
                ob_fail(&e, OB_EINVAL, "--layers takes hidden sizes, whole numbers in [1, 100000], "
                        "got %g", v[l]);
                goto usage_error;
            }
            s->sizes[l + 1] = (size_t)v[l];
        }
        s->n_layers = n + 1;
        if (!net) s->act = OB_ACT_RELU;
    }
    if (act && ob_act_parse(act, &s->act, &e)) goto usage_error;
    if (loss && ob_loss_parse(loss, &s->loss, &e)) goto usage_error;
    if (init) {
        if (strcmp(init, "auto") == 0) s->init = OB_INIT_AUTO;
        else if (strcmp(init, "xavier") == 0) s->init = OB_INIT_XAVIER;
        else if (strcmp(init, "he") == 0) s->init = OB_INIT_HE;
        else {
            ob_fail(&e, OB_EINVAL, "--init: '%s' is not accepted (auto, xavier, he)", init);
            goto usage_error;
        }
    }
    s->leaky = leaky;
    s->l1 = l1;
    s->l2 = l2;
    if (dropout && parse_dropout(dropout, layers ? NULL : P, s, &e)) goto usage_error;
    if (!dopt.dataset && !dopt.data) dopt.dataset = P->dataset;
    if (dopt.data && dopt.dataset) {
        ob_fail(&e, OB_EINVAL, "--data and --dataset exclude each other");
        goto usage_error;
    }

    ob_status st = load_data(&dopt, &sp, &e);
    if (st != OB_OK) {
        fprintf(stderr, "optbench train: %s\n", e.msg);
        rc = ob_exit_code(st);
        goto out;
    }
    have_data = 1;
    s->sizes[0] = sp.train.d;
    if (s->loss != OB_LOSS_MARGIN) s->sizes[s->n_layers] = sp.train.classes;
    else s->sizes[s->n_layers] = 1;
    if ((st = ob_mlp_spec_check(s, &e)) != OB_OK) goto usage_error;
    sched.N = c.epochs * (long)((sp.train.n + c.batch - 1) / c.batch); /* updates in the run */
    c.sched = sched;

    train_out to = {.bar = isatty(2) && !quiet, .last_pct = -1, .epochs = c.epochs};
    if ((st = ob_trainlog_open(&to.log, out, &e)) != OB_OK) {
        fprintf(stderr, "optbench train: %s\n", e.msg);
        rc = ob_exit_code(st);
        goto out;
    }
    ob_train_observer obs = {.row = write_row, .progress = to.bar ? progress : NULL, .ctx = &to};
    ob_train_result res;
    st = ob_train(&c, &sp, &obs, &res, &e);
    if (st == OB_OK) st = ob_csv_commit(&to.log.csv, &e);
    else ob_csv_abort(&to.log.csv);
    if (st == OB_OK) { /* FILE.summary.csv beside it, as optbench run writes */
        char *spath = ob_summary_path(out);
        st = spath ? ob_train_summary_write(spath, net ? net : "mlp", &c, &res, &to.log, &e)
                   : ob_fail(&e, OB_ENOMEM, "out of memory");
        if (st != OB_OK) remove(out);
        free(spath);
    }
    if (st != OB_OK) {
        fprintf(stderr, "optbench train: %s\n", e.msg);
        rc = ob_exit_code(st);
        goto out;
    }
    rc = 0;
    if (!quiet)
        printf("%s %s (%s, %zu parameters, %s): %s after %ld epochs, %ld steps; test acc %.4f, "
               "val acc %.4f; %.3g s training, %.3g s per epoch (median)\n",
               net ? net : "mlp", T->name, c.dtype == OB_F32 ? "float32" : "float64",
               res.n_params, ob_loss_name(s->loss),
               res.status == OB_OK ? "ok" : ob_status_name(res.status), res.epochs_done,
               res.steps, res.last.acc[OB_SPLIT_TEST], res.last.acc[OB_SPLIT_VAL], res.seconds,
               res.epoch_seconds_median);
    goto out;
usage_error:
    rc = bad(&e);
out:
    if (have_data) ob_splits_free(&sp);
    return rc;
}
