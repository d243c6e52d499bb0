#!/usr/bin/env bash
# Trains the AOT cache the service ships with (JDK 25, JEP 483/514/515), then proves it loads. The one
# training of the project: the image build runs it on the image's own JDK (src/main/docker/Dockerfile.jvm),
# CI runs it on the packaged jar (.ci/run), and bench/run.sh runs it when it has no cache to measure.
#
#   bench/train.sh [APP_DIR [CACHE]]     # default target/quarkus-app and APP_DIR/app.aot
#
# It starts what the service needs on 127.0.0.1 (a throw-away PostgreSQL and the Stripe stand-in,
# bench/lib.sh, as the benchmark does), starts the packaged app with -XX:AOTCacheOutput and the JVM
# options deploy/ runs it with (JAVA_OPTS of deploy/base/config.env, or JVM_OPTS when set), and drives
# every route the integration tests and the benchmark use: the API (settings, installations, the
# list with its filters, authorize, the OAuth callback, credentials, verify, refresh, the proxy and
# the SDK route, disconnect, events and subscriptions, partners and their keys, console users,
# maintenance), Stripe's webhooks, the setup link's pages, the console's sign-in and pages, the
# OpenAPI document, health and metrics, and their usual refusals (401, 403, 404, 400). The hot paths
# the benchmark measures get ROUNDS requests each, so the cache holds their method profiles. The JVM
# writes the cache as it exits. Then a second start with -XX:AOTMode=on must become ready: that mode
# refuses to start on a cache the JVM cannot use (another JDK build, another application, a damaged
# file), so a cache that passes here is one the JVM maps. Exit status 1 on any failure.
#
# Settings (environment): JAVA_HOME (default: Temurin 25 when installed), JVM_OPTS, PG_BIN
# (/usr/lib/postgresql/15/bin), WIREMOCK_JAR (default: the pom's WireMock in the local Maven
# repository), ROUNDS (200), KEEP=1 (keep the work directory with every log).
set -euo pipefail
cd "$(dirname "$0")/.."
SAY_PREFIX=train
# shellcheck source=bench/lib.sh
. bench/lib.sh

APP_DIR=${1:-target/quarkus-app}
[ -f "$APP_DIR/quarkus-run.jar" ] || die "no $APP_DIR/quarkus-run.jar (./mvnw package first)"
APP_DIR=$(cd "$APP_DIR" && pwd)
CACHE=${2:-$APP_DIR/app.aot}
case "$CACHE" in /*) ;; *) CACHE=$PWD/$CACHE ;; esac
ROUNDS=${ROUNDS:-200}
[[ $ROUNDS =~ ^[1-9][0-9]{0,3}$ ]] || die "ROUNDS must be a whole number from 1 to 9999, not '$ROUNDS'"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$PG_BIN/postgres" ] || die "no PostgreSQL server binaries in $PG_BIN (set PG_BIN)"
if [ -z "${WIREMOCK_JAR:-}" ]; then
  version=$(sed -n 's:.*<wiremock.version>\(.*\)</wiremock.version>.*:\1:p' pom.xml | head -1)
  WIREMOCK_JAR=${M2_REPO:-$HOME/.m2/repository}/org/wiremock/wiremock-standalone/$version/wiremock-standalone-$version.jar
fi
find_java
[ "$JAVA_FEATURE" -ge 25 ] || die "$JAVA is Java $JAVA_FEATURE: -XX:AOTCacheOutput needs 25 or newer"
JVM_OPTS=${JVM_OPTS:-$(deploy_jvm_options)}
STRIPE_DELAY_MS=0

WORK=$(mktemp -d /tmp/connector-train.XXXXXX)
chmod 755 "$WORK"
PG_PORT=$(free_port 56439)
WM_PORT=$(free_port 18190)
APP_PORT=$(free_port 18189)
[ "$APP_PORT" != "$WM_PORT" ] || APP_PORT=$(free_port $((WM_PORT + 1)))
MGMT_PORT=$(free_port 19189)
BASE=http://127.0.0.1:$APP_PORT
STANDIN=http://127.0.0.1:$WM_PORT
random() { head -c "$1" /dev/urandom | base64 | tr -dc 'A-Za-z0-9'; }
API_KEY=train-$(random 18) ADMIN_KEY=admin-$(random 18) OPERATOR_KEY=operator-$(random 18)
WEBHOOK_SECRET=whsec_$(random 24) CONSOLE_PASSWORD=console-$(random 18)
APP_ENV=(
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/connector"
  QUARKUS_DATASOURCE_USERNAME=postgres
  QUARKUS_DATASOURCE_PASSWORD=train
  CONNECTOR_API_KEYS="train:$API_KEY,admin:$ADMIN_KEY"
  CONNECTOR_CREDENTIAL_READERS=train
  CONNECTOR_ADMIN_KEYS=admin
  CONNECTOR_OPERATOR_KEYS="operator:$OPERATOR_KEY"
  CONNECTOR_ENCRYPTION_KEYS="train1:$(head -c 32 /dev/urandom | base64)"
  CONNECTOR_PUBLIC_BASE_URL="$BASE"
  CONNECTOR_CONSOLE_ADMIN_USERNAME=trainer
  CONNECTOR_CONSOLE_ADMIN_PASSWORD="$CONSOLE_PASSWORD"
  QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
  QUARKUS_REST_CLIENT_STRIPE_CONNECT_URL="$STANDIN"
  QUARKUS_REST_CLIENT_STRIPE_API_URL="$STANDIN"
  CONNECTOR_STRIPE_WEBHOOK_SECRETS="$WEBHOOK_SECRET"
)
KEEP_ON_FAILURE=1   # cleanup (bench/lib.sh) keeps every log of a failed training
trap cleanup EXIT
trap 'exit 130' INT TERM

start_postgres
start_stand_in

# ---- the requests ------------------------------------------------------------------------------
# call KEY METHOD PATH [curl option…]: one request (or many: curl's [0001-0200] ranges in PATH), the
# status codes appended to $WORK/codes (what the training got, checked at the end). KEY '' sends none.
call() {
  local key=$1 method=$2 path=$3
  shift 3
  curl -s -o /dev/null -w '%{http_code} '"$method $path"'\n' --max-time 30 -X "$method" \
    ${key:+-H "Authorization: Bearer $key"} "$@" "$BASE$path" >>"$WORK/codes" || true
}
json() { call "$@" -H 'Content-Type: application/json'; }
n=$(printf '%04d' "$ROUNDS")
many="train-[0001-$n]"

drive() {
  # The console's settings, then installations: pending, connected through authorize and the
  # callback (the stand-in exchanges the code), and one that needs its own credentials (setup link).
  json "$API_KEY" PUT /api/v1/connector -d '{"clientId":"ca_TrainPlatformClient1","clientSecret":"sk_test_TrainPlatformSecretKey1234"}'
  call "$API_KEY" GET /api/v1/connector
  json "$API_KEY" PUT "/api/v1/accounts/$many/connector" -d '{"name":"Training"}'
  curl -s --max-time 30 -X POST -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' -d '{}' \
    "$BASE/api/v1/accounts/$many/connector/authorize" >"$WORK/authorize.json" || true
  grep -o 'state=[A-Za-z0-9_-]*' "$WORK/authorize.json" | sed "s|^|url = \"$BASE/connector/callback?code=ac_bench\&scope=read_write\&|; s|\$|\"\noutput = \"/dev/null\"|" >"$WORK/callbacks.curl" || true
  [ -s "$WORK/callbacks.curl" ] || die "authorize answered no state: $(head -c 300 "$WORK/authorize.json")"
  curl -s -K "$WORK/callbacks.curl" -w '%{http_code} GET /connector/callback\n' --max-time 30 >>"$WORK/codes" || true
  call '' GET '/connector/callback?error=access_denied&error_description=declined&state=unknown'
  call '' GET '/connector/callback?code=ac_bench&state=unknown'

  # The benchmark's hot paths, ROUNDS each.
  call "$API_KEY" GET "/api/v1/accounts/$many/connector"
  call "$API_KEY" GET "/api/v1/accounts/$many/connector/credentials"
  call "$API_KEY" GET "/api/v1/accounts/$many/stripe/v1/customers?limit=3"
  local cursor=''
  for _ in $(seq 1 $((ROUNDS / 10 + 1))); do
    call "$API_KEY" GET "/api/v1/accounts?limit=50"
    call "$API_KEY" GET "/api/v1/accounts?limit=10&q=TRAIN&status=connected"
    # The next page, by the cursor the answer gives (none on the last page: the first again).
    cursor=$(curl -s --max-time 30 -H "Authorization: Bearer $API_KEY" "$BASE/api/v1/accounts?limit=5${cursor:+&cursor=$cursor}" \
      | sed -n 's/.*"nextCursor":"\([^"]*\)".*/\1/p' || true)
  done
  json "$API_KEY" POST "/api/v1/accounts/train-[0001-$n]/connector/authorize" -d '{"stripeUser":{"email":"owner@example.com"}}'

  # The other routes of the API, a few times each.
  call "$API_KEY" POST "/api/v1/accounts/train-[0001-0005]/connector/verify"
  call "$API_KEY" POST "/api/v1/accounts/train-[0001-0005]/connector/refresh"
  call "$API_KEY" POST /api/v1/accounts/train-0001/stripe/v1/customers -H 'Idempotency-Key: train-0001' \
    -H 'Content-Type: application/x-www-form-urlencoded' -d 'email=jenny.rosen@example.com'
  call "$API_KEY" DELETE /api/v1/accounts/train-0001/stripe/v1/customers/cus_train
  call "$API_KEY" GET '/v1/customers?limit=3' -H 'Stripe-Account: train-0002'
  call "$API_KEY" POST /v1/customers -H 'Stripe-Account: train-0002' -d 'email=jenny.rosen@example.com'
  call "$API_KEY" GET /v1/customers/cus_train -H 'Stripe-Account: train-0002'
  json "$API_KEY" PUT /api/v1/accounts/train-own/connector -d '{"name":"Own","clientId":"ca_TrainOwnClient1"}'
  curl -s --max-time 30 -X POST -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' -d '{}' \
    "$BASE/api/v1/accounts/train-own/connector/authorize" >"$WORK/setup.json" || true
  setup=$(grep -o '"setupUrl":"[^"]*"' "$WORK/setup.json" | sed 's/"setupUrl":"//; s/"$//; s|^https\?://[^/]*||' || true)
  if [ -n "$setup" ]; then
    call '' GET "$setup"
    call '' POST "$setup" -d 'clientSecret=sk_test_TrainOwnSecretKey1234&_csrf=none'
  fi
  call "$API_KEY" POST /api/v1/accounts/train-0003/connector/disconnect
  call "$API_KEY" DELETE /api/v1/accounts/train-0004/connector
  call "$API_KEY" GET /api/v1/events
  call "$API_KEY" GET '/api/v1/events?limit=5&type=connection.connected'
  curl -s --max-time 30 -X POST -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
    -d '{"url":"https://billing.example.com/hooks/train","eventTypes":["*"]}' "$BASE/api/v1/event-subscriptions" >"$WORK/subscription.json" || true
  subscription=$(grep -o '"id":"[^"]*"' "$WORK/subscription.json" | head -1 | sed 's/"id":"//; s/"$//' || true)
  call "$ADMIN_KEY" GET /api/v1/event-subscriptions
  if [ -n "$subscription" ]; then
    for path in "" /attempts /deliveries; do call "$ADMIN_KEY" GET "/api/v1/event-subscriptions/$subscription$path"; done
    json "$ADMIN_KEY" PATCH "/api/v1/event-subscriptions/$subscription" -d '{"eventTypes":["connection.connected"]}'
    call "$ADMIN_KEY" POST "/api/v1/event-subscriptions/$subscription/rotate-secret"
    call "$ADMIN_KEY" DELETE "/api/v1/event-subscriptions/$subscription"
  fi
  call "$ADMIN_KEY" GET /api/v1/console-users
  json "$ADMIN_KEY" PUT /api/v1/console-users/trainee -d "{\"password\":\"$CONSOLE_PASSWORD\",\"roles\":[\"viewer\"]}"
  call "$ADMIN_KEY" DELETE /api/v1/console-users/trainee
  call "$ADMIN_KEY" GET /api/v1/maintenance/encryption
  json "$OPERATOR_KEY" PUT /api/v1/partners/train-p1 -d '{"name":"Training partner","domains":["train-p1.localhost"]}'
  call "$OPERATOR_KEY" GET /api/v1/partners
  call "$OPERATOR_KEY" GET /api/v1/partners/train-p1
  json "$OPERATOR_KEY" POST /api/v1/partners/train-p1/api-keys -d '{"name":"train","roles":["api"]}'
  call "$OPERATOR_KEY" GET /api/v1/partners/train-p1/api-keys

  # Stripe's webhooks: signed, as Stripe signs them, and refused (unsigned, unknown endpoint).
  local now body signature
  now=$(date +%s)
  body="{\"id\":\"evt_train_$now\",\"object\":\"event\",\"type\":\"account.application.deauthorized\",\"account\":\"acct_1TrainConnected00\",\"created\":$now,\"livemode\":false,\"data\":{\"object\":{\"id\":\"ca_TrainPlatformClient1\",\"object\":\"application\"}}}"
  if command -v openssl >/dev/null; then
    signature=$(printf '%s' "$now.$body" | openssl dgst -sha256 -hmac "$WEBHOOK_SECRET" | sed 's/.*= *//')
    json '' POST /webhooks/stripe -H "Stripe-Signature: t=$now,v1=$signature" -d "$body"
  fi
  json '' POST /webhooks/stripe -d "$body"
  json '' POST /webhooks/stripe/unknown -d "$body"

  # The console: its sign-in, then each page with the session; the partner operators' pages.
  local jar=$WORK/console.cookies
  call '' GET /console/login
  curl -s -o /dev/null -c "$jar" -b "$jar" --max-time 30 -d "j_username=trainer&j_password=$CONSOLE_PASSWORD" "$BASE/console/j_security_check" || true
  for path in /console /console/settings /console/installations '/console/installations?q=train&status=connected' \
      /console/installations/train-0002 /console/installations/train-unknown /console/events /; do
    call '' GET "$path" -b "$jar"
  done
  call '' POST /console/installations/train-0002/verify -b "$jar" -d '_csrf=none'
  call '' POST /console/logout -b "$jar"
  curl -s -o /dev/null --max-time 30 -d 'j_username=trainer&j_password=wrong-password' "$BASE/console/j_security_check" || true

  # The documents, probes and metrics, and the usual refusals.
  call '' GET /q/openapi
  call '' GET '/q/openapi?format=json'
  for path in /q/health/ready /q/health/live /q/health/started /q/metrics; do
    curl -s -o /dev/null --max-time 30 "http://127.0.0.1:$MGMT_PORT$path" || true
  done
  call '' GET /api/v1/accounts
  call "wrong-key-$(random 12)" GET /api/v1/accounts
  call "$API_KEY" GET /api/v1/accounts/train-unknown/connector
  call "$API_KEY" GET '/api/v1/accounts?limit=0'
  call "$API_KEY" GET /api/v1/partners
  json "$API_KEY" POST /api/v1/accounts/train-0005/connector/authorize -d '{"scope":'
  call "$API_KEY" GET /api/v1/nothing-here
}

say "training: $JAVA_VERSION, options: $JVM_OPTS"
say "training run (-XX:AOTCacheOutput=$CACHE)"
rm -f "$CACHE" "$CACHE.config"
start_or_die -XX:AOTCacheOutput="$CACHE"
say "  ready in $READY_MS ms; driving every route ($ROUNDS requests of each hot path)"
t0=$(now_ms)
drive
say "  $(wc -l <"$WORK/codes") requests in $(($(now_ms) - t0)) ms: $(cut -d' ' -f1 "$WORK/codes" | sort | uniq -c | sort -rn | awk '{printf "%s%s×%s", (NR > 1 ? ", " : ""), $1, $2}')"
# A training that never reached the hot paths would train a cache of the start-up alone.
for route in 'PUT /api/v1/accounts/' 'GET /connector/callback' '/connector/credentials' '/stripe/v1/customers' 'GET /api/v1/accounts?limit=50'; do
  [ "$(grep -F "$route" "$WORK/codes" | grep -c '^2' || true)" -gt 0 ] || die "no 2xx answer to $route during the training (codes in $WORK/codes, log $APP_LOG)"
done
if grep -q '^500 ' "$WORK/codes"; then say "the service answered 500 during the training: $(grep '^500 ' "$WORK/codes" | sort -u | head -5 | tr '\n' ';')"; fi
t0=$(now_ms)
stop_app   # the JVM writes the cache as it exits
[ -s "$CACHE" ] || { tail -30 "$APP_LOG" >&2; die "the training run wrote no AOT cache"; }
say "  cache written in $(($(now_ms) - t0)) ms: $CACHE, $(du -m "$CACHE" | cut -f1) MiB"

# The proof: -XX:AOTMode=on fails the start of a JVM that cannot use the cache.
start_app -XX:AOTCache="$CACHE" -XX:AOTMode=on || { tail -20 "$APP_LOG" >&2; die "the JVM cannot use the cache (-XX:AOTMode=on, log above)"; }
say "the cache loads (-XX:AOTMode=on): ready in $READY_MS ms"
stop_app
