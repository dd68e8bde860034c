/* contours.h - the contour lines of a 2-D surface, traced by gnuplot's own contouring
 * (`set contour base`, `set cntrparam levels discrete`, written by `set table`) into a
 * data file that every figure of the surface plots `with lines`.  Tracing takes gnuplot
 * about a second on Rastrigin's many wells, so it is done once per surface: while
 * `optbench plot DIR` draws, the files live in a cache directory named by
 * ob_contours_cache, keyed by a CRC-32 of the grid and the levels (a changed grid is a
 * new key); otherwise each figure traces its own into a temporary file.  Internal to
 * plots/. */
#ifndef OB_CONTOURS_H
#define OB_CONTOURS_H

#include "common/ob.h"
#include "plots/draw.h"
#include "plots/paths.h"

#define OB_CONTOUR_GRID 161 /* grid points a side the lines are traced on */
#define OB_SHADE_GRID 91    /* grid points a side of the shading of figures drawn many times
                               (small multiples' panels, animation frames) */

typedef struct {
    char path[4096];  /* gnuplot's table: "x y z" lines, a blank line between pieces */
    int temporary;    /* ob_contours_release removes it (1 + its slot in common/interrupt.h) */
    ob_zrange zr;     /* the scale and levels (ob_surface_grid at OB_CONTOUR_GRID) */
} ob_contours;

/* The levels of zr as gnuplot's discrete list "L1,L2,...": every multiple of dz from
 * the first at or above zlo up to zhi.  Returns how many (0: out is ""). */
int ob_contour_levels(const ob_zrange *zr, char *out, size_t cap);

/* The contour lines of s over s->box (log10 of f - f*, ob_surface_grid) at the levels of
 * its scale: the cached file when a cache is set and holds them, else traced by gnuplot
 * (into the cache, atomically, or into a temporary file beside near).  OB_EIO when
 * gnuplot fails. */
ob_status ob_contours_get(const ob_surface *s, const char *near, ob_contours *c,
                          ob_error *err);
/* Removes c's file when it is temporary. */
void ob_contours_release(ob_contours *c);
/* The plot clause (no leading comma) of the lines in file path (ob_contours.path):
 * `"FILE" using 1:2 with lines ...`. */
void ob_contours_clause(FILE *b, const char *path, const char *color, double lw);

/* Sets the cache directory (NULL: none) for the figures drawn until the next call; not
 * thread-safe: set it before drawing in parallel.  ob_contours_cache_clear removes its
 * files (and the directory). */
void ob_contours_cache(const char *dir);
void ob_contours_cache_clear(const char *dir);

#endif
