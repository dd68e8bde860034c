/* cmd_version.c - `optbench version` (and `optbench --version`): the version and the git
 * commit the binary was built from (common/version.h; "unknown" outside a checkout). */
#include <stdio.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/version.h"

static const ob_cli_option version_options[] = {{NULL, 0, NULL, NULL, NULL, 0}};

const ob_cli_command ob_version_command = {
    .name = "version",
    .synopsis = "",
    .summary = "print the version and the commit optbench was built from",
    .options = version_options,
    .main = ob_cmd_version,
};

int ob_cmd_version(int argc, char **argv)
{
    ob_cli_parser p;
    ob_cli_arg o;
    ob_error e = {{0}};
    int r;
    ob_cli_begin(&p, &ob_version_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, &e)) == 1)
        if (o.id == OB_CLI_HELP) {
            ob_cli_help(stdout, &ob_version_command);
            return 0;
        }
    if (r < 0 || ob_cli_operands(&p, 0, 0, NULL, NULL, &e)) return ob_cli_bad("version", &e);
    printf("optbench %s (commit %s)\n", ob_version(), ob_commit());
    return 0;
}
