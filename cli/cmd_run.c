/* cmd_run.c - `optbench run`: one run on an analytic problem, written as a trajectory
 * CSV plus a one-row summary CSV beside it.  Parse (pure), run, print. */
#include "cli/cmd_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "common/interrupt.h"
#include "common/outfile.h"
#include "optimizers/plugin.h"
#include "plots/runplots.h"
#include "problems/problem_opts.h"
#include "runs/runwrite.h"

enum { R_PROBLEM = 1, R_OPTIMIZER, R_OUT, R_STEPS, R_X0, R_SEED, R_NOISE, R_BATCH,
       R_LOG_EVERY, R_LOG_X, R_QUIET, R_SUMMARY, R_SHARP_EVERY, R_SHARP_PRODUCTS, R_LOG,
       R_PLOT, R_ANIMATE };

static const ob_cli_option run_options[] = {
    {"problem", R_PROBLEM, "P", "required", "the analytic problem (optbench list)", 0},
    {"optimizer", R_OPTIMIZER, "O", "adam", "the update rule (optbench list)", 0},
    {"out", R_OUT, "FILE.csv", "required",
     "the trajectory; FILE.summary.csv beside it ('-': standard output, the summary to stderr)", 0},
    {"summary", R_SUMMARY, "FILE.csv", "beside --out", "where the one-row summary goes", 0},
    {"steps", R_STEPS, "N", "1000", "number of updates", 0},
    {"x0", R_X0, "A,B,...", "the problem's start", "start point", 0},
    {"seed", R_SEED, "S", "1", "random seed: gradient noise, batch order, rotations, synthetic data", 0},
    {"noise", R_NOISE, "SIGMA", "0", "additive N(0, sigma^2/n I) gradient noise", 0},
    {"batch", R_BATCH, "B", "full gradient; sgd: 1 on finite sums",
     "finite sums: mini-batch size", 0},
    {"log-every", R_LOG_EVERY, "K", "1", "log every K-th step (row 0 and the last always)", 0},
    {"log", R_LOG, "every|geometric", "every",
     "geometric: every step up to 100, then about 50 rows a decade and the last (instead of "
     "--log-every)", 0},
    {"log-x", R_LOG_X, NULL, "off", "x columns also above 100 dimensions", 0},
    {"quiet", R_QUIET, NULL, "off", "no summary line on stdout", 0},
    {"plot", R_PLOT, "FILE.png", "none",
     "also a figure of the run (.png, .svg or .pdf): a 2-D run's path on the contours beside "
     "its gap, else the gap and the gradient norm against steps", 0},
    {"animate", R_ANIMATE, "FILE.gif", "none", "also an animated GIF of a 2-D run's path", 0},
    {"sharpness-every", R_SHARP_EVERY, "K", "off",
     "every K steps (and at 0) the Hessian's top eigenvalue (P^-1 H for adam, adamw) and the "
     "rule's stability threshold: columns sharpness,threshold,sharpness_residual", 0},
    {"sharpness-products", R_SHARP_PRODUCTS, "N", "20",
     "at most N Hessian-vector products per sharpness estimate (Lanczos)", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

const ob_cli_command ob_run_command = {
    .name = "run",
    .synopsis = "--problem P --out FILE.csv [--optimizer O] [options]",
    .summary = "one run on an analytic problem",
    .options = run_options,
    .main = ob_cmd_run,
    .shared = OB_CLI_OPTIMIZER | OB_CLI_SCHEDULE | OB_CLI_PROBLEM,
    .about = "Writes FILE.csv (step,loss,grad_norm,evals,lr,seconds,x1..xn; row 0 = start; with\n"
             "--sharpness-every also sharpness,threshold,sharpness_residual before x1) and\n"
             "FILE.summary.csv (status ok|diverged|stalled, final loss and gap, evaluations,\n"
             "time).  `optbench list` shows every optimizer, schedule and problem.\n",
};

/* one of run's own options into a */
static ob_status take(ob_run_args *a, const ob_cli_arg *o, ob_error *e)
{
    static const char *const logs[] = {"every", "geometric", NULL};
    long v;
    int k;
    ob_run_config *c = &a->run;
    switch (o->id) {
    case R_PROBLEM: a->problem = o->arg; return OB_OK;
    case R_OPTIMIZER: a->optimizer = o->arg; return OB_OK;
    case R_OUT: a->out = o->arg; return OB_OK;
    case R_SUMMARY: a->summary = o->arg; return OB_OK;
    case R_STEPS: return ob_parse_long("--steps", o->arg, 0, 1000000000L, &c->steps, e);
    case R_X0:
        a->have_x0 = 1;
        return ob_parse_list("--x0", o->arg, a->x0, OB_RUN_MAX_X0, &a->nx0, e);
    case R_SEED:
        if (ob_parse_long("--seed", o->arg, 0, 2147483647L, &v, e)) return OB_EINVAL;
        c->seed = a->popts.seed = (unsigned long)v;
        return OB_OK;
    case R_NOISE: return ob_parse_min("--noise", o->arg, 0, 0, &c->noise, e);
    case R_BATCH:
        if (ob_parse_long("--batch", o->arg, 1, 2147483647L, &v, e)) return OB_EINVAL;
        c->batch = (size_t)v;
        return OB_OK;
    case R_LOG_EVERY: return ob_parse_long("--log-every", o->arg, 1, 1000000000L, &a->log_every, e);
    case R_LOG_X: a->log_x = 1; return OB_OK;
    case R_LOG:
        if (ob_parse_word("--log", o->arg, logs, &k, e)) return OB_EINVAL;
        a->log_geometric = k == 1;
        return OB_OK;
    case R_QUIET: a->quiet = 1; return OB_OK;
    case R_PLOT: return ob_parse_figure("--plot", o->arg, 0, &a->plot, e);
    case R_ANIMATE: return ob_parse_figure("--animate", o->arg, 1, &a->animate, e);
    case R_SHARP_EVERY:
        return ob_parse_long("--sharpness-every", o->arg, 1, 1000000000L, &c->sharpness_every, e);
    case R_SHARP_PRODUCTS:
        if (ob_parse_long("--sharpness-products", o->arg, 1, 1000, &v, e)) return OB_EINVAL;
        c->sharpness_products = (int)v;
        return OB_OK;
    }
    return ob_fail(e, OB_EINVAL, "internal: run option --%s is not handled", o->name);
}

ob_status ob_run_parse(int argc, char **argv, ob_run_args *a, ob_error *e)
{
    memset(a, 0, sizeof *a);
    a->optimizer = "adam"; /* torch's defaults; every benchmark command names its own */
    a->popts.seed = a->run.seed = 1;
    a->run.steps = 1000;
    a->log_every = 1;
    ob_optim_args oa;
    ob_optim_args_init(&oa);
    ob_cli_parser p;
    ob_cli_arg o;
    int r;
    ob_cli_begin(&p, &ob_run_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, e)) == 1) {
        if (o.id == OB_CLI_HELP) {
            a->help = 1;
            return OB_OK;
        }
        int taken = ob_optim_args_take(&oa, &o, e);
        if (!taken) taken = ob_problem_args_take(&a->pargs, &o, e);
        if (!taken) taken = take(a, &o, e) == OB_OK ? 1 : -1;
        if (taken < 0) return OB_EINVAL;
    }
    if (r < 0 || ob_cli_operands(&p, 0, 0, NULL, NULL, e)) return OB_EINVAL;
    if (!a->problem || !a->out)
        return ob_cli_required("run", "--problem and --out are", e);
    if ((a->plot || a->animate) && strcmp(a->out, "-") == 0)
        return ob_fail(e, OB_EINVAL, "--%s draws from the files the run writes: give --out "
                       "FILE.csv, not -", a->plot ? "plot" : "animate");
    ob_schedule sched;
    if (ob_optim_args_resolve(&oa, a->optimizer, &a->T, &a->run.h, &sched, e)) return OB_EINVAL;
    a->run.sched = sched;
    a->run.opt = a->T;
    return ob_problem_args_resolve(&a->pargs, a->problem, &a->PT, &a->popts, e);
}

/* the problem's facts into the run: start point, default batch, the schedule's L and N */
static ob_status settle(ob_run_args *a, const ob_problem *prob, ob_error *e)
{
    ob_run_config *c = &a->run;
    c->prob = prob;
    if (a->have_x0) {
        if (a->nx0 != prob->dim)
            return ob_fail(e, OB_EINVAL, "--x0 has %zu numbers but %s has dimension %zu", a->nx0,
                           a->PT->name, prob->dim);
        c->x0 = a->x0;
    }
    if (prob->n_samples && c->batch == 0 && c->noise == 0)
        c->batch = a->T->finite_sum_batch; /* plain SGD on a finite sum: one sample per step */
    c->sched.L = prob->L;
    c->sched.N = c->steps;
    if (a->animate && (prob->dim != 2 || !prob->has_box))
        return ob_fail(e, OB_EINVAL, "--animate needs a 2-D problem with a plotting box; %s has "
                       "dimension %zu", a->PT->name, prob->dim);
    static char popts[1024]; /* the instance, for the summary: a figure creates it again */
    c->problem_options = ob_problem_opts_format(a->PT, &a->popts, popts, sizeof popts);
    return OB_OK;
}

/* every file the run will write, checked before any work: a directory, or a place under
 * a regular file, is refused in one line naming the option, and nothing is written */
static ob_status check_outputs(const ob_run_args *a, ob_error *e)
{
    char *sum = a->summary ? NULL : ob_summary_path(a->out);
    ob_status s = ob_out_check(a->out, "--out", e);
    if (s == OB_OK)
        s = ob_out_check(a->summary ? a->summary : sum, a->summary ? "--summary" : "--out", e);
    if (s == OB_OK) s = ob_out_check(a->plot, "--plot", e);
    if (s == OB_OK) s = ob_out_check(a->animate, "--animate", e);
    free(sum);
    return s;
}

/* --plot and --animate, from the files the run wrote */
static ob_status draw(const ob_run_args *a, ob_error *e)
{
    ob_status s = OB_OK;
    if (a->plot) s = ob_plot_run_overview(a->out, a->plot, e);
    if (s == OB_OK && a->animate) s = ob_plot_run_animation(&a->out, 1, a->animate, e);
    if (s == OB_OK && !a->quiet) {
        if (a->plot) printf("wrote %s\n", a->plot);
        if (a->animate) printf("wrote %s\n", a->animate);
    }
    return s;
}

/* the run, its trajectory and its summary, written together or not at all */
static ob_status execute(const ob_run_args *a, ob_run_result *res, ob_error *e)
{
    ob_log_spec log = {.every = a->log_every, .geometric = a->log_geometric,
                       .log_x = a->log_x ? OB_LOG_X_ON : OB_LOG_X_AUTO};
    /* a plugin's code runs in this process: a crash or an exit() from it removes the
     * temporary files and names it (common/interrupt.h); what it prints to standard output
     * goes there too, so with --out - it would be mixed into the CSV (docs/optimizers.md) */
    if (ob_plugin_loaded(a->T))
        ob_interrupt_run_begin("optbench run: the optimizer plugin %s", ob_plugin_path(a->T));
    ob_status s = ob_run_files(a->out, a->summary, &a->run, &log, res, e);
    ob_interrupt_run_end();
    return s;
}

static void print(const ob_run_args *a, const ob_problem *prob, const ob_run_result *res)
{
    /* with the CSV on standard output, the line goes to standard error */
    fprintf(strcmp(a->out, "-") == 0 ? stderr : stdout, "%s %s: %s after %ld steps, f %.6g (f* %.6g), |grad| %.3g, %ld evals, %.3g s\n",
           a->PT->name, a->T->name, ob_status_name(res->status), res->steps_done,
           res->final_loss, prob->f_star, res->final_grad_norm, res->evals, res->seconds);
}

int ob_cmd_run(int argc, char **argv)
{
    ob_blas_threads(1); /* analytic problems: see ob_blas_threads */
    static ob_run_args a; /* 32 KiB of --x0: not on the stack */
    ob_error e = {{0}};
    if (ob_run_parse(argc, argv, &a, &e) != OB_OK) return ob_cli_bad("run", &e);
    if (a.help) {
        ob_cli_help(stdout, &ob_run_command);
        return 0;
    }
    if (check_outputs(&a, &e) != OB_OK) return ob_cli_bad("run", &e);
    ob_problem prob;
    ob_status s = ob_problem_create(&prob, a.PT, &a.popts, &e);
    if (s != OB_OK) {
        fprintf(stderr, "optbench run: %s\n", e.msg);
        return ob_exit_code(s);
    }
    ob_run_result res;
    ob_warn_decay("run", a.T, &a.run.h);
    s = settle(&a, &prob, &e);
    if (s == OB_OK) s = execute(&a, &res, &e);
    if (s == OB_OK && !a.quiet) print(&a, &prob, &res);
    if (s == OB_OK) s = draw(&a, &e);
    if (s != OB_OK) fprintf(stderr, "optbench run: %s\n", e.msg);
    ob_problem_free(&prob);
    return s == OB_OK ? 0 : ob_exit_code(s);
}
