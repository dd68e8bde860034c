/* cmd_run.c - `optbench run`: one run on an analytic problem, written as a trajectory
 * CSV plus a one-row summary CSV beside it. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_options.h"
#include "runs/run.h"
#include "runs/traj.h"

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

const struct option ob_run_options[] = {
    {"problem", required_argument, 0, OB_RUN_PROBLEM},
    {"optimizer", required_argument, 0, OB_RUN_OPTIMIZER},
    {"out", required_argument, 0, OB_RUN_OUT},
    {"steps", required_argument, 0, OB_RUN_STEPS},
    {"x0", required_argument, 0, OB_RUN_X0},
    {"seed", required_argument, 0, OB_RUN_SEED},
    {"noise", required_argument, 0, OB_RUN_NOISE},
    {"batch", required_argument, 0, OB_RUN_BATCH},
    {"log-every", required_argument, 0, OB_RUN_LOG_EVERY},
    {"log-x", no_argument, 0, OB_RUN_LOG_X},
    {"quiet", no_argument, 0, OB_RUN_QUIET},
    {"help", no_argument, 0, OB_RUN_HELP},
    OB_OPTIMIZER_OPTIONS,
    OB_SCHEDULE_OPTIONS,
    OB_PROBLEM_OPTIONS,
    {0, 0, 0, 0},
};

static int bad(const ob_error *e)
{
    fprintf(stderr, "optbench run: %s\n", e->msg);
    return 2;
}

int ob_cmd_run(int argc, char **argv)
{
    ob_blas_threads(1); /* analytic problems: see ob_blas_threads */
    const char *prob_name = NULL, *opt_name = NULL, *out = NULL;
    ob_problem_opts popts = {.seed = 1};
    ob_run_config c = {.steps = 1000, .seed = 1};
    ob_observer obs = {.row = ob_traj_row, .every = 1};
    ob_optim_args oa;
    ob_optim_args_init(&oa);
    int log_x = 0, quiet = 0, have_x0 = 0, rc = 2, ch, taken;
    double x0[4096];
    size_t nx0 = 0;
    long lval;
    ob_error e = {{0}};
    const ob_optimizer_type *T;
    ob_schedule sched;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", ob_run_options, NULL)) != -1) {
        switch (ch) {
        case OB_RUN_HELP: fputs(run_usage, stdout); return 0;
        case OB_RUN_PROBLEM: prob_name = optarg; break;
        case OB_RUN_OPTIMIZER: opt_name = optarg; break;
        case OB_RUN_OUT: out = optarg; break;
        case OB_RUN_STEPS:
            if (ob_parse_long("--steps", optarg, 0, 1000000000L, &c.steps, &e)) goto usage_error;
            break;
        case OB_RUN_X0:
            if (ob_parse_list("--x0", optarg, x0, sizeof x0 / sizeof *x0, &nx0, &e)) goto usage_error;
            have_x0 = 1;
            break;
        case OB_RUN_SEED:
            if (ob_parse_long("--seed", optarg, 0, 2147483647L, &lval, &e)) goto usage_error;
            c.seed = popts.seed = (unsigned long)lval;
            break;
        case OB_RUN_NOISE:
            if (ob_parse_double("--noise", optarg, &c.noise, &e)) goto usage_error;
            if (c.noise < 0) {
                ob_fail(&e, OB_EINVAL, "--noise must be >= 0, got %g", c.noise);
                goto usage_error;
            }
            break;
        case OB_RUN_BATCH:
            if (ob_parse_long("--batch", optarg, 1, 2147483647L, &lval, &e)) goto usage_error;
            c.batch = (size_t)lval;
            break;
        case OB_RUN_LOG_EVERY:
            if (ob_parse_long("--log-every", optarg, 1, 1000000000L, &obs.every, &e)) goto usage_error;
            break;
        case OB_RUN_LOG_X: log_x = 1; break;
        case OB_RUN_QUIET: quiet = 1; break;
        case '?':
            if (optopt >= 256) ob_fail(&e, OB_EINVAL, "option --%s needs a value or takes none (see optbench run --help)",
                                ob_option_name(ob_run_options, optopt));
            else if (optopt) ob_fail(&e, OB_EINVAL, "unknown option '-%c' (see optbench run --help)", optopt);
            else ob_fail(&e, OB_EINVAL, "unknown option '%s' (see optbench run --help)", argv[optind - 1]);
            goto usage_error;
        default:
            taken = ob_optim_args_take(&oa, ch, optarg, &e);
            if (!taken) taken = ob_problem_args_take(&popts, ch, optarg, &e);
            if (taken < 0) goto usage_error;
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
    if (ob_optim_args_resolve(&oa, opt_name, &T, &c.h, &sched, &e) != OB_OK) goto usage_error;
    const ob_problem_type *PT = ob_problem_lookup(prob_name, &e);
    if (!PT) goto usage_error;

    ob_problem prob;
    ob_status s = ob_problem_create(&prob, PT, &popts, &e);
    if (s != OB_OK) {
        fprintf(stderr, "optbench run: %s\n", e.msg);
        return ob_exit_code(s);
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
    if (prob.n_samples && c.batch == 0 && c.noise == 0)
        c.batch = T->finite_sum_batch; /* plain SGD on a finite sum: one sample per step */
    sched.L = prob.L;
    sched.N = c.steps;
    c.sched = sched;

    ob_traj traj;
    s = ob_traj_open(&traj, out, prob.dim, log_x, &e);
    if (s != OB_OK) {
        fprintf(stderr, "optbench run: %s\n", e.msg);
        ob_problem_free(&prob);
        return ob_exit_code(s);
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
    return rc;
usage_error:
    return bad(&e);
}
