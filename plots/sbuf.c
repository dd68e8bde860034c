/* sbuf.c - a growable string (see sbuf.h). */
#include "plots/sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(ob_sbuf *b, size_t extra)
{
    if (b->failed) return -1;
    if (b->len + extra + 1 <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) {
        b->failed = 1;
        return -1;
    }
    if (!b->s) s[0] = '\0';
    b->s = s, b->cap = cap;
    return 0;
}

void ob_sbuf_printf(ob_sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(b, (size_t)n) != 0) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void ob_sbuf_puts(ob_sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (reserve(b, n) != 0) return;
    memcpy(b->s + b->len, s, n + 1);
    b->len += n;
}

const char *ob_sbuf_str(const ob_sbuf *b) { return b->s ? b->s : ""; }

void ob_sbuf_free(ob_sbuf *b)
{
    free(b->s);
    *b = (ob_sbuf){0};
}
