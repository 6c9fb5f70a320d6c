#!/usr/bin/env bash
# Ops page vs stats API agreement (issue 7 must-hold): "during a 100,000-message demo blast the
# ops page's numbers agree with GET /api/v1/campaigns/{id}/stats within one second of lag".
# The server runs from the jar with embedded PostgreSQL and Kafka and every role (api, scheduler,
# sender, sink, led), so the built-in SMSC simulator is the one channel 'sim' (no parts/s limit,
# window 50, receipts after sms.simulator.receipt-delay-ms, default mix DELIVRD=95,UNDELIV=3,
# EXPIRED=1,REJECTD=1). The client (org.qingfeng.bench.OpsAgreementBench) seeds the contacts,
# creates and approves a campaign at max_rate 10000, then reads GET /api/v1/ops/stream while
# polling the stats API, and checks lag (receive - at <= 1 s), that every stream value lies
# between the stats reads around its tick, and exact final equality. Exit 1 on any violation.
# 100,000 take about 4 minutes on 2 busy cores (the blast itself ~3.5 min); TIMEOUT_S bounds the wait.
#
#   scripts/bench/ops-agree.sh                 # 100,000 messages
#   MESSAGES=5000 scripts/bench/ops-agree.sh
#   POLL_MS=0 TIMEOUT_S=900 RECEIPT_DELAY_MS=500 HEAP=-Xmx1g scripts/bench/ops-agree.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

MESSAGES="${MESSAGES:-100000}"
POLL_MS="${POLL_MS:-100}"
TIMEOUT_S="${TIMEOUT_S:-600}"
RECEIPT_DELAY_MS="${RECEIPT_DELAY_MS:-500}"
HEAP="${HEAP:--Xmx1g}"
if [[ ! -f target/qingfeng.jar || ! -f target/test-classes/org/qingfeng/bench/OpsAgreementBench.class ]]; then
  mvn -B -q -DskipTests package
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP_PORT=$(free_port); PG_PORT=$(free_port); KAFKA_PORT=$(free_port)
TOKEN="qf_bench-admin-token-$(date +%s)"
WORK=$(mktemp -d /tmp/qingfeng-bench-ops-agree.XXXXXX)
echo "work dir $WORK; server log $WORK/server.log"

# QINGFENG_ROLES deliberately unset: all roles. QINGFENG_SMS_CHANNELS unset: the simulator channel.
env -u QINGFENG_POSTGRES_URL -u QINGFENG_KAFKA_BOOTSTRAP_SERVERS -u QINGFENG_ROLES \
  QINGFENG_DATA_DIR="$WORK/data" QINGFENG_HTTP_HOST=127.0.0.1 \
  QINGFENG_HTTP_PORT="$HTTP_PORT" QINGFENG_POSTGRES_EMBEDDED_PORT="$PG_PORT" \
  QINGFENG_KAFKA_EMBEDDED_PORT="$KAFKA_PORT" QINGFENG_ADMIN_TOKEN="$TOKEN" \
  QINGFENG_SMS_SIMULATOR_RECEIPT_DELAY_MS="$RECEIPT_DELAY_MS" \
  java "$HEAP" -jar target/qingfeng.jar serve >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK/data"' EXIT

for _ in $(seq 1 600); do
  if curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/health/ready"; then break; fi
  if ! kill -0 $SERVER 2>/dev/null; then echo "server exited:"; tail -30 "$WORK/server.log"; exit 1; fi
  sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$HTTP_PORT/health/ready" || { echo "server not ready"; tail -30 "$WORK/server.log"; exit 1; }

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); server $HEAP, all roles," \
  "simulator receipt delay ${RECEIPT_DELAY_MS} ms; $MESSAGES messages, stats poll every ${POLL_MS} ms"
grep -E "SMS channel 'sim'" "$WORK/server.log" | tail -1 || true
set +e
java -cp target/test-classes:target/qingfeng.jar org.qingfeng.bench.OpsAgreementBench \
  "$HTTP_PORT" "$PG_PORT" "$KAFKA_PORT" "$TOKEN" "$MESSAGES" "$POLL_MS" "$TIMEOUT_S"
RC=$?
set -e
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "ops collector|OutOfMemory|ERROR" "$WORK/server.log" | tail -5 || true
exit $RC
