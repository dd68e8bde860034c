/* cmd_plot.c - `optbench plot DIR`: redraws every figure and the report from the CSVs in
 * a results directory, without rerunning anything (report/report.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "report/report.h"

static const char plot_usage[] =
    "usage: optbench plot [--jobs N] [--quiet] DIR\n"
    "\n"
    "Redraws every figure (DIR/figures/*.png) and the report (DIR/report.md, DIR/index.html)\n"
    "from the result tables in DIR (see results/README.md), without rerunning anything.\n"
    "Figures are drawn for whatever the tables allow; a figure that cannot be drawn (gnuplot\n"
    "missing, a malformed table) is named in a warning on stderr and in the report, and the\n"
    "report is still written: the exit status is 0 then too.  It is 2 for bad usage or a\n"
    "DIR that is not a directory, 1 when the report cannot be written.\n"
    "\n"
    "  --jobs N     gnuplot processes at a time (default: one per core)\n"
    "  --quiet      no progress lines on stdout\n";

enum { O_JOBS = 256, O_QUIET, O_HELP };

static const struct option plot_options[] = {
    {"jobs", required_argument, 0, O_JOBS},
    {"quiet", no_argument, 0, O_QUIET},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0},
};

int ob_cmd_plot(int argc, char **argv)
{
    ob_render_opts o = {0};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", plot_options, NULL)) != -1) {
        switch (c) {
        case O_JOBS: {
            char *end;
            long j = strtol(optarg, &end, 10);
            if (*end || j < 1 || j > 256) {
                fprintf(stderr, "optbench plot: --jobs must be an integer in 1..256, got '%s'\n", optarg);
                return 2;
            }
            o.jobs = (int)j;
            break;
        }
        case O_QUIET: o.quiet = 1; break;
        case O_HELP: fputs(plot_usage, stdout); return 0;
        default:
            if (optopt >= 256)
                fprintf(stderr, "optbench plot: option --%s needs a value or takes none (accepted: "
                        "--jobs N, --quiet, --help)\n", ob_option_name(plot_options, optopt));
            else if (optopt)
                fprintf(stderr, "optbench plot: unknown option '-%c' (accepted: --jobs N, --quiet, "
                        "--help)\n", optopt);
            else
                fprintf(stderr, "optbench plot: unknown option '%s' (accepted: --jobs N, --quiet, "
                        "--help)\n", argv[optind - 1]);
            return 2;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "optbench plot: expected one results directory, got %d arguments "
                        "(usage: optbench plot [--jobs N] [--quiet] DIR)\n", argc - optind);
        return 2;
    }
    const char *dir = argv[optind];
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "optbench plot: '%s' is not a directory (give a results directory, e.g. results)\n",
                dir);
        return 2;
    }
    ob_error err = {{0}};
    ob_status s = ob_render_results(dir, &o, &err);
    if (s != OB_OK) {
        fprintf(stderr, "optbench plot: %s\n", err.msg);
        return ob_exit_code(s);
    }
    return 0;
}
