#!/usr/bin/env bash
# The marketplace page at 1,000 listings: server time of GET /marketplace (anonymous, default sort, one page of 20
# results rendered with Qute) against, in the same run, the JSON browse of the same page (GET
# /api/v1/marketplace/listings?limit=20: the same snapshot and ranking without the template) and nginx serving a saved
# copy of the page's HTML (what sending those bytes costs at all). Target of issue 16: server time < 50 ms.
#
#   bench/portal.sh            (from the repository root; needs root for apt-get the first time)
#
# Starts Tollgate (packaged jar, embedded H2 in a temporary data dir), registers a provider and creates LISTINGS public
# APIs and their listings over the JSON API (two curl processes with keep-alive and a few requests in parallel, not
# one process per request). Then, for each target: SAMPLES requests one at a time with curl, reading the server time
# from the X-Process-Time header the platform adds to every answer (p50/p99, no load), and wrk pinned to CPU 0 with
# CONNECTIONS connections for DURATION (req/s, p50/p99 as wrk sees them, and the mean/p99 X-Process-Time of every
# answer, collected by a wrk Lua script), after a warm-up, ROUNDS times alternating. Tollgate and nginx share CPU 1.
#
# Environment: LISTINGS (1000), SAMPLES (300), DURATION (10s), CONNECTIONS (8), WARMUP (15s), ROUNDS (2), WRK_CPU (0),
# SERVER_CPU (1), TOLLGATE_PORT (18293), NGINX_PORT (18292), JAVA_OPTS (else jvm.options).
set -euo pipefail

cd "$(dirname "$0")/.."
[ -n "${JAVA_OPTS+set}" ] || JAVA_OPTS=$({ grep -v '^[[:space:]]*#' jvm.options || true; } | tr '\n' ' ')
read -r -d "" -a JAVA_ARGS <<< "$JAVA_OPTS" || true
LISTINGS=${LISTINGS:-1000}
SAMPLES=${SAMPLES:-300}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
WARMUP=${WARMUP:-15s}
ROUNDS=${ROUNDS:-2}
WRK_CPU=${WRK_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
TOLLGATE_PORT=${TOLLGATE_PORT:-18293}
NGINX_PORT=${NGINX_PORT:-18292}
START=$(date +%s)

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
  ./mvnw -B -o -q -DskipTests package
fi

WORK=$(mktemp -d /tmp/tollgate-portal-bench.XXXXXX)
chmod 755 "$WORK"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  [ -f "$WORK/nginx/nginx.pid" ] && kill "$(cat "$WORK/nginx/nginx.pid")" 2> /dev/null || true
  sleep 0.5
  rm -rf "$WORK"
}
trap cleanup EXIT
echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)" >&2

# --- Tollgate ----------------------------------------------------------------------------------------------------
TOLLGATE_DATA_DIR="$WORK/data" QUARKUS_HTTP_PORT=$TOLLGATE_PORT TOLLGATE_ALLOW_PRIVATE_UPSTREAMS=true \
  TOLLGATE_ADMIN_EMAIL=admin@bench.local TOLLGATE_ADMIN_PASSWORD=bench-admin-password \
  taskset -c "$SERVER_CPU" java "${JAVA_ARGS[@]}" -jar "$JAR" > "$WORK/tollgate.log" 2>&1 &
TOLLGATE_PID=$!
PIDS+=("$TOLLGATE_PID")
T="http://127.0.0.1:$TOLLGATE_PORT"
for _ in $(seq 1 120); do
  curl -sf "$T/health" > /dev/null && break
  sleep 0.5
done
curl -sf "$T/health" > /dev/null || { echo "Tollgate did not start; log:" >&2; tail -50 "$WORK/tollgate.log" >&2; exit 1; }

PROVIDER=$(curl -sf "$T/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"provider@bench.local","username":"provider","password":"bench-password-1","role":"provider"}' |
  jq -r .access_token)

# --- LISTINGS APIs and listings, each phase one curl process (keep-alive, 4 requests in flight) ------------------
WORDS=(weather tides maps translate payments stocks flights geocode email sms images news sports crypto recipes
  books movies music jobs health)
CATEGORIES=(data finance travel communication media tools location commerce science sports)
batch() { # $1 file of curl config entries -> the answers (JSON documents one after another)
  curl -s --parallel --parallel-max 4 -K "$1" 2> /dev/null # the counts below show failures
}
echo "creating $LISTINGS APIs and listings ..." >&2
CREATED_AT=$(date +%s%N)
{
  for i in $(seq 1 "$LISTINGS"); do
    w1=${WORDS[$((i % ${#WORDS[@]}))]}
    w2=${WORDS[$((i * 7 % ${#WORDS[@]}))]}
    echo "next"
    echo "url = \"$T/api/v1/apis\""
    echo "header = \"Authorization: Bearer $PROVIDER\""
    echo "header = \"Content-Type: application/json\""
    echo "data = \"{\\\"name\\\":\\\"Bench $w1 $w2 $i\\\",\\\"description\\\":\\\"A $w1 API for the portal benchmark, with $w2 as well (number $i).\\\",\\\"base_url\\\":\\\"http://127.0.0.1:9\\\",\\\"visibility\\\":\\\"public\\\",\\\"tags\\\":[\\\"$w1\\\",\\\"$w2\\\"]}\""
  done
} | tail -n +2 > "$WORK/apis.conf"
batch "$WORK/apis.conf" | jq -r 'select(.id) | .id' > "$WORK/api-ids"
[ "$(wc -l < "$WORK/api-ids")" = "$LISTINGS" ] || { echo "only $(wc -l < "$WORK/api-ids") APIs were created" >&2; exit 1; }
n=0
while read -r id; do
  n=$((n + 1))
  [ "$n" = 1 ] || echo "next"
  echo "url = \"$T/api/v1/marketplace/publish\""
  echo "header = \"Authorization: Bearer $PROVIDER\""
  echo "header = \"Content-Type: application/json\""
  echo "data = \"{\\\"api_id\\\":\\\"$id\\\",\\\"category\\\":\\\"${CATEGORIES[$((n % ${#CATEGORIES[@]}))]}\\\"}\""
done < "$WORK/api-ids" > "$WORK/publish.conf"
PUBLISHED=$(batch "$WORK/publish.conf" | jq -r 'select(.slug) | .slug' | wc -l)
CREATED_MS=$((($(date +%s%N) - CREATED_AT) / 1000000))
[ "$PUBLISHED" = "$LISTINGS" ] || { echo "only $PUBLISHED listings were published" >&2; exit 1; }
TOTAL=$(curl -sf "$T/api/v1/marketplace/listings?limit=1" | jq .total)
echo "$TOTAL listings shown (created and published in $((CREATED_MS / 1000)) s)" >&2

PAGE_URL="$T/marketplace"
JSON_URL="$T/api/v1/marketplace/listings?limit=20"
curl -sf "$PAGE_URL" -o "$WORK/page.html"
CARDS=$(grep -c 'class="card listing market-card"' "$WORK/page.html" || true)
[ "$CARDS" = 20 ] || { echo "the page shows $CARDS cards, not 20" >&2; exit 1; }

# --- nginx: the saved page, as static bytes ----------------------------------------------------------------------
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/html"
cp "$WORK/page.html" "$WORK/nginx/html/marketplace.html"
cat > "$WORK/nginx/nginx.conf" << CONF
worker_processes 1;
daemon on;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body; proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi; uwsgi_temp_path $WORK/nginx/uwsgi; scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$NGINX_PORT; root $WORK/nginx/html;
    location = /marketplace { default_type text/html; try_files /marketplace.html =404; } }
}
CONF
taskset -c "$SERVER_CPU" nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf"
NGINX_URL="http://127.0.0.1:$NGINX_PORT/marketplace"
echo "page: $(wc -c < "$WORK/page.html") bytes, JSON: $(curl -sf "$JSON_URL" | wc -c) bytes" >&2

# --- server time, one request at a time (X-Process-Time) ---------------------------------------------------------
sequential() { # $1 url -> "p50 p99" of X-Process-Time in ms over SAMPLES requests
  for _ in $(seq 1 "$SAMPLES"); do
    curl -s -o /dev/null -D - "$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-process-time" { print $2 }'
  done | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f %.2f\n", v[int(NR * 0.5 + 0.5)], v[int(NR * 0.99 + 0.5)] }'
}
sequential "$PAGE_URL" > /dev/null # warm the JIT a little before measuring
sequential "$JSON_URL" > /dev/null
read -r SEQ_PAGE_P50 SEQ_PAGE_P99 < <(sequential "$PAGE_URL")
read -r SEQ_JSON_P50 SEQ_JSON_P99 < <(sequential "$JSON_URL")

# --- under load: wrk, with X-Process-Time of every answer collected by Lua ---------------------------------------
cat > "$WORK/times.lua" << 'LUA'
threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) samples = {} end
function response(status, headers, body)
  local t = headers["X-Process-Time"] or headers["x-process-time"]
  if t then samples[#samples + 1] = tonumber(t) end
end
function done(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    for _, v in ipairs(thread:get("samples")) do all[#all + 1] = v end
  end
  table.sort(all)
  local sum = 0
  for _, v in ipairs(all) do sum = sum + v end
  if #all == 0 then io.write("server -1 -1\n") return end
  io.write(string.format("server %.2f %.2f\n", sum / #all, all[math.max(1, math.floor(#all * 0.99 + 0.5))]))
end
LUA
run_wrk() { # $1 url, $2 duration -> "rps p50 p99 server_mean server_p99" (ms)
  taskset -c "$WRK_CPU" wrk -t1 -c"$CONNECTIONS" -d"$2" --latency -s "$WORK/times.lua" "$1" > "$WORK/wrk.out"
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
    $1 == "server" { sm = $2; sp = $3 }
    END { printf "%.0f %.2f %.2f %s %s\n", rps, p50, p99, sm, sp }' "$WORK/wrk.out"
}
echo "warming up ($WARMUP each) ..." >&2
run_wrk "$PAGE_URL" "$WARMUP" > /dev/null
run_wrk "$JSON_URL" "$WARMUP" > /dev/null
run_wrk "$NGINX_URL" "$WARMUP" > /dev/null

printf '%-6s %-16s %9s %8s %8s %12s %11s\n' round target "req/s" "p50 ms" "p99 ms" "server mean" "server p99"
declare -a P_RPS P_P50 P_P99 P_SM P_SP J_RPS J_P50 J_P99 J_SM J_SP N_RPS N_P50 N_P99
for round in $(seq 1 "$ROUNDS"); do
  read -r rps p50 p99 sm sp < <(run_wrk "$PAGE_URL" "$DURATION")
  P_RPS+=("$rps"); P_P50+=("$p50"); P_P99+=("$p99"); P_SM+=("$sm"); P_SP+=("$sp")
  printf '%-6s %-16s %9s %8s %8s %12s %11s\n' "$round" "page (html)" "$rps" "$p50" "$p99" "$sm" "$sp"
  read -r rps p50 p99 sm sp < <(run_wrk "$JSON_URL" "$DURATION")
  J_RPS+=("$rps"); J_P50+=("$p50"); J_P99+=("$p99"); J_SM+=("$sm"); J_SP+=("$sp")
  printf '%-6s %-16s %9s %8s %8s %12s %11s\n' "$round" "json browse" "$rps" "$p50" "$p99" "$sm" "$sp"
  read -r rps p50 p99 _ _ < <(run_wrk "$NGINX_URL" "$DURATION")
  N_RPS+=("$rps"); N_P50+=("$p50"); N_P99+=("$p99")
  printf '%-6s %-16s %9s %8s %8s %12s %11s\n' "$round" "nginx (saved)" "$rps" "$p50" "$p99" "-" "-"
done

mean() { printf '%s\n' "$@" | awk '{ s += $1 } END { printf "%.2f", s / NR }'; }
PR=$(mean "${P_RPS[@]}"); JR=$(mean "${J_RPS[@]}"); NR_=$(mean "${N_RPS[@]}")
PSM=$(mean "${P_SM[@]}"); JSM=$(mean "${J_SM[@]}")
PSP=$(mean "${P_SP[@]}")
echo
echo "=== GET /marketplace with $TOTAL listings (H2, Tollgate and nginx on CPU $SERVER_CPU, wrk on CPU $WRK_CPU) ==="
echo "one at a time ($SAMPLES requests), X-Process-Time p50/p99: page $SEQ_PAGE_P50/$SEQ_PAGE_P99 ms," \
  "json $SEQ_JSON_P50/$SEQ_JSON_P99 ms; ratio page/json (p50): $(awk -v a="$SEQ_PAGE_P50" -v b="$SEQ_JSON_P50" 'BEGIN { printf "%.2f", a / b }')"
printf 'under load (%s connections): page %.0f req/s, p50 %s ms, p99 %s ms, server mean %s ms, p99 %s ms\n' \
  "$CONNECTIONS" "$PR" "$(mean "${P_P50[@]}")" "$(mean "${P_P99[@]}")" "$PSM" "$PSP"
printf '                             json %.0f req/s, p50 %s ms, p99 %s ms, server mean %s ms, p99 %s ms\n' \
  "$JR" "$(mean "${J_P50[@]}")" "$(mean "${J_P99[@]}")" "$JSM" "$(mean "${J_SP[@]}")"
printf '                             nginx %.0f req/s, p50 %s ms, p99 %s ms\n' "$NR_" "$(mean "${N_P50[@]}")" \
  "$(mean "${N_P99[@]}")"
echo "ratio page/json (req/s): $(awk -v a="$PR" -v b="$JR" 'BEGIN { printf "%.2f", a / b }');" \
  "page/nginx (req/s): $(awk -v a="$PR" -v b="$NR_" 'BEGIN { printf "%.3f", a / b }');" \
  "server time page/json (mean): $(awk -v a="$PSM" -v b="$JSM" 'BEGIN { printf "%.2f", a / b }')"
echo "target (issue 16): server time < 50 ms: p99 one at a time $SEQ_PAGE_P99 ms, p99 under load $PSP ms" \
  "$(awk -v a="$SEQ_PAGE_P99" -v b="$PSP" 'BEGIN { print (a < 50 && b < 50) ? "PASS" : "MISS" }')"
echo "Tollgate RSS after the load: $(($(ps -o rss= -p "$TOLLGATE_PID" | tr -d ' ') / 1024)) MiB"
echo "errors in Tollgate's log: $(grep -c ERROR "$WORK/tollgate.log" || true)"
echo "run took $(($(date +%s) - START)) s"
