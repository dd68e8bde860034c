/* cmd_plot.c - `optbench plot DIR | FILE.csv ...`: redraws every figure and the report
 * from the CSVs in a results directory (report/report.h), or draws the figures of run and
 * training CSVs (plots/runplots.h), without rerunning anything.  Parse, run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "common/interrupt.h"
#include "common/outfile.h"
#include "common/path.h"
#include "experiments/experiment.h"
#include "plots/figopts.h"
#include "plots/runplots.h"
#include "report/provenance.h"
#include "report/report.h"
#include "runs/runfile.h"
#include "common/table.h"
#include "plots/style.h"

enum { O_JOBS = 1, O_QUIET, O_OUT, O_FORMAT, O_NAME, O_OPTIMIZERS, O_BOX, O_SIZE, O_FONT_SIZE };

static const ob_cli_option plot_options[] = {
    {"jobs", O_JOBS, "N", "one per core", "gnuplot processes at a time, 1..256", 0},
    {"quiet", O_QUIET, NULL, "off", "no progress lines on stdout", 0},
    {"out", O_OUT, "DIR", "CSVs: the first CSV's directory",
     "where the figures of CSVs go (a results directory's go to DIR/figures)", 0},
    {"format", O_FORMAT, "png|svg|pdf|tex", "png",
     "the figures' format (pngcairo, svg, pdfcairo; tex: cairolatex, FILE.tex over FILE.pdf); "
     "animations are GIFs", 0},
    {"optimizers", O_OPTIMIZERS, "LIST", "all",
     "draw only these optimizers (comma-separated names, as in the results)", 0},
    {"box", O_BOX, "X0,X1,Y0,Y1|shared", "fitted to the paths",
     "the box of the path figures; shared: one box for all panels of the small multiples", 0},
    {"size", O_SIZE, "WxH", "each figure's own; pdf: 150 px an inch",
     "the canvas (png: pixels, 960x640) or the page (svg, pdf, tex: 3.3x2.5in, 8x6cm; a bare "
     "WxH is inches); animations keep theirs", 0},
    {"font-size", O_FONT_SIZE, "PT", "11 (pdf, tex: 10)",
     "the text's size in points (titles in proportion)", 0},
    {"name", O_NAME, "STEM", "the CSV's stem; several: runs, training",
     "figures of CSVs are named STEM-KIND.FORMAT", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

const ob_cli_command ob_plot_command = {
    .name = "plot",
    .synopsis = "[--jobs N] [--quiet] [figure options] DIR | [--out DIR] [--name STEM] FILE.csv ...",
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
    int several;        /* several runs given (their figures are STEM runs or training) */
    ob_render_opts render;
    ob_fig_options fig;  /* --optimizers, --box, --size, --font-size, --format */
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
            ob_fig_parse_format("--format", a->format, &a->fig, e);
        }
        if ((o.id == O_OPTIMIZERS && ob_fig_parse_optimizers("--optimizers", o.arg, &a->fig, e)) ||
            (o.id == O_BOX && ob_fig_parse_box("--box", o.arg, &a->fig, e)) ||
            (o.id == O_SIZE && ob_fig_parse_size("--size", o.arg, &a->fig, e)) ||
            (o.id == O_FONT_SIZE && ob_fig_parse_font_size("--font-size", o.arg, &a->fig, e)))
            return OB_EINVAL;
        if (o.id == O_JOBS) {
            if (ob_parse_long("--jobs", o.arg, 1, 256, &v, e)) return OB_EINVAL;
            a->render.jobs = (int)v;
        }
    }
    if (r < 0 || ob_cli_operands(&p, 1, 4096, &first, &n, e)) return OB_EINVAL;
    if (ob_fig_check("--size", &a->fig, e) != OB_OK) return OB_EINVAL;
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

static int plot_kind(plot_args *a);

/* The companions of a run's CSV X.csv that a glob such as `s-*.csv` also matches: its
 * summary, a training run's step log and interpolation.  Its length without the
 * companion's suffix (X), or 0 when name is no companion. */
static size_t companion_of(const char *name)
{
    static const char *const suffix[] = {".summary.csv", ".steps.csv", ".interp.csv"};
    size_t n = strlen(name);
    for (size_t k = 0; k < sizeof suffix / sizeof *suffix; k++)
        for (int gz = 0; gz < 2; gz++) {
            size_t m = strlen(suffix[k]) + (gz ? 3 : 0);
            if (n > m && !strncmp(name + n - m, suffix[k], strlen(suffix[k])) &&
                (!gz || !strcmp(name + n - 3, ".gz")))
                return n - m;
        }
    return 0;
}

/* 1 when the operands hold the run X (stem: the path without ".csv") as X.csv or X.csv.gz */
static int has_run(char **csv, int n, const char *stem, size_t len)
{
    for (int i = 0; i < n; i++)
        if (!strncmp(csv[i], stem, len) &&
            (!strcmp(csv[i] + len, ".csv") || !strcmp(csv[i] + len, ".csv.gz")))
            return 1;
    return 0;
}

/* The operands without the companions of a run also given (a glob's matches); a
 * companion given without its run stands for the run beside it, when there is one.  The
 * list is rewritten in place (kept: pointers into argv, or into runs[]). */
static void drop_companions(plot_args *a, char (*runs)[4096])
{
    int kept = 0;
    for (int i = 0; i < a->ncsv; i++) {
        size_t len = companion_of(a->csv[i]);
        if (len && has_run(a->csv, a->ncsv, a->csv[i], len)) continue; /* its run is drawn */
        if (len) {
            for (int gz = 0; gz < 2; gz++) {
                snprintf(runs[i], 4096, "%.*s.csv%s", (int)len, a->csv[i], gz ? ".gz" : "");
                if (ob_file_exists(runs[i]) && !has_run(a->csv, kept, runs[i], len)) {
                    a->csv[kept++] = runs[i];
                    break;
                }
            }
            continue;
        }
        a->csv[kept++] = a->csv[i];
    }
    if (kept > 0) a->ncsv = kept; /* nothing but companions of nothing: as given, refused */
}

/* the optimizer a run's or training CSV is of: its summary's, else its stem */
static void optimizer_of(const char *csv, char *out, size_t cap)
{
    ob_table m;
    out[0] = '\0';
    if (ob_run_summary_beside(csv, &m, NULL) == OB_OK) {
        if (m.rows > 0) snprintf(out, cap, "%s", ob_table_str(&m, 0, ob_table_col(&m, "optimizer")));
        ob_table_free(&m);
    }
    if (!*out) {
        const char *slash = strrchr(csv, '/'), *base = slash ? slash + 1 : csv;
        snprintf(out, cap, "%.*s", (int)ob_csv_stem_len(base), base);
    }
}

/* 1 when --optimizers names only optimizers of have[0..n); else a message naming the
 * others and those there are */
static int names_known(const ob_fig_options *o, const char *const *have, size_t n, ob_error *e)
{
    char missing[1024] = "", there[2048] = "";
    size_t m = 0, t = 0;
    for (size_t k = 0; k < o->n_optimizers; k++) {
        size_t j = 0;
        while (j < n && strcmp(have[j], o->optimizers[k])) j++;
        if (j == n)
            m += (size_t)snprintf(missing + m, m < sizeof missing ? sizeof missing - m : 0, "%s%s",
                                  m ? ", " : "", o->optimizers[k]);
    }
    if (!m) return 1;
    for (size_t j = 0; j < n; j++)
        t += (size_t)snprintf(there + t, t < sizeof there ? sizeof there - t : 0, "%s%s",
                              t ? ", " : "", have[j]);
    ob_fail(e, OB_EINVAL, "--optimizers: %s not in these results (there: %s)", missing,
            n ? there : "none");
    return 0;
}

/* the optimizers a results directory has: its tuning.csv's and chosen.csv's, and the
 * folders of runs/W/ */
static size_t dir_optimizers(const char *dir, char (*names)[64], size_t cap)
{
    size_t n = 0;
    static const char *const tables[] = {"tuning.csv", "chosen.csv", "metrics_analytic.csv",
                                         "metrics_net.csv"};
    for (size_t k = 0; k < sizeof tables / sizeof *tables; k++) {
        ob_table t;
        if (ob_read_table(dir, tables[k], &t, NULL) != OB_OK) continue;
        int c = ob_table_col(&t, "optimizer");
        for (size_t r = 0; c >= 0 && r < t.rows; r++) {
            const char *v = ob_table_str(&t, r, c);
            size_t j = 0;
            while (j < n && strcmp(names[j], v)) j++;
            if (j == n && n < cap && *v) snprintf(names[n++], 64, "%s", v);
        }
        ob_table_free(&t);
    }
    return n;
}

/* the CSVs' figures: every CSV of one kind, drawn by that kind */
static int plot_csvs(plot_args *a)
{
    ob_error e = {{0}};
    char (*runs)[4096] = calloc((size_t)a->ncsv, sizeof *runs);
    if (!runs) {
        fprintf(stderr, "optbench plot: out of memory\n");
        return 1;
    }
    drop_companions(a, runs);
    a->several = a->ncsv > 1; /* the name holds when --optimizers leaves one of them */
    if (a->fig.n_optimizers) { /* every name known; the CSVs of the others left out */
        char (*opt)[64] = calloc((size_t)a->ncsv, sizeof *opt);
        const char **have = calloc((size_t)a->ncsv, sizeof *have);
        int kept = 0;
        for (int i = 0; opt && have && i < a->ncsv; i++) {
            optimizer_of(a->csv[i], opt[i], sizeof opt[i]);
            have[i] = opt[i];
        }
        int ok = opt && have && names_known(&a->fig, have, (size_t)a->ncsv, &e);
        for (int i = 0; ok && i < a->ncsv; i++)
            if (ob_fig_options_wants(&a->fig, opt[i])) a->csv[kept++] = a->csv[i];
        free(opt);
        free(have);
        if (!ok) {
            free(runs);
            return ob_cli_bad("plot", &e);
        }
        a->ncsv = kept;
    }
    int rc = plot_kind(a);
    free(runs);
    return rc;
}

static int plot_kind(plot_args *a)
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
    else if (a->several)
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
    ob_fig_options_set(&a.fig); /* what every figure drawn from here on reads */
    if (a.csv) return plot_csvs(&a);
    char note[4200];
    int bad;
    if (ob_provenance_check(a.dir, note, sizeof note, &bad, &e) && !a.render.quiet)
        printf("note: %s\n", note); /* older results: accepted */
    if (bad) return ob_cli_bad("plot", &e); /* a newer format, or a malformed file: 2 */
    if (a.fig.n_optimizers) {
        char names[OB_MAX_SERIES * 4][64];
        const char *have[OB_MAX_SERIES * 4];
        size_t n = dir_optimizers(a.dir, names, OB_MAX_SERIES * 4);
        for (size_t k = 0; k < n; k++) have[k] = names[k];
        if (!names_known(&a.fig, have, n, &e)) return ob_cli_bad("plot", &e);
    }
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
