/* runfile.h - reading back one finished run: its summary (FILE.summary.csv) and its
 * trajectory or training CSV (FILE.csv), every column found by its name.  Used by the
 * tuning choice (bench/tuning.c) and by the result tables (report/). */
#ifndef OB_RUNFILE_H
#define OB_RUNFILE_H

#include <stddef.h>

#include "common/ob.h"
#include "common/table.h"

/* the trajectory columns the tables use, by name (runs/traj.c writes them) */
enum { OB_RC_STEP, OB_RC_LOSS, OB_RC_GNORM, OB_RC_EVALS, OB_RC_LR, OB_RC_SECONDS, OB_RC_N };

typedef struct {
    char name[64];     /* file stem: tune-0.001 or seed-3 */
    double lr;
    int seed;          /* -1 for tuning runs */
    char status[16];
    double f0, f_star, final_gap, final_gnorm, sec_per_step;
    long diverged_step;
    size_t rows;
    double *v;         /* (rows, cols) trajectory (analytic) */
    size_t cols;
    int col[OB_RC_N];  /* where each OB_RC_* column sits in v */
    int net;           /* a network run: the fields below, and curve (the training CSV) */
    double best_val_acc, test_acc, epoch_seconds;
    ob_table curve;
    int has_score;     /* a bench tuning run that kept its summary only: its criterion */
    double score;      /* tune_score: bench/tuning.h's criterion, computed by the run */
    long hit;          /* tune_hit_step: its tie-break (LONG_MAX: an empty cell) */
    ob_table steps;    /* a network run's step log (stem.steps.csv); 0 rows when it has none */
    int sharp_col, thresh_col; /* analytic: the sharpness and threshold columns in v, or -1 */
} ob_run_data;

/* Reads dir/stem.summary.csv and dir/stem.csv or dir/stem.csv.gz (and a network run's
 * dir/stem.steps.csv when it exists).  Empty cells of a trajectory (a sharpness between
 * estimates) are NaN.  A summary with a tune_score column (a bench tuning run,
 * bench/job.c) has no trajectory: rows = 0 and has_score set. */
ob_status ob_run_data_load(const char *dir, const char *stem, ob_run_data *r, ob_error *err);
void ob_run_data_free(ob_run_data *r);
/* OB_OK when the run dir/stem is complete: its summary reads whole with its row, and,
 * unless it is a summary-only tuning run, its trajectory or training CSV (stem.csv or
 * stem.csv.gz) and the step log and interpolation CSV beside it when they exist read
 * whole (ob_table_check).  Else the error of the first file that does not (a run cut
 * short, or missing: OB_EIO). */
ob_status ob_run_check(const char *dir, const char *stem, ob_error *err);

/* trajectory cell (row i, OB_RC_* column c) */
static inline double ob_run_at(const ob_run_data *r, size_t i, int c)
{
    return r->v[i * r->cols + (size_t)r->col[c]];
}

int ob_run_diverged(const ob_run_data *r);
/* the gap f - f* at logged row i (never below 0) */
double ob_run_gap_at(const ob_run_data *r, size_t i);
/* the first logged row with gap <= t * gap0, or -1 */
long ob_run_first_below(const ob_run_data *r, double t);

/* The stems (file names without .summary.csv) in dir that start with prefix, sorted;
 * NULL with *n = 0 when there are none or dir cannot be read. */
char **ob_run_stems(const char *dir, const char *prefix, size_t *n);
void ob_run_stems_free(char **v, size_t n);
/* The names in dir that do not start with '.', sorted by strcmp (so the same bytes on any
 * machine and locale), malloc'ed (free with ob_run_stems_free); NULL and *n = 0 when dir
 * cannot be read. */
char **ob_dir_entries(const char *dir, size_t *n);

#endif
