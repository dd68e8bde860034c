/* html.c - index.html from the report's Markdown: libcmark-gfm with its table extension
 * renders the body; each heading gets its anchor (the id the table of contents links
 * to); the head (title, inline style) and the image-counting script go around it. */
#include "report/html.h"

#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "report/doc.h"

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Optimizer benchmark report</title>\n<style>\n"
    "body{font-family:'DejaVu Sans',system-ui,sans-serif;max-width:1040px;margin:2em auto;"
    "padding:0 1em;color:#222;line-height:1.5}\n"
    "h1{border-bottom:2px solid #333;padding-bottom:.2em}h2{border-bottom:1px solid #bbb;"
    "margin-top:2em}h3{margin-top:1.6em}\n"
    "table{border-collapse:collapse;margin:1em 0;font-size:.92em}\n"
    "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f0f0f0}\n"
    "tbody tr:nth-child(even){background:#fafafa}\n"
    "img{max-width:100%;height:auto;border:1px solid #ddd;margin-top:1em}\n"
    "code{background:#f3f3f3;padding:0 .2em;border-radius:3px}\n"
    "</style>\n</head>\n"
    "<body data-images-loaded=\"pending\" data-images-total=\"pending\">\n";

/* Counts the images that loaded, so a headless browser's --dump-dom shows it
 * (tests/browser_check.sh). */
static const char html_tail[] =
    "<script>\n"
    "window.addEventListener('load', function () {\n"
    "  var im = document.images, ok = 0, bad = [];\n"
    "  for (var i = 0; i < im.length; i++)\n"
    "    if (im[i].complete && im[i].naturalWidth > 0) ok++; else bad.push(im[i].getAttribute('src'));\n"
    "  document.body.setAttribute('data-images-loaded', String(ok));\n"
    "  document.body.setAttribute('data-images-total', String(im.length));\n"
    "  document.body.setAttribute('data-images-broken', bad.join(' '));\n"
    "});\n"
    "</script>\n</body>\n</html>\n";

/* The heading's text: its text and code literals, concatenated. */
static void heading_text(cmark_node *h, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    cmark_iter *it = cmark_iter_new(h);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        int t = cmark_node_get_type(n);
        const char *lit = t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE ? cmark_node_get_literal(n) : NULL;
        if (ev == CMARK_EVENT_ENTER && lit) k += (size_t)snprintf(out + k, k < cap ? cap - k : 0, "%s", lit);
        if (k >= cap) break;
    }
    cmark_iter_free(it);
}

/* Replaces every heading by a custom block <hN id="slug">...</hN> holding the same
 * inlines, the slugs as the table of contents computes them (doc.c).  The replaced
 * nodes go to *old: their inlines' text still lives in them until rendering is done. */
static int add_anchors(cmark_node *root, cmark_node ***old, size_t *nold)
{
    size_t cap = 1024; /* headings: a few per section and one per workload */
    char (*seen)[200] = malloc(cap * sizeof *seen);
    *old = malloc(cap * sizeof **old);
    *nold = 0;
    if (!seen || !*old) {
        free(seen);
        return -1;
    }
    size_t nseen = 0;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && *nold < cap) {
        cmark_node *h = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(h) != CMARK_NODE_HEADING) continue;
        char text[200], slug[256], tag[300];
        int level = cmark_node_get_heading_level(h);
        heading_text(h, text, sizeof text);
        ob_doc_slug(text, seen, &nseen, cap, slug, sizeof slug);
        cmark_node *c = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK), *ch;
        snprintf(tag, sizeof tag, "<h%d id=\"%s\">", level, slug);
        cmark_node_set_on_enter(c, tag);
        snprintf(tag, sizeof tag, "</h%d>", level);
        cmark_node_set_on_exit(c, tag);
        while ((ch = cmark_node_first_child(h)) != NULL) cmark_node_append_child(c, ch);
        cmark_node_replace(h, c);
        (*old)[(*nold)++] = h;
        cmark_iter_reset(it, c, CMARK_EVENT_EXIT);
    }
    cmark_iter_free(it);
    free(seen);
    return 0;
}

ob_status ob_report_html(const char *md, const char *path, ob_error *err)
{
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    cmark_syntax_extension *table = cmark_find_syntax_extension("table");
    if (!p || !table) {
        if (p) cmark_parser_free(p);
        return ob_fail(err, OB_EIO, "libcmark-gfm has no table extension");
    }
    cmark_parser_attach_syntax_extension(p, table);
    cmark_parser_feed(p, md, strlen(md));
    cmark_node *root = cmark_parser_finish(p);
    cmark_node **old = NULL;
    size_t nold = 0;
    char *body = NULL;
    if (root && add_anchors(root, &old, &nold) == 0)
        body = cmark_render_html(root, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
    ob_status s = body ? ob_write_file_atomic(path, html_head, body, html_tail, err)
                       : ob_fail(err, OB_ENOMEM, "out of memory rendering the report");
    free(body);
    if (root) cmark_node_free(root);
    for (size_t i = 0; i < nold; i++) cmark_node_free(old[i]);
    free(old);
    cmark_parser_free(p);
    return s;
}
