/* doc.c - the report's Markdown, built in a string with open_memstream (see doc.h). */
#include "report/doc.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/outfile.h"

ob_status ob_doc_open(ob_doc *d, ob_error *err)
{
    *d = (ob_doc){.toc_at = -1};
    d->md = open_memstream(&d->buf, &d->len);
    if (!d->md) return ob_fail(err, OB_ENOMEM, "out of memory writing the report");
    return OB_OK;
}

void ob_doc_h(ob_doc *d, int level, const char *text)
{
    if (d->nh == d->caph) {
        size_t cap = d->caph ? 2 * d->caph : 32;
        ob_doc_heading *v = realloc(d->h, cap * sizeof *v);
        if (!v) {
            d->failed = 1;
            return;
        }
        d->h = v, d->caph = cap;
    }
    d->h[d->nh].level = level;
    snprintf(d->h[d->nh++].text, sizeof d->h->text, "%s", text);
    fprintf(d->md, "%.*s %s\n\n", level, "######", text);
}

void ob_doc_p(ob_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->md, fmt, ap);
    va_end(ap);
    fputs("\n\n", d->md);
}

void ob_doc_li(ob_doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("- ", d->md);
    vfprintf(d->md, fmt, ap);
    va_end(ap);
    fputc('\n', d->md);
}

void ob_doc_list_end(ob_doc *d) { fputc('\n', d->md); }

/* A table cell: '|' would end it. */
static void cell_out(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|') fputc('\\', f);
        fputc(*s, f);
    }
}

void ob_doc_table_row(ob_doc *d, const char *const *cells, size_t n)
{
    fputc('|', d->md);
    for (size_t j = 0; j < n; j++) {
        fputc(' ', d->md);
        cell_out(d->md, cells[j]);
        fputs(" |", d->md);
    }
    fputc('\n', d->md);
}

void ob_doc_table_head(ob_doc *d, const char *const *head, size_t n, const char *align)
{
    ob_doc_table_row(d, head, n);
    fputc('|', d->md);
    for (size_t j = 0; j < n; j++) fputs(align[j] == 'r' ? "---:|" : "---|", d->md);
    fputc('\n', d->md);
}

void ob_doc_table_end(ob_doc *d) { fputc('\n', d->md); }

void ob_doc_fig(ob_doc *d, const char *src, const char *caption)
{
    d->figno++;
    /* the alt text is the caption as plain text: no emphasis marks, brackets escaped */
    fputs("[![", d->md);
    for (const char *s = caption; *s; s++) {
        if (*s == '`') continue;
        if (s[0] == '*' && s[1] == '*') { /* **bold** marks; a lone * (f*) stays */
            s++;
            continue;
        }
        if (strchr("[]\\", *s)) fputc('\\', d->md);
        fputc(*s, d->md);
    }
    fprintf(d->md, "](%s)](%s)\n\n**Figure %d.** %s\n\n", src, src, d->figno, caption);
}

void ob_doc_toc_here(ob_doc *d)
{
    fflush(d->md);
    if (d->toc_at < 0) d->toc_at = (long)d->len;
}

char *ob_doc_slug(const char *text, char (*seen)[200], size_t *nseen, size_t cap, char *out,
                  size_t outcap)
{
    size_t k = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s && k + 1 < outcap; s++) {
        if (*s >= 0x80 || isalnum(*s) || *s == '-' || *s == '_') out[k++] = (char)tolower(*s);
        else if (*s == ' ') out[k++] = '-';
    }
    out[k] = '\0';
    int repeats = 0;
    for (size_t i = 0; i < *nseen; i++) repeats += strcmp(seen[i], out) == 0;
    if (*nseen < cap) snprintf(seen[(*nseen)++], 200, "%s", out);
    if (repeats) snprintf(out + k, outcap - k, "-%d", repeats);
    return out;
}

/* The table of contents: every heading below the title, nested by level. */
static void write_toc(FILE *f, const ob_doc *d)
{
    char (*seen)[200] = malloc((d->nh ? d->nh : 1) * sizeof *seen);
    size_t nseen = 0;
    if (!seen) return;
    fputs("**Contents**\n\n", f);
    for (size_t i = 0; i < d->nh; i++) {
        char slug[256];
        ob_doc_slug(d->h[i].text, seen, &nseen, d->nh, slug, sizeof slug);
        if (d->h[i].level < 2) continue;
        fprintf(f, "%*s- [", 2 * (d->h[i].level - 2), "");
        for (const char *s = d->h[i].text; *s; s++) {
            if (strchr("[]\\", *s)) fputc('\\', f);
            fputc(*s, f);
        }
        fprintf(f, "](#%s)\n", slug);
    }
    fputc('\n', f);
    free(seen);
}

ob_status ob_doc_finish(ob_doc *d, char **md, ob_error *err)
{
    *md = NULL;
    int bad = fclose(d->md) != 0 || d->failed;
    char *out = NULL;
    size_t n = 0;
    FILE *f = bad ? NULL : open_memstream(&out, &n);
    if (f) {
        size_t at = d->toc_at < 0 ? d->len : (size_t)d->toc_at;
        fwrite(d->buf, 1, at, f);
        if (d->toc_at >= 0) write_toc(f, d);
        fwrite(d->buf + at, 1, d->len - at, f);
        bad = fclose(f) != 0;
    }
    free(d->buf);
    free(d->h);
    *d = (ob_doc){.toc_at = -1};
    if (bad || !out) {
        free(out);
        return ob_fail(err, OB_ENOMEM, "out of memory writing the report");
    }
    *md = out;
    return OB_OK;
}

/* ---- numbers ---- */

const char *ob_fmt_g(ob_cell c, double x)
{
    if (isnan(x)) return strcpy(c, "—");
    if (isinf(x)) return strcpy(c, x > 0 ? "∞" : "−∞");
    snprintf(c, sizeof(ob_cell), "%.3g", x);
    return c;
}

const char *ob_fmt_steps(ob_cell c, double x)
{
    if (!isfinite(x)) return strcpy(c, "—");
    snprintf(c, sizeof(ob_cell), "%.0f", x);
    return c;
}

const char *ob_fmt_pct(ob_cell c, double x)
{
    if (!isfinite(x)) return strcpy(c, "—");
    /* a value that rounds to 0.0 prints as 0.0, never -0.0 */
    snprintf(c, sizeof(ob_cell), "%.1f %%", fabs(100 * x) < 0.05 ? 0.0 : 100 * x);
    return c;
}

const char *ob_fmt_time(ob_cell c, double s)
{
    if (!isfinite(s)) return strcpy(c, "—");
    if (s < 1e-3)
        snprintf(c, sizeof(ob_cell), "%.3g µs", s * 1e6);
    else if (s < 1)
        snprintf(c, sizeof(ob_cell), "%.3g ms", s * 1e3);
    else if (s < 60)
        snprintf(c, sizeof(ob_cell), "%.3g s", s);
    else if (s < 3600)
        snprintf(c, sizeof(ob_cell), "%d min %02d s", (int)(s / 60), (int)fmod(s, 60));
    else
        snprintf(c, sizeof(ob_cell), "%d h %02d min", (int)(s / 3600), (int)fmod(s / 60, 60));
    return c;
}

ob_status ob_write_file_atomic(const char *path, const char *a, const char *b, const char *c,
                               ob_error *err)
{
    ob_outfile o; /* a temporary file renamed into place, removed by an interrupt */
    ob_status s = ob_outfile_open(&o, path, err);
    if (s != OB_OK) return s;
    fputs(a, o.fp);
    fputs(b, o.fp);
    fputs(c, o.fp);
    return ob_outfile_commit(&o, err);
}
