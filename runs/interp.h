/* interp.h - the 1-D linear interpolation (Goodfellow, Vinyals and Saxe, ICLR 2015) of every
 * seed-1 network run of the benchmark, the cheap loss landscape of each report:
 * runs/W/O/seed-1.interp.csv (docs/contracts.md "Interpolation CSV").
 *
 * The run's training loop hands theta_0 (before update 0) and theta_T (after the last
 * epoch) to the observer below; at the last epoch's end, before the run's own files are
 * committed, the loss and accuracy at theta(a) = (1 - a) theta_0 + a theta_T are
 * evaluated with nets/landscape.c at 13 values of a in [-0.5, 1.5] (steps of 1/8 between 0
 * and 1, of 1/4 outside) on the first OB_BENCH_INTERP_EVAL training and test samples, and
 * written: a finished run's summary implies its interpolation file; a run that diverged
 * before its last epoch has none.  Points and samples are few so that the file costs about
 * 0.1 s of a quick-suite netA run (`optbench landscape` evaluates 41 points on 1000
 * samples).  Every optimizer of a workload starts from the same theta_0: the
 * initialization draws from its own generator seeded with the run's seed (nets/train.c). */
#ifndef OB_BENCH_INTERP_H
#define OB_BENCH_INTERP_H

#include "nets/train.h"

#define OB_BENCH_INTERP_POINTS 13
#define OB_BENCH_INTERP_EVAL 250 /* samples of each split */

typedef struct {
    const ob_train_config *c;
    const ob_splits *data;
    char path[4096];
    double *theta0;          /* (P) before update 0 */
    ob_train_observer obs;   /* before_update and epoch_end; pass as the run's echo */
    ob_status status;        /* a failure to evaluate or to write */
    ob_error err;
    int written;
} ob_bench_interp;

/* Prepares ip for the run c on data whose training CSV is run_path (X.csv: the file is
 * X.interp.csv).  ip must stay where it is until ob_bench_interp_end. */
void ob_bench_interp_begin(ob_bench_interp *ip, const char *run_path, const ob_train_config *c,
                           const ob_splits *data);

/* Frees ip; returns its failure (err filled) or OB_OK. */
ob_status ob_bench_interp_end(ob_bench_interp *ip, ob_error *err);

/* The interpolation of theta0 -> theta1 for a model of m's shape on data's first
 * OB_BENCH_INTERP_EVAL training and test samples, written to path (columns
 * alpha,train_loss,train_acc,test_loss,test_acc; a non-finite value is an empty cell). */
ob_status ob_bench_interp_write(const char *path, const ob_mlp *m, const ob_splits *data,
                                const double *theta0, const double *theta1, ob_error *err);

#endif
