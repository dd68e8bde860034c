/* fuzz_args.c - command-line parsing: `optbench run`'s real parse function
 * (ob_run_parse in cli/cmd_run.c, which goes through cli/args.c's getopt table built
 * from the registries, cli/options.c's optimizer, schedule and problem options and
 * cli/cli.c's value parsers), then the real command, without running anything.
 *
 * The input is split into at most 32 words on '\n' or NUL bytes, after argv[0] "run".
 * Each input goes through two passes over fresh copies of the words:
 *  1. ob_run_parse: a failure must be EINVAL with a one-line message; a success resolved
 *     an optimizer with a finite lr > 0 and a problem, and the problem is created (and f
 *     evaluated at its start) when that is safe: no --data (it would read an arbitrary
 *     path), --dim <= 64 and --samples <= 256, so one input stays fast;
 *  2. when safe, the real ob_cmd_run on the words plus "--out /proc/optbench-fuzz/x.csv":
 *     nothing can be written under /proc, so it stops at the latest when it opens the
 *     trajectory, before any step.  Its stdout and stderr go to memory: a non-zero exit
 *     must come with one line "optbench run: MESSAGE", and exit 0 only with --help. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "fuzz/fuzz_util.h"
#include "cli/cmd_run.h"
#include "cli/commands.h"

#define MAX_WORDS 32

static ob_run_args args; /* 32 KiB of --x0: not on the stack */

/* pass 1: returns 1 when the command may be run (parsed, no --data, small sizes) */
static int parse_pass(int argc, char **argv, int *help)
{
    ob_error e = {{0}};
    ob_status st = ob_run_parse(argc, argv, &args, &e);
    *help = st == OB_OK && args.help;
    if (st != OB_OK) {
        FUZZ_CHECK(st == OB_EINVAL, "ob_run_parse returned %d", (int)st);
        fuzz_check_error(st, &e, NULL, "ob_run_parse");
        FUZZ_CHECK(!strchr(e.msg, '\n'), "message of more than one line: %s", e.msg);
        return 0;
    }
    if (args.help) return 1;
    FUZZ_CHECK(args.T && args.PT && isfinite(args.run.h.lr) && args.run.h.lr > 0,
               "resolved lr %g", args.run.h.lr);
    if (args.have_x0) {
        FUZZ_CHECK(args.nx0 >= 1 && args.nx0 <= OB_RUN_MAX_X0, "--x0: %zu numbers", args.nx0);
        for (size_t i = 0; i < args.nx0; i++) FUZZ_CHECK(isfinite(args.x0[i]), "--x0[%zu]", i);
    }
    if (args.popts.data || args.popts.dim > 64 || args.popts.samples > 256) return 0;
    ob_problem p;
    e.msg[0] = '\0';
    st = ob_problem_create(&p, args.PT, &args.popts, &e);
    if (st != OB_OK) {
        fuzz_check_error(st, &e, NULL, "ob_problem_create");
        return 1;
    }
    FUZZ_CHECK(p.dim >= 1 && p.x0, "problem %s: dim %zu", args.PT->name, p.dim);
    volatile double f = ob_problem_f(&p, p.x0);
    (void)f;
    ob_problem_free(&p);
    return 1;
}

/* pass 2: the real command, output captured */
static void run_pass(int argc, char **argv, int help)
{
    char *out = NULL, *err = NULL;
    size_t nout = 0, nerr = 0;
    FILE *fo = open_memstream(&out, &nout), *fe = open_memstream(&err, &nerr);
    FUZZ_CHECK(fo && fe, "open_memstream");
    FILE *so = stdout, *se = stderr;
    stdout = fo, stderr = fe;
    int rc = ob_cmd_run(argc, argv);
    stdout = so, stderr = se;
    fclose(fo);
    fclose(fe);
    if (rc == 0) {
        FUZZ_CHECK(help, "optbench run returned 0 without --help: it ran");
    } else {
        const char *p = "optbench run: ";
        FUZZ_CHECK(rc == 1 || rc == 2, "exit code %d", rc);
        FUZZ_CHECK(nerr > strlen(p) + 1 && strncmp(err, p, strlen(p)) == 0 &&
                       err[strlen(p)] != '\n',
                   "exit %d with message '%s'", rc, err);
        FUZZ_CHECK(strncmp(err, "optbench run: option --? ", 25) != 0, "message names no option: %s", err);
    }
    free(out);
    free(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char buf[4097];
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *words[MAX_WORDS];
    int nw = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && nw < MAX_WORDS; i++)
        if (i == size || buf[i] == '\n' || buf[i] == '\0') {
            buf[i] = '\0';
            if (i > start || i < size) words[nw++] = buf + start; /* empty words too */
            start = i + 1;
        }

    /* a fresh argv per pass: getopt_long permutes its argv */
    char *argv[MAX_WORDS + 4];
    int argc = 0;
    argv[argc++] = "run";
    for (int k = 0; k < nw; k++) argv[argc++] = words[k];
    argv[argc] = NULL;
    int help;
    if (!parse_pass(argc, argv, &help)) return 0;
    argc = 0;
    argv[argc++] = "run";
    for (int k = 0; k < nw; k++) argv[argc++] = words[k];
    argv[argc++] = "--out";
    argv[argc++] = "/proc/optbench-fuzz/x.csv";
    argv[argc] = NULL;
    run_pass(argc, argv, help);
    return 0;
}
