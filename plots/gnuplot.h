/* gnuplot.h - figures drawn by gnuplot: PNG (pngcairo), SVG, PDF (pdfcairo) or an
 * animated GIF, chosen by the file's extension.
 *
 * A recipe builds a gnuplot script whose output is a temporary file (ob_out_temp_path:
 * beside the target, or in $TMPDIR for a FIFO or a device); ob_gnuplot_png writes it to a
 * script file there, runs gnuplot on it (a script read from a pipe costs gnuplot a system
 * call per byte) and, only when gnuplot succeeded, places the figure as every output of
 * optbench is placed (ob_outfile_place, common/outfile.h): renamed onto a regular or new
 * file, copied into a FIFO, a device or a link to one (never replaced), a directory
 * refused.  A failed plot never leaves half a PNG.  Recipes read the result CSVs by column
 * name, so a figure can be redrawn from the CSVs alone. */
#ifndef OB_GNUPLOT_H
#define OB_GNUPLOT_H

#include <stdio.h>

#include "common/ob.h"

/* The common preamble: terminal, size (width, height in pixels), font. */
#define OB_PNG_TERMINAL_FMT "set terminal pngcairo size %d,%d enhanced font 'DejaVu Sans,11'\n"

/* Runs `body` (a script without terminal/output lines) and writes png atomically.
 * OB_EIO when gnuplot is missing or fails (its stderr goes to ours). */
ob_status ob_gnuplot_png(const char *png, const char *body, ob_error *err);
/* The same at width x height pixels (ob_gnuplot_png: 960 x 640). */
ob_status ob_gnuplot_png_size(const char *png, int width, int height, const char *body,
                              ob_error *err);

/* The terminal for a figure file, chosen by its extension: .svg (svg), .pdf (pdfcairo,
 * width x height points), .gif (an animation, delay hundredths of a second a frame),
 * anything else pngcairo.  Every recipe draws every format this way. */
void ob_gnuplot_terminal(FILE *gp, const char *path, int width, int height, int delay);
/* The extension of path without its dot ("png"), "" when it has none. */
const char *ob_gnuplot_ext(const char *path);
/* The same as ob_gnuplot_png_size for an animated GIF (delay: hundredths of a second). */
ob_status ob_gnuplot_gif(const char *gif, int width, int height, int delay, const char *body,
                         ob_error *err);

/* Runs `body` with no figure to draw (terminal unknown: a script that writes tables);
 * its script and log go beside near.  OB_EIO when gnuplot fails. */
ob_status ob_gnuplot_run(const char *near, const char *body, ob_error *err);

/* The path beside which a recipe drawing out keeps its scratch files (contour tables,
 * ob_gnuplot_run's near): out itself, or for a target written in place (a FIFO, a device)
 * a name in $TMPDIR, into buf. */
const char *ob_gnuplot_near(const char *out, char *buf, size_t cap);

/* 1 when an executable named gnuplot is on PATH: a caller drawing many figures checks
 * once rather than have the shell complain once per figure. */
int ob_gnuplot_available(void);

/* Quotes s for a gnuplot string in double quotes (escapes " and \\); returns out. */
char *ob_gnuplot_quote(const char *s, char *out, size_t cap);


#endif
