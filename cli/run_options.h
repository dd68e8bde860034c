/* run_options.h - the options of `optbench run` (cli/cmd_run.c), shared with the
 * argument-parser fuzz target (fuzz/fuzz_args.c) so that both parse the same table. */
#ifndef OB_RUN_OPTIONS_H
#define OB_RUN_OPTIONS_H

#include <getopt.h>

enum {
    OB_RUN_PROBLEM = 256, OB_RUN_OPTIMIZER, OB_RUN_OUT, OB_RUN_STEPS, OB_RUN_X0, OB_RUN_SEED,
    OB_RUN_NOISE, OB_RUN_BATCH, OB_RUN_LOG_EVERY, OB_RUN_LOG_X, OB_RUN_QUIET, OB_RUN_HELP,
};

/* run's own options, then the shared optimizer, schedule and problem options */
extern const struct option ob_run_options[];

#endif
