/* sbuf.h - a growable string, for building gnuplot scripts and report text. */
#ifndef OB_SBUF_H
#define OB_SBUF_H

#include <stddef.h>

typedef struct {
    char *s;       /* NUL-terminated; never NULL after the first append succeeds */
    size_t len, cap;
    int failed;    /* an allocation failed: s holds what fitted before */
} ob_sbuf;

void ob_sbuf_printf(ob_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ob_sbuf_puts(ob_sbuf *b, const char *s);
/* s or "" when nothing was appended. */
const char *ob_sbuf_str(const ob_sbuf *b);
void ob_sbuf_free(ob_sbuf *b);

#endif
