/* html.c - index.html from the report's Markdown: libcmark-gfm with its table extension
 * parses it; the tree is then reshaped for a browser: each workload's section (a level-3
 * heading and what follows) folds into a <details>, each run of figures becomes a grid of
 * thumbnails inlined as data: URIs (inline.c), and each heading gets its anchor (the id
 * the table of contents links to).  The head (title, inline style) and the script (opens
 * the section a link leads to; counts the images that loaded, the links whose target is
 * missing and the page's height, for tests/browser_check.sh) go around it. */
#include "report/html.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "report/doc.h"

/* Thumbnails: at most this many pixels across (three to a row of the 1040-pixel page, each
 * cell at least 300 pixels, about 330: a 320-pixel thumbnail is hardly enlarged).  The
 * quick suite's 65 PNG thumbnails come to 2.8 MB inlined (base64), 4 MB at 400 pixels; its
 * figures at full size are 12 MB. */
#define OB_THUMB_WIDTH 320

static const char html_head[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    "<title>Optimizer benchmark report</title>\n<style>\n"
    "body{font-family:'DejaVu Sans',system-ui,sans-serif;max-width:1040px;margin:2em auto;"
    "padding:0 1em;color:#222;line-height:1.5}\n"
    "h1{border-bottom:2px solid #333;padding-bottom:.2em}h2{border-bottom:1px solid #bbb;"
    "margin-top:2em}h3{margin-top:1.6em}\n"
    "table{border-collapse:collapse;margin:1em 0;font-size:.92em;display:block;overflow-x:auto}\n"
    "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}th{background:#f0f0f0}\ntd{white-space:nowrap}\n"
    "tbody tr:nth-child(even){background:#fafafa}\n"
    "img{max-width:100%;height:auto;border:1px solid #ddd}\n"
    "code{background:#f3f3f3;padding:0 .2em;border-radius:3px}\n"
    "details.wl{border:1px solid #ccc;border-radius:4px;margin:.4em 0;padding:0 .8em}\n"
    "details.wl>summary{cursor:pointer;padding:.3em 0}\n"
    "details.wl>summary h3{display:inline;margin:0;font-size:1.1em}\n"
    ".figs{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:1em;"
    "margin:1em 0}\n"
    ".figs figure{margin:0}.figs img{width:100%}\n"
    ".figs figcaption{font-size:.8em;line-height:1.35}.figs figcaption p{margin:.3em 0}\n"
    "</style>\n</head>\n"
    "<body data-images-loaded=\"pending\" data-images-total=\"pending\">\n";

/* Opens the folded section a link (or the address's #fragment) leads to; once the page
 * has loaded, records on <body> the images that loaded, the in-page links whose target is
 * missing, and the page's height with its sections folded, so that a headless browser's
 * --dump-dom shows them (tests/browser_check.sh). */
static const char html_tail[] =
    "<script>\n"
    "function obOpen(id) {\n"
    "  var e = id && document.getElementById(decodeURIComponent(id));\n"
    "  for (; e; e = e.parentElement) if (e.tagName === 'DETAILS') e.open = true;\n"
    "}\n"
    "window.addEventListener('hashchange', function () { obOpen(location.hash.slice(1)); });\n"
    "window.addEventListener('load', function () {\n"
    "  var b = document.body, im = document.images, ok = 0, bad = [], miss = [];\n"
    "  b.setAttribute('data-height', String(document.documentElement.scrollHeight));\n"
    "  for (var i = 0; i < im.length; i++)\n"
    "    if (im[i].complete && im[i].naturalWidth > 0) ok++; else bad.push(im[i].getAttribute('alt'));\n"
    "  var a = document.querySelectorAll('a[href^=\"#\"]');\n"
    "  for (var k = 0; k < a.length; k++)\n"
    "    if (!document.getElementById(decodeURIComponent(a[k].getAttribute('href').slice(1))))\n"
    "      miss.push(a[k].getAttribute('href'));\n"
    "  b.setAttribute('data-links-total', String(a.length));\n"
    "  b.setAttribute('data-links-broken', miss.join(' '));\n"
    "  b.setAttribute('data-images-loaded', String(ok));\n"
    "  b.setAttribute('data-images-total', String(im.length));\n"
    "  b.setAttribute('data-images-broken', bad.join(' | '));\n"
    "  obOpen(location.hash.slice(1));\n"
    "  var op = [], d = document.querySelectorAll('details[open] summary [id]');\n"
    "  for (var j = 0; j < d.length; j++) op.push(d[j].id);\n"
    "  b.setAttribute('data-open', op.join(' '));\n"
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

/* ---- folding: each level-3 heading and the blocks after it, up to the next heading of
 * level 3 or less, into <details><summary>heading</summary>blocks</details> ---- */
static int fold_sections(cmark_node *root)
{
    cmark_node *n = cmark_node_first_child(root);
    while (n) {
        if (cmark_node_get_type(n) != CMARK_NODE_HEADING || cmark_node_get_heading_level(n) != 3) {
            n = cmark_node_next(n);
            continue;
        }
        cmark_node *d = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK),
                   *sum = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
        if (!d || !sum) return -1;
        cmark_node_set_on_enter(d, "<details class=\"wl\">");
        cmark_node_set_on_exit(d, "</details>");
        cmark_node_set_on_enter(sum, "<summary>");
        cmark_node_set_on_exit(sum, "</summary>");
        cmark_node_insert_before(n, d);
        cmark_node *next = cmark_node_next(n);
        cmark_node_append_child(sum, n);
        cmark_node_append_child(d, sum);
        while (next && !(cmark_node_get_type(next) == CMARK_NODE_HEADING &&
                         cmark_node_get_heading_level(next) <= 3)) {
            cmark_node *after = cmark_node_next(next);
            cmark_node_append_child(d, next);
            next = after;
        }
        n = next;
    }
    return 0;
}

/* ---- figures: doc.h's pair of paragraphs "[![Figure N](src)](src)" and "**Figure N.**
 * caption", runs of them into one grid of thumbnails ---- */

/* the src of a figure's first paragraph, or NULL */
static const char *figure_src(cmark_node *p)
{
    cmark_node *a = cmark_node_first_child(p), *im = a ? cmark_node_first_child(a) : NULL;
    if (cmark_node_get_type(p) != CMARK_NODE_PARAGRAPH || !a || cmark_node_next(a) ||
        cmark_node_get_type(a) != CMARK_NODE_LINK || !im || cmark_node_get_type(im) != CMARK_NODE_IMAGE)
        return NULL;
    return cmark_node_get_url(im);
}

static int is_caption(cmark_node *p)
{
    cmark_node *b = p ? cmark_node_first_child(p) : NULL, *t = b ? cmark_node_first_child(b) : NULL;
    return p && cmark_node_get_type(p) == CMARK_NODE_PARAGRAPH && b &&
           cmark_node_get_type(b) == CMARK_NODE_STRONG && t && cmark_node_get_literal(t) &&
           strncmp(cmark_node_get_literal(t), "Figure ", 7) == 0;
}

/* s with &, <, >, " escaped for an attribute */
static void put_attr(FILE *f, const char *s)
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

/* The figures' data: URIs, made before the tree is reshaped, in parallel (decoding,
 * reducing and encoding a PNG takes about 15 ms; the quick suite has 59). */
typedef struct {
    char **src;     /* copies: the tree's nodes go as the figures are gridded */
    char **uri;
    size_t n;
} thumbs;

static int collect_thumbs(cmark_node *root, const char *dir, thumbs *t)
{
    size_t cap = 0;
    *t = (thumbs){0};
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        const char *src = ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH
                              ? figure_src(n) : NULL;
        if (!src) continue;
        if (t->n == cap) {
            cap = cap ? 2 * cap : 64;
            char **s = realloc(t->src, cap * sizeof *s);
            if (s) t->src = s;
            if (!s) break;
        }
        if ((t->src[t->n] = strdup(src)) != NULL) t->n++;
    }
    cmark_iter_free(it);
    t->uri = calloc(t->n + 1, sizeof *t->uri);
    if (!t->uri) return -1;
    long n = (long)t->n;
#pragma omp parallel for schedule(dynamic)
    for (long i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, t->src[i]);
        t->uri[i] = ob_figure_data_uri(path, OB_THUMB_WIDTH);
    }
    return 0;
}

/* the URI made for src (taken: the caller frees it), or NULL */
static char *take_thumb(thumbs *t, const char *src)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->uri[i] && t->src[i] && strcmp(t->src[i], src) == 0) {
            char *u = t->uri[i];
            t->uri[i] = NULL;
            return u;
        }
    return NULL;
}

static void thumbs_free(thumbs *t)
{
    for (size_t i = 0; i < t->n; i++) {
        if (t->uri) free(t->uri[i]);
        free(t->src[i]);
    }
    free(t->uri);
    free(t->src);
}

/* One thumbnail: the image inlined (a link to the file where it cannot be), alt text the
 * caption without its "Figure N." */
static void put_figure(FILE *f, thumbs *th, const char *src, cmark_node *cap)
{
    char text[2048];
    heading_text(cap, text, sizeof text);
    const char *alt = strncmp(text, "Figure ", 7) == 0 && strstr(text, ". ") ? strstr(text, ". ") + 2 : text;
    char *uri = take_thumb(th, src);
    char *caption = cmark_render_html(cap, CMARK_OPT_DEFAULT, NULL);
    fputs("<figure><a href=\"", f);
    put_attr(f, src);
    fputs("\" target=\"_blank\">", f);
    if (uri || !strstr(src, ".pdf")) {
        fputs("<img src=\"", f);
        put_attr(f, uri ? uri : src);
        fputs("\" alt=\"", f);
        put_attr(f, alt);
        fputs("\">", f);
    } else {
        fputs("the figure as PDF", f);
    }
    fprintf(f, "</a><figcaption>%s</figcaption></figure>\n", caption ? caption : "");
    free(caption);
    free(uri);
}

/* In every container below node, runs of figure pairs become one custom block. */
static int grid_figures(cmark_node *node, thumbs *dir)
{
    cmark_node *n = cmark_node_first_child(node);
    while (n) {
        const char *src = figure_src(n);
        if (!src || !is_caption(cmark_node_next(n))) {
            int t = cmark_node_get_type(n);
            if ((t == CMARK_NODE_CUSTOM_BLOCK || t == CMARK_NODE_BLOCK_QUOTE) && grid_figures(n, dir))
                return -1;
            n = cmark_node_next(n);
            continue;
        }
        char *html = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&html, &len);
        if (!f) return -1;
        fputs("<div class=\"figs\">\n", f);
        cmark_node *prev = cmark_node_previous(n);
        while (n && (src = figure_src(n)) != NULL && is_caption(cmark_node_next(n))) {
            cmark_node *cap = cmark_node_next(n), *after = cmark_node_next(cap);
            put_figure(f, dir, src, cap);
            cmark_node_free(n);
            cmark_node_free(cap);
            n = after;
        }
        fputs("</div>", f);
        if (fclose(f) != 0) return -1;
        cmark_node *g = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK);
        cmark_node_set_on_enter(g, html);
        cmark_node_set_on_exit(g, "");
        free(html);
        if (prev) cmark_node_insert_after(prev, g);
        else cmark_node_prepend_child(node, g);
    }
    return 0;
}

ob_status ob_report_html(const char *md, const char *dir, const char *path, ob_error *err)
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
    thumbs th = {0};
    if (root && fold_sections(root) == 0 && collect_thumbs(root, dir, &th) == 0 &&
        grid_figures(root, &th) == 0 && add_anchors(root, &old, &nold) == 0)
        body = cmark_render_html(root, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(p));
    ob_status s = body ? ob_write_file_atomic(path, html_head, body, html_tail, err)
                       : ob_fail(err, OB_ENOMEM, "out of memory rendering the report");
    free(body);
    thumbs_free(&th);
    if (root) cmark_node_free(root);
    for (size_t i = 0; i < nold; i++) cmark_node_free(old[i]);
    free(old);
    cmark_parser_free(p);
    return s;
}
