#!/bin/sh
# fuzz/run.sh - run or merge the libFuzzer targets (called by `make fuzz` / `make fuzz-merge`).
#   fuzz/run.sh run   BUILD_DIR SECONDS TARGET...   fuzz each target for SECONDS, one at a time
#   fuzz/run.sh merge BUILD_DIR 0 TARGET...         add new inputs to fuzz/corpus (minimized)
# New inputs go to BUILD_DIR/corpus/NAME (fuzz/corpus/NAME is only read); crashes, leaks
# and timeouts to BUILD_DIR/artifacts/NAME/.  Exits 1 when any target found something.
set -u
mode=$1 dir=$2 secs=$3
shift 3
status=0
summary=""
for t in "$@"; do
    case $t in
        idx) maxlen=65536 ;;
        csv) maxlen=16384 ;;
        args) maxlen=1024 ;;
        suite) maxlen=16384 ;;
        json) maxlen=65536 ;;
        *) maxlen=4096 ;;
    esac
    bin=$dir/fuzz_$t
    work=$dir/corpus/$t
    art=$dir/artifacts/$t
    mkdir -p "$work" "$art"
    dict=""
    [ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
    if [ "$mode" = merge ]; then
        # keeps the repo corpus and adds the smallest inputs that cover something new
        "$bin" -merge=1 -max_len=$maxlen -timeout=5 -rss_limit_mb=2048 \
            "fuzz/corpus/$t" "$work" >"$dir/merge-$t.log" 2>&1 </dev/null || status=1
        echo "fuzz_$t: fuzz/corpus/$t now holds $(ls "fuzz/corpus/$t" | wc -l) files," \
             "$(du -sk "fuzz/corpus/$t" | cut -f1) KiB"
        continue
    fi
    log=$dir/fuzz-$t.log
    echo "fuzz_$t: ${secs}s, max_len $maxlen (log: $log)"
    start=$(date +%s)
    touch "$dir/.start-$t"
    OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 nice -n 10 "$bin" \
        -max_total_time="$secs" -max_len=$maxlen -timeout=5 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$art/" $dict \
        "$work" "fuzz/corpus/$t" >"$log" 2>&1 </dev/null
    rc=$?
    wall=$(( $(date +%s) - start ))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -1 | sed 's/corp: //')
    found=$(find "$art" -type f -newer "$dir/.start-$t" -name '*-*' | grep -c -E '/(crash|leak|timeout|oom|slow-unit)-' || true)
    line="fuzz_$t: ${runs:-?} runs in ${wall}s, corpus ${corp:-?} (files/size), $found new crash/leak/timeout/oom file(s) in $art"
    echo "$line"
    summary="$summary$line
"
    if [ $rc -ne 0 ] || [ "$found" -ne 0 ]; then
        status=1
        grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz invariant|.*runtime error)' "$log" | head -5
    fi
done
[ "$mode" = run ] && printf '\nsummary:\n%s' "$summary"
exit $status
