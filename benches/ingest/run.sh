#!/usr/bin/env bash
# make bench-ingest: builds Vouch and the bench in release mode, makes sure
# PostgreSQL answers (for the second half), and runs the bench. Figures go to
# stdout; nothing here passes or fails a test run.
set -euo pipefail
cd "$(dirname "$0")/../.."
PG_URL="${VOUCH_TEST_POSTGRES_URL:-postgres://vouch:vouch@127.0.0.1:5432/vouch}"
cargo build --release -p vouch -p vouch-bench-ingest
target="${CARGO_TARGET_DIR:-target}/release"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  bash .ci/postgres.sh >/dev/null 2>&1 || true
fi
pg=(--no-postgres)
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then pg=(--postgres "$PG_URL"); fi
exec "$target/bench-ingest" --vouch "$target/vouch" "${pg[@]}" "$@"
