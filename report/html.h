/* html.h - HTML from the Markdown of a document (report/doc.h): the report's index.html and
 * compare's (compare/compare_doc.c). */
#ifndef OB_REPORT_HTML_H
#define OB_REPORT_HTML_H

#include "common/ob.h"

/* Renders the Markdown md (doc.h) with libcmark-gfm and its table extension and writes
 * path (index.html) atomically: a self-contained page (inline style and script) with
 * anchors on the headings; every workload's section (a level-3 heading and what follows
 * it) folds in a <details>; the figures (doc.h's ob_doc_fig pairs) become a grid of
 * thumbnails inlined as data: URIs read from dir (alt text: the caption), each a link
 * to the full-size file. */
ob_status ob_report_html(const char *md, const char *dir, const char *path, ob_error *err);

/* inline.c: the figure file at path as a data: URI (malloc'ed): a PNG reduced to at most
 * width pixels across, an SVG or a GIF as it is (up to 1.5 MB); NULL for other kinds
 * (PDF), a larger SVG or GIF, a missing or unreadable file, or no memory (the page then
 * refers to the file by its relative path). */
char *ob_figure_data_uri(const char *path, int width);

/* inline.c: the bytes of the regular file at path in base64 (malloc'ed), NULL when it is
 * missing, unreadable or larger than max bytes. */
char *ob_file_base64(const char *path, size_t max);

#endif
