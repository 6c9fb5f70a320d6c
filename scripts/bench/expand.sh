#!/usr/bin/env bash
# Campaign expansion benchmark (issue 4): a 1,000,000-contact campaign expanded into the
# ledger and sms.outbound. The server runs from the jar with embedded PostgreSQL and Kafka,
# -Xmx256m, roles api,scheduler (no sender, so only expansion is measured). The client
# (org.qingfeng.bench.ExpandBench) seeds the contacts with unnest, creates and approves the
# campaign over HTTP and reports recipients/s from start to expand_done and the records produced.
#
#   scripts/bench/expand.sh            # 1,000,000 contacts
#   CONTACTS=200000 scripts/bench/expand.sh
#   WARMUP=200000 scripts/bench/expand.sh      # first a warm-up campaign of 200,000 other contacts (not measured)
#   SERVICES=separate scripts/bench/expand.sh  # PostgreSQL and Kafka in their own `qingfeng services` JVM,
#                                              # as a production Kafka is its own process; its CPU is reported
set -euo pipefail
cd "$(dirname "$0")/../.."

CONTACTS="${CONTACTS:-1000000}"
HEAP="${HEAP:--Xmx256m}"
# SERVER_OPTS: extra JVM options for the server, e.g. a flight recording:
#   SERVER_OPTS="-XX:StartFlightRecording=filename=/tmp/expand.jfr,settings=profile"
SERVER_OPTS="${SERVER_OPTS:-}"
# JAR: the server jar to measure (default target/qingfeng.jar); same-run pairs compare a saved
# jar of another commit with this one, back to back. The client always runs from target/.
JAR="${JAR:-target/qingfeng.jar}"
if [[ ! -f target/qingfeng.jar || ! -f target/test-classes/org/qingfeng/bench/ExpandBench.class ]]; then
  mvn -B -q -DskipTests package
fi

# shellcheck source=scripts/bench/lib.sh
source scripts/bench/lib.sh
HTTP_PORT=$(free_port); PG_PORT=$(free_port); KAFKA_PORT=$(free_port)
TOKEN="qf_bench-admin-token-$(date +%s)"
WORK=$(mktemp -d /tmp/qingfeng-bench-expand.XXXXXX)
echo "work dir $WORK; server log $WORK/server.log"

SERVICES="${SERVICES:-embedded}"
SERVICES_PID=""
SERVER=""
trap 'if [[ -n "$SERVER" ]]; then kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; fi; if [[ -n "$SERVICES_PID" ]]; then kill $SERVICES_PID 2>/dev/null; wait $SERVICES_PID 2>/dev/null; fi; rm -rf "$WORK/data"' EXIT
PG_DIR="$WORK/data/pg"
if [[ "$SERVICES" == separate ]]; then
  # Same JVM options as the server's embedded case (heap), but its own process: the broker's GC and JIT
  # no longer share the server's 256 MB heap and compiler threads.
  java "$HEAP" -jar "$JAR" services --data-dir "$WORK/data/services" --pg-port "$PG_PORT" --kafka-port "$KAFKA_PORT" \
    >"$WORK/services.log" 2>&1 &
  SERVICES_PID=$!
  wait_for_line "$WORK/services.log" '^# services ready' "$SERVICES_PID" services
  PG_DIR="$WORK/data/services/pg"
  EXTERNAL=(QINGFENG_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PG_PORT/qingfeng"
    QINGFENG_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT")
else
  EXTERNAL=()
fi

env -u QINGFENG_POSTGRES_URL -u QINGFENG_KAFKA_BOOTSTRAP_SERVERS "${EXTERNAL[@]}" \
  QINGFENG_DATA_DIR="$WORK/data" QINGFENG_ROLES=api,scheduler QINGFENG_HTTP_HOST=127.0.0.1 \
  QINGFENG_HTTP_PORT="$HTTP_PORT" QINGFENG_POSTGRES_EMBEDDED_PORT="$PG_PORT" \
  QINGFENG_KAFKA_EMBEDDED_PORT="$KAFKA_PORT" QINGFENG_ADMIN_TOKEN="$TOKEN" \
  java "$HEAP" $SERVER_OPTS -jar "$JAR" serve >"$WORK/server.log" 2>&1 &
SERVER=$!

wait_ready "http://127.0.0.1:$HTTP_PORT/health/ready" "$SERVER" "$WORK/server.log"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); server $HEAP $JAR; services $SERVICES; warm-up ${WARMUP:-0}"
java -cp target/test-classes:target/qingfeng.jar org.qingfeng.bench.ExpandBench \
  "$HTTP_PORT" "$PG_PORT" "$KAFKA_PORT" "$TOKEN" "$CONTACTS" "$SERVER" "$PG_DIR" $SERVICES_PID
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "Expander|OutOfMemory" "$WORK/server.log" | tail -5 || true
