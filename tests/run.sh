#!/bin/sh
# tests/run.sh [--shuffle[=SEED]] [--alone] BINARY... - runs the cmocka test binaries and
# prints one closing line, "tests: N passed, N failed, N skipped", counted from cmocka's
# per-test results (a test that skip()s - a tool it needs is missing - is counted as
# skipped and named, never as passed).
#   (plain)            each binary runs its tests in their written order
#   --shuffle[=SEED]   each binary runs its tests in an order drawn from SEED (default: a
#                      random seed, printed; tests/runner.h does the drawing); the same
#                      with OB_TEST_SHUFFLE=SEED|random in the environment (make test)
#   --alone            each test of each binary runs by itself (OB_TEST=NAME): a test
#                      that needs another test to have run first fails here
# A failure's repeat command is printed, e.g. OB_TEST_SHUFFLE=123 build/tests/test_bench.
set -u
shuffle="${OB_TEST_SHUFFLE-}" alone=0
[ -n "${OB_TEST_SHUFFLE+set}" ] && [ -z "$shuffle" ] && shuffle=random
while [ $# -gt 0 ]; do
    case "$1" in
    --shuffle) shuffle=random ;;
    --shuffle=*) shuffle=${1#--shuffle=} ;;
    --alone) alone=1 ;;
    --) shift; break ;;
    -*) echo "tests/run.sh: unknown option '$1'" >&2; exit 2 ;;
    *) break ;;
    esac
    shift
done
unset OB_TEST OB_TEST_LIST OB_TEST_SHUFFLE
if [ -n "$shuffle" ]; then
    case "$shuffle" in
    random) shuffle=$(od -An -N4 -tu4 /dev/urandom | tr -d ' \n') ;;
    *[!0-9]*) echo "tests/run.sh: the shuffle seed must be a number, not '$shuffle'" >&2; exit 2 ;;
    esac
    echo "tests: shuffled order, seed $shuffle (repeat: tests/run.sh --shuffle=$shuffle ...)"
fi

pass=0 fail=0 skip=0 bad="" skipped=""

# count NAME OUTPUT RC: adds one binary's results (one line per test started, "[ RUN ]",
# ended by "[ OK ]" or "[ SKIPPED ]"; anything else failed) to the totals
count() {
    res=$(printf '%s\n' "$2" | awk '
        /^\[ RUN      \] / { name[++n] = substr($0, 14) }
        /^\[       OK \] / { ok[substr($0, 14)] = 1 }
        /^\[  SKIPPED \] / { sk[substr($0, 14)] = 1 }
        END {
            for (i = 1; i <= n; i++)
                if (ok[name[i]]) p++
                else if (sk[name[i]]) { s++; names = names " " name[i] }
                else f++
            printf "%d %d %d%s\n", p, s, f, names
        }')
    b=$1 rc=$3
    set -- $res
    p=$1 s=$2 f=$3
    shift 3
    for n in "$@"; do skipped="$skipped $b/$n"; done
    # a crash before or after cmocka's results still counts as a failure
    [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
    return 0
}

for t in "$@"; do
    case "$t" in *.o|*.d) continue ;; esac # build/tests/test_* also matches the objects
    b=$(basename "$t")
    if [ "$alone" = 1 ]; then
        names=$(OB_TEST_LIST=1 "$t" </dev/null) || { echo "$b: cannot list its tests"; fail=$((fail + 1)); bad="$bad $b"; continue; }
        [ -n "$names" ] || { echo "$b: lists no tests"; fail=$((fail + 1)); bad="$bad $b"; continue; }
        n0=$pass f0=$fail s0=$skip
        while IFS= read -r name; do
            out=$(OB_TEST="$name" "$t" 2>&1 </dev/null); rc=$?
            f1=$fail
            count "$b" "$out" "$rc"
            if [ "$fail" -ne "$f1" ]; then
                printf '%s\n' "$out"
                bad="$bad $b/$name"
                echo "repeat: OB_TEST='$name' $t"
            fi
        done <<EOF
$names
EOF
        echo "$b: each test alone: $((pass - n0)) passed, $((fail - f0)) failed, $((skip - s0)) skipped"
        continue
    fi
    if [ -n "$shuffle" ]; then
        out=$(OB_TEST_SHUFFLE=$shuffle "$t" 2>&1 </dev/null); rc=$?
    else
        out=$("$t" 2>&1 </dev/null); rc=$?
    fi
    printf '%s\n' "$out"
    count "$b" "$out" "$rc"
    if [ -n "$shuffle" ] && ! printf '%s\n' "$out" | grep -q "^shuffle: .* seed $shuffle:"; then
        echo "$b: did not shuffle its tests (its main must call ob_run_tests, tests/runner.h)"
        fail=$((fail + 1)) rc=1
    fi
    if [ "$rc" -ne 0 ]; then
        bad="$bad $b"
        [ -n "$shuffle" ] && echo "repeat: OB_TEST_SHUFFLE=$shuffle $t"
    fi
done
[ -n "$bad" ] && echo "failing:$bad"
[ -n "$skipped" ] && echo "skipped:$skipped"
echo "tests: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
