/* cmd_plot.c - `optbench plot DIR | FILE.csv ...`: redraws every figure and the report
 * from the CSVs in a results directory (report/report.h), or draws the figures of run and
 * training CSVs (plots/runplots.h), without rerunning anything.  Parse, run. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "common/interrupt.h"
#include "common/outfile.h"
#include "experiments/experiment.h"
#include "plots/runplots.h"
#include "report/provenance.h"
#include "report/report.h"

enum { O_JOBS = 1, O_QUIET, O_OUT, O_FORMAT, O_NAME };

static const ob_cli_option plot_options[] = {
    {"jobs", O_JOBS, "N", "one per core", "gnuplot processes at a time, 1..256", 0},
    {"quiet", O_QUIET, NULL, "off", "no progress lines on stdout", 0},
    {"out", O_OUT, "DIR", "CSVs: the first CSV's directory",
     "where the figures of CSVs go (a results directory's go to DIR/figures)", 0},
    {"format", O_FORMAT, "png|svg|pdf", "png",
     "the figures' format (pngcairo, svg, pdfcairo); animations are GIFs", 0},
    {"name", O_NAME, "STEM", "the CSV's stem; several: runs, training",
     "figures of CSVs are named STEM-KIND.FORMAT", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

const ob_cli_command ob_plot_command = {
    .name = "plot",
    .synopsis = "[--jobs N] [--quiet] [--format F] DIR | [--out DIR] [--name STEM] FILE.csv ...",
    .summary = "redraw the figures and the report of a results directory, or draw run CSVs",
    .options = plot_options,
    .main = ob_cmd_plot,
    .operands = "one results directory, or one or more run or training CSVs",
    .about = "With a results directory: redraws every figure (DIR/figures/) and the report\n"
             "(DIR/report.md, DIR/index.html) from its tables (see results/README.md), without\n"
             "rerunning anything.  A figure that cannot be drawn (gnuplot missing, a malformed\n"
             "table) is named in a warning on stderr and in the report; the exit status is 0\n"
             "then too, 1 when the report cannot be written.\n"
             "With CSVs, told apart by their columns: trajectory CSVs (optbench run) give\n"
             "STEM-contour (2-D runs of one problem: every path on the contours, start, end and\n"
             "minimizer marked), STEM-gap and STEM-gnorm (f - f*, or the loss where f* is\n"
             "unknown, and the gradient norm, against steps and gradient evaluations); training\n"
             "CSVs (optbench train) give STEM-loss and STEM-acc (training, validation, test;\n"
             "with FILE.steps.csv beside, the mini-batch loss too).\n"
             "A mix of both kinds, or 2-D runs of different problems or instances (a rotated\n"
             "quadratic's seeds), is refused (status 2).\n"
             "A DIR whose optbench.json is not valid JSON or has a newer format than this\n"
             "optbench reads is refused (exit 2); one without optbench.json is accepted.\n",
};

typedef struct {
    int help;
    const char *dir, *out, *name, *format;
    char **csv;
    int ncsv;
    ob_render_opts render;
} plot_args;

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static ob_status plot_parse(int argc, char **argv, plot_args *a, ob_error *e)
{
    memset(a, 0, sizeof *a);
    a->format = "png";
    ob_cli_parser p;
    ob_cli_arg o;
    long v;
    int r, first, n;
    ob_cli_begin(&p, &ob_plot_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, e)) == 1) {
        if (o.id == OB_CLI_HELP) return a->help = 1, OB_OK;
        if (o.id == O_QUIET) a->render.quiet = 1;
        if (o.id == O_OUT) a->out = o.arg;
        if (o.id == O_NAME) a->name = o.arg;
        if (o.id == O_FORMAT) {
            int k;
            if (ob_parse_word("--format", o.arg, ob_figure_formats, &k, e)) return OB_EINVAL;
            a->format = ob_figure_formats[k];
        }
        if (o.id == O_JOBS) {
            if (ob_parse_long("--jobs", o.arg, 1, 256, &v, e)) return OB_EINVAL;
            a->render.jobs = (int)v;
        }
    }
    if (r < 0 || ob_cli_operands(&p, 1, 4096, &first, &n, e)) return OB_EINVAL;
    if (n == 1 && is_dir(argv[first])) {
        if (a->out || a->name)
            return ob_fail(e, OB_EINVAL, "--%s: only with CSVs (a results directory's figures go "
                           "to DIR/figures)", a->out ? "out" : "name");
        a->dir = argv[first];
        a->render.format = a->format;
        return OB_OK;
    }
    a->csv = argv + first;
    a->ncsv = n;
    if (a->name && (!*a->name || strchr(a->name, '/')))
        return ob_fail(e, OB_EINVAL, "--name '%s': a file name stem without '/'", a->name);
    return OB_OK;
}

/* the CSVs' figures: every CSV of one kind, drawn by that kind */
static int plot_csvs(plot_args *a)
{
    ob_error e = {{0}};
    const ob_csv_kind *kind = NULL;
    const char *first = NULL;
    for (int i = 0; i < a->ncsv; i++) {
        if (is_dir(a->csv[i])) {
            fprintf(stderr, "optbench plot: %s is a directory: give one results directory alone, "
                    "or CSV files\n", a->csv[i]);
            return 2;
        }
        const ob_csv_kind *k = ob_csv_kind_of(a->csv[i], &e);
        if (!k) {
            fprintf(stderr, "optbench plot: %s\n", e.msg);
            return 2;
        }
        if (kind && k != kind) {
            fprintf(stderr, "optbench plot: %s is %s but %s is %s: plot them separately\n",
                    first, kind->what, a->csv[i], k->what);
            return 2;
        }
        kind = k, first = first ? first : a->csv[i];
    }
    char dir[4096], stem[256];
    const char *slash = strrchr(a->csv[0], '/');
    if (a->out)
        snprintf(dir, sizeof dir, "%s", a->out);
    else
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - a->csv[0]) : 1, slash ? a->csv[0] : ".");
    if (!*dir) snprintf(dir, sizeof dir, "/");
    const char *base = slash ? slash + 1 : a->csv[0];
    if (a->name)
        snprintf(stem, sizeof stem, "%s", a->name);
    else if (a->ncsv > 1)
        snprintf(stem, sizeof stem, "%s", strcmp(kind->name, "train") ? "runs" : "training");
    else
        snprintf(stem, sizeof stem, "%.*s", (int)ob_csv_stem_len(base), base);
    if (ob_out_check_dir(dir, a->out ? "--out" : "", &e) != OB_OK) { /* before any work */
        fprintf(stderr, "optbench plot: %s\n", e.msg);
        return 2;
    }
    if (ob_mkdirs(dir, &e) != OB_OK) {
        fprintf(stderr, "optbench plot: --out %s: %s\n", dir, e.msg);
        return 2;
    }
    ob_csv_plot_opts o = {.outdir = dir, .stem = stem, .format = a->format};
    ob_status s = kind->draw((const char *const *)a->csv, (size_t)a->ncsv, &o, &e);
    for (size_t i = 0; i < o.n_written && !a->render.quiet; i++) printf("wrote %s\n", o.written[i]);
    if (s != OB_OK) {
        fprintf(stderr, "optbench plot: %s\n", e.msg);
        return ob_exit_code(s);
    }
    return 0;
}

int ob_cmd_plot(int argc, char **argv)
{
    plot_args a;
    ob_error e = {{0}};
    if (plot_parse(argc, argv, &a, &e) != OB_OK) return ob_cli_bad("plot", &e);
    if (a.help) {
        ob_cli_help(stdout, &ob_plot_command);
        return 0;
    }
    if (a.csv) return plot_csvs(&a);
    char note[4200];
    int bad;
    if (ob_provenance_check(a.dir, note, sizeof note, &bad, &e) && !a.render.quiet)
        printf("note: %s\n", note); /* older results: accepted */
    if (bad) return ob_cli_bad("plot", &e); /* a newer format, or a malformed file: 2 */
    /* the figures' directory and the report, checked before any work */
    char out[3][4200];
    snprintf(out[0], sizeof out[0], "%s/figures", a.dir);
    snprintf(out[1], sizeof out[1], "%s/report.md", a.dir);
    snprintf(out[2], sizeof out[2], "%s/index.html", a.dir);
    if (ob_out_check_dir(out[0], "", &e) != OB_OK || ob_out_check(out[1], "", &e) != OB_OK ||
        ob_out_check(out[2], "", &e) != OB_OK)
        return ob_cli_bad("plot", &e);
    /* an interrupt lets the figures being drawn end (their gnuplot dies of it too), draws
     * no other, removes the contour cache and leaves the report as it was: status 130 */
    ob_interrupt_catch();
    ob_status s = ob_experiments_render(a.dir, &a.render, &e);
    ob_interrupt_release();
    if (s != OB_OK) {
        fprintf(stderr, "%soptbench plot: %s\n", s == OB_INTERRUPTED ? "\n" : "", e.msg);
        return s == OB_INTERRUPTED ? 130 : ob_exit_code(s);
    }
    return 0;
}
