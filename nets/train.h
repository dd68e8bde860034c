/* train.h - the one mini-batch training loop of the networks: `optbench train`, the
 * benchmark's network runs and the SGD-rate experiment on a network all run it.
 *
 * Each epoch shuffles the training split (GSL RNG from the seed), runs ceil(n/B)
 * mini-batches (the last one partial, as torch's DataLoader by default) of gather ->
 * forward -> loss -> zero_grad -> backward -> one optimizer step on the flat parameter
 * vector, then evaluates train, validation and test without dropout and reports a row.
 * Row 0 is the evaluation before any update.  seconds counts the batches only (shuffle,
 * gather, forward, backward, update): no data loading, no evaluation.  The same seed gives
 * the same numbers, whatever the thread counts (see docs/commands.md, "Networks"). */
#ifndef OB_TRAIN_H
#define OB_TRAIN_H

#include <gsl/gsl_rng.h>

#include "nets/dataset.h"
#include "nets/mlp.h"
#include "optimizers/optimizer.h"
#include "optimizers/schedule.h"

/* The mini-batch size a network trains with unless told otherwise (train --batch,
 * landscape --batch, a suite's network workload without batch =). */
#define OB_TRAIN_BATCH 128

/* How the loop draws its mini-batches. */
typedef enum {
    OB_BATCHES_EPOCHS = 0, /* each epoch a shuffle, then ceil(n/B) batches, the last partial */
    OB_BATCHES_IID,        /* each update B distinct samples drawn uniformly, independent of
                              the past (the SGD theorem's oracle): steps updates, one epoch */
} ob_batching;

typedef struct {
    ob_mlp_spec spec;
    ob_dtype dtype;                /* OB_F32 (default) or OB_F64 */
    const ob_optimizer_type *opt;
    ob_hparams h;
    ob_schedule sched;             /* lr_t for update t = 0, 1, ... */
    long epochs;
    size_t batch;
    unsigned long seed;            /* initialization, shuffling and dropout */
    ob_batching batching;          /* OB_BATCHES_EPOCHS unless set */
    long steps;                    /* OB_BATCHES_IID: the number of updates */
    int keep_going;                /* run every update even after a non-finite batch loss
                                      (the rate experiment judges its runs itself) */
    int no_eval;                   /* ob_train: no evaluation at all, no rows (a timed run,
                                      bench/timing.c) */
    struct ob_train_row0 *row0;    /* the evaluation before the first update, shared (may be
                                      NULL; see ob_train_row0 below) */
    int no_train_eval;             /* ob_train: the rows leave the training split's loss and
                                      accuracy empty (NaN) instead of evaluating it (a bench
                                      tuning run, which reads the validation accuracy) */
    const char *hparams;           /* as ob_run_config's: a last summary column, or none */
    /* The step log (obs->step): a row every log_every updates, one every sharpness_every
     * updates, row 0 before the first update and the last update's row; 0 and 0: none. */
    long log_every;
    long sharpness_every;          /* also calls obs->sharpness at those rows (0: never) */
    size_t sharpness_subset;       /* the training samples the sharpness is measured on
                                      (read by the observer, runs/netsharp.h; 0: default) */
    int sharpness_products;        /* at most this many Hessian-vector products per
                                      estimate (the observer's; 0: its default) */
} ob_train_config;

enum { OB_SPLIT_TRAIN, OB_SPLIT_VAL, OB_SPLIT_TEST, OB_SPLITS };

/* Row 0's evaluation (the model before any update) depends on the spec, the dtype, the seed
 * (the initialization), the batch buffers and the splits, not on the optimizer or its
 * rate: runs that share those can share it.  ob_train fills an empty one (have = 0) and
 * copies a filled one instead of evaluating again (bench/job.c keeps one per workload,
 * seed and batch size: a bench's netA runs spent a quarter of their evaluations on it). */
typedef struct ob_train_row0 {
    int have;
    double loss[OB_SPLITS], acc[OB_SPLITS];
} ob_train_row0;

typedef struct {
    long epoch;                    /* 0: before training */
    long step;                     /* updates so far */
    double seconds;                /* training time so far */
    double lr;                     /* learning rate of the last update (of update 0 on row 0) */
    double loss[OB_SPLITS];        /* mean data loss (no penalty, no dropout); NaN: empty split */
    double acc[OB_SPLITS];         /* fraction correct (margin loss: pairs ranked right) */
} ob_train_row;

/* A row of the step log.  Row s holds the parameters after s updates; its losses are
 * those the updates computed on their mini-batches on the way (at the parameters before
 * each update, as a training loop reports them), so row 0 has none. */
typedef struct {
    long step;                     /* updates so far */
    double epoch;                  /* fractional: epochs of batches so far */
    double seconds;                /* training time so far (as ob_train_row's; without the
                                      time the step log and the sharpness take) */
    double lr;                     /* learning rate of the last update (of update 0 on row 0) */
    double batch_loss;             /* the last update's mini-batch loss; NaN on row 0 */
    double mean_loss;              /* mean of the batch losses since the previous row; NaN on row 0 */
    int has_sharpness;             /* the sharpness columns below were measured (obs->sharpness) */
    double sharpness;              /* top eigenvalue of the (preconditioned) Hessian at the row */
    double threshold;              /* the optimizer's stability threshold there; NaN: none known */
    double sharpness_residual;     /* ||H v - lambda v|| / |lambda| of the estimate */
    long hvps;                     /* Hessian-vector products the estimate took */
} ob_train_step;

typedef struct {
    ob_status (*row)(void *ctx, const ob_train_row *r, ob_error *err); /* may be NULL */
    /* the step log's rows (see ob_train_config.log_every; may be NULL) */
    ob_status (*step)(void *ctx, const ob_train_step *s, ob_error *err);
    /* called when not NULL, before obs->step, on the rows the config's sharpness_every
     * asks for, with the parameters of the row in m and the optimizer o (its state:
     * adam's preconditioner) whose next update takes learning rate lr; it fills the
     * sharpness fields of s.  Its time is not training time. */
    ob_status (*sharpness)(void *ctx, ob_mlp *m, const ob_optimizer *o, double lr,
                           ob_train_step *s, ob_error *err);
    /* called after each batch when not NULL (a progress bar) */
    void (*progress)(void *ctx, long epoch, size_t batch, size_t n_batches, double loss);
    /* called when not NULL before update t (0, 1, ...) computes its batch gradient, with
     * the parameters theta_t in m; it may use m's buffers (the rate experiment takes the
     * full gradient there) */
    void (*before_update)(void *ctx, ob_mlp *m, long t);
    /* called when not NULL after the updates of epoch e (1, 2, ...; also one cut short by
     * divergence) and before its evaluation, with the parameters after `step` updates in m
     * (`optbench landscape` keeps checkpoints there) */
    void (*epoch_end)(void *ctx, const ob_mlp *m, long epoch, long step);
    void *ctx;
} ob_train_observer;

typedef struct {
    ob_status status;              /* OB_OK or OB_DIVERGED (a non-finite batch loss) */
    long epochs_done;
    long steps;
    double seconds;
    double epoch_seconds_median;   /* median over the epochs run */
    size_t n_params;
    ob_train_row last;
} ob_train_result;

/* Checks the configuration against the data (input size, labels within the outputs),
 * trains, and reports every row to obs.  Returns OB_OK also for a diverged run (see
 * res->status); other codes are failures (OB_EINVAL with a message, OB_ENOMEM, or what
 * obs->row returned). */
ob_status ob_train(const ob_train_config *c, const ob_splits *data, const ob_train_observer *obs,
                   ob_train_result *res, ob_error *err);

/* The loop alone, on a model the caller allocated and initialized (its parameters are the
 * start; they hold the end on return), for c's optimizer, schedule, batches and budget
 * (c->spec and c->seed are not read).  Batches come from train, in the order drawn by
 * batches; dropout masks from dropout (unused when the model has no dropout).  eval (may
 * be NULL: no rows, no evaluation) is what every row evaluates.  Returns as ob_train. */
ob_status ob_train_model(ob_mlp *m, const ob_train_config *c, const ob_dataset *train,
                         const ob_splits *eval, gsl_rng *batches, gsl_rng *dropout,
                         const ob_train_observer *obs, ob_train_result *res, ob_error *err);

/* OB_OK when networks train with T; otherwise EINVAL naming the rules they train with
 * (not the minimizers, which need a full-batch objective). */
ob_status ob_train_optimizer_check(const ob_optimizer_type *T, ob_error *err);

/* The number of updates c makes on a training split of n samples (epochs x batches). */
long ob_train_updates(const ob_train_config *c, size_t n);
/* A log_every that gives about rows step rows over c's run on n samples (at least 20 when
 * it makes 20 updates or more: every update when it makes fewer than 2 * rows). */
long ob_train_log_every(const ob_train_config *c, size_t n, long rows);

/* Mean loss and accuracy of m on a whole data set, forward in chunks of m->max_batch rows,
 * no dropout.  NaN for an empty set. */
void ob_evaluate(ob_mlp *m, const ob_dataset *ds, double *loss, double *acc);

#endif
