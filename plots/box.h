/* box.h - the plotting box of a 2-D figure fitted to the paths drawn in it, and the
 * clipping of a path to that box.  Pure functions: tests/test_plot_runs.c checks them. */
#ifndef OB_BOX_H
#define OB_BOX_H

#include <stddef.h>

/* How far a fitted box may reach beyond the problem's box: each half-width times this,
 * around the box's centre.  Points beyond that (a run escaping to 1e10) are clipped
 * rather than shrinking everything else to a dot. */
#define OB_BOX_REACH 2.0
/* The margin around the paths, as a fraction of the fitted span on each side. */
#define OB_BOX_MARGIN 0.08
/* The fitted box is never narrower than this fraction of the problem's box (a path
 * that barely moves still shows its surroundings). */
#define OB_BOX_MIN_FRAC 0.04

/* The box [xmin, xmax, ymin, ymax] (out) that covers the points (x[i], y[i]) and, when
 * star is not NULL, the minimizer star[0..1]: their bounding box, each side widened to at
 * least OB_BOX_MIN_FRAC of the problem's box (about its centre), plus margin times the
 * span on each side, cut to the reach (box widened by OB_BOX_REACH).  Points outside the
 * reach, or not finite, are left out (they are clipped when drawn).  With no point at
 * all, out is box. */
void ob_box_fit(const double box[4], const double *x, const double *y, size_t n,
                const double *star, double margin, double out[4]);

/* The part of the segment (x0,y0)-(x1,y1) inside box (Liang and Barsky 1984): 1 and the
 * clipped ends in t0 <= t1 (fractions along the segment), or 0 when it misses the box. */
int ob_box_clip(const double box[4], double x0, double y0, double x1, double y1, double *t0,
                double *t1);

#endif
