#!/usr/bin/env bash
# Receipt sink benchmark (issue 5): N mixed sms.events records (single and 3-part messages, submit
# results and receipts, receipts before their submit results, failures, rejections) through the
# real ReceiptSinkVerticle (default options) into a real PostgreSQL with the real migrations.
# PostgreSQL (durable: fsync and synchronous_commit on) and Kafka run embedded in their own
# process (`qingfeng.jar services`); the client (org.qingfeng.bench.SinkBench) produces the
# events, runs the sink, reports events applied/s and, measured in the same run on the same
# database, a raw unnest insert of the same rows in the same batch size, and the ratio; then it
# verifies the result (exit 1 on a mismatch).
#
#   scripts/bench/sink.sh                 # 200,000 events, batches of 2,000
#   EVENTS=50000 BATCH=2000 scripts/bench/sink.sh
#   SINK_BENCH_REFERENCE=0 ...            # skip the comparison with a direct BatchApplier run
#   SINK_BENCH_WARMUP=0 ...               # no warm-up; by default sinks first apply 1,800,000 other events
#                                         # (three rounds of 600,000, each with its own database and topics, not
#                                         # measured), so the measured one runs compiled code, as a sink up for a
#                                         # while does: after 600,000 the JIT still took 0.65-2.2 s of the client's
#                                         # CPU in the measured phase, after 1,800,000 0.11-0.43 s (fast host)
#   SINK_BENCH_JAVA_OPTS='-agentpath:...' # extra JVM options for the client (e.g. a profiler)
#   SINK_BENCH_IN_FLIGHT=6 ...            # batches applied at once (default: the product's, ReceiptSinkOptions)
#   SINK_BENCH_WARMUP_ROUNDS=1 ...        # split the warm-up over that many sinks, one after the other (default 3)
#   HEAP='-Xmx2g' ...                     # the client's heap (default -Xms1g -Xmx1g: a fixed size, see SinkBench.settle)
#   SINK_BENCH_GC='' ...                  # the client's GC options (default -XX:-G1UseAdaptiveIHOP, see SinkBench.settle;
#                                         # the Dockerfile runs the server with the same)
set -euo pipefail
cd "$(dirname "$0")/../.."

EVENTS="${EVENTS:-200000}"
BATCH="${BATCH:-2000}"
HEAP="${HEAP:--Xms1g -Xmx1g}"
SINK_BENCH_GC="${SINK_BENCH_GC--XX:-G1UseAdaptiveIHOP}"
export SINK_BENCH_WARMUP="${SINK_BENCH_WARMUP:-1800000}"
export SINK_BENCH_WARMUP_ROUNDS="${SINK_BENCH_WARMUP_ROUNDS:-3}"
if [[ ! -f target/qingfeng.jar || ! -f target/test-classes/org/qingfeng/bench/SinkBench.class ]]; then
  mvn -B -q -DskipTests package
fi

WORK=$(mktemp -d /tmp/qingfeng-bench-sink.XXXXXX)
echo "work dir $WORK; services log $WORK/services.log"
: >"$WORK/services.log"
java -Xmx512m -jar target/qingfeng.jar services --data-dir "$WORK/services" >"$WORK/services.log" 2>&1 &
SERVICES=$!
# The data goes; PostgreSQL's own log stays beside services.log.
trap 'kill $SERVICES 2>/dev/null; wait $SERVICES 2>/dev/null; mv "$WORK/services/postgres.log" "$WORK/" 2>/dev/null; rm -rf "$WORK/services"' EXIT

for _ in $(seq 1 600); do
  if grep -q '^# services ready' "$WORK/services.log"; then break; fi
  if ! kill -0 $SERVICES 2>/dev/null; then echo "services exited:"; tail -30 "$WORK/services.log"; exit 1; fi
  sleep 0.5
done
grep -q '^# services ready' "$WORK/services.log" || { echo "services not ready"; tail -30 "$WORK/services.log"; exit 1; }
PG_URL=$(sed -n 's/^QINGFENG_POSTGRES_URL=//p' "$WORK/services.log")
KAFKA=$(sed -n 's/^QINGFENG_KAFKA_BOOTSTRAP_SERVERS=//p' "$WORK/services.log")
PG_PORT=$(echo "$PG_URL" | sed -E 's#.*:([0-9]+)/.*#\1#')
echo "postgres $PG_URL, kafka $KAFKA"

# shellcheck disable=SC2086 # HEAP, SINK_BENCH_GC, SINK_BENCH_JAVA_OPTS: several options, split on spaces
java $HEAP $SINK_BENCH_GC ${SINK_BENCH_JAVA_OPTS:-} -Dlogback.configurationFile=scripts/bench/logback-bench.xml -Dsinkbench.pgdata="$WORK/services/pg" \
  -cp target/test-classes:target/qingfeng.jar org.qingfeng.bench.SinkBench "$PG_PORT" "$KAFKA" "$EVENTS" "$BATCH"
