/* text.c - see text.h. */
#include "common/text.h"

#include <stdlib.h>

char *ob_read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    char chunk[65536];
    size_t got;
    int ok = m != NULL;
    while (ok && (got = fread(chunk, 1, sizeof chunk, f)) > 0) ok = fwrite(chunk, 1, got, m) == got;
    ok = !ferror(f) && ok;
    fclose(f);
    if (m && fclose(m) != 0) ok = 0;
    if (!ok) {
        free(buf);
        return NULL;
    }
    return buf;
}

void ob_html_attr(FILE *f, const char *s)
{
    for (; *s; s++)
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
}
