/* cmd_run.c - `optbench run`: one run on an analytic problem, written as a trajectory
 * CSV plus a one-row summary CSV beside it. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli.h"
#include "harness/commands.h"
#include "harness/run.h"
#include "harness/traj.h"

static const char run_usage[] =
    "usage: optbench run --problem P --optimizer O --out FILE.csv [options]\n"
    "\n"
    "run:        --steps 1000  --lr (the optimizer's default)  --x0 a,b,...  --seed 1\n"
    "            --noise SIGMA (additive N(0, sigma^2/n I) gradient noise)\n"
    "            --batch B (finite sums: mini-batch size; sgd defaults to 1 there)\n"
    "            --log-every 1  --log-x (x columns above 100 dimensions)  --quiet\n"
    "schedule:   --schedule constant|step|exp|inv|tau|invsqrt|theory\n"
    "            --decay-factor 0.5 --decay-every 100 --decay-rate 0.01 --tau 100\n"
    "optimizer:  --momentum --dampening --nesterov --seed-form        (sgd family)\n"
    "            --beta1 0.9 --beta2 0.999 --eps --amsgrad --adamw     (adam)\n"
    "            --alpha 0.99 --centered --eps-inside                  (rmsprop, adagrad)\n"
    "            --lr-decay 0 --initial-accumulator 0                  (adagrad)\n"
    "            --etas 0.5,1.2 --step-sizes 1e-6,50 --sign-only      (rprop)\n"
    "            --weight-decay 0\n"
    "problem:    --dim --kappa --rotate --samples --separable --l2 --data FILE.csv\n"
    "\n"
    "Writes FILE.csv (step,loss,grad_norm,evals,lr,seconds,x1..xn; row 0 = start) and\n"
    "FILE.summary.csv (status ok|diverged|stalled, final loss and gap, evaluations, time).\n"
    "`optbench list` shows every optimizer, schedule and problem with its defaults.\n";

int ob_exit_code(int status)
{
    return status == OB_EINVAL || status == OB_EDATA || status == OB_EIO ? 2 : 1;
}

enum {
    O_PROBLEM = 256, O_OPTIMIZER, O_OUT, O_LR, O_STEPS, O_X0, O_SEED, O_NOISE, O_BATCH,
    O_LOG_EVERY, O_LOG_X, O_QUIET, O_SCHEDULE, O_DECAY_FACTOR, O_DECAY_EVERY, O_DECAY_RATE,
    O_TAU, O_MOMENTUM, O_DAMPENING, O_NESTEROV, O_SEED_FORM, O_BETA1, O_BETA2, O_EPS,
    O_AMSGRAD, O_ADAMW, O_ALPHA, O_CENTERED, O_EPS_INSIDE, O_LR_DECAY, O_INIT_ACC, O_ETAS,
    O_STEP_SIZES, O_SIGN_ONLY, O_WEIGHT_DECAY, O_DIM, O_KAPPA, O_ROTATE, O_SAMPLES,
    O_SEPARABLE, O_L2, O_DATA, O_HELP,
};

static const struct option run_options[] = {
    {"problem", required_argument, 0, O_PROBLEM},
    {"optimizer", required_argument, 0, O_OPTIMIZER},
    {"out", required_argument, 0, O_OUT},
    {"lr", required_argument, 0, O_LR},
    {"steps", required_argument, 0, O_STEPS},
    {"x0", required_argument, 0, O_X0},
    {"seed", required_argument, 0, O_SEED},
    {"noise", required_argument, 0, O_NOISE},
    {"batch", required_argument, 0, O_BATCH},
    {"log-every", required_argument, 0, O_LOG_EVERY},
    {"log-x", no_argument, 0, O_LOG_X},
    {"quiet", no_argument, 0, O_QUIET},
    {"schedule", required_argument, 0, O_SCHEDULE},
    {"decay-factor", required_argument, 0, O_DECAY_FACTOR},
    {"decay-every", required_argument, 0, O_DECAY_EVERY},
    {"decay-rate", required_argument, 0, O_DECAY_RATE},
    {"tau", required_argument, 0, O_TAU},
    {"momentum", required_argument, 0, O_MOMENTUM},
    {"dampening", required_argument, 0, O_DAMPENING},
    {"nesterov", no_argument, 0, O_NESTEROV},
    {"seed-form", no_argument, 0, O_SEED_FORM},
    {"beta1", required_argument, 0, O_BETA1},
    {"beta2", required_argument, 0, O_BETA2},
    {"eps", required_argument, 0, O_EPS},
    {"amsgrad", no_argument, 0, O_AMSGRAD},
    {"adamw", no_argument, 0, O_ADAMW},
    {"alpha", required_argument, 0, O_ALPHA},
    {"centered", no_argument, 0, O_CENTERED},
    {"eps-inside", no_argument, 0, O_EPS_INSIDE},
    {"lr-decay", required_argument, 0, O_LR_DECAY},
    {"initial-accumulator", required_argument, 0, O_INIT_ACC},
    {"etas", required_argument, 0, O_ETAS},
    {"step-sizes", required_argument, 0, O_STEP_SIZES},
    {"sign-only", no_argument, 0, O_SIGN_ONLY},
    {"weight-decay", required_argument, 0, O_WEIGHT_DECAY},
    {"dim", required_argument, 0, O_DIM},
    {"kappa", required_argument, 0, O_KAPPA},
    {"rotate", no_argument, 0, O_ROTATE},
    {"samples", required_argument, 0, O_SAMPLES},
    {"separable", no_argument, 0, O_SEPARABLE},
    {"l2", required_argument, 0, O_L2},
    {"data", required_argument, 0, O_DATA},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0},
};

/* Which optimizers read an optimizer option: giving one to another rule is a mistake
 * worth an error (a silently ignored --beta1 on sgd hides a typo in a benchmark). */
static const struct {
    int id;
    const char *applies; /* space-separated optimizer names */
} hparam_scope[] = {
    {O_MOMENTUM, "gd sgd momentum nag rmsprop"},
    {O_DAMPENING, "gd sgd momentum nag"},
    {O_NESTEROV, "gd sgd momentum nag"},
    {O_SEED_FORM, "momentum nag"},
    {O_BETA1, "adam"},
    {O_BETA2, "adam"},
    {O_EPS, "adam adagrad rmsprop"},
    {O_AMSGRAD, "adam"},
    {O_ADAMW, "adam"},
    {O_ALPHA, "rmsprop"},
    {O_CENTERED, "rmsprop"},
    {O_EPS_INSIDE, "adagrad rmsprop"},
    {O_LR_DECAY, "adagrad"},
    {O_INIT_ACC, "adagrad"},
    {O_ETAS, "rprop"},
    {O_STEP_SIZES, "rprop"},
    {O_SIGN_ONLY, "rprop"},
    {O_WEIGHT_DECAY, "gd sgd momentum nag adagrad rmsprop adam"},
};

static int word_in(const char *word, const char *list)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')) return 1;
    return 0;
}

static const char *option_name(int id)
{
    for (const struct option *o = run_options; o->name; o++)
        if (o->val == id) return o->name;
    return "?";
}

static void list_names_problem(FILE *f)
{
    for (const ob_problem_type *const *t = ob_problem_types; *t; t++)
        fprintf(f, "%s%s", (*t)->name, t[1] ? ", " : "");
}

static void list_names_optimizer(FILE *f)
{
    for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++)
        fprintf(f, "%s%s", (*t)->name, t[1] ? ", " : "");
}

static void list_names_schedule(FILE *f)
{
    for (const ob_schedule_type *const *t = ob_schedule_types; *t; t++)
        fprintf(f, "%s%s", (*t)->name, t[1] ? ", " : "");
}

static int bad(const ob_error *e)
{
    fprintf(stderr, "optbench run: %s\n", e->msg);
    return 2;
}

int ob_cmd_run(int argc, char **argv)
{
    const char *prob_name = NULL, *opt_name = NULL, *out = NULL, *sched_name = "constant";
    ob_problem_opts popts = {.seed = 1};
    ob_run_config c = {.steps = 1000, .seed = 1};
    ob_observer obs = {.row = ob_traj_row, .every = 1};
    int log_x = 0, quiet = 0;
    double x0[4096];
    size_t nx0 = 0;
    int have_x0 = 0, have_lr = 0, have_wd = 0;
    ob_error e = {{0}};
    /* first pass: values that do not depend on the optimizer */
    struct given {
        int id;
        const char *arg;
    } *given = calloc((size_t)argc + 1, sizeof *given);
    size_t ngiven = 0;
    double lr = 0, noise = 0;
    long lval;
    ob_schedule sched = ob_schedule_default(0);
    opterr = 0;
    optind = 1;
    int ch, rc = 2;
    while ((ch = getopt_long(argc, argv, "", run_options, NULL)) != -1) {
        switch (ch) {
        case O_HELP:
            fputs(run_usage, stdout);
            rc = 0;
            goto out;
        case O_PROBLEM: prob_name = optarg; break;
        case O_OPTIMIZER: opt_name = optarg; break;
        case O_OUT: out = optarg; break;
        case O_LR:
            if (ob_parse_double("--lr", optarg, &lr, &e)) goto usage_error;
            have_lr = 1;
            break;
        case O_STEPS:
            if (ob_parse_long("--steps", optarg, 0, 1000000000L, &c.steps, &e)) goto usage_error;
            break;
        case O_X0:
            if (ob_parse_list("--x0", optarg, x0, sizeof x0 / sizeof *x0, &nx0, &e)) goto usage_error;
            have_x0 = 1;
            break;
        case O_SEED:
            if (ob_parse_long("--seed", optarg, 0, 2147483647L, &lval, &e)) goto usage_error;
            c.seed = popts.seed = (unsigned long)lval;
            break;
        case O_NOISE:
            if (ob_parse_double("--noise", optarg, &noise, &e)) goto usage_error;
            if (noise < 0) {
                ob_fail(&e, OB_EINVAL, "--noise must be >= 0, got %g", noise);
                goto usage_error;
            }
            c.noise = noise;
            break;
        case O_BATCH:
            if (ob_parse_long("--batch", optarg, 1, 2147483647L, &lval, &e)) goto usage_error;
            c.batch = (size_t)lval;
            break;
        case O_LOG_EVERY:
            if (ob_parse_long("--log-every", optarg, 1, 1000000000L, &obs.every, &e)) goto usage_error;
            break;
        case O_LOG_X: log_x = 1; break;
        case O_QUIET: quiet = 1; break;
        case O_SCHEDULE: sched_name = optarg; break;
        case O_DECAY_FACTOR:
            if (ob_parse_double("--decay-factor", optarg, &sched.factor, &e)) goto usage_error;
            break;
        case O_DECAY_EVERY:
            if (ob_parse_long("--decay-every", optarg, 1, 1000000000L, &sched.every, &e)) goto usage_error;
            break;
        case O_DECAY_RATE:
            if (ob_parse_double("--decay-rate", optarg, &sched.k, &e)) goto usage_error;
            break;
        case O_TAU:
            if (ob_parse_double("--tau", optarg, &sched.tau, &e)) goto usage_error;
            break;
        case O_DIM:
            if (ob_parse_long("--dim", optarg, 1, 1000000000L, &lval, &e)) goto usage_error;
            popts.dim = (size_t)lval;
            break;
        case O_KAPPA:
            if (ob_parse_double("--kappa", optarg, &popts.kappa, &e)) goto usage_error;
            if (popts.kappa < 1) {
                ob_fail(&e, OB_EINVAL, "--kappa must be >= 1, got %g", popts.kappa);
                goto usage_error;
            }
            break;
        case O_ROTATE: popts.rotate = 1; break;
        case O_SAMPLES:
            if (ob_parse_long("--samples", optarg, 1, 100000000L, &lval, &e)) goto usage_error;
            popts.samples = (size_t)lval;
            break;
        case O_SEPARABLE: popts.separable = 1; break;
        case O_L2:
            if (ob_parse_double("--l2", optarg, &popts.l2, &e)) goto usage_error;
            if (popts.l2 < 0) {
                ob_fail(&e, OB_EINVAL, "--l2 must be >= 0, got %g", popts.l2);
                goto usage_error;
            }
            break;
        case O_DATA: popts.data = optarg; break;
        case '?':
            if (optopt) ob_fail(&e, OB_EINVAL, "option --%s needs a value or takes none (see optbench run --help)",
                                option_name(optopt));
            else ob_fail(&e, OB_EINVAL, "unknown option '%s' (see optbench run --help)", argv[optind - 1]);
            goto usage_error;
        default: /* optimizer options: applied once the optimizer is known */
            given[ngiven++] = (struct given){ch, optarg};
            break;
        }
    }
    if (optind < argc) {
        ob_fail(&e, OB_EINVAL, "unexpected argument '%s' (see optbench run --help)", argv[optind]);
        goto usage_error;
    }
    if (!prob_name || !opt_name || !out) {
        ob_fail(&e, OB_EINVAL, "--problem, --optimizer and --out are required (see optbench run --help)");
        goto usage_error;
    }
    const ob_optimizer_type *T = ob_optimizer_find(opt_name);
    if (!T) {
        fprintf(stderr, "optbench run: unknown optimizer '%s' (accepted: ", opt_name);
        list_names_optimizer(stderr);
        fprintf(stderr, ")\n");
        goto out;
    }
    const ob_problem_type *PT = ob_problem_find(prob_name);
    if (!PT) {
        fprintf(stderr, "optbench run: unknown problem '%s' (accepted: ", prob_name);
        list_names_problem(stderr);
        fprintf(stderr, ")\n");
        goto out;
    }
    sched.type = ob_schedule_find(sched_name);
    if (!sched.type) {
        fprintf(stderr, "optbench run: unknown schedule '%s' (accepted: ", sched_name);
        list_names_schedule(stderr);
        fprintf(stderr, ")\n");
        goto out;
    }
    ob_hparams_default(T, &c.h);
    if (have_lr) c.h.lr = lr;
    for (size_t i = 0; i < ngiven; i++) {
        const char *arg = given[i].arg, *name = option_name(given[i].id);
        char flag[48];
        snprintf(flag, sizeof flag, "--%s", name);
        for (size_t k = 0; k < sizeof hparam_scope / sizeof *hparam_scope; k++)
            if (hparam_scope[k].id == given[i].id && !word_in(T->name, hparam_scope[k].applies)) {
                ob_fail(&e, OB_EINVAL, "%s does not apply to %s (it is read by: %s)", flag,
                        T->name, hparam_scope[k].applies);
                goto usage_error;
            }
        double two[2];
        size_t n2;
        switch (given[i].id) {
        case O_MOMENTUM: if (ob_parse_double(flag, arg, &c.h.momentum, &e)) goto usage_error; break;
        case O_DAMPENING: if (ob_parse_double(flag, arg, &c.h.dampening, &e)) goto usage_error; break;
        case O_NESTEROV: c.h.nesterov = 1; break;
        case O_SEED_FORM: c.h.seed_form = 1; break;
        case O_BETA1: if (ob_parse_double(flag, arg, &c.h.beta1, &e)) goto usage_error; break;
        case O_BETA2: if (ob_parse_double(flag, arg, &c.h.beta2, &e)) goto usage_error; break;
        case O_EPS: if (ob_parse_double(flag, arg, &c.h.eps, &e)) goto usage_error; break;
        case O_AMSGRAD: c.h.amsgrad = 1; break;
        case O_ADAMW: c.h.decoupled = 1; break;
        case O_ALPHA: if (ob_parse_double(flag, arg, &c.h.alpha, &e)) goto usage_error; break;
        case O_CENTERED: c.h.centered = 1; break;
        case O_EPS_INSIDE: c.h.eps_inside = 1; break;
        case O_LR_DECAY: if (ob_parse_double(flag, arg, &c.h.lr_decay, &e)) goto usage_error; break;
        case O_INIT_ACC:
            if (ob_parse_double(flag, arg, &c.h.initial_accumulator_value, &e)) goto usage_error;
            break;
        case O_WEIGHT_DECAY:
            if (ob_parse_double(flag, arg, &c.h.weight_decay, &e)) goto usage_error;
            have_wd = 1;
            break;
        case O_SIGN_ONLY: c.h.sign_only = 1; break;
        case O_ETAS:
        case O_STEP_SIZES:
            if (ob_parse_list(flag, arg, two, 2, &n2, &e)) goto usage_error;
            if (n2 != 2) {
                ob_fail(&e, OB_EINVAL, "%s takes two numbers, lo,hi", flag);
                goto usage_error;
            }
            if (given[i].id == O_ETAS) c.h.eta_minus = two[0], c.h.eta_plus = two[1];
            else c.h.step_min = two[0], c.h.step_max = two[1];
            break;
        }
    }
    if (c.h.decoupled && !have_wd) c.h.weight_decay = 1e-2; /* torch.optim.AdamW's default */
    sched.lr0 = c.h.lr;
    if (ob_hparams_check(T, &c.h, &e) != OB_OK) goto usage_error;

    ob_problem prob;
    ob_status s = ob_problem_create(&prob, PT, &popts, &e);
    if (s != OB_OK) {
        fprintf(stderr, "optbench run: %s\n", e.msg);
        rc = ob_exit_code(s);
        goto out;
    }
    c.prob = &prob;
    c.opt = T;
    if (have_x0) {
        if (nx0 != prob.dim) {
            ob_fail(&e, OB_EINVAL, "--x0 has %zu numbers but %s has dimension %zu", nx0,
                    PT->name, prob.dim);
            ob_problem_free(&prob);
            goto usage_error;
        }
        c.x0 = x0;
    }
    if (strcmp(T->name, "sgd") == 0 && prob.n_samples && c.batch == 0 && c.noise == 0)
        c.batch = 1; /* plain SGD on a finite sum: one sample per step */
    sched.L = prob.L;
    sched.N = c.steps;
    c.sched = sched;

    ob_traj traj;
    s = ob_traj_open(&traj, out, prob.dim, log_x, &e);
    if (s != OB_OK) {
        fprintf(stderr, "optbench run: %s\n", e.msg);
        rc = ob_exit_code(s);
        ob_problem_free(&prob);
        goto out;
    }
    obs.ctx = &traj;
    ob_run_result res;
    s = ob_run(&c, &obs, NULL, &res, &e);
    if (s == OB_OK) s = ob_csv_commit(&traj.csv, &e);
    else ob_csv_abort(&traj.csv);
    char *spath = s == OB_OK ? ob_summary_path(out) : NULL;
    if (s == OB_OK && !spath) s = ob_fail(&e, OB_ENOMEM, "out of memory");
    if (s == OB_OK) s = ob_summary_write(spath, &c, &res, &e);
    if (s != OB_OK) {
        fprintf(stderr, "optbench run: %s\n", e.msg);
        if (spath) remove(out); /* the pair is written together or not at all */
        rc = ob_exit_code(s);
    } else {
        rc = 0;
        if (!quiet)
            printf("%s %s: %s after %ld steps, f %.6g (f* %.6g), |grad| %.3g, %ld evals, %.3g s\n",
                   PT->name, T->name, ob_status_name(res.status), res.steps_done, res.final_loss,
                   prob.f_star, res.final_grad_norm, res.evals, res.seconds);
    }
    free(spath);
    ob_problem_free(&prob);
    goto out;
usage_error:
    rc = bad(&e);
out:
    free(given);
    return rc;
}
