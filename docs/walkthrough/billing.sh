#!/usr/bin/env bash
# The money walk-through of docs/BILLING.md: an admin grants credits, a consumer makes paid calls, the provider sees
# the earnings and is paid out. Start Tollgate first with private upstreams allowed and an admin password you know:
#   TOLLGATE_ALLOW_PRIVATE_UPSTREAMS=true TOLLGATE_ADMIN_PASSWORD='an admin password' ./tollgate
# (or use the admin password printed at the very first start), then run
#   ADMIN_PASSWORD='an admin password' docs/walkthrough/billing.sh
# (needs curl and jq; safe to run again). Everything from the "source" line on is the text of docs/BILLING.md's
# walk-through, which a test keeps identical.
set -euo pipefail
cd "$(dirname "$0")/../.."
trap 'kill ${UPSTREAM_PID:-} 2>/dev/null || true' EXIT
: "${ADMIN_PASSWORD:?set ADMIN_PASSWORD to the administrator password}"
source docs/walkthrough/helpers.sh
start_upstream "${UPSTREAM_PORT:-9000}"
A=$(call 200 "$T/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"${ADMIN_USERNAME:-admin}\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .access_token)

# 1. a provider publishes a paid API: 2.50 per call, of which the provider earns 80% (TOLLGATE_PLATFORM_FEE_PERCENT)
P=$(token prov "a long password" provider)
API_ID=$(publish_api "$P" premium-weather \
  "{\"name\":\"Premium weather\",\"description\":\"Forecasts, paid per call\",\"base_url\":\"http://127.0.0.1:$UPSTREAM_PORT\",\"visibility\":\"public\"}")
PLAN_ID=$(plan_named "$P" "$API_ID" '{"name":"Pay as you go","type":"pay_per_call","price_per_call":2.5}')

# 2. a consumer subscribes to the paid plan and creates a key
C=$(token cons "a long password")
subscribe "$C" "$API_ID" "$PLAN_ID"
KEY=$(call 201 "$T/api-keys" -H "Authorization: Bearer $C" -H 'Content-Type: application/json' \
  -d '{"name":"billing walk-through"}' | jq -r .key)

# 3. without credit the gateway answers 402 and does not call the upstream
CREDITS=$(call 200 "$T/users/me/credits" -H "Authorization: Bearer $C")
if [ "$(echo "$CREDITS" | jq '.available < 2.5')" = true ]; then
  call 402 "$TOLLGATE/gw/premium-weather/forecast" -H "X-API-Key: $KEY" | jq -r .detail
fi

# 4. the admin grants 20.00 of credit (an Idempotency-Key makes a retried grant happen once)
CONSUMER_ID=$(call 200 "$T/users/me" -H "Authorization: Bearer $C" | jq -r .id)
call 201 "$T/admin/credits/grant" -H "Authorization: Bearer $A" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: walkthrough-$CONSUMER_ID-$(date +%s)" \
  -d "{\"user_id\":\"$CONSUMER_ID\",\"amount\":20,\"reason\":\"walk-through credit\"}" | jq -c '{transaction_id: .id, type}'

# 5. five paid calls: each costs 2.50
for i in 1 2 3 4 5; do
  call 200 "$TOLLGATE/gw/premium-weather/forecast?city=Oslo&n=$i" -H "X-API-Key: $KEY" > /dev/null
done
call 200 "$T/users/me/credits" -H "Authorization: Bearer $C" | jq -c .

# 6. charges are written in batches (every 200 ms): wait until the provider has earned 5 × 2.00 = 10.00
for _ in $(seq 1 50); do
  OVERVIEW=$(call 200 "$T/billing/overview" -H "Authorization: Bearer $P")
  [ "$(echo "$OVERVIEW" | jq '.available >= 10')" = true ] && break
  sleep 0.2
done
call 200 "$T/billing/transactions?limit=5" -H "Authorization: Bearer $C" | jq -c '.[] | {type, amount, calls}'

# 7. the provider asks for what they earned (at least TOLLGATE_MIN_PAYOUT, 10)
echo "$OVERVIEW" | jq -c '{available, pending, paid_out}'
AVAILABLE=$(echo "$OVERVIEW" | jq -r '.available')
PAYOUT_ID=$(call 201 "$T/billing/payout-request" -H "Authorization: Bearer $P" -H 'Content-Type: application/json' \
  -d "{\"amount\":$AVAILABLE}" | jq -r .id)

# 8. the admin pays it by hand and records the bank reference (with Stripe Connect the transfer is made for you)
call 200 "$T/admin/payouts/$PAYOUT_ID/approve" -H "Authorization: Bearer $A" -H 'Content-Type: application/json' \
  -d '{"reference":"bank transfer 2027-001"}' | jq -c '{id, amount, status, reference}'
call 200 "$T/billing/payouts" -H "Authorization: Bearer $P" | jq -c '.[0] | {amount, status, reference}'

# stop the upstream
kill $UPSTREAM_PID
