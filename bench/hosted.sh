#!/usr/bin/env bash
# Hosted APIs under load: a hosted hello-world API and a hosted JSON-transforming API (POST, the body reshaped by
# JavaScript in the sandbox) beside the proxied path (the same gateway in front of an nginx upstream), in one run.
#
#   bench/hosted.sh            (from the repository root; needs root for apt-get the first time)
#
# Starts an nginx upstream serving a ~200-byte JSON and Tollgate (packaged jar, embedded H2 in a temporary data dir)
# with three APIs on one free plan each, one subscribed key: "proxied" (to nginx), "hello" (hosted: a constant JSON
# answer) and "transform" (hosted: parses the posted JSON, renames, filters and sums its fields). wrk runs pinned to
# CPU 0; Tollgate and nginx share CPU 1. Each target gets a warm-up, then CONNECTIONS connections for DURATION,
# alternating, ROUNDS times. Prints req/s, p50 and p99 of each and the ratios hosted/proxied.
#
# Environment: DURATION (10s), CONNECTIONS (50), WARMUP (20s), ROUNDS (2), WRK_CPU (0), SERVER_CPU (1),
# TOLLGATE_HOSTED_WORKERS (Tollgate's default when unset).
set -euo pipefail

cd "$(dirname "$0")/.."
[ -n "${JAVA_OPTS+set}" ] || JAVA_OPTS=$({ grep -v '^[[:space:]]*#' jvm.options || true; } | tr '\n' ' ')
read -r -d "" -a JAVA_ARGS <<< "$JAVA_OPTS" || true
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
WARMUP=${WARMUP:-20s}
ROUNDS=${ROUNDS:-2}
WRK_CPU=${WRK_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
UPSTREAM_PORT=${UPSTREAM_PORT:-18191}
TOLLGATE_PORT=${TOLLGATE_PORT:-18193}

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

WORK=$(mktemp -d /tmp/tollgate-hosted-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  [ -f "$WORK/upstream/nginx.pid" ] && kill "$(cat "$WORK/upstream/nginx.pid")" 2> /dev/null || true
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT

# --- nginx upstream for the proxied path ---------------------------------------------------------------------
BODY='{"id":12345,"name":"Tollgate benchmark item","description":"A small JSON document served by the upstream","price":19.99,"currency":"usd","tags":["bench","gateway","json"],"in_stock":true}'
mkdir -p "$WORK/upstream/logs"
cat > "$WORK/upstream/nginx.conf" << CONF
worker_processes 1;
daemon on;
pid $WORK/upstream/nginx.pid;
error_log $WORK/upstream/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/upstream/body; proxy_temp_path $WORK/upstream/proxy;
  fastcgi_temp_path $WORK/upstream/fastcgi; uwsgi_temp_path $WORK/upstream/uwsgi; scgi_temp_path $WORK/upstream/scgi;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$UPSTREAM_PORT; location / { default_type application/json; return 200 '$BODY'; } }
}
CONF
taskset -c "$SERVER_CPU" nginx -p "$WORK/upstream" -c "$WORK/upstream/nginx.conf"

# --- Tollgate ----------------------------------------------------------------------------------------------------
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
CONSUMER_JSON=$(register consumer consumer)
CONSUMER=$(echo "$CONSUMER_JSON" | jq -r .access_token)
METHOD=PUT post "$ADMIN" "/api/v1/admin/users/$(echo "$CONSUMER_JSON" | jq -r .user.id)" '{"plan":"enterprise"}' \
  > /dev/null
subscribe() { # $1 api id: a free plan far above the load, subscribed
  local plan
  plan=$(post "$PROVIDER" "/api/v1/apis/$1/plans" \
    '{"name":"Bench","type":"free","rate_limit":{"requests":1000000000,"period":"minute"}}' | jq -r .id)
  post "$CONSUMER" /api/v1/subscriptions "{\"api_id\":\"$1\",\"plan_id\":\"$plan\"}" > /dev/null
}
PROXIED=$(post "$PROVIDER" /api/v1/apis "{\"name\":\"Proxied\",\"slug\":\"proxied\",\"description\":\"nginx upstream\",
  \"base_url\":\"http://127.0.0.1:$UPSTREAM_PORT\",\"visibility\":\"public\"}" | jq -r .id)
subscribe "$PROXIED"
HELLO_CODE='export default { routes: { "GET /item": () => ({ json: { id: 12345, name: "Tollgate benchmark item", price: 19.99, in_stock: true } }) } };'
HELLO=$(post "$PROVIDER" /api/v1/deploy "$(jq -n --arg code "$HELLO_CODE" \
  '{name: "Hello", description: "hosted hello world", visibility: "public", code: $code}')" | jq -r .api.id)
subscribe "$HELLO"
TRANSFORM_CODE='export default { routes: { "POST /orders": (req) => {
  const order = req.json;
  if (!order || !Array.isArray(order.lines)) return { status: 400, json: { error: "lines is required" } };
  const lines = order.lines.filter(l => l.quantity > 0).map(l => ({ sku: l.sku.toUpperCase(), qty: l.quantity, total: Math.round(l.quantity * l.unit_price * 100) / 100 }));
  return { json: { order_id: order.id, customer: { name: order.customer.first_name + " " + order.customer.last_name, email: order.customer.email.toLowerCase() }, lines, total: lines.reduce((s, l) => s + l.total, 0), currency: (order.currency || "usd").toUpperCase() } };
} } };'
TRANSFORM=$(post "$PROVIDER" /api/v1/deploy "$(jq -n --arg code "$TRANSFORM_CODE" \
  '{name: "Transform", description: "hosted JSON transform", visibility: "public", code: $code}')" | jq -r .api.id)
subscribe "$TRANSFORM"
KEY=$(post "$CONSUMER" /api/v1/api-keys '{"name":"bench"}' | jq -r .key)
slug() { curl -sf "$T/api/v1/apis/$1" -H "Authorization: Bearer $PROVIDER" | jq -r .slug; }
PROXIED_URL="$T/gw/proxied/item"
HELLO_URL="$T/gw/$(slug "$HELLO")/item"
TRANSFORM_URL="$T/gw/$(slug "$TRANSFORM")/orders"
ORDER='{"id":"ord_1","currency":"eur","customer":{"first_name":"Ada","last_name":"Lovelace","email":"ADA@Example.com"},"lines":[{"sku":"ab-1","quantity":2,"unit_price":9.99},{"sku":"cd-2","quantity":0,"unit_price":5},{"sku":"ef-3","quantity":1,"unit_price":120.5}]}'
cat > "$WORK/post.lua" << LUA
wrk.method = "POST"
wrk.body = '$ORDER'
wrk.headers["Content-Type"] = "application/json"
LUA
sleep 1.5 # the hosted versions reach the runtime within a second
for url in "$PROXIED_URL" "$HELLO_URL"; do
  STATUS=$(curl -s -o /dev/null -w '%{http_code}' "$url" -H "Authorization: Bearer $KEY")
  [ "$STATUS" = 200 ] || { echo "$url answered $STATUS to the check call" >&2; curl -s "$url" -H "Authorization: Bearer $KEY" >&2; exit 1; }
done
echo "transform answers: $(curl -sf "$TRANSFORM_URL" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$ORDER")" >&2

run_wrk() { # $1 url, $2 duration, $3 optional lua script -> "rps p50 p99"
  local script=()
  [ -n "${3:-}" ] && script=(-s "$3")
  taskset -c "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"$2" --latency "${script[@]}" -H "Authorization: Bearer $KEY" "$1" \
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

echo "warming up ($WARMUP each) ..." >&2
run_wrk "$PROXIED_URL" "$WARMUP" > /dev/null
run_wrk "$HELLO_URL" "$WARMUP" > /dev/null
run_wrk "$TRANSFORM_URL" "$WARMUP" "$WORK/post.lua" > /dev/null

printf '%-6s %-10s %10s %9s %9s\n' round target "req/s" "p50 ms" "p99 ms"
declare -a P_RPS P_P50 P_P99 H_RPS H_P50 H_P99 X_RPS X_P50 X_P99
for round in $(seq 1 "$ROUNDS"); do
  read -r rps p50 p99 < <(run_wrk "$PROXIED_URL" "$DURATION")
  P_RPS+=("$rps"); P_P50+=("$p50"); P_P99+=("$p99")
  printf '%-6s %-10s %10s %9s %9s\n' "$round" proxied "$rps" "$p50" "$p99"
  read -r rps p50 p99 < <(run_wrk "$HELLO_URL" "$DURATION")
  H_RPS+=("$rps"); H_P50+=("$p50"); H_P99+=("$p99")
  printf '%-6s %-10s %10s %9s %9s\n' "$round" hello "$rps" "$p50" "$p99"
  read -r rps p50 p99 < <(run_wrk "$TRANSFORM_URL" "$DURATION" "$WORK/post.lua")
  X_RPS+=("$rps"); X_P50+=("$p50"); X_P99+=("$p99")
  printf '%-6s %-10s %10s %9s %9s\n' "$round" transform "$rps" "$p50" "$p99"
done

mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.2f", s / NR }'; }
P=$(mean "${P_RPS[@]}"); H=$(mean "${H_RPS[@]}"); X=$(mean "${X_RPS[@]}")
echo
printf 'mean  proxied   %10.0f req/s  p50 %6s ms  p99 %6s ms\n' "$P" "$(mean "${P_P50[@]}")" "$(mean "${P_P99[@]}")"
printf 'mean  hello     %10.0f req/s  p50 %6s ms  p99 %6s ms\n' "$H" "$(mean "${H_P50[@]}")" "$(mean "${H_P99[@]}")"
printf 'mean  transform %10.0f req/s  p50 %6s ms  p99 %6s ms\n' "$X" "$(mean "${X_P50[@]}")" "$(mean "${X_P99[@]}")"
echo "ratio hosted hello/proxied (req/s): $(awk -v a="$H" -v b="$P" 'BEGIN { printf "%.2f", a / b }')"
echo "ratio hosted transform/proxied (req/s): $(awk -v a="$X" -v b="$P" 'BEGIN { printf "%.2f", a / b }')"
echo "Tollgate RSS after the load: $(( $(ps -o rss= -p "$TOLLGATE_PID" | tr -d ' ') / 1024 )) MiB"
echo "errors in Tollgate's log: $(grep -c ERROR "$WORK/tollgate.log" || true)"
