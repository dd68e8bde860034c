#!/bin/sh
# sharpness_perf.sh BUILD - part of `make perf-nets`: what one sharpness estimate per epoch
# costs on netA with `optbench train`'s defaults (Adam lr 1e-3, batch 128, float32,
# Fashion-MNIST), against the same training without it.  Both commands are timed whole
# (data loading and per-epoch evaluation included; median of RUNS alternating runs); the
# bar is a ratio of at most 2.  Also the Hessian-vector products per estimate (the step
# log's hvps column).  Writes results/perf_sharpness.md.
set -u
BUILD=${1:-build}
EPOCHS=${EPOCHS:-3}
RUNS=${RUNS:-3}
BIN=$BUILD/optbench
OUT=results/perf_sharpness.md
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
K=422 # updates per epoch: ceil(54000 / 128)
wall() { # seconds of a whole command
    s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
    awk "BEGIN { printf \"%.3f\", $e - $s }"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: >"$TMP/off"
: >"$TMP/on"
for r in $(seq "$RUNS"); do
    wall "$BIN" train --net netA --epochs "$EPOCHS" --quiet --out "$TMP/off.csv" >>"$TMP/off"
    echo >>"$TMP/off"
    wall "$BIN" train --net netA --epochs "$EPOCHS" --sharpness-every $K --quiet \
        --out "$TMP/on.csv" >>"$TMP/on"
    echo >>"$TMP/on"
done
off=$(median <"$TMP/off")
on=$(median <"$TMP/on")
# estimates with products (adam has none before its first step) and their mean products
hv=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "hvps") c = i } NR > 1 && $c > 0 { n++; s += $c } END { printf "%d %.1f", n, s / n }' "$TMP/on.steps.csv")
n_est=${hv% *}
mean_hv=${hv#* }
ratio=$(awk "BEGIN { printf \"%.2f\", $on / $off }")
per=$(awk "BEGIN { printf \"%.2f\", ($on - $off) / $n_est }")
verdict=$(awk "BEGIN { print ($on / $off <= 2) ? \"within\" : \"OVER\" }")
mkdir -p results
cat >"$OUT" <<EOT
# Sharpness along a network run: the overhead

netA (784-300-10), \`optbench train\`'s defaults (Adam lr 1e-3, batch 128, float32), $EPOCHS
epochs on Fashion-MNIST, whole commands timed (median of $RUNS alternating runs).  With
\`--sharpness-every $K\` (one estimate per epoch, on 2000 training samples in float64, Lanczos
to a relative residual of 1e-3, at most 20 Hessian-vector products, each two full-batch
gradients by central differences):

| | seconds |
|---|---|
| training alone | $off |
| with one estimate per epoch | $on |
| ratio (bar: at most 2) | $ratio ($verdict) |
| seconds per estimate | $per |
| estimates, mean Hessian-vector products each | $n_est, $mean_hv |
EOT
cat "$OUT"
