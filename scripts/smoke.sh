#!/usr/bin/env bash
# Smoke test of the product as an operator runs it: first start on an empty data directory,
# SIGTERM, restart on the same data. Prints the timings the foundation promises
# (ready < 30 s first, < 15 s restart, SIGTERM exit 0 < 10 s).
#   scripts/smoke.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-18480}"
JAR=target/qingfeng.jar
[ -f "$JAR" ] || mvn -B -q package -DskipTests
WORK="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; sleep 1; rm -rf "$WORK" 2>/dev/null || true' EXIT
export QINGFENG_DATA_DIR="$WORK/data" QINGFENG_HTTP_PORT="$PORT" QINGFENG_HTTP_HOST=127.0.0.1

now_ms() { date +%s%3N; }
wait_ready() {
  local start=$1 pid=$2
  while ! curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "server died; log:"; tail -20 "$WORK/err.log"; exit 1; }
    sleep 0.1
  done
  echo $(( $(now_ms) - start ))
}
# Sets RC and STOP_MS (runs in this shell: only the parent can wait for the server).
stop() {
  local pid=$1 start
  start=$(now_ms)
  kill -TERM "$pid"
  RC=0
  wait "$pid" || RC=$?
  STOP_MS=$(( $(now_ms) - start ))
}

t0=$(now_ms)
java -jar "$JAR" serve --demo >"$WORK/out.log" 2>"$WORK/err.log" &
pid=$!
first=$(wait_ready "$t0" "$pid")
echo "first start (empty data dir, --demo): ready in ${first} ms"
token=$(grep -A1 "First admin token" "$WORK/out.log" | tail -1 | tr -d ' ')
curl -sf "http://127.0.0.1:$PORT/api/v1/me" -H "Authorization: Bearer $token" >/dev/null && echo "admin token works"
stop "$pid"; rc1=$RC; ms1=$STOP_MS
echo "SIGTERM: exit $rc1 after ${ms1} ms"

t1=$(now_ms)
java -jar "$JAR" serve --demo >"$WORK/out2.log" 2>>"$WORK/err.log" &
pid=$!
second=$(wait_ready "$t1" "$pid")
echo "restart on the same data dir: ready in ${second} ms"
curl -sf "http://127.0.0.1:$PORT/api/v1/me" -H "Authorization: Bearer $token" >/dev/null && echo "same admin token still works after restart"
stop "$pid"; rc2=$RC; ms2=$STOP_MS
echo "SIGTERM: exit $rc2 after ${ms2} ms"
grep -h "Qingfeng ready" "$WORK/err.log" | sed 's/.*Qingfeng ready/Qingfeng ready/' | head -2
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] && [ "$first" -lt 30000 ] && [ "$second" -lt 15000 ] && [ "$ms1" -lt 10000 ] && [ "$ms2" -lt 10000 ]
