#!/usr/bin/env bash
# The seed's scenario on the loopback data plane (docs/dataplane.md, README "Example: health data"):
# a provider's app on three instances in three zones behind an NLB and an endpoint service, N consumer accounts
# calling it through their interface endpoints' DNS names, one zone's server stopped (every consumer keeps getting
# answers once the health checks notice), one consumer's endpoint security group revoked (refused, and its flow log
# shows REJECT). Builds underpass on first use. Linux only (127.0.0.0/8 must route to loopback).
# Usage: examples/health-data/run.sh [CONSUMERS]   (default 50)
set -euo pipefail
n=${1:-50}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/.ci/java-env"

# Build if needed (the launcher does), and learn the version while at it.
"$root/underpass" --version >/dev/null

free_port() { # a random port nothing listens on (TCP; DNS takes UDP and TCP on its port)
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
port=$(free_port)
dns=$(free_port)
work="$(mktemp -d "${TMPDIR:-/tmp}/underpass-health-data.XXXXXX")"
"$root/underpass" serve --port "$port" --dns-port "$dns" --data-dir "$work/data" --data-plane loopback \
  --no-default-vpcs >"$work/server.log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 1 300); do
  if curl -fs "http://127.0.0.1:$port/_underpass/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$server" 2>/dev/null; then echo "underpass did not start:" >&2; cat "$work/server.log" >&2; exit 1; fi
  sleep 0.1
done
echo "* underpass on http://127.0.0.1:$port (DNS on 127.0.0.1:$dns, data dir $work/data, log $work/server.log)"
"$JAVA_HOME/bin/java" -cp "$root/server/target/lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  "$root/examples/health-data/HealthData.java" "http://127.0.0.1:$port" "$dns" "$n"
