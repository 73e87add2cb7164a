#!/usr/bin/env bash
# make bench-checks: builds vouch, lever-sim and the bench in release mode and
# runs the end-to-end checks benchmark (about 10 minutes with the defaults).
# Flags are passed on, e.g. `bash benches/checks/run.sh --seconds 20 --backlog 100`.
# Figures go to stdout; nothing here passes or fails a test run.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -p vouch -p lever-sim -p vouch-bench-checks
target="${CARGO_TARGET_DIR:-target}/release"
exec "$target/bench-checks" --vouch "$target/vouch" --lever-sim "$target/lever-sim" "$@"
