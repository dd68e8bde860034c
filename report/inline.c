/* inline.c - a figure as a data: URI for the self-contained index.html (html.h): a PNG
 * reduced to a thumbnail (libpng's simplified API reads and writes it; the reduction is
 * a box filter: each thumbnail pixel is the mean of the source pixels it covers), an SVG
 * as it is, a GIF (an animation) as the thumbnail of its poster (its last frame) or else as
 * it is; base64 as RFC 4648 section 4 gives it. */
#include "report/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <png.h>

/* RFC 4648, section 4: 3 bytes -> 4 characters of the alphabet, '=' padding. */
static char *base64(const unsigned char *p, size_t n, const char *prefix)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t lp = strlen(prefix);
    char *out = malloc(lp + 4 * ((n + 2) / 3) + 1), *o;
    if (!out) return NULL;
    memcpy(out, prefix, lp);
    o = out + lp;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        *o++ = A[v >> 18 & 63];
        *o++ = A[v >> 12 & 63];
        *o++ = i + 1 < n ? A[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? A[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *buf = NULL;
    long len = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (len >= 0 && fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) != NULL &&
        fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* The PNG at path at most width pixels wide (never enlarged), as PNG bytes. */
static unsigned char *png_thumbnail(const char *path, int width, size_t *n)
{
    png_image in = {.version = PNG_IMAGE_VERSION};
    if (!png_image_begin_read_from_file(&in, path)) return NULL;
    in.format = PNG_FORMAT_RGB;
    size_t W = in.width, H = in.height;
    unsigned char *src = malloc(3 * W * H), *dst = NULL, *out = NULL;
    if (!src || !png_image_finish_read(&in, NULL, src, 0, NULL)) {
        png_image_free(&in);
        free(src);
        return NULL;
    }
    size_t w = W > (size_t)width ? (size_t)width : W, h = (H * w + W / 2) / W;
    if (h == 0) h = 1;
    if ((dst = malloc(3 * w * h)) != NULL)
        for (size_t y = 0; y < h; y++)
            for (size_t x = 0; x < w; x++) {
                /* the source block [x0, x1) x [y0, y1) that pixel (x, y) covers */
                size_t x0 = x * W / w, x1 = (x + 1) * W / w, y0 = y * H / h, y1 = (y + 1) * H / h;
                if (x1 <= x0) x1 = x0 + 1;
                if (y1 <= y0) y1 = y0 + 1;
                unsigned long s[3] = {0, 0, 0}, cnt = (x1 - x0) * (y1 - y0);
                for (size_t yy = y0; yy < y1; yy++)
                    for (size_t xx = x0; xx < x1; xx++)
                        for (int c = 0; c < 3; c++) s[c] += src[3 * (yy * W + xx) + c];
                for (int c = 0; c < 3; c++)
                    dst[3 * (y * w + x) + c] = (unsigned char)((s[c] + cnt / 2) / cnt);
            }
    free(src);
    png_image o = {.version = PNG_IMAGE_VERSION, .width = (png_uint_32)w,
                   .height = (png_uint_32)h, .format = PNG_FORMAT_RGB, .flags = PNG_IMAGE_FLAG_FAST};
    png_alloc_size_t size = 0;
    if (dst && png_image_write_get_memory_size(o, size, 0, dst, 0, NULL) &&
        (out = malloc(size)) != NULL && !png_image_write_to_memory(&o, out, &size, 0, dst, 0, NULL)) {
        free(out);
        out = NULL;
    }
    free(dst);
    *n = size;
    return out;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

/* An SVG or GIF (an animation) is inlined whole, up to this size: a larger one would make
 * the page heavy for one figure, so the page links to it instead. */
#define OB_INLINE_MAX (1536 * 1024)

char *ob_figure_data_uri(const char *path, int width)
{
    size_t n = 0;
    unsigned char *bytes = NULL;
    const char *prefix = NULL;
    struct stat st; /* a figure written into a FIFO or a device: linked, never read (a FIFO
                     * would block here waiting for a writer) */
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return NULL;
    if (ends_with(path, ".png"))
        bytes = png_thumbnail(path, width, &n), prefix = "data:image/png;base64,";
    else if (ends_with(path, ".svg"))
        bytes = slurp(path, &n), prefix = "data:image/svg+xml;base64,";
    else if (ends_with(path, ".gif")) {
        /* an animation's thumbnail is its last frame, the poster the recipe drew beside it
         * (plots/fig_anim.c: X.gif, X.poster.png); without one, the GIF itself */
        char poster[4200];
        struct stat ps;
        int len = snprintf(poster, sizeof poster, "%.*s.poster.png", (int)strlen(path) - 4, path);
        if (len > 0 && (size_t)len < sizeof poster && stat(poster, &ps) == 0 && S_ISREG(ps.st_mode))
            bytes = png_thumbnail(poster, width, &n), prefix = "data:image/png;base64,";
        else
            bytes = slurp(path, &n), prefix = "data:image/gif;base64,";
    }
    char *uri = bytes && n <= OB_INLINE_MAX ? base64(bytes, n, prefix) : NULL;
    free(bytes);
    return uri;
}

char *ob_file_base64(const char *path, size_t max)
{
    struct stat st;
    size_t n = 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) return NULL;
    unsigned char *bytes = slurp(path, &n);
    char *b64 = bytes ? base64(bytes, n, "") : NULL;
    free(bytes);
    return b64;
}
