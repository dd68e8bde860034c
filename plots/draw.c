/* draw.c - helpers shared by the plot recipes (see draw.h). */
#include "plots/draw.h"
#include "plots/gnuplot.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

char *ob_pathf(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return out;
}

int ob_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void gp_quoted(ob_sbuf *b, const char *s)
{
    ob_sbuf_puts(b, "\"");
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') ob_sbuf_puts(b, "\\");
        if (*s == '\n') {
            ob_sbuf_puts(b, "\\n");
            continue;
        }
        char c[2] = {*s, 0};
        ob_sbuf_puts(b, c);
    }
    ob_sbuf_puts(b, "\"");
}

void gp_common(ob_sbuf *b, const char *title)
{
    ob_sbuf_puts(b, "set grid xtics ytics lc rgb '#d9d9d9' lw 1 dt 1\n"
                    "set border 3 lc rgb '#333333'\n"
                    "set tics nomirror out\n"
                    "set title ");
    gp_quoted(b, title);
    ob_sbuf_puts(b, " noenhanced font ',13'\n");
}

void gp_key_right(ob_sbuf *b)
{
    ob_sbuf_puts(b, "set key outside right top vertical Left reverse samplen 3 spacing 1.2 "
                    "box lc rgb '#aaaaaa' width 2\n");
}

void gp_key_below(ob_sbuf *b, int columns)
{
    ob_sbuf_printf(b, "set key outside below center horizontal maxcols %d Left reverse samplen 3 "
                      "box lc rgb '#aaaaaa' width 1\n", columns);
}

void gp_block_begin(ob_sbuf *b, const char *name) { ob_sbuf_printf(b, "$%s << EOD\n", name); }
void gp_block_end(ob_sbuf *b) { ob_sbuf_puts(b, "EOD\n"); }

void gp_num(ob_sbuf *b, double x)
{
    if (isnan(x))
        ob_sbuf_puts(b, "NaN");
    else if (isinf(x))
        ob_sbuf_puts(b, x > 0 ? "1e308" : "-1e308");
    else
        ob_sbuf_printf(b, "%.10g", x);
}

void gp_style_spec(ob_sbuf *b, const ob_style *s, double lw)
{
    ob_sbuf_printf(b, "lc rgb '%s' lw %g dt %d pt %d ps 1.2", s->color, lw, s->dash, s->point);
}

size_t ob_table_distinct(const ob_table *t, int col, const char **out, size_t cap)
{
    size_t n = 0;
    if (col < 0) return 0;
    const char *last = NULL;
    for (size_t i = 0; i < t->rows; i++) {
        const char *v = ob_table_str(t, i, col);
        if (last && strcmp(v, last) == 0) continue; /* runs of one value are the rule */
        last = v;
        size_t k = 0;
        while (k < n && strcmp(out[k], v) != 0) k++;
        if (k < n) continue;
        if (n == cap) break; /* full: the first cap values are kept */
        out[n++] = v;
    }
    return n;
}

size_t ob_rows_where(const ob_table *t, int col, const char *val, size_t *idx, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < t->rows && n < cap; i++)
        if (strcmp(ob_table_str(t, i, col), val) == 0) idx[n++] = i;
    return n;
}

size_t ob_optimizers_of(const ob_table *t, int col, const char **out, size_t cap)
{
    size_t n = ob_table_distinct(t, col, out, cap);
    ob_style_sort(out, n);
    return n;
}

double ob_decade_down(double x) { return pow(10, floor(log10(x) + 1e-9)); }
double ob_decade_up(double x) { return pow(10, ceil(log10(x) - 1e-9)); }

ob_status ob_read_table(const char *dir, const char *rel, ob_table *t, ob_error *err)
{
    char path[4096];
    ob_pathf(path, sizeof path, "%s/%s", dir, rel);
    return ob_table_read(path, t, err);
}

ob_status ob_need_cols(const ob_table *t, const char *path, const char *const *names, int *cols,
                       size_t n, ob_error *err)
{
    for (size_t k = 0; k < n; k++) {
        cols[k] = ob_table_col(t, names[k]);
        if (cols[k] < 0)
            return ob_fail(err, OB_EDATA, "%s: no column '%s' (see results/README.md)", path,
                           names[k]);
    }
    return OB_OK;
}

ob_status gp_render(ob_sbuf *b, const char *png, int w, int h, ob_error *err)
{
    ob_status s = b->failed ? ob_fail(err, OB_ENOMEM, "out of memory")
                  : w > 0 ? ob_gnuplot_png_size(png, w, h, ob_sbuf_str(b), err)
                          : ob_gnuplot_png(png, ob_sbuf_str(b), err);
    ob_sbuf_free(b);
    return s;
}
