#!/bin/sh
# install-deps.sh [run|test] - installs the Debian packages optbench needs, when any is
# missing (docs/contracts.md, "Dependencies").  `run` (what `make` and `make bench` call):
# the libraries, gnuplot and the Fashion-MNIST package.  `test` (what `make test` calls):
# those, plus cmocka, chromium (the report as a browser shows it), valgrind and GNU
# parallel.  The installer's output goes to build/install.log; the screen gets one line.
# NO_INSTALL=1 skips all of it.  Safe to run again: it only checks then.
set -eu
RUN_PKGS="g++ libgsl-dev libopenblas-dev libcsv-dev libdouble-conversion-dev gnuplot-nox
          zlib1g-dev libpng-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libinih-dev
          libcjson-dev dataset-fashion-mnist"
TEST_PKGS="libcmocka-dev chromium valgrind parallel"
LOG=${INSTALL_LOG:-build/install.log}

case "${1:-run}" in
run) PKGS=$RUN_PKGS ;;
test) PKGS="$RUN_PKGS $TEST_PKGS" ;;
*) echo "install-deps.sh: unknown set '$1' (accepted: run, test)" >&2; exit 2 ;;
esac
[ "${NO_INSTALL:-0}" = 1 ] && exit 0

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps.sh: no apt on this machine; install these (Debian names) yourself," \
         "then run make with NO_INSTALL=1:" $PKGS >&2
    exit 2
fi
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
set -- $missing
mkdir -p "$(dirname "$LOG")"
echo "installing $# Debian package(s):$missing (log: $LOG)" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -q --no-install-recommends $missing; } \
        >>"$LOG" 2>&1; then
    echo "install-deps.sh: apt-get failed; the last lines of $LOG:" >&2
    tail -n 5 "$LOG" >&2
    exit 1
fi
