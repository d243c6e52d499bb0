#!/usr/bin/env bash
# The benchmark of issue #10: the packaged service against its own limits, on this machine, in one
# run. It starts everything it measures against on 127.0.0.1 (its own PostgreSQL 15, a WireMock
# stand-in for Stripe, the service), seeds installations in bulk, measures start-up, memory and the
# hot paths cold and warm next to two baselines (the service's liveness endpoint, pgbench on the same
# database), checks the issue's gates and targets, prints one table, writes it as JSON, and stops and
# removes everything it started. docs/performance.md explains each figure. Then the same hot paths
# over many partners (issue 20): PARTNERS partners × PARTNER_ROWS installations, each partner with its
# own API key, console settings and service domain, every request one partner's.
#
#   bench/run.sh                      # the full run (about 16 minutes on 2 cores)
#   QUICK=1 bench/run.sh              # a smoke run: a few seconds a loop, 1 start-up sample, no 100k, 5 × 100 partners
#   STRIPE_DELAY_MS=50 bench/run.sh   # the stand-in answers every call 50 ms late
#   OUT=/tmp/run.json bench/run.sh    # the JSON elsewhere (default bench/results/latest.json)
#
# Settings (environment): DURATION (s, each measured warm loop), COLD (s, each cold loop right after a
# fresh start), WARMUP (s, each scenario before the warm loops), THREADS/CONNECTIONS (wrk -t/-c),
# STARTS (start-up samples per mode), ROWS / LARGE_ROWS (installations seeded; LARGE_ROWS=0 skips),
# PARTNERS / PARTNER_ROWS (partners seeded and installations each; PARTNERS=0 skips),
# STRIPE_DELAY_MS, JVM_OPTS (default: deploy/base/config.env's JAVA_OPTS), APP_DIR, AOT_CACHE, PG_BIN, OUT,
# RECORD (the run of record to compare with: the newest bench/results/*-record.json), STRICT=1 (exit 1 when a gate fails),
# KEEP=1 (keep the work directory with every log), FLOOR=0 (skip the stack-alone start-ups).
#
# Needs, and installs or builds when missing: the packaged app (./mvnw -q package -DskipTests), wrk
# (apt-get, as root), WireMock standalone (./mvnw dependency:get). Needs PostgreSQL 15's binaries
# (/usr/lib/postgresql/15/bin; .ci/run installs postgresql-15) and, as root, the `postgres` user to
# run them. JDK: JAVA_HOME, else /usr/lib/jvm/temurin-25-jdk-amd64 when present (25 or newer for the
# AOT cache figures).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# shellcheck source=bench/lib.sh
. bench/lib.sh

QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  d_duration=3 d_cold=3 d_warmup=2 d_starts=1 d_large=0 d_partners=5 d_partner_rows=100
else
  d_duration=20 d_cold=15 d_warmup=10 d_starts=5 d_large=100000 d_partners=100 d_partner_rows=1000
fi
DURATION=${DURATION:-$d_duration}
COLD=${COLD:-$d_cold}
WARMUP=${WARMUP:-$d_warmup}
STARTS=${STARTS:-$d_starts}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
ROWS=${ROWS:-1000}
LARGE_ROWS=${LARGE_ROWS:-$d_large}
PARTNERS=${PARTNERS:-$d_partners}
PARTNER_ROWS=${PARTNER_ROWS:-$d_partner_rows}
STRIPE_DELAY_MS=${STRIPE_DELAY_MS:-0}
# As a pod of deploy/ runs it: deploy/base/config.env's JAVA_OPTS, read from that file (bench/lib.sh:
# the heap as a share of the memory limit, the serial collector and its heap sizing, the exit on
# OutOfMemoryError, the native-heap trim), without its AOT cache (each start says which it uses), and
# -XX:MaxRAM at the pod's memory limit (deploy/base/deployment.yaml), which the JVM sees as a
# container's. Every start of the run, the stack alone's included, gets exactly these.
POD_MEMORY_MIB=$(sed -n '/^ *limits:/,/memory:/ s/^ *memory: *\([0-9]*\)Mi$/\1/p' deploy/base/deployment.yaml | head -1)
JVM_OPTS=${JVM_OPTS:--XX:MaxRAM=${POD_MEMORY_MIB:?no memory limit in deploy/base/deployment.yaml}m $(deploy_jvm_options)}
APP_DIR=${APP_DIR:-target/quarkus-app}
AOT_CACHE=${AOT_CACHE:-}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# Beside the runs of record (bench/results/*-record.json): keep a run by renaming it to <date>-record.json.
OUT=${OUT:-bench/results/latest.json}
STRICT=${STRICT:-0}
KEEP=${KEEP:-0}
M2_REPO=${M2_REPO:-$HOME/.m2/repository}

for n in DURATION COLD WARMUP STARTS THREADS CONNECTIONS ROWS LARGE_ROWS PARTNERS PARTNER_ROWS STRIPE_DELAY_MS; do
  [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number (seconds, counts or milliseconds), not '${!n}'"
done
[ "$LARGE_ROWS" = 0 ] || [ "$LARGE_ROWS" -gt "$ROWS" ] || die "LARGE_ROWS ($LARGE_ROWS) must exceed ROWS ($ROWS), or be 0"
[ "$STARTS" -ge 1 ] && [ "$ROWS" -ge 1 ] || die "STARTS and ROWS must be at least 1"
[ "$PARTNERS" = 0 ] || [ "$PARTNER_ROWS" -ge 1 ] || die "PARTNER_ROWS must be at least 1 (or PARTNERS=0)"
# Partner ids bench-p001…, account ids bench-000001… (bench/Seeder.java).
[ "$PARTNERS" -le 999 ] && [ "$PARTNER_ROWS" -le 999999 ] && [ "$LARGE_ROWS" -le 999999 ] \
  || die "at most 999 PARTNERS and 999,999 installations in a data set"

# ---- tools -------------------------------------------------------------------------------------
find_java

[ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/pgbench" ] \
  || die "no PostgreSQL 15 server binaries in $PG_BIN (apt-get install postgresql-15, as .ci/run does)"
if ! command -v wrk >/dev/null; then
  say "installing wrk (apt-get)"
  { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends wrk; } >/dev/null \
    || die "wrk is missing and could not be installed"
fi
if [ ! -f "$APP_DIR/quarkus-run.jar" ]; then
  [ "$APP_DIR" = target/quarkus-app ] || die "no $APP_DIR/quarkus-run.jar"
  say "building the packaged app (./mvnw -q package -DskipTests)"
  ./mvnw -q package -DskipTests >&2
fi
APP_DIR=$(cd "$APP_DIR" && pwd)
# The stack alone (bench/floor): the design card's stack with one entity, one resource and one REST
# client, timed like the service as the floor under its start-up. Rebuilt when its sources changed.
FLOOR_DIR=$ROOT/bench/floor/target/quarkus-app
if [ "${FLOOR:-1}" = 1 ] && { [ ! -f "$FLOOR_DIR/quarkus-run.jar" ] \
    || [ -n "$(find bench/floor/pom.xml bench/floor/src -newer "$FLOOR_DIR/quarkus-run.jar" -print -quit)" ]; }; then
  say "building the stack-alone app (bench/floor)"
  ./mvnw -q -f bench/floor/pom.xml package -DskipTests >&2
fi
# The app's libraries (the seeder uses the service's SecretCipher, the report Jackson): every jar of
# the package but the launcher and Quarkus' generated ones, whatever its layout.
APP_CLASSPATH=$(find "$APP_DIR" -name '*.jar' ! -name quarkus-run.jar ! -path "$APP_DIR/quarkus/*" | sort | tr '\n' :)
WIREMOCK_VERSION=$(sed -n 's:.*<wiremock.version>\(.*\)</wiremock.version>.*:\1:p' pom.xml | head -1)
WIREMOCK_VERSION=${WIREMOCK_VERSION:-3.13.2}
WIREMOCK_JAR=$M2_REPO/org/wiremock/wiremock-standalone/$WIREMOCK_VERSION/wiremock-standalone-$WIREMOCK_VERSION.jar
if [ ! -f "$WIREMOCK_JAR" ]; then
  say "fetching WireMock standalone $WIREMOCK_VERSION"
  ./mvnw -q dependency:get -Dartifact="org.wiremock:wiremock-standalone:$WIREMOCK_VERSION" -Dtransitive=false >&2
  [ -f "$WIREMOCK_JAR" ] || die "WireMock standalone is not at $WIREMOCK_JAR"
fi

# ---- work directory, ports, secrets ------------------------------------------------------------
WORK=$(mktemp -d /tmp/connector-bench.XXXXXX)
chmod 755 "$WORK"
RAW=$WORK/raw.jsonl   # one JSON object a measurement; bench/Report.java turns it into the table
: >"$RAW"
PG_PID='' WM_PID=''
PG_PORT=$(free_port 55439)
WM_PORT=$(free_port 18090)
APP_PORT=$(free_port 18089)
[ "$APP_PORT" != "$WM_PORT" ] || APP_PORT=$(free_port $((WM_PORT + 1)))
MGMT_PORT=$(free_port 19089)

API_KEY=bench-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
ENCRYPTION_KEYS="bench1:$(head -c 32 /dev/urandom | base64)"
SESSION_KEY=$(head -c 48 /dev/urandom | base64 | tr -d '\n')
CLIENT_ID=ca_BenchPlatformClient1
PLATFORM_ACCOUNT=acct_1PlatformAccount00   # what the stand-in's GET /v1/account says the key belongs to
BASE=http://127.0.0.1:$APP_PORT
MGMT=http://127.0.0.1:$MGMT_PORT
STANDIN=http://127.0.0.1:$WM_PORT

APP_ENV=(
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/connector"
  QUARKUS_DATASOURCE_USERNAME=postgres
  QUARKUS_DATASOURCE_PASSWORD=bench
  CONNECTOR_API_KEYS="bench:$API_KEY"
  CONNECTOR_CREDENTIAL_READERS=bench
  CONNECTOR_ENCRYPTION_KEYS="$ENCRYPTION_KEYS"
  CONNECTOR_PUBLIC_BASE_URL="$BASE"
  QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY="$SESSION_KEY"
  QUARKUS_REST_CLIENT_STRIPE_CONNECT_URL="$STANDIN"
  QUARKUS_REST_CLIENT_STRIPE_API_URL="$STANDIN"
  # States are collected before the callback loops use them: keep them valid through the whole run.
  CONNECTOR_OAUTH_STATE_TTL=PT2H
  CONNECTOR_STRIPE_WEBHOOK_SECRETS="whsec_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
)

trap cleanup EXIT
trap 'exit 130' INT TERM

start_postgres
start_stand_in

# ---- the service -------------------------------------------------------------------------------
rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$APP_PID/status"; }
quarkus_started_s() { grep -o 'started in [0-9.]*s' "$APP_LOG" | head -1 | grep -o '[0-9.]*' || echo null; }
record() { printf '%s\n' "$1" >>"$RAW"; }

# ---- load --------------------------------------------------------------------------------------
LAST_RPS=0 LAST_EXHAUSTED=0
# load NAME PHASE SECONDS ROWS SCRIPT URL [PATH]: one time-bounded wrk loop at the fixed concurrency
# (phase "sequential": one connection, one request at a time: the latency one caller pays);
# its summary (bench/lua/common.lua prints it) goes to the raw results. Credentials loops also count
# the audit rows written during the loop, right after it, while the service still runs. With
# KEYS_FILE set (the partners' data set) every request is a random partner's, with its key, and ROWS
# counts each partner's installations; DATA_PARTNERS tells the data set in the records.
KEYS_FILE='' DATA_PARTNERS=1
load() {
  local name=$1 phase=$2 secs=$3 rows=$4 script=$5 url=$6 path=${7:-} out result audit_before=0 audit_after=0 key=$API_KEY keys=$KEYS_FILE
  local threads=$THREADS connections=$CONNECTIONS
  [ "$phase" != sequential ] || threads=1 connections=1
  out=$WORK/wrk-$name-$phase-$DATA_PARTNERS-$rows.txt
  [ "$name" = credentials ] && audit_before=$(psql_q -c 'select count(*) from credential_read')
  case "$name" in liveness|stand-in) key='' keys='' ;; esac
  BENCH_LUA_DIR="$ROOT/bench/lua" BENCH_ROWS=$rows BENCH_THREADS=$threads BENCH_API_KEY=$key BENCH_KEYS=$keys BENCH_PATH=$path \
    BENCH_STATES_DIR="$WORK/states" BENCH_STATES="${STATES_FILE:-}" \
    wrk -t"$threads" -c"$connections" -d"${secs}s" --timeout 10s -s "$ROOT/bench/lua/$script" "$url" >"$out" 2>&1 \
    || { cat "$out" >&2; die "wrk failed ($name $phase)"; }
  result=$(sed -n 's/^BENCH_RESULT //p' "$out" | tail -1)
  [ -n "$result" ] || { cat "$out" >&2; die "no summary from wrk ($name $phase)"; }
  if [ "$name" = credentials ]; then
    audit_after=$(psql_q -c 'select count(*) from credential_read')
    record "{\"kind\":\"audit\",\"phase\":\"$phase\",\"rows\":$rows,\"partners\":$DATA_PARTNERS,\"audited\":$((audit_after - audit_before)),\"result\":$result}"
  fi
  record "{\"kind\":\"load\",\"name\":\"$name\",\"phase\":\"$phase\",\"rows\":$rows,\"partners\":$DATA_PARTNERS,\"seconds\":$secs,\"aot\":${LOAD_AOT:-false},\"result\":$result}"
  LAST_RPS=$(sed 's/.*"rps":\([0-9.]*\).*/\1/' <<<"$result")
  LAST_EXHAUSTED=$(sed 's/.*"exhausted":\([0-9]*\).*/\1/' <<<"$result")
  say "$(printf '%-12s %-8s %3s × %6s rows: %s' "$name" "$phase" "$DATA_PARTNERS" "$rows" \
    "$(sed 's/.*"rps":\([0-9.]*\).*"p50_ms":\([0-9.]*\).*"p99_ms":\([0-9.]*\).*"status":\([0-9]*\).*/\1 req\/s, p50 \2 ms, p99 \3 ms, non-2xx \4/' <<<"$result")")"
}

# The scenarios: name, wrk script, path ("{id}" is a random seeded installation per request).
view()        { load view        "$1" "$2" "$3" get.lua       "$BASE" '/api/v1/accounts/{id}/connector'; }
list()        { load list        "$1" "$2" "$3" get.lua       "$BASE" '/api/v1/accounts?limit=50'; }
credentials() { load credentials "$1" "$2" "$3" get.lua       "$BASE" '/api/v1/accounts/{id}/connector/credentials'; }
authorize()   { load authorize   "$1" "$2" "$3" authorize.lua "$BASE"; }
proxy()       { load proxy       "$1" "$2" "$3" get.lua       "$BASE" '/api/v1/accounts/{id}/stripe/v1/customers?limit=3'; }
stand_in()    { load stand-in    "$1" "$2" "$3" get.lua       "$STANDIN" '/v1/customers?limit=3'; }
liveness()    { load liveness    "$1" "$2" "$3" get.lua       "$MGMT" '/q/health/live'; }

# OAuth states for the callback: every authorize loop appends the states of its answers to
# $WORK/states (authorize.lua); a callback loop takes all of them, each used once. A loop that ran
# out of states is repeated once with more, since its rate would be understated.
mkdir -p "$WORK/states"
CALLBACK_GUESS=0 STATE_FILES=0
states_available() { { cat "$WORK"/states/*.txt 2>/dev/null || true; } | wc -l; }  # 0 when none (pipefail)
top_up_states() { # NEEDED ROWS: unmeasured authorize loops until the pool holds NEEDED states
  local needed=$1 rows=$2 have secs rounds=0
  have=$(states_available)
  while [ "$have" -lt "$needed" ] && [ "$rounds" -lt 6 ]; do
    secs=$(awk -v n=$((needed - have)) -v r="$AUTHORIZE_GUESS" 'BEGIN { s = int(n / (r > 50 ? r : 50)) + 2; print (s > 120 ? 120 : s) }')
    authorize states "$secs" "$rows"
    [ "$(awk -v r="$LAST_RPS" 'BEGIN { print (r > 50) }')" = 1 ] && AUTHORIZE_GUESS=$LAST_RPS
    have=$(states_available)
    rounds=$((rounds + 1))
  done
  [ "$have" -ge "$needed" ] || die "could not collect $needed OAuth states (have $have)"
}
take_states() { # the pool, moved into one file for one callback loop
  STATE_FILES=$((STATE_FILES + 1))
  STATES_FILE=$WORK/callback-states-$STATE_FILES.txt
  cat "$WORK"/states/*.txt >"$STATES_FILE" 2>/dev/null || true
  rm -f "$WORK"/states/*.txt
  chmod 644 "$STATES_FILE"
}
# callback PHASE SECONDS ROWS: a cold loop uses the states collected before its instance started (one
# attempt: a repeat would not be cold); any other collects its states on the running instance first.
callback() {
  local phase=$1 secs=$2 rows=$3 attempt attempts=2 guess needed
  [ "$phase" != cold ] || attempts=1
  for attempt in $(seq 1 "$attempts"); do
    if [ "$phase" != cold ]; then
      guess=$(awk -v c="$CALLBACK_GUESS" -v a="$AUTHORIZE_GUESS" 'BEGIN { g = c > 0 ? c : a; print (g < 100 ? 100 : g) }')
      needed=$(awk -v g="$guess" -v s="$secs" -v t="$attempt" 'BEGIN { printf "%d", g * s * 1.5 * t + 200 }')
      top_up_states "$needed" "$rows"
    fi
    take_states
    load callback "$phase" "$secs" "$rows" callback.lua "$BASE"
    STATES_FILE=''
    CALLBACK_GUESS=$(awk -v r="$LAST_RPS" -v c="$CALLBACK_GUESS" 'BEGIN { print (r > c ? r : c) }')
    [ "$LAST_EXHAUSTED" != 0 ] || return 0
    say "the callback loop ($phase) ran out of OAuth states: its rate is understated"
  done
  return 0
}
AUTHORIZE_GUESS=500

# ---- seeding -----------------------------------------------------------------------------------
# seed FROM TO: connected installations bench-FROM..bench-TO, encrypted by bench/Seeder.java with the
# service's own SecretCipher, loaded with COPY (never through the service).
seed() {
  local from=$1 to=$2 csv=$WORK/seed-$1-$2.csv t0 columns
  t0=$(now_ms)
  BENCH_ENCRYPTION_KEYS=$ENCRYPTION_KEYS "$JAVA" -cp "$APP_CLASSPATH" bench/Seeder.java \
    "$from" "$to" "$csv" "$CLIENT_ID" "$PLATFORM_ACCOUNT" 2>"$WORK/seeder.log" || { cat "$WORK/seeder.log" >&2; die "seeder"; }
  chmod 644 "$csv"
  columns=$(head -1 "$csv")
  psql_q -c "\\copy account_connector ($columns) from '$csv' with (format csv, header true)"
  psql_q -c 'vacuum analyze account_connector'
  rm -f "$csv"
  record "{\"kind\":\"seed\",\"from\":$from,\"to\":$to,\"ms\":$(($(now_ms) - t0))}"
  record_size 1
  say "seeded installations bench-$(printf %06d "$from")..bench-$(printf %06d "$to") in $(($(now_ms) - t0)) ms"
}

# record_size PARTNERS: the installations' table (rows, bytes with its indexes and TOAST) and the
# whole database, after a seeding: what a data set of that size asks of PostgreSQL's memory and disk.
record_size() {
  local sizes count table indexes database
  sizes=$(psql_q -F ' ' -c "select count(*), pg_total_relation_size('account_connector'), pg_indexes_size('account_connector'), pg_database_size(current_database()) from account_connector")
  read -r count table indexes database <<<"$sizes"
  record "{\"kind\":\"size\",\"partners\":$1,\"installations\":$count,\"table_bytes\":$table,\"index_bytes\":$indexes,\"database_bytes\":$database}"
}

# seed_partners: PARTNERS partners bench-p001… with PARTNER_ROWS connected installations each, written
# by bench/Seeder.java (keys hashed and secrets encrypted as the service does) and loaded with COPY:
# the partner rows, their API keys, their installations, and their console settings (their own client
# ID and secret key; scope, account type and platform account as partner default's row, which the
# API wrote). $WORK/partners/keys.txt keeps the keys for the load scripts.
seed_partners() {
  local dir=$WORK/partners t0 table
  t0=$(now_ms)
  BENCH_ENCRYPTION_KEYS=$ENCRYPTION_KEYS "$JAVA" -cp "$APP_CLASSPATH" bench/Seeder.java \
    partners "$PARTNERS" "$PARTNER_ROWS" "$dir" "$APP_PORT" "$PLATFORM_ACCOUNT" 2>"$WORK/seeder.log" || { cat "$WORK/seeder.log" >&2; die "seeder (partners)"; }
  chmod 755 "$dir"
  chmod 644 "$dir"/*.csv
  for table in partner api_key account_connector; do
    psql_q -c "\\copy $table ($(head -1 "$dir/$table.csv")) from '$dir/$table.csv' with (format csv, header true)"
  done
  psql_q -c 'create table bench_settings (partner_id varchar(64), client_id varchar(255), client_secret text)' \
    -c "\\copy bench_settings from '$dir/connector_settings.csv' with (format csv, header true)" \
    -c "insert into connector_settings (partner_id, client_id, client_secret, default_scope, account_type, platform_account_id, updated_at)
        select b.partner_id, b.client_id, b.client_secret, d.default_scope, d.account_type, d.platform_account_id, now()
          from bench_settings b cross join connector_settings d where d.partner_id = 'default'" \
    -c 'drop table bench_settings'
  rm -f "$dir"/*.csv
  psql_q -c 'vacuum analyze partner' -c 'vacuum analyze api_key' -c 'vacuum analyze connector_settings' -c 'vacuum analyze account_connector'
  record "{\"kind\":\"seed\",\"partners\":$PARTNERS,\"from\":1,\"to\":$PARTNER_ROWS,\"ms\":$(($(now_ms) - t0))}"
  record_size "$PARTNERS"
  say "seeded $PARTNERS partners × $PARTNER_ROWS installations (keys, settings, domains) in $(($(now_ms) - t0)) ms"
}

# ==== the run ===================================================================================
record "{\"kind\":\"run\",\"date\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"host\":\"$(hostname)\",\"cores\":$(nproc),\
\"cpu\":\"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1 | tr -d '"\\')\",\
\"memory_mib\":$(awk '/^MemTotal:/ {printf "%d", $2 / 1024}' /proc/meminfo),\"load_average\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\
\"java\":\"$(tr -d '"\\' <<<"$JAVA_VERSION")\",\"jvm_options\":\"$JVM_OPTS\",\"postgresql\":\"$("$PG_BIN/postgres" --version)\",\
\"wrk\":\"-t$THREADS -c$CONNECTIONS --timeout 10s\",\"threads\":$THREADS,\"connections\":$CONNECTIONS,\
\"duration_s\":$DURATION,\"cold_s\":$COLD,\"warmup_s\":$WARMUP,\"starts\":$STARTS,\"rows\":$ROWS,\"large_rows\":$LARGE_ROWS,\
\"partners\":$PARTNERS,\"partner_rows\":$PARTNER_ROWS,\
\"stripe_delay_ms\":$STRIPE_DELAY_MS,\"loads_with_aot_cache\":true,\"quick\":$([ "$QUICK" = 1 ] && echo true || echo false),\
\"commit\":\"$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo +changes)\"}"

# 1. First start: Flyway migrates the empty database; the console setup goes through the API.
say "first start (migrates the empty database)"
start_or_die
record "{\"kind\":\"first-start\",\"ready_ms\":$READY_MS,\"quarkus_s\":$(quarkus_started_s)}"
setup=$(curl -s -o "$WORK/setup.json" -w '%{http_code}' -X PUT "$BASE/api/v1/connector" \
  -H "Authorization: Bearer $API_KEY" -H 'Content-Type: application/json' \
  -d "{\"clientId\":\"$CLIENT_ID\",\"clientSecret\":\"sk_test_BenchPlatformSecretKey1234\"}")
[ "$setup" = 200 ] || { cat "$WORK/setup.json" >&2; die "console setup answered $setup"; }
stop_app
seed 1 "$ROWS"

# 2. Start-up to ready and the resident set right after it: plain JVM, then with an AOT cache.
say "start-up: $STARTS × plain JVM"
for i in $(seq 1 "$STARTS"); do
  start_or_die
  record "{\"kind\":\"startup\",\"mode\":\"plain\",\"ready_ms\":$READY_MS,\"quarkus_s\":$(quarkus_started_s),\"rss_mib\":$(rss_mib)}"
  say "  plain #$i: ready in $READY_MS ms, RSS $(rss_mib) MiB"
  stop_app
done

if [ "${FLOOR:-1}" = 1 ]; then
  say "start-up: $STARTS × the stack alone (bench/floor), same JVM, options and database"
  service_dir=$APP_DIR
  APP_DIR=$FLOOR_DIR
  for i in $(seq 1 "$STARTS"); do
    start_or_die
    record "{\"kind\":\"startup\",\"mode\":\"floor\",\"ready_ms\":$READY_MS,\"quarkus_s\":$(quarkus_started_s),\"rss_mib\":$(rss_mib)}"
    say "  stack alone #$i: ready in $READY_MS ms, RSS $(rss_mib) MiB"
    stop_app
  done
  APP_DIR=$service_dir
fi

aot_source=''
if [ "${JAVA_FEATURE}" -lt 25 ]; then
  say "start-up with an AOT cache: skipped (Java $JAVA_FEATURE; -XX:AOTCacheOutput needs 25)"
  record '{"kind":"aot","source":"none","note":"Java older than 25"}'
else
  if [ -n "$AOT_CACHE" ] || [ -f "$APP_DIR/app.aot" ]; then
    AOT_CACHE=${AOT_CACHE:-$APP_DIR/app.aot}
    aot_source="given ($AOT_CACHE, e.g. by bench/train.sh or CI)"
    # -XX:AOTMode=on: a cache the JVM cannot use is an error, never a plain start counted as an AOT one.
    if ! start_app -XX:AOTCache="$AOT_CACHE" -XX:AOTMode=on; then
      say "the AOT cache $AOT_CACHE does not fit this JDK or build: $(grep -m1 -i aot "$APP_LOG" || true); training one"
      aot_source=''
    else
      stop_app
    fi
  fi
  if [ -z "$aot_source" ]; then
    # The project's one training (the image build and CI run it too), with this run's JVM options,
    # against its own PostgreSQL and stand-in: this run's database and figures stay untouched.
    AOT_CACHE=$WORK/app.aot
    aot_source="trained by this run (bench/train.sh, every route)"
    say "training an AOT cache (bench/train.sh, JDK $JAVA_FEATURE)"
    JVM_OPTS=$JVM_OPTS PG_BIN=$PG_BIN WIREMOCK_JAR=$WIREMOCK_JAR bench/train.sh "$APP_DIR" "$AOT_CACHE" >"$WORK/train.log" 2>&1 \
      || { tail -30 "$WORK/train.log" >&2; die "the AOT cache's training failed (log above)"; }
  fi
  say "start-up: $STARTS × JVM with the AOT cache, $aot_source"
  record "{\"kind\":\"aot\",\"source\":\"$aot_source\",\"cache_mib\":$(du -m "$AOT_CACHE" | cut -f1)}"
  for i in $(seq 1 "$STARTS"); do
    start_or_die -XX:AOTCache="$AOT_CACHE" -XX:AOTMode=on
    record "{\"kind\":\"startup\",\"mode\":\"aot\",\"ready_ms\":$READY_MS,\"quarkus_s\":$(quarkus_started_s),\"rss_mib\":$(rss_mib)}"
    say "  AOT #$i: ready in $READY_MS ms, RSS $(rss_mib) MiB"
    stop_app
  done
fi
# Every start from here on runs as deploy/ runs the service: with the AOT cache (when there is one),
# so the cold loops, the warm loops and the resident set after load are the deployed service's.
# AOTMode=on here: the cache was just shown to load, and a start that silently ran without it would
# be counted as one with it.
DEPLOYED=() LOAD_AOT=false
if [ -n "$aot_source" ]; then DEPLOYED=(-XX:AOTCache="$AOT_CACHE" -XX:AOTMode=on) LOAD_AOT=true; fi

# 3. Cold: each scenario alone in the first COLD seconds of a fresh JVM (with the AOT cache, as deployed).
# cold_loops ROWS MODE: each start is also recorded as a start-up sample of MODE (right after the
# previous loop, so not the quiet start-ups of step 2: the two data sets' are compared with each other).
cold_loops() {
  local rows=$1 mode=$2 scenario
  say "cold: each scenario for the first $COLD s after a fresh start ($DATA_PARTNERS × $rows installations)"
  for scenario in view list credentials authorize proxy callback; do
    start_or_die "${DEPLOYED[@]}"
    record "{\"kind\":\"startup\",\"mode\":\"$mode\",\"ready_ms\":$READY_MS,\"quarkus_s\":$(quarkus_started_s),\"rss_mib\":$(rss_mib)}"
    "$scenario" cold "$COLD" "$rows"
    if [ "$scenario" = authorize ]; then
      [ "$(awk -v r="$LAST_RPS" 'BEGIN { print (r > 50) }')" = 1 ] && AUTHORIZE_GUESS=$LAST_RPS
      # States for the cold callback, collected now so that its instance starts cold.
      top_up_states "$(awk -v a="$AUTHORIZE_GUESS" -v s="$COLD" 'BEGIN { printf "%d", a * s * 1.5 + 200 }')" "$rows"
    fi
    stop_app
  done
}
cold_loops "$ROWS" cold

# 4. Warm, 1,000 installations: every scenario warmed up, then measured; the baselines; memory.
# warm_loops ROWS: on the running instance, every scenario warmed up, then measured, then the
# callback and the proxy one caller at a time (the latency a person's callback and one proxied call
# pay; the issue's own callback baseline was measured sequentially).
warm_loops() {
  local rows=$1 scenario
  say "warm: $WARMUP s warm-up of each scenario, then $DURATION s each ($DATA_PARTNERS × $rows installations)"
  for scenario in view list credentials authorize proxy; do "$scenario" warm-up "$WARMUP" "$rows"; done
  callback warm-up "$WARMUP" "$rows"
  for scenario in view list credentials authorize proxy; do "$scenario" warm "$DURATION" "$rows"; done
  callback warm "$DURATION" "$rows"
  [ "$DATA_PARTNERS" != 1 ] || stand_in warm "$DURATION" "$rows"
  callback sequential "$DURATION" "$rows"
  proxy sequential "$DURATION" "$rows"
}
start_or_die "${DEPLOYED[@]}"
warm_loops "$ROWS"
stand_in sequential "$DURATION" "$ROWS"
liveness warm-up "$WARMUP" "$ROWS"
liveness warm "$DURATION" "$ROWS"
record "{\"kind\":\"rss\",\"when\":\"after-load\",\"rows\":$ROWS,\"partners\":1,\"rss_mib\":$(rss_mib)}"
say "RSS after load: $(rss_mib) MiB"

# PostgreSQL's own rates on the same database, same concurrency, same time bound (service idle).
# The select is the service's own table by primary key (the seeder's ids are md5 of the account id);
# the insert goes to a table shaped like credential_read, with its index. Prepared statements, as the
# service's JDBC driver uses after a few executions.
psql_q -c 'create schema bench; create table bench.insert_probe (like public.credential_read including all)'
cat >"$WORK/pg-select.sql" <<EOF
\\set i random(1, $ROWS)
select * from account_connector where id = md5('bench-' || lpad(:i::text, 6, '0'))::uuid;
EOF
cat >"$WORK/pg-insert.sql" <<'EOF'
insert into bench.insert_probe (id, account_id, api_key_name, read_at) values (gen_random_uuid(), 'bench-000001', 'bench', now());
EOF
chmod 644 "$WORK"/pg-*.sql
pgbench_run() { # KIND: $WORK/pg-KIND.sql at the fixed concurrency for DURATION seconds
  local kind=$1 tps latency failed
  as_pg "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U postgres -n -M prepared -c "$CONNECTIONS" -j "$THREADS" -T "$DURATION" \
    -f "$WORK/pg-$kind.sql" connector >"$WORK/pgbench-$kind.txt" 2>&1 || { cat "$WORK/pgbench-$kind.txt" >&2; die "pgbench $kind"; }
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$WORK/pgbench-$kind.txt" | tail -1)
  latency=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$WORK/pgbench-$kind.txt")
  failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$WORK/pgbench-$kind.txt")
  record "{\"kind\":\"pgbench\",\"name\":\"$kind\",\"tps\":${tps:-0},\"latency_avg_ms\":${latency:-null},\"failed\":${failed:-0},\"seconds\":$DURATION}"
  say "pgbench $kind: $tps tps, average latency $latency ms"
}
for kind in select insert; do pgbench_run "$kind"; done
psql_q -c 'set client_min_messages = warning; drop schema bench cascade'
stop_app

# 5. Warm, LARGE_ROWS installations: the installation view and credentials over the whole table.
if [ "$LARGE_ROWS" -gt 0 ]; then
  seed $((ROWS + 1)) "$LARGE_ROWS"
  start_or_die "${DEPLOYED[@]}"
  view warm-up "$WARMUP" "$LARGE_ROWS"; credentials warm-up "$WARMUP" "$LARGE_ROWS"
  view warm "$DURATION" "$LARGE_ROWS"; credentials warm "$DURATION" "$LARGE_ROWS"
  record "{\"kind\":\"rss\",\"when\":\"after-load\",\"rows\":$LARGE_ROWS,\"partners\":1,\"rss_mib\":$(rss_mib)}"
  stop_app
fi

# 6. Many partners (issue 20): PARTNERS partners × PARTNER_ROWS installations beside partner default's
# ROWS (the LARGE_ROWS top-up is deleted first), each partner with its own API key, console settings
# and service domain, seeded in bulk like the installations. The same loops, cold and warm, with
# every request a random partner's (its key, one of its installations; the callback on the domain
# its authorize answer redirects to); then PostgreSQL's select by (partner id, account id) on this
# data set, the read every scoped request starts from.
if [ "$PARTNERS" -gt 0 ]; then
  if [ "$LARGE_ROWS" -gt 0 ]; then
    # The OAuth states of the loops so far go first (emptied, not just deleted: authorization_request's
    # reference to the installation has no index, so each installation deleted reads the whole table).
    psql_q -c 'truncate authorization_request' \
      -c "delete from account_connector where partner_id = 'default' and account_id > 'bench-$(printf %06d "$ROWS")'"
  fi
  seed_partners
  DATA_PARTNERS=$PARTNERS KEYS_FILE=$WORK/partners/keys.txt
  rm -f "$WORK"/states/*.txt   # partner default's states stay out of the partners' callbacks
  CALLBACK_GUESS=0
  cold_loops "$PARTNER_ROWS" partners
  start_or_die "${DEPLOYED[@]}"
  warm_loops "$PARTNER_ROWS"
  record "{\"kind\":\"rss\",\"when\":\"after-load\",\"rows\":$PARTNER_ROWS,\"partners\":$PARTNERS,\"rss_mib\":$(rss_mib)}"
  say "RSS after load ($PARTNERS partners): $(rss_mib) MiB"
  cat >"$WORK/pg-select-partners.sql" <<EOF
\\set p random(1, $PARTNERS)
\\set i random(1, $PARTNER_ROWS)
select * from account_connector where partner_id = 'bench-p' || lpad(:p::text, 3, '0') and account_id = 'bench-' || lpad(:i::text, 6, '0');
EOF
  chmod 644 "$WORK/pg-select-partners.sql"
  pgbench_run select-partners
  stop_app
  DATA_PARTNERS=1 KEYS_FILE=''
fi

# What the service logged at ERROR or WARN during the run, by message (a 500 is always a bug of the
# service; the JSON log of prod carries level and message as fields).
log_summary() { # LEVEL: "count message" lines, most frequent first
  cat "$WORK"/app-*.log | sed -n "s/.*\"level\":\"$1\",\"message\":\"\([^\"]\{0,160\}\).*/\1/p" | sort | uniq -c | sort -rn | head -8
}
log_json() { # LEVEL: the summary as a JSON array of {count, message}
  log_summary "$1" | tr -d '\\' | awk 'BEGIN { printf "[" } { n = $1; $1 = ""; sub(/^ /, ""); printf "%s{\"count\":%d,\"message\":\"%s\"}", (NR > 1 ? "," : ""), n, $0 } END { printf "]" }'
}
errors=$(cat "$WORK"/app-*.log | grep -c '"level":"ERROR"' || true)
record "{\"kind\":\"service-log\",\"errors\":$errors,\"error_messages\":$(log_json ERROR),\"warn_messages\":$(log_json WARN)}"
[ "$errors" = 0 ] || { say "the service logged $errors ERROR lines:"; log_summary ERROR >&2; }

mkdir -p "$(dirname "$OUT")"
cp "$RAW" "$WORK/raw-copy.jsonl"
status=0
# The change of each figure against the run of record (the newest bench/results/*-record.json, or RECORD).
record_file=${RECORD:-$(find bench/results -maxdepth 1 -name '*-record.json' | sort | tail -1)}
"$JAVA" -cp "$APP_CLASSPATH" bench/Report.java "$RAW" "$OUT" ${record_file:+"$record_file"} || status=$?
[ "$status" = 0 ] || [ "$status" = 3 ] || die "the report failed"
say "JSON: $OUT"
if [ "$status" = 3 ] && [ "$STRICT" = 1 ]; then exit 1; fi
exit 0
