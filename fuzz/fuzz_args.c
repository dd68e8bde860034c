/* fuzz_args.c - command-line parsing: the value parsers (cli/cli.c), the shared
 * optimizer / schedule / problem options (cli/options.c) and `optbench run`'s own
 * parser (cli/cmd_run.c), without running anything.
 *
 * The input is split into at most 32 words on '\n' or NUL bytes, after argv[0] "run".
 * Each input goes through three passes over fresh copies of the words:
 *  1. a getopt_long loop over run's option table (copied below) that calls
 *     ob_parse_double / ob_parse_long / ob_parse_list, ob_optim_args_take /
 *     ob_problem_args_take, then ob_optim_args_resolve, ob_problem_lookup and
 *     ob_problem_create; every failure must be a status with a non-empty message;
 *  2. a safety scan: inputs with --data (it would read an arbitrary path), --dim > 64 or
 *     --samples > 256 stop here, so one input stays fast;
 *  3. the real ob_cmd_run on the words plus "--out /proc/optbench-fuzz/x.csv": nothing
 *     can be written under /proc, so it stops at the latest when it opens the trajectory,
 *     before any step.  Its stdout and stderr go to memory: a non-zero exit must come
 *     with one line "optbench run: MESSAGE", and exit 0 only with --help.
 * getopt_long keeps state between calls: optind = 0 (glibc's full reset) before each pass. */
#include <getopt.h>
#include <math.h>
#include <stdint.h>

#include "fuzz/fuzz_util.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_options.h"

#define MAX_WORDS 32

/* run's own options: the table of cli/cmd_run.c itself */
#define table ob_run_options

static void getopt_reset(void)
{
    static char a0[] = "run";
    char *argv[] = {a0, NULL};
    optind = 0;
    opterr = 0;
    while (getopt_long(1, argv, "", table, NULL) != -1) {
    }
    optind = 0;
}

#define CHECK_ERR(st, e, fn) fuzz_check_error((st), &(e), NULL, (fn))

/* pass 1: returns 1 when the parse ended in an error (reported and checked) */
static int parse_pass(int argc, char **argv)
{
    ob_error e = {{0}};
    ob_optim_args oa;
    ob_optim_args_init(&oa);
    ob_problem_opts popts = {.seed = 1};
    const char *prob_name = NULL, *opt_name = NULL;
    static double x0[4096];
    size_t nx0 = 0;
    long lv;
    double dv;
    int ch, taken;
    ob_status st;
    getopt_reset();
    while ((ch = getopt_long(argc, argv, "", table, NULL)) != -1) {
        st = OB_OK;
        switch (ch) {
        case OB_RUN_HELP: return 0;
        case OB_RUN_PROBLEM: prob_name = optarg; break;
        case OB_RUN_OPTIMIZER: opt_name = optarg; break;
        case OB_RUN_OUT: case OB_RUN_LOG_X: case OB_RUN_QUIET: break;
        case OB_RUN_STEPS: st = ob_parse_long("--steps", optarg, 0, 1000000000L, &lv, &e); break;
        case OB_RUN_SEED:
            st = ob_parse_long("--seed", optarg, 0, 2147483647L, &lv, &e);
            if (st == OB_OK) popts.seed = (unsigned long)lv;
            break;
        case OB_RUN_BATCH: st = ob_parse_long("--batch", optarg, 1, 2147483647L, &lv, &e); break;
        case OB_RUN_LOG_EVERY: st = ob_parse_long("--log-every", optarg, 1, 1000000000L, &lv, &e); break;
        case OB_RUN_NOISE:
            st = ob_parse_double("--noise", optarg, &dv, &e);
            if (st == OB_OK) FUZZ_CHECK(isfinite(dv), "--noise %s gave %g", optarg, dv);
            break;
        case OB_RUN_X0:
            st = ob_parse_list("--x0", optarg, x0, sizeof x0 / sizeof *x0, &nx0, &e);
            if (st == OB_OK) {
                FUZZ_CHECK(nx0 >= 1 && nx0 <= 4096, "--x0: %zu numbers", nx0);
                for (size_t i = 0; i < nx0; i++) FUZZ_CHECK(isfinite(x0[i]), "--x0[%zu]", i);
            }
            break;
        case '?': return 1;
        default:
            taken = ob_optim_args_take(&oa, ch, optarg, &e);
            if (!taken) taken = ob_problem_args_take(&popts, ch, optarg, &e);
            FUZZ_CHECK(taken != 0, "option %d taken by nobody", ch);
            if (taken < 0) {
                CHECK_ERR(OB_EINVAL, e, "ob_*_args_take");
                return 1;
            }
            break;
        }
        if (st != OB_OK) {
            CHECK_ERR(st, e, "ob_parse_*");
            return 1;
        }
    }
    if (opt_name) {
        const ob_optimizer_type *T;
        ob_hparams h;
        ob_schedule sched;
        e.msg[0] = '\0';
        st = ob_optim_args_resolve(&oa, opt_name, &T, &h, &sched, &e);
        if (st != OB_OK) CHECK_ERR(st, e, "ob_optim_args_resolve");
        else FUZZ_CHECK(T && isfinite(h.lr) && h.lr > 0, "resolved lr %g", h.lr);
    }
    if (prob_name) {
        e.msg[0] = '\0';
        const ob_problem_type *PT = ob_problem_lookup(prob_name, &e);
        if (!PT) CHECK_ERR(OB_EINVAL, e, "ob_problem_lookup");
        if (PT && !popts.data && popts.dim <= 64 && popts.samples <= 256) {
            ob_problem p;
            e.msg[0] = '\0';
            st = ob_problem_create(&p, PT, &popts, &e);
            if (st == OB_OK) {
                FUZZ_CHECK(p.dim >= 1 && p.x0, "problem %s: dim %zu", PT->name, p.dim);
                volatile double f = ob_problem_f(&p, p.x0);
                (void)f;
                ob_problem_free(&p);
            } else {
                CHECK_ERR(st, e, "ob_problem_create");
            }
        }
    }
    return 0;
}

/* pass 2: 1 when ob_cmd_run may be called (no --data, small --dim and --samples) */
static int safe_pass(int argc, char **argv)
{
    int ch, safe = 1;
    getopt_reset();
    while ((ch = getopt_long(argc, argv, "", table, NULL)) != -1) {
        char *end;
        if (ch == OB_OPT_DATA) safe = 0;
        if (ch == OB_OPT_DIM && strtol(optarg, &end, 10) > 64) safe = 0;
        if (ch == OB_OPT_SAMPLES && strtol(optarg, &end, 10) > 256) safe = 0;
    }
    return safe;
}

/* pass 3: the real parser, output captured */
static void run_pass(int argc, char **argv, int help)
{
    char *out = NULL, *err = NULL;
    size_t nout = 0, nerr = 0;
    FILE *fo = open_memstream(&out, &nout), *fe = open_memstream(&err, &nerr);
    FUZZ_CHECK(fo && fe, "open_memstream");
    FILE *so = stdout, *se = stderr;
    stdout = fo, stderr = fe;
    getopt_reset();
    int rc = ob_cmd_run(argc, argv);
    stdout = so, stderr = se;
    fclose(fo);
    fclose(fe);
    getopt_reset();
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
    int argc;
#define FILL_ARGV()                                                                          \
    do {                                                                                     \
        argc = 0;                                                                            \
        argv[argc++] = "run";                                                                \
        for (int k_ = 0; k_ < nw; k_++) argv[argc++] = words[k_];                            \
        argv[argc] = NULL;                                                                   \
    } while (0)

    FILL_ARGV();
    parse_pass(argc, argv);
    FILL_ARGV();
    int safe = safe_pass(argc, argv);
    /* --help anywhere (as getopt_long sees it) makes run print its usage and return 0 */
    int help = 0;
    if (safe) {
        FILL_ARGV();
        getopt_reset();
        int ch;
        while ((ch = getopt_long(argc, argv, "", table, NULL)) != -1 && ch != '?')
            if (ch == OB_RUN_HELP) help = 1;
        FILL_ARGV();
        argv[argc++] = "--out";
        argv[argc++] = "/proc/optbench-fuzz/x.csv";
        argv[argc] = NULL;
        run_pass(argc, argv, help);
    }
    return 0;
}
