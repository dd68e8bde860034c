#!/bin/sh
# Regenerates every result from scratch: builds optbench, then runs every optimizer on
# every analytic problem with its default settings and writes the runs and a summary
# table under results/.  (The tuned, multi-seed benchmark with plots and a report is
# `optbench bench`, issue 4; until it lands this is what `make bench` runs.)
set -eu
cd "$(dirname "$0")"
make -s optbench
OUT=${OUT:-results}
STEPS=${STEPS:-2000}
mkdir -p "$OUT/runs"
problems=$(./optbench list | awk '/^problems/{p=1;next} p && /^  [a-z]/{print $1}')
optimizers=$(./optbench list | awk '/^optimizers/{p=1;next} /^$/{p=0} p && /^  [a-z]/{print $1}')
tmp=$(mktemp "$OUT/summary.md.XXXXXX")
{
    echo "# optbench: every optimizer on every analytic problem"
    echo
    echo "Default hyper-parameters (torch.optim's), $STEPS steps, seed 1; generated $(date -u +%Y-%m-%dT%H:%MZ) on $(uname -m) by run_all.sh."
    echo
    echo "| problem | optimizer | status | steps | final loss | f* | grad norm | evals | seconds |"
    echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
} >"$tmp"
for p in $problems; do
    for o in $optimizers; do
        f="$OUT/runs/${p}_${o}.csv"
        ./optbench run --problem "$p" --optimizer "$o" --steps "$STEPS" --log-every 10 \
            --quiet --out "$f"
        tail -n 1 "${f%.csv}.summary.csv" | awk -F, -v OFS=' | ' \
            '{printf "| %s | %s | %s | %s | %.4g | %.4g | %.3g | %s | %.3g |\n", $1, $2, $9, $10, $13, $17, $15, $19, $20}' >>"$tmp"
    done
done
mv "$tmp" "$OUT/summary.md"
echo "results: $OUT/summary.md and $OUT/runs/*.csv"
