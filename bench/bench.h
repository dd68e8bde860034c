/* bench.h - the benchmark: a suite of workloads crossed with optimizers, each
 * optimizer's learning rate tuned per workload on a log grid, then rerun with several
 * seeds; runs in parallel processes, resumable, shardable.  The results layout is
 * results/README.md's. */
#ifndef OB_BENCH_H
#define OB_BENCH_H

#include <stddef.h>

#include "plots/figopts.h"
#include "common/ob.h"
#include "optimizers/optimizer.h"
#include "problems/problem.h"

/* One workload: an analytic problem with its settings and step budget, or (net set) a
 * network trained on Fashion-MNIST for some epochs. */
typedef struct {
    const char *name;        /* file-name-safe id, e.g. "quadratic-k100-rot" */
    const char *problem;     /* registry name (analytic) */
    ob_problem_opts popts;   /* seed fixed: the instance is the same for every run */
    long steps;
    int log_x;               /* the final runs' x columns also above 2 dimensions (log-x) */
    int gzip;                /* the suite's gzip: its final trajectories as .csv.gz */
    /* the oracle every rule on it receives (ob_suite_oracle): */
    double noise;            /* additive gradient noise of norm sigma (0: none) */
    size_t batch;            /* mini-batch size: finite sums (0: full gradient), networks */
    /* networks */
    const char *net;         /* preset name; NULL for an analytic workload */
    long epochs, tune_epochs;
    double l1, l2;           /* penalties on the weights */
    int preset_dropout;        /* the preset's per-layer dropout (the course assignment) */
    double dropout;          /* one rate for every hidden layer (0: none) */
    const char *optimizers;  /* space-separated: only these (NULL: the suite's) */
    long sharpness_every;    /* > 0: the final runs estimate their sharpness every K steps
                                (networks: updates) and log it (0: off) */
    long sharpness_seeds;    /* > 0: only the final runs of seeds 1 .. N do (0: every seed) */
    size_t sharpness_subset; /* networks: the training samples the sharpness is measured on
                                (0: OB_SHARPNESS_SUBSET, train's default) */
    int landscape;           /* networks: loss landscapes too (landscape = true; bench/landscape.c) */
} ob_workload;

/* The learning-rate grid: 10^lo .. 10^hi with per_decade points a decade. */
typedef struct {
    int lo, hi, per_decade;
} ob_lr_grid;

/* The relative targets of the metrics: a run reaches target t when its gap falls to
 * t * (f(x0) - f*).  A suite sets 1 to OB_N_TARGETS of them, decreasing, in (0, 1)
 * ([suite] targets = ...); the built-ins and older results directories use these. */
#define OB_N_TARGETS 3
extern const double ob_targets[OB_N_TARGETS];
extern const char *const ob_target_names[OB_N_TARGETS]; /* "1e-1", "1e-3", "1e-6" */

typedef struct {
    int n;                               /* 1 .. OB_N_TARGETS */
    double v[OB_N_TARGETS];              /* decreasing, in (0, 1) */
    char name[OB_N_TARGETS][24];         /* as written in the suite: the columns'
                                            steps_to_NAME */
} ob_target_set;

/* ob_targets with ob_target_names: the targets a suite gets when it sets none */
extern const ob_target_set ob_default_targets;

/* Parses "1e-1 1e-3 1e-6" (spaces or commas between) into t; on failure, err says what
 * is accepted (without a file or line: the caller adds them). */
ob_status ob_targets_parse(const char *text, ob_target_set *t, ob_error *err);
/* out/targets.csv: one column, target, one row per target as written in the suite; the
 * tables (report/) read it back, so that `optbench plot DIR` needs no suite. */
ob_status ob_targets_write(const char *out, const ob_target_set *t, ob_error *err);
/* out/targets.csv's targets, or ob_default_targets when the directory has none (it was
 * written before suites could set them); OB_EINVAL naming the file and line if bad. */
ob_status ob_targets_read(const char *out, ob_target_set *t, ob_error *err);

/* One optimizer of a suite: a rule of the registry or a plugin, with the hyperparameters
 * the suite fixes (every run of it starts from h; the runs set h.lr from the grid). */
/* A hyperparameter tuned jointly with lr: `momentum = 0 0.9` in [optimizer NAME]. */
typedef struct {
    const ob_hp_option *op;      /* a numeric option of the rule */
    double *v;                   /* (n) its values, in the file's order */
    size_t n;
    long line;                   /* where the suite file lists them */
} ob_hp_list;

/* A hyperparameter drawn by random tuning ([suite] tuning = random N): `beta1 = 0.8 ..
 * 0.99` (uniform) or `eps = 1e-10 .. 1e-6 log` (log-uniform) in [optimizer NAME]. */
typedef struct {
    const ob_hp_option *op;      /* a numeric option of the rule */
    double lo, hi;               /* lo < hi; lo > 0 when log */
    int log;
    long line;                   /* where the suite file declares it */
} ob_hp_range;

#define OB_MAX_HP_LISTS 4
#define OB_TUNE_TAG_MAX 48 /* a point's tag in its run files' names (bench/tuning.h) */

typedef struct {
    const char *name;            /* as the suite names it: a registry name or a plugin path */
    const ob_optimizer_type *T;
    ob_hparams h;                /* T's defaults, then the suite's fixed values */
    /* The tuning grid beyond lr: the product of the lists, point k = sum_i j_i * stride_i
     * with the first list slowest (so an earlier value has a smaller k).  points[k] is h
     * with point k's values; no lists: n_points = 1 and points[0] = h. */
    ob_hp_list lists[OB_MAX_HP_LISTS];
    int n_lists;
    ob_hparams *points;          /* (n_points) */
    char (*tags)[OB_TUNE_TAG_MAX]; /* (n_points) their tags, tune-LR<tag>.csv ("": no lists) */
    size_t n_points;
    /* the options random tuning draws (up to OB_MAX_HP_LISTS; the suite's tuning = random
     * N only): each trial draws lr and every range (bench/tuning.h, ob_tuning_trials) */
    ob_hp_range ranges[OB_MAX_HP_LISTS];
    int n_ranges;
} ob_suite_optimizer;

/* What rule T receives on workload w (the workload's oracle, the same for every rule): the
 * additive noise sigma (*noise) and the mini-batch size (*batch; 0: the full gradient).
 * A finite sum with mini-batches gives gd (T->full_gradient) the full gradient, a full
 * pass that costs N sample gradients, and every other rule the mini-batches; a noise
 * workload gives every rule, gd included, the same noisy gradient.  Networks: *batch is
 * the workload's mini-batch (0 for a full-gradient rule, which sees the whole training
 * set).  The GSL minimizers sit a stochastic analytic workload out (ob_suite_sits_out). */
void ob_suite_oracle(const ob_workload *w, const ob_optimizer_type *T, double *noise,
                     size_t *batch);

/* Why T does not run on w at all ("needs exact function values for its line searches":
 * a GSL minimizer on a stochastic analytic workload; "trains no network": the same on a
 * network), or NULL when it runs there.  A workload's optimizers list aside. */
const char *ob_suite_sits_out(const ob_workload *w, const ob_optimizer_type *T);

/* A suite, parsed from its INI text (bench/suite_file.h; the built-ins' texts are in
 * suite.c); --print-suite prints text. */
typedef struct {
    const char *name;            /* file-name-safe: "quick", "full", "smoke", a file's own */
    const char *source;          /* what --suite names it by: the built-in's name, or the
                                    file's absolute path (bench --list) */
    const char *text;            /* the INI text it was parsed from */
    const ob_workload *workloads;
    size_t n_workloads;
    const ob_suite_optimizer *optimizers;
    size_t n_optimizers;
    int seeds;                   /* final runs per (workload, optimizer) */
    ob_lr_grid grid;             /* analytic workloads */
    int net_seeds;               /* final runs per (network workload, optimizer) */
    ob_lr_grid net_grid;         /* network workloads */
    long rate_max_n;             /* the SGD-rate experiment: N = 10, 100, ... up to this */
    int rate_seeds;              /* and its runs per N */
    ob_target_set targets;       /* the metrics' relative targets */
    int gzip;                    /* gzip = true (default): the final runs' trajectories and
                                    the large tables (surfaces/, curves/) as .csv.gz */
    /* tuning = random N: N random trials per (workload, optimizer) instead of the grid
     * (0: the grid), drawn from a GSL generator seeded by tuning_seed (bench/tuning.h) */
    int tuning_trials;
    unsigned long tuning_seed;
    /* [figures]: the options the bench's figures are drawn with (plots/figopts.h); the
     * command line's --format wins over its format */
    ob_fig_options figures;
} ob_suite;

/* A built-in suite (parsed from its text on the first call, then kept); NULL if unknown. */
const ob_suite *ob_suite_find(const char *name);
/* A built-in suite's INI text; NULL if unknown. */
const char *ob_suite_builtin_text(const char *name);
extern const char *const ob_suite_names[];       /* NULL-terminated */


typedef struct {
    const ob_suite *suite;
    const char *out;             /* the results directory */
    int jobs;                    /* parallel processes */
    int shard_i, shard_n;        /* this process does the pairs with index % n == i */
    const char *only;            /* "WORKLOAD/OPTIMIZER": just that pair (NULL: all) */
    int progress;                /* a progress bar on stderr */
    double run_timeout;          /* seconds a plugin's run may take (0: OB_RUN_TIMEOUT) */
    int first_seed;              /* the final runs' seeds are first_seed .. first_seed + S - 1
                                    (bench --first-seed; 0: 1); the tuning runs keep seed 0,
                                    so the same rates are chosen whatever it is */
} ob_bench_config;

/* The first seed of the final runs of c (c->first_seed, or 1). */
int ob_bench_first_seed(const ob_bench_config *c);

/* A plugin's run (optimizers/plugin.h) runs in a child process of its own: one that dies
 * of a signal is recorded as `crashed`, one past this many seconds is killed and recorded
 * as `timeout`, and the benchmark goes on. */
#define OB_RUN_TIMEOUT 600.0

/* Runs every pending run of the suite (tuning, then the seeds at the chosen rates) and
 * writes its files under out/runs/.  Runs whose summary exists are skipped.  SIGINT and
 * SIGTERM stop it cleanly (OB_INTERRUPTED), whether the caller catches them already
 * (ob_interrupt_catch, common/interrupt.h) or not. */
ob_status ob_bench_run(const ob_bench_config *c, ob_error *err);

/* The timing pass (timing.c), once the runs and the rate experiment are done: each pair's
 * chosen point timed again in this process alone, 3 repeats after a warm-up, into
 * out/timing.csv (workload, kind, optimizer, repeats, steps, median / min / max seconds
 * per update).  Kept when it exists whole. */
ob_status ob_bench_timing(const ob_bench_config *c, ob_error *err);

/* OB_OK unless c->only names no (workload, optimizer) pair of the suite: then OB_EINVAL,
 * one line with the suite's workloads and optimizers. */
ob_status ob_bench_check_only(const ob_bench_config *c, ob_error *err);

/* Prints the pairs of the suite, one `optbench bench ... --only W/O` command per line,
 * for a cluster engine (GNU parallel, a Slurm array). */
void ob_bench_list(const ob_bench_config *c, const char *argv0);

/* Writes out/skipped.csv: workload,optimizer,lr,reason, one row per rule that sits a
 * workload out (lr empty) and per tuning-grid point not run because the rule's decay
 * alone takes x to the origin or past it (optimizer.h's ob_optimizer_decay <= 0:
 * decoupled decay with lr*wd >= 1), and, from the tuning runs done, the rate past an
 * edge that the extension did not run for that reason; header only when nothing is
 * skipped.  ob_bench_write_inputs writes it before the runs, ob_bench_run again once the
 * tuning is done (unsharded, without --only). */
ob_status ob_bench_write_skipped(const ob_bench_config *c, ob_error *err);

/* Writes out/surfaces/W.csv (f on a grid over the plotting box) and its .meta.csv for
 * the suite's 2-D workloads, out/schedules.csv, targets.csv and skipped.csv. */
ob_status ob_bench_write_inputs(const ob_bench_config *c, ob_error *err);

#endif
