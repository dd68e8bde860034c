/* main.c - the optbench command line: subcommand dispatch and the top-level usage.
 *
 * Exit status: 0 success, 2 bad usage or bad input (one line on stderr naming the
 * argument and what is accepted), 1 other failures. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "optimizers/plugin.h"

static const struct {
    const char *name, *synopsis, *summary;
    int (*main)(int argc, char **argv);
} commands[] = {
    {"list", "", "optimizers, schedules, problems, networks, data sets, suites", ob_cmd_list},
    {"run", "--problem P --out FILE.csv [--optimizer O] [options]",
     "one run on an analytic problem", ob_cmd_run},
    {"train", "--net N [--optimizer O] [--out FILE.csv] [options]",
     "one network training run", ob_cmd_train},
    {"rate", "--problem P | --net N --out FILE.csv [options]",
     "SGD against its theoretical rate", ob_cmd_rate},
    {"plot", "DIR | FILE.csv ... [--format png|svg|pdf]",
     "a results directory's figures and report, or the figures of run and train CSVs",
     ob_cmd_plot},
    {"bench", "[--suite quick|full|smoke|FILE] [--jobs N] [--out DIR]",
     "the whole benchmark: tuning, runs, tables, figures, report", ob_cmd_bench},
    {"compare", "DIR_A DIR_B [DIR_C ...] [--out DIR]",
     "results directories side by side: rankings, changes, curves, scores", ob_cmd_compare},
    {"check", "--optimizer PLUGIN --against NAME [--steps N] [--lr X]",
     "a plugin optimizer against a built-in, step by step, on every problem", ob_cmd_check},
    {"stability", "[--out DIR] [--steps N] [--smoke]",
     "the edge-of-stability experiment: sharpness against 2/lr", ob_cmd_stability},
    {"landscape", "[--net N] [--optimizer O1,O2,...] [--out DIR]",
     "loss landscapes: interpolation, PCA and random slices", ob_cmd_landscape},
    {"version", "", "the version and the commit it was built from", ob_cmd_version},
};
#define N_COMMANDS (sizeof commands / sizeof *commands)

/* Loads the plugins named by --optimizer PATH before a command parses its options, so
 * that their options exist (they parse, show in --help, are refused for other rules).
 * Returns 0, or 2 after one line naming the bad plugin. */
static int load_plugins(const char *cmd, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *v = NULL;
        if (strcmp(argv[i], "--optimizer") == 0 && i + 1 < argc) v = argv[++i];
        else if (strncmp(argv[i], "--optimizer=", 12) == 0) v = argv[i] + 12;
        else if (strcmp(argv[i], "--") == 0) break;
        const ob_optimizer_type *T;
        ob_error e = {{0}};
        if (v && ob_plugin_is_path(v) && ob_plugin_load(v, &T, &e) != OB_OK) {
            fprintf(stderr, "optbench %s: %s\n", cmd, e.msg);
            return 2;
        }
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: optbench COMMAND [options]\n\ncommands:\n");
    for (size_t k = 0; k < N_COMMANDS; k++) {
        if (*commands[k].synopsis) fprintf(f, "  %-8s %s\n  %-8s   %s\n", commands[k].name,
                                           commands[k].synopsis, "", commands[k].summary);
        else fprintf(f, "  %-8s %s\n", commands[k].name, commands[k].summary);
    }
    fprintf(f, "\noptbench COMMAND --help shows a command's options; optbench --version the "
               "version.\n");
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts: one bad run must not end a whole benchmark */
    gsl_set_error_handler_off();
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) cmd = "version";
    for (size_t k = 0; k < N_COMMANDS; k++)
        if (strcmp(cmd, commands[k].name) == 0) {
            int rc = load_plugins(cmd, argc - 1, argv + 1);
            return rc ? rc : commands[k].main(argc - 1, argv + 1);
        }
    char names[256] = "";
    for (size_t k = 0; k < N_COMMANDS; k++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", k ? ", " : "",
                 commands[k].name);
    fprintf(stderr, "optbench: unknown command '%s' (accepted: %s; see optbench --help)\n", cmd,
            names);
    return 2;
}
