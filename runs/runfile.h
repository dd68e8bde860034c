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

/* The summaries of a pair's runs packed into one file, dir/summaries.csv: a column "run"
 * (the run's stem) and the union of the runs' summary columns, one row per run in stem
 * order; a cell a run's own summary did not have is empty.  The bench packs a pair's
 * one-row stem.summary.csv files into it once its runs are done (ob_runs_pack), because
 * each of those thousands of small files takes a disk block of its own; everything that
 * reads a summary reads it through ob_run_summary_read, which finds it either way. */
#define OB_RUNS_PACK "summaries.csv"

/* The summary of run dir/stem as a one-row table: dir/stem.summary.csv, or else its row
 * of dir/summaries.csv with the cells that are empty there left out (so a column that
 * only other runs have is absent here, as in the run's own file).  OB_EIO when neither
 * has the run; the errors of ob_table_read (a file cut short, ...). */
ob_status ob_run_summary_read(const char *dir, const char *stem, ob_table *t, ob_error *err);
/* ob_run_summary_read of the run whose trajectory or training CSV is traj (D/X.csv or
 * D/X.csv.gz: the run X of directory D). */
ob_status ob_run_summary_beside(const char *traj, ob_table *t, ob_error *err);

/* Packs dir's stem.summary.csv files (with the rows dir/summaries.csv has already) into
 * dir/summaries.csv, written atomically, then removes the packed files.  A summary that
 * does not read whole is left where it is (the bench runs it again).  OB_OK when dir has
 * nothing to pack. */
ob_status ob_runs_pack(const char *dir, ob_error *err);
/* Removes dir/summaries.csv when it does not read whole with a row (cut short): the runs
 * it held count missing and the bench runs them again.  1 when it removed it. */
int ob_runs_pack_drop_cut(const char *dir);

/* The stems (file names without .summary.csv, and the runs of dir/summaries.csv) in dir
 * that start with prefix, sorted, each once; NULL with *n = 0 when there are none or dir
 * cannot be read. */
char **ob_run_stems(const char *dir, const char *prefix, size_t *n);
void ob_run_stems_free(char **v, size_t n);
/* The names in dir that do not start with '.', sorted by strcmp (so the same bytes on any
 * machine and locale), malloc'ed (free with ob_run_stems_free); NULL and *n = 0 when dir
 * cannot be read. */
char **ob_dir_entries(const char *dir, size_t *n);

#endif
