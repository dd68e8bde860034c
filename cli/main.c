/* main.c - the optbench command line: subcommand dispatch, `list`, usage, exit codes.
 *
 * Exit status: 0 success, 2 bad usage or bad input (one line on stderr naming the
 * argument and what is accepted), 1 other failures. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"
#include "cli/commands.h"
#include "nets/dataset.h"
#include "nets/presets.h"
#include "optimizers/optimizer.h"
#include "optimizers/schedule.h"
#include "problems/problem.h"

static const char usage[] =
    "usage: optbench COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  list                         optimizers, schedules, problems, networks, data sets\n"
    "  run --problem P --optimizer O --out FILE.csv [options]\n"
    "                               one run on an analytic problem (optbench run --help)\n"
    "  train --net N --optimizer O --out FILE.csv [options]\n"
    "                               one network training run (optbench train --help)\n"
    "  rate --problem P --out FILE.csv [--n-list ...] [--seeds R] [--plot FILE.png]\n"
    "                               SGD against its theoretical rate (optbench rate --help)\n"
    "  plot DIR                     redraw the figures and the report of a results directory\n"
    "  bench [--suite quick|full] [--jobs N] [--out DIR]\n"
    "                               the whole benchmark: tuning, seeds, tables, figures\n"
    "\n"
    "optbench COMMAND --help shows a command's options.\n";

static int cmd_list(int argc, char **argv)
{
    if (argc > 1) {
        if (strcmp(argv[1], "--help") == 0) {
            printf("usage: optbench list\n");
            return 0;
        }
        fprintf(stderr, "optbench list: unexpected argument '%s' (list takes none)\n", argv[1]);
        return 2;
    }
    printf("optimizers (--optimizer NAME; defaults as torch.optim):\n");
    for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++)
        printf("  %-10s %s\n  %-10s   %s\n", (*t)->name, (*t)->summary, "", (*t)->options);
    printf("\nschedules (--schedule NAME; t = 0, 1, ... counts updates):\n");
    for (const ob_schedule_type *const *t = ob_schedule_types; *t; t++)
        printf("  %-10s %s\n", (*t)->name, (*t)->formula);
    printf("  %-10s   --decay-factor 0.5 --decay-every 100 (step), --decay-rate 0.01 (exp), "
           "--tau 100 (tau)\n", "");
    printf("\nproblems (--problem NAME):\n");
    for (const ob_problem_type *const *t = ob_problem_types; *t; t++)
        printf("  %-15s %s\n  %-15s   %s\n", (*t)->name, (*t)->formula, "", (*t)->options);
    printf("\nnetworks (optbench train --net NAME; input and output sizes follow the data):\n");
    for (const ob_net_preset *const *t = ob_net_presets; *t; t++)
        printf("  %-10s %s (data: %s)\n", (*t)->name, (*t)->summary, (*t)->dataset);
    printf("  %-10s --layers 300,100 --act relu|leaky-relu|sigmoid|tanh|hardtanh|softsign\n", "");
    printf("\ndata sets (optbench train --dataset NAME | --data DIR|FILE.csv):\n"
           "  fashion-mnist  %s, 60000 train (6000 held out for validation) + 10000 test, 28x28\n"
           "  spirals        two interleaved spirals in 2-D, noise 0.2 (seed 003)\n"
           "  moons          two moons in 2-D, noise 0.1\n"
           "  windows        5-word windows of 4-d word vectors, true vs corrupt (seed 000)\n"
           "  --data DIR     IDX files with the MNIST names (gzipped or not); FILE.csv: features,"
           " label\n",
           OB_FASHION_MNIST_DIR);
    printf("\nbenchmark suites (optbench bench --suite NAME):\n");
    for (const char *const *n = ob_suite_names; *n; n++) {
        const ob_suite *S = ob_suite_find(*n);
        printf("  %-10s %zu workloads x %zu optimizers, %d seeds (networks %d)\n", S->name,
               S->n_workloads, S->n_optimizers, S->seeds, S->net_seeds);
    }
    return 0;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts: one bad run must not end a whole benchmark */
    gsl_set_error_handler_off();
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(cmd, "list") == 0) return cmd_list(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0) return ob_cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "train") == 0) return ob_cmd_train(argc - 1, argv + 1);
    if (strcmp(cmd, "rate") == 0) return ob_cmd_rate(argc - 1, argv + 1);
    if (strcmp(cmd, "plot") == 0) return ob_cmd_plot(argc - 1, argv + 1);
    if (strcmp(cmd, "bench") == 0) return ob_cmd_bench(argc - 1, argv + 1);
    fprintf(stderr, "optbench: unknown command '%s' (accepted: list, run, train, rate, bench; see optbench --help)\n",
            cmd);
    return 2;
}
