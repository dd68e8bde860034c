#!/bin/sh
# Runs every test binary given on the command line and prints one closing line,
# "tests: N passed, N failed", counted from cmocka's per-test results.
set -u
pass=0 fail=0 bad=""
for t in "$@"; do
    out=$("$t" 2>&1); rc=$?
    printf '%s\n' "$out"
    n=$(printf '%s\n' "$out" | grep -c '^\[ RUN      \]')
    p=$(printf '%s\n' "$out" | grep -c '^\[       OK \]')
    f=$((n - p))
    # a crash before cmocka's summary still counts as a failure
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    pass=$((pass + p)); fail=$((fail + f))
    [ "$rc" -ne 0 ] && bad="$bad $(basename "$t")"
done
[ -n "$bad" ] && echo "failing:$bad"
echo "tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
