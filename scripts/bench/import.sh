#!/usr/bin/env bash
# Contacts import benchmark: generates a CSV of ROWS contacts (default 1,000,000; UTF-8,
# Chinese names, 5 columns, 10 % of numbers repeated so the merge path runs too) and
# streams it into a freshly started server (embedded PostgreSQL and Kafka, -Xmx256m),
# then prints rows/s as the client sees it (upload + parse + upsert + commit).
#   scripts/bench/import.sh [ROWS] [PORT]
#   JAR=/tmp/other.jar scripts/bench/import.sh     # the server jar to measure (same-run A/B pairs)
#   WARMUP=200000 scripts/bench/import.sh          # first a warm-up import of 200,000 other numbers
#                                                  # (not measured), so the measured one meets a JIT-warm server
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${1:-1000000}"
PORT="${2:-18490}"
JAR="${JAR:-target/qingfeng.jar}"
WARMUP="${WARMUP:-0}"
[ -f "$JAR" ] || mvn -B -q package -DskipTests
WORK="$(mktemp -d)"
PID=
cleanup() {
  [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
TOKEN="qf_bench-admin-token-$(date +%s%N)"

echo "generating $ROWS rows ..."
awk -v n="$ROWS" 'BEGIN {
  print "name,phone,unit,township,tags";
  split("白泥镇,龙溪镇,敖溪镇,构皮滩镇,大乌江镇,松烟镇,关兴镇,花山乡,龙家镇,子营街道", town, ",");
  for (i = 0; i < n; i++) {
    p = (i % 10 == 9) ? i - 5 : i;      # every tenth row repeats an earlier number
    printf "党员干部%d,139%08d,余庆县第%d单位,%s,党员;干部;t%d\n", i, p, i % 300, town[i % 10 + 1], i % 20;
  }
}' > "$WORK/contacts.csv"
SIZE=$(stat -c %s "$WORK/contacts.csv")
echo "file: $SIZE bytes"
if [ "$WARMUP" -gt 0 ]; then
  # Numbers 138…, none shared with the measured file's 139…, so every measured row is new as without it.
  awk -v n="$WARMUP" 'BEGIN { print "name,phone,unit,township,tags";
    for (i = 0; i < n; i++) printf "预热%d,138%08d,余庆县第%d单位,白泥镇,预热\n", i, i, i % 300 }' > "$WORK/warmup.csv"
  WSIZE=$(stat -c %s "$WORK/warmup.csv")
  [ "$WSIZE" -gt "$SIZE" ] && SIZE=$WSIZE
fi

QINGFENG_DATA_DIR="$WORK/data" QINGFENG_HTTP_PORT="$PORT" QINGFENG_HTTP_HOST=127.0.0.1 \
QINGFENG_ADMIN_TOKEN="$TOKEN" QINGFENG_HTTP_UPLOAD_LIMIT=$((SIZE + 1024)) \
  java -Xmx256m ${BENCH_JAVA_OPTS:-} -jar "$JAR" serve >"$WORK/out.log" 2>"$WORK/err.log" &
PID=$!
until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1; do
  kill -0 "$PID" 2>/dev/null || { echo "server died:"; tail -20 "$WORK/err.log"; exit 1; }
  sleep 0.2
done
OPERATOR=$(curl -sf "http://127.0.0.1:$PORT/api/v1/tokens" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"role":"operator","name":"bench"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')

# CPU time (clock ticks) of the server JVM and of the embedded PostgreSQL processes: on a
# shared machine the wall-clock figure depends on the neighbours, the CPU cost does not.
ticks() { # pid... -> summed utime+stime
  local t=0 p
  for p in "$@"; do
    [ -r "/proc/$p/stat" ] && t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") ))
  done
  echo "$t"
}
pg_pids() { # the embedded postmaster (its command line names the data dir) and its children
  local m
  for m in $(pgrep -f -- "bin/postgres -D $WORK/data/pg" || true); do echo "$m"; pgrep -P "$m" || true; done
}
if [ "$WARMUP" -gt 0 ]; then
  WSTART=$(date +%s%N)
  WHTTP=$(curl -s -o "$WORK/warmup.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/api/v1/contacts/import" \
    -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: text/csv' -H 'Expect:' --data-binary @"$WORK/warmup.csv")
  WMS=$(( ($(date +%s%N) - WSTART) / 1000000 ))
  echo "warm-up import (not measured below): HTTP $WHTTP, $WARMUP rows in $WMS ms = $(( WARMUP * 1000 / (WMS > 0 ? WMS : 1) )) rows/s"
  [ "$WHTTP" = 200 ] || { tail -20 "$WORK/err.log"; exit 1; }
fi
declare -A PG_BEFORE
for p in $(pg_pids); do PG_BEFORE[$p]=$(ticks "$p"); done
JAVA_BEFORE=$(ticks "$PID")

echo "importing ... (load average $(cut -d' ' -f1-3 /proc/loadavg))"
START=$(date +%s%N)
HTTP=$(curl -s -o "$WORK/answer.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/api/v1/contacts/import" \
  -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: text/csv' -H 'Expect:' --data-binary @"$WORK/contacts.csv")
END=$(date +%s%N)
MS=$(( (END - START) / 1000000 ))
echo "HTTP $HTTP: $(head -c 300 "$WORK/answer.json")"
[ "$HTTP" = 200 ] || { tail -20 "$WORK/err.log"; exit 1; }
HEAP=$(grep -o 'contacts import: .*' "$WORK/err.log" | tail -1)
echo "server: $HEAP"
HZ=$(getconf CLK_TCK)
JAVA_CPU=$(( $(ticks "$PID") - JAVA_BEFORE ))
PG_CPU=0
for p in $(pg_pids); do PG_CPU=$(( PG_CPU + $(ticks "$p") - ${PG_BEFORE[$p]:-0} )); done
echo "cpu: server JVM $(( JAVA_CPU * 1000 / HZ )) ms, PostgreSQL $(( PG_CPU * 1000 / HZ )) ms" \
  "-> $(( ROWS * HZ / (PG_CPU > JAVA_CPU ? PG_CPU : JAVA_CPU) )) rows per CPU-second of the busier side"
echo "RESULT: $ROWS rows in $MS ms = $(( ROWS * 1000 / (MS > 0 ? MS : 1) )) rows/s (server -Xmx256m $JAR, warm-up $WARMUP, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
