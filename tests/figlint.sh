#!/bin/sh
# figlint.sh FILE.svg... - the figure lint: reads figures drawn as SVG (`optbench plot DIR
# --format svg`, gnuplot's svg terminal) and checks, with the font metrics of headless
# Chromium, that every text element's box lies inside the canvas (the svg's viewBox) and
# overlaps no other text element of the same figure.  Ignored: empty texts (nothing but
# blanks), boxes that touch or overlap by up to 1 px (TOL), and a text drawn twice at the
# same place (gnuplot's 3-D plots draw their labels twice).  One Chromium launch for all
# the files: the page figlint.html measures the SVGs of figs.js (each base64-encoded,
# parsed with DOMParser, so an svg's own scripts never run, and shown in its own <div> at
# 1 px per user unit): a text's box is its getBBox() mapped by its getCTM() (a rotated
# text has a rotated box; two boxes overlap when they do along each of their 4 axes), and
# the script writes the violations into <pre id="out"> and data-done on <body>; --dump-dom
# prints the page after that (the figures removed).
# Prints one line per violation:
#   FIG: "TEXT" [x0,y0,x1,y1] outside the canvas [0,0,W,H]
#   FIG: "TEXT" [x0,y0,x1,y1] overlaps "TEXT" [x0,y0,x1,y1]
# (a box's extent in the svg's user units, y down) and a closing line "figlint: N figures, M texts,
# V violations".  Exit 0 when there is no violation, 1 when there are (or Chromium failed),
# 2 on bad input (no file, not an SVG), and 77 (automake's "skipped") with "figlint
# skipped: chromium not installed" when there is no Chromium (scripts/install-deps.sh test
# installs it).
set -u
[ $# -gt 0 ] || { echo "usage: tests/figlint.sh FILE.svg..." >&2; exit 2; }
for f in "$@"; do
    [ -f "$f" ] || { echo "figlint: $f does not exist (accepted: SVG files)" >&2; exit 2; }
    grep -q '<svg' "$f" || { echo "figlint: $f is not an SVG (no <svg> element)" >&2; exit 2; }
done
chrome=""
for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && { chrome=$c; break; }
done
[ -n "$chrome" ] || { echo "figlint skipped: chromium not installed"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
page="$work/figlint.html"
{
    cat <<'EOF'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
body { margin: 0 } .fig { position: relative; margin: 0; padding: 0; line-height: 0 }
.fig svg { display: block }
</style></head><body><div id="figs"></div><pre id="out"></pre>
<script src="figs.js"></script>
<script>
EOF
} >"$page"
# the figures, in a script of their own (out of the page that --dump-dom prints)
{
    echo "var FIGS = ["
    for f in "$@"; do
        # the name as given, in a JS string: backslashes and quotes escaped
        name=$(printf '%s' "$f" | sed 's/\\/\\\\/g; s/"/\\"/g')
        printf '["%s","' "$name"
        base64 -w0 "$f"
        printf '"],\n'
    done
    echo "];"
} >"$work/figs.js"
cat >>"$page" <<'EOF'
(function () {
  var TOL = 1, out = [], ntext = 0, host = document.getElementById('figs');
  function utf8(b64) {
    var s = atob(b64), a = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) a[i] = s.charCodeAt(i);
    return new TextDecoder('utf-8').decode(a);
  }
  function r1(v) { return Math.round(v * 10) / 10; }
  function box(b) { return '[' + r1(b.x0) + ',' + r1(b.y0) + ',' + r1(b.x1) + ',' + r1(b.y1) + ']'; }
  function label(s) { return JSON.stringify(s.replace(/\s+/g, ' ').trim()); }
  FIGS.forEach(function (fig) {
    var name = fig[0], doc;
    try { doc = new DOMParser().parseFromString(utf8(fig[1]), 'image/svg+xml'); }
    catch (e) { out.push(name + ': cannot read the SVG (' + e + ')'); return; }
    var svg = doc.documentElement;
    if (!svg || svg.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) {
      out.push(name + ': cannot read the SVG (not well-formed)'); return;
    }
    var vb = svg.getAttribute('viewBox'), W, H, X = 0, Y = 0;
    if (vb) {
      var v = vb.trim().split(/[\s,]+/).map(Number);
      X = v[0]; Y = v[1]; W = v[2]; H = v[3];
    } else {
      W = parseFloat(svg.getAttribute('width')); H = parseFloat(svg.getAttribute('height'));
    }
    if (!(W > 0 && H > 0)) { out.push(name + ': the SVG has no canvas size (viewBox or width and height)'); return; }
    var div = document.createElement('div');
    div.className = 'fig';
    host.appendChild(div);
    svg = document.importNode(svg, true);
    svg.setAttribute('width', W); svg.setAttribute('height', H);
    svg.setAttribute('viewBox', X + ' ' + Y + ' ' + W + ' ' + H);
    div.appendChild(svg);
    var texts = svg.getElementsByTagName('text'), boxes = [];
    for (var i = 0; i < texts.length; i++) {
      var t = texts[i], s = t.textContent;
      if (!s || !s.trim()) continue;
      var bb = t.getBBox(), m = t.getCTM();
      if (!(bb.width > 0 || bb.height > 0) || !m) continue; /* not rendered (display: none) */
      /* the box's corners in the svg's user units (a rotated text: a rotated box) */
      var c = [[bb.x, bb.y], [bb.x + bb.width, bb.y], [bb.x + bb.width, bb.y + bb.height],
               [bb.x, bb.y + bb.height]].map(function (p) {
        return [m.a * p[0] + m.c * p[1] + m.e - X, m.b * p[0] + m.d * p[1] + m.f - Y];
      });
      var xs = c.map(function (p) { return p[0]; }), ys = c.map(function (p) { return p[1]; });
      boxes.push({ s: s, c: c, x0: Math.min.apply(null, xs), y0: Math.min.apply(null, ys),
                   x1: Math.max.apply(null, xs), y1: Math.max.apply(null, ys) });
    }
    /* two boxes overlap by more than TOL along every axis of either (separating axes) */
    function overlap(p, q) {
      var boxes2 = [p.c, q.c];
      for (var k = 0; k < 2; k++)
        for (var e = 0; e < 2; e++) {
          var a = boxes2[k][e], b = boxes2[k][e + 1];
          var nx = b[0] - a[0], ny = b[1] - a[1], len = Math.sqrt(nx * nx + ny * ny);
          if (!(len > 0)) continue;
          nx /= len, ny /= len;
          var pr = [p.c, q.c].map(function (cs) {
            var d = cs.map(function (v) { return v[0] * nx + v[1] * ny; });
            return [Math.min.apply(null, d), Math.max.apply(null, d)];
          });
          if (Math.min(pr[0][1], pr[1][1]) - Math.max(pr[0][0], pr[1][0]) <= TOL) return false;
        }
      return true;
    }
    ntext += boxes.length;
    var seen = {};
    boxes.forEach(function (b) {
      if (b.x0 < -TOL || b.y0 < -TOL || b.x1 > W + TOL || b.y1 > H + TOL)
        { var line = name + ': ' + label(b.s) + ' ' + box(b) + ' outside the canvas [0,0,' + W + ',' + H + ']'; if (!seen[line]) { seen[line] = 1; out.push(line); } }
    });
    for (var a = 0; a < boxes.length; a++)
      for (var c = a + 1; c < boxes.length; c++) {
        var p = boxes[a], q = boxes[c];
        if (p.s === q.s && Math.abs(p.x0 - q.x0) <= TOL && Math.abs(p.y0 - q.y0) <= TOL &&
            Math.abs(p.x1 - q.x1) <= TOL && Math.abs(p.y1 - q.y1) <= TOL) continue; /* drawn twice */
        if (overlap(p, q))
          {
            var u = label(p.s) + ' ' + box(p), v = label(q.s) + ' ' + box(q);
            var line = name + ': ' + (u < v ? u + ' overlaps ' + v : v + ' overlaps ' + u);
            if (!seen[line]) { seen[line] = 1; out.push(line); } /* texts drawn twice: once */
          }
      }
    host.removeChild(div);
  });
  host.remove();
  FIGS = null;
  document.getElementById('out').textContent = out.map(function (l) { return l + '\n'; }).join('');
  document.body.setAttribute('data-texts', ntext);
  document.body.setAttribute('data-violations', out.length);
  document.body.setAttribute('data-done', 'yes');
})();
</script></body></html>
EOF
# the page's script runs as the page loads; --dump-dom prints the page after its load
dom=$(timeout 300 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-dev-shm-usage --user-data-dir="$work/profile" --window-size=1400,1000 \
    --dump-dom "file://$page" 2>"$work/stderr")
rc=$?
attr() { printf '%s' "$dom" | sed -n "s/.*<body[^>]*data-$1=\"\([^\"]*\)\".*/\1/p" | head -1; }
if [ $rc -ne 0 ] || [ "$(attr done)" != yes ]; then
    echo "figlint: $chrome failed (exit $rc) or the page's script did not finish:"
    tail -5 "$work/stderr"
    exit 1
fi
n=$(attr violations)
# the violations: the text of <pre id="out">, its HTML escapes undone
printf '%s' "$dom" | tr '\n' '\001' | sed 's/.*<pre id="out">//; s/<\/pre>.*//' |
    tr '\001' '\n' | sed '/^$/d' |
    sed 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&nbsp;/ /g; s/&amp;/\&/g'
echo "figlint: $# figures, $(attr texts) texts, $n violations"
[ "$n" -eq 0 ]
