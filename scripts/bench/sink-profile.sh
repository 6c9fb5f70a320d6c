#!/usr/bin/env bash
# Where the receipt sink's time goes in PostgreSQL, statement by statement: runs
# scripts/bench/sink.sh's client (org.qingfeng.bench.SinkBench, without the direct-apply
# reference) against embedded PostgreSQL with pg_stat_statements loaded, then prints the
# statements by total execution time (calls, ms, planning ms, rows, buffers, WAL records).
# pg_stat_statements must be in shared_preload_libraries, which only a server start reads: the
# services process is started once to set it (ALTER SYSTEM), stopped, and started again on the
# same data directory. Run it under the bench lock like the benchmarks:
#
#   flock /tmp/qingfeng-bench.lock scripts/bench/sink-profile.sh
#   EVENTS=50000 BATCH=2000 flock /tmp/qingfeng-bench.lock scripts/bench/sink-profile.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

EVENTS="${EVENTS:-200000}"
BATCH="${BATCH:-2000}"
if [[ ! -f target/qingfeng.jar || ! -f target/test-classes/org/qingfeng/bench/SinkBench.class ]]; then
  mvn -B -q -DskipTests package
fi
WORK=$(mktemp -d /tmp/qingfeng-bench-sink-profile.XXXXXX)
echo "work dir $WORK"
SERVICES=
trap '[[ -n "$SERVICES" ]] && kill $SERVICES 2>/dev/null; wait 2>/dev/null; mv "$WORK/services/postgres.log" "$WORK/" 2>/dev/null; rm -rf "$WORK/services"' EXIT

start_services() {
  : >"$WORK/services.log"
  java -Xmx512m -jar target/qingfeng.jar services --data-dir "$WORK/services" >"$WORK/services.log" 2>&1 &
  SERVICES=$!
  for _ in $(seq 1 600); do
    if grep -q '^# services ready' "$WORK/services.log"; then break; fi
    if ! kill -0 $SERVICES 2>/dev/null; then echo "services exited:"; tail -30 "$WORK/services.log"; exit 1; fi
    sleep 0.5
  done
  PG_PORT=$(sed -n 's/^QINGFENG_POSTGRES_URL=//p' "$WORK/services.log" | sed -E 's#.*:([0-9]+)/.*#\1#')
  KAFKA=$(sed -n 's/^QINGFENG_KAFKA_BOOTSTRAP_SERVERS=//p' "$WORK/services.log")
}
sql() { psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d qingfeng "$@"; }

start_services
sql -c "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'" \
  -c "ALTER SYSTEM SET pg_stat_statements.track_planning = on"
kill $SERVICES; wait $SERVICES 2>/dev/null || true
start_services
sql -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"
sql -c "SELECT datname, datlocprovider, datcollate FROM pg_database WHERE datname = current_database()"
sql -c "SELECT pg_stat_reset_shared('wal')" >/dev/null
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# The client JVM as sink.sh runs it (SinkBench.settle collects before each phase: with a heap free to
# shrink, that multiplies the young collections).
SINK_BENCH_REFERENCE=0 java -Xms1g -Xmx1g -XX:-G1UseAdaptiveIHOP -Dlogback.configurationFile=scripts/bench/logback-bench.xml -Dsinkbench.pgdata="$WORK/services/pg" \
  -cp target/test-classes:target/qingfeng.jar org.qingfeng.bench.SinkBench "$PG_PORT" "$KAFKA" "$EVENTS" "$BATCH"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
sql -c "SELECT calls, round(total_exec_time::numeric) AS exec_ms, round(total_plan_time::numeric) AS plan_ms,
    round((total_exec_time / calls)::numeric, 2) AS ms_per_call, rows, shared_blks_hit + shared_blks_read AS blocks,
    wal_records, wal_bytes, left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
  FROM pg_stat_statements WHERE calls >= 10 ORDER BY total_exec_time DESC LIMIT 20"
# WAL of the whole run (sink, raw reference and the bench's own reads and setup).
sql -c "SELECT wal_records, wal_fpi, pg_size_pretty(wal_bytes) AS wal_bytes FROM pg_stat_wal"
# Rows written per table, how many updates were HOT (no new index entries), and the table and index sizes.
sql -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del,
    pg_size_pretty(pg_table_size(relid)) AS heap, pg_size_pretty(pg_indexes_size(relid)) AS indexes
  FROM pg_stat_user_tables WHERE relname LIKE 'receipt%' ORDER BY relname"
