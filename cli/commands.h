/* commands.h - the subcommands; each takes argv from its own name on and returns the
 * process exit status (0 ok, 2 bad usage or input, 1 other failure, 130 interrupted).
 * Each lives in its own file cli/cmd_NAME.c, split into parse (pure), run and print. */
#ifndef OB_COMMANDS_H
#define OB_COMMANDS_H

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
