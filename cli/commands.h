/* commands.h - the subcommands; each takes argv from its own name on and returns the
 * process exit status (0 ok, 2 bad usage or input, 1 other failure, 130 interrupted).
 * Each lives in its own file cli/cmd_NAME.c, split into parse (pure), run and print, with
 * its descriptor ob_NAME_command (name, synopsis, one-line summary, options, the function):
 * the one place a command is described, read by its --help and by `optbench --help`. */
#ifndef OB_COMMANDS_H
#define OB_COMMANDS_H

#include "cli/args.h"

extern const ob_cli_command ob_list_command, ob_run_command, ob_train_command,
    ob_rate_command, ob_plot_command, ob_bench_command, ob_compare_command, ob_check_command,
    ob_stability_command, ob_landscape_command, ob_version_command;

/* Every command, in the order `optbench --help` lists them; NULL-terminated. */
extern const ob_cli_command *const ob_commands[];

/* The command called name, or NULL. */
const ob_cli_command *ob_command_find(const char *name);

int ob_cmd_list(int argc, char **argv);
int ob_cmd_run(int argc, char **argv);
int ob_cmd_train(int argc, char **argv);
int ob_cmd_rate(int argc, char **argv);
int ob_cmd_plot(int argc, char **argv);
int ob_cmd_bench(int argc, char **argv);
int ob_cmd_version(int argc, char **argv);
int ob_cmd_check(int argc, char **argv);
int ob_cmd_stability(int argc, char **argv);
int ob_cmd_compare(int argc, char **argv);
int ob_cmd_landscape(int argc, char **argv);

/* exit status for a library status: 2 for bad input, 1 for everything else */
int ob_exit_code(int status);

#endif
