# Sourced by bench/run.sh (the benchmark) and bench/train.sh (the AOT cache's training): what both
# start and how, so that the service is trained exactly as it is measured. From the repository's root,
# with WORK (a work directory), and before start_postgres/start_stand_in/start_app: PG_BIN, PG_PORT,
# JAVA, WIREMOCK_JAR, WM_PORT, STRIPE_DELAY_MS, APP_DIR, APP_PORT, MGMT_PORT, JVM_OPTS and APP_ENV.

say() { printf '[%s %4ds] %s\n' "${SAY_PREFIX:-bench}" "$SECONDS" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
now_ms() { date +%s%3N; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }
# PostgreSQL refuses to run as root: its server and clients run as the `postgres` user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
  local port=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

# The JDK: JAVA_HOME, else Temurin 25 where installed (the JDK of the image and of the figures of
# record), else java on PATH. Sets JAVA, JAVA_FEATURE (25, …) and JAVA_VERSION.
find_java() {
  if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
  fi
  JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
  JAVA_FEATURE=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ "${JAVA_FEATURE:-0}" -ge 21 ] || die "$JAVA is Java ${JAVA_FEATURE:-?}; the service needs 21 or newer (set JAVA_HOME)"
  JAVA_VERSION=$("$JAVA" -version 2>&1 | head -1)
}

# deploy_jvm_options [FILE]: the JVM options deploy/ runs the service with (JAVA_OPTS of
# deploy/base/config.env, or of FILE), without the AOT cache's own options: every run here says
# which cache it uses, if any. Read, never copied, so a change to deploy/ changes what is measured.
deploy_jvm_options() {
  local file=${1:-deploy/base/config.env} line option kept=()
  line=$(sed -n 's/^JAVA_OPTS=//p' "$file" | tail -1)
  [ -n "$line" ] || die "no JAVA_OPTS in $file"
  for option in $line; do
    case "$option" in -XX:AOTCache=*|-XX:AOTMode=*) ;; *) kept+=("$option") ;; esac
  done
  echo "${kept[*]}"
}

# A throw-away cluster in $WORK/pg on 127.0.0.1:PG_PORT, tuned for a benchmark: the data set fits in
# shared_buffers, checkpoints stay out of the loops (max_wal_size, checkpoint_timeout), JIT is off
# (short OLTP statements only), no statement logging. Commits stay durable (fsync and
# synchronous_commit on, as in production): the audit of credential reads and the pgbench insert
# baseline both pay for a flushed commit. Sets PG_PID; psql_q runs SQL in database PGDB (connector).
start_postgres() {
  say "PostgreSQL on 127.0.0.1:$PG_PORT ($PG_BIN)"
  mkdir -p "$WORK/pg" "$WORK/sock"
  [ "$(id -u)" != 0 ] || chown postgres "$WORK/pg" "$WORK/sock"
  as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; die "initdb"; }
  cat >>"$WORK/pg/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$WORK/sock'
max_connections = 60
shared_buffers = 256MB
effective_cache_size = 1GB
work_mem = 8MB
maintenance_work_mem = 256MB
max_wal_size = 8GB
min_wal_size = 1GB
checkpoint_timeout = 30min
checkpoint_completion_target = 0.9
wal_buffers = 16MB
fsync = on
synchronous_commit = on
jit = off
log_min_messages = warning
logging_collector = off
EOF
  as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w -t 60 start >/dev/null || { cat "$WORK/pg/server.log" >&2; die "PostgreSQL did not start"; }
  PG_PID=$(head -1 "$WORK/pg/postmaster.pid")
  PGDB=postgres psql_q -c 'create database connector'
}
psql_q() { as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "${PGDB:-connector}" -v ON_ERROR_STOP=1 -qAtX "$@"; }
stop_postgres() {
  if [ -n "${PG_PID:-}" ]; then as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1 || true; fi
  PG_PID=''
}

# The Stripe stand-in on 127.0.0.1:WM_PORT: WireMock with the project's fixtures:
# bench/stand-in/mappings (token exchange, customers) and the tests' platform-account mapping (the
# console's key check), bodies from src/test/resources/stripe; STRIPE_DELAY_MS added to every answer.
start_stand_in() {
  local standin=http://127.0.0.1:$WM_PORT wm_options=()
  say "Stripe stand-in (WireMock, $(basename "$WIREMOCK_JAR")) on $standin, ${STRIPE_DELAY_MS} ms added latency"
  [ -f "$WIREMOCK_JAR" ] || die "WireMock standalone is not at $WIREMOCK_JAR"
  mkdir -p "$WORK/stand-in/mappings" "$WORK/stand-in/__files"
  cp bench/stand-in/mappings/*.json src/test/resources/wiremock/mappings/*.json "$WORK/stand-in/mappings/"
  cp src/test/resources/stripe/*.json "$WORK/stand-in/__files/"
  # A delayed answer should not hold one of Jetty's threads for its whole delay.
  [ "$STRIPE_DELAY_MS" = 0 ] || wm_options=(--async-response-enabled true --async-response-threads 32)
  "$JAVA" -Xmx256m -XX:+UseSerialGC -jar "$WIREMOCK_JAR" --bind-address 127.0.0.1 --port "$WM_PORT" \
    --root-dir "$WORK/stand-in" --no-request-journal --disable-request-logging --disable-gzip --disable-banner \
    --container-threads 64 "${wm_options[@]}" >"$WORK/stand-in.log" 2>&1 &
  WM_PID=$!
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "$standin/__admin/health" && break
    kill -0 "$WM_PID" 2>/dev/null || { cat "$WORK/stand-in.log" >&2; die "the stand-in exited"; }
    sleep 0.1
  done
  if [ "$STRIPE_DELAY_MS" -gt 0 ]; then
    curl -sf -o /dev/null -X POST "$standin/__admin/settings" -H 'Content-Type: application/json' \
      -d "{\"fixedDelay\": $STRIPE_DELAY_MS}" || die "could not set the stand-in's delay"
  fi
  curl -sf -o /dev/null "$standin/v1/customers" || die "the stand-in does not answer GET /v1/customers"
}
stop_stand_in() {
  if [ -n "${WM_PID:-}" ]; then kill "$WM_PID" 2>/dev/null || true; wait "$WM_PID" 2>/dev/null || true; fi
  WM_PID=''
}

# start_app [JVM option…]: a fresh JVM of the packaged app with JVM_OPTS and the options given, run
# from its directory as the image runs it, settings from APP_ENV only; returns once /q/health/ready
# (management port) answers 200, or 1 if the JVM exited first. READY_MS: launch to ready.
APP_STARTS=0 READY_MS=0 APP_LOG='' APP_PID=''
start_app() {
  APP_STARTS=$((APP_STARTS + 1))
  APP_LOG=$WORK/app-$APP_STARTS.log
  local t0 t1 code
  t0=$(now_ms)
  # shellcheck disable=SC2086 # JVM_OPTS is a list of options
  (cd "$APP_DIR" && exec env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 TZ=UTC "${APP_ENV[@]}" \
    "$JAVA" $JVM_OPTS "$@" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$MGMT_PORT" \
    -jar quarkus-run.jar) >"$APP_LOG" 2>&1 &
  APP_PID=$!
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$MGMT_PORT/q/health/ready" || true)
    [ "$code" = 200 ] && break
    if ! kill -0 "$APP_PID" 2>/dev/null; then
      wait "$APP_PID" 2>/dev/null || true
      APP_PID=''
      return 1
    fi
    [ $(($(now_ms) - t0)) -lt 180000 ] || { tail -50 "$APP_LOG" >&2; die "the service was not ready within 180 s"; }
    sleep 0.02
  done
  t1=$(now_ms)
  READY_MS=$((t1 - t0))
}
start_or_die() { start_app "$@" || { tail -50 "$APP_LOG" >&2; die "the service exited during start-up (log above)"; }; }
# stop_app: TERM, then waits for the JVM to exit (a training JVM writes its AOT cache then: allow minutes).
stop_app() {
  [ -n "$APP_PID" ] || return 0
  kill -TERM "$APP_PID" 2>/dev/null || true
  local waited=0
  while kill -0 "$APP_PID" 2>/dev/null; do
    sleep 0.2
    waited=$((waited + 1))
    if [ "$waited" -gt 900 ]; then kill -KILL "$APP_PID" 2>/dev/null || true; fi
  done
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=''
}

# cleanup: the EXIT trap of both scripts: stops what they started and removes WORK, unless KEEP=1 or
# (KEEP_ON_FAILURE=1) the script failed; then says where it is.
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_app
  stop_stand_in
  stop_postgres
  if [ "${KEEP:-0}" = 1 ] || { [ "${KEEP_ON_FAILURE:-0}" = 1 ] && [ "$status" != 0 ]; }; then say "kept $WORK"; else rm -rf "$WORK"; fi
  exit "$status"
}
