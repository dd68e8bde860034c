/* draw.c - helpers shared by the plot recipes (see draw.h). */
#include "plots/draw.h"
#include "plots/gnuplot.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>



void gp_quoted(FILE *b, const char *s)
{
    fputs("\"", b);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputs("\\", b);
        if (*s == '\n') {
            fputs("\\n", b);
            continue;
        }
        char c[2] = {*s, 0};
        fputs(c, b);
    }
    fputs("\"", b);
}

void gp_common(FILE *b, const char *title)
{
    fputs("set grid xtics ytics lc rgb '#d9d9d9' lw 1 dt 1\n"
                    "set border 3 lc rgb '#333333'\n"
                    "set tics nomirror out\n"
                    "set title ", b);
    gp_quoted(b, title);
    fputs(" noenhanced font ',13'\n", b);
}

void gp_key_right(FILE *b)
{
    fputs("set key outside right top vertical Left reverse samplen 3 spacing 1.2 "
                    "box lc rgb '#aaaaaa' width 2\n", b);
}

void gp_key_below(FILE *b, int columns)
{
    fprintf(b, "set key outside below center horizontal maxcols %d Left reverse samplen 3 "
                      "box lc rgb '#aaaaaa' width 1\n", columns);
}

void gp_block_begin(FILE *b, const char *name) { fprintf(b, "$%s << EOD\n", name); }
void gp_block_end(FILE *b) { fputs("EOD\n", b); }

void gp_num(FILE *b, double x)
{
    if (isnan(x))
        fputs("NaN", b);
    else if (isinf(x))
        fputs(x > 0 ? "1e308" : "-1e308", b);
    else
        fprintf(b, "%.10g", x);
}

void gp_style_spec(FILE *b, const ob_style *s, double lw)
{
    fprintf(b, "lc rgb '%s' lw %g dt %d pt %d ps 1.2", s->color, lw, s->dash, s->point);
}




double ob_decade_down(double x) { return pow(10, floor(log10(x) + 1e-9)); }
double ob_decade_up(double x) { return pow(10, ceil(log10(x) - 1e-9)); }


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

void gp_begin(gp_script *s)
{
    memset(s, 0, sizeof *s);
    s->f = open_memstream(&s->text, &s->len);
    if (!s->f) {
        s->failed = 1;
        s->f = fopen("/dev/null", "w");
    }
}

void gp_finish(gp_script *s)
{
    if (!s->f) return;
    if (ferror(s->f)) s->failed = 1;
    if (fclose(s->f) != 0) s->failed = 1;
    s->f = NULL;
    if (s->failed || !s->text) {
        free(s->text);
        s->text = strdup("");
        s->failed = 1;
    }
}

void gp_free(gp_script *s)
{
    gp_finish(s);
    free(s->text);
    memset(s, 0, sizeof *s);
}

ob_status gp_render(gp_script *b, const char *png, int w, int h, ob_error *err)
{
    gp_finish(b);
    ob_status s = b->failed || !b->text ? ob_fail(err, OB_ENOMEM, "out of memory")
                  : w > 0 ? ob_gnuplot_png_size(png, w, h, b->text, err)
                          : ob_gnuplot_png(png, b->text, err);
    gp_free(b);
    return s;
}
