#!/usr/bin/env bash
# Starts the release server for the browser tests: fresh data directory, demo data,
# maildev as SMTP server. Paths can be overridden for a target directory elsewhere.
set -euo pipefail
cd "$(dirname "$0")"
BIN="${DORFPLATZ_BIN:-../target/server-release/dorfplatz}"
export DORFPLATZ_DATA_DIR="$PWD/.e2e-data"
rm -rf "$DORFPLATZ_DATA_DIR"
export DATABASE_URL="sqlite://$DORFPLATZ_DATA_DIR/dorfplatz.db"
export SMTP_URL="smtp://127.0.0.1:1026"
export MAIL_FROM="Dorfplatz Test <dorfplatz@kalletal.example>"
export LEPTOS_SITE_ADDR="127.0.0.1:3100"
export PUBLIC_URL="http://127.0.0.1:3100"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-../target/site}"
# Every browser test comes from 127.0.0.1; the per-address limit is tested in Rust.
export DORFPLATZ_RATE_LIMIT_PER_IP=1000
# Digests are due once an hour per person; look for due ones every 2 s instead of every minute.
export DORFPLATZ_DIGEST_CHECK_SECONDS=2
"$BIN" demo
exec "$BIN" serve
