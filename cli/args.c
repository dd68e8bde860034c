/* args.c - getopt_long from the option tables, its one error path, and --help (see
 * args.h). */
#include "cli/args.h"

#include <string.h>

#include "cli/commands.h"
#include "cli/options.h"

/* getopt_long's val for table entry k: distinct per entry, so that a missing value
 * (optopt = val) names the option; above any single character. */
#define VAL(k) (1000 + (int)(k))

static void entry(ob_cli_parser *p, const char *name, const char *documented, int has_value,
                  int id)
{
    for (size_t k = 0; k < p->n; k++)
        if (strcmp(p->table[k].name, name) == 0) return; /* a command's own option wins */
    if (p->n == OB_CLI_MAX_OPTIONS) return;
    p->table[p->n] = (struct option){name, has_value ? required_argument : no_argument, 0,
                                     VAL(p->n)};
    p->ids[p->n] = id;
    p->names[p->n] = documented;
    p->n++;
}

static void group(ob_cli_parser *p, int which, int id)
{
    ob_shared_option o[OB_CLI_MAX_OPTIONS];
    size_t n = ob_shared_options(which, o, OB_CLI_MAX_OPTIONS);
    for (size_t k = 0; k < n && k < OB_CLI_MAX_OPTIONS; k++) {
        entry(p, o[k].name, o[k].name, o[k].value != NULL, id);
        if (o[k].alias) entry(p, o[k].alias, o[k].name, o[k].value != NULL, id);
    }
}

void ob_cli_begin(ob_cli_parser *p, const ob_cli_command *cmd, int argc, char **argv)
{
    p->cmd = cmd;
    p->n = 0;
    p->argc = argc;
    p->argv = argv;
    for (const ob_cli_option *o = cmd->options; o->name; o++) {
        /* an old spelling reports the name of the entry with the same id */
        const char *doc = o->name;
        for (const ob_cli_option *q = cmd->options; o->hidden && q->name; q++)
            if (q->id == o->id && !q->hidden) doc = q->name;
        entry(p, o->name, doc, o->value != NULL, o->id);
    }
    entry(p, "help", "help", 0, OB_CLI_HELP);
    if (cmd->shared & OB_CLI_OPTIMIZER) group(p, OB_CLI_OPTIMIZER, OB_CLI_ID_OPTIMIZER);
    if (cmd->shared & OB_CLI_SCHEDULE) group(p, OB_CLI_SCHEDULE, OB_CLI_ID_SCHEDULE);
    if (cmd->shared & OB_CLI_PROBLEM) group(p, OB_CLI_PROBLEM, OB_CLI_ID_PROBLEM);
    p->table[p->n] = (struct option){0, 0, 0, 0};
    opterr = 0;
    optind = 0; /* glibc's full reset: getopt_long keeps state between argv vectors */
}

int ob_cli_next(ob_cli_parser *p, ob_cli_arg *a, ob_error *e)
{
    const char *cmd = p->cmd->name;
    int ch = getopt_long(p->argc, p->argv, "h", p->table, NULL);
    if (ch == -1) return 0;
    if (ch == 'h') {
        *a = (ob_cli_arg){OB_CLI_HELP, "help", NULL};
        return 1;
    }
    if (ch >= VAL(0) && ch < VAL(p->n)) {
        size_t k = (size_t)(ch - VAL(0));
        *a = (ob_cli_arg){p->ids[k], p->names[k], optarg};
        return 1;
    }
    /* '?': the one place that words getopt's complaints */
    if (optopt >= VAL(0) && optopt < VAL(p->n))
        ob_fail(e, OB_EINVAL, "option --%s needs a value or takes none (see optbench %s --help)",
                p->names[optopt - VAL(0)], cmd);
    else if (optopt)
        ob_fail(e, OB_EINVAL, "unknown option '-%c' (see optbench %s --help)", optopt, cmd);
    else
        ob_fail(e, OB_EINVAL, "unknown option '%s' (see optbench %s --help)",
                p->argv[optind - 1], cmd);
    return -1;
}

ob_status ob_cli_operands(const ob_cli_parser *p, int min, int max, int *first, int *n,
                          ob_error *e)
{
    int left = p->argc - optind;
    if (first) *first = optind;
    if (n) *n = left;
    if (left > max && max == 0)
        return ob_fail(e, OB_EINVAL, "unexpected argument '%s' (see optbench %s --help)",
                       p->argv[optind], p->cmd->name);
    if (left < min || left > max)
        return ob_fail(e, OB_EINVAL, "expected %s, got %d arguments (see optbench %s --help)",
                       p->cmd->operands ? p->cmd->operands : "no argument", left, p->cmd->name);
    return OB_OK;
}

ob_status ob_cli_required(const char *cmd, const char *what, ob_error *e)
{
    return ob_fail(e, OB_EINVAL, "%s required (see optbench %s --help)", what, cmd);
}

int ob_exit_code(int status)
{
    return status == OB_EINVAL || status == OB_EDATA || status == OB_EIO ? 2 : 1;
}

int ob_cli_bad(const char *cmd, const ob_error *e)
{
    fprintf(stderr, "optbench %s: %s\n", cmd, e->msg);
    return 2;
}

void ob_cli_help(FILE *f, const ob_cli_command *c)
{
    fprintf(f, "usage: optbench %s %s\n\n%s.\n\noptions:\n", c->name, c->synopsis, c->summary);
    for (const ob_cli_option *o = c->options; o->name; o++) {
        if (o->hidden) continue;
        char head[64];
        snprintf(head, sizeof head, "--%s%s%s", o->name, o->value ? " " : "",
                 o->value ? o->value : "");
        if (o->def && strcmp(o->def, "required") == 0)
            fprintf(f, "  %-24s %s (required)\n", head, o->help);
        else
            fprintf(f, "  %-24s %s (default %s)\n", head, o->help,
                    o->def ? o->def : o->value ? "none" : "off");
    }
    fprintf(f, "  %-24s %s\n", "-h, --help", "this text, then exit");
    if (c->shared & OB_CLI_SCHEDULE) ob_shared_help(f, OB_CLI_SCHEDULE);
    if (c->shared & OB_CLI_OPTIMIZER) ob_shared_help(f, OB_CLI_OPTIMIZER);
    if (c->shared & OB_CLI_PROBLEM) ob_shared_help(f, OB_CLI_PROBLEM);
    if (c->about) fprintf(f, "\n%s", c->about);
}
