#!/usr/bin/env bash
# The marketplace walk-through of docs/MARKETPLACE.md: the provider of the gateway walk-through lists its Weather API
# and imports its OpenAPI document; anyone finds it with a typo; the consumer who called it reviews and saves it.
# Run docs/walkthrough/gateway.sh first (against the same Tollgate), then this (needs curl and jq; safe to run again).
# TOLLGATE (default http://localhost:8080) says where Tollgate is. Everything from the "source" line on is the text
# of docs/MARKETPLACE.md's walk-through, which a test keeps identical.
set -euo pipefail
cd "$(dirname "$0")/../.."
source docs/walkthrough/helpers.sh
P=$(token prov "a long password" provider)
C=$(token cons "a long password")
API_ID=$(call 200 "$T/apis" -H "Authorization: Bearer $P" | jq -r '.[] | select(.slug == "weather") | .id')

# 1. the provider lists the API (201 the first time, 200 when the listing changes) and imports its endpoints
call '201|200' "$T/marketplace/publish" -H "Authorization: Bearer $P" -H 'Content-Type: application/json' \
  -d "{\"api_id\":\"$API_ID\",\"category\":\"weather\",\"tags\":[\"forecast\",\"climate\"]}" | jq -c '{slug, category}'
call 200 "$T/apis/$API_ID/openapi" -H "Authorization: Bearer $P" -H 'Content-Type: application/yaml' \
  --data-binary @docs/walkthrough/weather-openapi.yaml | jq -c '{title, endpoint_count}'

# 2. anyone searches (no login), even with a typo, and opens the listing
call 200 "$TOLLGATE/api/v1/marketplace/listings?q=wether+forcast" | jq -c '.items[0] | {title, highlights}'
call 200 "$T/marketplace/listings/weather" \
  | jq -c '{title, plans: [.plans[].name], endpoints: [.endpoints[] | "\(.method) \(.path)"]}'

# 3. the consumer who called it in the gateway walk-through reviews it and saves it
call '201|200' "$T/marketplace/reviews" -H "Authorization: Bearer $C" -H 'Content-Type: application/json' \
  -d "{\"api_id\":\"$API_ID\",\"rating\":5,\"comment\":\"Sunny every time\"}" | jq -c '{rating, comment}'
call '201|200' "$T/marketplace/save" -H "Authorization: Bearer $C" -H 'Content-Type: application/json' \
  -d "{\"api_id\":\"$API_ID\"}" > /dev/null
call 200 "$T/marketplace/listings/weather" | jq -c '{rating, review_count}'
