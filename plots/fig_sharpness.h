/* fig_sharpness.h - the sharpness figure: the top Hessian eigenvalue along a run (or the
 * preconditioned one of adam-family rules) and the optimizer's stability threshold
 * against steps on a log axis, the loss beneath, and the problem's L (the smoothness
 * constant of the theorems) as a horizontal line where it has one (Cohen et al., ICLR
 * 2021, Fig. 1's layout). */
#ifndef OB_FIG_SHARPNESS_H
#define OB_FIG_SHARPNESS_H

#include <stddef.h>
#include <stdio.h>

#include "common/ob.h"

/* 1 when csv has a sharpness column, or is a training CSV whose step log (FILE.steps.csv
 * beside it) has one. */
int ob_csv_has_sharpness(const char *csv);

/* The figure of one run into png: csv is a trajectory CSV (optbench run
 * --sharpness-every: step, loss, sharpness, threshold), a step log (optbench train
 * --sharpness-every: step, mean_loss, sharpness, threshold) or a training CSV whose step
 * log has them.  L: the problem's smoothness constant, NaN when it has none; title may
 * be NULL (the file's name).  OB_EDATA when the file has no sharpness column or no
 * estimate; OB_EIO when it cannot be read or gnuplot fails. */
ob_status ob_fig_sharpness(const char *csv, const char *png, double L, const char *title,
                           ob_error *err);

/* The file that holds csv's sharpness estimates, into out: csv itself, or its step log
 * FILE.steps.csv; 0 when neither has a sharpness column. */
int ob_sharp_file(const char *csv, char *out, size_t cap);

/* One series of the figure: an optimizer's (or a run's) estimates and its loss. */
typedef struct {
    const char *name;            /* legend */
    const double *step, *sharp, *thr; /* (n) the estimates' steps, values, thresholds */
    size_t n;
    const double *lstep, *loss;  /* (nl) the loss beneath */
    size_t nl;
    double lr_label;             /* > 0: the legend says "2/lr" with this lr (stability) */
    const char *color;           /* '#rrggbb'; NULL: name's optimizer colour (plots/style.h),
                                    or the k-th series colour when lr_label > 0 */
    int point;                   /* the estimates' point type; 0: name's optimizer's */
} ob_sharp_series;

/* The figure of several series into png (w x h pixels, 0: the default), y on log axes;
 * ylabel names the sharpness ("sharpness" or "sharpness (P^-1 H for adam)").  Used by
 * ob_fig_sharpness, the bench's recipe and `optbench stability`. */
ob_status ob_fig_sharpness_series(const ob_sharp_series *s, size_t n, double L,
                                  const char *title, const char *loss_label, const char *png,
                                  int w, int h, ob_error *err);

/* The script of that figure without rendering (stability's two panels side by side):
 * appended to f; origin and size place it in a multiplot (fractions of the canvas). */
void ob_fig_sharpness_script(FILE *f, const ob_sharp_series *s, size_t n, double L,
                             const char *title, const char *loss_label, double x0, double w);

/* The estimates and the loss of one run's log (a step log or a trajectory) into s, with
 * buffers from *buf (freed by the caller). */
ob_status ob_sharp_load(const char *path, ob_sharp_series *s, double **buf, ob_error *err);

#endif
