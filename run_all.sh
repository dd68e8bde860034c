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

# SGD against its theoretical rate, on every problem the theorem applies to
mkdir -p "$OUT/rate"
tmp=$(mktemp "$OUT/rate.md.XXXXXX")
{
    echo "# SGD against the theorem's rate"
    echo
    echo "SGD with the constant step 1/(L sqrt(N)), 10 runs per N; the bound is"
    echo "(2L(f(x0) - f*) + sigma^2)/sqrt(N) (seed 003). Figures: rate/PROBLEM.png."
    echo
} >"$tmp"
for p in quadratic quadratic_deep rastrigin lsq logreg; do
    ./optbench rate --problem "$p" --out "$OUT/rate/$p.csv" --plot "$OUT/rate/$p.png" |
        sed -n 's/^verdict: \([a-z_]*\)/- **\1**/p' >>"$tmp"
done
echo "- **saddle, rosenbrock, beale**: not globally L-smooth, so the theorem does not apply and no bound is computed." >>"$tmp"
mv "$tmp" "$OUT/rate.md"
echo "results: $OUT/summary.md, $OUT/rate.md, $OUT/runs/*.csv, $OUT/rate/*.png"
