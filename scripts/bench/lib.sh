# Shell shared by the benchmark scripts that run the product as separate processes. Source it
# after `cd` to the repository root, with `set -euo pipefail` on; the caller owns WORK (a
# directory under target/ or /tmp) and the EXIT trap (call bench_stop_all from it).

BENCH_PIDS=()

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# Builds the jar and the test classes (the bench clients) when either is missing.
bench_build() {
  if [[ ! -f target/qingfeng.jar || ! -f target/test-classes/org/qingfeng/bench/$1.class ]]; then
    mvn -B -q -DskipTests package
  fi
}

# Stops what the bench started, newest first (the server before the services it uses).
bench_stop_all() {
  local i
  for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
    kill "${BENCH_PIDS[$i]}" 2>/dev/null || true
    wait "${BENCH_PIDS[$i]}" 2>/dev/null || true
  done
}

# wait_for_line LOGFILE REGEX PID WHAT: until the process logs the line, or exits (fail), or 300 s.
wait_for_line() {
  local _
  for _ in $(seq 1 600); do
    if grep -qE "$2" "$1"; then return 0; fi
    if ! kill -0 "$3" 2>/dev/null; then echo "$4 exited:"; tail -30 "$1"; return 1; fi
    sleep 0.5
  done
  echo "$4 not ready after 300 s"; tail -30 "$1"; return 1
}

# wait_ready URL PID LOGFILE: until GET URL answers 2xx, or the process exits, or 300 s.
wait_ready() {
  local _
  for _ in $(seq 1 600); do
    if curl -sf -o /dev/null "$1"; then return 0; fi
    if ! kill -0 "$2" 2>/dev/null; then echo "server exited:"; tail -30 "$3"; return 1; fi
    sleep 0.5
  done
  echo "server not ready after 300 s"; tail -30 "$3"; return 1
}

# start_services DIR [JAR]: embedded PostgreSQL + Kafka in their own process (`qingfeng services`).
# Sets SERVICES_PID, PG_URL, PG_PORT, KAFKA_BOOTSTRAP.
start_services() {
  local dir=$1 jar=${2:-target/qingfeng.jar}
  java -Xmx512m -jar "$jar" services --data-dir "$dir" >"$dir.log" 2>&1 &
  SERVICES_PID=$!
  BENCH_PIDS+=("$SERVICES_PID")
  wait_for_line "$dir.log" '^# services ready' "$SERVICES_PID" services
  PG_URL=$(sed -n 's/^QINGFENG_POSTGRES_URL=//p' "$dir.log")
  KAFKA_BOOTSTRAP=$(sed -n 's/^QINGFENG_KAFKA_BOOTSTRAP_SERVERS=//p' "$dir.log")
  PG_PORT=$(echo "$PG_URL" | sed -E 's#.*:([0-9]+)/.*#\1#')
}

# start_smsc_sim LOGFILE [JAR] [OPTIONS...]: `qingfeng smsc-sim` on free ports. Sets SIM_PID, SIM_PORT, SIM_HTTP_PORT.
start_smsc_sim() {
  local log=$1 jar=${2:-target/qingfeng.jar}
  shift 2
  java -Xmx512m -jar "$jar" smsc-sim --port 0 --http-port 0 "$@" >"$log" 2>&1 &
  SIM_PID=$!
  BENCH_PIDS+=("$SIM_PID")
  wait_for_line "$log" 'SMSC simulator HTTP port' "$SIM_PID" smsc-sim
  SIM_PORT=$(sed -n 's/^SMSC simulator SMPP port \([0-9]*\).*/\1/p' "$log")
  SIM_HTTP_PORT=$(sed -n 's/^SMSC simulator HTTP port \([0-9]*\).*/\1/p' "$log")
}
