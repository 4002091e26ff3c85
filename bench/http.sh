#!/usr/bin/env bash
# Requests per second of the server-rendered start page against a static file served by the
# same release server (wrk, 2 threads, 50 connections, 10 s each, on loopback only); the
# release wasm's size and the bytes of wasm and JavaScript each route loads first.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="$(mktemp -d)"
BIN="${DORFPLATZ_BIN:-target/server-release/dorfplatz}"
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT
export DORFPLATZ_DATA_DIR="$DATA" LEPTOS_SITE_ADDR=127.0.0.1:3200 PUBLIC_URL=http://127.0.0.1:3200
"$BIN" demo >/dev/null
RUST_LOG=warn "$BIN" serve & PID=$!
for _ in $(seq 1 50); do curl -fs http://127.0.0.1:3200/healthz >/dev/null && break; sleep 0.2; done
rate() { wrk -t2 -c50 -d10s "$1" | awk '/Requests\/sec/ {print $2}'; }
page=$(rate http://127.0.0.1:3200/)
static=$(rate http://127.0.0.1:3200/pkg/dorfplatz.css)
echo "start page (SSR, one database read): ${page} req/s"
echo "static file (pkg/dorfplatz.css):     ${static} req/s"
awk -v p="$page" -v s="$static" 'BEGIN { printf "ratio page/static: %.2f\n", p / s }'
gz=$(gzip -9 -c target/site/pkg/dorfplatz.wasm | wc -c)
echo "release wasm: $(wc -c < target/site/pkg/dorfplatz.wasm) bytes raw, ${gz} bytes gzip -9"
# What a first visit of each route loads besides its HTML and CSS: every script and wasm
# file the page names (on a page with an island: the island module, the wasm it preloads
# and the page's messages; a page without one names none), each counted once and gzip -9
# as a compressing server or proxy sends it.
echo "first load per route (wasm and JavaScript the page names, gzip -9):"
for route in / /petitions/mvz-kalletal /petitions/mvz-kalletal/sign /proposals /sessions/3; do
  total=0
  html=$(curl -fs "http://127.0.0.1:3200$route")
  for file in $({ grep -oE '(src|href)="/[^"]+\.(js|wasm)"' <<<"$html" || true; } | cut -d'"' -f2 | sort -u); do
    total=$((total + $(curl -fs "http://127.0.0.1:3200$file" | gzip -9 | wc -c)))
  done
  printf '  %-30s %8d bytes\n' "$route" "$total"
done
