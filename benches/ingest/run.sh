#!/usr/bin/env bash
# make bench-ingest: builds Vouch and the bench in release mode (in a target
# folder of their own, BENCH_TARGET_DIR, default target/bench, so the debug
# build of `make test` is left alone), makes sure PostgreSQL answers (for the
# second half), and runs the bench. Figures go to stdout, ending with a
# markdown table to paste into README.md; nothing here passes or fails a
# test run. Extra arguments go to bench-ingest (--seconds N, --concurrency N,
# --no-postgres).
set -euo pipefail
cd "$(dirname "$0")/../.."
PG_URL="${VOUCH_TEST_POSTGRES_URL:-postgres://vouch:vouch@127.0.0.1:5432/vouch}"
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-target/bench}"
cargo build --release -p vouch -p vouch-bench-ingest
target="$CARGO_TARGET_DIR/release"
if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  bash .ci/postgres.sh >/dev/null 2>&1 || true
fi
pg=(--no-postgres)
if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg=(--postgres "$PG_URL")
else
  echo "PostgreSQL is not answering on 127.0.0.1:5432 (.ci/postgres.sh failed): SQLite only" >&2
fi
exec "$target/bench-ingest" --vouch "$target/vouch" "${pg[@]}" "$@"
