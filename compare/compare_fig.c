/* compare_fig.c - `optbench compare`'s overlaid curves (compare.h): per workload, every
 * common pair's median curve from each directory, one colour per optimizer (plots/
 * style.h, as in the bench's figures) and one dash type per directory (A solid, B
 * dashed, C dotted, ...), drawn by gnuplot through the plots/ helpers. */
#include <math.h>
#include <string.h>

#include "plots/draw.h"
#include "plots/gnuplot.h"
#include "compare/compare.h"

#define MAX_POINTS 1500 /* per line: more than a 960-pixel-wide figure can show */

/* the common pairs of workload w (optimizer names into opt), in canonical order */
static size_t common_optimizers(const ob_cmp_dir *d, size_t nd, const char *w,
                                const char **opt, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < d[0].n && n < cap; i++)
        if (!strcmp(d[0].p[i].w, w) && ob_cmp_common(d, nd, w, d[0].p[i].o)) opt[n++] = d[0].p[i].o;
    ob_style_sort(opt, n);
    return n;
}

ob_status ob_cmp_figure(const ob_cmp_dir *d, size_t nd, const char *w, const char *png,
                        ob_error *err)
{
    const char *opt[OB_MAX_SERIES];
    size_t no = common_optimizers(d, nd, w, opt, OB_MAX_SERIES);
    if (no == 0) return ob_fail(err, OB_EDATA, "%s: no common pair to draw", w);
    int net = ob_cmp_find(&d[0], w, opt[0])->net;
    double lo = INFINITY, hi = 0;
    gp_script b;
    gp_begin(&b);
    for (size_t k = 0; k < nd; k++)
        for (size_t o = 0; o < no; o++) {
            const ob_cmp_pair *P = ob_cmp_find(&d[k], w, opt[o]);
            size_t stride = P->cn > MAX_POINTS ? (P->cn + MAX_POINTS - 1) / MAX_POINTS : 1;
            fprintf(b.f, "$D%zu_%zu << EOD\n", k, o);
            for (size_t i = 0; i < P->cn; i++) {
                if (i % stride && i + 1 != P->cn) continue;
                double y = P->cy[i];
                if (!net && isfinite(y) && y > 0) {
                    lo = y < lo ? y : lo;
                    hi = y > hi ? y : hi;
                }
                gp_num(b.f, P->cx[i]);
                fputs(" ", b.f);
                gp_num(b.f, !net && !(y > 0) ? NAN : y); /* log axis: zero gaps not drawn */
                fputs("\n", b.f);
            }
            gp_block_end(b.f);
        }
    char title[512], dirs[128] = "";
    static const char *const dash[] = {"solid", "dashed", "dotted", "dash-dot"};
    for (size_t k = 0; k < nd; k++)
        snprintf(dirs + strlen(dirs), sizeof dirs - strlen(dirs), "%s%s %s", k ? ", " : "",
                 d[k].label, k < 4 ? dash[k] : "dash type");
    snprintf(title, sizeof title, "%s: %s", w, dirs);
    gp_common(b.f, title);
    gp_key_right(b.f);
    if (net)
        fputs("set xlabel \"epoch\"\nset ylabel \"best validation accuracy so far (median)\"\n", b.f);
    else {
        if (!(hi > 0)) lo = 1e-12, hi = 1;
        double floor_ = ob_decade_down(lo), top = ob_decade_up(hi * 1.5);
        if (floor_ < top * 1e-20) floor_ = top * 1e-20;
        fprintf(b.f, "set logscale y\nset format y '10^{%%L}'\nset yrange [%g:%g]\n"
                     "set xlabel \"steps (parameter updates)\"\n"
                     "set ylabel \"loss gap f(x) - f* (median across seeds)\"\n",
                floor_, top > floor_ ? top : floor_ * 10);
    }
    fputs("plot ", b.f);
    for (size_t k = 0; k < nd; k++)
        for (size_t o = 0; o < no; o++) {
            /* the optimizer's colour, the directory's dash type */
            fprintf(b.f, "%s$D%zu_%zu using 1:2 with lines lc rgb '%s' lw 2 dt %zu",
                    k + o ? ", \\\n  " : "", k, o, ob_style_of(opt[o]).color, k + 1);
            char t[128];
            snprintf(t, sizeof t, "%s (%s)", opt[o], d[k].label);
            fputs(" title ", b.f);
            gp_quoted(b.f, t);
        }
    fputs("\n", b.f);
    return gp_render(&b, png, 0, 0, err);
}
