/* draw.c - helpers shared by the plot recipes (see draw.h). */
#include "plots/draw.h"
#include "plots/figopts.h"
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

/* ---- layout ------------------------------------------------------------------------- */

/* DejaVu Sans's advance widths of ' ' .. '~', in thousandths of an em (measured in
 * Chromium; the same font files as gnuplot's cairo terminals) */
static const unsigned short dejavu_sans[95] = {
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
    575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
    611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
    278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838};

double gp_text_px(const char *s, double pt)
{
    double em = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 32 && *p < 127)
            em += dejavu_sans[*p - 32];
        else if ((*p & 0xc0) != 0x80) /* the first byte of a character outside ASCII */
            em += 863;
    }
    return em * pt * GP_PX_PER_PT / 1000;
}

double gp_line_px(double pt) { return 1.164 * pt * GP_PX_PER_PT; }

int gp_wrap(const char *s, double width, double pt, char *out, size_t cap)
{
    size_t k = 0;
    int lines = 1;
    double used = 0, space = gp_text_px(" ", pt);
    if (cap == 0) return 0;
    out[0] = '\0';
    int fresh = 1; /* at the start of a line */
    while (*s) {
        if (*s == ' ') {
            s++;
            continue;
        }
        if (*s == '\n') { /* a line break of the text itself */
            s++;
            if (k + 1 < cap) out[k++] = '\n';
            used = 0, fresh = 1, lines++;
            continue;
        }
        size_t n = strcspn(s, " \n");
        char word[1024];
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), s);
        double w = gp_text_px(word, pt);
        if (!fresh && used + space + w > width) {
            if (k + 1 < cap) out[k++] = '\n';
            used = 0, fresh = 1, lines++;
        }
        if (!fresh) {
            if (k + 1 < cap) out[k++] = ' ';
            used += space;
        }
        for (size_t i = 0; i < n && k + 1 < cap; i++) out[k++] = s[i];
        used += w, fresh = 0;
        s += n;
    }
    out[k] = '\0';
    return lines;
}

double gp_tick_step(double lo, double hi, int max_ticks)
{
    if (!isfinite(lo) || !isfinite(hi) || !(hi > lo) || max_ticks < 2) return 0;
    double raw = (hi - lo) / (max_ticks - 1), p = pow(10, floor(log10(raw)));
    static const double m[] = {1, 2, 5, 10};
    for (int i = 0; i < 4; i++) /* the smallest round step with at most max_ticks ticks */
        if (floor(hi / (m[i] * p) + 1e-9) - ceil(lo / (m[i] * p) - 1e-9) + 1 <= max_ticks)
            return m[i] * p;
    return 20 * p;
}

double gp_ticks_px(double lo, double hi, double step, const char *fmt, double pt)
{
    double w = 0;
    if (!(step > 0)) return 0;
    for (double k = ceil(lo / step - 1e-9); k <= floor(hi / step + 1e-9); k++) {
        char label[64];
        double v = k * step;
        snprintf(label, sizeof label, fmt, fabs(v) < step * 1e-9 ? 0.0 : v);
        w = fmax(w, gp_text_px(label, pt));
    }
    return w;
}

void gp_title_over_plot(FILE *b, const char *title, int canvas_w, double label_px)
{
    /* the plot spans the canvas less the y axis's labels (~80 px) and the legend (its
     * entries, their samples and box, ~70 px); the title, centred on it, may reach
     * a little over the y axis's labels */
    const ob_fig_options *o = ob_fig_options_get(); /* --size, --font-size */
    int w, h;
    ob_fig_canvas_pixels(o, canvas_w, 640, &w, &h);
    const double scale = ob_fig_font_points(o, 11) / 11;
    char wrapped[2048];
    gp_wrap(title, w - (label_px + 70) * scale, 13 * scale, wrapped, sizeof wrapped);
    fputs("set title ", b);
    gp_quoted(b, wrapped);
    fputs(" noenhanced font ',13'\n", b);
}

double gp_labels_px(const char *const *labels, size_t n, double pt)
{
    double w = 0;
    for (size_t k = 0; k < n; k++) w = fmax(w, gp_text_px(labels[k], pt));
    return w;
}

void gp_legend_panel(FILE *b, double x0, double w, double h, size_t rows)
{
    fprintf(b, "unset title\nunset arrow\nunset label\nunset xlabel\nunset ylabel\n"
               "unset logscale\nunset border\nunset tics\nunset grid\n"
               "set origin %.6f, 0\nset size %.6f, %.6f\n"
               "set lmargin 0\nset rmargin 0\nset tmargin 0\nset bmargin 0\n"
               "set xrange [0:1]\nset yrange [0:1]\n"
               "set key at graph 0.02, graph 0.98 left top Left reverse samplen 3 spacing 1.3 "
               "box lc rgb '#aaaaaa' width 1 maxrows %zu\nplot NaN notitle",
            x0, w, h, rows);
}
