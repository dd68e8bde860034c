#!/bin/sh
# run_all.sh [--fresh] - regenerates every result: builds optbench, optionally runs the
# tests (RUN_TESTS=1), then runs the full benchmark suite into results/full/ (the runs, the
# tables, the SGD-rate experiment, every figure and the report).  An interrupted run is
# resumed where it stopped: every finished run is kept and only the missing ones run.
# --fresh deletes results/full/ first and starts over.  `make bench` runs the quick suite
# into results/ instead.  OUT and JOBS override the directory and the worker count.
set -eu
cd "$(dirname "$0")"
OUT=${OUT:-results/full}
FRESH=0
for a in "$@"; do
    case "$a" in
    --fresh) FRESH=1 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run_all.sh: unknown argument '$a' (accepted: --fresh, --help)" >&2; exit 2 ;;
    esac
done
make -s optbench
[ "${RUN_TESTS:-0}" = 1 ] && make test
if [ "$FRESH" = 1 ]; then
    rm -rf "$OUT"
elif [ -d "$OUT/runs" ]; then
    echo "run_all.sh: resuming the runs in $OUT (--fresh starts over)" >&2
fi
mkdir -p "$OUT"
./optbench bench --suite full --out "$OUT" --jobs "${JOBS:-$(nproc)}"
./optbench stability --out "$OUT/stability" # the edge-of-stability experiment (minutes)
echo "results: $OUT/report.md and $OUT/index.html (tables: $OUT/*.csv, figures: $OUT/figures/)"
