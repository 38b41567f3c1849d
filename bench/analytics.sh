#!/usr/bin/env bash
# Analytics over a month of usage: EVENTS (10,000,000) usage events fed through the usage pipeline's own writer
# (bench/analytics/GenerateUsage.java: UsageRollups fold/flush/maintain on a clock that walks through DAYS (30) days)
# into a Tollgate database, then each analytics endpoint over the whole window, for one busy API (as its provider) and
# for the whole platform (as the admin), timed with curl: p50 and p95 of REPEAT (30) calls each. Target of issue 13:
# p95 < 200 ms, on the embedded H2 and on PostgreSQL.
#
#   bench/analytics.sh               (from the repository root; DBS="h2 postgres" by default)
#   EVENTS=1000000 DBS=h2 bench/analytics.sh
#   KEEP_WORK=1 EVENTS=2000000 DBS=h2 bench/analytics.sh   (keeps the databases in the temp dir to look into)
#   both databases' generation side by side (about half the time), timings still one at a time on a quiet machine:
#     s=$(mktemp -d); SYNC_DIR=$s DBS=h2 bench/analytics.sh > h2.out & \
#       SYNC_DIR=$s DBS=postgres PORT=18311 bench/analytics.sh > pg.out; wait
#
# Layout: Tollgate from the packaged jar. Per database: Tollgate starts on an empty database (H2 under a temp dir, or
# a PostgreSQL 15 cluster from Debian's packages, initdb'd into a temp dir and run as the postgres user), the script
# creates through the API a provider with APIS (50) public APIs (the first is the busy one: 40% of the calls) and
# CONSUMERS (200) consumers with a key each, and stops it; the generator writes the month of usage; Tollgate starts
# again on it and the endpoints are timed. Consumers call with a power-law skew, from 12 countries, 8 endpoints per
# API, statuses 93% 2xx, 4% 404, 2% 429, 1% 502, log-normal latency around 40 ms.
set -euo pipefail

cd "$(dirname "$0")/.."
# Tollgate's JVM options as ./tollgate uses them: $JAVA_OPTS when set, else jvm.options
[ -n "${JAVA_OPTS+set}" ] || JAVA_OPTS=$({ grep -v '^[[:space:]]*#' jvm.options || true; } | tr '\n' ' ')
read -r -d "" -a JAVA_ARGS <<< "$JAVA_OPTS" || true # split on white space and new lines, never glob-expanded
EVENTS=${EVENTS:-10000000}
DAYS=${DAYS:-30}
APIS=${APIS:-50}
CONSUMERS=${CONSUMERS:-200}
REPEAT=${REPEAT:-30}
DBS=${DBS:-h2 postgres}
PORT=${PORT:-18301}
PG_PORT=${PG_PORT:-18302}
START=$(date +%s)

for tool in jq curl; do
  command -v "$tool" > /dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$tool" > /dev/null; }
done
JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
  echo "Building Tollgate ..." >&2
  ./mvnw -B -o -q package -DskipTests
fi
CP="target/classes:target/quarkus-app/lib/main/*:target/quarkus-app/lib/boot/*"

WORK=$(mktemp -d /tmp/tollgate-analyticsbench.XXXXXX)
chmod 755 "$WORK"
TOLLGATE_PID=""
PG_DATA=""
cleanup() {
  [ -n "$TOLLGATE_PID" ] && kill "$TOLLGATE_PID" 2> /dev/null && wait "$TOLLGATE_PID" 2> /dev/null || true
  [ -n "$PG_DATA" ] && runuser -u postgres -- pg_ctl -D "$PG_DATA" -m fast stop > /dev/null 2>&1 || true
  if [ -n "${KEEP_WORK:-}" ]; then echo "kept $WORK (databases, logs)" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
mkdir -p "$WORK/classes"
javac -d "$WORK/classes" -cp "$CP" bench/analytics/GenerateUsage.java

ADMIN_PASSWORD=bench-admin-password
T="http://127.0.0.1:$PORT"
start_tollgate() { # env for the database comes from DB_ENV
  env "${DB_ENV[@]}" QUARKUS_HTTP_PORT=$PORT TOLLGATE_ADMIN_EMAIL=admin@bench.local \
    TOLLGATE_ADMIN_PASSWORD=$ADMIN_PASSWORD TOLLGATE_AUTH_ACCESS_TOKEN_TTL=6H QUARKUS_LOG_LEVEL=WARN java "${JAVA_ARGS[@]}" -jar "$JAR" \
    >> "$WORK/tollgate.log" 2>&1 &
  TOLLGATE_PID=$!
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "$T/health" && return 0
    sleep 0.5
  done
  echo "Tollgate did not start:" >&2
  tail -40 "$WORK/tollgate.log" >&2
  exit 1
}
stop_tollgate() {
  kill "$TOLLGATE_PID"
  wait "$TOLLGATE_PID" 2> /dev/null || true
  TOLLGATE_PID=""
}
post() { # $1 token, $2 path, $3 json
  curl -sf -X POST "$T$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3"
}
register() { # $1 username, $2 role
  curl -sf "$T/api/v1/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1@bench.local\",\"username\":\"$1\",\"password\":\"bench-password-1\",\"role\":\"$2\"}"
}
login() { # $1 user -> token
  curl -sf "$T/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$2\"}" | jq -r .access_token
}

# timed: $1 label, $2 token, $3 path -> "label p50 p95" (ms) on stdout; checks every answer is 200
timed() {
  local times="$WORK/times" status
  : > "$times"
  curl -sf -o /dev/null "$T$3" -H "Authorization: Bearer $2" || {
    echo "$1: $3 answered $(curl -s -o /dev/null -w '%{http_code}' "$T$3" -H "Authorization: Bearer $2")" >&2
    return 1
  }
  for _ in $(seq 1 "$REPEAT"); do
    status=$(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$T$3" -H "Authorization: Bearer $2")
    [ "${status%% *}" = 200 ] || { echo "$1: $3 answered ${status%% *}" >&2; return 1; }
    echo "${status##* }" >> "$times"
  done
  sort -n "$times" | awk -v label="$1" '{ v[NR] = $1 * 1000 } END {
    p50 = v[int((NR + 1) * 0.50)]; p95 = v[int(NR * 0.95 + 0.999)]; printf "%-34s %8.1f %8.1f\n", label, p50, p95 }'
}

SUMMARY="$WORK/summary"
: > "$SUMMARY"
for db in $DBS; do
  echo "=== $db: set-up ===" >&2
  if [ "$db" = postgres ]; then
    PG_DATA="$WORK/pg"
    mkdir -p "$PG_DATA" && chown postgres "$PG_DATA"
    touch "$WORK/pg.log" && chown postgres "$WORK/pg.log"
    runuser -u postgres -- initdb -D "$PG_DATA" -U tollgate --auth=trust > /dev/null
    runuser -u postgres -- pg_ctl -D "$PG_DATA" -o "-p $PG_PORT -k /tmp -c shared_buffers=512MB" -l "$WORK/pg.log" \
      -w start > /dev/null
    createdb -h 127.0.0.1 -p "$PG_PORT" -U tollgate tollgate
    JDBC="jdbc:postgresql://127.0.0.1:$PG_PORT/tollgate"
    DB_ENV=(TOLLGATE_DATA_DIR="$WORK/data-pg" TOLLGATE_DB_URL="$JDBC" TOLLGATE_DB_USER=tollgate)
    GEN_DB=("$JDBC" tollgate "")
  else
    DB_ENV=(TOLLGATE_DATA_DIR="$WORK/data-h2")
    GEN_DB=("jdbc:h2:file:$WORK/data-h2/db/tollgate" sa "")
  fi
  start_tollgate
  ADMIN=$(login admin@bench.local "$ADMIN_PASSWORD")
  PROVIDER=$(register provider provider | jq -r .access_token)
  IDS="$WORK/ids-$db"
  : > "$IDS"
  for i in $(seq 1 "$APIS"); do
    slug=$([ "$i" = 1 ] && echo busy || echo "api$i")
    id=$(post "$PROVIDER" /api/v1/apis "{\"name\":\"API $i\",\"slug\":\"$slug\",\"description\":\"bench\",
      \"base_url\":\"https://example.com\",\"visibility\":\"public\"}" | jq -r .id)
    echo "api $id $slug" >> "$IDS"
  done
  BUSY=$(awk '$1 == "api" { print $2; exit }' "$IDS")
  for i in $(seq 1 "$CONSUMERS"); do
    json=$(register "consumer$i" consumer)
    token=$(echo "$json" | jq -r .access_token)
    key=$(post "$token" /api/v1/api-keys '{"name":"bench"}' | jq -r .id)
    echo "consumer $(echo "$json" | jq -r .user.id) $key" >> "$IDS"
  done
  stop_tollgate
  echo "=== $db: generating $EVENTS events over $DAYS days through the usage writer ===" >&2
  GEN_START=$(date +%s)
  java -Xmx2g -cp "$WORK/classes:$CP" dev.tollgate.metering.rollup.GenerateUsage "${GEN_DB[@]}" "$IDS" "$EVENTS" \
    "$DAYS"
  GEN_SECONDS=$(($(date +%s) - GEN_START))
  if [ -n "${SYNC_DIR:-}" ]; then # several runs generate side by side, then time one after the other, h2 first
    touch "$SYNC_DIR/$db.generated"
    echo "=== $db: waiting for the other runs' generation (and h2's timing) ===" >&2
    until [ "$(ls "$SYNC_DIR"/*.generated | wc -l)" -ge "${SYNC_RUNS:-2}" ] \
      && { [ "$db" = h2 ] || [ -e "$SYNC_DIR/h2.timed" ]; }; do sleep 5; done
  fi
  start_tollgate
  ADMIN=$(login admin@bench.local "$ADMIN_PASSWORD")
  PROVIDER=$(login provider@bench.local bench-password-1)
  FROM=$(date -u -d "-$DAYS days" +%Y-%m-%dT%H:%M:%SZ)
  TO=$(date -u -d "+1 minute" +%Y-%m-%dT%H:%M:%SZ)
  W="from=$FROM&to=$TO"
  {
    echo
    echo "$db: $EVENTS events over $DAYS days generated in ${GEN_SECONDS}s; $REPEAT calls per endpoint, ms:"
    printf '%-34s %8s %8s\n' endpoint p50 p95
    for ep in overview performance errors geography; do
      timed "provider $ep" "$PROVIDER" "/api/v1/analytics/$ep?api_id=$BUSY&$W"
    done
    timed "provider traffic (day)" "$PROVIDER" "/api/v1/analytics/traffic?api_id=$BUSY&bucket=day&$W"
    timed "provider traffic (hour)" "$PROVIDER" "/api/v1/analytics/traffic?api_id=$BUSY&bucket=hour&$W"
    timed "provider usage (30 days)" "$PROVIDER" "/api/v1/analytics/usage?api_id=$BUSY&days=$DAYS"
    timed "provider revenue" "$PROVIDER" "/api/v1/analytics/revenue?api_id=$BUSY&$W"
    timed "provider api metrics (30d)" "$PROVIDER" "/api/v1/apis/$BUSY/metrics?window=30d"
    for ep in overview performance errors geography; do
      timed "admin $ep" "$ADMIN" "/api/v1/analytics/$ep?$W"
    done
    timed "admin traffic (day)" "$ADMIN" "/api/v1/analytics/traffic?bucket=day&$W"
    timed "admin platform (24 h by minute)" "$ADMIN" "/api/v1/admin/analytics/platform"
  } | tee -a "$SUMMARY"
  stop_tollgate
  [ -n "${SYNC_DIR:-}" ] && touch "$SYNC_DIR/$db.timed"
  if [ "$db" = postgres ]; then
    runuser -u postgres -- pg_ctl -D "$PG_DATA" -m fast stop > /dev/null
    PG_DATA=""
  fi
done

echo
echo "=== summary ==="
cat "$SUMMARY"
awk '$NF ~ /^[0-9.]+$/ && $(NF) + 0 >= 200 { slow++ } END {
  print slow ? "target p95 < 200 ms: MISS (" slow " endpoints)" : "target p95 < 200 ms: PASS" }' "$SUMMARY"
echo "run took $(($(date +%s) - START)) s"
