#!/usr/bin/env bash
# SMPP connector benchmark (issue 3): connector -> in-process SMSC simulator and the raw jSMPP
# client -> the same simulator, in one run, loopback, receipts on, window 50, no throttle.
# Usage: scripts/bench/smpp.sh [seconds measured per client, default 60]
# The clients alternate in SMPP_BENCH_ROUNDS rounds (default 2: connector, raw, connector, raw, each
# phase seconds/rounds long with a fresh simulator), so both meet the same swings of a shared machine's
# load; the summary is one line per round's pair, then (a), (b) and the ratio over all rounds (all of a
# client's parts over all of its measured seconds). SMPP_BENCH_ROUNDS=1 is the single 60 s pair of before.
# Both clients first run unmeasured for min(10, s/6) s each (JIT warm-up of the code they share);
# SMPP_BENCH_PREWARM=0 skips that (the method before 2026-12-06), SMPP_BENCH_PREWARM=n sets it;
# SMPP_BENCH_RAW_FIRST=1 measures the raw client first. A full GC runs before each measured phase
# (the previous phase's closed simulator is garbage: its ledger of every submit); SMPP_BENCH_GC=0 skips it.
# Every 10 s each phase prints its rate, JVM CPU per part, GC time and heap for that interval too.
# Profiling: SMPP_BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=target/smpp.jfr,settings=profile"
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_CLIENT="${1:-60}"
CP_FILE=target/bench-classpath.txt
BENCH_CLASS=target/test-classes/org/qingfeng/bench/SmppBench.class

needs_build() {
  [[ ! -f "$BENCH_CLASS" || ! -f "$CP_FILE" || pom.xml -nt "$CP_FILE" ]] && return 0
  # Any source newer than the last build? (-print -quit: no pipe into head under pipefail)
  [[ -n "$(find src -newer "$BENCH_CLASS" -type f -print -quit)" ]]
}

if needs_build; then
  echo "building (test classes and the test classpath)..." >&2
  mvn -B -q -DskipTests test-compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=test
fi

# shellcheck disable=SC2086 # extra JVM options are word-split on purpose
exec java -Xmx2g ${SMPP_BENCH_JAVA_OPTS:-} -Dlogback.configurationFile=scripts/bench/logback-bench.xml \
  -cp "target/test-classes:target/classes:$(cat "$CP_FILE")" \
  org.qingfeng.bench.SmppBench "$SECONDS_PER_CLIENT"
