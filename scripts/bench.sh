#!/usr/bin/env bash
# Builds and runs the whole benchmark set, then prints one table of every figure beside its reference and target.
#
#   scripts/bench.sh [seconds]        seconds per timed run inside each benchmark (default 3)
#
# The set (names for BENCH_ONLY):
#   idle      `./underpass serve`: healthy after launch, idle resident memory
#   http      HttpLoad: DescribeVpcs and durable CreateSubnet on 1 and 8 connections (floci's Describe figures)
#   durable   DurableWriteLoad: issue 16 target 1, durable writes beside this file system's fdatasync rate
#   encoding  EncodingLoad: target 4, DescribeVpcEndpoints with 200 endpoints and other large Describes
#   scale     ScaleLoad: target 2, the same request mix at 500 and at 5,000 consumer accounts
#   growth    WriteGrowthLoad: target 2, write throughput from an empty durable store to 250,000 resources
#   seed      SeedLoad: target 3, the seed scenario at 5,000 consumers (create, accept, page, memory)
#   startup   StartupLoad: target 5, ready time on an empty data dir and on one with 250,000 resources
#   dataplane DataPlaneLoad: issue 14, endpoint -> NLB -> target against a direct loopback connection
#   service   ServiceEndpointLoad: issue 15, S3 GetObject through a gateway endpoint against direct to s3proxy
#
# Environment:
#   BENCH_ONLY='startup|durable'   run only the benchmarks whose name matches this regular expression
#   BENCH_BUILD=0                  skip the build (use what bench/target holds)
#   BENCH_CONSUMERS (5000), BENCH_RESOURCES (250000), BENCH_GROWTH (250000), BENCH_DATAPLANE_MB (256)
#   BENCH_TIMEOUT (240)            seconds after which one benchmark is stopped and counted as failed
#   UNDERPASS_ACCESS_LOG           false unless set: the per-request access log is off while measuring
#
# Every benchmark prints its own lines and, for each figure, a line "RESULT<TAB>target<TAB>metric<TAB>value<TAB>
# unit<TAB>reference<TAB>verdict" (bench/src/main/java/dev/underpass/bench/Result.java). The table at the end is made
# of those lines. A benchmark that crashes or times out is reported at once with the end of its error output, gets a
# FAILED row, and the others still run; the script then exits with status 1. Logs: bench/target/bench-run/.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. .ci/java-env
secs="${1:-3}"
only="${BENCH_ONLY:-}"
consumers="${BENCH_CONSUMERS:-5000}"
resources="${BENCH_RESOURCES:-250000}"
growth="${BENCH_GROWTH:-250000}"
dp_mb="${BENCH_DATAPLANE_MB:-256}"
limit="${BENCH_TIMEOUT:-240}"
export UNDERPASS_ACCESS_LOG="${UNDERPASS_ACCESS_LOG:-false}"
started=$(date +%s)
load() { sed 's/.*load average: //' /proc/loadavg 2>/dev/null || uptime; }
echo "bench.sh $(date -u '+%Y-%m-%d %H:%M UTC'), ${secs} s per timed run, $(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1)"
echo "uptime: $(uptime)"

if [ "${BENCH_BUILD:-1}" = 1 ]; then
  b0=$(date +%s)
  ./mvnw -q -B -pl bench -am package -DskipTests || { echo "bench.sh: the build failed" >&2; exit 1; }
  build_time=$(( $(date +%s) - b0 ))
  echo "build: ${build_time} s"
else
  build_time=0
fi
# The server jar was just built with the rest: the launcher need not rebuild it because bench sources are newer.
[ -f server/target/underpass-server-0.1.0-SNAPSHOT.jar ] && touch server/target/.launcher-stamp

out="$root/bench/target/bench-run"
rm -rf "$out"; mkdir -p "$out"
results="$out/results.tsv"; : > "$results"
times=()
failed=()
cp="bench/target/lib/*:bench/target/underpass-bench-0.1.0-SNAPSHOT.jar"

selected() { [ -z "$only" ] || [[ "$1" =~ ^($only)$ ]]; }

# bench NAME CLASS ARGS...: runs one benchmark, shows its human lines, keeps its RESULT lines.
bench() {
  local name="$1"; shift
  selected "$name" || return 0
  local log="$out/$name.log" err="$out/$name.err" s rc took
  echo
  echo "### $name: $* (load $(load))"
  s=$(date +%s)
  timeout --kill-after=10 "$limit" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" \
    "dev.underpass.bench.$@" 2>"$err" | tee "$log" | grep -v '^RESULT'
  rc=${PIPESTATUS[0]}
  took=$(( $(date +%s) - s ))
  grep '^RESULT' "$log" >> "$results"
  finish "$name" "$rc" "$took" "$err"
}

# finish NAME EXIT SECONDS ERRFILE: records the time; a failure is reported now and gets a row in the table.
finish() {
  times+=("$1 $3 s")
  if [ "$2" != 0 ]; then
    local why="exit $2"
    [ "$2" = 124 ] && why="timed out after ${limit} s"
    failed+=("$1")
    echo "!!! bench.sh: $1 FAILED ($why); end of its error output ($4):" >&2
    grep -v ' INFO ' "$4" | tail -n 25 >&2
    printf 'RESULT\t%s\tbenchmark did not finish (%s)\t-\t\tsee %s\tFAILED\n' "$1" "$why" "${4#"$root"/}" >> "$results"
  fi
  echo "--- $1: ${3} s (load $(load))"
}

# Start-up and idle memory of the launcher, as a user starts it.
idle() {
  selected idle || return 0
  echo; echo "### idle: ./underpass serve on an empty data dir (load $(load))"
  local s port data pid ready rss i=0
  s=$(date +%s)
  # A port nothing answers on (a fixed one could be another worktree's server, and its health would be measured).
  port=$(( 20000 + RANDOM % 20000 ))
  while curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; do port=$(( 20000 + RANDOM % 20000 )); done
  data=$(mktemp -d)
  ./underpass --version >/dev/null 2>&1   # builds the launcher's class-data-sharing archive if needed
  local start=$(date +%s%N)
  "$root/underpass" serve --port "$port" --data-dir "$data" >/dev/null 2>"$out/idle.err" &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/_underpass/health" >/dev/null 2>&1; do
    sleep 0.005; i=$((i + 1))
    if [ "$i" -gt 6000 ] || ! kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null; rm -rf "$data"; finish idle 1 $(( $(date +%s) - s )) "$out/idle.err"; return 0
    fi
  done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  sleep 3
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
  echo "start-up: healthy after ${ready} ms; idle resident memory ${rss} MB (./underpass serve, default flags)"
  printf 'RESULT\tstart-up\t./underpass serve: launch to healthy (curl)\t%s\tms\tincludes the launcher script and curl polling\t-\n' "$ready" >> "$results"
  printf 'RESULT\tstart-up\tidle resident memory\t%s\tMB\t./underpass serve, default flags, 3 s after ready\t-\n' "$rss" >> "$results"
  finish idle 0 $(( $(date +%s) - s )) "$out/idle.err"
}

idle
bench http HttpLoad "$secs"
bench durable DurableWriteLoad "$secs" "$root/bench/target"
bench encoding EncodingLoad 200 "$secs"
bench scale ScaleLoad 500 5000 "$secs"
bench seed SeedLoad "$consumers" "$secs" "$root/bench/target"
bench growth WriteGrowthLoad "$growth" "$root/bench/target"
bench startup StartupLoad "$resources" 2 "$root"
bench dataplane DataPlaneLoad "$dp_mb" "$secs" 0
bench service ServiceEndpointLoad "$secs"

elapsed=$(( $(date +%s) - started ))
echo
echo "## Results: $(date -u '+%Y-%m-%d %H:%M UTC'), scripts/bench.sh${*:+ $*}${only:+ (BENCH_ONLY='$only')}, ${secs} s per timed run, $(nproc) cores, load average $(load | cut -d' ' -f1-3)"
awk -F'\t' '
  BEGIN { h[1] = "target"; h[2] = "metric"; h[3] = "figure"; h[4] = "reference / target"; h[5] = "met?"
          for (i = 1; i <= 5; i++) w[i] = length(h[i]) }
  $1 == "RESULT" { n++; c[n,1] = $2; c[n,2] = $3; c[n,3] = ($5 == "" ? $4 : $4 " " $5); c[n,4] = $6; c[n,5] = $7
                   for (i = 1; i <= 5; i++) if (length(c[n,i]) > w[i]) w[i] = length(c[n,i]) }
  function row(a, b, d, e, f) { printf "| %-*s | %-*s | %*s | %-*s | %-*s |\n", w[1], a, w[2], b, w[3], d, w[4], e, w[5], f }
  END { row(h[1], h[2], h[3], h[4], h[5])
        printf "|%s|%s|%s:|%s|%s|\n", dash(w[1] + 2), dash(w[2] + 2), dash(w[3] + 1), dash(w[4] + 2), dash(w[5] + 2)
        for (r = 1; r <= n; r++) row(c[r,1], c[r,2], c[r,3], c[r,4], c[r,5]) }
  function dash(k,   s) { s = ""; while (k-- > 0) s = s "-"; return s }
' "$results"
met=$(awk -F'\t' '$7 == "met"' "$results" | wc -l)
notmet=$(awk -F'\t' '$7 == "NOT met"' "$results" | wc -l)
echo
echo "targets met: ${met}, not met: ${notmet}; failed benchmarks: ${#failed[@]}${failed[*]:+ (${failed[*]})}"
# CPU time of everything this script ran (build, benchmarks, servers): on a loaded machine, wall time over CPU time
# says how much of the machine the run got.
times > "$out/cpu.txt"
cpu=$(tail -n1 "$out/cpu.txt" | awk '{ u = $1; s = $2; sub(/m/, " ", u); sub(/m/, " ", s); split(u, a, " "); split(s, b, " ");
  printf "%.0f s user + %.0f s system", a[1] * 60 + a[2], b[1] * 60 + b[2] }')
echo "times: build ${build_time} s; $(IFS=,; echo "${times[*]}" | sed 's/,/, /g'); total ${elapsed} s wall, CPU ${cpu}"
echo "uptime: $(uptime)"
if [ -z "$only" ] && [ "$elapsed" -gt 600 ]; then
  echo "bench.sh: the whole set took ${elapsed} s, over the 10-minute budget (see the times above)" >&2
fi
[ "${#failed[@]}" -eq 0 ]
