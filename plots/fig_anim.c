/* fig_anim.c - the moving figures of the 2-D surfaces: an animated GIF of the paths
 * (gnuplot's `set terminal gif animate`, one plot command a frame) and the 3-D surface
 * with the paths lying on it (see paths.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/outfile.h"
#include "plots/contours.h"
#include "plots/draw.h"
#include "plots/gnuplot.h"
#include "plots/paths.h"

#define GRID_3D 61 /* a pm3d quad per cell: finer turns to moire and megabytes of SVG */
#define ANIM_DELAY 10 /* hundredths of a second a frame */
#define POSTER_SIZE 640 /* pixels: the last frame as a PNG, the page's thumbnail of the GIF */

static int inside(const double box[4], double x, double y)
{
    return x >= box[0] && x <= box[1] && y >= box[2] && y <= box[3];
}

/* frame j: every highlighted path up to step lim, its head as a filled circle */
static void frame(FILE *b, const ob_surface *sf, const ob_paths *ps, long lim, long last, size_t j, size_t nf, int curve)
{
    fputs("$H << EOD\n", b);
    size_t heads = 0, starts = 0;
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        size_t i = 0;
        while (i + 1 < p->n && p->step[i + 1] <= (double)lim) i++;
        starts += p->n && inside(sf->box, p->x[0], p->y[0]);
        if (p->highlight && p->n && inside(sf->box, p->x[i], p->y[i]) && ++heads)
            fprintf(b, "%.10g %.10g %ld\n", p->x[i], p->y[i],
                    strtol((p->color ? p->color : ob_style_of(p->optimizer).color) + 1, NULL, 16));
    }
    fputs("EOD\n", b);
    /* the frame's number too: frames that repeat a step (a short run) stay distinct,
     * which libgd's optimization would otherwise merge */
    /* one label in a corner: the frames differ there and along the paths only, which
     * keeps libgd's frame optimization (a frame stores the rectangle that changed) small */
    fprintf(b, "set label 1 'step %ld of %ld%s (frame %zu/%zu)' at graph 0.02, graph 0.96 "
               "front font ',11' tc rgb '#000000' boxed\n", lim, last,
            j + 1 == nf && lim < last ? ": no path moves after" : "", j + 1, nf);
    fputs("plot $G using 1:2:3 with image notitle", b);
    if (curve) fprintf(b, ", \\\n  $M using 1:2 with lines lc rgb '%s' lw 4 notitle", OB_MINSET_COLOR);
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        if (!p->highlight) continue;
        ob_style st = ob_style_of(p->optimizer);
        if (p->color) st.color = p->color;
        fprintf(b, ", \\\n  $P%zu using 1:($3 <= %ld ? $2 : NaN) with lines lc rgb '%s' lw 2 "
                   "dt %d title ", k, lim, st.color, st.dash);
        gp_quoted(b, p->label[0] ? p->label : p->optimizer);
    }
    if (heads) fputs(", \\\n  $H using 1:2:3 with points pt 7 ps 1.6 lc rgb variable notitle", b);
    if (starts) fputs(", \\\n  $S using 1:2 with points pt 6 ps 1.1 lw 1.5 lc rgb '#000000' notitle", b);
    if (sf->has_star && inside(sf->box, sf->star[0], sf->star[1]))
        fprintf(b, ", \\\n  '+' using (%.10g):(%.10g) every ::0::0 with points pt 3 ps 3 lw 2 "
                   "lc rgb '#000000' notitle", sf->star[0], sf->star[1]);
    fputs("\n", b);
}

ob_status ob_draw_animation(const ob_surface *sf, const ob_paths *ps, const char *title,
                            const char *out, ob_error *err)
{
    long lim[OB_ANIM_MAX_FRAMES];
    /* the frames end when nothing moves any more (at least one logged step on) */
    size_t nf = ob_anim_frames(ps, ob_anim_still(ps, sf->box), lim, OB_ANIM_MAX_FRAMES);
    if (nf == 0) return ob_fail(err, OB_EDATA, "%s: no logged steps to animate", out);
    gp_script b;
    ob_zrange zr;
    gp_begin(&b);
    ob_status s = ob_surface_grid(b.f, sf, OB_SHADE_GRID, 1, &zr, err);
    if (s != OB_OK) {
        gp_free(&b);
        return s;
    }
    ob_paths_blocks(b.f, ps, sf->box, 240);
    int curve = ob_surface_minimizer_block(b.f, sf, 0, 0); /* the minimizers, when a curve */
    long last = lim[nf - 1]; /* the runs' last logged step */
    for (size_t k = 0; k < ps->n; k++)
        for (size_t i = 0; ps->v[k].highlight && i < ps->v[k].n; i++)
            if (isfinite(ps->v[k].step[i]) && ps->v[k].step[i] > (double)last)
                last = (long)ps->v[k].step[i];
    gp_common(b.f, title);
    gp_key_below(b.f, 6);
    ob_surface_axes(b.f, sf, &zr);
    fputs("unset colorbox\n", b.f);
    /* the poster: the same script with the last frame alone, OUT less .gif + .poster.png
     * (report/inline.c makes the page's thumbnail of the animation from it: the GIF
     * itself, inlined, was half of index.html) */
    gp_script pb;
    gp_begin(&pb);
    if (fflush(b.f) == 0 && b.text) fwrite(b.text, 1, b.len, pb.f);
    frame(pb.f, sf, ps, lim[nf - 1], last, nf - 1, nf, curve);
    gp_finish(&pb);
    for (size_t j = 0; j < nf; j++) frame(b.f, sf, ps, lim[j], last, j, nf, curve);
    gp_finish(&b);
    s = b.failed ? ob_fail(err, OB_ENOMEM, "out of memory")
                 : ob_gnuplot_gif(out, 640, 640, ANIM_DELAY, b.text, err);
    char poster[4200];
    size_t len = strlen(out);
    if (s == OB_OK && !pb.failed && len > 4 && !strcmp(out + len - 4, ".gif") &&
        !ob_out_in_place(out) && len + 8 < sizeof poster) {
        snprintf(poster, sizeof poster, "%.*s.poster.png", (int)(len - 4), out);
        s = ob_gnuplot_png_size(poster, POSTER_SIZE, POSTER_SIZE, pb.text, err);
    }
    gp_free(&pb);
    gp_free(&b);
    return s;
}

ob_status ob_draw_surface3d(const ob_surface *sf, const ob_paths *ps, const char *title,
                            const char *out, ob_error *err)
{
    /* a linear z shows the shape (the saddle's); when most of the grid sits decades
     * below the peak, a log z shows the valley instead of a flat sheet and a wall */
    gp_script scratch, b;
    ob_zrange zr;
    gp_begin(&scratch);
    ob_status s = ob_surface_grid(scratch.f, sf, GRID_3D, 0, &zr, err);
    gp_free(&scratch);
    if (s != OB_OK) return s;
    int logz = zr.low_frac > 0.5;
    gp_begin(&b);
    if ((s = ob_surface_grid(b.f, sf, GRID_3D, logz, &zr, err)) != OB_OK) {
        gp_free(&b);
        return s;
    }
    for (size_t k = 0; k < ps->n; k++) { /* the paths at their height f - f* */
        const ob_path *p = &ps->v[k];
        fprintf(b.f, "$P%zu << EOD\n", k);
        size_t stride = p->n > 600 ? p->n / 600 : 1;
        for (size_t i = 0; p->highlight && i < p->n; i++) {
            if ((i % stride && i + 1 != p->n) || !inside(sf->box, p->x[i], p->y[i])) continue;
            double gap = p->loss[i] - zr.fstar;
            double z = logz ? (gap > 0 ? fmax(log10(gap), zr.zlo) : zr.zlo) : gap;
            if (isfinite(z)) fprintf(b.f, "%.10g %.10g %.10g\n", p->x[i], p->y[i], z);
        }
        gp_block_end(b.f);
    }
    /* the minimizers, when a curve, at gap 0: the bottom of the z range */
    int curve = ob_surface_minimizer_block(b.f, sf, zr.zlo, 1);
    gp_common(b.f, title);
    const char *zl = logz ? "f - f* (log scale)" : "f - f*";
    fprintf(b.f, "set border 31 lc rgb '#555555'\nset grid xtics ytics ztics\n"
                 "set view 58, 32, 1, 1.05\nset xyplane relative 0.05\n"
                 "set xrange [%.10g:%.10g]\nset yrange [%.10g:%.10g]\n"
                 "set xlabel 'x_1'\nset ylabel 'x_2'\nset tics mirror in\n"
                 "set zlabel \"%s\" rotate parallel offset -2,0\n%s"
                 "set pm3d at s depthorder border lc rgb '#606060' lw 0.3\n"
                 "set palette defined (0 '#440154', 0.25 '#3b528b', 0.5 '#21918c', "
                 "0.75 '#5ec962', 1 '#fde725')\n"
                 "set cblabel \"%s\" offset 2.5,0\n",
            sf->box[0], sf->box[1], sf->box[2], sf->box[3], zl,
            logz ? "set format z '10^{%.0f}'\nset format cb '10^{%.0f}'\n"
                 : "set format z '%g'\nset format cb '%g'\n", zl);
    /* two layers with the same view, ranges and key: the surface, then the paths on top
     * of it (pm3d's depth sorting would bury a path lying on the surface) */
    fprintf(b.f, "set zrange [%.10g:%.10g]\nset cbrange [%.10g:%.10g]\n", zr.zlo, zr.zhi,
            zr.zlo, zr.zhi);
    gp_key_below(b.f, 6);
    gp_script keys;
    gp_begin(&keys);
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        if (!p->highlight) continue;
        ob_style st = ob_style_of(p->optimizer);
        if (p->color) st.color = p->color;
        fprintf(keys.f, ", \\\n  keyentry with lines lc rgb '%s' lw 2.5 dt %d title ", st.color,
                st.dash);
        gp_quoted(keys.f, p->label[0] ? p->label : p->optimizer);
    }
    if (curve)
        fprintf(keys.f, ", \\\n  keyentry with lines lc rgb '%s' lw 5 title 'minimizers (a curve)'",
                OB_MINSET_COLOR);
    gp_finish(&keys);
    fprintf(b.f, "set multiplot\nsplot $G using 1:2:3 with pm3d notitle%s\n"
                 "unset colorbox\nunset pm3d\nsplot 1/0 notitle%s", keys.text, keys.text);
    gp_free(&keys);
    for (size_t k = 0; k < ps->n; k++) {
        const ob_path *p = &ps->v[k];
        if (!p->highlight) continue;
        ob_style st = ob_style_of(p->optimizer);
        if (p->color) st.color = p->color;
        fprintf(b.f, ", \\\n  $P%zu using 1:2:3 with lines lc rgb '%s' lw 2.5 dt %d notitle", k,
                st.color, st.dash);
    }
    if (curve) fprintf(b.f, ", \\\n  $M using 1:2:3 with lines lc rgb '%s' lw 5 notitle", OB_MINSET_COLOR);
    fputs("\nunset multiplot\n", b.f);
    return gp_render(&b, out, 960, 760, err);
}
