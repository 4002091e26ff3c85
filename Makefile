# Dorfplatz – the two commands that matter: `make run` and `make test`.
# Every target installs what it needs and skips what is already there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
export PATH := $(HOME)/.cargo/bin:$(PATH)

CARGO_LEPTOS_VERSION := 0.3.10
WASM_OPT_VERSION := 0.116.1
# The wasm-bindgen CLI must match the crate exactly; the crate is pinned in Cargo.toml.
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
# cargo puts binaries under CARGO_TARGET_DIR when it is set (CI keeps one outside the clone);
# the site always goes to ./target/site (site-root in Cargo.toml).
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
BIN := $(TARGET_DIR)/server-release/dorfplatz

.PHONY: help tools build run test lint test-rust test-e2e e2e-deps postgres bench clean

help:
	@echo "make run    – build, migrate, seed the demo into an empty database, serve on http://127.0.0.1:3000"
	@echo "make test   – format and lint checks, Rust tests (SQLite + PostgreSQL), browser tests"
	@echo "make build  – release binary ($(BIN)) and site (target/site)"
	@echo "make bench  – requests per second (start page vs. static file); signatures per second and"
	@echo "              the tally of 1,000,000 signatures on SQLite and PostgreSQL; a thread of 5,000 comments;"
	@echo "              mixed load (48 readers, 2 signers); the register check of 100,000 signatures;"
	@echo "              OParl, calendar and a proposal page on 10,000 sessions and 50,000 comments"

tools:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || cargo install cargo-leptos@$(CARGO_LEPTOS_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli@$(WASM_BINDGEN_VERSION) --force
	@# Debian's binaryen (108) produces wasm that fails to hydrate: use the crate's wasm-opt.
	@$(HOME)/.cargo/bin/wasm-opt --version 2>/dev/null | grep -q "version 116" || cargo install wasm-opt@$(WASM_OPT_VERSION) --locked

build: tools
	cargo leptos build --release

run: build
	$(BIN) demo --if-empty
	$(BIN) serve

postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL is not reachable on 127.0.0.1:5432"; exit 1

e2e-deps:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@command -v pdftotext >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils)
	@cd end2end && { [ -d node_modules/@playwright/test ] && [ -d node_modules/maildev ] && [ -d node_modules/@axe-core/playwright ]; } || npm ci --no-audit --no-fund

lint:
	cargo fmt --all --check
	cargo clippy -p server --tests --examples -- -D warnings
	cargo clippy -p app --features ssr --tests -- -D warnings
	cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

test-rust: postgres
	cargo test -p app --features ssr
	cargo test -p migrations
	cargo test -p server

test-e2e: e2e-deps build
	cd end2end && DORFPLATZ_BIN=$(abspath $(BIN)) LEPTOS_SITE_ROOT=$(abspath target/site) npx playwright test

test: tools e2e-deps lint test-rust test-e2e

bench: build postgres
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	DORFPLATZ_BIN=$(abspath $(BIN)) bash bench/http.sh
	DORFPLATZ_BIN=$(abspath $(BIN)) bash bench/mixed.sh
	cargo run --quiet --profile server-release -p server --example bench_signatures
	cargo run --quiet --profile server-release -p server --example bench_register
	cargo run --quiet --profile server-release -p server --example bench_reports
	cargo run --quiet --profile server-release -p server --example bench_comments
	cargo run --quiet --profile server-release -p server --example bench_public

clean:
	cargo clean
	rm -rf end2end/node_modules end2end/.e2e-data
