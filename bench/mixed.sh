#!/usr/bin/env bash
# Mixed load (`make bench`): 48 clients read the start page, the proposal list, a petition
# and a session page (12 each) while 2 clients sign online, all at once for 10 s; requests
# per second and p50/p99 latency per route, on SQLite and on PostgreSQL. wrk on loopback,
# one process per route, so each route's latency is its own.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${DORFPLATZ_BIN:-target/server-release/dorfplatz}"
PORT=3201
ORIGIN="http://127.0.0.1:$PORT"

run() {
  local name="$1" url="$2"
  local data; data="$(mktemp -d)"
  export DORFPLATZ_DATA_DIR="$data" LEPTOS_SITE_ADDR="127.0.0.1:$PORT" PUBLIC_URL="$ORIGIN" \
    DATABASE_URL="$url" DORFPLATZ_TRUST_X_FORWARDED_FOR=1
  "$BIN" demo >/dev/null
  RUST_LOG=error "$BIN" serve & local pid=$!
  for _ in $(seq 1 100); do curl -fs "$ORIGIN/healthz" >/dev/null && break; sleep 0.2; done
  local session
  session=$(curl -fs "$ORIGIN/sessions" | grep -o 'href="/sessions/[0-9]*"' | head -1 | grep -o '[0-9]*')
  local out; out="$(mktemp -d)"
  local loads=()
  for route in / /proposals /petitions/mvz-kalletal "/sessions/$session"; do
    wrk -t1 -c12 -d10s --latency "$ORIGIN$route" > "$out/$(echo "$route" | tr '/' '_').txt" &
    loads+=($!)
  done
  BENCH_ORIGIN="$ORIGIN" wrk -t1 -c2 -d10s --latency -s bench/sign.lua "$ORIGIN" > "$out/_sign.txt" &
  loads+=($!)
  wait "${loads[@]}"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  echo "$name, 48 readers and 2 signers at once for 10 s:"
  printf '  %-28s %9s %9s %9s %8s\n' route req/s p50 p99 errors
  for f in "$out"/*.txt; do
    local route; route=$(basename "$f" .txt | tr '_' '/')
    [ "$route" = "/sign" ] && route="POST sign_petition"
    awk -v r="$route" '
      /Requests\/sec/ {rps=$2}
      /^ +50%/ {p50=$2}
      /^ +99%/ {p99=$2}
      /Non-2xx/ {err=$5}
      /Socket errors/ {err=err "+sock"}
      END {printf "  %-28s %9s %9s %9s %8s\n", r, rps, p50, p99, (err==""?"0":err)}' "$f"
  done
  rm -rf "$data" "$out"
}

run "SQLite (file, WAL)" ""
DB="dorfplatz_bench_mixed_$$"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
trap 'psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null' EXIT
run "PostgreSQL" "postgres://postgres@127.0.0.1:5432/$DB"
