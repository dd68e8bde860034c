/* runplots.h - figures from run CSVs and training CSVs (`optbench plot FILE.csv ...`,
 * `optbench run --plot/--animate`, `optbench train --plot`).
 *
 * A CSV's kind is told by its columns, through a table: a kind names the columns that
 * tell it and draws its figures.  A new kind of CSV (a training step log, a sharpness
 * log) is one more entry in ob_csv_kinds (plots/runplots.c), ahead of a kind whose
 * columns are a subset of its own. */
#ifndef OB_RUNPLOTS_H
#define OB_RUNPLOTS_H

#include <stddef.h>

#include "common/ob.h"

typedef struct {
    const char *outdir;  /* where the figures go (created) */
    const char *stem;    /* their names: STEM-KIND.EXT */
    const char *format;  /* "png", "svg" or "pdf" */
    char written[8][4096]; /* out: the files written */
    size_t n_written;
} ob_csv_plot_opts;

typedef struct {
    const char *name;             /* "run", "train" */
    const char *what;             /* for messages: "trajectory CSV (optbench run)" */
    const char *const *columns;   /* NULL-terminated: a CSV with all of them is this kind */
    /* The figures of the n CSVs into o->outdir; OB_EINVAL (bad input, with the reason)
     * when they cannot be drawn together. */
    ob_status (*draw)(const char *const *csv, size_t n, ob_csv_plot_opts *o, ob_error *err);
} ob_csv_kind;

extern const ob_csv_kind *const ob_csv_kinds[]; /* NULL-terminated */

/* The length of base (a file name) without its ".csv" or ".csv.gz": a figure's stem. */
size_t ob_csv_stem_len(const char *base);

/* The kind of csv by its header, or NULL with err naming the file and the kinds. */
const ob_csv_kind *ob_csv_kind_of(const char *csv, ob_error *err);

/* The run CSVs' figures: STEM-contour (2-D runs of one problem: every path, start, end
 * and minimizer marked, on contours of f - f*), STEM-gap (f - f*, or the loss where f* is
 * unknown, against steps and against gradient evaluations) and STEM-gnorm (the gradient
 * norm, the same way).  Runs of different problems cannot share a contour: OB_EINVAL. */
ob_status ob_plot_run_csvs(const char *const *csv, size_t n, ob_csv_plot_opts *o, ob_error *err);
/* The training CSVs' figures: STEM-loss and STEM-acc (training, validation and test
 * against epochs). */
ob_status ob_plot_train_csvs(const char *const *csv, size_t n, ob_csv_plot_opts *o,
                             ob_error *err);

/* The sharpness figure (plots/fig_sharpness.h) of each CSV that has estimates (a run
 * with --sharpness-every, or a training CSV whose step log has them): STEM-sharpness, or
 * STEM-sharpness-CSVSTEM for several CSVs.  The run and training kinds call it last. */
ob_status ob_plot_sharpness_of(const char *const *csv, size_t n, ob_csv_plot_opts *o,
                               ob_error *err);

/* One file for one run (`run --plot`): a 2-D run's contour beside its gap against steps,
 * else the gap and the gradient norm against steps. */
ob_status ob_plot_run_overview(const char *csv, const char *out, ob_error *err);
/* One file for one training run (`train --plot`): loss and accuracy against epochs. */
ob_status ob_plot_train_overview(const char *csv, const char *out, ob_error *err);
/* An animated GIF of 2-D runs (`run --animate`): OB_EINVAL when they are not 2-D. */
ob_status ob_plot_run_animation(const char *const *csv, size_t n, const char *gif,
                                ob_error *err);

#endif
