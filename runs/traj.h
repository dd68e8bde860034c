/* traj.h - the trajectory CSV (docs/contracts.md) and the run summary, written atomically. */
#ifndef OB_TRAJ_H
#define OB_TRAJ_H

#include "common/csvout.h"
#include "runs/run.h"

/* Above this many dimensions the x columns are left out unless asked for (--log-x). */
#define OB_LOG_X_MAX 100

/* ob_traj_open's log_x: the x columns up to OB_LOG_X_MAX dimensions (`optbench run`),
 * always (--log-x), or never (the bench's problems of more than 2 dimensions, whose
 * points no figure draws) */
enum { OB_LOG_X_AUTO = 0, OB_LOG_X_ON = 1, OB_LOG_X_OFF = -1 };

typedef struct {
    ob_csv csv;
    size_t n;
    int log_x;
    int sharpness; /* the columns sharpness,threshold,sharpness_residual */
} ob_traj;

/* Opens path and writes the header
 * step,loss,grad_norm,evals,lr,seconds[,sharpness,threshold,sharpness_residual][,x1..xn]
 * (sharpness: the run has sharpness_every, run.h; log_x: OB_LOG_X_*). */
ob_status ob_traj_open(ob_traj *t, const char *path, size_t n, int log_x, int sharpness,
                       ob_error *err);
/* An ob_observer row callback writing into an ob_traj. */
int ob_traj_row(void *ctx, const ob_row *r);

/* The summary of one run: a one-row CSV with named columns. */
ob_status ob_summary_write(const char *path, const ob_run_config *c, const ob_run_result *r,
                           ob_error *err);

/* The same with n more numeric columns names[i] = values[i] (NaN: an empty cell) before
 * the hparams column: a tuning run of the bench adds its criterion (bench/job.c). */
ob_status ob_summary_write_more(const char *path, const ob_run_config *c,
                                const ob_run_result *r, const char *const *names,
                                const double *values, int n, ob_error *err);

/* "dir/run.csv" (or "dir/run.csv.gz") -> "dir/run.summary.csv"; the caller frees. */
char *ob_summary_path(const char *traj_path);

#endif
