/* figopts.c - the figure options of a drawing session and their parsers (see figopts.h). */
#include "plots/figopts.h"

#include "plots/style.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ob_fig_formats[] = {"png", "svg", "pdf", "tex", NULL};

/* the session's options: written by the command before drawing starts, read by recipes */
static ob_fig_options current;

const ob_fig_options *ob_fig_options_get(void) { return &current; }

void ob_fig_options_set(const ob_fig_options *o)
{
    if (o)
        current = *o;
    else
        memset(&current, 0, sizeof current);
}

int ob_fig_options_wants(const ob_fig_options *o, const char *optimizer)
{
    if (!o || o->n_optimizers == 0) return 1;
    for (size_t k = 0; k < o->n_optimizers; k++)
        if (strcmp(o->optimizers[k], optimizer) == 0) return 1;
    return 0;
}

int ob_fig_wants(const char *optimizer) { return ob_fig_options_wants(&current, optimizer); }

size_t ob_optimizers_drawn(const ob_table *t, int col, const char **out, size_t cap)
{
    size_t n = ob_optimizers_of(t, col, out, cap), kept = 0;
    for (size_t k = 0; k < n; k++)
        if (ob_fig_wants(out[k])) out[kept++] = out[k];
    return kept;
}

/* a finite number filling s[0..n), or 0 */
static int number(const char *s, size_t n, double *v)
{
    char buf[64], *end;
    if (n == 0 || n >= sizeof buf) return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (buf[0] == ' ' || buf[0] == '\t') return 0; /* strtod would skip it */
    *v = strtod(buf, &end);
    return *end == '\0' && isfinite(*v);
}

ob_status ob_fig_parse_optimizers(const char *opt, const char *s, ob_fig_options *o,
                                  ob_error *err)
{
    size_t n = 0;
    for (const char *p = s;; p++) {
        size_t len = strcspn(p, ",");
        if (len == 0) /* the message of every comma-separated option (cli/args.h) */
            return ob_fail(err, OB_EINVAL, "%s: '%s' has an empty element", opt, s);
        if (len >= OB_FIG_NAME_CAP)
            return ob_fail(err, OB_EINVAL, "%s: the name '%.*s' is too long (at most %d bytes)",
                           opt, (int)len, p, OB_FIG_NAME_CAP - 1);
        if (n == OB_FIG_MAX_OPTIMIZERS)
            return ob_fail(err, OB_EINVAL, "%s '%s': more than %d names", opt, s,
                           OB_FIG_MAX_OPTIMIZERS);
        memcpy(o->optimizers[n], p, len);
        o->optimizers[n][len] = '\0';
        for (size_t k = 0; k < n; k++)
            if (strcmp(o->optimizers[k], o->optimizers[n]) == 0)
                return ob_fail(err, OB_EINVAL, "%s '%s': %s is named twice", opt, s,
                               o->optimizers[n]);
        n++;
        p += len;
        if (*p == '\0') break;
    }
    o->n_optimizers = n;
    return OB_OK;
}

ob_status ob_fig_parse_box(const char *opt, const char *s, ob_fig_options *o, ob_error *err)
{
    double v[4];
    const char *p = s;
    size_t n = strlen(s);
    if (strcmp(s, "shared") == 0) {
        o->box_shared = 1;
        return OB_OK;
    }
    if (s[0] == ',' || (n && s[n - 1] == ',') || strstr(s, ",,"))
        return ob_fail(err, OB_EINVAL, "%s: '%s' has an empty element", opt, s);
    for (int k = 0; k < 4; k++) {
        size_t len = strcspn(p, ",");
        if (!number(p, len, &v[k]) || (k < 3 && p[len] != ',') || (k == 3 && p[len] != '\0'))
            return ob_fail(err, OB_EINVAL, "%s '%s': accepted: four numbers x0,x1,y0,y1 "
                           "with x0 < x1 and y0 < y1, or shared", opt, s);
        p += len + 1;
    }
    if (!(v[0] < v[1]) || !(v[2] < v[3]))
        return ob_fail(err, OB_EINVAL, "%s '%s': an empty box (%s); accepted: x0,x1,y0,y1 "
                       "with x0 < x1 and y0 < y1", opt, s, v[0] < v[1] ? "y0 >= y1" : "x0 >= x1");
    o->has_box = 1;
    o->x0 = v[0], o->x1 = v[1], o->y0 = v[2], o->y1 = v[3];
    return OB_OK;
}

ob_status ob_fig_parse_size(const char *opt, const char *s, ob_fig_options *o, ob_error *err)
{
    static const struct {
        const char *suffix;
        ob_fig_unit unit;
    } units[] = {{"px", OB_FIG_UNIT_PX}, {"in", OB_FIG_UNIT_IN}, {"cm", OB_FIG_UNIT_CM}};
    size_t n = strlen(s);
    ob_fig_unit unit = OB_FIG_UNIT_NONE;
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        if (n > 2 && strcmp(s + n - 2, units[k].suffix) == 0) unit = units[k].unit, n -= 2;
    const char *x = memchr(s, 'x', n);
    double w, h;
    if (!x || !number(s, (size_t)(x - s), &w) || !number(x + 1, n - (size_t)(x - s) - 1, &h))
        return ob_fail(err, OB_EINVAL, "%s '%s': accepted: WxH with an optional unit px, in or "
                       "cm (960x640, 3.3x2.5in, 8x6cm)", opt, s);
    int pixels = unit == OB_FIG_UNIT_PX;
    double most = unit == OB_FIG_UNIT_CM ? 254 : unit == OB_FIG_UNIT_IN ? 100 : 10000;
    if (!(w > 0) || !(h > 0) || w > most || h > most)
        return ob_fail(err, OB_EINVAL, "%s '%s': width and height must be > 0 and at most %g%s",
                       opt, s, most, unit == OB_FIG_UNIT_CM ? " cm" : unit == OB_FIG_UNIT_IN
                       ? " in" : "");
    if (pixels && (w != floor(w) || h != floor(h)))
        return ob_fail(err, OB_EINVAL, "%s '%s': pixels are whole numbers", opt, s);
    o->has_size = 1;
    o->width = w, o->height = h, o->unit = unit;
    return OB_OK;
}

ob_status ob_fig_parse_font_size(const char *opt, const char *s, ob_fig_options *o,
                                 ob_error *err)
{
    double v;
    if (!number(s, strlen(s), &v) || v < 4 || v > 72)
        return ob_fail(err, OB_EINVAL, "%s '%s': accepted: a size in points from 4 to 72", opt, s);
    o->font_size = v;
    return OB_OK;
}

ob_status ob_fig_parse_format(const char *opt, const char *s, ob_fig_options *o, ob_error *err)
{
    for (int k = 0; ob_fig_formats[k]; k++)
        if (strcmp(s, ob_fig_formats[k]) == 0) {
            snprintf(o->format, sizeof o->format, "%s", s);
            return OB_OK;
        }
    return ob_fail(err, OB_EINVAL, "%s: unknown value '%s' (accepted: png, svg, pdf, tex)", opt, s);
}

static int is_png(const ob_fig_options *o) { return !*o->format || !strcmp(o->format, "png"); }

ob_status ob_fig_check(const char *opt, const ob_fig_options *o, ob_error *err)
{
    if (!o->has_size) return OB_OK;
    const char *u = o->unit == OB_FIG_UNIT_IN ? "in" : o->unit == OB_FIG_UNIT_CM ? "cm" : "px";
    if (is_png(o) && (o->unit == OB_FIG_UNIT_IN || o->unit == OB_FIG_UNIT_CM))
        return ob_fail(err, OB_EINVAL, "%s %gx%g%s: a png is sized in pixels (e.g. 960x640); "
                       "inches and centimetres are for svg, pdf and tex", opt, o->width,
                       o->height, u);
    if (!is_png(o) && o->unit == OB_FIG_UNIT_PX)
        return ob_fail(err, OB_EINVAL, "%s %gx%gpx: a %s figure is sized in inches or "
                       "centimetres (e.g. 3.3x2.5in, 8x6cm); pixels are for png", opt, o->width,
                       o->height, o->format);
    if (!is_png(o) && o->unit == OB_FIG_UNIT_NONE && (o->width > 100 || o->height > 100))
        return ob_fail(err, OB_EINVAL, "%s %gx%g: a bare size of a %s figure is in inches "
                       "(at most 100); give 3.3x2.5in or 8x6cm", opt, o->width, o->height,
                       o->format);
    if (is_png(o) && (o->width != floor(o->width) || o->height != floor(o->height)))
        return ob_fail(err, OB_EINVAL, "%s %gx%g: a png is sized in whole pixels (e.g. 960x640)",
                       opt, o->width, o->height);
    return OB_OK;
}

void ob_fig_page_inches(const ob_fig_options *o, int width, int height, double *w_in,
                        double *h_in)
{
    if (o && o->has_size && o->unit != OB_FIG_UNIT_PX) {
        double f = o->unit == OB_FIG_UNIT_CM ? 1 / 2.54 : 1;
        *w_in = o->width * f, *h_in = o->height * f;
    } else {
        *w_in = width / OB_FIG_PX_PER_INCH, *h_in = height / OB_FIG_PX_PER_INCH;
    }
}

void ob_fig_canvas_pixels(const ob_fig_options *o, int width, int height, int *w_px, int *h_px)
{
    if (o && o->has_size && (o->unit == OB_FIG_UNIT_PX || o->unit == OB_FIG_UNIT_NONE)) {
        *w_px = (int)o->width, *h_px = (int)o->height;
    } else {
        *w_px = width, *h_px = height;
    }
}

double ob_fig_font_points(const ob_fig_options *o, double def)
{
    return o && o->font_size > 0 ? o->font_size : def;
}
