#!/usr/bin/env bash
# Builds the benchmarks, starts a redis-server of this run's own on a free loopback port, runs the
# JMH suite against it (Holdfast next to Redisson RLock, RedissonMultiLock and a map of
# ReentrantLocks, in one run), stops the server by its pid, and prints one markdown table of
# ratios, ready to paste into BENCHMARKS.md. Needs a JDK 17+ and redis-server on the PATH.
#
# Environment (all optional):
#   QUICK=1             a short run while developing: 1 fork, 1 x 1 s warm-up, 2 x 1 s measured
#   FORKS=1             JMH forks per benchmark
#   WARMUP_ITERATIONS=5 WARMUP_SECONDS=3   warm-up per fork: C2 takes 10 to 14 s here to finish
#                       compiling Holdfast's call, and a shorter warm-up measures it part-compiled
#                       (BENCHMARKS.md, "Warm-up")
#   ITERATIONS=5 ITERATION_SECONDS=2       measured iterations per fork
#   INCLUDE='.*'        which benchmarks: a regular expression over Class.method,
#                       e.g. 'InMemory.*' or 'RedisThreeOfTwenty.*'
#   JAVA=java           the java to run the suite (and its forks) with
#   SWEEP_THREADS=1,4,16  thread counts of the thread sweep over the contended workloads (charts
#                       only); empty for no sweep
#   SWEEP_INCLUDE=...   which benchmarks the sweep runs (default: BenchmarkSuite.CONTENDED)
#   CHARTS=examples/benchmarks/target/jmh/charts  where the PNG charts go; BENCHMARKS.md shows
#                       those of the quoted run from docs/benchmarks (CHARTS=docs/benchmarks)
#   INTERLEAVED_ROUNDS=15  rounds of the interleaved one-key run after the JMH suite (Holdfast,
#                       its floor and RLock taking turns in one JVM, ratios within each round:
#                       BENCHMARKS.md, "Interleaved"); 0 for none
#   INTERLEAVED_WARMUP_ROUNDS=8 INTERLEAVED_WINDOW_SECONDS=2  its warm-up and each turn's length
# The full run takes about 50 minutes on two cores, 40 of them without the thread sweep
# (SWEEP_THREADS=). JMH's own output goes to
# examples/benchmarks/target/jmh/ (text logs and JSON results per pass), the build's to
# target/jmh/build.log there.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
module=examples/benchmarks
logs="$module/target/jmh"

if ! command -v redis-server >/dev/null 2>&1; then
  echo "redis-server is not on the PATH: install it (Debian: apt-get install redis-server)" >&2
  exit 1
fi

if [ "${QUICK:-0}" = 1 ]; then
  : "${FORKS:=1}" "${WARMUP_ITERATIONS:=1}" "${WARMUP_SECONDS:=1}" "${ITERATIONS:=2}" "${ITERATION_SECONDS:=1}"
  : "${INTERLEAVED_ROUNDS:=2}" "${INTERLEAVED_WARMUP_ROUNDS:=1}" "${INTERLEAVED_WINDOW_SECONDS:=1}"
fi
started=$(date +%s)

mkdir -p "$logs"
echo "Building $module (log: $logs/build.log)..." >&2
if ! ./mvnw -B -ntp -pl "$module" -am package -DskipTests >"$logs/build.log" 2>&1; then
  tail -n 40 "$logs/build.log" >&2
  exit 1
fi

# A free port: one nothing answers on; redis-server refuses a taken one, and then we try another.
redis_pid=""
stop_redis() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
}
trap stop_redis EXIT

ping_redis() {
  local reply
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'PING\r\n' >&3
  IFS= read -r -t 1 reply <&3 || reply=""
  exec 3<&- 3>&-
  [ "${reply%$'\r'}" = "+PONG" ]
}

port=""
for _ in $(seq 1 20); do
  candidate=$((20000 + RANDOM % 40000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
    continue
  fi
  redis-server --port "$candidate" --bind 127.0.0.1 --save "" --appendonly no \
    --logfile "$root/$logs/redis.log" &
  redis_pid=$!
  for _ in $(seq 1 50); do
    if ping_redis "$candidate" 2>/dev/null; then
      port=$candidate
      break 2
    fi
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.1
  done
  stop_redis
  redis_pid=""
done
if [ -z "$port" ]; then
  echo "Could not start redis-server on a free port; see $logs/redis.log" >&2
  exit 1
fi
echo "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on 127.0.0.1:$port, pid $redis_pid" >&2

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)
echo "## Run of $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "- machine: ${cpu_model:-unknown CPU}, $(nproc) CPUs, $(uname -sr)"
"${JAVA:-java}" \
  -Dholdfast.benchmarks.redis="redis://127.0.0.1:$port" \
  -Dholdfast.benchmarks.forks="${FORKS:-1}" \
  -Dholdfast.benchmarks.warmupIterations="${WARMUP_ITERATIONS:-5}" \
  -Dholdfast.benchmarks.warmupSeconds="${WARMUP_SECONDS:-3}" \
  -Dholdfast.benchmarks.iterations="${ITERATIONS:-5}" \
  -Dholdfast.benchmarks.seconds="${ITERATION_SECONDS:-2}" \
  -Dholdfast.benchmarks.include="${INCLUDE:-.*}" \
  -Dholdfast.benchmarks.logs="$logs" \
  -Dholdfast.benchmarks.sweepThreads="${SWEEP_THREADS-1,4,16}" \
  ${SWEEP_INCLUDE:+-Dholdfast.benchmarks.sweepInclude="$SWEEP_INCLUDE"} \
  -Dholdfast.benchmarks.charts="${CHARTS:-$logs/charts}" \
  -Djava.awt.headless=true \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$module/target/classes:$(cat "$module/target/benchmarks.classpath")" \
  dev.holdfast.examples.benchmarks.BenchmarkSuite
echo
echo "Charts: ${CHARTS:-$logs/charts}"
if [ "${INTERLEAVED_ROUNDS:-15}" -gt 0 ]; then
  echo
  "${JAVA:-java}" \
    -Dholdfast.benchmarks.redis="redis://127.0.0.1:$port" \
    -Dholdfast.benchmarks.interleaved.rounds="${INTERLEAVED_ROUNDS:-15}" \
    -Dholdfast.benchmarks.interleaved.warmupRounds="${INTERLEAVED_WARMUP_ROUNDS:-8}" \
    -Dholdfast.benchmarks.interleaved.windowMillis="$(( ${INTERLEAVED_WINDOW_SECONDS:-2} * 1000 ))" \
    -Xms1g -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$module/target/classes:$(cat "$module/target/benchmarks.classpath")" \
    dev.holdfast.examples.benchmarks.InterleavedOneKey
fi
echo "Command: QUICK=${QUICK:-0} FORKS=${FORKS:-1} WARMUP_ITERATIONS=${WARMUP_ITERATIONS:-5}" \
  "WARMUP_SECONDS=${WARMUP_SECONDS:-3} ITERATIONS=${ITERATIONS:-5} ITERATION_SECONDS=${ITERATION_SECONDS:-2}" \
  "INCLUDE='${INCLUDE:-.*}' SWEEP_THREADS='${SWEEP_THREADS-1,4,16}'" \
  "INTERLEAVED_ROUNDS=${INTERLEAVED_ROUNDS:-15} INTERLEAVED_WARMUP_ROUNDS=${INTERLEAVED_WARMUP_ROUNDS:-8}" \
  "INTERLEAVED_WINDOW_SECONDS=${INTERLEAVED_WINDOW_SECONDS:-2} $module/run-benchmarks.sh;" \
  "took $(( $(date +%s) - started )) s"
