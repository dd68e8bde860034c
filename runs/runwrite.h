/* runwrite.h - a run's two files, written as a pair: its trajectory CSV (analytic) or
 * training CSV (network), and the one-row summary beside it (FILE.summary.csv).  Each
 * file is written to a temporary name and renamed when complete (common/csvout.h), and
 * the pair is all or nothing: when the summary cannot be written the CSV is removed, so
 * a summary always means a finished run (the benchmark's resume relies on it). */
#ifndef OB_RUNWRITE_H
#define OB_RUNWRITE_H

#include "common/csvout.h"
#include "nets/train.h"
#include "runs/run.h"
#include "runs/traj.h"

/* Writes the summary to summary_path (ctx: what the writer needs). */
typedef ob_status (*ob_summary_writer)(const char *summary_path, const void *ctx,
                                       ob_error *err);

/* Finishes the pair once the run is over: when s is OB_OK, commits csv (opened on path)
 * and writes the summary through write(ctx) to summary (NULL: FILE.summary.csv beside
 * path, or standard error when path is "-"); otherwise abandons csv.  A summary that
 * fails removes the committed CSV (unless it was written in place: a FIFO, a device,
 * standard output).  Returns s when it was not OB_OK, else the first failure. */
ob_status ob_runfiles_finish(ob_csv *csv, const char *path, const char *summary, ob_status s,
                             ob_summary_writer write, const void *ctx, ob_error *err);

/* Which rows and columns of an analytic run's trajectory are written (run.h's observer). */
typedef struct {
    long every;              /* a row every K steps, row 0 and the last always (<= 0: 1) */
    int geometric;           /* instead: the geometric grid (ob_log_grid_next) */
    int log_x;               /* the x columns: OB_LOG_X_AUTO, _ON or _OFF (traj.h) */
    const double *targets;   /* (n_targets) relative targets whose first step is logged */
    int n_targets;
} ob_log_spec;

/* The analytic run c, its trajectory written to path as log says (NULL: every step, the
 * x columns up to 100 dimensions) and its summary beside it. */
ob_status ob_run_files(const char *path, const char *summary, const ob_run_config *c,
                       const ob_log_spec *log, ob_run_result *res, ob_error *err);

/* The training run c on data, its training CSV written to path and its summary (named
 * workload) beside it.  echo (may be NULL) also sees every row once it is written, the
 * batches, the updates (the terminal lines of `optbench train`) and the epochs' ends. */
ob_status ob_train_files(const char *path, const char *summary, const char *workload,
                         const ob_train_config *c,
                         const ob_splits *data, const ob_train_observer *echo,
                         ob_train_result *res, ob_error *err);

#endif
