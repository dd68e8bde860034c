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


/* 10^floor(log10 x) and 10^ceil(log10 x) for x > 0. */
double ob_decade_down(double x);
double ob_decade_up(double x);

/* Reads dir/rel into t, prefixing errors with nothing more (the path is in them). */
/* Finds the columns names[0..n) of t, or fails with OB_EDATA naming the first missing. */
ob_status ob_need_cols(const ob_table *t, const char *path, const char *const *names, int *cols,
                       size_t n, ob_error *err);

#endif
