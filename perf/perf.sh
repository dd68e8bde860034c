#!/bin/bash
# perf.sh BUILD - `make perf`: the speed figures of issue 2 ("Performance"), side by side
# with PyTorch where the issue names it as the peer, with peak memory beside each figure.
#
#  1. one optimizer step on a flat vector of 10^7 doubles (gradient excluded):
#     BUILD/perf/perf_step against a fused reference pass over the arrays the rule must
#     touch (bar: <= 1.25x; every rule, issue 11's adamw ... lion included), adam <= 15 ms,
#     adam/rmsprop/adagrad >= 3x faster than torch.optim (perf/torch_compare.py step);
#  2. `optbench run` on the 10^7-dimensional quadratic (gradient + update per step)
#     against the torch loop `x.grad = lam * x; opt.step()` (bar: <= 0.4x), adam and sgd;
#  3. a 2-D Rosenbrock adam step: <= 100 ns without logging, <= 1 us with a CSV row per
#     step (torch's 2-D autograd step beside it for scale);
#  4. a plugin's step against the built-in of the same rule on 2-D Rosenbrock (issue 11:
#     bar <= 1.2x): examples/plugins/sign_descent.c against rprop --sign-only, and
#     adam_course.c against adam, 10^6 steps without logging.
# Prints one table and writes it to results/perf.md (atomically).  Without torch the
# torch figures read n/a and their bars SKIP.  Peak RSS: getrusage() inside perf_step and
# torch_compare.py; /usr/bin/time -v for whole optbench and python runs (n/a without it).
# shellcheck disable=SC2086  # $TORCH, $flag, $cmd: word splitting wanted
set -u
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
OPTBENCH=$BUILD/optbench
STEP=$BUILD/perf/perf_step
PY=/usr/bin/python3
TORCH="$PY $HERE/torch_compare.py"
N=10000000
PLUG=$BUILD/examples
for f in "$OPTBENCH" "$STEP" "$PLUG/sign_descent.so" "$PLUG/adam_course.so"; do
    [ -e "$f" ] || { echo "perf.sh: $f missing (run make perf)" >&2; exit 1; }
done
TMP=$(mktemp -d /tmp/optbench-perf.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
T_START=$(date +%s)

# /usr/bin/time -v for the peak RSS of whole runs; Debian package `time` if missing
TIMEV=/usr/bin/time
if [ ! -x "$TIMEV" ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
    echo "perf.sh: installing Debian package 'time' for /usr/bin/time -v" >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends time \
        >/dev/null 2>&1 || true
    [ -x "$TIMEV" ] || { TIMEV=""; echo "perf.sh: /usr/bin/time not available: RSS of whole runs n/a" >&2; }
fi

# run_timed CMD...: OUT (stdout), WALL (s, date +%s%N around the command), RSS (kB|n/a)
run_timed() {
    local t0 t1 rc
    t0=$(date +%s%N)
    if [ -n "$TIMEV" ]; then OUT=$("$TIMEV" -v -o "$TMP/tv" "$@"); rc=$?
    else OUT=$("$@"); rc=$?; fi
    t1=$(date +%s%N)
    WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", (b - a) / 1e9 }')
    RSS=n/a
    [ -n "$TIMEV" ] && RSS=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$TMP/tv")
    [ -n "$RSS" ] || RSS=n/a
    return $rc
}
# kv LINE KEY: the value of KEY=value in a machine-readable line
kv() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }
# mb KB: "123 MB"
mb() { case "$1" in ''|n/a) echo n/a ;; *) awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }' ;; esac; }
# num EXPR: awk arithmetic on numbers ("" when any operand is n/a or empty)
num() { awk "BEGIN { printf \"%.4g\", $1 }" 2>/dev/null; }
# csvcol FILE COLUMN: the value of COLUMN in the one-row summary CSV FILE
csvcol() { awk -F, -v c="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i } NR == 2 { print $k }' "$1"; }

ROWS=$TMP/rows
NOTES=$TMP/notes
: >"$ROWS"; : >"$NOTES"
# row FIGURE OURS PEER RATIO BAR(op limit|info) RSS: appends a table row with its verdict
row() {
    local fig=$1 ours=$2 peer=$3 ratio=$4 bar=$5 rss=$6 verdict value
    case "$bar" in
    info) verdict=info ;;
    -) verdict=ERROR ;;
    *)  # "<= LIMIT (ratio)" judges the ratio, "<= LIMIT UNIT" judges ours
        local lim; lim=$(echo "$bar" | awk '{ print $2 }')
        case "$bar" in *ratio*|*x) value=$ratio ;; *) value=$ours ;; esac
        value=${value%% *}
        if [ -z "$value" ] || [ "$value" = n/a ]; then verdict=SKIP
        elif awk -v v="$value" -v l="$lim" 'BEGIN { exit !(v + 0 <= l + 0) }'; then verdict=PASS
        else verdict=FAIL; fi ;;
    esac
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$fig" "$ours" "$peer" "$ratio" "$bar" "$verdict" "$rss" >>"$ROWS"
}
note() { printf '%s\n' "$*" >>"$NOTES"; }

# ---- torch available? ------------------------------------------------------------------
HAVE_TORCH=0
TCHECK=$($TORCH check 2>&1)
case "$TCHECK" in
"torch ok"*) HAVE_TORCH=1
    note "torch $(kv "$TCHECK" version) at its default of $(kv "$TCHECK" threads) intra-op thread(s) (torch.get_num_threads()); python + torch alone peak at $(mb "$(kv "$TCHECK" rss_kb)") RSS, included in every torch RSS figure." ;;
*) echo "$TCHECK"; note "torch: $TCHECK" ;;
esac
echo "perf.sh: measuring (about 2-3 minutes) ..." >&2

# ---- 1. optimizer step on 10^7 doubles -------------------------------------------------
BARS3="adam rmsprop adagrad"
NEW11="adamw nadam radam adamax adadelta lion" # issue 11's rules: against the reference only
for spec in gd sgd momentum nag rprop adagrad rmsprop adam adam:--amsgrad $NEW11; do
    opt=${spec%%:*}; flag=""; [ "$spec" != "$opt" ] && flag=${spec#*:}
    label=$opt; [ -n "$flag" ] && label="$opt $flag"
    L=$("$STEP" "$opt" $flag --n $N) || { row "step $label" ERROR - - - -; continue; }
    echo "  $L" >&2
    threads=$(kv "$L" threads); passes=$(kv "$L" passes)
    ms=$(kv "$L" ms); alt=$(kv "$L" alt_ms); ref=$(kv "$L" ref_ms)
    rss=$(kv "$L" rss_kb); rrss=$(kv "$L" ref_rss_kb)
    row "step $label / fused ${passes}-pass ref [ms]" "$alt" "$ref" "$(num "$alt / $ref")" \
        "<= 1.25 x" "$(mb "$rss") / $(mb "$rrss")"
    [ "$opt$flag" = adam ] && row "step adam, absolute [ms]" "$ms" - - "<= 15 ms" "$(mb "$rss")"
    case " $NEW11 " in *" $opt "*) continue ;; esac
    tms=n/a; trss=n/a
    if [ $HAVE_TORCH = 1 ]; then
        if run_timed $TORCH step "$opt" $flag --n $N; then
            echo "  $OUT" >&2
            tms=$(kv "$OUT" ms); trss=$RSS; [ "$trss" = n/a ] && trss=$(kv "$OUT" rss_kb)
        fi
    fi
    ratio=n/a; [ "$tms" != n/a ] && ratio=$(num "$ms / $tms")
    bar=info; case " $BARS3 " in *" $opt$flag "*) bar="<= 0.333 x" ;; esac
    row "step $label / torch.optim [ms]" "$ms" "$tms" "$ratio" "$bar" "$(mb "$rss") / $(mb "$trss")"
    # torch on as many threads as ours, for scale (not a bar)
    case " $BARS3 " in *" $opt$flag "*)
        if [ $HAVE_TORCH = 1 ] && [ "$(kv "$TCHECK" threads)" != "$threads" ] &&
           run_timed $TORCH step "$opt" --n $N --threads "$threads"; then
            echo "  $OUT" >&2
            t2=$(kv "$OUT" ms)
            row "step $label / torch.optim, $threads threads [ms]" "$ms" "$t2" "$(num "$ms / $t2")" info \
                "$(mb "$rss") / $(mb "$RSS")"
        fi ;;
    esac
done
note "Step figures: median of 42 steps (21 alone, 21 alternating with the reference) after 3 warm-up steps, $threads OpenMP thread(s); the ratio to the reference uses the 21 alternating steps of each.  The fused reference reads and writes the same arrays with trivial arithmetic (x,g + the rule's state arrays), \`omp parallel for schedule(static)\`, project CFLAGS; RSS: ours (x, g, state) / ours + the reference's own arrays."

# ---- 2. optbench run on the 10^7-dimensional quadratic ---------------------------------
for opt in adam sgd; do
    out=$TMP/quad-$opt.csv
    cmd="$OPTBENCH run --problem quadratic --dim $N --optimizer $opt --steps 50 --log-every 50 --out $out"
    if run_timed $cmd; then
        ow=$WALL; orss=$RSS
        osps=$(csvcol "${out%.csv}.summary.csv" seconds_per_step)
        oloss=$(csvcol "${out%.csv}.summary.csv" final_loss)
    else row "quad 1e7 $opt" ERROR - - - -; continue; fi
    echo "  optbench quad $opt: wall ${ow}s s/step $osps" >&2
    tw=n/a; tsps=n/a; trss=n/a; tloss=n/a
    if [ $HAVE_TORCH = 1 ] && run_timed $TORCH quad "$opt" --n $N --steps 50; then
        echo "  $OUT" >&2
        tw=$WALL; tsps=$(kv "$OUT" s_per_step); trss=$RSS; tloss=$(kv "$OUT" final_loss)
        [ "$trss" = n/a ] && trss=$(kv "$OUT" rss_kb)
    fi
    o_ms=$(num "$osps * 1e3"); t_ms=n/a; ratio=n/a; wratio=n/a
    [ "$tsps" != n/a ] && t_ms=$(num "$tsps * 1e3") && ratio=$(num "$osps / $tsps")
    tws=n/a
    [ "$tw" != n/a ] && wratio=$(num "$ow / $tw") && tws=$(num "$tw")
    row "quad 1e7 $opt, per step (summary) [ms]" "$o_ms" "$t_ms" "$ratio" "<= 0.4 x" "$(mb "$orss") / $(mb "$trss")"
    row "quad 1e7 $opt, wall of whole run [s]" "$(num "$ow")" "$tws" "$wratio" "<= 0.4 x" "$(mb "$orss") / $(mb "$trss")"
    note "quad $opt final loss after 50 steps: optbench $oloss, torch $tloss."
done
note "Quadratic: \`optbench run --problem quadratic --dim $N --optimizer OPT --steps 50 --log-every 50\`; torch: the same 50 steps of \`x.grad = lam * x; opt.step()\` (per step: loop time / 50; wall: the whole python process, torch import included)."

# ---- 3. 2-D Rosenbrock adam step -------------------------------------------------------
R2=1000000
tns=n/a; trss=n/a
if [ $HAVE_TORCH = 1 ] && run_timed $TORCH rosen --steps 20000; then
    echo "  $OUT" >&2
    tns=$(num "$(kv "$OUT" s_per_step) * 1e9"); trss=$RSS
fi
for every in $R2 1; do
    out=$TMP/rosen-$every.csv
    if run_timed "$OPTBENCH" run --problem rosenbrock --optimizer adam --steps $R2 --log-every $every --out "$out"; then
        sps=$(csvcol "${out%.csv}.summary.csv" seconds_per_step)
        wns=$(num "$WALL / $R2 * 1e9"); sns=$(num "$sps * 1e9")
    else row "2-D adam, log-every $every" ERROR - - - -; continue; fi
    echo "  optbench rosenbrock log-every $every: wall ${WALL}s s/step $sps" >&2
    if [ $every = 1 ]; then what="CSV row every step"; bar="<= 1000 ns"
        rows=$(($(wc -l <"$out") - 1)); bytes=$(stat -c %s "$out")
        note "2-D with --log-every 1 wrote $rows rows, $((bytes / rows)) bytes a row; the summary's seconds excludes the logging (runs/run.c stops the clock for a row), the wall time includes it."
        W1=$wns
    else what="no logging"; bar="<= 100 ns"; W0=$wns; fi
    r=n/a; [ "$tns" != n/a ] && r=$(num "$wns / $tns")
    row "2-D adam step, $what: wall/steps [ns]" "$wns" "$tns" "$r" "$bar" "$(mb "$RSS") / $(mb "$trss")"
    r=n/a; [ "$tns" != n/a ] && r=$(num "$sns / $tns")
    row "2-D adam step, $what: summary s/step [ns]" "$sns" "$tns" "$r" "$bar" "$(mb "$RSS") / $(mb "$trss")"
done
[ -n "${W0:-}" ] && [ -n "${W1:-}" ] && note "2-D: one CSV row costs about $(num "$W1 - $W0") ns of wall time (wall/step with a row every step minus without)."
note "2-D: \`optbench run --problem rosenbrock --optimizer adam --steps $R2 --log-every $R2|1\` (wall/steps includes process start-up); the peer column is torch's 2-D Adam step with autograd (zero_grad, f, backward, step), for scale only."

# ---- 4. a plugin's step against the built-in of the same rule --------------------------
# plugin_pair LABEL PLUGIN BUILTIN...: REPS alternating runs of each, 10^6 steps on 2-D
# Rosenbrock at one lr without logging; the median of the summaries' seconds_per_step
# (the run loop's own clock: process start-up and dlopen left out) of each, and the ratio
PLUGIN_STEPS=1000000
REPS=5
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
plugin_pair() {
    local label=$1 plugin=$2; shift 2
    local base="run --problem rosenbrock --lr 0.001 --steps $PLUGIN_STEPS --log-every $PLUGIN_STEPS --quiet"
    local p=$TMP/plugin-p.csv b=$TMP/plugin-b.csv prss=n/a brss=n/a
    : >"$TMP/ps"; : >"$TMP/bs"
    for _ in $(seq $REPS); do
        run_timed "$OPTBENCH" $base --optimizer "$plugin" --out "$p" || { row "plugin $label" ERROR - - - -; return; }
        csvcol "${p%.csv}.summary.csv" seconds_per_step >>"$TMP/ps"; prss=$RSS
        run_timed "$OPTBENCH" $base --optimizer "$@" --out "$b" || { row "plugin $label" ERROR - - - -; return; }
        csvcol "${b%.csv}.summary.csv" seconds_per_step >>"$TMP/bs"; brss=$RSS
    done
    local pns bns
    pns=$(num "$(median <"$TMP/ps") * 1e9"); bns=$(num "$(median <"$TMP/bs") * 1e9")
    echo "  plugin $label: $pns ns/step, built-in $* $bns ns/step" >&2
    row "2-D step, plugin $label / built-in $* [ns]" "$pns" "$bns" "$(num "$pns / $bns")" \
        "<= 1.2 x" "$(mb "$prss") / $(mb "$brss")"
}
plugin_pair sign_descent.so "$PLUG/sign_descent.so" rprop --sign-only
plugin_pair adam_course.so "$PLUG/adam_course.so" adam
note "Plugins: \`optbench run --problem rosenbrock --lr 0.001 --steps $PLUGIN_STEPS --log-every $PLUGIN_STEPS --quiet --optimizer $PLUG/NAME.so\` against the same with the built-in (peer column), $REPS alternating runs each; ns/step is the median of the summaries' seconds_per_step (the run loop alone, without process start-up and dlopen)."

# ---- the table ------------------------------------------------------------------------
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
HDR="figure	ours	peer (torch / ref)	ratio	bar	verdict	peak RSS ours / peer"
{
    echo
    echo "optbench perf - $(date -u '+%Y-%m-%d %H:%M UTC') - $(nproc) CPU(s), $CPU"
    { echo "$HDR"; cat "$ROWS"; } | awk -F'\t' '
        { for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR }
        END { for (r = 1; r <= n; r++) { s = ""; for (i = 1; i <= 7; i++) s = s sprintf("%-*s  ", w[i], c[r, i]); sub(/ +$/, "", s); print s
              if (r == 1) { s = ""; for (i = 1; i <= 7; i++) { d = sprintf("%*s", w[i], ""); gsub(/ /, "-", d); s = s d "  " } sub(/ +$/, "", s); print s } } }'
    echo
    sed 's/^/note: /' "$NOTES"
    echo "$(grep -c '	PASS	' "$ROWS") PASS, $(grep -c '	FAIL	' "$ROWS") FAIL, $(grep -c '	SKIP	' "$ROWS") SKIP; $(($(date +%s) - T_START)) s"
}

mkdir -p "$ROOT/results"
MD=$(mktemp "$ROOT/results/.perf.md.XXXXXX")
{
    echo "# optbench perf"
    echo
    echo "\`make perf\` ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPU(s), $CPU). Bars: issue 2, \"Performance\"."
    echo
    { echo "$HDR"; cat "$ROWS"; } | awk -F'\t' '{ s = "|"; for (i = 1; i <= 7; i++) s = s " " $i " |"; print s
                                               if (NR == 1) print "|---|---:|---:|---:|---|---|---|" }'
    echo
    sed 's/^/- /' "$NOTES"
} >"$MD" && mv "$MD" "$ROOT/results/perf.md"
echo "wrote results/perf.md"
