#!/usr/bin/env bash
# The gateway walk-through of docs/GATEWAY.md: a provider publishes an API, a consumer subscribes, gets a key and
# calls it. Start Tollgate first with private upstreams allowed (the walk-through's upstream runs on 127.0.0.1):
#   TOLLGATE_ALLOW_PRIVATE_UPSTREAMS=true ./tollgate
# then run docs/walkthrough/gateway.sh (needs curl and jq; safe to run again). TOLLGATE (default
# http://localhost:8080) and UPSTREAM_PORT (default 9000) say where things are. Everything from the "source" line on
# is the text of docs/GATEWAY.md's walk-through, which a test keeps identical.
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'kill ${UPSTREAM_PID:-} 2>/dev/null || true' EXIT
source docs/walkthrough/helpers.sh
# 0. an upstream API of our own: answers GET /forecast?city=… with JSON
start_upstream "${UPSTREAM_PORT:-9000}"

# 1. a provider publishes the upstream as an API at /gw/weather (the slug comes from the name unless given)
P=$(token prov "a long password" provider)
API_ID=$(publish_api "$P" weather \
  "{\"name\":\"Weather\",\"description\":\"Forecasts\",\"base_url\":\"http://127.0.0.1:$UPSTREAM_PORT\",\"visibility\":\"public\"}")
echo "API $API_ID is served at $TOLLGATE/gw/weather"

# 2. it already has a free default plan; add a rate-limited one
PLAN_ID=$(plan_named "$P" "$API_ID" \
  '{"name":"Starter","type":"free","rate_limit":{"requests":60,"period":"minute"},"monthly_quota":10000}')

# 3. a consumer subscribes to that plan and creates a key, shown once
C=$(token cons "a long password")
subscribe "$C" "$API_ID" "$PLAN_ID"
KEY=$(call 201 "$T/api-keys" -H "Authorization: Bearer $C" -H 'Content-Type: application/json' \
  -d '{"name":"laptop"}' | jq -r .key)

# 4. call it through the gateway: Tollgate proxies to http://127.0.0.1:$UPSTREAM_PORT/forecast?city=Oslo
call 200 -i "$TOLLGATE/gw/weather/forecast?city=Oslo" -H "Authorization: Bearer $KEY"

# 5. the call shows in the consumer's usage and the provider's logs within a second or two
for _ in $(seq 1 50); do
  USAGE=$(call 200 "$T/users/me/usage" -H "Authorization: Bearer $C")
  [ "$(echo "$USAGE" | jq '.calls > 0')" = true ] && break
  sleep 0.2
done
echo "$USAGE" | jq .
call 200 "$T/apis/$API_ID/logs?limit=1" -H "Authorization: Bearer $P" | jq .

# stop the upstream
kill $UPSTREAM_PID
