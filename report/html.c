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
#include <sys/stat.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "common/text.h"
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
    ".figs{grid-auto-flow:dense}.figs figure.ifig{grid-column:1/-1}\n"
    ".ibar{display:flex;flex-wrap:wrap;gap:.3em 1em;align-items:center;font-size:.85em;margin:.2em 0}\n"
    ".ibar button{font:inherit;margin:0 .15em;padding:0 .6em;border:1px solid #999;border-radius:3px;"
    "background:#f6f6f6;cursor:pointer}\n"
    ".ibar button[aria-pressed=true]{background:#333;color:#fff;border-color:#333}"
    ".ibar button:disabled{opacity:.35;cursor:default}\n"
    ".iview svg{width:100%;height:auto;display:block;border:1px solid #ddd}\n"
    "</style>\n</head>\n"
    "<body data-images-loaded=\"pending\" data-images-total=\"pending\">\n"
    /* the filter gnuplot_svg.js greys a hidden key entry with (url(#greybox)): once, where it
     * renders whatever section is folded */
    "<svg width=\"0\" height=\"0\" style=\"position:absolute\" aria-hidden=\"true\"><defs>"
    "<filter id=\"greybox\" filterUnits=\"objectBoundingBox\" x=\"0\" y=\"0\" height=\"1\" width=\"1\">"
    "<feFlood flood-color=\"lightgrey\" flood-opacity=\"1\" result=\"grey\"/>"
    "<feComposite in=\"SourceGraphic\" in2=\"grey\" operator=\"atop\"/></filter></defs></svg>\n";

/* Opens the folded section a link (or the address's #fragment) leads to; once the page
 * has loaded, records on <body> the images that loaded, the in-page links whose target is
 * missing, and the page's height with its sections folded, so that a headless browser's
 * --dump-dom shows them (tests/browser_check.sh). */
static const char html_tail[] =
    "<script>\n"
    "/* The interactive figures (plots/fig_interactive.c): each .iviews holds a gzipped fragment\n"
    " * of gnuplot SVGs with gnuplot's mousing script, unpacked by the browser when its section\n"
    " * opens (nothing is fetched); buttons show one view at a time, a key entry's click hides\n"
    " * an optimizer in every view, a click in the plot shows the coordinates under the pointer\n"
    " * and lets the wheel zoom.  <body> records the figures unpacked and failed. */\n"
    "(function () {\n"
    "  var body = document.body, boxes = document.querySelectorAll('.iviews'), ready = 0, failed = 0,\n"
    "      serial = 0, keys = ['ArrowLeft', 'Left', 'ArrowRight', 'Right', 'ArrowUp', 'Up',\n"
    "                          'ArrowDown', 'Down', '+', 'Add', '-', 'Subtract', 'Home', '#'];\n"
    "  function mark() {\n"
    "    body.setAttribute('data-ifig-total', String(boxes.length));\n"
    "    body.setAttribute('data-ifig-ready', String(ready));\n"
    "    body.setAttribute('data-ifig-failed', String(failed));\n"
    "  }\n"
    "  function fmt(v) {\n"
    "    var a = Math.abs(v);\n"
    "    if (!isFinite(v) || a === 0) return String(v);\n"
    "    return a >= 1e5 || a < 1e-3 ? v.toExponential(2) : String(+v.toPrecision(4));\n"
    "  }\n"
    "  /* the axes as gnuplot wrote them for its mousing script (the SVG's second script) */\n"
    "  function axes(svg) {\n"
    "    var sc = svg.querySelectorAll('script'), o = {}, m, re = /gnuplot_svg\\.(\\w+) = (.*);/g;\n"
    "    var t = sc.length > 1 ? sc[1].textContent : '';\n"
    "    while ((m = re.exec(t))) { try { o[m[1]] = JSON.parse(m[2]); } catch (e) { o[m[1]] = m[2]; } }\n"
    "    return o;\n"
    "  }\n"
    "  /* the plot coordinates under the pointer (gnuplot_svg.js's conversion, with the digits a\n"
    "   * log axis needs) */\n"
    "  function readout(v, evt) {\n"
    "    var s = v.axes, p = v.svg.createSVGPoint();\n"
    "    p.x = evt.clientX; p.y = evt.clientY;\n"
    "    p = p.matrixTransform(v.svg.getScreenCTM().inverse());\n"
    "    function at(f, lo, hi, log) {\n"
    "      return log ? Math.exp(Math.log(lo) + f * (Math.log(hi) - Math.log(lo))) : lo + f * (hi - lo);\n"
    "    }\n"
    "    var x = at((p.x - s.plot_xmin) / (s.plot_xmax - s.plot_xmin), s.plot_axis_xmin, s.plot_axis_xmax, s.plot_logaxis_x),\n"
    "        y = at((p.y - s.plot_ybot) / (s.plot_ytop - s.plot_ybot), s.plot_axis_ymin, s.plot_axis_ymax, s.plot_logaxis_y);\n"
    "    return v.xname + ' ' + fmt(x) + ', ' + fmt(y);\n"
    "  }\n"
    "  function coordOn(v) {\n"
    "    var c = v && v.svg.querySelector('#coord_text');\n"
    "    return c && c.getAttribute('visibility') !== 'hidden';\n"
    "  }\n"
    "  /* the plots with a key entry (an optimizer), each with the plots without one that follow\n"
    "   * it (its training line) */\n"
    "  function series(svg) {\n"
    "    var g = svg.querySelectorAll('g[id^=\"gnuplot_plot_\"]'), out = [], cur = null;\n"
    "    for (var i = 0; i < g.length; i++) {\n"
    "      if (/_keyentry$/.test(g[i].id)) continue;\n"
    "      var t = g[i].querySelector('title'), name = t ? t.textContent : '';\n"
    "      if (name !== g[i].id) out.push(cur = {g: g[i], name: name, with: []});\n"
    "      else if (cur) { cur.with.push(g[i]); t.textContent = cur.name; }\n"
    "    }\n"
    "    return out;\n"
    "  }\n"
    "  function show(views, name, on) {\n"
    "    views.forEach(function (v) {\n"
    "      v.series.forEach(function (s) {\n"
    "        if (s.name !== name) return;\n"
    "        v.svg.gnuplot.key(s.g.id + '_keyentry', on);\n"
    "        s.with.forEach(function (g) { g.setAttribute('visibility', on ? 'visible' : 'hidden'); });\n"
    "      });\n"
    "    });\n"
    "  }\n"
    "  function init(box, html) {\n"
    "    var n = ++serial, fig = box.parentNode;\n"
    "    /* ids distinct across the page (the point shapes); greybox, which gnuplot_svg.js names,\n"
    "     * is the page's own */\n"
    "    box.innerHTML = html.replace(/([\"'#])(gpPt|gpDot|textbox|greybox)/g, '$1ob' + n + '$2');\n"
    "    var lib = box.querySelector('script.ob-gplib');\n"
    "    if (lib) {\n"
    "      if (typeof window.gnuplot_svg !== 'function') {\n"
    "        var s = document.createElement('script');\n"
    "        s.text = lib.textContent;\n"
    "        document.head.appendChild(s);\n"
    "      }\n"
    "      lib.parentNode.removeChild(lib);\n"
    "    }\n"
    "    var views = [], el = box.querySelectorAll('.iview');\n"
    "    for (var i = 0; i < el.length; i++) {\n"
    "      var svg = el[i].querySelector('svg');\n"
    "      svg.gnuplot = new window.gnuplot_svg(svg);\n"
    "      views.push({el: el[i], svg: svg, q: el[i].getAttribute('data-q'), x: el[i].getAttribute('data-x'),\n"
    "                  xname: el[i].getAttribute('data-xname'), axes: axes(svg), series: series(svg)});\n"
    "    }\n"
    "    views.forEach(function (v) {\n"
    "      v.series.forEach(function (s) {\n"
    "        var k = v.svg.querySelectorAll('g[id=\"' + s.g.id + '_keyentry\"]');\n"
    "        for (var j = 0; j < k.length; j++)\n"
    "          k[j].addEventListener('click', function () {\n"
    "            show(views, s.name, s.g.getAttribute('visibility') !== 'hidden');\n"
    "          });\n"
    "      });\n"
    "      function update(evt) {\n"
    "        var c = v.svg.querySelector('#coord_text');\n"
    "        if (coordOn(v)) c.textContent = readout(v, evt);\n"
    "      }\n"
    "      v.svg.addEventListener('mousemove', update);\n"
    "      v.svg.addEventListener('click', update);\n"
    "    });\n"
    "    var cur = null;\n"
    "    /* the wheel zooms a plot whose coordinates are on; otherwise the page scrolls */\n"
    "    box.addEventListener('wheel', function (e) { if (!coordOn(cur)) e.stopPropagation(); }, true);\n"
    "    var bar = fig.querySelector('.ibar'), qs = [], xs = [], buttons = [];\n"
    "    var note = document.createElement('p'), fc = fig.querySelector('figcaption');\n"
    "    note.className = 'icapnote';\n"
    "    fc.insertBefore(note, fc.firstChild);\n"
    "    views.forEach(function (v) {\n"
    "      if (qs.indexOf(v.q) < 0) qs.push(v.q);\n"
    "      if (xs.indexOf(v.x) < 0) xs.push(v.x);\n"
    "    });\n"
    "    function select(q, x) {\n"
    "      cur = null;\n"
    "      views.forEach(function (v) { if (v.q === q && v.x === x) cur = v; });\n"
    "      if (!cur) views.forEach(function (v) { if (!cur && v.q === q) cur = v; });\n"
    "      views.forEach(function (v) { v.el.hidden = v !== cur; });\n"
    "      fig.setAttribute('data-q', cur.q);\n"
    "      fig.setAttribute('data-x', cur.x);\n"
    "      buttons.forEach(function (b) {\n"
    "        var k = b.getAttribute('data-key'), val = b.getAttribute('data-val');\n"
    "        b.setAttribute('aria-pressed', String(k === 'q' ? val === cur.q : val === cur.x));\n"
    "        if (k === 'x') b.disabled = !views.some(function (v) { return v.q === cur.q && v.x === val; });\n"
    "      });\n"
    "      var caps = fig.querySelectorAll('.icap'), exact = false;\n"
    "      for (var i = 0; i < caps.length; i++)\n"
    "        exact = exact || (caps[i].getAttribute('data-q') === cur.q && caps[i].getAttribute('data-x') === cur.x);\n"
    "      var shown = false;\n"
    "      for (i = 0; i < caps.length; i++) {\n"
    "        var on = caps[i].getAttribute('data-q') === cur.q && (!exact || caps[i].getAttribute('data-x') === cur.x) && !shown;\n"
    "        caps[i].hidden = !on;\n"
    "        if (on && !exact) {\n"
    "          var of = null;\n"
    "          views.forEach(function (v) { if (!of && v.x === caps[i].getAttribute('data-x')) of = v; });\n"
    "          note.textContent = 'No still figure draws this view; the caption is that of the ' +\n"
    "            cur.el.getAttribute('data-qname') + ' against ' + (of ? of.xname : caps[i].getAttribute('data-x')) + ':';\n"
    "        }\n"
    "        shown = shown || on;\n"
    "      }\n"
    "      note.hidden = exact;\n"
    "    }\n"
    "    function group(label, key, vals) {\n"
    "      if (vals.length < 2) return;\n"
    "      var span = document.createElement('span');\n"
    "      span.textContent = label + ' ';\n"
    "      vals.forEach(function (val) {\n"
    "        var b = document.createElement('button'), v = null;\n"
    "        views.forEach(function (w) { if (!v && w[key] === val) v = w; });\n"
    "        b.type = 'button';\n"
    "        b.textContent = key === 'q' ? v.el.getAttribute('data-qname') : v.xname;\n"
    "        b.setAttribute('data-key', key);\n"
    "        b.setAttribute('data-val', val);\n"
    "        b.addEventListener('click', function () {\n"
    "          select(key === 'q' ? val : cur.q, key === 'x' ? val : cur.x);\n"
    "        });\n"
    "        buttons.push(b);\n"
    "        span.appendChild(b);\n"
    "      });\n"
    "      bar.appendChild(span);\n"
    "    }\n"
    "    group('show', 'q', qs);\n"
    "    group('x axis', 'x', xs);\n"
    "    var r = document.createElement('button');\n"
    "    r.type = 'button';\n"
    "    r.textContent = 'reset zoom';\n"
    "    r.addEventListener('click', function () { cur.svg.gnuplot.reset(); });\n"
    "    bar.appendChild(r);\n"
    "    select(views[0].q, views[0].x);\n"
    "  }\n"
    "  function fail(box, e) {\n"
    "    box.setAttribute('data-state', 'failed');\n"
    "    box.insertAdjacentHTML('beforeend', '<p>This figure could not be unpacked: ' +\n"
    "                           String(e).replace(/</g, '&lt;') + '</p>');\n"
    "    failed++;\n"
    "    mark();\n"
    "  }\n"
    "  function unpack(box) {\n"
    "    if (box.getAttribute('data-state')) return;\n"
    "    box.setAttribute('data-state', 'unpacking');\n"
    "    try {\n"
    "      var s = atob(box.getAttribute('data-gz')), a = new Uint8Array(s.length);\n"
    "      for (var i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);\n"
    "      new Response(new Blob([a]).stream().pipeThrough(new DecompressionStream('gzip'))).text()\n"
    "        .then(function (html) {\n"
    "          init(box, html);\n"
    "          box.removeAttribute('data-gz');\n"
    "          box.setAttribute('data-state', 'ready');\n"
    "          ready++;\n"
    "          mark();\n"
    "        }).catch(function (e) { fail(box, e); });\n"
    "    } catch (e) { fail(box, e); }\n"
    "  }\n"
    "  function shown(e) {\n"
    "    for (; e; e = e.parentElement) if (e.tagName === 'DETAILS' && !e.open) return false;\n"
    "    return true;\n"
    "  }\n"
    "  function scan() { for (var i = 0; i < boxes.length; i++) if (shown(boxes[i])) unpack(boxes[i]); }\n"
    "  /* gnuplot_svg.js pans every figure with the arrow keys pressed anywhere on the page */\n"
    "  window.addEventListener('keydown', function (e) {\n"
    "    if (e.target === body && keys.indexOf(e.key) >= 0) e.stopPropagation();\n"
    "  }, true);\n"
    "  document.addEventListener('toggle', scan, true);\n"
    "  mark();\n"
    "  scan();\n"
    "})();\n"
    "</script>\n"
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

/* ---- interactive figures: the curve figures of a workload stand as one figure, which
 * plots/fig_interactive.c drew into figures/curves-W.html.gz (a gzipped fragment: the
 * page's script unpacks it) ---- */

/* the curve figures (their file's prefix) and the view of the interactive figure each is */
static const struct {
    const char *prefix, *q, *x;
} curve_figs[] = {
    {"figures/gap-steps-", "gap", "steps"},     {"figures/gap-evals-", "gap", "evals"},
    {"figures/gap-seconds-", "gap", "seconds"}, {"figures/gnorm-steps-", "gnorm", "steps"},
    {"figures/net-loss-", "loss", "epochs"},    {"figures/net-acc-", "acc", "epochs"},
};
#define OB_FRAGMENT_MAX (8 * 1024 * 1024) /* bytes of one gzipped fragment inlined */

/* When src is a curve figure whose workload has an interactive fragment in dir: its row
 * of curve_figs, the workload in w and the fragment's path in frag; else -1. */
static int curve_of(const char *dir, const char *src, char *w, size_t wcap, char *frag,
                    size_t fcap)
{
    for (size_t k = 0; k < sizeof curve_figs / sizeof *curve_figs; k++) {
        size_t lp = strlen(curve_figs[k].prefix);
        const char *rest = src + lp, *dot = strrchr(src, '.');
        if (strncmp(src, curve_figs[k].prefix, lp) != 0 || !dot || dot <= rest) continue;
        snprintf(w, wcap, "%.*s", (int)(dot - rest), rest);
        snprintf(frag, fcap, "%s/figures/curves-%s.html.gz", dir, w);
        struct stat st;
        return stat(frag, &st) == 0 && S_ISREG(st.st_mode) ? (int)k : -1;
    }
    return -1;
}

/* The figures' data: URIs, made before the tree is reshaped, in parallel (decoding,
 * reducing and encoding a PNG takes about 15 ms; the quick suite has 59). */
typedef struct {
    char **src;     /* copies: the tree's nodes go as the figures are gridded */
    char **uri;
    size_t n;
    const char *dir;
} thumbs;

static int collect_thumbs(cmark_node *root, const char *dir, thumbs *t)
{
    size_t cap = 0;
    *t = (thumbs){.dir = dir};
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
        char w[256], frag[4096];
        if (curve_of(dir, t->src[i], w, sizeof w, frag, sizeof frag) >= 0) continue; /* shown interactive */
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
    ob_html_attr(f, src);
    fputs("\" target=\"_blank\">", f);
    if (uri || !strstr(src, ".pdf")) {
        fputs("<img src=\"", f);
        ob_html_attr(f, uri ? uri : src);
        fputs("\" alt=\"", f);
        ob_html_attr(f, alt);
        fputs("\">", f);
    } else {
        fputs("the figure as PDF", f);
    }
    fprintf(f, "</a><figcaption>%s</figcaption></figure>\n", caption ? caption : "");
    free(caption);
    free(uri);
}

/* The interactive figure of workload w standing for the curve figures among the run's
 * figures (src[i], cap[i]): the fragment inlined, a caption per view (the still figure's,
 * the page's script shows the one of the view shown) and links to the still figures.
 * -1 when the fragment cannot be read (the caller shows the stills). */
static int put_interactive(FILE *f, const char *frag, const char *w, const char *dir,
                           const char **src, cmark_node **cap, size_t n)
{
    char *b64 = ob_file_base64(frag, OB_FRAGMENT_MAX);
    if (!b64) return -1;
    fputs("<figure class=\"ifig\"><div class=\"ibar\"></div><div class=\"iviews\" data-gz=\"", f);
    fputs(b64, f);
    fputs("\"><noscript>This interactive figure needs JavaScript; the still figures are "
          "linked below.</noscript></div><figcaption>", f);
    free(b64);
    char ww[256], fr[4096];
    for (size_t j = 0; j < n; j++) {
        int k = curve_of(dir, src[j], ww, sizeof ww, fr, sizeof fr);
        if (k < 0 || strcmp(ww, w) != 0) continue;
        char *html = cmark_render_html(cap[j], CMARK_OPT_DEFAULT, NULL);
        fprintf(f, "<div class=\"icap\" data-q=\"%s\" data-x=\"%s\">%s</div>", curve_figs[k].q,
                curve_figs[k].x, html ? html : "");
        free(html);
    }
    fputs("<p><em>Interactive</em> (medians over seeds; the still figures add the "
          "inter-quartile bands): the buttons switch the quantity and the x axis; a click on "
          "an optimizer's key entry hides or shows it in every view; a click in the plot shows "
          "the coordinates under the pointer and lets the wheel zoom (drag pans, a right click "
          "or <em>reset zoom</em> restores; another click lets the page scroll again). Still "
          "figures:", f);
    for (size_t j = 0, first = 1; j < n; j++) {
        if (curve_of(dir, src[j], ww, sizeof ww, fr, sizeof fr) < 0 || strcmp(ww, w) != 0) continue;
        fputs(first ? " <a href=\"" : ", <a href=\"", f);
        ob_html_attr(f, src[j]);
        fputs("\" target=\"_blank\">", f);
        const char *base = strrchr(src[j], '/');
        ob_html_attr(f, base ? base + 1 : src[j]);
        fputs("</a>", f);
        first = 0;
    }
    fputs(".</p></figcaption></figure>\n", f);
    return 0;
}

/* In every container below node, runs of figure pairs become one custom block; the curve
 * figures of a workload with an interactive fragment become one interactive figure, where
 * the first of them was. */
static int grid_figures(cmark_node *node, thumbs *th)
{
    cmark_node *n = cmark_node_first_child(node);
    while (n) {
        const char *src = figure_src(n);
        if (!src || !is_caption(cmark_node_next(n))) {
            int t = cmark_node_get_type(n);
            if ((t == CMARK_NODE_CUSTOM_BLOCK || t == CMARK_NODE_BLOCK_QUOTE) && grid_figures(n, th))
                return -1;
            n = cmark_node_next(n);
            continue;
        }
        /* the run: its figures' sources and captions */
        cmark_node *prev = cmark_node_previous(n);
        size_t m = 0, cap = 0;
        const char **srcs = NULL;
        cmark_node **fig = NULL, **caps = NULL;
        for (cmark_node *p = n; p && figure_src(p) && is_caption(cmark_node_next(p));
             p = cmark_node_next(cmark_node_next(p))) {
            if (m == cap) {
                cap = cap ? 2 * cap : 16;
                const char **s = realloc(srcs, cap * sizeof *s);
                cmark_node **a = realloc(fig, cap * sizeof *a), **b = realloc(caps, cap * sizeof *b);
                if (s) srcs = s;
                if (a) fig = a;
                if (b) caps = b;
                if (!s || !a || !b) {
                    free(srcs), free(fig), free(caps);
                    return -1;
                }
            }
            fig[m] = p, caps[m] = cmark_node_next(p), srcs[m++] = figure_src(p);
        }
        n = cmark_node_next(caps[m - 1]);
        char *html = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&html, &len);
        if (!f) {
            free(srcs), free(fig), free(caps);
            return -1;
        }
        fputs("<div class=\"figs\">\n", f);
        char done[64][256]; /* the workloads whose interactive figure this run shows */
        size_t nd = 0;
        for (size_t i = 0; i < m; i++) {
            char w[256], frag[4096];
            if (curve_of(th->dir, srcs[i], w, sizeof w, frag, sizeof frag) >= 0) {
                size_t d = 0;
                while (d < nd && strcmp(done[d], w) != 0) d++;
                if (d < nd) continue; /* shown with an earlier curve figure of w */
                if (nd < 64 && put_interactive(f, frag, w, th->dir, srcs, caps, m) == 0) {
                    memcpy(done[nd++], w, sizeof w);
                    continue;
                }
            }
            put_figure(f, th, srcs[i], caps[i]);
        }
        fputs("</div>", f);
        for (size_t i = 0; i < m; i++) {
            cmark_node_free(fig[i]);
            cmark_node_free(caps[i]);
        }
        free(srcs), free(fig), free(caps);
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
