#!/bin/sh
# browser_check.sh DIR [MAX_HEIGHT] - opens DIR/index.html in headless Chromium at 1400
# pixels wide, as a person's browser would show it, and checks:
#   1. every figure loaded (no broken image; as many as the HTML has <img> tags);
#   2. every in-page link (the table of contents) lands on an element with its id;
#   3. with its sections folded, the page is at most MAX_HEIGHT pixels tall (default
#      15000, the quick suite's budget);
#   4. a link to a workload's section (#name) opens that folded section;
#   5. index.html copied alone to another directory still shows every figure;
#   6. the page's script counts as many interactive figures (the curve figures, in place of
#      their thumbnails) as the HTML has, and none failed to unpack in the opened section
#      (tests/interactive_check.sh works them).
# index.html's script records what it saw as data-* attributes of <body> once the page has
# loaded, and --dump-dom prints the page after that.  Exit 0 when all hold, 1 otherwise,
# and 77 (automake's "skipped") with the message "browser check skipped: chromium not
# installed" when there is no chromium: nothing was checked, and the caller reports the
# skip (test_plots.c's tests call cmocka's skip(), which tests/run.sh counts and names).
set -u
dir=${1:?usage: tests/browser_check.sh RESULTS_DIR [MAX_HEIGHT]}
max_height=${2:-15000}
page="$dir/index.html"
[ -f "$page" ] || { echo "browser check: $page does not exist (run optbench plot $dir)"; exit 1; }
chrome=""
for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && { chrome=$c; break; }
done
[ -n "$chrome" ] || { echo "browser check skipped: chromium not installed"; exit 77; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# dom URL: the page after its load handler ran
dom() {
    timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-dev-shm-usage --user-data-dir="$work/profile" --virtual-time-budget=5000 \
        --window-size=1400,1000 --dump-dom "$1" 2>"$work/stderr"
}
# attr NAME DOM: the value of data-NAME on <body>
attr() { printf '%s' "$2" | sed -n "s/.*<body[^>]*data-$1=\"\([^\"]*\)\".*/\1/p" | head -1; }

# check URL WHAT: the images of the page at URL all loaded; sets $out to its DOM
check_images() {
    out=$(dom "$1")
    rc=$?
    if [ $rc -ne 0 ] || [ -z "$out" ]; then
        echo "browser check: $chrome failed (exit $rc) on $1:"
        tail -5 "$work/stderr"
        exit 1
    fi
    loaded=$(attr images-loaded "$out")
    total=$(attr images-total "$out")
    case "$loaded$total" in
    *[!0-9]*|"") echo "browser check: the page's script did not run on $2 (loaded='$loaded', total='$total')"; exit 1 ;;
    esac
    if [ "$total" -ne "$expect" ] || [ "$loaded" -ne "$total" ] || [ "$total" -eq 0 ]; then
        echo "browser check: $loaded of $total images loaded in $2 ($expect in the HTML); broken: $(attr images-broken "$out")"
        exit 1
    fi
}

abs=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
expect=$(grep -o '<img ' "$page" | wc -l)
check_images "file://$abs" "$page"
links=$(attr links-total "$out")
ifigs=$(grep -o '<figure class="ifig">' "$page" | wc -l)
if [ "$(attr ifig-total "$out")" != "$ifigs" ]; then
    echo "browser check: the page's script counted '$(attr ifig-total "$out")' interactive figures, the HTML has $ifigs"
    exit 1
fi
broken=$(attr links-broken "$out")
height=$(attr height "$out")
if [ -z "$links" ] || [ "$links" -eq 0 ] || [ -n "$broken" ]; then
    echo "browser check: table of contents links without a target in $page: '$broken' (of '$links')"
    exit 1
fi
if [ -z "$height" ] || [ "$height" -gt "$max_height" ]; then
    echo "browser check: $page is '$height' px tall with its sections folded (at most $max_height)"
    exit 1
fi
# the first folded section, reached by its link
first=$(grep -A2 '<details class="wl">' "$page" | grep -o '<h3 id="[^"]*"' | head -1 | sed 's/.*id="//; s/"$//')
if [ -n "$first" ]; then
    odom=$(dom "file://$abs#$first")
    opened=$(attr open "$odom")
    ifailed=$(attr ifig-failed "$odom")
    if [ -n "$ifailed" ] && [ "$ifailed" != 0 ]; then
        echo "browser check: $ifailed interactive figures of section #$first did not unpack"
        exit 1
    fi
    case " $opened " in
    *" $first "*) ;;
    *) echo "browser check: the link #$first did not open its section (open: '$opened')"; exit 1 ;;
    esac
fi
# moved alone
mkdir "$work/alone"
cp "$page" "$work/alone/index.html"
check_images "file://$work/alone/index.html" "$page moved alone"
echo "browser check: all $total figures of $page loaded (also moved alone), $ifigs interactive, $links links land, ${height} px tall folded${first:+, #$first opens}"
