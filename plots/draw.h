/* draw.h - the kit every figure recipe is written with, in plots/ (fig_*.c) and in the
 * rooms that draw their own (experiments/NAME/, compare/compare_fig.c): gnuplot scripts,
 * strings and data blocks, legends, log-axis ranges, reading a table's columns by name.
 * Nothing outside a figure recipe includes it. */
#ifndef OB_DRAW_H
#define OB_DRAW_H

#include <stddef.h>
#include <stdio.h>

#include "common/ob.h"
#include "common/path.h"
#include "plots/style.h"
#include "common/table.h"



/* A gnuplot script built in memory: the recipes write to f with fprintf and fputs
 * (open_memstream).  If the stream cannot be had, f writes nowhere and failed is set, so
 * the recipe runs to its end and gp_render reports OB_ENOMEM. */
typedef struct {
    FILE *f;
    char *text;   /* the script, after gp_finish ("" when it failed) */
    size_t len;
    int failed;
} gp_script;
void gp_begin(gp_script *s);
/* Closes the stream so that text holds the whole script. */
void gp_finish(gp_script *s);
/* Frees the script (again: nothing). */
void gp_free(gp_script *s);

/* Appends s as a gnuplot double-quoted string (quotes included). */
void gp_quoted(FILE *b, const char *s);
/* The common look: grid, border, a title (not enhanced: workload names keep their _). */
void gp_common(FILE *b, const char *title);
/* `set key ...` placed outside the plot on the right, boxed; or below it. */
void gp_key_right(FILE *b);
void gp_key_below(FILE *b, int columns);
/* Opens a data block: `$NAME << EOD`; close with gp_block_end. */
void gp_block_begin(FILE *b, const char *name);
void gp_block_end(FILE *b);
/* A number for a data block (17 digits; NaN as NaN, which gnuplot skips). */
void gp_num(FILE *b, double x);
/* The legend entry for an optimizer's style (a keyentry with its line and marker). */
void gp_style_spec(FILE *b, const ob_style *s, double lw);

/* Draws the script in b into png (w x h pixels; 0, 0: the default size) and frees b;
 * OB_ENOMEM when building the script ran out of memory. */
ob_status gp_render(gp_script *b, const char *png, int w, int h, ob_error *err);


/* ---- layout: sizes computed from the text a figure holds ---------------------------- */

/* Pixels per point of a figure's text: pngcairo sets type at 96 dpi (pango's resolution),
 * so 11 pt text is 14.7 pixels tall, and the svg terminal draws at that scale too. */
#define GP_PX_PER_PT (96.0 / 72.0)
/* The width in pixels of s (UTF-8) set in DejaVu Sans, the figures' font, at size pt: the
 * font's advance widths of the ASCII characters; any other character counts as wide as
 * 'M'.  Enhanced-text markup ({, }, ^, _) is counted as it stands: an estimate from
 * above. */
double gp_text_px(const char *s, double pt);
/* The height in pixels of one line of text at size pt (the font's ascent plus descent). */
double gp_line_px(double pt);
/* s broken at blanks into lines (joined by "\n", gnuplot's line break in a string) of at
 * most width pixels each at size pt, written to out (cap bytes); a word longer than a line
 * stands alone.  Returns the number of lines. */
int gp_wrap(const char *s, double width, double pt, char *out, size_t cap);
/* A round tick step (1, 2 or 5 times a power of ten) that puts at most max_ticks ticks on
 * [lo, hi]; 0 when the range is empty or not finite. */
double gp_tick_step(double lo, double hi, int max_ticks);
/* The widest of the labels printf(fmt, k * step) for the ticks k * step in [lo, hi], in
 * pixels at size pt. */
double gp_ticks_px(double lo, double hi, double step, const char *fmt, double pt);

/* `set title` (after gp_common) for one plot with its legend at the right (gp_key_right)
 * on a canvas canvas_w pixels wide (or the --size in force), label_px the legend's widest
 * entry at 11 pt: the title broken into lines that fit above the plot, on which gnuplot
 * centres it (at the --font-size in force). */
void gp_title_over_plot(FILE *b, const char *title, int canvas_w, double label_px);
/* A legend as a plot of its own, without axes, filling the screen column [x0, x0 + w] x
 * [0, h] of a multiplot (gnuplot lets a key be as tall as its plot, so a long legend
 * beside small panels needs one): one column of at most rows entries from its top left.
 * Writes up to "plot NaN notitle"; the caller appends ", keyentry ... title '...'" per
 * entry and the newline.  Unsets what the panels before it set (title, labels, arrows,
 * log scales, margins at screen). */
void gp_legend_panel(FILE *b, double x0, double w, double h, size_t rows);
/* The widest of the n labels at size pt, in pixels. */
double gp_labels_px(const char *const *labels, size_t n, double pt);

/* 10^floor(log10 x) and 10^ceil(log10 x) for x > 0. */
double ob_decade_down(double x);
double ob_decade_up(double x);

/* Reads dir/rel into t, prefixing errors with nothing more (the path is in them). */
/* Finds the columns names[0..n) of t, or fails with OB_EDATA naming the first missing. */
ob_status ob_need_cols(const ob_table *t, const char *path, const char *const *names, int *cols,
                       size_t n, ob_error *err);

#endif
