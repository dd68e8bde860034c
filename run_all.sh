#!/bin/sh
# Regenerates every result from scratch: builds optbench, optionally runs the tests
# (RUN_TESTS=1), then runs the full benchmark suite into results/full/ (the runs, the
# tables, the SGD-rate experiment, every figure and the report).  `make bench` runs the
# quick suite into results/ instead.
set -eu
cd "$(dirname "$0")"
OUT=${OUT:-results/full}
make -s optbench
[ "${RUN_TESTS:-0}" = 1 ] && make test
rm -rf "$OUT"
mkdir -p "$OUT"
./optbench bench --suite full --out "$OUT" --jobs "${JOBS:-$(nproc)}"
echo "results: $OUT/report.md and $OUT/index.html (tables: $OUT/*.csv, figures: $OUT/figures/)"
