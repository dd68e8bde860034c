/* main.c - the optbench command line: subcommand dispatch and the top-level usage.
 *
 * Exit status: 0 success, 2 bad usage or bad input (one line on stderr naming the
 * argument and what is accepted), 1 other failures. */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "common/names.h"
#include "optimizers/plugin.h"

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

/* one line of `optbench --help`: "  NAME  TEXT" with the names in a column w wide */
static void usage_line(FILE *f, int w, const char *name, const char *text, size_t len)
{
    fprintf(f, "  %-*s %.*s\n", w, name, (int)len, text);
}

/* `optbench --help`: each command's synopsis and summary, from its own descriptor (a
 * synopsis's further lines, "optbench NAME ..." under the first, without their prefix) */
static void usage(FILE *f)
{
    int w = 0;
    for (const ob_cli_command *const *c = ob_commands; *c; c++)
        if ((int)strlen((*c)->name) > w) w = (int)strlen((*c)->name);
    fprintf(f, "usage: optbench COMMAND [options]\n\ncommands:\n");
    for (const ob_cli_command *const *c = ob_commands; *c; c++) {
        const char *name = (*c)->name, *s = (*c)->synopsis;
        if (!*s) {
            usage_line(f, w, name, (*c)->summary, strlen((*c)->summary));
            continue;
        }
        for (int first = 1; *s; first = 0) {
            size_t len = strcspn(s, "\n");
            const char *line = s + strspn(s, " ");
            char prefix[64];
            snprintf(prefix, sizeof prefix, "optbench %s ", name);
            if (!first && strncmp(line, prefix, strlen(prefix)) == 0) line += strlen(prefix);
            usage_line(f, w, first ? name : "", line, len - (size_t)(line - s));
            s += len + (s[len] == '\n');
        }
        fprintf(f, "  %-*s   %s\n", w, "", (*c)->summary);
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
    const ob_cli_command *c = ob_command_find(cmd);
    if (c) {
        ob_plugin_set_options_check(ob_optimizer_options_check);
        int rc = load_plugins(cmd, argc - 1, argv + 1);
        return rc ? rc : c->main(argc - 1, argv + 1);
    }
    const char *names[OB_NAMES_MAX];
    char accepted[512];
    OB_NAMES_OF(names, ob_commands);
    fprintf(stderr, "optbench: unknown command '%s' (%s; see optbench --help)\n", cmd,
            ob_accepted(accepted, sizeof accepted, names));
    return 2;
}
