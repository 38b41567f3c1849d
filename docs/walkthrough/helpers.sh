# Helpers for the walk-throughs in docs/GATEWAY.md and docs/BILLING.md. Source it from the repository's root:
#   source docs/walkthrough/helpers.sh
# Needs curl and jq. Nothing here exits your shell: a failed step prints what went wrong and returns 1.
TOLLGATE=${TOLLGATE:-http://localhost:8080}
T=$TOLLGATE/api/v1

# call EXPECTED_STATUS curl-arguments…   prints the response body, or the error when the status is not the expected one
call() {
  local expected=$1 out status
  shift
  out=$(curl -sS -w '\n%{http_code}' "$@") || return 1
  status=${out##*$'\n'}
  out=${out%$'\n'*}
  if [ "$status" != "$expected" ]; then
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
