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
    int dash;           /* gnuplot dash type: 1 solid, 2 dashed (the GSL reference lines) */
} ob_style;

/* The style of an optimizer; names outside the fixed table get one of a few spare styles
 * chosen by a hash of the name, so they too are stable across figures. */
ob_style ob_style_of(const char *name);

/* Position in the canonical order (the style table's, which follows the optimizer
 * registry); unknown names sort after them, by name. */
int ob_style_cmp(const char *a, const char *b);

/* Sorts n names in place into the canonical order. */
void ob_style_sort(const char **names, size_t n);

/* A colour for the k-th series of something that is not an optimizer (schedules,
 * regularization variants). */
const char *ob_series_color(size_t k);

/* The distinct optimizer names of column col of t, in canonical order; returns how many. */
size_t ob_optimizers_of(const ob_table *t, int col, const char **out, size_t cap);

#endif
