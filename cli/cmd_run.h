/* cmd_run.h - `optbench run`'s parsed command line, shared with the argument fuzzer
 * (fuzz/fuzz_args.c) and the tests, which call the same parse function. */
#ifndef OB_CMD_RUN_H
#define OB_CMD_RUN_H

#include "cli/commands.h" /* ob_run_command, its descriptor */
#include "cli/options.h"
#include "runs/run.h"

#define OB_RUN_MAX_X0 4096

typedef struct {
    int help;                      /* -h / --help: print the help and nothing else */
    const char *problem, *optimizer, *out, *summary; /* summary: NULL, beside out */
    ob_problem_args pargs;         /* the problem options as given */
    ob_problem_opts popts;         /* ... resolved for the problem */
    const ob_problem_type *PT;
    const ob_optimizer_type *T;
    ob_run_config run;             /* steps, seed, noise, batch, hparams, schedule (prob,
                                      L, N and x0 are set once the problem exists) */
    long log_every;
    int log_geometric;   /* --log geometric */
    int log_x, quiet;
    const char *plot, *animate;    /* --plot FILE.png|svg|pdf, --animate FILE.gif, or NULL */
    int have_x0;
    size_t nx0;
    double x0[OB_RUN_MAX_X0];
} ob_run_args;

/* argv (from "run" on) to a; no I/O.  On EINVAL e has one line.  With a->help set the
 * rest of a is not resolved. */
ob_status ob_run_parse(int argc, char **argv, ob_run_args *a, ob_error *e);

#endif
