/* cmd_rate.c - `optbench rate`: SGD against the theorem's rate on an analytic problem
 * (rate/rate.h), a CSV with one row per N, a summary CSV, and optionally the figure. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "rate/rate.h"
#include "rate/rate_net.h"
#include "plots/gnuplot.h"

static const char rate_usage[] =
    "usage: optbench rate --problem P --out FILE.csv [options]\n"
    "       optbench rate --net netA --out FILE.csv [--subset 512] [--batch 32] [options]\n"
    "\n"
    "  --n-list 10,100,1000,10000   the numbers of steps N\n"
    "  --seeds 10                   independent runs per N (seeds --seed .. --seed+R-1)\n"
    "  --seed 1                     first run's seed (the problem's data come from it too)\n"
    "  --noise 1                    sigma of the additive gradient noise (not finite sums)\n"
    "  --batch 1                    mini-batch size (finite sums: logreg, lsq)\n"
    "  --x0 a,b,...                 start point (default: the problem's)\n"
    "  --plot FILE.png              also draw the log-log figure\n"
    "  --quiet                      no text summary on stdout\n"
    "  problem options: --dim --kappa --rotate --samples --separable --l2 --data\n"
    "\n"
    "SGD runs with the constant step 1/(L sqrt(N)); for each N the CSV has the mean over runs\n"
    "of (1/N) sum_{t<N} ||grad f(theta_t)||^2 (true gradients), its standard error, min and max,\n"
    "sigma^2, the bound (2L(f(theta_0)-f*)+sigma^2)/sqrt(N), bound/mean and whether the bound\n"
    "held (yes: mean + 2 s.e. <= bound).  FILE.summary.csv has L and where it came from, the\n"
    "fitted slope of log(mean) against log(N) and its standard error.  Problems that are not\n"
    "globally L-smooth (saddle, rosenbrock, beale) are refused: the theorem does not apply.\n"
    "\n"
    "With --net (a cross-entropy preset on a Fashion-MNIST subset, float64; N defaults to\n"
    "10,100,1000 and --seeds to 3), L is estimated by power iteration on finite-difference\n"
    "Hessian-vector products and sigma^2 from mini-batch gradients, and the output says so:\n"
    "a network is not globally L-smooth, so the comparison is an estimate, not a theorem.\n";

enum {
    O_PROBLEM = 256, O_OUT, O_NLIST, O_SEEDS, O_SEED, O_NOISE, O_BATCH, O_X0, O_PLOT, O_QUIET,
    O_NET, O_SUBSET, O_HELP
};

static const struct option rate_options[] = {
    {"problem", required_argument, 0, O_PROBLEM},
    {"out", required_argument, 0, O_OUT},
    {"n-list", required_argument, 0, O_NLIST},
    {"seeds", required_argument, 0, O_SEEDS},
    {"seed", required_argument, 0, O_SEED},
    {"noise", required_argument, 0, O_NOISE},
    {"batch", required_argument, 0, O_BATCH},
    {"x0", required_argument, 0, O_X0},
    {"plot", required_argument, 0, O_PLOT},
    {"quiet", no_argument, 0, O_QUIET},
    {"net", required_argument, 0, O_NET},
    {"subset", required_argument, 0, O_SUBSET},
    {"help", no_argument, 0, O_HELP},
    OB_PROBLEM_OPTIONS,
    {0, 0, 0, 0},
};

#define MAX_N 64

/* optbench rate --net: the estimate-based comparison of rate_net.c */
static int rate_net(const char *net, size_t subset, size_t batch, const long *n_list,
                    size_t n_count, int seeds, unsigned long seed, const char *out,
                    const char *plot, int quiet)
{
    ob_error e = {{0}};
    ob_splits sp;
    ob_status s = ob_load_idx_dir(OB_FASHION_MNIST_DIR, 6000, 1, &sp, &e);
    if (s != OB_OK) {
        fprintf(stderr, "optbench rate: %s\n", e.msg);
        return ob_exit_code(s);
    }
    ob_rate_net_config c = {.net = net, .subset = subset, .batch = batch, .n_list = n_list,
                            .n_count = n_count, .seeds = seeds, .seed0 = seed, .progress = 1};
    ob_rate_subject sub;
    ob_rate_row rows[MAX_N];
    ob_rate_fit fit;
    s = ob_rate_net_run(&c, &sp, &sub, rows, &fit, &e);
    if (s == OB_OK) s = ob_rate_write_subject(out, &sub, rows, n_count, &fit, &e);
    ob_splits_free(&sp);
    if (s != OB_OK) {
        fprintf(stderr, "optbench rate: %s\n", e.msg);
        return ob_exit_code(s);
    }
    if (plot) {
        char title[256];
        snprintf(title, sizeof title, "SGD on %s (%zu parameters, %s): ESTIMATED L = %.4g and "
                 "sigma^2", net, sub.dim, sub.oracle, sub.L);
        ob_error pe = {{0}};
        if (ob_plot_rate(out, plot, title, rows[0].N, rows[0].mean, &pe) != OB_OK)
            fprintf(stderr, "optbench rate: warning: %s (the CSVs are written)\n", pe.msg);
    }
    if (!quiet) {
        printf("%s (%zu parameters): L ~ %.4g (%s), sigma^2 ~ %.4g, f(x0) = %.4g >= f* = 0\n", net,
               sub.dim, sub.L, sub.L_source, rows[0].sigma2, fit.f0);
        for (size_t k = 0; k < n_count; k++)
            printf("  N = %-8ld mean %.4g +- %.2g  bound %.4g  bound/mean %.3g  holds: %s\n",
                   rows[k].N, rows[k].mean, rows[k].stderr_, rows[k].bound, rows[k].ratio,
                   rows[k].holds);
        printf("verdict: %s (ESTIMATE: L and sigma^2 estimated, %s, %d runs per N): the bound %s; "
               "it is %.3g to %.3g times the measured mean; the measured slope is %.3f +- %.3f "
               "(the theorem's rate: -0.5).\n",
               net, sub.oracle, seeds, fit.all_hold ? "held at every N" : "did NOT hold at every N",
               fit.min_ratio, fit.max_ratio, fit.slope, fit.slope_se);
    }
    return 0;
}

int ob_cmd_rate(int argc, char **argv)
{
    ob_blas_threads(1); /* analytic problems: see ob_blas_threads */
    const char *prob_name = NULL, *out = NULL, *plot = NULL;
    ob_problem_opts popts = {.seed = 1};
    ob_rate_config c = {.seeds = 10, .seed0 = 1};
    long n_list[MAX_N] = {10, 100, 1000, 10000}, lval;
    double dl[MAX_N], x0[4096];
    size_t n_count = 4, nx0 = 0, k;
    int quiet = 0, have_noise = 0, have_x0 = 0, have_nlist = 0, have_seeds = 0, ch, taken;
    const char *net = NULL;
    size_t subset = 512;
    ob_error e = {{0}};
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "", rate_options, NULL)) != -1) {
        switch (ch) {
        case O_HELP: fputs(rate_usage, stdout); return 0;
        case O_PROBLEM: prob_name = optarg; break;
        case O_OUT: out = optarg; break;
        case O_PLOT: plot = optarg; break;
        case O_QUIET: quiet = 1; break;
        case O_NLIST:
            if (ob_parse_list("--n-list", optarg, dl, MAX_N, &n_count, &e)) goto usage;
            for (k = 0; k < n_count; k++) {
                if (!(dl[k] >= 1 && dl[k] <= 1e8 && dl[k] == floor(dl[k]))) {
                    ob_fail(&e, OB_EINVAL, "--n-list takes whole numbers from 1 to 1e8, got %g", dl[k]);
                    goto usage;
                }
                n_list[k] = (long)dl[k];
            }
            have_nlist = 1;
            break;
        case O_NET: net = optarg; break;
        case O_SUBSET:
            if (ob_parse_long("--subset", optarg, 2, 60000, &lval, &e)) goto usage;
            subset = (size_t)lval;
            break;
        case O_SEEDS:
            if (ob_parse_long("--seeds", optarg, 2, 100000, &lval, &e)) goto usage;
            c.seeds = (int)lval;
            have_seeds = 1;
            break;
        case O_SEED:
            if (ob_parse_long("--seed", optarg, 0, 2147483647L, &lval, &e)) goto usage;
            c.seed0 = popts.seed = (unsigned long)lval;
            break;
        case O_NOISE:
            if (ob_parse_double("--noise", optarg, &c.noise, &e)) goto usage;
            if (!(c.noise > 0)) {
                ob_fail(&e, OB_EINVAL, "--noise must be > 0, got %g", c.noise);
                goto usage;
            }
            have_noise = 1;
            break;
        case O_BATCH:
            if (ob_parse_long("--batch", optarg, 1, 2147483647L, &lval, &e)) goto usage;
            c.batch = (size_t)lval;
            break;
        case O_X0:
            if (ob_parse_list("--x0", optarg, x0, sizeof x0 / sizeof *x0, &nx0, &e)) goto usage;
            have_x0 = 1;
            break;
        case '?':
            if (optopt >= 256) ob_fail(&e, OB_EINVAL, "option --%s needs a value or takes none (see optbench rate --help)",
                                ob_option_name(rate_options, optopt));
            else if (optopt) ob_fail(&e, OB_EINVAL, "unknown option '-%c' (see optbench rate --help)", optopt);
            else ob_fail(&e, OB_EINVAL, "unknown option '%s' (see optbench rate --help)", argv[optind - 1]);
            goto usage;
        default:
            taken = ob_problem_args_take(&popts, ch, optarg, &e);
            if (taken < 0) goto usage;
            break;
        }
    }
    if (optind < argc) {
        ob_fail(&e, OB_EINVAL, "unexpected argument '%s' (see optbench rate --help)", argv[optind]);
        goto usage;
    }
    if (net && !prob_name && out) {
        if (!have_nlist) n_list[0] = 10, n_list[1] = 100, n_list[2] = 1000, n_count = 3;
        if (!have_seeds) c.seeds = 3;
        return rate_net(net, subset, c.batch ? c.batch : 32, n_list, n_count, c.seeds, c.seed0,
                        out, plot, quiet);
    }
    if (!prob_name == !net || !out) {
        ob_fail(&e, OB_EINVAL, "one of --problem or --net, and --out, are required (see optbench "
                "rate --help)");
        goto usage;
    }
    const ob_problem_type *PT = ob_problem_lookup(prob_name, &e);
    if (!PT) goto usage;
    ob_problem prob;
    ob_status s = ob_problem_create(&prob, PT, &popts, &e);
    if (s != OB_OK) {
        fprintf(stderr, "optbench rate: %s\n", e.msg);
        return ob_exit_code(s);
    }
    int rc = 2;
    if ((s = ob_rate_check(&prob, &e)) != OB_OK) goto fail;
    if (prob.n_samples) {
        if (have_noise) {
            s = ob_fail(&e, OB_EINVAL, "%s is a finite sum: its stochastic gradient is a mini-batch "
                        "(--batch B), not --noise", PT->name);
            goto fail;
        }
        if (!c.batch) c.batch = 1;
        if (c.batch > prob.n_samples) {
            s = ob_fail(&e, OB_EINVAL, "--batch must be between 1 and the %zu samples, got %zu",
                        prob.n_samples, c.batch);
            goto fail;
        }
    } else {
        if (c.batch) {
            s = ob_fail(&e, OB_EINVAL, "--batch applies to finite sums (logreg, lsq); %s takes --noise SIGMA",
                        PT->name);
            goto fail;
        }
        if (!have_noise) c.noise = 1.0;
    }
    if (have_x0 && nx0 != prob.dim) {
        s = ob_fail(&e, OB_EINVAL, "--x0 has %zu numbers but %s has dimension %zu", nx0, PT->name,
                    prob.dim);
        goto fail;
    }
    c.prob = &prob;
    c.x0 = have_x0 ? x0 : NULL;
    c.n_list = n_list;
    c.n_count = n_count;
    ob_rate_row rows[MAX_N];
    ob_rate_fit fit;
    if ((s = ob_rate_run(&c, rows, &fit, &e)) != OB_OK) goto fail;
    if ((s = ob_rate_write(out, &c, rows, &fit, &e)) != OB_OK) goto fail;
    if (plot) {
        char title[256];
        snprintf(title, sizeof title, "SGD on %s (n = %zu, L = %.4g): measured vs the theorem's bound",
                 PT->name, prob.dim, prob.L);
        ob_error pe = {{0}};
        if (ob_plot_rate(out, plot, title, rows[0].N, rows[0].mean, &pe) != OB_OK)
            fprintf(stderr, "optbench rate: warning: %s (the CSVs are written)\n", pe.msg);
    }
    if (!quiet) {
        printf("%s: L = %.6g (%s), f(x0) - f* = %.6g, %d runs per N\n", PT->name, prob.L,
               prob.L_source, fit.f0 - prob.f_star, c.seeds);
        for (k = 0; k < n_count; k++)
            printf("  N = %-8ld mean %.4g +- %.2g  bound %.4g  bound/mean %.3g  holds: %s\n",
                   rows[k].N, rows[k].mean, rows[k].stderr_, rows[k].bound, rows[k].ratio,
                   rows[k].holds);
        printf("  measured slope of log(mean) vs log(N): %.3f +- %.3f (the theorem's rate: -0.5)\n",
               fit.slope, fit.slope_se);
        char verdict[1024];
        ob_rate_verdict(verdict, sizeof verdict, &c, &fit);
        printf("verdict: %s\n", verdict);
    }
    ob_problem_free(&prob);
    return 0;
fail:
    fprintf(stderr, "optbench rate: %s\n", e.msg);
    rc = ob_exit_code(s);
    ob_problem_free(&prob);
    return rc;
usage:
    fprintf(stderr, "optbench rate: %s\n", e.msg);
    return 2;
}
