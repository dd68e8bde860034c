/* style.c - the fixed optimizer styles (see style.h).  Colours are matplotlib's tab10,
 * dark enough to read as thin lines on white; GSL's reference minimizers are dashed. */
#include "plots/style.h"

#include "common/table.h"

#include <stdlib.h>
#include <string.h>

static const ob_style styles[] = {
    {"gd", "#7f7f7f", 4, 1},        /* grey, open square */
    {"sgd", "#8c564b", 6, 1},       /* brown, open circle */
    {"momentum", "#1f77b4", 8, 1},  /* blue, open triangle */
    {"nag", "#17becf", 10, 1},      /* cyan, open inverted triangle */
    {"rprop", "#ff7f0e", 12, 1},    /* orange, open diamond */
    {"adagrad", "#2ca02c", 5, 1},   /* green, filled square */
    {"rmsprop", "#9467bd", 7, 1},   /* purple, filled circle */
    {"adam", "#d62728", 9, 1},      /* red, filled triangle */
    {"adamw", "#ad494a", 11, 1},    /* dark rose, filled inverted triangle */
    {"nadam", "#8c6d31", 13, 1},    /* dark gold, filled diamond */
    {"radam", "#5254a3", 15, 1},    /* indigo, filled pentagon */
    {"adamax", "#637939", 14, 1},   /* olive green, open pentagon */
    {"adadelta", "#7b4173", 3, 1},  /* plum, star */
    {"lion", "#e6550d", 1, 1},      /* dark orange, plus */
    {"gsl-bfgs", "#000000", 2, 2},  /* black, cross, dashed */
    {"gsl-cg", "#e377c2", 1, 2},    /* pink, plus, dashed */
};
#define N_STYLES (sizeof styles / sizeof *styles)

static const ob_style spare[] = {
    {NULL, "#bcbd22", 11, 1}, {NULL, "#393b79", 13, 1}, {NULL, "#637939", 3, 1},
    {NULL, "#843c39", 11, 2}, {NULL, "#7b4173", 13, 2},
};

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
    ob_style s = spare[h % (sizeof spare / sizeof *spare)];
    s.name = name;
    return s;
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

const char *ob_series_color(size_t k)
{
    static const char *const c[] = {"#000000", "#1b9e77", "#d95f02", "#7570b3", "#e7298a",
                                    "#66a61e", "#e6ab02", "#a6761d"};
    return c[k % (sizeof c / sizeof *c)];
}

size_t ob_optimizers_of(const ob_table *t, int col, const char **out, size_t cap)
{
    size_t n = ob_table_distinct(t, col, out, cap);
    ob_style_sort(out, n);
    return n;
}
