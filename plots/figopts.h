/* figopts.h - the figure options of one drawing session: which optimizers to draw, the
 * box of the path figures, the size of the canvas or page, the font size and the format.
 *
 * `optbench plot` (--optimizers, --box, --size, --font-size, --format) and a suite file's
 * [figures] section fill an ob_fig_options with the parsers below and hand it to
 * ob_fig_options_set before drawing; the recipes and the gnuplot terminal read it with
 * ob_fig_options_get.  Unset fields mean "the recipe's own choice": every optimizer, the
 * box the recipe fits, the recipe's size in pixels, 11 pt text, png.  The options hold for
 * the whole process until set again; set them before figures are drawn in parallel, never
 * while they are (drawing only reads them).
 *
 * Sizes: a png (or gif) is sized in pixels; an svg, pdf or tex figure in inches or
 * centimetres.  "960x640" and "960x640px" are pixels for png; for svg, pdf and tex a bare
 * "3.3x2.5" means inches, and "3.3x2.5in" or "8x6cm" say their unit.  ob_fig_check refuses
 * a size whose unit does not fit the format (pixels for a pdf, inches for a png). */
#ifndef OB_FIGOPTS_H
#define OB_FIGOPTS_H

#include <stddef.h>

#include "common/ob.h"
#include "common/table.h"

#define OB_FIG_MAX_OPTIMIZERS 32 /* names in --optimizers (OB_MAX_SERIES) */
#define OB_FIG_NAME_CAP 64       /* bytes of one optimizer name, '\0' included */

/* The unit of a size as given: none (pixels for png, inches for svg/pdf/tex), px, in, cm. */
typedef enum { OB_FIG_UNIT_NONE, OB_FIG_UNIT_PX, OB_FIG_UNIT_IN, OB_FIG_UNIT_CM } ob_fig_unit;

typedef struct {
    /* the optimizers to draw, as named in the CSVs; n_optimizers 0: all of them */
    char optimizers[OB_FIG_MAX_OPTIMIZERS][OB_FIG_NAME_CAP];
    size_t n_optimizers;
    /* the box of the path figures (x0 < x1, y0 < y1); has_box 0: the recipe fits one */
    int has_box;
    double x0, x1, y0, y1;
    /* --box shared: the small multiples' panels all take one box fitted to every path
     * (by default each panel fits its own optimizer's paths) */
    int box_shared;
    /* the canvas (png, gif: pixels) or page (svg, pdf, tex); has_size 0: the recipe's */
    int has_size;
    double width, height;
    ob_fig_unit unit;
    /* the text size in points; 0: the terminal's default (11 pt) */
    double font_size;
    /* "png", "svg", "pdf" or "tex"; "" : png */
    char format[8];
} ob_fig_options;

/* The options in force (all unset until ob_fig_options_set is called). */
const ob_fig_options *ob_fig_options_get(void);
/* Puts o in force (copied); NULL: everything unset again. */
void ob_fig_options_set(const ob_fig_options *o);

/* 1 when the optimizer named name is to be drawn: the list is empty or names it. */
int ob_fig_wants(const char *optimizer);
/* The same against the options o rather than those in force. */
int ob_fig_options_wants(const ob_fig_options *o, const char *optimizer);

/* The optimizers of column col of t that are to be drawn (ob_fig_wants), in canonical
 * order (style.h's ob_optimizers_of); returns how many.  Every figure recipe lists the
 * optimizers it draws this way, so that --optimizers holds in every figure. */
size_t ob_optimizers_drawn(const ob_table *t, int col, const char **out, size_t cap);

/* ---- parsers: the command line and the suite file share them.  opt names the option
 * in messages ("--size", or a suite file's "size"); each fails with OB_EINVAL and a
 * one-line message naming the value and what is accepted. ---- */

/* "adam,sgd,momentum": comma-separated, no empty names, no duplicates. */
ob_status ob_fig_parse_optimizers(const char *opt, const char *s, ob_fig_options *o,
                                  ob_error *err);
/* "x0,x1,y0,y1": four finite numbers, x0 < x1, y0 < y1; or "shared" (box_shared). */
ob_status ob_fig_parse_box(const char *opt, const char *s, ob_fig_options *o, ob_error *err);
/* "WxH" with an optional unit: px, in or cm; W, H finite and > 0 (pixels: whole, at most
 * 10000; inches at most 100). */
ob_status ob_fig_parse_size(const char *opt, const char *s, ob_fig_options *o, ob_error *err);
/* a number of points in [4, 72] */
ob_status ob_fig_parse_font_size(const char *opt, const char *s, ob_fig_options *o,
                                 ob_error *err);
/* png, svg, pdf or tex */
ob_status ob_fig_parse_format(const char *opt, const char *s, ob_fig_options *o, ob_error *err);
/* Checks what only the whole set tells: the size's unit fits the format (opt names the
 * size option).  OB_EINVAL with a message otherwise. */
ob_status ob_fig_check(const char *opt, const ob_fig_options *o, ob_error *err);

/* The formats --format accepts, NULL-terminated: png, svg, pdf, tex. */
extern const char *const ob_fig_formats[];

/* ---- sizes for the terminal ---- */

/* Pixels of a png that a pdf, svg or tex page of one inch corresponds to when no size is
 * given: a recipe's 960 x 640 px figure is a 6.4 x 4.27 in page. */
#define OB_FIG_PX_PER_INCH 150.0

/* The page of a vector figure in inches: the size in force when set (cm converted),
 * otherwise the recipe's width x height pixels at OB_FIG_PX_PER_INCH. */
void ob_fig_page_inches(const ob_fig_options *o, int width, int height, double *w_in,
                        double *h_in);
/* The canvas of a png in pixels: the size in force when set (and in pixels), otherwise
 * the recipe's width x height. */
void ob_fig_canvas_pixels(const ob_fig_options *o, int width, int height, int *w_px, int *h_px);
/* The font size in points: the one in force, or def. */
double ob_fig_font_points(const ob_fig_options *o, double def);

#endif
