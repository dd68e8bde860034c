#!/bin/sh
# Runs optbench's end-to-end commands once under valgrind's memcheck: every subcommand,
# good and bad input, and exits non-zero on any memory error or leak (definite or
# indirect).  Usage: tests/valgrind_e2e.sh [BINARY]  (default build/optbench).
set -u
bin=${1:-build/optbench}
# valgrind is a test dependency (scripts/install-deps.sh test installs it): without it this
# check fails, it does not pass unchecked
command -v valgrind >/dev/null 2>&1 ||
    { echo "valgrind is not installed (Debian: valgrind; make test installs it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
vg="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect"
pass=0 fail=0
check() { # check EXPECTED_STATUS ARGS...: the status must be EXPECTED and valgrind quiet
    want=$1
    shift
    # shellcheck disable=SC2086
    $vg "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    if [ "$rc" -eq "$want" ] && ! grep -q '^==[0-9]*==' "$tmp/err"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "valgrind FAILED (exit $rc, want $want): optbench $*"
        head -30 "$tmp/err"
    fi
}
check 0 list
check 0 --version
check 0 run --help
check 0 train --help
check 0 run --problem saddle --optimizer adam --steps 20 --out - --summary "$tmp/s/sum.csv"
check 0 run --problem rosenbrock --optimizer adam --steps 200 --out "$tmp/a.csv" --quiet
check 0 run --problem quadratic --dim 20 --rotate --optimizer nag --steps 100 --noise 0.5 --out "$tmp/b.csv"
check 0 run --problem lsq --optimizer rmsprop --batch 8 --centered --steps 100 --log-every 7 --out "$tmp/c.csv"
check 0 run --problem logreg --optimizer gsl-bfgs --steps 50 --out "$tmp/d.csv"
check 0 run --problem saddle --optimizer gd --lr 5 --steps 50 --out "$tmp/e.csv"
check 0 run --problem beale --optimizer rprop --schedule step --steps 100 --out "$tmp/f.csv"
check 2 run --problem rosenbrock --optimizer adamm --out "$tmp/g.csv"
check 2 run --problem rosenbrock --optimizer adam --lr 1e --out "$tmp/g.csv"
check 2 run --problem logreg --optimizer adam --data /nonexistent.csv --out "$tmp/g.csv"
check 0 rate --problem quadratic --dim 4 --n-list 10,100 --seeds 3 --out "$tmp/r.csv" --plot "$tmp/r.png"
check 2 rate --problem saddle --out "$tmp/r2.csv"
check 0 train --layers 16 --dataset spirals --samples 400 --optimizer adam --epochs 2 --out "$tmp/t.csv" --quiet
check 0 train --net window --optimizer momentum --epochs 1 --precision float64 --out "$tmp/w.csv" --quiet
check 2 train --net netZ --optimizer adam --out "$tmp/t2.csv"
check 0 bench --suite smoke --only saddle/adam --out "$tmp/bench" --jobs 1 --quiet
check 0 plot "$tmp/bench"
check 2 bench --suite nope
# sharpness, figures of single runs, compare, the stability and landscape commands
check 0 run --problem rosenbrock --optimizer adam --steps 40 --sharpness-every 10 --out "$tmp/sh.csv" --quiet
check 0 train --layers 8 --dataset spirals --samples 200 --optimizer momentum --epochs 1 --log-every 5 --sharpness-every 10 --sharpness-subset 100 --out "$tmp/tsh.csv" --quiet
check 0 run --problem saddle --optimizer adam --steps 30 --out "$tmp/an.csv" --animate "$tmp/an.gif" --plot "$tmp/an.svg" --quiet
check 0 plot "$tmp/an.csv" "$tmp/e.csv" --out "$tmp/pl"
check 2 plot "$tmp/an.csv" "$tmp/t.csv" --out "$tmp/pl2"
check 0 compare "$tmp/bench" "$tmp/bench" --out "$tmp/cmp"
check 2 compare "$tmp/bench" "$tmp/nonexistent" --out "$tmp/cmp2"
check 0 stability --smoke --out "$tmp/stab" --quiet
check 0 landscape --net softmax --dataset spirals --samples 200 --epochs 1 --eval-subset 100 --grid 4 --alpha-steps 5 --out "$tmp/land" --quiet
# plugins (make examples), a suite file, check
ex=$(dirname "$bin")/../build/examples
[ -f "$ex/sign_descent.so" ] || ex=build/examples
check 0 run --problem rosenbrock --optimizer "$ex/sign_descent.so" --dead-zone 0 --steps 50 --out "$tmp/p.csv"
check 0 check --optimizer "$ex/adam_course.so" --against adam --steps 20
check 2 run --problem rosenbrock --optimizer "$tmp/none.so" --out "$tmp/p2.csv"
printf '[suite]\nname = vg\noptimizers = gd %s\nseeds = 1\nlr-from = 0.01\nlr-to = 0.1\nlr-per-decade = 1\n[workload saddle]\nproblem = saddle\nsteps = 30\n' \
    "$(cd "$ex" && pwd)/sign_descent.so" > "$tmp/vg.ini"
check 0 bench --suite "$tmp/vg.ini" --out "$tmp/vgbench" --jobs 1 --quiet
check 2 bench --suite "$tmp/missing.ini" --out "$tmp/vgbench2"
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
