/* bench_internal.h - what the benchmark's files (plan.c, job.c, execute.c, inputs.c) and
 * report/aggregate.c share. */
#ifndef OB_BENCH_INTERNAL_H
#define OB_BENCH_INTERNAL_H

#include <stddef.h>

#include "bench/bench.h"
#include "nets/dataset.h"
#include "optimizers/optimizer.h"

double ob_bench_grid_lr(const ob_lr_grid *g, int k);
int ob_bench_grid_points(const ob_lr_grid *g);
void ob_bench_run_path(char *buf, size_t cap, const char *out, const char *w, const char *o,
                       const char *file);
int ob_bench_mkdirs(const char *path); /* mkdir -p; -1 with errno on failure */

/* one run of the plan */
typedef struct {
    const ob_workload *w;
    const ob_optimizer_type *T;
    const ob_hparams *h;  /* the suite's hyperparameters of T (lr: this run's below) */
    double lr;
    const char *tag;  /* the point's tag (bench/tuning.h): "_p1_momentum_0.9", "": no lists */
    double noise;   /* its oracle (bench.h's ob_suite_oracle): additive noise sigma */
    size_t batch;   /* and mini-batch size (0: full gradient) */
    int seed;       /* 0: tuning */
    char file[64];  /* tune-LR.csv or seed-S.csv */
    /* not run but recorded with this status ("failed": a final run of a pair none of
     * whose tuning runs finished, bench/tuning.h's ob_bench_choose); NULL: run */
    const char *fail;
    /* a point past the ends of the suite's lists (bench/tuning.h, ob_tuning_axis_edge):
     * h and tag point here */
    ob_hparams own_h;
    char own_tag[OB_TUNE_TAG_MAX];
} ob_run_spec;

/* ---- plan.c: which runs -------------------------------------------------------------- */

/* the most runs one phase can plan */
size_t ob_bench_plan_capacity(const ob_suite *S);
/* packs the summaries of every pair this process ran (plan.c; runs/runfile.h) */
ob_status ob_bench_pack(const ob_bench_config *c, ob_error *err);
/* The pending runs of one phase (tuning 1: the suite's grid; 2: one round of the edge
 * extension, bench/tuning.h; 0: the seeds at the chosen rates; 3: each pair's seed-1 run
 * at its chosen point, done or not, for the timing pass) into runs, network runs first;
 * *st gets a failure to choose a rate. */
size_t ob_bench_plan(const ob_bench_config *c, int tuning, ob_run_spec *runs, ob_status *st,
                     ob_error *err);

/* ---- job.c: one run ------------------------------------------------------------------ */

/* A process's problems and data, made once and reused by its runs. */
typedef struct {
    struct ob_bench_cached *items;
    size_t n;
    ob_splits data;          /* Fashion-MNIST, loaded once per process */
    size_t data_subset;      /* the training samples kept */
    int have_data;
    ob_target_set tg;        /* the directory's targets.csv, read once per process */
    int have_tg;
    struct ob_bench_row0 *row0; /* network runs' row 0, per workload, seed and batch (job.c) */
    size_t n_row0;
} ob_bench_cache;

/* Runs r and writes its files under out/runs/W/O/. */
ob_status ob_bench_do_run(const char *out, const ob_run_spec *r, ob_bench_cache *pc,
                          ob_error *err);
void ob_bench_cache_free(ob_bench_cache *pc);

/* ---- timing.c: the timing pass ------------------------------------------------------- */

#define OB_TIME_REPEATS 3 /* timed runs a pair, after one warm-up */
#define OB_TIME_STEPS 20  /* a network's timed mini-batch updates (gd: full passes over as
                           * many samples, at least 1) */
/* The time of run r's loop alone (job.c): *seconds for *steps updates, no file written; a
 * network trains OB_TIME_STEPS iid mini-batches without evaluating. */
ob_status ob_bench_time_run(const ob_run_spec *r, ob_bench_cache *pc, double *seconds,
                            long *steps, ob_error *err);
/* Records r as a run that did not finish: status "crashed" (its process died of a
 * signal, or ended before its run did), "timeout" (it ran past the time limit and was
 * killed) or "failed" (its optimizer's state could not be allocated; or a final run of a
 * pair none of whose tuning runs finished). */
ob_status ob_bench_record_failed(const char *out, const ob_run_spec *r, const char *status,
                                 ob_bench_cache *pc, ob_error *err);
/* the expected cost of r, in the units of an analytic step in one dimension */
double ob_bench_run_cost(const ob_run_spec *r);

#endif
