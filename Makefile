# Vouch's two commands: `make demo` runs it, `make test` runs every test.
# One cargo build is shared by every suite (2-core machines: no rebuilds per test).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
CARGO ?= cargo
PG_URL ?= postgres://vouch:vouch@127.0.0.1:5432/vouch

.PHONY: demo test build web schema lint test-rust test-postgres test-web e2e test-deps clean bench-ingest bench-checks

## Build everything and run the demo: Vouch on http://127.0.0.1:8080 (SQLite under ./data) connected
## to a seeded Lever simulator on :9400. Prints the admin's e-mail and password.
demo: web
	$(CARGO) build -p vouch -p vouch-tests --bins
	./target/debug/vouch demo

## Every test: format, lints, Rust suites on SQLite and PostgreSQL, web unit tests, browser tests.
test: test-deps lint build test-rust test-postgres test-web e2e
	@echo "== all tests passed"

build:
	$(CARGO) build --workspace --all-targets

web: web/node_modules/.package-lock.json
	cd web && npm run build

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

schema: build
	./target/debug/vouch schema > schema.graphql

lint: web/node_modules/.package-lock.json
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	cd web && npm run lint && npm run typecheck

test-deps:
	bash .ci/test-deps.sh

test-rust: build
	$(CARGO) test --workspace

test-postgres: build
	VOUCH_TEST_POSTGRES_URL=$(PG_URL) $(CARGO) test -p vouch-tests --test it

test-web: web/node_modules/.package-lock.json
	cd web && npm test

e2e: build web
	bash .ci/e2e.sh

clean:
	$(CARGO) clean
	rm -rf web/dist web/node_modules

## The webhook ingest benchmark (not part of `make test`): Vouch against a bare-POST and a raw-sqlx
## baseline, SQLite then PostgreSQL, about three minutes, 127.0.0.1 only. See benches/ingest/README.md.
bench-ingest:
	bash benches/ingest/run.sh

## The end-to-end checks benchmark (not part of `make test`): vouch serve against lever-sim with 50 ms
## per Lever call and Lever's rate limit; latency, backlog drain, crash. About 10 minutes. See
## benches/checks/README.md; flags after ARGS=, e.g. make bench-checks ARGS="--seconds 20 --backlog 100".
bench-checks:
	bash benches/checks/run.sh $(ARGS)
