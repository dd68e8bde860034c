#!/bin/sh
# Installs the Debian packages optbench needs (DESIGN.md, "Dependencies") when any is
# missing.  Runs from `make` on first use; safe to run again (it only checks then).
set -eu
# chromium: the test that opens the report as a browser shows it
PKGS="g++ libgsl-dev libopenblas-dev libcsv-dev libdouble-conversion-dev gnuplot-nox zlib1g-dev
      libcmocka-dev dataset-fashion-mnist chromium valgrind"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
