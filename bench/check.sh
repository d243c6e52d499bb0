#!/usr/bin/env bash
# A fast check of the benchmark's own code, without running it (a few seconds): run.sh, train.sh and lib.sh parse
# (bash -n), each wrk script loads and prints its summary line (wrk for one second against a closed
# port: socket errors only), and the seeder and the report compile against the packaged app when
# there is one. Exit status 1 on the first problem.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVAC=${JAVA_HOME:+$JAVA_HOME/bin/}javac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for script in bench/run.sh bench/train.sh bench/lib.sh bench/check.sh; do bash -n "$script"; done
echo "bench/run.sh, train.sh and lib.sh parse"

if command -v wrk >/dev/null; then
  # wrk needs something listening: the JDK's own small file server, which answers 404 to everything.
  port=$((20000 + RANDOM % 20000))
  JWEBSERVER=${JAVA_HOME:+$JAVA_HOME/bin/}jwebserver
  "$JWEBSERVER" -b 127.0.0.1 -p "$port" -d "$tmp" >"$tmp/server.log" 2>&1 &
  server=$!
  trap 'kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  printf 'state-one 127.0.0.1:1\nstate-two\n' >"$tmp/states.txt"
  printf 'p-one sck_p-one_k1 p-one.localhost:1\np-two sck_p-two_k2 p-two.localhost:1\n' >"$tmp/keys.txt"
  mkdir -p "$tmp/states"
  # Each script with one key, then over two partners' keys (BENCH_KEYS), with and without "{id}".
  for keys in '' "$tmp/keys.txt"; do
    for path in '/x/{id}' /x; do
      for script in get authorize callback; do
        BENCH_LUA_DIR=bench/lua BENCH_PATH=$path BENCH_STATES="$tmp/states.txt" BENCH_STATES_DIR="$tmp/states" BENCH_API_KEY=k BENCH_KEYS=$keys \
          wrk -t2 -c2 -d1s -s "bench/lua/$script.lua" "http://127.0.0.1:$port" >"$tmp/$script.out" 2>&1 || true
        grep -q '^BENCH_RESULT {' "$tmp/$script.out" || { cat "$tmp/$script.out" >&2; echo "bench/lua/$script.lua does not run${keys:+ (many partners)}" >&2; exit 1; }
      done
    done
  done
  echo "bench/lua/*.lua load and summarize, with one key and over partners' keys"
else
  echo "wrk is not installed: the Lua scripts were not checked"
fi

app=target/quarkus-app
if [ -f "$app/quarkus-run.jar" ]; then
  classpath=$(find "$app" -name '*.jar' ! -name quarkus-run.jar ! -path "$app/quarkus/*" | sort | tr '\n' :)
  "$JAVAC" -d "$tmp/classes" -cp "$classpath" bench/Seeder.java bench/Report.java
  echo "bench/Seeder.java and bench/Report.java compile"
else
  echo "no packaged app ($app): the seeder and the report were not compiled"
fi
