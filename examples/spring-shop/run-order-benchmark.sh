#!/usr/bin/env bash
# Runs OrderServiceBench: the shop's order service end to end, Holdfast's @DistributedLock against
# the seeds' sorted-RLock aspect, two instances on a MariaDB database of the run's own (created on
# 127.0.0.1:3306 as root, dropped at the end) and a redis-server of the run's own. Prints the
# markdown table, also written to examples/spring-shop/target/order-benchmark.md. Needs a JDK 17+,
# redis-server on the PATH and the local MariaDB server.
#
# Environment (all optional):
#   SECONDS_PER_ROUND=15  measured seconds per contender and round
#   WARMUP_SECONDS=5      warm-up per contender and round
#   ROUNDS=2              rounds; contenders alternate within each
# Takes about 2 minutes with the defaults (build included).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
module=examples/spring-shop
started=$(date +%s)
log="$module/target/order-benchmark.log"
mkdir -p "$module/target"
if ! ./mvnw -B -ntp -pl "$module" -am verify -Dtest=OrderServiceBench \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dshop.bench.seconds="${SECONDS_PER_ROUND:-15}" \
  -Dshop.bench.warmup="${WARMUP_SECONDS:-5}" \
  -Dshop.bench.rounds="${ROUNDS:-2}" >"$log" 2>&1; then
  tail -n 60 "$log" >&2
  exit 1
fi
echo "## Order service run of $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "- machine: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(nproc) CPUs," \
  "load average $(cut -d ' ' -f 1-3 /proc/loadavg) at the end"
echo "- MariaDB $(mysql -h 127.0.0.1 -u root -N -e 'SELECT VERSION()' 2>/dev/null || echo '(version unknown)')," \
  "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')"
echo
cat "$module/target/order-benchmark.md"
echo
echo "Command: SECONDS_PER_ROUND=${SECONDS_PER_ROUND:-15} WARMUP_SECONDS=${WARMUP_SECONDS:-5}" \
  "ROUNDS=${ROUNDS:-2} $module/run-order-benchmark.sh; took $(( $(date +%s) - started )) s"
