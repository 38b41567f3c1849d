#!/usr/bin/env bash
# AI proxy latency and throughput: Tollgate's /v1/chat/completions against the same calls sent directly to a fake
# OpenAI-compatible upstream, and against the open-source Portkey gateway (npm @portkey-ai/gateway), in one run.
#
#   bench/ai.sh            (from the repository root; installs wrk, jq, curl with apt and Portkey with npm if missing)
#
# Layout (everything on 127.0.0.1, on one 2-core machine: the load generators, the fake, Tollgate and Portkey share
# the two cores; nothing is pinned unless LOAD_CPU / SERVER_CPU say so):
#   * bench/ai/fake-openai.js (Node http): answers POST /d<ms>/v1/chat/completions after a fixed <ms> timer.
#     /d20/... (20 ms) is the "model" for the latency runs, /d0/... (no wait) the one for the capacity runs.
#   * Tollgate from the packaged jar on a fresh H2 data dir, TOLLGATE_ALLOW_PRIVATE_UPSTREAMS=true, two models
#     (bench-20ms, bench-0ms) with one openai_compatible channel each, a consumer with 100,000 of credit and a key.
#   * Portkey (npm @portkey-ai/gateway, node build/start-server.js --headless) routed with x-portkey-provider: openai
#     and x-portkey-custom-host: http://127.0.0.1:<fake>/d<ms>/v1.
# Runs, each target after a warm-up, at CONCURRENCY (32) connections:
#   1. non-streaming, 20 ms upstream: wrk (Lua POST body) direct / Tollgate / Portkey -> p50, p99, req/s; added
#      latency = through - direct (p50 and p99 each); Tollgate's own time per call (p50, p99) from its
#      X-Tollgate-Overhead-Ms response header, collected by the wrk script.
#   2. streaming, 20 ms upstream then CHUNKS chunks GAP_MS apart: bench/ai/stream-client.js -> time to first
#      "data:" line (TTFT) and total time, p50/p99, direct / Tollgate / Portkey.
#   Reference (REFERENCE=1): bench/RawVertxProxy.java, a bare Vert.x proxy on Tollgate's own Vert.x (no checks, no
#   translation, no metering), measured beside Tollgate in each run: what one more JVM hop on loopback costs here.
#   3. capacity: non-streaming, 0 ms upstream, same concurrency: the gateway's own cost decides the req/s; the
#      Tollgate/Portkey throughput ratio is taken here (in run 1 both are capped near CONCURRENCY / 20 ms).
# Ends with a summary and the targets of issue 11 (added p50 < 0.5 ms, p99 < 2 ms; >= 3x Portkey) as PASS/MISS.
#
# Environment: CONCURRENCY (32), DURATION (10, seconds per measured run), WARMUP (15, seconds per target, Tollgate
# gets it twice), CHUNKS (5), GAP_MS (5), PORTKEY (1; 0 skips it), LOAD_CPU / SERVER_CPU / UPSTREAM_CPU (taskset CPU
# lists for the load generators / Tollgate and Portkey / the fake upstream, which defaults to SERVER_CPU; unset: no
# pinning; LOAD_CPU=0 UPSTREAM_CPU=0 SERVER_CPU=1 gives the gateway a core of its own), JFR_OUT (a file: a flight
# recording of Tollgate during its measured non-streaming run), PORTKEY_VERSION (1.15.2), ROUNDS (1: how many times the
# non-streaming run is measured, direct and Tollgate taking turns; the added latency printed is the median of the
# rounds' differences), KINDS ("latency stream capacity": which runs to measure), REFERENCE (1; 0 skips the bare
# Vert.x proxy).
set -euo pipefail

cd "$(dirname "$0")/.."
# Tollgate's JVM options as ./tollgate uses them: $JAVA_OPTS when set, else jvm.options
[ -n "${JAVA_OPTS+set}" ] || JAVA_OPTS=$({ grep -v '^[[:space:]]*#' jvm.options || true; } | tr '\n' ' ')
read -r -d "" -a JAVA_ARGS <<< "$JAVA_OPTS" || true # split on white space and new lines, never glob-expanded
CONCURRENCY=${CONCURRENCY:-32}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}
CHUNKS=${CHUNKS:-5}
GAP_MS=${GAP_MS:-5}
PORTKEY=${PORTKEY:-1}
ROUNDS=${ROUNDS:-1}
KINDS=${KINDS:-latency stream capacity}
UPSTREAM_CPU=${UPSTREAM_CPU:-${SERVER_CPU:-}}
PORTKEY_VERSION=${PORTKEY_VERSION:-1.15.2}
FAKE_PORT=${FAKE_PORT:-18101}
TOLLGATE_PORT=${TOLLGATE_PORT:-18102}
PORTKEY_PORT=${PORTKEY_PORT:-18103}
RAW_PORT=${RAW_PORT:-18104}
REFERENCE=${REFERENCE:-1}
START=$(date +%s)

need() {
  local missing=()
  for tool in wrk jq curl node npm; do
    command -v "$tool" > /dev/null || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} ..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" > /dev/null
  fi
}
need
pin() { # $1 cpu list (may be empty), then the command
  local cpus=$1
  shift
  if [ -n "$cpus" ]; then taskset -c "$cpus" "$@"; else "$@"; fi
}

JAR=target/quarkus-app/quarkus-run.jar
if [ ! -f "$JAR" ] || [ -n "$(find src pom.xml -newer "$JAR" -print -quit)" ]; then
  echo "Building Tollgate ..." >&2
  ./mvnw -B -o -q package -DskipTests
fi

WORK=$(mktemp -d /tmp/tollgate-aibench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  for _ in $(seq 1 20); do
    alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2> /dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.5
  done
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2> /dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
wait_for() { # $1 url, $2 what
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.5
  done
  echo "$2 did not start" >&2
  return 1
}

# --- the fake upstream -----------------------------------------------------------------------------------------
${UPSTREAM_CPU:+taskset -c "$UPSTREAM_CPU"} node bench/ai/fake-openai.js "$FAKE_PORT" "$CHUNKS" "$GAP_MS" > "$WORK/fake.log" 2>&1 &
PIDS+=("$!")
FAKE="http://127.0.0.1:$FAKE_PORT"
wait_for "$FAKE/" "the fake upstream"

# --- Portkey (npm, into the work dir; npm's own cache makes a second run quick) -------------------------------
# Portkey 1.15.2 on Node 20 fails every streaming call ("TypeError: immutable", Portkey-AI/gateway#1389 and #1550):
# @hono/node-server's Response keeps the upstream fetch response's immutable Headers, which Portkey then appends to.
# One line patched into the temp install copies them (what the fix proposed upstream does); nothing else is changed.
if [ "$PORTKEY" = 1 ]; then
  echo "Installing @portkey-ai/gateway@$PORTKEY_VERSION with npm ..." >&2
  (cd "$WORK" && npm init -y > /dev/null && npm install --no-audit --no-fund --loglevel=error \
    "@portkey-ai/gateway@$PORTKEY_VERSION" > "$WORK/npm.log" 2>&1) || { cat "$WORK/npm.log" >&2; exit 1; }
  PATCHED=0
  while IFS= read -r file; do
    if grep -q '^\s*this.#init = init;$' "$file"; then
      sed -i 's/^\(\s*\)this.#init = init;$/\1this.#init = init;\n\1if (init?.headers instanceof Headers) headers = new Headers(init.headers);/' "$file"
      PATCHED=$((PATCHED + 1))
    fi
  done < <(find "$WORK/node_modules" -path '*/@hono/node-server/dist/index.mjs')
  [ "$PATCHED" -gt 0 ] || { echo "could not patch @hono/node-server for Portkey's streaming" >&2; exit 1; }
  (cd "$WORK" && NODE_ENV=production exec ${SERVER_CPU:+taskset -c "$SERVER_CPU"} node \
    node_modules/@portkey-ai/gateway/build/start-server.js --port="$PORTKEY_PORT" --headless > "$WORK/portkey.log" 2>&1) &
  PIDS+=("$!")
fi

# --- reference: a bare Vert.x proxy (forwards the URI as it is, so /d<ms>/v1/... reaches the fake unchanged) -------
if [ "$REFERENCE" = 1 ]; then
  LIBS=$(find target/quarkus-app/lib/main -name '*.jar' | tr '\n' ':')
  ${SERVER_CPU:+taskset -c "$SERVER_CPU"} java -cp "$LIBS" bench/RawVertxProxy.java "$FAKE_PORT" "$RAW_PORT" > "$WORK/raw.log" 2>&1 &
  PIDS+=("$!")
fi

# --- Tollgate --------------------------------------------------------------------------------------------------
ADMIN_PASSWORD=bench-admin-password
TOLLGATE_DATA_DIR="$WORK/data" QUARKUS_HTTP_PORT=$TOLLGATE_PORT TOLLGATE_ALLOW_PRIVATE_UPSTREAMS=true \
  TOLLGATE_ADMIN_EMAIL=admin@bench.local TOLLGATE_ADMIN_PASSWORD=$ADMIN_PASSWORD QUARKUS_LOG_LEVEL=WARN \
  ${SERVER_CPU:+taskset -c "$SERVER_CPU"} java "${JAVA_ARGS[@]}" -jar "$JAR" > "$WORK/tollgate.log" 2>&1 &
TOLLGATE_PID=$!
PIDS+=("$TOLLGATE_PID")
T="http://127.0.0.1:$TOLLGATE_PORT"
wait_for "$T/health" "Tollgate" || { tail -50 "$WORK/tollgate.log" >&2; exit 1; }

post() { # $1 token, $2 path, $3 json
  curl -sf -X POST "$T$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$3"
}
ADMIN=$(curl -sf "$T/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin@bench.local\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .access_token)
for ms in 20 0; do
  post "$ADMIN" /api/v1/admin/models "{\"name\":\"bench-${ms}ms\",\"display_name\":\"Bench ${ms} ms\",
    \"pricing\":{\"input_per_million\":0.15,\"output_per_million\":0.6},\"channels\":[{\"provider\":\"openai_compatible\",
    \"base_url\":\"$FAKE/d$ms/v1\",\"upstream_model\":\"fake-${ms}ms\",\"priority\":0,\"weight\":1}]}" > /dev/null
done
CONSUMER_JSON=$(curl -sf "$T/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d '{"email":"consumer@bench.local","username":"consumer","password":"bench-password-1","role":"consumer"}')
CONSUMER=$(echo "$CONSUMER_JSON" | jq -r .access_token)
post "$ADMIN" /api/v1/admin/credits/grant "{\"user_id\":\"$(echo "$CONSUMER_JSON" | jq -r .user.id)\",
  \"amount\":100000,\"reason\":\"benchmark\"}" > /dev/null
KEY=$(post "$CONSUMER" /api/v1/api-keys '{"name":"bench"}' | jq -r .key)

# --- the calls -------------------------------------------------------------------------------------------------
body() { # $1 model, $2 stream (true/false)
  local extra=""
  [ "$2" = true ] && extra=',"stream":true,"stream_options":{"include_usage":true}'
  echo "{\"model\":\"$1\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},{\"role\":\"user\",\"content\":\"Say something short about foxes and dogs.\"}],\"max_tokens\":64$extra}"
}
# each target: its URL (dMS: the upstream's delay), the model name it is asked for, its headers
declare -A URL
URL[direct]="$FAKE/dMS/v1/chat/completions"
URL[tollgate]="$T/v1/chat/completions"
URL[portkey]="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
URL[bare]="http://127.0.0.1:$RAW_PORT/dMS/v1/chat/completions"
TARGETS=(direct tollgate)
if [ "$REFERENCE" = 1 ]; then
  wait_for "http://127.0.0.1:$RAW_PORT/" "the bare Vert.x proxy" || { tail -30 "$WORK/raw.log" >&2; exit 1; }
  TARGETS+=(bare)
fi
if [ "$PORTKEY" = 1 ]; then
  wait_for "http://127.0.0.1:$PORTKEY_PORT/" "Portkey" || { tail -30 "$WORK/portkey.log" >&2; exit 1; }
  TARGETS+=(portkey)
fi
url() { echo "${URL[$1]//dMS/d$2}"; }
model() { [ "$1" = tollgate ] && echo "bench-${2}ms" || echo "fake-${2}ms"; }
headers() { # $1 target, $2 ms -> one header a line
  case $1 in
    direct | bare) echo "Authorization: Bearer sk-fake" ;;
    tollgate) echo "Authorization: Bearer $KEY" ;;
    portkey) printf '%s\n' "x-portkey-provider: openai" "x-portkey-custom-host: $FAKE/d$2/v1" \
      "Authorization: Bearer sk-fake" ;;
  esac
}
with_headers() { # $1 flag (-H or empty), $2 target, $3 ms -> arguments, one a line
  local line
  while IFS= read -r line; do
    [ -n "$1" ] && echo "$1"
    echo "$line"
  done < <(headers "$2" "$3")
}

check_call() { # $1 target, $2 ms, $3 stream
  local out="$WORK/check.out" status args
  body "$(model "$1" "$2")" "$3" > "$WORK/check.json"
  mapfile -t args < <(with_headers -H "$1" "$2")
  status=$(curl -s -o "$out" -w '%{http_code}' "$(url "$1" "$2")" -H 'Content-Type: application/json' "${args[@]}" \
    --data-binary @"$WORK/check.json")
  if [ "$status" != 200 ] || { [ "$3" = false ] && [ "$(jq -r .usage.total_tokens "$out")" != 33 ]; } ||
    { [ "$3" = true ] && ! tail -c 20 "$out" | grep -q 'data: \[DONE\]'; }; then
    echo "check call to $1 ($2 ms, stream $3) answered $status:" >&2
    head -c 600 "$out" >&2
    exit 1
  fi
}
for target in "${TARGETS[@]}"; do
  for ms in 20 0; do check_call "$target" "$ms" false; done
  check_call "$target" 20 true
done

lua() { # $1 target, $2 ms -> a wrk script file
  local f="$WORK/$1-$2.lua"
  body "$(model "$1" "$2")" false | jq -Rr '@json' > "$WORK/body.lit"
  {
    echo 'wrk.method = "POST"'
    echo "wrk.body = $(cat "$WORK/body.lit")"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    cat << 'LUA'
errors = 0
overheads = {}
response = function(status, headers, body)
  if status ~= 200 then errors = errors + 1 end
  local overhead = headers["X-Tollgate-Overhead-Ms"]
  if overhead then overheads[#overheads + 1] = tonumber(overhead) end
end
threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local all = {}
  for _, thread in ipairs(threads) do
    for _, v in ipairs(thread:get("overheads")) do all[#all + 1] = v end
  end
  if #all > 0 then
    table.sort(all)
    io.write(string.format("overhead %.2f %.2f\n", all[math.ceil(#all * 0.5)], all[math.ceil(#all * 0.99)]))
  end
end
LUA
  } > "$f"
  echo "$f"
}
run_wrk() { # $1 target, $2 ms, $3 seconds -> $WORK/result: "rps p50 p99" (ms)
  local args
  mapfile -t args < <(with_headers -H "$1" "$2")
  pin "${LOAD_CPU:-}" wrk -t1 -c"$CONCURRENCY" -d"${3}s" --timeout 10s --latency -s "$(lua "$1" "$2")" "${args[@]}" \
    "$(url "$1" "$2")" > "$WORK/wrk.out"
  if grep -q 'Non-2xx' "$WORK/wrk.out"; then
    echo "errors from $1 ($2 ms):" >&2
    cat "$WORK/wrk.out" >&2
    if [ "$1" = tollgate ]; then
      echo "Tollgate's channel health:" >&2
      for id in $(curl -sf "$T/api/v1/admin/models" -H "Authorization: Bearer $ADMIN" | jq -r '.[].id'); do
        curl -s "$T/api/v1/admin/models/$id/channels/health" -H "Authorization: Bearer $ADMIN" >&2
        echo >&2
      done
    fi
    echo "one more call now:" >&2
    check_call "$1" "$2" false
    exit 1
  fi
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Socket errors/ { gsub(/,/, ""); errs = $4 + $6 + $8 + $10 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, errs }' "$WORK/wrk.out" > "$WORK/result"
  # Tollgate's own time per call, from its X-Tollgate-Overhead-Ms header: "p50 p99" (ms), or nothing
  awk '$1 == "overhead" { print $2, $3 }' "$WORK/wrk.out" > "$WORK/overhead"
}
run_stream() { # $1 target, $2 seconds -> "calls ttft_p50 ttft_p99 total_p50 total_p99 errors"
  local args
  mapfile -t args < <(with_headers "" "$1" 20)
  body "$(model "$1" 20)" true > "$WORK/stream-$1.json"
  pin "${LOAD_CPU:-}" node bench/ai/stream-client.js "$(url "$1" 20)" "$WORK/stream-$1.json" "$CONCURRENCY" "$2" \
    "${args[@]}"
}

echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)" >&2
echo "warming up ($WARMUP s per target and kind; Tollgate twice) ..." >&2
for target in "${TARGETS[@]}"; do
  run_wrk "$target" 20 "$WARMUP"
  run_wrk "$target" 0 "$WARMUP"
  run_stream "$target" "$((WARMUP / 2))" > /dev/null
done
run_wrk tollgate 0 "$WARMUP"
run_wrk tollgate 20 "$WARMUP"

declare -A RPS P50 P99 CAP ST
sub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
measuring() { [[ " $KINDS " == *" $1 "* ]]; }
ADDS50=()
ADDS99=()
BARES50=()
BARES99=()
OWNS50=()
OWNS99=()
if measuring latency; then
  echo
  echo "non-streaming, upstream answers in 20 ms, $CONCURRENCY connections, ${DURATION}s each (wrk), $ROUNDS round(s):"
  printf '  %-9s %9s %9s %9s %13s\n' target "req/s" "p50 ms" "p99 ms" "socket errors"
  for round in $(seq 1 "$ROUNDS"); do
    for target in "${TARGETS[@]}"; do
      if [ "$target" = tollgate ] && [ "$round" = 1 ] && [ -n "${JFR_OUT:-}" ]; then
        jcmd "$TOLLGATE_PID" JFR.start name=bench settings=profile duration="${DURATION}s" filename="$JFR_OUT" > /dev/null
      fi
      run_wrk "$target" 20 "$DURATION"
      read -r RPS[$target] P50[$target] P99[$target] errs < "$WORK/result"
      [ "$target" = tollgate ] && { read -r OWN50 OWN99 < "$WORK/overhead" || true; }
      printf '  %-9s %9s %9s %9s %13s\n' "$target" "${RPS[$target]}" "${P50[$target]}" "${P99[$target]}" "$errs"
    done
    OWNS50+=("${OWN50:-0}")
    OWNS99+=("${OWN99:-0}")
    ADDS50+=("$(sub "${P50[tollgate]}" "${P50[direct]}")")
    ADDS99+=("$(sub "${P99[tollgate]}" "${P99[direct]}")")
    if [ "$REFERENCE" = 1 ]; then
      BARES50+=("$(sub "${P50[bare]}" "${P50[direct]}")")
      BARES99+=("$(sub "${P99[bare]}" "${P99[direct]}")")
    fi
    [ "$ROUNDS" -gt 1 ] && echo "  round $round: tollgate added p50 ${ADDS50[-1]} ms, p99 ${ADDS99[-1]} ms;" \
      "its own time (X-Tollgate-Overhead-Ms) p50 ${OWNS50[-1]} ms, p99 ${OWNS99[-1]} ms"
  done
fi

if measuring stream; then
  echo
  echo "streaming, 20 ms to the first chunk then $CHUNKS chunks ${GAP_MS} ms apart, $CONCURRENCY connections, ${DURATION}s each (stream-client.js):"
  printf '  %-9s %7s %10s %10s %10s %10s %6s\n' target calls "ttft p50" "ttft p99" "total p50" "total p99" errors
  for target in "${TARGETS[@]}"; do
    ST[$target]=$(run_stream "$target" "$DURATION")
    read -r calls t50 t99 a50 a99 errs <<< "${ST[$target]}"
    printf '  %-9s %7s %10s %10s %10s %10s %6s\n' "$target" "$calls" "$t50" "$t99" "$a50" "$a99" "$errs"
  done
fi

if measuring capacity; then
  echo
  echo "capacity: non-streaming, upstream answers at once, $CONCURRENCY connections, ${DURATION}s each (wrk):"
  printf '  %-9s %9s %9s %9s %13s\n' target "req/s" "p50 ms" "p99 ms" "socket errors"
  for target in "${TARGETS[@]}"; do
    run_wrk "$target" 0 "$DURATION"
    read -r CAP[$target] p50 p99 errs < "$WORK/result"
    printf '  %-9s %9s %9s %9s %13s\n' "$target" "${CAP[$target]}" "$p50" "$p99" "$errs"
  done
fi

# --- the ledger saw the calls ------------------------------------------------------------------------------------
sleep 2
SPENT=$(curl -sf "$T/api/v1/users/me/credits" -H "Authorization: Bearer $CONSUMER" | jq -r .balance)
RSS_KB=$(ps -o rss= -p "$TOLLGATE_PID" | tr -d ' ')

verdict() { awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN { ok = op == "<" ? v < t : v >= t; print ok ? "PASS" : "MISS" }'; }
ADD50=$(median "${ADDS50[@]:-0}")
ADD99=$(median "${ADDS99[@]:-0}")
echo
echo "=== summary (2 cores shared by wrk/stream client, fake upstream, Tollgate and Portkey; nothing pinned${LOAD_CPU:+ except load on CPU $LOAD_CPU}${SERVER_CPU:+, gateways on CPU $SERVER_CPU}${UPSTREAM_CPU:+, fake upstream on CPU $UPSTREAM_CPU}) ==="
measuring latency && echo "fake upstream direct: ${RPS[direct]} req/s at 20 ms"
measuring capacity && echo "fake upstream direct: ${CAP[direct]} req/s answering at once"
if measuring latency; then
  printf 'tollgate added latency, non-streaming: p50 %s ms, p99 %s ms%s; %s req/s (direct %s)\n' "$ADD50" "$ADD99" \
    "$([ "$ROUNDS" -gt 1 ] && echo " (medians of $ROUNDS rounds)")" "${RPS[tollgate]}" "${RPS[direct]}"
  printf "tollgate's own time per call (X-Tollgate-Overhead-Ms): p50 %s ms, p99 %s ms\n" "$(median "${OWNS50[@]}")" \
    "$(median "${OWNS99[@]}")"
  if [ "$REFERENCE" = 1 ]; then
    printf 'bare Vert.x proxy added latency, non-streaming: p50 %s ms, p99 %s ms%s; %s req/s\n' \
      "$(median "${BARES50[@]}")" "$(median "${BARES99[@]}")" "$([ "$ROUNDS" -gt 1 ] && echo " (medians of $ROUNDS rounds)")" \
      "${RPS[bare]}"
  fi
fi
if measuring stream; then
  read -r _ DT50 DT99 DA50 DA99 _ <<< "${ST[direct]}"
  read -r _ TT50 TT99 TA50 TA99 _ <<< "${ST[tollgate]}"
  printf 'tollgate added TTFT, streaming: p50 %s ms, p99 %s ms; added total time p50 %s ms, p99 %s ms\n' \
    "$(sub "$TT50" "$DT50")" "$(sub "$TT99" "$DT99")" "$(sub "$TA50" "$DA50")" "$(sub "$TA99" "$DA99")"
fi
measuring capacity && printf 'tollgate capacity (upstream at once): %s req/s\n' "${CAP[tollgate]}"
[ "$REFERENCE" = 1 ] && measuring capacity && printf 'bare Vert.x proxy capacity (upstream at once): %s req/s\n' "${CAP[bare]}"
if [ "$REFERENCE" = 1 ] && measuring stream; then
  read -r _ BT50 BT99 _ _ _ <<< "${ST[bare]}"
  printf 'bare Vert.x proxy added TTFT, streaming: p50 %s ms, p99 %s ms\n' "$(sub "$BT50" "$DT50")" "$(sub "$BT99" "$DT99")"
fi
if [ "$PORTKEY" = 1 ]; then
  if measuring latency; then
    printf 'portkey added latency, non-streaming: p50 %s ms, p99 %s ms; %s req/s\n' \
      "$(sub "${P50[portkey]}" "${P50[direct]}")" "$(sub "${P99[portkey]}" "${P99[direct]}")" "${RPS[portkey]}"
  fi
  if measuring stream; then
    read -r _ PT50 PT99 PA50 PA99 _ <<< "${ST[portkey]}"
    printf 'portkey added TTFT, streaming: p50 %s ms, p99 %s ms\n' "$(sub "$PT50" "$DT50")" "$(sub "$PT99" "$DT99")"
  fi
  if measuring capacity; then
    printf 'portkey capacity (upstream at once): %s req/s\n' "${CAP[portkey]}"
    RATIO=$(awk -v a="${CAP[tollgate]}" -v b="${CAP[portkey]}" 'BEGIN { printf "%.2f", a / b }')
    echo "ratio tollgate/portkey req/s at capacity: $RATIO"
  fi
  if measuring latency; then
    RATIO20=$(awk -v a="${RPS[tollgate]}" -v b="${RPS[portkey]}" 'BEGIN { printf "%.2f", a / b }')
    echo "ratio tollgate/portkey req/s at 20 ms upstream: $RATIO20 (both capped near $CONCURRENCY/20 ms = $((CONCURRENCY * 50)) req/s)"
  fi
fi
echo "tollgate RSS after the load: $((RSS_KB / 1024)) MiB; consumer credit left: $SPENT of 100000"
echo
echo "targets (issue 11, 32 concurrent non-streaming calls):"
if measuring latency; then
  echo "  added latency p50 < 0.5 ms: $ADD50 ms  $(verdict "$ADD50" '<' 0.5)"
  echo "  added latency p99 < 2 ms:   $ADD99 ms  $(verdict "$ADD99" '<' 2)"
fi
if [ "$PORTKEY" = 1 ] && measuring capacity; then
  echo "  throughput >= 3x Portkey:   ${RATIO}x (capacity run)  $(verdict "$RATIO" '>=' 3)"
fi
echo "run took $(($(date +%s) - START)) s"
