/* cmd_list.c - `optbench list`: every optimizer (with its options and their defaults, from
 * its table), schedule, problem, network, data set and suite, walked from the registries. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bench/bench.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "nets/dataset.h"
#include "nets/presets.h"

static const ob_cli_option list_options[] = {{NULL, 0, NULL, NULL, NULL, 0}};

const ob_cli_command ob_list_command = {
    .name = "list",
    .synopsis = "",
    .summary = "optimizers, schedules, problems, networks, data sets and suites",
    .options = list_options,
    .main = ob_cmd_list,
};

static void optimizers(void)
{
    printf("optimizers (--optimizer NAME; defaults as torch.optim):\n");
    for (const ob_optimizer_type *const *t = ob_optimizer_types; *t; t++) {
        printf("  %-10s %s\n  %-10s  ", (*t)->name, (*t)->summary, "");
        for (const ob_hp_option *o = (*t)->options; o->name; o++) {
            char def[48];
            if (o->kind == OB_HPK_FLAG) printf(" --%s%s", o->name, o->def ? " (on)" : "");
            else printf(" --%s %s", o->name, ob_hp_default_text(o, def, sizeof def));
        }
        printf("\n");
    }
}

static void problems(void)
{
    printf("\nproblems (--problem NAME; --seed also draws rotations and synthetic data):\n");
    for (const ob_problem_type *const *t = ob_problem_types; *t; t++) {
        printf("  %-15s %s\n  %-15s  ", (*t)->name, (*t)->formula, "");
        for (const ob_problem_option *o = (*t)->options; o->name; o++)
            printf(" --%s%s%s", o->name, o->kind == OB_POK_TEXT ? " FILE" : o->def ? " " : "",
                   o->kind != OB_POK_TEXT && o->def ? o->def : "");
        printf("\n");
    }
}

static void schedules(void)
{
    printf("\nschedules (--schedule NAME; t = 0, 1, ... counts updates):\n");
    for (const ob_schedule_type *const *t = ob_schedule_types; *t; t++)
        printf("  %-10s %s\n", (*t)->name, (*t)->formula);
    const ob_schedule d = ob_schedule_default();
    printf("  %-10s   --decay-factor %g --decay-every %ld (step), --decay-rate %g (exp), "
           "--tau %g (tau),\n  %-10s   --t-max N (cosine; default: the run's updates) --eta-min %g "
           "(cosine), --warmup K (any; default off)\n", "", d.factor, d.every, d.k, d.tau, "",
           d.eta_min);
}

static void others(void)
{    printf("\nnetworks (optbench train --net NAME; input and output sizes follow the data):\n");
    for (const ob_net_preset *const *t = ob_net_presets; *t; t++)
        printf("  %-10s %s (data: %s)\n", (*t)->name, (*t)->summary, (*t)->dataset);
    printf("  %-10s --layers 300,100 --act relu|leaky-relu|sigmoid|tanh|hardtanh|softsign\n", "");
    printf("\ndata sets (optbench train --dataset NAME | --data DIR|FILE.csv):\n");
    for (const ob_dataset_type *const *t = ob_dataset_types; *t; t++) {
        printf("  %-14s %s", (*t)->name, (*t)->summary);
        if (!isnan((*t)->noise)) printf(", noise %g", (*t)->noise);
        if ((*t)->source) printf(" (%s)", (*t)->source);
        printf("\n");
    }
    printf("  --data DIR     IDX files with the MNIST names (gzipped or not); FILE.csv: features,"
           " label\n");
    printf("\nbenchmark suites (optbench bench --suite NAME):\n");
    for (const char *const *n = ob_suite_names; *n; n++) {
        const ob_suite *S = ob_suite_find(*n);
        printf("  %-10s %zu workloads x %zu optimizers, %d random seeds (networks %d)\n", S->name,
               S->n_workloads, S->n_optimizers, S->seeds, S->net_seeds);
    }
}

int ob_cmd_list(int argc, char **argv)
{
    ob_cli_parser p;
    ob_cli_arg o;
    ob_error e = {{0}};
    int r;
    ob_cli_begin(&p, &ob_list_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, &e)) == 1)
        if (o.id == OB_CLI_HELP) {
            ob_cli_help(stdout, &ob_list_command);
            return 0;
        }
    if (r < 0 || ob_cli_operands(&p, 0, 0, NULL, NULL, &e)) return ob_cli_bad("list", &e);
    optimizers();
    schedules();
    problems();
    others();
    return 0;
}
