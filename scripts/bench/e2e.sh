#!/usr/bin/env bash
# End-to-end benchmark (issue 8 point 3): one blast through every real part on this machine,
# each its own process: operator API -> ledger (PostgreSQL) -> Kafka sms.outbound -> sender ->
# SMPP -> `qingfeng smsc-sim` -> receipts -> Kafka sms.events -> receipt sink -> PostgreSQL.
#   services:  `qingfeng services` (embedded PostgreSQL 17, fsync on, and KRaft Kafka)
#   simulator: `qingfeng smsc-sim` (no submit limit, receipts RECEIPT_DELAY_MS after each answer,
#              mix DELIVRD=95,UNDELIV=3,EXPIRED=1,REJECTD=1)
#   server:    `qingfeng serve`, all roles, one SMPP channel 'sim' (window WINDOW, no parts/s limit)
# The client (org.qingfeng.bench.EndToEndBench) seeds the contacts, creates, submits and approves a
# campaign at max_rate 10,000 over HTTP (after an unmeasured WARMUP campaign), polls the stats
# API until every message is final and
# prints submit and final messages/s, CPU per process and an `E2E_RESULT` line.
# Target: at least 3,000 messages/s sustained. Run it under the bench lock:
#
#   flock /tmp/qingfeng-bench.lock scripts/bench/e2e.sh             # 100,000 messages after 50,000
#   MESSAGES=5000 WARMUP=1000 scripts/bench/e2e.sh                   # a quick check
#   JAR=/path/to/other/qingfeng.jar scripts/bench/e2e.sh             # another build's server (old vs new)
#   SERVER_OPTS="-XX:StartFlightRecording=filename=/tmp/e2e.jfr,settings=profile" scripts/bench/e2e.sh
#   PG_STATEMENTS=1 scripts/bench/e2e.sh   # also: PostgreSQL's time by statement, WAL and rows written per
#                                          # table in the measured campaign (pg_stat_statements; needs psql)
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=scripts/bench/lib.sh
. scripts/bench/lib.sh

MESSAGES="${MESSAGES:-100000}"
# Unmeasured messages first, in a campaign of their own: the figures are for a warm server.
# 50,000: after 10,000 the C2 compiler still took ~40 % of the server's CPU in the measured blast.
WARMUP="${WARMUP:-50000}"
TIMEOUT_S="${TIMEOUT_S:-900}"
RECEIPT_DELAY_MS="${RECEIPT_DELAY_MS:-500}"
WINDOW="${WINDOW:-50}"
HEAP="${HEAP:--Xmx1g}"
SERVER_OPTS="${SERVER_OPTS:-}"
bench_build EndToEndBench
JAR="${JAR:-target/qingfeng.jar}"

mkdir -p target
WORK=$(cd target && mktemp -d "$PWD/bench-e2e.XXXXXX")
KEEP="${KEEP:-0}"
trap 'bench_stop_all; [ "$KEEP" = 1 ] || rm -rf "$WORK/services" "$WORK/data"' EXIT
echo "work dir $WORK; logs services.log, sim.log, server.log; server jar $JAR"

start_services "$WORK/services" "$JAR"
PG_STATEMENTS="${PG_STATEMENTS:-0}"
sql() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d qingfeng "$@"; }
if [ "$PG_STATEMENTS" = 1 ]; then
  # shared_preload_libraries is read only at a server start: set it, then start the services again
  # on the same data directory. EndToEndBench resets the counters after the warm-up campaign.
  sql -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" \
    -c "ALTER SYSTEM SET pg_stat_statements.track_planning = on"
  kill "$SERVICES_PID"; wait "$SERVICES_PID" 2>/dev/null || true
  start_services "$WORK/services" "$JAR"
  sql -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
fi
start_smsc_sim "$WORK/sim.log" "$JAR" --receipt-delay-ms "$RECEIPT_DELAY_MS" \
  --receipt-mix DELIVRD=95,UNDELIV=3,EXPIRED=1,REJECTD=1 --system-id qingfeng

cat >"$WORK/server.yaml" <<YAML
sms:
  channels:
    - name: sim
      host: 127.0.0.1
      port: $SIM_PORT
      system_id: qingfeng
      password_env: QINGFENG_SMPP_SIM_PASSWORD
      window: $WINDOW
YAML
HTTP_PORT=$(free_port)
TOKEN="qf_bench-admin-token-$(date +%s%N)"
env -u QINGFENG_ROLES -u QINGFENG_SMS_CHANNELS \
  QINGFENG_DATA_DIR="$WORK/data" QINGFENG_HTTP_HOST=127.0.0.1 QINGFENG_HTTP_PORT="$HTTP_PORT" \
  QINGFENG_POSTGRES_URL="$PG_URL" QINGFENG_KAFKA_BOOTSTRAP_SERVERS="$KAFKA_BOOTSTRAP" \
  QINGFENG_ADMIN_TOKEN="$TOKEN" QINGFENG_SMPP_SIM_PASSWORD=secret \
  java "$HEAP" $SERVER_OPTS -jar "$JAR" serve --config "$WORK/server.yaml" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
BENCH_PIDS+=("$SERVER_PID")
wait_ready "http://127.0.0.1:$HTTP_PORT/health/ready" "$SERVER_PID" "$WORK/server.log"

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GB", $2/1048576}' /proc/meminfo), load average $(load_average);" \
  "server $HEAP all roles, channel window $WINDOW, simulator receipt delay ${RECEIPT_DELAY_MS} ms; $MESSAGES messages after $WARMUP warm-up"
set +e
java -De2e.pgStatements="$PG_STATEMENTS" -cp target/test-classes:target/qingfeng.jar org.qingfeng.bench.EndToEndBench \
  "$HTTP_PORT" "$PG_PORT" "$TOKEN" "$MESSAGES" "$TIMEOUT_S" "$SIM_HTTP_PORT" \
  "$SERVER_PID" "$SIM_PID" "$SERVICES_PID" "$WORK/services/pg" "$WARMUP"
RC=$?
set -e
if [ "$PG_STATEMENTS" = 1 ]; then
  echo "PostgreSQL during the measured campaign, by statement (exec and planning ms, WAL records):"
  sql -c "SELECT calls, round(total_exec_time::numeric) AS exec_ms, round(total_plan_time::numeric) AS plan_ms,
      round((total_exec_time / nullif(calls, 0))::numeric, 3) AS ms_per_call, rows, wal_records, pg_size_pretty(wal_bytes) AS wal,
      left(regexp_replace(query, '\s+', ' ', 'g'), 120) AS statement
    FROM pg_stat_statements WHERE calls > 0 ORDER BY total_exec_time + total_plan_time DESC LIMIT 25" || true
  sql -c "SELECT wal_records, wal_fpi, pg_size_pretty(wal_bytes) AS wal_bytes, wal_sync, round(wal_sync_time::numeric) AS sync_ms FROM pg_stat_wal"
  sql -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, n_live_tup, n_dead_tup
    FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC"
fi
grep -E "OutOfMemory|ERROR" "$WORK/server.log" | tail -5 || true
exit $RC
