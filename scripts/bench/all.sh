#!/usr/bin/env bash
# Every benchmark in sequence (issue 8 point 3): smpp.sh, sink.sh, expand.sh, import.sh,
# led-poll.sh, e2e.sh, each under the shared bench lock (so nobody else's benchmark runs at the
# same time), each script's full output kept, their summary lines collected into one table:
# figure, same-run ceiling and ratio where the script measures one, target, load average at
# start and end of the script, machine. The table replaces the "Benchmark suite" section of
# BENCHMARKS.md (led-poll.sh also appends its run to its own "LED poll" section).
#
#   scripts/bench/all.sh            # full sizes (about 20 minutes on 2 idle cores, much more when loaded)
#   scripts/bench/all.sh --quick    # tiny sizes: checks the scripts and the table; BENCHMARKS.md is left as it was
#                                   # (don't edit it while led-poll runs)
#   ONLY="sink e2e" scripts/bench/all.sh   # a subset
set -uo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh

QUICK=0
[[ "${1:-}" == "--quick" ]] && QUICK=1
LOCK=/tmp/qingfeng-bench.lock
ONLY="${ONLY:-smpp sink expand import led-poll e2e}"
mkdir -p target
OUT=$(cd target && mktemp -d "$PWD/bench-all.XXXXXX")
ROWS="$OUT/rows.md"
: >"$ROWS"
echo "outputs in $OUT"
# Like each script: builds only what is missing, so run `mvn -B -q -DskipTests package` first after a change.
[[ -f target/qingfeng.jar ]] || mvn -B -q -DskipTests package || exit 1

# run NAME COMMAND...: the command under the bench lock, its output in $OUT/NAME.log; sets LOAD0/LOAD1, RC.
# The command runs in a session of its own, and the lock is held until every process of that
# session has exited (at most 120 s): a script's server and embedded PostgreSQL may still be
# stopping (a shutdown checkpoint) when the script returns, and the next script would measure
# with them on the CPU.
run() {
  local name=$1
  shift
  echo "== $name: $* (waiting for the bench lock)"
  flock "$LOCK" bash -c 'echo "LOAD_START $(cut -d" " -f1-3 /proc/loadavg)"
    sidf=$(mktemp); setsid -w bash -c "echo \$\$ >$sidf; exec \"\$@\"" _ "$@"; rc=$?
    echo "LOAD_END $(cut -d" " -f1-3 /proc/loadavg)"
    sid=$(cat "$sidf"); rm -f "$sidf"
    for i in $(seq 1 240); do pgrep -s "$sid" >/dev/null || break; sleep 0.5; done
    pgrep -s "$sid" >/dev/null && echo "LEFTOVERS still running 120 s after the script: $(pgrep -s "$sid" | tr "\n" " ")" \
      || echo "LEFTOVERS none ($(( (i - 1) / 2 )) s after the script)"
    exit $rc' \
    _ "$@" >"$OUT/$name.log" 2>&1
  RC=$?
  LOAD0=$(sed -n 's/^LOAD_START //p' "$OUT/$name.log")
  LOAD1=$(sed -n 's/^LOAD_END //p' "$OUT/$name.log")
  echo "   exit $RC, load $LOAD0 -> $LOAD1"
}

# row FIGURE VALUE CEILING RATIO TARGET COMMAND
row() {
  local status=""
  [[ $RC = 0 ]] || status=" (exit $RC)"
  echo "| $1 | **$2**$status | $3 | $4 | $5 | $LOAD0 → $LOAD1 | \`$6\` |" >>"$ROWS"
}

first() { grep -m1 -oE "$1" "$2" | head -1; }
num() { tr -d ',' | grep -oE '[0-9]+(\.[0-9]+)?' | head -1; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.2f}' if b else '?')" "$1" "$2" 2>/dev/null || echo "?"; }

wants() { [[ " $ONLY " == *" $1 "* ]]; }

if wants smpp; then
  S=$([[ $QUICK = 1 ]] && echo 5 || echo 60)
  run smpp scripts/bench/smpp.sh "$S"
  CONN=$(first '\(a\) Qingfeng connector -> simulator: [0-9]+' "$OUT/smpp.log" | num)
  RAW=$(first '\(b\) raw jSMPP client[^:]*: [0-9]+' "$OUT/smpp.log" | sed 's/.*: //' | num)
  row "SMPP connector parts/s" "${CONN:-?}" "raw jSMPP ${RAW:-?}" "$(ratio "${CONN:-0}" "${RAW:-0}")" "≥ 5,000; ratio ≥ 0.8" "scripts/bench/smpp.sh $S"
fi

if wants sink; then
  E=$([[ $QUICK = 1 ]] && echo 5000 || echo 200000)
  SW=$([[ $QUICK = 1 ]] && echo 5000 || echo 1800000)
  run sink env EVENTS="$E" SINK_BENCH_WARMUP="$SW" scripts/bench/sink.sh
  L=$(grep -m1 '^RESULT sink' "$OUT/sink.log")
  SINK=$(echo "$L" | sed -E 's/^RESULT sink ([0-9,]+) events.*/\1/' | num)
  RAW=$(echo "$L" | sed -E 's/.*raw ([0-9,]+) rows.*/\1/' | num)
  R=$(echo "$L" | sed -nE 's/.*ratio ([0-9.]+);.*/\1/p')
  row "receipt sink events/s" "${SINK:-?}" "raw unnest insert ${RAW:-?} rows/s" "${R:-?}" "≥ 50,000; ratio ≥ 0.3" "EVENTS=$E SINK_BENCH_WARMUP=$SW scripts/bench/sink.sh"
fi

if wants expand; then
  C=$([[ $QUICK = 1 ]] && echo 5000 || echo 1000000)
  run expand env CONTACTS="$C" scripts/bench/expand.sh
  X=$(first 'expansion: .* = [0-9,]+ recipients/s' "$OUT/expand.log" | sed 's/.*= //' | num)
  row "campaign expansion recipients/s" "${X:-?}" "–" "–" "≥ 50,000" "CONTACTS=$C scripts/bench/expand.sh"
fi

if wants import; then
  N=$([[ $QUICK = 1 ]] && echo 5000 || echo 1000000)
  run import scripts/bench/import.sh "$N" "$(free_port)"
  X=$(grep -m1 '^RESULT:' "$OUT/import.log" | sed -E 's/.* = ([0-9]+) rows\/s.*/\1/' | num)
  row "contacts CSV import rows/s" "${X:-?}" "–" "–" "≥ 50,000" "scripts/bench/import.sh $N"
fi

if wants led-poll; then
  if [[ $QUICK = 1 ]]; then A=(3 16 100 10); else A=(30 256 10000 1000); fi
  # led-poll.sh appends its run to its BENCHMARKS.md section; a quick run's tiny figures must not stay there.
  [[ $QUICK = 1 ]] && cp BENCHMARKS.md "$OUT/BENCHMARKS.md.before"
  run led-poll env QF_BENCH_PORT="$(free_port)" scripts/bench/led-poll.sh "${A[@]}"
  [[ $QUICK = 1 ]] && cp "$OUT/BENCHMARKS.md.before" BENCHMARKS.md
  # The aggregate of the alternating rounds (led-poll.sh's summary line), not the first pair alone.
  POLL=$(sed -n 's/^LED_POLL_RESULT .*poll_rps=\([0-9.]*\).*/\1/p' "$OUT/led-poll.log" | num)
  HELLO=$(sed -n 's/^LED_POLL_RESULT .*hello_rps=\([0-9.]*\).*/\1/p' "$OUT/led-poll.log" | num)
  P99=$(sed -n 's/^LED_POLL_RESULT .*poll_p99_ms=\([0-9.]*\).*/\1/p' "$OUT/led-poll.log")
  FAN=$(sed -n 's/.*FANOUT_MS=\([0-9]*\).*/\1/p' "$OUT/led-poll.log" | head -1)
  row "LED 304 poll requests/s (p99 ${P99:-?} ms)" "${POLL:-?}" "bare Vert.x hello ${HELLO:-?}" "$(ratio "${POLL:-0}" "${HELLO:-0}")" "ratio ≥ 0.7, p99 ≤ 20 ms" "scripts/bench/led-poll.sh ${A[*]}"
  row "LED alert fan-out to ${A[2]} long-polls, ms" "${FAN:-?}" "–" "–" "< 1,000 ms" "scripts/bench/led-poll.sh ${A[*]}"
fi

if wants e2e; then
  M=$([[ $QUICK = 1 ]] && echo 2000 || echo 100000)
  # 50,000 unmeasured messages first: after 10,000 the server's C2 compiler still took ~40 % of its CPU
  # in the measured blast (BENCHMARKS.md, "Warm-up and JIT").
  W=$([[ $QUICK = 1 ]] && echo 500 || echo 50000)
  run e2e env MESSAGES="$M" WARMUP="$W" scripts/bench/e2e.sh
  L=$(grep -m1 '^E2E_RESULT' "$OUT/e2e.log")
  field() { echo "$L" | sed -nE "s/.* $1=([^ ]*).*/\1/p"; }
  row "end to end, final messages/s (API → receipts in PG)" "$(field final_per_s)" "–" "–" "≥ 3,000 sustained" "MESSAGES=$M WARMUP=$W scripts/bench/e2e.sh"
  row "end to end, sustained final messages/s (10–90 %)" "$(field sustained_per_s)" "–" "–" "≥ 3,000" "MESSAGES=$M WARMUP=$W scripts/bench/e2e.sh"
  row "end to end, submits/s" "$(field submit_per_s)" "–" "–" "–" "MESSAGES=$M WARMUP=$W scripts/bench/e2e.sh"
fi

MACHINE="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/{printf "%.1f GB", $2/1048576}' /proc/meminfo), Java $(java -version 2>&1 | awk -F'"' '/version/{print $2}'), commit $(git rev-parse --short HEAD)"
SECTION="$OUT/section.md"
{
  echo "## Benchmark suite"
  echo
  echo "Command: \`scripts/bench/all.sh$([[ $QUICK = 1 ]] && echo ' --quick')\` (each script under \`flock $LOCK\`; full outputs were in \`$OUT\`)."
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC on $MACHINE. The load average is each script's own, at its start and end;"
  echo "the machine is shared, so compare a figure with its ceiling from the same run, not across runs."
  echo
  echo "| figure | value | same-run ceiling | ratio | target | load avg start → end | command |"
  echo "|---|---|---|---|---|---|---|"
  cat "$ROWS"
} >"$SECTION"
cat "$SECTION"
if [[ $QUICK = 0 ]]; then
  awk -v sec="$SECTION" 'BEGIN{skip=0} /^## Benchmark suite$/{skip=1; while ((getline l < sec) > 0) print l; next} /^## /{skip=0} !skip{print}' BENCHMARKS.md >"$OUT/b.md"
  grep -q '^## Benchmark suite$' BENCHMARKS.md || { echo >>"$OUT/b.md"; cat "$SECTION" >>"$OUT/b.md"; }
  cp "$OUT/b.md" BENCHMARKS.md
  echo "BENCHMARKS.md updated (section 'Benchmark suite')."
fi
