#!/usr/bin/env bash
# Marketplace search at 10,000 listings: mixed queries (one word, two words, a prefix, a typo, with filters and
# sorts) one after another against GET /api/v1/marketplace/listings, and, as the baseline measured in the same run,
# browses of the same endpoint without a search (filters and sorts only: the same HTTP stack and snapshot without the
# index). Target of issue 12: search p99 < 50 ms.
#
#   bench/search.sh        (from the repository's root; installs curl and jq with apt if missing)
#
# Steps: Tollgate starts on a fresh H2 data dir and a provider registers; Tollgate stops; bench/SearchBench.java
# writes LISTINGS public APIs with plans and listings into its database; Tollgate starts again (loading them into
# the marketplace's snapshot and search index, timed); QUERIES queries after WARMUP warm-up ones are sent.
# Environment: LISTINGS (10000), QUERIES (1000), WARMUP (1000), PORT (18111), JAVA_OPTS (else jvm.options), JFR_OUT
# (a file: a flight recording of Tollgate while the measured queries run).
set -euo pipefail

cd "$(dirname "$0")/.."
[ -n "${JAVA_OPTS+set}" ] || JAVA_OPTS=$({ grep -v '^[[:space:]]*#' jvm.options || true; } | tr '\n' ' ')
read -r -d "" -a JAVA_ARGS <<< "$JAVA_OPTS" || true
LISTINGS=${LISTINGS:-10000}
QUERIES=${QUERIES:-1000}
WARMUP=${WARMUP:-1000}
PORT=${PORT:-18111}
START=$(date +%s)

for tool in curl jq; do
  command -v "$tool" > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl jq > /dev/null; }
done
JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
  echo "Building Tollgate ..." >&2
  ./mvnw -B -o -q package -DskipTests
fi
LIBS=$(find target/quarkus-app/lib/main -name '*.jar' | tr '\n' ':')

WORK=$(mktemp -d /tmp/tollgate-searchbench.XXXXXX)
PID=""
stop() {
  if [ -n "$PID" ]; then
    kill "$PID" 2> /dev/null || true
    for _ in $(seq 1 60); do kill -0 "$PID" 2> /dev/null || break; sleep 0.5; done
    kill -9 "$PID" 2> /dev/null || true
    PID=""
  fi
}
trap 'stop; rm -rf "$WORK"' EXIT
start() {
  TOLLGATE_DATA_DIR="$WORK/data" QUARKUS_HTTP_PORT=$PORT TOLLGATE_ADMIN_EMAIL=admin@bench.local \
    TOLLGATE_ADMIN_PASSWORD=bench-admin-password QUARKUS_LOG_LEVEL=WARN \
    java "${JAVA_ARGS[@]}" -jar "$JAR" >> "$WORK/tollgate.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 240); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/health" && return 0
    sleep 0.5
  done
  echo "Tollgate did not start" >&2
  tail -40 "$WORK/tollgate.log" >&2
  exit 1
}
T="http://127.0.0.1:$PORT"

echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)" >&2
start
OWNER=$(curl -sf "$T/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"provider@bench.local","username":"provider","password":"bench-password-1","role":"provider"}' |
  jq -r .user.id)
stop
echo "writing $LISTINGS listings ..." >&2
java -cp "$LIBS" bench/SearchBench.java seed "jdbc:h2:file:$WORK/data/db/tollgate" "$OWNER" "$LISTINGS" >&2
BEFORE=$(date +%s%N)
start
STARTED_MS=$((($(date +%s%N) - BEFORE) / 1000000))
TOTAL=$(curl -sf "$T/api/v1/marketplace/listings?limit=1&sort=newest" | jq .total)
[ "$TOTAL" -ge "$LISTINGS" ] || { echo "only $TOTAL listings are shown" >&2; exit 1; }
EXAMPLE=$(curl -sf "$T/api/v1/marketplace/listings?q=wether&limit=1" | jq -c '{total, first: .items[0].title, highlights: .items[0].highlights}')

echo "querying: $WARMUP warm-up, then $QUERIES measured, one at a time ..." >&2
if [ -n "${JFR_OUT:-}" ]; then
  jcmd "$PID" JFR.start name=bench settings=profile filename="$JFR_OUT" > /dev/null
fi
java -cp "$LIBS" bench/SearchBench.java query "$T" "$QUERIES" "$WARMUP" > "$WORK/result"
[ -z "${JFR_OUT:-}" ] || jcmd "$PID" JFR.stop name=bench > /dev/null
RSS_KB=$(ps -o rss= -p "$PID" | tr -d ' ')
SEARCH_P99=$(awk '$1 == "search" { print $9 }' "$WORK/result")
BROWSE_P99=$(awk '$1 == "browse" { print $9 }' "$WORK/result")

echo
echo "=== marketplace search, $TOTAL listings (H2, one process on 2 shared cores) ==="
echo "start-up with the listings (snapshot and index built): ${STARTED_MS} ms"
echo "example: q=wether (a typo of weather) -> $EXAMPLE"
cat "$WORK/result"
echo "ratio search/browse p99: $(awk -v a="$SEARCH_P99" -v b="$BROWSE_P99" 'BEGIN { printf "%.2f", a / b }')"
echo "tollgate RSS after the queries: $((RSS_KB / 1024)) MiB"
echo "target (issue 12): search p99 < 50 ms: $SEARCH_P99 ms  $(awk -v v="$SEARCH_P99" 'BEGIN { print v < 50 ? "PASS" : "MISS" }')"
echo "run took $(($(date +%s) - START)) s"
