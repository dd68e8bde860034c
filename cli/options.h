/* options.h - the option groups several commands share: the optimizer's (from each
 * rule's table in the optimizer registry), the learning-rate schedule's and the analytic
 * problem's (from each problem's table in the problem registry).
 *
 * Optimizer and problem options are kept as given until the optimizer and the problem
 * are known, so that one the chosen rule or problem does not read (--beta1 for sgd,
 * --kappa for rosenbrock) is refused with the list of those that read it, instead of
 * being silently ignored. */
#ifndef OB_OPTIONS_H
#define OB_OPTIONS_H

#include <stdio.h>

#include "cli/args.h"
#include "optimizers/optimizer.h"
#include "optimizers/schedule.h"
#include "problems/problem.h"

typedef struct {
    const char *name, *arg;
} ob_given;

/* The optimizer and schedule options of one command line. */
typedef struct {
    ob_given given[64];
    size_t ngiven;
    const char *schedule;  /* NULL: constant */
    ob_schedule sched;     /* parameters as given (type set by resolve; the rate is h.lr) */
} ob_optim_args;

void ob_optim_args_init(ob_optim_args *a);

/* 1 when a is an optimizer or schedule option (recorded), 0 when it is not one, -1 on a
 * malformed value (message in e). */
int ob_optim_args_take(ob_optim_args *a, const ob_cli_arg *arg, ob_error *e);

/* Looks the optimizer and schedule up by name (an unknown name lists the accepted ones),
 * fills h with the optimizer's defaults overridden by the options given, and checks
 * everything.  sched's rate is h->lr (ob_schedule_lr takes it); its L and N are the
 * caller's to set. */
ob_status ob_optim_args_resolve(const ob_optim_args *a, const char *optimizer,
                                const ob_optimizer_type **T, ob_hparams *h, ob_schedule *sched,
                                ob_error *e);

/* One warning line on stderr ("optbench CMD: warning: ...") when T's decay alone takes x
 * to the origin or past it in one step at h (optimizer.h's ob_optimizer_decay <= 0:
 * decoupled decay with lr*wd >= 1); the run goes on.  The bench skips such settings. */
void ob_warn_decay(const char *cmd, const ob_optimizer_type *T, const ob_hparams *h);

/* The problem options of one command line. */
typedef struct {
    ob_given given[32];
    size_t ngiven;
} ob_problem_args;

/* 1 / 0 / -1 as ob_optim_args_take, for the problem options. */
int ob_problem_args_take(ob_problem_args *a, const ob_cli_arg *arg, ob_error *e);

/* Looks the problem up (an unknown name lists the accepted ones) and sets o's fields
 * from the options given; one the problem does not read is an error naming those it
 * does.  o->seed is the caller's. */
ob_status ob_problem_args_resolve(const ob_problem_args *a, const char *problem,
                                  const ob_problem_type **T, ob_problem_opts *o, ob_error *e);

/* The distinct options of one group (OB_CLI_OPTIMIZER, _SCHEDULE or _PROBLEM), in
 * registry order: name, an old spelling or NULL, the value's placeholder or NULL for a
 * flag.  Returns how many (at most cap are written). */
typedef struct {
    const char *name, *alias, *value;
} ob_shared_option;
size_t ob_shared_options(int group, ob_shared_option *out, size_t cap);

/* The --help section of one group: each option with its help line and its default
 * (per optimizer or problem where they differ, with the ones that read it). */
void ob_shared_help(FILE *f, int group);

/* An optimizer option's default as text: "0.001", "0.5,1.2", "on", "off". */
const char *ob_hp_default_text(const ob_hp_option *o, char *buf, size_t cap);

/* "adagrad, adam": the optimizers that read option name (or an old spelling). */
const char *ob_optimizer_readers(const char *name, char *buf, size_t cap);

/* A plugin's option table against the command line: no name (or old spelling) of its
 * options may be an option of a command that takes optimizer options (run's --steps),
 * of the schedule (--warmup) or of a problem (--kappa), or --help, since the parser would
 * give the value to one of the two only.  One line naming both; read from their tables,
 * so a new option is covered.  The plugin loader calls it (ob_plugin_set_options_check). */
ob_status ob_optimizer_options_check(const ob_optimizer_type *T, ob_error *e);

#endif
