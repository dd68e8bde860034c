/* options.h - the command-line options that several subcommands share (run, rate,
 * train, bench): the optimizer's hyper-parameters, the learning-rate schedule and the
 * analytic problem's settings.  A subcommand puts OB_*_OPTIONS into its getopt_long
 * table and hands every option it does not handle itself to ob_*_take(). */
#ifndef OB_OPTIONS_H
#define OB_OPTIONS_H

#include <getopt.h>

#include "optimizers/optimizer.h"
#include "optimizers/schedule.h"
#include "problems/problem.h"

enum {
    /* optimizer */
    OB_OPT_LR = 1000, OB_OPT_MOMENTUM, OB_OPT_DAMPENING, OB_OPT_NESTEROV, OB_OPT_SEED_FORM,
    OB_OPT_BETA1, OB_OPT_BETA2, OB_OPT_EPS, OB_OPT_AMSGRAD, OB_OPT_ADAMW, OB_OPT_ALPHA,
    OB_OPT_CENTERED, OB_OPT_EPS_INSIDE, OB_OPT_LR_DECAY, OB_OPT_INIT_ACC, OB_OPT_ETAS,
    OB_OPT_STEP_SIZES, OB_OPT_SIGN_ONLY, OB_OPT_WEIGHT_DECAY,
    /* schedule */
    OB_OPT_SCHEDULE, OB_OPT_DECAY_FACTOR, OB_OPT_DECAY_EVERY, OB_OPT_DECAY_RATE, OB_OPT_TAU,
    /* problem */
    OB_OPT_DIM, OB_OPT_KAPPA, OB_OPT_ROTATE, OB_OPT_SAMPLES, OB_OPT_SEPARABLE, OB_OPT_L2,
    OB_OPT_DATA,
    OB_OPT_LAST_SHARED
};

#define OB_OPTIMIZER_OPTIONS                                                                 \
    {"lr", required_argument, 0, OB_OPT_LR},                                                 \
    {"momentum", required_argument, 0, OB_OPT_MOMENTUM},                                     \
    {"dampening", required_argument, 0, OB_OPT_DAMPENING},                                   \
    {"nesterov", no_argument, 0, OB_OPT_NESTEROV},                                           \
    {"seed-form", no_argument, 0, OB_OPT_SEED_FORM},                                         \
    {"beta1", required_argument, 0, OB_OPT_BETA1},                                           \
    {"beta2", required_argument, 0, OB_OPT_BETA2},                                           \
    {"eps", required_argument, 0, OB_OPT_EPS},                                               \
    {"amsgrad", no_argument, 0, OB_OPT_AMSGRAD},                                             \
    {"adamw", no_argument, 0, OB_OPT_ADAMW},                                                 \
    {"alpha", required_argument, 0, OB_OPT_ALPHA},                                           \
    {"centered", no_argument, 0, OB_OPT_CENTERED},                                           \
    {"eps-inside", no_argument, 0, OB_OPT_EPS_INSIDE},                                       \
    {"lr-decay", required_argument, 0, OB_OPT_LR_DECAY},                                     \
    {"initial-accumulator", required_argument, 0, OB_OPT_INIT_ACC},                          \
    {"etas", required_argument, 0, OB_OPT_ETAS},                                             \
    {"step-sizes", required_argument, 0, OB_OPT_STEP_SIZES},                                 \
    {"sign-only", no_argument, 0, OB_OPT_SIGN_ONLY},                                         \
    {"weight-decay", required_argument, 0, OB_OPT_WEIGHT_DECAY}

#define OB_SCHEDULE_OPTIONS                                                                  \
    {"schedule", required_argument, 0, OB_OPT_SCHEDULE},                                     \
    {"decay-factor", required_argument, 0, OB_OPT_DECAY_FACTOR},                             \
    {"decay-every", required_argument, 0, OB_OPT_DECAY_EVERY},                               \
    {"decay-rate", required_argument, 0, OB_OPT_DECAY_RATE},                                 \
    {"tau", required_argument, 0, OB_OPT_TAU}

#define OB_PROBLEM_OPTIONS                                                                   \
    {"dim", required_argument, 0, OB_OPT_DIM},                                               \
    {"kappa", required_argument, 0, OB_OPT_KAPPA},                                           \
    {"rotate", no_argument, 0, OB_OPT_ROTATE},                                               \
    {"samples", required_argument, 0, OB_OPT_SAMPLES},                                       \
    {"separable", no_argument, 0, OB_OPT_SEPARABLE},                                         \
    {"l2", required_argument, 0, OB_OPT_L2},                                                 \
    {"data", required_argument, 0, OB_OPT_DATA}

/* The optimizer and schedule options of one command line.  Optimizer options are kept
 * as given until the optimizer is known, so that one that does not apply to it (--beta1
 * for sgd) is an error rather than silently ignored. */
typedef struct {
    struct {
        int id;
        const char *arg;
    } given[64];
    size_t ngiven;
    const char *schedule;  /* NULL: constant */
    ob_schedule sched;     /* parameters as given (type and lr0 set by resolve) */
} ob_optim_args;

void ob_optim_args_init(ob_optim_args *a);

/* 1 when id is an optimizer or schedule option (recorded), 0 when it is not one,
 * -1 on a malformed value (message in e). */
int ob_optim_args_take(ob_optim_args *a, int id, const char *arg, ob_error *e);

/* Looks the optimizer and schedule up by name (an unknown name lists the accepted ones),
 * fills h with the optimizer's defaults overridden by the options given, and checks
 * everything.  sched gets lr0 = h->lr; its L and N are the caller's to set. */
ob_status ob_optim_args_resolve(const ob_optim_args *a, const char *optimizer,
                                const ob_optimizer_type **T, ob_hparams *h, ob_schedule *sched,
                                ob_error *e);

/* 1 / 0 / -1 as ob_optim_args_take, for the problem options. */
int ob_problem_args_take(ob_problem_opts *o, int id, const char *arg, ob_error *e);

/* An unknown problem name, with the accepted ones, in e; returns NULL. */
const ob_problem_type *ob_problem_lookup(const char *name, ob_error *e);

/* The long name of option id in table ("?" if absent). */
const char *ob_option_name(const struct option *table, int id);

#endif
