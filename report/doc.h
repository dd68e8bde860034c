/* doc.h - the report's document, written by the report's sections (report/) and by the
 * experiments' own (experiments/NAME/, through report.h): once, as Markdown, into a
 * string (open_memstream), block by block; html.c renders it to HTML with libcmark-gfm.
 *
 * Paragraph text is Markdown: **bold** and `code` are the only markup the sections use.
 * Every heading is remembered, so the table of contents (a nested list of links to the
 * headings' anchors, GitHub's slugs) is written where ob_doc_toc_here was called. */
#ifndef OB_REPORT_DOC_H
#define OB_REPORT_DOC_H

#include <stddef.h>
#include <stdio.h>

#include "common/ob.h"

typedef struct {
    int level;
    char text[200];
} ob_doc_heading;

typedef struct {
    FILE *md;           /* the body, into buf */
    char *buf;
    size_t len;
    int figno;          /* figures so far */
    long toc_at;        /* offset in buf of the table of contents; -1: none */
    ob_doc_heading *h;  /* every heading, in order */
    size_t nh, caph;
    int failed;         /* out of memory */
} ob_doc;

ob_status ob_doc_open(ob_doc *d, ob_error *err);
/* The Markdown with its table of contents, malloc'ed, in *md; frees d. */
ob_status ob_doc_finish(ob_doc *d, char **md, ob_error *err);

/* Blocks.  Text is printf-formatted Markdown. */
void ob_doc_h(ob_doc *d, int level, const char *text);
void ob_doc_p(ob_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ob_doc_li(ob_doc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ob_doc_list_end(ob_doc *d);
/* align: one char per column, 'l' or 'r'. */
void ob_doc_table_head(ob_doc *d, const char *const *head, size_t n, const char *align);
void ob_doc_table_row(ob_doc *d, const char *const *cells, size_t n);
void ob_doc_table_end(ob_doc *d);
/* A figure: src relative to the report (the image links to itself; its alt text the
 * caption without emphasis), caption Markdown.  html.c recognizes the pair of paragraphs
 * this writes and makes thumbnails of them. */
void ob_doc_fig(ob_doc *d, const char *src, const char *caption);
/* The table of contents goes here (once). */
void ob_doc_toc_here(ob_doc *d);

/* GitHub's anchor of a heading: lower case, spaces to '-', punctuation other than '-' and
 * '_' dropped; the k-th repeat of a slug gets "-k".  seen/nseen: the slugs so far
 * (each 200 bytes), updated.  Returns out. */
char *ob_doc_slug(const char *text, char (*seen)[200], size_t *nseen, size_t cap, char *out,
                  size_t outcap);

/* Numbers for the tables: "—" for what is missing. */
typedef char ob_cell[96];
const char *ob_fmt_g(ob_cell c, double x);     /* %.3g; ±∞ */
const char *ob_fmt_steps(ob_cell c, double x); /* %.0f */
const char *ob_fmt_pct(ob_cell c, double x);   /* 12.3 % */
/* A duration: "850 µs", "12.3 ms", "4.2 s", "3 min 05 s", "1 h 02 min". */
const char *ob_fmt_time(ob_cell c, double s);

/* Writes the strings a, b, c one after another to path, atomically. */
ob_status ob_write_file_atomic(const char *path, const char *a, const char *b, const char *c,
                               ob_error *err);

#endif
