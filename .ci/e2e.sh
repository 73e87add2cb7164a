#!/usr/bin/env bash
# Browser tests: a real `vouch serve` on SQLite with an admin made by
# `vouch create-admin`, driven by Debian's Chromium through playwright-core.
# Expects target/debug/vouch and web/dist to be built.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$PWD/target/debug/vouch"
work=$(mktemp -d)
port=${VOUCH_E2E_PORT:-18765}
export DATABASE_URL="sqlite://$work/vouch.db" VOUCH_DATA_DIR="$work/data" VOUCH_WEB_DIR="$PWD/web/dist"
export VOUCH_BIND="127.0.0.1:$port" VOUCH_LOG_FORMAT=json RUST_LOG=warn
email=e2e-admin@vouch.test
password='e2e password, long enough'
"$bin" create-admin --org "E2E Company" --email "$email" --password "$password" >/dev/null
"$bin" serve >"$work/serve.log" 2>&1 &
pid=$!
cleanup() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; echo "vouch serve exited early"; exit 1; }
  sleep 0.2
done
cd web
VOUCH_E2E_URL="http://127.0.0.1:$port" VOUCH_E2E_EMAIL="$email" VOUCH_E2E_PASSWORD="$password" npm run --silent e2e
