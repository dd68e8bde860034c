/* cmd_compare.c - `optbench compare DIR_A DIR_B [DIR_C ...] --out DIR`: results
 * directories side by side, with scores (report/compare.h).  Parse, run. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "common/outfile.h"
#include "common/path.h"
#include "compare/compare.h"
#include "report/provenance.h"

enum { O_OUT = 1, O_QUIET };

static const ob_cli_option compare_options[] = {
    {"out", O_OUT, "DIR", "compare", "where compare.md, index.html, the CSV tables and "
     "figures/ go", 0},
    {"quiet", O_QUIET, NULL, "off", "no summary line on stdout", 0},
    {NULL, 0, NULL, NULL, NULL, 0},
};

const ob_cli_command ob_compare_command = {
    .name = "compare",
    .synopsis = "DIR_A DIR_B [DIR_C ...] [--out DIR]",
    .summary = "results directories side by side: rankings, changes, curves, scores",
    .options = compare_options,
    .main = ob_cmd_compare,
    .operands = "2 to 8 results directories of optbench bench",
    .about = "Compares the (workload, optimizer) pairs every directory has (the same suite\n"
             "run by two versions, a plugin against the built-ins, two suites); the others\n"
             "are listed, not errors.  Per workload: the ranking of every (directory,\n"
             "optimizer) side by side with median metrics and quartiles, the change against\n"
             "A (ratio of medians with its 95% bootstrap interval, Mann-Whitney p, Holm-\n"
             "corrected over the comparison, flagged when below 0.05), and the median\n"
             "curves (A solid, B dashed, one colour per optimizer).  An optimizer whose\n"
             "options differ between the directories is labelled with them\n"
             "(momentum(momentum=0.9)).  One score per optimizer and\n"
             "directory, computed as AlgoPerf's scoring code computes it: the trapezoid\n"
             "area under its performance profile at 100 points of tau in [1, 4], over 3\n"
             "(time = the median over seeds of each seed's gradient evaluations to the\n"
             "tightest target every directory shares, or epochs to a network's target; a\n"
             "miss, a divergence, NaN or more than 4x the best counts as infinite).  Every\n"
             "number comes from each directory's run files (runs/).\n"
             "Writes DIR/compare.md, DIR/index.html, DIR/ranking.csv, DIR/changes.csv,\n"
             "DIR/scores.csv, DIR/unmatched.csv and DIR/figures/compare-W.png.  Exit status\n"
             "2 for a directory that cannot be read or whose optbench.json is malformed or\n"
             "of a newer format; a directory without optbench.json is accepted (a note).\n"
             "--out may not be a results directory (one with runs/): its tables would be\n"
             "replaced.\n",
};

typedef struct {
    int help, quiet;
    const char *out;
    char **dirs;
    int n;
} compare_args;

static ob_status compare_parse(int argc, char **argv, compare_args *a, ob_error *e)
{
    memset(a, 0, sizeof *a);
    a->out = "compare";
    ob_cli_parser p;
    ob_cli_arg o;
    int r, first;
    ob_cli_begin(&p, &ob_compare_command, argc, argv);
    while ((r = ob_cli_next(&p, &o, e)) == 1) {
        if (o.id == OB_CLI_HELP) return a->help = 1, OB_OK;
        if (o.id == O_OUT) a->out = o.arg;
        if (o.id == O_QUIET) a->quiet = 1;
    }
    if (r < 0 || ob_cli_operands(&p, 2, OB_CMP_MAX_DIRS, &first, &a->n, e)) return OB_EINVAL;
    a->dirs = argv + first;
    return OB_OK;
}

int ob_cmd_compare(int argc, char **argv)
{
    compare_args a;
    ob_error e = {{0}};
    if (compare_parse(argc, argv, &a, &e) != OB_OK) return ob_cli_bad("compare", &e);
    if (a.help) {
        ob_cli_help(stdout, &ob_compare_command);
        return 0;
    }
    char runs[4200];
    struct stat st;
    snprintf(runs, sizeof runs, "%s/runs", a.out);
    if (stat(runs, &st) == 0) { /* ranking.csv, index.html, ... would replace the bench's */
        fprintf(stderr, "optbench compare: --out %s is a results directory of optbench bench "
                "(it has runs/); give another --out\n", a.out);
        return 2;
    }
    /* every destination, checked before any work */
    static const char *const files[] = {"compare.md", "index.html", "ranking.csv", "changes.csv",
                                        "scores.csv", "unmatched.csv", NULL};
    char path[4200];
    if (ob_out_check_dir(a.out, "--out", &e) != OB_OK ||
        ob_out_check_dir(ob_pathf(path, sizeof path, "%s/figures", a.out), "--out", &e) != OB_OK)
        return ob_cli_bad("compare", &e);
    for (const char *const *f = files; *f; f++)
        if (ob_out_check(ob_pathf(path, sizeof path, "%s/%s", a.out, *f), "--out", &e) != OB_OK)
            return ob_cli_bad("compare", &e);
    for (int k = 0; k < a.n; k++) { /* refusals first: one line, exit 2 */
        char note[4200];
        int bad;
        if (ob_provenance_check(a.dirs[k], note, sizeof note, &bad, &e) && !a.quiet)
            printf("note: %s\n", note);
        if (bad) return ob_cli_bad("compare", &e);
    }
    ob_status s = ob_compare_run((const char *const *)a.dirs, (size_t)a.n, a.out, a.quiet, &e);
    if (s != OB_OK) {
        fprintf(stderr, "optbench compare: %s\n", e.msg);
        return ob_exit_code(s);
    }
    return 0;
}
