/* train.h - the mini-batch training loop of `optbench train`.
 *
 * Each epoch shuffles the training split (GSL RNG from the seed), runs ceil(n/B)
 * mini-batches (the last one partial, as torch's DataLoader by default) of gather ->
 * forward -> loss -> zero_grad -> backward -> one optimizer step on the flat parameter
 * vector, then evaluates train, validation and test without dropout and reports a row.
 * Row 0 is the evaluation before any update.  seconds counts the batches only (shuffle,
 * gather, forward, backward, update): no data loading, no evaluation.  The same seed gives
 * the same numbers, whatever the thread counts (see README "Networks"). */
#ifndef OB_TRAIN_H
#define OB_TRAIN_H

#include "nets/dataset.h"
#include "nets/mlp.h"
#include "optimizers/optimizer.h"
#include "optimizers/schedule.h"

typedef struct {
    ob_mlp_spec spec;
    ob_dtype dtype;                /* OB_F32 (default) or OB_F64 */
    const ob_optimizer_type *opt;
    ob_hparams h;
    ob_schedule sched;             /* lr_t for update t = 0, 1, ... */
    long epochs;
    size_t batch;
    unsigned long seed;            /* initialization, shuffling and dropout */
} ob_train_config;

enum { OB_SPLIT_TRAIN, OB_SPLIT_VAL, OB_SPLIT_TEST, OB_SPLITS };

typedef struct {
    long epoch;                    /* 0: before training */
    long step;                     /* updates so far */
    double seconds;                /* training time so far */
    double lr;                     /* learning rate of the last update (of update 0 on row 0) */
    double loss[OB_SPLITS];        /* mean data loss (no penalty, no dropout); NaN: empty split */
    double acc[OB_SPLITS];         /* fraction correct (margin loss: pairs ranked right) */
} ob_train_row;

typedef struct {
    ob_status (*row)(void *ctx, const ob_train_row *r, ob_error *err); /* may be NULL */
    /* called after each batch when not NULL (a progress bar) */
    void (*progress)(void *ctx, long epoch, size_t batch, size_t n_batches, double loss);
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

/* Mean loss and accuracy of m on a whole data set, forward in chunks of m->max_batch rows,
 * no dropout.  NaN for an empty set. */
void ob_evaluate(ob_mlp *m, const ob_dataset *ds, double *loss, double *acc);

#endif
