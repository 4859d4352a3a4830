#!/usr/bin/env bash
# Builds and runs the benchmarks of the foundation issue:
#   1. start-up: time from launching `underpass serve` to a healthy answer, and resident memory when idle;
#   2. HTTP load: DescribeVpcs and CreateSubnet over keep-alive connections (1 and 8), see HttpLoad.java.
# Usage: scripts/bench.sh [seconds-per-load-run]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. .ci/java-env
./mvnw -q -B -pl bench -am package -DskipTests
jar="$root/server/target/underpass-server-0.1.0-SNAPSHOT.jar"
port=45660
data=$(mktemp -d)
./underpass --version >/dev/null 2>&1   # builds the launcher's class-data-sharing archive if needed
start=$(date +%s%N)
"$root/underpass" serve --port "$port" --data-dir "$data" >/dev/null 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/_underpass/health" >/dev/null 2>&1; do sleep 0.005; done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 3
rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
kill "$pid"; wait "$pid" 2>/dev/null || true
rm -rf "$data"
echo "start-up: healthy after ${ready} ms; idle resident memory ${rss} MB (./underpass serve, default flags)"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" \
  dev.underpass.bench.HttpLoad "${1:-10}" 2>/dev/null
# Durable writes against the data dir's own fdatasync rate (issue 16, target 1), in the repository's file system.
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar" \
  dev.underpass.bench.DurableWriteLoad "${1:-5}" "$root" 2>/dev/null
# Issue 16: encoding (DescribeVpcEndpoints, 200 endpoints), per-request cost at 500 vs 5,000 consumer accounts,
# start-up on an empty data dir and on one with 100,000 resources.
cp="bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.underpass.bench.EncodingLoad 200 "${1:-5}" 2>/dev/null
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.underpass.bench.ScaleLoad 500 5000 "${1:-5}" 2>/dev/null
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.underpass.bench.StartupLoad 100000 2 "$root" 2>/dev/null
# Issue 16, target 3: the seed scenario at 5,000 consumer accounts on a durable store (create and accept 5,000
# connections, the provider's connections paged through, resident memory); target 2's write half: CreateVpc
# throughput from an empty durable store up to 250,000 resources.
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.underpass.bench.SeedLoad 5000 "${1:-5}" "$root/bench/target" 2>/dev/null
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" dev.underpass.bench.WriteGrowthLoad 250000 "$root/bench/target" 2>/dev/null
