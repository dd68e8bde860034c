#!/bin/sh
# browser_check.sh DIR - opens DIR/index.html in headless Chromium, as a person's browser
# would show it, and checks that every figure loaded: index.html's script sets
# data-images-loaded / data-images-total on <body> once the page has loaded, and
# --dump-dom prints the page after that.  Exit 0 when every image loaded (or, with the
# message "skipped: chromium not installed", when there is no chromium), 1 otherwise.
set -u
dir=${1:?usage: tests/browser_check.sh RESULTS_DIR}
page="$dir/index.html"
[ -f "$page" ] || { echo "browser check: $page does not exist (run optbench plot $dir)"; exit 1; }
chrome=""
for c in chromium chromium-browser google-chrome; do
    command -v "$c" >/dev/null 2>&1 && { chrome=$c; break; }
done
[ -n "$chrome" ] || { echo "browser check skipped: chromium not installed"; exit 0; }

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
abs=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
dom=$(timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --disable-dev-shm-usage --user-data-dir="$profile" --virtual-time-budget=5000 \
      --dump-dom "file://$abs" 2>"$profile/stderr")
rc=$?
if [ $rc -ne 0 ] || [ -z "$dom" ]; then
    echo "browser check: $chrome failed (exit $rc) on $page:"
    tail -5 "$profile/stderr"
    exit 1
fi
loaded=$(printf '%s' "$dom" | sed -n 's/.*data-images-loaded="\([^"]*\)".*/\1/p' | head -1)
total=$(printf '%s' "$dom" | sed -n 's/.*data-images-total="\([^"]*\)".*/\1/p' | head -1)
broken=$(printf '%s' "$dom" | sed -n 's/.*data-images-broken="\([^"]*\)".*/\1/p' | head -1)
expect=$(grep -o '<img ' "$page" | wc -l)
case "$loaded$total" in
*[!0-9]*|"") echo "browser check: the page's script did not run (loaded='$loaded', total='$total')"; exit 1 ;;
esac
if [ "$total" -ne "$expect" ] || [ "$loaded" -ne "$total" ] || [ "$total" -eq 0 ]; then
    echo "browser check: $loaded of $total images loaded in $page ($expect in the HTML)${broken:+; broken: $broken}"
    exit 1
fi
echo "browser check: all $total figures of $page loaded in $chrome"
