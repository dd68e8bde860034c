/* args.h - the command line's one option machinery.
 *
 * A command declares its own options in a table (name, value placeholder, default, help
 * line); the optimizer, schedule and problem options it accepts come from the registries
 * (cli/options.h).  From these one place builds getopt_long's table, reports getopt's
 * complaints (unknown option, missing value) as one line, and writes --help, so that no
 * option is accepted without a help line and no help line lacks its default.
 *
 * Parsing is pure: no I/O, no exit; a command's parse function fills a config struct
 * and the argument fuzzer (fuzz/fuzz_args.c) calls the same function. */
#ifndef OB_ARGS_H
#define OB_ARGS_H

#include <getopt.h>
#include <stdio.h>

#include "common/ob.h"

/* One of a command's own options. */
typedef struct {
    const char *name;   /* long name without "--"; NULL ends the table */
    int id;             /* the command's code for it (> 0, distinct per command) */
    const char *value;  /* placeholder of its value ("N", "FILE.csv"); NULL: a flag */
    const char *def;    /* the default as --help shows it ("1000", "off"); "required" for
                           an option without which the command refuses to run */
    const char *help;   /* one line */
    int hidden;         /* an older spelling of another entry: accepted, never printed */
} ob_cli_option;

/* the shared groups of options a command can take on top of its own */
enum { OB_CLI_OPTIMIZER = 1, OB_CLI_SCHEDULE = 2, OB_CLI_PROBLEM = 4 };

typedef struct {
    const char *name;            /* "run" */
    const char *synopsis;        /* "--problem P --out FILE.csv [options]" */
    const char *summary;         /* one line: `optbench --help` and the command's --help */
    const ob_cli_option *options;
    unsigned shared;             /* OB_CLI_* */
    const char *about;           /* text after the options, or NULL */
    const char *operands;        /* placeholder of positional arguments ("DIR"), or NULL */
    int (*main)(int argc, char **argv); /* the command: argv from its name on; returns the
                                           exit status (cli/commands.h) */
} ob_cli_command;

/* ids ob_cli_next gives for what is not the command's own */
enum {
    OB_CLI_HELP = -1,       /* -h, --help */
    OB_CLI_ID_OPTIMIZER = -2, OB_CLI_ID_SCHEDULE = -3, OB_CLI_ID_PROBLEM = -4,
};

#define OB_CLI_MAX_OPTIONS 160

/* One option as parsed. */
typedef struct {
    int id;             /* the own option's id, or OB_CLI_HELP / OB_CLI_ID_* */
    const char *name;   /* its long name as documented (an old spelling's new name) */
    const char *arg;    /* its value; NULL for a flag */
} ob_cli_arg;

typedef struct {
    const ob_cli_command *cmd;
    struct option table[OB_CLI_MAX_OPTIONS + 1];
    int ids[OB_CLI_MAX_OPTIONS];
    const char *names[OB_CLI_MAX_OPTIONS];  /* documented name of each table entry */
    size_t n;
    int argc;
    char **argv;
} ob_cli_parser;

/* Builds the getopt table of cmd (its own options first, then the shared groups from
 * the registries) and resets getopt for argv. */
void ob_cli_begin(ob_cli_parser *p, const ob_cli_command *cmd, int argc, char **argv);

/* The next option: 1 with *a filled, 0 after the last, -1 on an unknown option or a
 * missing value (one line in e, naming it and pointing to --help). */
int ob_cli_next(ob_cli_parser *p, ob_cli_arg *a, ob_error *e);

/* After the options: the positional arguments left, between min and max of them
 * (their count in *n, the first at argv[*first]); otherwise EINVAL with one line. */
ob_status ob_cli_operands(const ob_cli_parser *p, int min, int max, int *first, int *n,
                          ob_error *e);

/* "--problem, --optimizer and --out are required (see optbench run --help)" */
ob_status ob_cli_required(const char *cmd, const char *what, ob_error *e);

/* cmd's --help: synopsis, its own options, the shared groups (from the registries, each
 * option with its default per optimizer or problem) and the about text. */
void ob_cli_help(FILE *f, const ob_cli_command *cmd);

/* `optbench CMD: MESSAGE` on stderr; returns 2 (bad usage or input) */
int ob_cli_bad(const char *cmd, const ob_error *e);

#endif
