/* html.h - the report's HTML, internal to report/. */
#ifndef OB_REPORT_HTML_H
#define OB_REPORT_HTML_H

#include "common/ob.h"

/* Renders the Markdown md (doc.h) with libcmark-gfm and its table extension, anchors on
 * the headings, and writes path (index.html) atomically: a self-contained page (inline
 * style; the figures by the relative paths the Markdown gives). */
ob_status ob_report_html(const char *md, const char *path, ob_error *err);

#endif
