#!/bin/sh
# interactive_check.sh DIR - the interactive curve figures of DIR/index.html in headless
# Chromium with every connection refused (a proxy at 127.0.0.1:9, where nothing listens):
#   1. the page names nothing to fetch: no src, href, url() or @import with http(s), no
#      <link>; and, once unpacked, no figure's element refers to http(s) either;
#   2. every interactive figure unpacks (as many as the HTML has) and its views are SVGs;
#   3. in each figure, a click on the first optimizer's key entry hides its line (its
#      path's computed visibility becomes hidden) in every view, training line included,
#      leaves another optimizer's line shown, and a second click shows it again;
#   4. where a figure has two x axes or more, switching the axis shows another view
#      whose x-axis texts (label and tick labels) differ (and, counted, the line's x
#      coordinates: the same where the seconds grow as the epochs);
#   5. a click in the plot shows the coordinates under the pointer, with digits.
# The checks run in a copy of the page, with a script added before </body> that records
# its verdict on <body> (data-icheck), printed by --dump-dom.  Exit 0 when all hold, 1
# otherwise, 77 with "interactive check skipped: chromium not installed" without chromium.
set -u
dir=${1:?usage: tests/interactive_check.sh RESULTS_DIR}
page="$dir/index.html"
[ -f "$page" ] || { echo "interactive check: $page does not exist (run optbench plot $dir)"; exit 1; }
chrome=""
for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && { chrome=$c; break; }
done
[ -n "$chrome" ] || { echo "interactive check skipped: chromium not installed"; exit 77; }

expect=$(grep -o '<figure class="ifig">' "$page" | wc -l)
[ "$expect" -gt 0 ] || { echo "interactive check: $page has no interactive figure"; exit 1; }
fetches=$(grep -oiE '(src|href)="https?:[^"]*"|url\(["'"'"']?https?:|@import|<link ' "$page" | head -3)
if [ -n "$fetches" ]; then
    echo "interactive check: $page refers to the network: $fetches"
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/check.js" <<'EOF'
<script>
(function () {
  var body = document.body, tries = 0;
  function verdict(v) { body.setAttribute('data-icheck', v); }
  function vis(el) { return getComputedStyle(el).visibility !== 'hidden'; }
  function shown(fig) {
    var v = fig.querySelectorAll('.iview');
    for (var i = 0; i < v.length; i++) if (!v[i].hidden) return v[i];
    return null;
  }
  /* the lines of series name in view v: the paths of the plots titled name */
  function lines(v, name) {
    var out = [], g = v.querySelectorAll('g[id^="gnuplot_plot_"]');
    for (var i = 0; i < g.length; i++) {
      var t = g[i].querySelector('title');
      if (/_keyentry$/.test(g[i].id) || !t || t.textContent !== name) continue;
      var p = g[i].querySelectorAll('path'); /* the key entry's sample stays, greyed */
      for (var j = 0; j < p.length; j++) if (!p[j].closest('g[id$="_keyentry"]')) out.push(p[j]);
    }
    return out;
  }
  /* the plot of series name with its key entry */
  function main(v, name) {
    var g = v.querySelectorAll('g[id^="gnuplot_plot_"]');
    for (var i = 0; i < g.length; i++) {
      var t = g[i].querySelector('title');
      if (t && t.textContent === name && v.querySelector('g[id="' + g[i].id + '_keyentry"]')) return g[i];
    }
    return null;
  }
  /* the longest path of that plot: its line (the short one is its key sample) */
  function line(v, name) {
    var best = null, g = main(v, name);
    if (g) Array.prototype.forEach.call(g.querySelectorAll('path'), function (p) {
      if (!best || p.getAttribute('d').length > best.getAttribute('d').length) best = p;
    });
    return best;
  }
  function xs(p) {
    return (p.getAttribute('d').match(/[ML]\s*-?[\d.]+/g) || []).map(function (s) { return s.slice(1).trim(); }).join(' ');
  }
  function axisTexts(v) {
    var s = v.querySelectorAll('script')[1], t = v.querySelectorAll('text'), out = [];
    var m0 = /plot_ybot = ([\d.]+)/.exec(s ? s.textContent : ''), bottom = m0 ? +m0[1] : 0;
    for (var i = 0; i < t.length; i++) {
      var g = t[i].closest('g[transform]'), m = g && /translate\(([\d.]+),([\d.]+)\)/.exec(g.getAttribute('transform'));
      if (m && +m[2] > bottom) out.push(t[i].textContent.trim()); /* below the plot: the x axis */
    }
    return out.join('|');
  }
  function click(el, x, y) {
    el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, clientX: x || 0, clientY: y || 0}));
  }
  function check() {
    var figs = document.querySelectorAll('figure.ifig'), hid = 0, switched = 0, read = 0, moved = 0;
    var remote = document.querySelectorAll('.iviews [href^="http"], .iviews [src^="http"], .iviews [*|href^="http"]');
    if (remote.length) return 'a figure refers to the network: ' + remote[0].outerHTML.slice(0, 120);
    for (var f = 0; f < figs.length; f++) {
      var fig = figs[f], v = shown(fig), views = fig.querySelectorAll('.iview');
      if (!v || !v.querySelector('svg')) return 'figure ' + f + ' shows no SVG';
      var g = v.querySelectorAll('g[id^="gnuplot_plot_"]'), named = [];
      for (var i = 0; i < g.length; i++) {
        var t = g[i].querySelector('title');
        if (!/_keyentry$/.test(g[i].id) && t && t.textContent !== g[i].id && named.indexOf(t.textContent) < 0)
          named.push(t.textContent);
      }
      if (named.length < 2) return 'figure ' + f + ' has fewer than two optimizers';
      var name = named[0], other = named[1], p = line(v, name), q = line(v, other);
      var key = p && v.querySelector('g[id="' + main(v, name).id + '_keyentry"]');
      if (!p || !q || !key) return 'figure ' + f + ': no line or key entry for ' + name;
      if (!vis(p) || !vis(q)) return 'figure ' + f + ': ' + name + ' or ' + other + ' hidden before any click';
      click(key);
      for (var k = 0; k < views.length; k++) {
        var all = lines(views[k], name);
        if (all.length === 0) return 'figure ' + f + ' view ' + k + ' has no line of ' + name;
        for (var j = 0; j < all.length; j++)
          if (vis(all[j])) return 'figure ' + f + ' view ' + k + ': a line of ' + name + ' still shown after its key entry was clicked';
      }
      if (!vis(q)) return 'figure ' + f + ': hiding ' + name + ' hid ' + other;
      click(key);
      if (!vis(p)) return 'figure ' + f + ': ' + name + ' not shown again by a second click';
      hid++;
      /* the coordinates under the pointer */
      var svg = v.querySelector('svg'), r = svg.getBoundingClientRect();
      click(svg, r.left + r.width * 0.4, r.top + r.height * 0.5);
      var c = svg.querySelector('#coord_text');
      if (!c || c.getAttribute('visibility') === 'hidden' || !/\d/.test(c.textContent))
        return 'figure ' + f + ': a click in the plot showed no coordinates (' + (c ? c.textContent : 'none') + ')';
      click(svg, r.left + r.width * 0.4, r.top + r.height * 0.5);
      read++;
      var b = fig.querySelectorAll('.ibar button[data-key="x"]');
      for (var n = 0; n < b.length; n++) {
        if (b[n].disabled || b[n].getAttribute('data-val') === fig.getAttribute('data-x')) continue;
        var texts = axisTexts(v), x0 = xs(p);
        click(b[n]);
        var w = shown(fig);
        if (w === v || fig.getAttribute('data-x') !== b[n].getAttribute('data-val'))
          return 'figure ' + f + ': the ' + b[n].textContent + ' button did not switch the view';
        if (axisTexts(w) === texts) return 'figure ' + f + ': the x axis reads the same after switching to ' + b[n].textContent + ' (' + texts + ')';
        if (xs(line(w, name)) !== x0) moved++; /* not where seconds grow as the epochs */
        switched++;
        break;
      }
    }
    return 'ok ' + figs.length + ' figures: ' + hid + ' optimizers hidden and shown, ' + read +
           ' readouts, ' + switched + ' x-axis switches (' + moved + ' moving the line)';
  }
  function wait() {
    var total = +body.getAttribute('data-ifig-total'), ready = +body.getAttribute('data-ifig-ready'),
        failed = +body.getAttribute('data-ifig-failed');
    if (failed) return verdict('FAIL: ' + failed + ' figures did not unpack');
    if (ready < total) {
      if (++tries > 400) return verdict('FAIL: ' + ready + ' of ' + total + ' figures unpacked');
      return setTimeout(wait, 25);
    }
    var v;
    try { v = check(); } catch (e) { v = 'exception ' + e; }
    verdict(/^ok /.test(v) ? v : 'FAIL: ' + v);
  }
  window.addEventListener('load', function () {
    var d = document.querySelectorAll('details');
    for (var i = 0; i < d.length; i++) d[i].open = true;
    setTimeout(wait, 0);
  });
})();
</script>
EOF
# the page with the check added before </body>
awk -v js="$work/check.js" '/<\/body>/ { while ((getline l < js) > 0) print l } { print }' "$page" >"$work/page.html"
out=$(timeout 180 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-dev-shm-usage --proxy-server=127.0.0.1:9 --user-data-dir="$work/profile" \
        --virtual-time-budget=20000 --window-size=1400,1000 --dump-dom "file://$work/page.html" \
        2>"$work/stderr")
rc=$?
if [ $rc -ne 0 ] || [ -z "$out" ]; then
    echo "interactive check: $chrome failed (exit $rc):"
    tail -5 "$work/stderr"
    exit 1
fi
total=$(printf '%s' "$out" | sed -n 's/.*<body[^>]*data-ifig-total="\([^"]*\)".*/\1/p' | head -1)
verdict=$(printf '%s' "$out" | sed -n 's/.*<body[^>]*data-icheck="\([^"]*\)".*/\1/p' | head -1)
if [ "$total" != "$expect" ]; then
    echo "interactive check: the page's script counted '$total' interactive figures, the HTML has $expect"
    exit 1
fi
case "$verdict" in
"ok "*) echo "interactive check: $page, offline: $verdict" ;;
*) echo "interactive check: $page: ${verdict:-no verdict (the check did not run)}"; exit 1 ;;
esac
