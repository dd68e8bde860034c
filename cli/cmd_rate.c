/* cmd_rate.c - `optbench rate`: SGD against the theorem's rate on an analytic problem
 * (rate/rate.h) or, as an estimate, on a network (rate/rate_net.h): a CSV with one row
 * per N, a summary CSV, and optionally the figure.  Parse (pure), run, print. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "plots/gnuplot.h"
#include "experiments/rate/rate.h"
#include "experiments/rate/rate_net.h"

enum { O_PROBLEM = 1, O_OUT, O_NLIST, O_SEEDS, O_SEED, O_NOISE, O_BATCH, O_X0, O_PLOT, O_QUIET,
       O_NET, O_SUBSET };

static const ob_cli_option rate_options[] = {
    {"problem", O_PROBLEM, "P", "required unless --net", "a globally L-smooth problem", 0},
    {"net", O_NET, "N", "none", "a cross-entropy preset on Fashion-MNIST (an estimate)", 0},
    {"out", O_OUT, "FILE.csv", "required", "one row per N; FILE.summary.csv beside it", 0},
    {"n-list", O_NLIST, "N1,N2,...", "10,100,1000,10000; --net: 10,100,1000", "the numbers of "
     "steps N", 0},
    {"seeds", O_SEEDS, "R", "10; --net: 3", "independent runs per N (random seeds --seed .. "
     "--seed+R-1)", 0},
    {"seed", O_SEED, "S", "1", "the first run's random seed (the problem's data come from it "
     "too)", 0},
    {"noise", O_NOISE, "SIGMA", "1", "sigma of the additive gradient noise (not finite sums)", 0},
    {"batch", O_BATCH, "B", "1; --net: 32", "mini-batch size (finite sums: logreg, lsq)", 0},
    {"x0", O_X0, "A,B,...", "the problem's start", "start point", 0},
    {"subset", O_SUBSET, "N", "512", "--net: the training samples of the objective", 0},
    {"plot", O_PLOT, "FILE.png", "none", "also draw the log-log figure", 0},
    {"quiet", O_QUIET, NULL, "off", "no text summary on stdout, no progress on stderr", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

const ob_cli_command ob_rate_command = {
    .name = "rate",
    .synopsis = "--problem P --out FILE.csv [options]\n"
                "       optbench rate --net netA --out FILE.csv [--subset 512] [--batch 32] "
                "[options]",
    .summary = "SGD against its theoretical rate",
    .options = rate_options,
    .main = ob_cmd_rate,
    .shared = OB_CLI_PROBLEM,
    .about =
        "SGD runs with the constant step 1/(L sqrt(N)); for each N the CSV has the mean over runs\n"
        "of (1/N) sum_{t<N} ||grad f(theta_t)||^2 (true gradients), its standard error, min and\n"
        "max, sigma^2, the bound (2L(f(theta_0)-f*)+sigma^2)/sqrt(N), bound/mean and whether the\n"
        "bound held (yes: mean + 2 s.e. <= bound).  FILE.summary.csv has L and where it came\n"
        "from, the fitted slope of log(mean) against log(N) and its standard error.  Problems\n"
        "that are not globally L-smooth (saddle, rosenbrock, beale) are refused: the theorem\n"
        "does not apply.\n"
        "\n"
        "With --net (float64), L is estimated by power iteration on exact (R-operator)\n"
        "Hessian-vector products and sigma^2 from mini-batch gradients, and the output says so:\n"
        "a network is not globally L-smooth, so the comparison is an estimate, not a theorem.\n",
};

#define MAX_N 64
#define MAX_X0 4096

typedef struct {
    int help, quiet, have_noise, have_x0, have_nlist, have_seeds;
    const char *problem, *net, *out, *plot;
    size_t subset, n_count, nx0;
    long n_list[MAX_N];
    ob_rate_config c;
    ob_problem_args pargs;
    ob_problem_opts popts;
    const ob_problem_type *PT;
    double x0[MAX_X0];
} rate_args;

static ob_status parse_n_list(rate_args *a, const char *arg, ob_error *e)
{
    double dl[MAX_N];
    if (ob_parse_list("--n-list", arg, dl, MAX_N, &a->n_count, e)) return OB_EINVAL;
    for (size_t k = 0; k < a->n_count; k++) {
        if (!(dl[k] >= 1 && dl[k] <= 1e8 && dl[k] == floor(dl[k])))
            return ob_fail(e, OB_EINVAL, "--n-list takes whole numbers from 1 to 1e8, got %g", dl[k]);
        a->n_list[k] = (long)dl[k];
    }
    a->have_nlist = 1;
    return OB_OK;
}

/* one of rate's own options into a */
static ob_status take(rate_args *a, const ob_cli_arg *o, ob_error *e)
{
    long v;
    switch (o->id) {
    case O_PROBLEM: a->problem = o->arg; return OB_OK;
    case O_OUT: a->out = o->arg; return OB_OK;
    case O_PLOT: a->plot = o->arg; return OB_OK;
    case O_QUIET: a->quiet = 1; return OB_OK;
    case O_NET: a->net = o->arg; return OB_OK;
    case O_NLIST: return parse_n_list(a, o->arg, e);
    case O_SUBSET:
        if (ob_parse_long("--subset", o->arg, 2, 60000, &v, e)) return OB_EINVAL;
        a->subset = (size_t)v;
        return OB_OK;
    case O_SEEDS:
        if (ob_parse_long("--seeds", o->arg, 2, 100000, &v, e)) return OB_EINVAL;
        a->c.seeds = (int)v;
        a->have_seeds = 1;
        return OB_OK;
    case O_SEED:
        if (ob_parse_long("--seed", o->arg, 0, 2147483647L, &v, e)) return OB_EINVAL;
        a->c.seed0 = a->popts.seed = (unsigned long)v;
        return OB_OK;
    case O_NOISE:
        if (ob_parse_min("--noise", o->arg, 0, 1, &a->c.noise, e)) return OB_EINVAL;
        a->have_noise = 1;
        return OB_OK;
    case O_BATCH:
        if (ob_parse_long("--batch", o->arg, 1, 2147483647L, &v, e)) return OB_EINVAL;
        a->c.batch = (size_t)v;
        return OB_OK;
    case O_X0:
        a->have_x0 = 1;
        return ob_parse_list("--x0", o->arg, a->x0, MAX_X0, &a->nx0, e);
    }
    return ob_fail(e, OB_EINVAL, "internal: rate option --%s is not handled", o->name);
}

static ob_status rate_parse(int argc, char **argv, rate_args *a, ob_error *e)
{
    static const long n_default[] = {10, 100, 1000, 10000};
    memset(a, 0, sizeof *a);
    a->c = (ob_rate_config){.seeds = 10, .seed0 = 1};
    a->popts.seed = 1;
    a->subset = 512;
    a->n_count = 4;
    memcpy(a->n_list, n_default, sizeof n_default);
    ob_cli_parser p;
    ob_cli_arg o;
    int r;
    ob_cli_begin(&p, &ob_rate_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, e)) == 1) {
        if (o.id == OB_CLI_HELP) return a->help = 1, OB_OK;
        int taken = ob_problem_args_take(&a->pargs, &o, e);
        if (!taken) taken = take(a, &o, e) == OB_OK ? 1 : -1;
        if (taken < 0) return OB_EINVAL;
    }
    if (r < 0 || ob_cli_operands(&p, 0, 0, NULL, NULL, e)) return OB_EINVAL;
    if (a->net && !a->problem && a->out) { /* the network's defaults */
        if (!a->have_nlist) a->n_count = 3;
        if (!a->have_seeds) a->c.seeds = 3;
        if (!a->c.batch) a->c.batch = 32;
        return OB_OK;
    }
    if (!a->problem == !a->net || !a->out)
        return ob_cli_required("rate", "one of --problem or --net, and --out, are", e);
    return ob_problem_args_resolve(&a->pargs, a->problem, &a->PT, &a->popts, e);
}

/* ---- on a network: the estimate of rate_net.c ------------------------------------------ */

static void print_net(const rate_args *a, const ob_rate_subject *sub, const ob_rate_row *rows,
                      const ob_rate_fit *fit)
{
    printf("%s (%zu parameters): L ~ %.4g (%s), sigma^2 ~ %.4g, f(x0) = %.4g >= f* = 0\n", a->net,
           sub->dim, sub->L, sub->L_source, rows[0].sigma2, fit->f0);
    for (size_t k = 0; k < a->n_count; k++)
        printf("  N = %-8ld mean %.4g +- %.2g  bound %.4g  bound/mean %.3g  holds: %s\n",
               rows[k].N, rows[k].mean, rows[k].stderr_, rows[k].bound, rows[k].ratio,
               rows[k].holds);
    char ratio[64], slope[96];
    ob_rate_ratio_range(ratio, sizeof ratio, fit->min_ratio, fit->max_ratio);
    ob_rate_slope_text(slope, sizeof slope, fit->slope, fit->slope_se, "+-");
    printf("verdict: %s (ESTIMATE: L and sigma^2 estimated, %s, %d runs per N): the estimate "
           "%s; it is %s times the measured mean; the measured slope is %s (the theorem's "
           "rate: -0.5).\n",
           a->net, sub->oracle, a->c.seeds,
           fit->all_hold ? "stayed above the measured mean at every N"
                         : "fell below the measured mean at some N",
           ratio, slope);
}

static void plot(const rate_args *a, const char *title, const ob_rate_row *rows, int estimate)
{
    ob_error pe = {{0}};
    if (ob_plot_rate(a->out, a->plot, title, rows[0].N, rows[0].mean, estimate, &pe) != OB_OK)
        fprintf(stderr, "optbench rate: warning: %s (the CSVs are written)\n", pe.msg);
}

static int rate_net(const rate_args *a)
{
    ob_error e = {{0}};
    ob_splits sp;
    ob_dataset_opts o = ob_dataset_defaults(); /* the split of seed 1, as the benchmark's */
    ob_status s = ob_dataset_load(ob_dataset_find("fashion-mnist"), &o, &sp, &e);
    if (s != OB_OK) return ob_cli_bad("rate", &e), ob_exit_code(s);
    ob_rate_net_config c = {.net = a->net, .subset = a->subset, .batch = a->c.batch,
                            .n_list = a->n_list, .n_count = a->n_count, .seeds = a->c.seeds,
                            .seed0 = a->c.seed0, .progress = !a->quiet};
    ob_rate_subject sub;
    ob_rate_row rows[MAX_N];
    ob_rate_fit fit;
    /* ob_rate_net_run says on stderr what it estimates, then counts the SGD runs */
    s = ob_rate_net_run(&c, &sp, &sub, rows, &fit, &e);
    if (s == OB_OK) s = ob_rate_write_subject(a->out, &sub, rows, a->n_count, &fit, &e);
    ob_splits_free(&sp);
    if (s != OB_OK) return ob_cli_bad("rate", &e), ob_exit_code(s);
    if (a->plot) {
        char title[256];
        snprintf(title, sizeof title, "SGD on %s (%zu parameters, %s): measured vs the estimate "
                 "(ESTIMATED L = %.4g and sigma^2)", a->net, sub.dim, sub.oracle, sub.L);
        plot(a, title, rows, 1);
    }
    if (!a->quiet) print_net(a, &sub, rows, &fit);
    return 0;
}

/* ---- on an analytic problem: the theorem ------------------------------------------------ */

/* the oracle the theorem's sigma^2 is about: a mini-batch on a finite sum, noise elsewhere */
static ob_status settle(rate_args *a, const ob_problem *prob, ob_error *e)
{
    ob_rate_config *c = &a->c;
    const char *name = a->PT->name;
    if (ob_rate_check(prob, e) != OB_OK) return OB_EINVAL;
    if (prob->n_samples) {
        if (a->have_noise)
            return ob_fail(e, OB_EINVAL, "%s is a finite sum: its stochastic gradient is a "
                           "mini-batch (--batch B), not --noise", name);
        if (!c->batch) c->batch = 1;
        if (c->batch > prob->n_samples)
            return ob_fail(e, OB_EINVAL, "--batch must be between 1 and the %zu samples, got %zu",
                           prob->n_samples, c->batch);
    } else {
        if (c->batch)
            return ob_fail(e, OB_EINVAL, "--batch applies to finite sums (logreg, lsq); %s takes "
                           "--noise SIGMA", name);
        if (!a->have_noise) c->noise = 1.0;
    }
    if (a->have_x0 && a->nx0 != prob->dim)
        return ob_fail(e, OB_EINVAL, "--x0 has %zu numbers but %s has dimension %zu", a->nx0,
                       name, prob->dim);
    c->prob = prob;
    c->x0 = a->have_x0 ? a->x0 : NULL;
    c->n_list = a->n_list;
    c->n_count = a->n_count;
    return OB_OK;
}

static void print_problem(const rate_args *a, const ob_problem *prob, const ob_rate_row *rows,
                          const ob_rate_fit *fit)
{
    printf("%s: L = %.6g (%s), f(x0) - f* = %.6g, %d runs per N\n", a->PT->name, prob->L,
           prob->L_source, fit->f0 - prob->f_star, a->c.seeds);
    for (size_t k = 0; k < a->n_count; k++)
        printf("  N = %-8ld mean %.4g +- %.2g  bound %.4g  bound/mean %.3g  holds: %s\n",
               rows[k].N, rows[k].mean, rows[k].stderr_, rows[k].bound, rows[k].ratio,
               rows[k].holds);
    char slope[96];
    ob_rate_slope_text(slope, sizeof slope, fit->slope, fit->slope_se, "+-");
    printf("  measured slope of log(mean) vs log(N): %s (the theorem's rate: -0.5)\n", slope);
    char verdict[1024];
    ob_rate_verdict(verdict, sizeof verdict, &a->c, fit);
    printf("verdict: %s\n", verdict);
}

static int rate_problem(rate_args *a)
{
    ob_error e = {{0}};
    ob_problem prob;
    ob_status s = ob_problem_create(&prob, a->PT, &a->popts, &e);
    if (s != OB_OK) return ob_cli_bad("rate", &e), ob_exit_code(s);
    ob_rate_row rows[MAX_N];
    ob_rate_fit fit;
    s = settle(a, &prob, &e);
    if (s == OB_OK) s = ob_rate_run(&a->c, rows, &fit, &e);
    if (s == OB_OK) s = ob_rate_write(a->out, &a->c, rows, &fit, &e);
    if (s == OB_OK && a->plot) {
        char title[256];
        snprintf(title, sizeof title, "SGD on %s (n = %zu, L = %.4g): measured vs the theorem's "
                 "bound", a->PT->name, prob.dim, prob.L);
        plot(a, title, rows, 0);
    }
    if (s == OB_OK && !a->quiet) print_problem(a, &prob, rows, &fit);
    if (s != OB_OK) ob_cli_bad("rate", &e);
    ob_problem_free(&prob);
    return s == OB_OK ? 0 : ob_exit_code(s);
}

int ob_cmd_rate(int argc, char **argv)
{
    ob_blas_threads(1); /* analytic problems: see ob_blas_threads */
    static rate_args a;
    ob_error e = {{0}};
    if (rate_parse(argc, argv, &a, &e) != OB_OK) return ob_cli_bad("rate", &e);
    if (a.help) {
        ob_cli_help(stdout, &ob_rate_command);
        return 0;
    }
    return a.net && !a.problem ? rate_net(&a) : rate_problem(&a);
}
