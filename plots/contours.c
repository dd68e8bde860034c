/* contours.c - contour lines traced once by gnuplot and shared (see contours.h). */
#include "plots/contours.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "common/interrupt.h"
#include "plots/draw.h"
#include "plots/gnuplot.h"

static char cache_dir[4096]; /* "" when no cache */

void ob_contours_cache(const char *dir)
{
    snprintf(cache_dir, sizeof cache_dir, "%s", dir ? dir : "");
}

void ob_contours_cache_clear(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4400];
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') unlink(ob_pathf(path, sizeof path, "%s/%s", dir, e->d_name));
    if (d) closedir(d);
    rmdir(dir);
}

int ob_contour_levels(const ob_zrange *zr, char *out, size_t cap)
{
    double first = ceil(zr->zlo / zr->dz - 1e-9) * zr->dz;
    size_t len = 0;
    int n = 0;
    out[0] = '\0';
    for (int k = 0; first + k * zr->dz <= zr->zhi + 1e-9 && len + 32 < cap; k++, n++)
        len += (size_t)snprintf(out + len, cap - len, "%s%.10g", n ? "," : "", first + k * zr->dz);
    return n;
}

/* traces the lines of grid (a $G data block) at levels into path, atomically */
static ob_status trace(const char *grid, const char *levels, const char *path, ob_error *err)
{
    static unsigned long serial; /* distinct temporary names for threads of one process */
    unsigned long me;
#pragma omp atomic capture
    me = ++serial;
    char tmp[4200], q[4400];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld.%lu", path, (long)getpid(), me);
    int held = ob_interrupt_track(tmp);
    gp_script b;
    gp_begin(&b);
    /* gnuplot's contouring of the piecewise-linear grid, linear segments between the
     * crossings (cntrparam linear); the surface itself is left out of the table */
    fprintf(b.f, "%sset table \"%s\"\nset contour base\nunset surface\nset cntrparam linear\n"
                 "set cntrparam levels discrete %s\nsplot $G using 1:2:3 with lines notitle\n"
                 "unset table\n",
            grid, ob_gnuplot_quote(tmp, q, sizeof q), levels);
    gp_finish(&b);
    ob_status s = b.failed ? ob_fail(err, OB_ENOMEM, "out of memory")
                           : ob_gnuplot_run(path, b.text, err);
    gp_free(&b);
    if (s == OB_OK && access(tmp, R_OK) != 0)
        s = ob_fail(err, OB_EIO, "gnuplot wrote no contour table %s", path);
    if (s == OB_OK && rename(tmp, path) != 0)
        s = ob_fail(err, OB_EIO, "cannot write %s: %s", path, strerror(errno));
    if (s != OB_OK) unlink(tmp);
    ob_interrupt_untrack(held);
    return s;
}

ob_status ob_contours_get(const ob_surface *s, const char *near, ob_contours *c,
                          ob_error *err)
{
    memset(c, 0, sizeof *c);
    gp_script g;
    gp_begin(&g);
    ob_status st = ob_surface_grid(g.f, s, OB_CONTOUR_GRID, 1, &c->zr, err);
    gp_finish(&g);
    if (st == OB_OK && g.failed) st = ob_fail(err, OB_ENOMEM, "out of memory");
    char levels[8192];
    if (st == OB_OK && ob_contour_levels(&c->zr, levels, sizeof levels) == 0)
        st = ob_fail(err, OB_EDATA, "%s: no contour level in the surface's range", s->name);
    if (st != OB_OK) {
        gp_free(&g);
        return st;
    }
    if (cache_dir[0]) { /* the key: the grid's text and the levels */
        uLong key = crc32(0L, Z_NULL, 0);
        key = crc32(key, (const Bytef *)g.text, (uInt)strlen(g.text));
        key = crc32(key, (const Bytef *)levels, (uInt)strlen(levels));
        ob_pathf(c->path, sizeof c->path, "%s/%08lx-%zu.dat", cache_dir, (unsigned long)key,
                 strlen(g.text));
    } else {
        static unsigned long serial;
        unsigned long me;
#pragma omp atomic capture
        me = ++serial;
        ob_pathf(c->path, sizeof c->path, "%s.contours.%ld.%lu", near, (long)getpid(), me);
        c->temporary = 1 + ob_interrupt_track(c->path);
    }
    if (c->temporary || access(c->path, R_OK) != 0) st = trace(g.text, levels, c->path, err);
    gp_free(&g);
    return st;
}

void ob_contours_release(ob_contours *c)
{
    if (c->temporary && c->path[0]) unlink(c->path);
    if (c->temporary) ob_interrupt_untrack(c->temporary - 1);
    c->temporary = 0;
    c->path[0] = '\0';
}

void ob_contours_clause(FILE *b, const char *path, const char *color, double lw)
{
    char q[8200];
    fprintf(b, "\"%s\" using 1:2 with lines lc rgb '%s' lw %g notitle",
            ob_gnuplot_quote(path, q, sizeof q), color, lw);
}

