# Helpers for the walk-throughs in docs/GATEWAY.md, docs/BILLING.md and docs/MARKETPLACE.md. Source it from the
# repository's root:
#   source docs/walkthrough/helpers.sh
# Needs curl and jq. Nothing here exits your shell: a failed step prints what went wrong and returns 1.
TOLLGATE=${TOLLGATE:-http://localhost:8080}
T=$TOLLGATE/api/v1

# call EXPECTED_STATUS curl-arguments…   prints the response body, or the error when the status is not the expected one
# (EXPECTED_STATUS may name several: 201|200)
call() {
  local expected=$1 out status
  shift
  out=$(curl -sS -w '\n%{http_code}' "$@") || return 1
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  if [[ ! "$status" =~ ^($expected)$ ]]; then
    echo "expected HTTP $expected but got $status from: curl $*" >&2
    echo "$out" >&2
    return 1
  fi
  printf '%s\n' "$out"
}

# token USERNAME PASSWORD [ROLE]   prints an access token: registers the user (consumer or provider) or, when the
# username is taken, logs in
token() {
  local username=$1 password=$2 role=${3:-consumer} out status
  out=$(curl -sS -w '\n%{http_code}' "$T/auth/register" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$username@example.com\",\"username\":\"$username\",\"password\":\"$password\",\"role\":\"$role\"}") \
    || return 1
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  if [ "$status" = 409 ]; then
    out=$(call 200 "$T/auth/login" -H 'Content-Type: application/json' \
      -d "{\"username\":\"$username\",\"password\":\"$password\"}") || return 1
  elif [ "$status" != 201 ]; then
    echo "registering $username failed with HTTP $status: $out" >&2
    return 1
  fi
  echo "$out" | jq -r .access_token
}

# publish_api TOKEN SLUG BODY   prints the id of the provider's API with that slug: creates it from the JSON BODY or,
# when an earlier run created it, points it at BODY's base_url again
publish_api() {
  local token=$1 slug=$2 body=$3 id
  id=$(call 200 "$T/apis" -H "Authorization: Bearer $token" | jq -r --arg s "$slug" '.[] | select(.slug == $s) | .id') \
    || return 1
  if [ -z "$id" ]; then
    call 201 "$T/apis" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" | jq -r .id
  else
    call 200 -X PUT "$T/apis/$id" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "$(echo "$body" | jq -c '{base_url}')" > /dev/null && echo "$id"
  fi
}

# plan_named TOKEN API_ID BODY   prints the id of the API's plan named as in the JSON BODY, creating it from BODY if
# it does not exist yet
plan_named() {
  local token=$1 api=$2 body=$3 id
  id=$(call 200 "$T/apis/$api/plans" -H "Authorization: Bearer $token" \
    | jq -r --arg n "$(echo "$body" | jq -r .name)" '.[] | select(.name == $n) | .id') || return 1
  if [ -z "$id" ]; then
    call 201 "$T/apis/$api/plans" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" \
      | jq -r .id
  else
    echo "$id"
  fi
}

# subscribe TOKEN API_ID PLAN_ID   subscribes the consumer to the plan, or moves their active subscription of the API
# to it
subscribe() {
  local token=$1 api=$2 plan=$3 id
  id=$(call 200 "$T/subscriptions" -H "Authorization: Bearer $token" \
    | jq -r --arg a "$api" '.[] | select(.api_id == $a and .status == "active") | .id') || return 1
  if [ -z "$id" ]; then
    call 201 "$T/subscriptions" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"api_id\":\"$api\",\"plan_id\":\"$plan\"}" > /dev/null
  else
    call 200 -X PUT "$T/subscriptions/$id" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
      -d "{\"plan_id\":\"$plan\"}" > /dev/null
  fi
}

# start_upstream PORT   starts docs/walkthrough/Upstream.java (a JSON echo server, JDK only) on 127.0.0.1:PORT in
# the background, sets UPSTREAM_PID, and waits until it answers
start_upstream() {
  UPSTREAM_PORT=$1
  java docs/walkthrough/Upstream.java "$UPSTREAM_PORT" &
  UPSTREAM_PID=$!
  for _ in $(seq 1 150); do
    curl -s -o /dev/null "http://127.0.0.1:$UPSTREAM_PORT/" && return 0
    sleep 0.2
  done
  echo "the upstream did not start on port $UPSTREAM_PORT" >&2
  return 1
}
