/* cmd_plot.c - `optbench plot DIR`: redraws every figure and the report from the CSVs in
 * a results directory, without rerunning anything (report/report.h).  Parse, run. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "report/provenance.h"
#include "report/report.h"

enum { O_JOBS = 1, O_QUIET };

static const ob_cli_option plot_options[] = {
    {"jobs", O_JOBS, "N", "one per core", "gnuplot processes at a time, 1..256", 0},
    {"quiet", O_QUIET, NULL, "off", "no progress lines on stdout", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

static const ob_cli_command plot_command = {
    .name = "plot",
    .synopsis = "[--jobs N] [--quiet] DIR",
    .summary = "redraw the figures and the report of a results directory",
    .options = plot_options,
    .operands = "one results directory",
    .about = "Redraws every figure (DIR/figures/*.png) and the report (DIR/report.md,\n"
             "DIR/index.html) from the result tables in DIR (see results/README.md), without\n"
             "rerunning anything.  Figures are drawn for whatever the tables allow; a figure\n"
             "that cannot be drawn (gnuplot missing, a malformed table) is named in a warning\n"
             "on stderr and in the report, and the report is still written: the exit status\n"
             "is 0 then too.  It is 2 for bad usage or a DIR that is not a directory, 1 when\n"
             "the report cannot be written.\n"
             "A DIR whose optbench.json is not valid JSON or has a newer format than this\n"
             "optbench reads is refused (exit 2); one without optbench.json is accepted.\n",
};

typedef struct {
    int help;
    const char *dir;
    ob_render_opts render;
} plot_args;

static ob_status plot_parse(int argc, char **argv, plot_args *a, ob_error *e)
{
    memset(a, 0, sizeof *a);
    ob_cli_parser p;
    ob_cli_arg o;
    long v;
    int r, first, n;
    ob_cli_begin(&p, &plot_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, e)) == 1) {
        if (o.id == OB_CLI_HELP) return a->help = 1, OB_OK;
        if (o.id == O_QUIET) a->render.quiet = 1;
        if (o.id == O_JOBS) {
            if (ob_parse_long("--jobs", o.arg, 1, 256, &v, e)) return OB_EINVAL;
            a->render.jobs = (int)v;
        }
    }
    if (r < 0 || ob_cli_operands(&p, 1, 1, &first, &n, e)) return OB_EINVAL;
    a->dir = argv[first];
    return OB_OK;
}

int ob_cmd_plot(int argc, char **argv)
{
    plot_args a;
    ob_error e = {{0}};
    if (plot_parse(argc, argv, &a, &e) != OB_OK) return ob_cli_bad("plot", &e);
    if (a.help) {
        ob_cli_help(stdout, &plot_command);
        return 0;
    }
    struct stat st;
    if (stat(a.dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "optbench plot: '%s' is not a directory (give a results directory, e.g. "
                "results)\n", a.dir);
        return 2;
    }
    char note[4200];
    int bad;
    if (ob_provenance_check(a.dir, note, sizeof note, &bad, &e) && !a.render.quiet)
        printf("note: %s\n", note); /* older results: accepted */
    if (bad) return ob_cli_bad("plot", &e); /* a newer format, or a malformed file: 2 */
    ob_status s = ob_render_results(a.dir, &a.render, &e);
    if (s != OB_OK) {
        fprintf(stderr, "optbench plot: %s\n", e.msg);
        return ob_exit_code(s);
    }
    return 0;
}
