#!/usr/bin/env bash
# Gateway throughput and latency against nginx as a plain reverse proxy, measured in the same run.
#
#   bench/gateway.sh            (from the repository root; needs root for apt-get the first time)
#
# Starts an nginx upstream serving a ~200-byte JSON, nginx as a keep-alive reverse proxy in front of it (the
# baseline) and Tollgate (packaged jar, embedded H2 in a temporary data dir) with one API, one subscribed key on a
# rate-limited plan whose limit is far above the load, metering on. wrk runs pinned to CPU 0; the upstream and the
# proxy under test share CPU 1. Each target gets a warm-up, then 50 connections for 10 s, alternating, twice.
# Prints requests/s, p50 and p99 for each, the ratio Tollgate/nginx, and Tollgate's RSS after the load.
#
# With CHARGED=1 a second API on a pay_per_call plan (price 0.0001) is measured too, against the same key with
# credits granted: its ratio to the free API shows what charging costs, and at the end the ledger's charge count is
# compared with the calls wrk completed (each call charged once).
#
# Environment: CHARGED (1: also measure a pay-per-call API), REFERENCE (1: also measure bench/RawVertxProxy.java, a bare Vert.x proxy), THREAD_CPU (1: one more run measuring CPU per call of each Tollgate thread), JFR_OUT (a file: records a flight recording of Tollgate's last round), DURATION (10s), CONNECTIONS (50), WARMUP (10s), ROUNDS (2), WRK_CPU (0), SERVER_CPU (1).
set -euo pipefail

cd "$(dirname "$0")/.."
# Tollgate's JVM options as ./tollgate uses them: $JAVA_OPTS when set, else jvm.options
[ -n "${JAVA_OPTS+set}" ] || JAVA_OPTS=$({ grep -v '^[[:space:]]*#' jvm.options || true; } | tr '\n' ' ')
read -r -d "" -a JAVA_ARGS <<< "$JAVA_OPTS" || true # split on white space and new lines, never glob-expanded
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
WARMUP=${WARMUP:-30s}
ROUNDS=${ROUNDS:-2}
WRK_CPU=${WRK_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
UPSTREAM_PORT=${UPSTREAM_PORT:-18091}
NGINX_PORT=${NGINX_PORT:-18092}
TOLLGATE_PORT=${TOLLGATE_PORT:-18093}
RAW_PORT=${RAW_PORT:-18094}

need() {
  local missing=()
  for tool in nginx wrk jq curl taskset; do
    command -v "$tool" > /dev/null || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} ..." >&2
    pkgs=("${missing[@]/taskset/util-linux}")
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" > /dev/null
  fi
  PATH="$PATH:/usr/sbin"
}
need

JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
  echo "Building Tollgate ..." >&2
  ./mvnw -B -q -DskipTests package
fi

WORK=$(mktemp -d /tmp/tollgate-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  [ -f "$WORK/upstream/nginx.pid" ] && kill "$(cat "$WORK/upstream/nginx.pid")" 2> /dev/null || true
  [ -f "$WORK/proxy/nginx.pid" ] && kill "$(cat "$WORK/proxy/nginx.pid")" 2> /dev/null || true
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- nginx: upstream and reverse proxy, one worker each, on the server CPU ----------------------------------
BODY='{"id":12345,"name":"Tollgate benchmark item","description":"A small JSON document served by the upstream","price":19.99,"currency":"usd","tags":["bench","gateway","json"],"in_stock":true}'
nginx_conf() { # $1 dir, $2 server block
  mkdir -p "$1/logs"
  cat > "$1/nginx.conf" << EOF
worker_processes 1;
daemon on;
pid $1/nginx.pid;
error_log $1/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $1/body; proxy_temp_path $1/proxy; fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi; scgi_temp_path $1/scgi;
  keepalive_requests 1000000;
  $2
}
EOF
}
nginx_conf "$WORK/upstream" "server { listen 127.0.0.1:$UPSTREAM_PORT; location / { default_type application/json; return 200 '$BODY'; } }"
nginx_conf "$WORK/proxy" "upstream backend { server 127.0.0.1:$UPSTREAM_PORT; keepalive 256; }
  server { listen 127.0.0.1:$NGINX_PORT; location / { proxy_pass http://backend; proxy_http_version 1.1;
    proxy_set_header Connection \"\"; proxy_set_header X-Forwarded-For \$remote_addr; } }"
taskset -c "$SERVER_CPU" nginx -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf"
taskset -c "$SERVER_CPU" nginx -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf"
echo "upstream body: $(curl -s "http://127.0.0.1:$UPSTREAM_PORT/item" | wc -c) bytes" >&2

# --- Tollgate --------------------------------------------------------------------------------------------------
ADMIN_PASSWORD=bench-admin-password
TOLLGATE_DATA_DIR="$WORK/data" QUARKUS_HTTP_PORT=$TOLLGATE_PORT TOLLGATE_ALLOW_PRIVATE_UPSTREAMS=true \
  TOLLGATE_TIER_HOURLY_LIMITS=free:100,pro:1000,enterprise:0 TOLLGATE_ADMIN_EMAIL=admin@bench.local \
  TOLLGATE_ADMIN_PASSWORD=$ADMIN_PASSWORD taskset -c "$SERVER_CPU" java "${JAVA_ARGS[@]}" -jar "$JAR" \
  > "$WORK/tollgate.log" 2>&1 &
TOLLGATE_PID=$!
PIDS+=("$TOLLGATE_PID")
T="http://127.0.0.1:$TOLLGATE_PORT"
for _ in $(seq 1 120); do
  curl -sf "$T/health" > /dev/null && break
  sleep 0.5
done
curl -sf "$T/health" > /dev/null || { echo "Tollgate did not start; log:" >&2; tail -50 "$WORK/tollgate.log" >&2; exit 1; }

post() { # $1 token, $2 path, $3 json
  curl -sf -X "${METHOD:-POST}" "$T$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3"
}
register() { # $1 username, $2 role
  curl -sf "$T/api/v1/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1@bench.local\",\"username\":\"$1\",\"password\":\"bench-password-1\",\"role\":\"$2\"}"
}
ADMIN=$(curl -sf "$T/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin@bench.local\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .access_token)
PROVIDER=$(register provider provider | jq -r .access_token)
API=$(post "$PROVIDER" /api/v1/apis "{\"name\":\"Bench\",\"slug\":\"bench\",\"description\":\"benchmark upstream\",
  \"base_url\":\"http://127.0.0.1:$UPSTREAM_PORT\",\"visibility\":\"public\"}" | jq -r .id)
PLAN=$(post "$PROVIDER" "/api/v1/apis/$API/plans" \
  '{"name":"Bench","type":"free","rate_limit":{"requests":1000000000,"period":"minute"}}' | jq -r .id)
CONSUMER_JSON=$(register consumer consumer)
CONSUMER=$(echo "$CONSUMER_JSON" | jq -r .access_token)
METHOD=PUT post "$ADMIN" "/api/v1/admin/users/$(echo "$CONSUMER_JSON" | jq -r .user.id)" '{"plan":"enterprise"}' \
  > /dev/null
post "$CONSUMER" /api/v1/subscriptions "{\"api_id\":\"$API\",\"plan_id\":\"$PLAN\"}" > /dev/null
KEY=$(post "$CONSUMER" /api/v1/api-keys '{"name":"bench"}' | jq -r .key)
echo "$KEY" > "$WORK/key"
CHARGED_URL=""
PRICE=0.0001
GRANT=100000
if [ "${CHARGED:-0}" = 1 ]; then
  API2=$(post "$PROVIDER" /api/v1/apis "{\"name\":\"Bench paid\",\"slug\":\"bench-paid\",\"description\":\"charged per call\",
    \"base_url\":\"http://127.0.0.1:$UPSTREAM_PORT\",\"visibility\":\"public\"}" | jq -r .id)
  PLAN2=$(post "$PROVIDER" "/api/v1/apis/$API2/plans" \
    "{\"name\":\"Paid\",\"type\":\"pay_per_call\",\"price_per_call\":$PRICE,\"rate_limit\":{\"requests\":1000000000,\"period\":\"minute\"}}" | jq -r .id)
  post "$CONSUMER" /api/v1/subscriptions "{\"api_id\":\"$API2\",\"plan_id\":\"$PLAN2\"}" > /dev/null
  post "$ADMIN" /api/v1/admin/credits/grant "{\"user_id\":\"$(echo "$CONSUMER_JSON" | jq -r .user.id)\",
    \"amount\":$GRANT,\"reason\":\"benchmark\"}" > /dev/null
  CHARGED_URL="$T/gw/bench-paid/item"
fi
STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$T/gw/bench/item" -H "Authorization: Bearer $KEY")
[ "$STATUS" = 200 ] || { echo "gateway answered $STATUS to the check call" >&2; exit 1; }
curl -s -D - -o /dev/null "$T/gw/bench/item" -H "Authorization: Bearer $KEY" | grep -i '^ratelimit-policy' >&2

# --- reference: a bare Vert.x proxy on the same Vert.x, to show what the JVM stack itself costs ---------------
RAW_URL=""
if [ "${REFERENCE:-1}" = 1 ]; then
  LIBS=$(find target/quarkus-app/lib/main -name '*.jar' | tr '\n' ':')
  taskset -c "$SERVER_CPU" java -cp "$LIBS" bench/RawVertxProxy.java "$UPSTREAM_PORT" "$RAW_PORT" > "$WORK/raw.log" 2>&1 &
  PIDS+=("$!")
  for _ in $(seq 1 60); do
    curl -sf "http://127.0.0.1:$RAW_PORT/item" > /dev/null && break
    sleep 0.5
  done
  RAW_URL="http://127.0.0.1:$RAW_PORT/item"
fi

# --- load ------------------------------------------------------------------------------------------------------
run_wrk() { # $1 url, $2 duration -> "rps p50 p99" (latencies in ms)
  taskset -c "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"$2" --latency -H "Authorization: Bearer $KEY" "$1" \
    > "$WORK/wrk.out"
  if grep -q 'Non-2xx' "$WORK/wrk.out"; then
    echo "non-2xx responses from $1:" >&2
    cat "$WORK/wrk.out" >&2
    exit 1
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    END { printf "%.0f %.2f %.2f\n", rps, p50, p99 }' "$WORK/wrk.out"
}

NGINX_URL="http://127.0.0.1:$NGINX_PORT/item"
TOLLGATE_URL="$T/gw/bench/item"
echo "warming up ($WARMUP each) ..." >&2
run_wrk "$NGINX_URL" "$WARMUP" > /dev/null
run_wrk "$TOLLGATE_URL" "$WARMUP" > /dev/null
[ -n "$RAW_URL" ] && run_wrk "$RAW_URL" "$WARMUP" > /dev/null
CHARGED_DONE=0
completed() { awk '/requests in/ { print $1 }' "$WORK/wrk.out"; }
if [ -n "$CHARGED_URL" ]; then
  STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$CHARGED_URL" -H "Authorization: Bearer $KEY")
  [ "$STATUS" = 200 ] || { echo "the charged API answered $STATUS to the check call" >&2; exit 1; }
  CHARGED_DONE=1
  run_wrk "$CHARGED_URL" "$WARMUP" > /dev/null
  CHARGED_DONE=$((CHARGED_DONE + $(completed)))
fi

printf '%-6s %-9s %10s %9s %9s\n' round target "req/s" "p50 ms" "p99 ms"
declare -a NGINX_RPS TOLLGATE_RPS NGINX_P50 TOLLGATE_P50 NGINX_P99 TOLLGATE_P99 RAW_RPS CHARGED_RPS CHARGED_P50 CHARGED_P99
for round in $(seq 1 "$ROUNDS"); do
  read -r rps p50 p99 < <(run_wrk "$NGINX_URL" "$DURATION")
  NGINX_RPS+=("$rps"); NGINX_P50+=("$p50"); NGINX_P99+=("$p99")
  printf '%-6s %-9s %10s %9s %9s\n' "$round" nginx "$rps" "$p50" "$p99"
  if [ -n "${JFR_OUT:-}" ] && [ "$round" = "$ROUNDS" ]; then
    jcmd "$TOLLGATE_PID" JFR.start name=bench settings=default duration="$DURATION" filename="$JFR_OUT" > /dev/null
  fi
  read -r rps p50 p99 < <(run_wrk "$TOLLGATE_URL" "$DURATION")
  TOLLGATE_RPS+=("$rps"); TOLLGATE_P50+=("$p50"); TOLLGATE_P99+=("$p99")
  printf '%-6s %-9s %10s %9s %9s\n' "$round" tollgate "$rps" "$p50" "$p99"
  if [ -n "$RAW_URL" ]; then
    read -r rps p50 p99 < <(run_wrk "$RAW_URL" "$DURATION")
    RAW_RPS+=("$rps")
    printf '%-6s %-9s %10s %9s %9s\n' "$round" vertx-raw "$rps" "$p50" "$p99"
  fi
  if [ -n "$CHARGED_URL" ]; then
    read -r rps p50 p99 < <(run_wrk "$CHARGED_URL" "$DURATION")
    CHARGED_DONE=$((CHARGED_DONE + $(completed)))
    CHARGED_RPS+=("$rps"); CHARGED_P50+=("$p50"); CHARGED_P99+=("$p99")
    printf '%-6s %-9s %10s %9s %9s\n' "$round" charged "$rps" "$p50" "$p99"
  fi
done

# CPU time of each Tollgate thread (group) over one more run, in microseconds per call
thread_cpu() { # -> "name ticks" lines
  for task in /proc/"$TOLLGATE_PID"/task/*; do
    name=$(tr -d '\n' < "$task/comm" | sed -E 's/-?[0-9]+$//; s/ /_/g')
    awk -v n="$name" '{ sub(/.*\) /, ""); print n, $12 + $13 }' "$task/stat"
  done | awk '{ t[$1] += $2 } END { for (k in t) print k, t[k] }'
}
cpu_per_call() { # $1 label, $2 url
  thread_cpu > "$WORK/cpu.before"
  taskset -c "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"$DURATION" -H "Authorization: Bearer $KEY" "$2" > "$WORK/wrk.out"
  thread_cpu > "$WORK/cpu.after"
  CALLS_RUN=$(awk '/requests in/ { print $1 }' "$WORK/wrk.out")
  echo "CPU per call by thread, $1, over $CALLS_RUN calls (µs):"
  TICK=$(getconf CLK_TCK)
  join <(sort "$WORK/cpu.before") <(sort "$WORK/cpu.after") | awk -v c="$CALLS_RUN" -v hz="$TICK" \
    '{ d = ($3 - $2) * 1e6 / hz / c; if (d >= 0.5) printf "  %-28s %6.1f\n", $1, d; s += d } END { printf "  %-28s %6.1f\n", "total", s }'
}
if [ -n "${THREAD_CPU:-}" ]; then
  cpu_per_call "free plan" "$TOLLGATE_URL"
  if [ -n "$CHARGED_URL" ]; then
    cpu_per_call "pay per call" "$CHARGED_URL"
    CHARGED_DONE=$((CHARGED_DONE + CALLS_RUN))
  fi
fi

mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.2f", s / NR }'; }
N_RPS=$(mean "${NGINX_RPS[@]}"); G_RPS=$(mean "${TOLLGATE_RPS[@]}")
RSS_KB=$(ps -o rss= -p "$TOLLGATE_PID" | tr -d ' ')
echo
printf 'mean      nginx    %10.0f req/s  p50 %6s ms  p99 %6s ms\n' "$N_RPS" "$(mean "${NGINX_P50[@]}")" \
  "$(mean "${NGINX_P99[@]}")"
printf 'mean      tollgate %10.0f req/s  p50 %6s ms  p99 %6s ms\n' "$G_RPS" "$(mean "${TOLLGATE_P50[@]}")" \
  "$(mean "${TOLLGATE_P99[@]}")"
echo "ratio tollgate/nginx (req/s): $(awk -v a="$G_RPS" -v b="$N_RPS" 'BEGIN { printf "%.2f", a / b }')"
if [ -n "$RAW_URL" ]; then
  R_RPS=$(mean "${RAW_RPS[@]}")
  echo "reference: bare Vert.x proxy $(printf '%.0f' "$R_RPS") req/s, ratio to nginx $(awk -v a="$R_RPS" -v b="$N_RPS" \
    'BEGIN { printf "%.2f", a / b }'); tollgate/bare Vert.x $(awk -v a="$G_RPS" -v b="$R_RPS" 'BEGIN { printf "%.2f", a / b }')"
fi
if [ -n "$CHARGED_URL" ]; then
  C_RPS=$(mean "${CHARGED_RPS[@]}")
  printf 'mean      charged  %10.0f req/s  p50 %6s ms  p99 %6s ms\n' "$C_RPS" "$(mean "${CHARGED_P50[@]}")" \
    "$(mean "${CHARGED_P99[@]}")"
  echo "ratio charged/nginx (req/s): $(awk -v a="$C_RPS" -v b="$N_RPS" 'BEGIN { printf "%.2f", a / b }');" \
    "charged/free tollgate: $(awk -v a="$C_RPS" -v b="$G_RPS" 'BEGIN { printf "%.2f", a / b }')"
fi
echo "tollgate RSS after load: $((RSS_KB / 1024)) MiB"

# metering was on: the calls are in the usage store (written in batches, so give the writer a moment)
sleep 2
CALLS=$(curl -sf "$T/api/v1/apis/$API/metrics?window=1h" -H "Authorization: Bearer $PROVIDER" | jq -r .calls)
echo "calls metered in the last hour: $CALLS"
if [ -n "$CHARGED_URL" ]; then
  CHARGES=0
  SKIP=0
  while :; do # charge lines are aggregated per settle batch; each says how many calls it covers
    PAGE=$(curl -sf "$T/api/v1/billing/transactions?type=charge&skip=$SKIP&limit=1000" -H "Authorization: Bearer $CONSUMER")
    N=$(echo "$PAGE" | jq length)
    [ "$N" = 0 ] && break
    CHARGES=$((CHARGES + $(echo "$PAGE" | jq '[.[].calls] | add')))
    SKIP=$((SKIP + N))
  done
  BALANCE=$(curl -sf "$T/api/v1/users/me/credits" -H "Authorization: Bearer $CONSUMER" | jq -r .balance)
  SPENT=$(awk -v g="$GRANT" -v b="$BALANCE" 'BEGIN { printf "%.4f", g - b }')
  echo "charged calls: $CHARGES in the ledger ($SKIP aggregated lines), $CHARGED_DONE completed as seen by wrk (wrk does not count the up to" \
    "$CONNECTIONS calls in flight when each run stops); wallet spent $SPENT = $CHARGES x $PRICE:" \
    "$(awk -v s="$SPENT" -v n="$CHARGES" -v p="$PRICE" 'BEGIN { print (sprintf("%.4f", n * p) == sprintf("%.4f", s)) ? "exact" : "MISMATCH" }')"
fi
