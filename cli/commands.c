/* commands.c - the table of the commands (see commands.h): each one's descriptor, as
 * its own file defines it. */
#include "cli/commands.h"

#include <string.h>

const ob_cli_command *const ob_commands[] = {
    &ob_list_command,    &ob_run_command,     &ob_train_command, &ob_rate_command,
    &ob_plot_command,    &ob_bench_command,   &ob_compare_command, &ob_check_command,
    &ob_stability_command, &ob_landscape_command, &ob_version_command, NULL,
};

const ob_cli_command *ob_command_find(const char *name)
{
    for (const ob_cli_command *const *c = ob_commands; *c; c++)
        if (strcmp((*c)->name, name) == 0) return *c;
    return NULL;
}
