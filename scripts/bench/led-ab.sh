#!/usr/bin/env bash
# A/B of two LED servers on the 304 path, measured AT THE SAME TIME: servers A and B (each with its
# embedded PostgreSQL and Kafka, one screen seeded as in led-poll.sh) run side by side, and in each
# repetition one wrk (1 thread, 128 connections) drives each of them concurrently. Whatever the host
# does meanwhile (this VM's speed was seen to swing 2x within minutes on an idle machine, 2026-12-07)
# hits both alike, so B/A is the figure to read; led-poll.sh's sequential phases cannot separate a
# change of 5-10 % from that drift. Not the issue's method (that is led-poll.sh); a tool for changes.
#
#   JAR_A=... JAR_B=... OPTS_A='-D...' OPTS_B='-D...' scripts/bench/led-ab.sh [REPS=4] [SECONDS=20]
#
# Prints per repetition: requests/s, p99 and server CPU per request of each, and B/A. An A/A run (the
# same jar on both sides, 2026-12-07) gave B/A 0.98, 1.14, 0.98: read several repetitions, not one.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${1:-4}; SECS=${2:-20}
JAR_A=${JAR_A:-target/qingfeng.jar}; JAR_B=${JAR_B:-$JAR_A}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install -y wrk" >&2; exit 2; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
WORK=$(mktemp -d /tmp/qf-ab-XXXXXX)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill $p 2>/dev/null; done; wait; rm -rf $WORK' EXIT
start() { # name port jar opts
  QINGFENG_DATA_DIR="$WORK/$1" QINGFENG_HTTP_PORT=$2 QINGFENG_HTTP_HOST=127.0.0.1 QINGFENG_ADMIN_TOKEN=qf_ab-admin-token-0123456789abcdef \
    QINGFENG_ACCESS_LOG_LEVEL=WARN java -Xmx2g $4 -jar "$3" serve >"$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
# Random ports: other sessions may run servers on this machine.
PA=$((20000 + RANDOM % 10000)); PB=$((PA + 7))
start a $PA "$JAR_A" "${OPTS_A:-}"; start b $PB "$JAR_B" "${OPTS_B:-}"
. scripts/bench/led-seed.sh
for P in $PA $PB; do
  for i in $(seq 1 240); do curl -fs "http://127.0.0.1:$P/health/ready" >/dev/null 2>&1 && break; sleep 1; done
  led_seed $P qf_ab-admin-token-0123456789abcdef "$WORK/poll-$P.lua"
done
sleep ${SETTLE:-40}
HZ=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' /proc/$1/stat; }
URL=/led/v1/playlist
wrk -t1 -c128 -d5s -s "$WORK/poll-$PA.lua" "http://127.0.0.1:$PA$URL" >/dev/null & W0=$!; wrk -t1 -c128 -d5s -s "$WORK/poll-$PB.lua" "http://127.0.0.1:$PB$URL" >/dev/null; wait $W0
sleep 5
for r in $(seq 1 $REPS); do
  a0=$(ticks ${PIDS[0]}); b0=$(ticks ${PIDS[1]})
  wrk -t1 -c128 -d${SECS}s --latency -s "$WORK/poll-$PA.lua" "http://127.0.0.1:$PA$URL" > $WORK/wa.txt &
  W=$!
  wrk -t1 -c128 -d${SECS}s --latency -s "$WORK/poll-$PB.lua" "http://127.0.0.1:$PB$URL" > $WORK/wb.txt
  wait $W
  a1=$(ticks ${PIDS[0]}); b1=$(ticks ${PIDS[1]})
  ra=$(awk '/^Requests\/sec/{print $2}' $WORK/wa.txt); rb=$(awk '/^Requests\/sec/{print $2}' $WORK/wb.txt)
  na=$(awk '/ requests in /{print $1}' $WORK/wa.txt); nb=$(awk '/ requests in /{print $1}' $WORK/wb.txt)
  pa=$(awk '/ 99%/{print $2}' $WORK/wa.txt); pb=$(awk '/ 99%/{print $2}' $WORK/wb.txt)
  python3 -c "
ra,rb,na,nb,ta,tb=[float(x) for x in '$ra $rb $na $nb $((a1-a0)) $((b1-b0))'.split()]
ta, tb = ta * 1e6 / $HZ, tb * 1e6 / $HZ
print(f'rep $r: A {ra:.0f} req/s p99 $pa cpu {ta/na:.1f} us/req | B {rb:.0f} req/s p99 $pb cpu {tb/nb:.1f} us/req | B/A {rb/ra:.2f}')"
  sleep 3
done
