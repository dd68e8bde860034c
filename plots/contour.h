/* contour.h - contour lines of a function sampled on a regular grid, by marching squares
 * (Lorensen and Cline 1987, in two dimensions): gnuplot's own contouring (`set contour`)
 * takes a second for Rastrigin's many wells on a 161 x 161 grid, this a few milliseconds. */
#ifndef OB_CONTOUR_H
#define OB_CONTOUR_H

#include <stdio.h>

/* Writes, as gnuplot data ("x y" lines, a blank line after each segment), the segments
 * where the piecewise-linear interpolant of z crosses level.  z is (nx, ny) row-major:
 * z[i*ny + j] sits at (x0 + i*dx, y0 + j*dy).  Cells with a NaN corner are skipped.
 * Returns the number of segments. */
size_t ob_contour_level(FILE *out, const double *z, int nx, int ny, double x0, double dx,
                        double y0, double dy, double level);

#endif
