#!/bin/sh
# nets_perf.sh BUILD - `make perf-nets`: seconds per epoch of softmax, netA and netB on
# Fashion-MNIST (batch 128, Adam lr 1e-3, median over EPOCHS epochs, training time only),
# optbench against PyTorch side by side, in float32 and float64, plus where optbench's
# epoch goes (build/perf/nets_perf) and its peak memory.  Writes results/perf_nets.md.
#
# PyTorch (Debian's python3-torch, run with /usr/bin/python3) is measured in the settings
# that matter on a 2-core machine: torch 1 thread with OpenBLAS 1 and 2 threads, torch 2
# threads; the table keeps its fastest.  Without torch the torch columns say "n/a".
set -u
BUILD=${1:-build}
EPOCHS=${EPOCHS:-5}
OUT=results/perf_nets.md
BIN=$BUILD/optbench
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
have_torch=0
/usr/bin/python3 -c 'import torch' 2>/dev/null && have_torch=1

# median of the per-epoch differences of the seconds column of a training CSV
median_epoch() {
    awk -F, 'NR > 2 { print $3 - prev } NR > 1 { prev = $3 }' "$1" | sort -g |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

peak_mb() { # peak resident set of a command, in MB
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident/ { printf "%.0f", $6 / 1024 }'
    else
        "$@" >/dev/null 2>&1; echo "n/a"
    fi
}

{
    echo "# Network training speed (seconds per epoch, median of $EPOCHS)"
    echo
    echo "Fashion-MNIST, 54000 training samples, batch 128, Adam lr 1e-3; training time only."
    echo
    echo "| net | precision | optbench s/epoch | peak MB | torch fastest s/epoch | torch setting | ratio | test acc (optbench, torch) |"
    echo "|---|---|---|---|---|---|---|---|"
} >"$TMP/table"
: >"$TMP/breakdown"
for net in softmax netA netB; do
    for prec in float32 float64; do
        csv=$TMP/$net-$prec.csv
        mb=$(peak_mb "$BIN" train --net "$net" --optimizer adam --lr 1e-3 --batch 128 \
            --epochs "$EPOCHS" --precision "$prec" --quiet --out "$csv")
        ours=$(median_epoch "$csv")
        acc=$(tail -1 "$csv" | awk -F, '{ print $10 }')
        best="n/a" setting="n/a" tacc="n/a"
        if [ "$have_torch" = 1 ]; then
            for s in "1 1" "1 2" "2 1"; do
                set -- $s
                line=$(OPENBLAS_NUM_THREADS=$2 /usr/bin/python3 perf/torch_nets.py --net "$net" \
                    --precision "$prec" --epochs "$EPOCHS" --threads "$1")
                t=$(echo "$line" | awk '{ print $5 }')
                echo "torch $line" >&2
                if [ "$best" = "n/a" ] || awk "BEGIN { exit !($t < $best) }"; then
                    best=$t setting="torch $1 thread(s), OpenBLAS $2" tacc=$(echo "$line" | awk '{ print $6 }')
                fi
            done
        fi
        ratio=n/a
        [ "$best" != "n/a" ] && ratio=$(awk "BEGIN { printf \"%.2f\", $ours / $best }")
        echo "optbench $net $prec $ours s/epoch (torch $best, $setting)" >&2
        printf '| %s | %s | %.3f | %s | %s | %s | %s | %s, %s |\n' "$net" "$prec" "$ours" "$mb" \
            "$best" "$setting" "$ratio" "$acc" "$tacc" >>"$TMP/table"
        "$BUILD/perf/nets_perf" "$net" "$prec" 3 >>"$TMP/breakdown"
    done
done
# a sharpness estimate once per epoch (perf/sharp_perf.c): its cost against the epoch's
line=$("$BUILD/perf/sharp_perf" netA "$EPOCHS")
echo "sharpness netA: $line" >&2
mkdir -p results
{
    cat "$TMP/table"
    echo
    echo "A sharpness estimate once per epoch (netA, float32 training as above; the estimate in"
    echo "float64 on 2000 training samples, exact Hessian-vector products, Lanczos warm-started,"
    echo "at most 20 products, relative residual 1e-3; build/perf/sharp_perf):"
    echo
    echo "| net | s/epoch | s/estimate | products/estimate | (epoch + estimate)/epoch (bar: 2) | last sharpness |"
    echo "|---|---|---|---|---|---|"
    echo "$line" | awk '{ printf "| %s | %.3f | %.3f | %.1f | %.2f | %.4g |\n", $1, $2, $3, $4, $5, $6 }'
    echo
    echo "Where optbench's epoch goes (build/perf/nets_perf: the same loop with a clock"
    echo "around each phase; gemm-only: the epoch's GEMMs alone; floor: its flops at the"
    echo "measured single-core GEMM rate on two cores):"
    echo
    echo '```'
    cat "$TMP/breakdown"
    echo '```'
} >"$OUT"
cat "$OUT"
