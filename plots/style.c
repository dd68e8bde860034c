/* style.c - the fixed optimizer styles (see style.h).  The colours started from
 * matplotlib's tab10 and were moved, where two came closer than CIE76 dE 35, to the
 * nearest colour (in L*a*b*) that is at least that far from the others already placed
 * and at least 32 from white and from the shading's darkest fill (OB_SHADE_DARK); the
 * closest pair is momentum/radam at dE 35.6.  gd is black, the most visible on any
 * shading.  Point types are distinct except lion's and gsl-cg's plus, which differ in
 * dash; dash-dot lines separate the pairs that a protanope, deuteranope or tritanope sees
 * alike (simulated with Machado et al. 2009: momentum/rmsprop, adam/adagrad,
 * adagrad/rprop, rprop/lion, sgd/adamax), and GSL's reference minimizers are dashed.
 * tests/test_style.c checks every distance. */
#include "plots/style.h"

#include "common/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const ob_style styles[] = {
    {"gd", "#000000", 4, 1},        /* black, open square */
    {"sgd", "#8c564b", 6, 1},       /* brown, open circle */
    {"momentum", "#1f77b4", 8, 1},  /* blue, open triangle */
    {"nag", "#17becf", 10, 1},      /* cyan, open inverted triangle */
    {"rprop", "#ff7f0e", 12, 1},    /* orange, open diamond */
    {"adagrad", "#2ca02c", 5, 4},   /* green, filled square, dash-dot */
    {"rmsprop", "#9467bd", 7, 4},   /* purple, filled circle, dash-dot */
    {"adam", "#d62728", 9, 1},      /* red, filled triangle */
    {"adamw", "#e7298a", 11, 1},    /* magenta, filled inverted triangle */
    {"nadam", "#665d12", 13, 1},    /* dark olive, filled diamond */
    {"radam", "#2d2a60", 15, 1},    /* navy, filled pentagon */
    {"adamax", "#4e8d5a", 14, 5},   /* sea green, open pentagon, dash-dot-dot */
    {"adadelta", "#81245a", 3, 1},  /* plum, star */
    {"lion", "#a5a51b", 1, 5},      /* yellow-olive, plus, dash-dot-dot */
    {"gsl-bfgs", "#455d60", 2, 2},  /* slate, cross, dashed */
    {"gsl-cg", "#f390c3", 1, 2},    /* pink, plus, dashed */
};
#define N_STYLES (sizeof styles / sizeof *styles)

/* for names outside the table (plugins): each at least dE 31 from every colour above and
 * from each other, with a (point, dash) pair that no fixed style has */
static const ob_style spare[] = {
    {NULL, "#003c1b", 4, 4},  /* dark green */
    {NULL, "#b77b06", 6, 4},  /* ochre */
    {NULL, "#b7b172", 8, 4},  /* khaki */
    {NULL, "#5a03c9", 10, 4}, /* violet */
    {NULL, "#750000", 12, 4}, /* maroon */
    {NULL, "#9981a2", 9, 5},  /* mauve */
    {NULL, "#2a8dff", 11, 5}, /* bright blue */
    {NULL, "#ea7e57", 13, 5}, /* salmon */
};
#define N_SPARE (sizeof spare / sizeof *spare)

static int index_of(const char *name)
{
    for (size_t k = 0; k < N_STYLES; k++)
        if (strcmp(styles[k].name, name) == 0) return (int)k;
    return -1;
}

ob_style ob_style_of(const char *name)
{
    int k = index_of(name);
    if (k >= 0) return styles[k];
    unsigned long h = 5381; /* djb2 */
    for (const char *c = name; *c; c++) h = h * 33 + (unsigned char)*c;
    ob_style s = spare[h % N_SPARE];
    s.name = name;
    return s;
}

int ob_style_fixed(const char *name)
{
    return index_of(name) >= 0;
}

size_t ob_style_spares(const ob_style **out)
{
    *out = spare;
    return N_SPARE;
}

int ob_style_cmp(const char *a, const char *b)
{
    int ia = index_of(a), ib = index_of(b);
    if (ia < 0) ia = (int)N_STYLES;
    if (ib < 0) ib = (int)N_STYLES;
    return ia != ib ? ia - ib : strcmp(a, b);
}

static int cmp_names(const void *a, const void *b)
{
    return ob_style_cmp(*(const char *const *)a, *(const char *const *)b);
}

void ob_style_sort(const char **names, size_t n)
{
    qsort(names, n, sizeof *names, cmp_names);
}

/* ColorBrewer's Dark2: its closest pair (yellow, tan) is dE 31.6 apart */
static const char *const series[] = {"#000000", "#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                                     "#66a61e", "#e6ab02", "#a6761d"};

const char *ob_series_color(size_t k)
{
    return series[k % OB_N_SERIES_COLORS];
}

void ob_color_tint(const char *color, double t, char out[8])
{
    unsigned long v = strtoul(color + 1, NULL, 16);
    int c[3] = {(int)(v >> 16) & 255, (int)(v >> 8) & 255, (int)v & 255};
    for (int i = 0; i < 3; i++) c[i] = (int)(c[i] + t * (255 - c[i]) + 0.5);
    snprintf(out, 8, "#%02x%02x%02x", c[0], c[1], c[2]);
}

size_t ob_optimizers_of(const ob_table *t, int col, const char **out, size_t cap)
{
    size_t n = ob_table_distinct(t, col, out, cap);
    ob_style_sort(out, n);
    return n;
}
