#!/usr/bin/env bash
# Benchmark of the packaged connector: start-up time, memory (resident set) and throughput of
# its main read and write paths, on a real PostgreSQL, all on 127.0.0.1 and bounded in time.
#
#   bench/run.sh                 # defaults: 20 s a scenario, 16 connections, 2 threads
#   DURATION=10s CONNECTIONS=8 bench/run.sh
#
# Needs: a JDK 21+ (JAVA_HOME), PostgreSQL server binaries (PG_BIN, default
# /usr/lib/postgresql/15/bin) and wrk (installed with apt-get when missing and running as root).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
THREADS=${THREADS:-2}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_PORT=${PG_PORT:-55439}
APP_PORT=${APP_PORT:-18089}
HEAP=${HEAP:--Xmx256m}
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
API_KEY=bench-api-key-0123456789
WORK=$(mktemp -d /tmp/connector-bench.XXXXXX)
chmod 755 "$WORK"

if ! command -v wrk >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; else echo "install wrk first" >&2; exit 1; fi
fi
[ -f target/quarkus-app/quarkus-run.jar ] || ./mvnw -q package -DskipTests

# PostgreSQL refuses to run as root: use the postgres user where we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
mkdir -p "$WORK/pg" && { [ "$(id -u)" != 0 ] || chown postgres "$WORK" "$WORK/pg"; }
as_pg "$PG_BIN/initdb -D $WORK/pg -U postgres --auth=trust >/dev/null"
as_pg "$PG_BIN/pg_ctl -D $WORK/pg -o '-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1' -l $WORK/pg.log -w start >/dev/null"

APP_PID=
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  as_pg "$PG_BIN/pg_ctl -D $WORK/pg -m fast stop >/dev/null" || true
  rm -rf "$WORK"
}
trap cleanup EXIT

start_ms=$(date +%s%3N)
CONNECTOR_API_KEYS="bench:$API_KEY" \
CONNECTOR_ENCRYPTION_KEYS="k1:$(head -c 32 /dev/urandom | base64)" \
CONNECTOR_SERVICE_DOMAIN=bench.example \
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
  "$JAVA" $HEAP -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=$APP_PORT -jar target/quarkus-app/quarkus-run.jar > "$WORK/app.log" 2>&1 &
APP_PID=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$APP_PORT/q/health/ready" >/dev/null && break
  sleep 0.25
done
ready_ms=$(date +%s%3N)
rss() { awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/$APP_PID/status"; }

BASE="http://127.0.0.1:$APP_PORT"
AUTH="Authorization: Bearer $API_KEY"
curl -sf -X PUT "$BASE/api/v1/connector" -H "$AUTH" -H 'Content-Type: application/json' \
  -d '{"clientId":"ca_BenchClient1","clientSecret":"sk_test_BenchSecretKey1234"}' >/dev/null
for i in $(seq 1 200); do
  curl -sf -X PUT "$BASE/api/v1/accounts/bench-$i/connector" -H "$AUTH" -H 'Content-Type: application/json' -d '{"name":"Bench"}' >/dev/null
done

echo "Stripe connector benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, $("$JAVA" -version 2>&1 | head -1), heap $HEAP"
echo "start-up: $(grep -o 'started in [0-9.]*s' "$WORK/app.log" | head -1) (process to ready: $((ready_ms - start_ms)) ms); resident set after start-up: $(rss)"

cat > "$WORK/install.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  local id = "wrk-" .. math.random(1, 1000000000) .. "-" .. counter
  return wrk.format("PUT", "/api/v1/accounts/" .. id .. "/connector", nil, '{"name":"Bench"}')
end
LUA

cat > "$WORK/authorize.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"
LUA

run() { # name, wrk args…
  local name=$1; shift
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "$AUTH" "$@")
  printf '%-34s %10s req/s   p50 %8s   p99 %8s   errors %s\n' "$name" \
    "$(awk '/Requests\/sec/ {print $2}' <<<"$out")" \
    "$(awk '$1=="50%" {print $2}' <<<"$out")" \
    "$(awk '$1=="99%" {print $2}' <<<"$out")" \
    "$(grep -Eo 'Non-2xx or 3xx responses: [0-9]+|Socket errors.*' <<<"$out" | tr '\n' ' ' || true)"
}
run "GET installation (read+decrypt)" "$BASE/api/v1/accounts/bench-7/connector"
run "GET accounts?limit=50 (list)" "$BASE/api/v1/accounts?limit=50"
run "PUT install (write, encrypt)" -s "$WORK/install.lua" -H 'Content-Type: application/json' "$BASE"
run "POST authorize (tokens, write)" -s "$WORK/authorize.lua" "$BASE/api/v1/accounts/bench-9/connector/authorize"
run "GET /q/health/ready" "$BASE/q/health/ready"
echo "resident set after load: $(rss)"
