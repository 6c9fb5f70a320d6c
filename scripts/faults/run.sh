#!/usr/bin/env bash
# Fault run with real processes: `qingfeng services --only pg` and `--only kafka`, `qingfeng smsc-sim`
# (all SMPP links dropped every 5 s), two `qingfeng serve` on the same PostgreSQL and Kafka and one
# `qingfeng led-sim` per server. During a blast: SIGKILL server A and restart it, restart Kafka,
# restart PostgreSQL. Then the simulator's ledger, its acknowledged receipts and the screens' accepted
# plays are compared with PostgreSQL (org.qingfeng.faults.FaultCheck); the figures are printed.
#
#   scripts/faults/run.sh            # short form: 3,000 recipients, 20 screens (what CI runs, via FaultRunIT)
#   scripts/faults/run.sh --full     # 100,000 recipients, 500 screens
#   scripts/faults/run.sh --recipients N --screens N --max-rate N   # max_rate is per sender instance
#
# Exit code: 0 all held, 1 a violation (listed), 3 the run itself failed. Data and logs: target/faults/run/
# (logs/ has one file per process start). Every process is stopped on exit, however the script ends.
# On the shared machine run it under the bench lock, with -o so that no process it starts inherits the
# lock (a leftover process would hold it for everyone): flock -o /tmp/qingfeng-bench.lock scripts/faults/run.sh ...
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -q package -DskipTests
  mvn -B -q test-compile
fi
WORK=target/faults/run
rm -rf "$WORK"
mkdir -p "$WORK"

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
START=$(date +%s)
# Its own process group, so that the trap reaches every process it started (and PostgreSQL's children)
# even if the driver itself dies without cleaning up.
setsid java -Xmx1g -cp target/qingfeng.jar:target/test-classes org.qingfeng.faults.FaultRun --dir "$WORK" "$@" &
DRIVER=$!
cleanup() {
  kill -TERM -- "-$DRIVER" 2>/dev/null || true
  for _ in $(seq 1 30); do
    kill -0 -- "-$DRIVER" 2>/dev/null || return 0
    sleep 1
  done
  kill -KILL -- "-$DRIVER" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
set +e
wait "$DRIVER"
RC=$?
set -e
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); wall time $(( $(date +%s) - START )) s; exit $RC"
exit $RC
