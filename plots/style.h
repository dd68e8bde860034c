/* style.h - one colour, marker and dash type per optimizer, the same in every figure,
 * and the order in which optimizers are listed (legends, tables). */
#ifndef OB_STYLE_H
#define OB_STYLE_H

#include <stddef.h>

#include "common/table.h"

#define OB_MAX_SERIES 32 /* optimizers (or schedules, activations) in one figure or table */

typedef struct {
    const char *name;   /* optimizer name as in the CSVs */
    const char *color;  /* '#rrggbb' */
    int point;          /* gnuplot point type (pngcairo) */
    int dash;           /* gnuplot dash type: 1 solid, 2 dashed (the GSL reference lines),
                           4 dash-dot, 5 dash-dot-dot (a second channel beside the colour) */
} ob_style;

/* The shading under paths (filled contours, plots/paths.h) runs from OB_SHADE_LIGHT
 * through OB_SHADE_MID to OB_SHADE_DARK; every optimizer colour is at least CIE76 dE 30
 * from the three and from white (tests/test_style.c). */
#define OB_SHADE_LIGHT "#fdfcf4"
#define OB_SHADE_MID "#e1eadf"
#define OB_SHADE_DARK "#c6d4e1"

/* The style of an optimizer; names outside the fixed table get one of a few spare styles
 * chosen by a hash of the name, so they too are stable across figures. */
ob_style ob_style_of(const char *name);

/* 1 when name has a style of its own (the built-in optimizers and GSL's references). */
int ob_style_fixed(const char *name);

/* The spare styles (their name NULL) into *out; returns how many. */
size_t ob_style_spares(const ob_style **out);

/* Position in the canonical order (the style table's, which follows the optimizer
 * registry); unknown names sort after them, by name. */
int ob_style_cmp(const char *a, const char *b);

/* Sorts n names in place into the canonical order. */
void ob_style_sort(const char **names, size_t n);

/* A colour for the k-th series of something that is not an optimizer (schedules,
 * regularization variants); they repeat after OB_N_SERIES_COLORS. */
#define OB_N_SERIES_COLORS 8
const char *ob_series_color(size_t k);

/* color ('#rrggbb') mixed with white by t in [0, 1] into out ('#rrggbb'): the lighter
 * shades of one optimizer's colour for several runs of it (the stability figure). */
void ob_color_tint(const char *color, double t, char out[8]);

/* The distinct optimizer names of column col of t, in canonical order; returns how many. */
size_t ob_optimizers_of(const ob_table *t, int col, const char **out, size_t cap);

#endif
