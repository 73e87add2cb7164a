#!/usr/bin/env bash
# Browser tests: a real `vouch serve` on SQLite, talking to the Lever
# simulator (`lever-sim`, seeded from tests/lever-sim/seeds/e2e.json), with
# one organization and super admin per test file made by `vouch create-admin`,
# driven by Debian's Chromium through playwright-core.
# Expects the vouch and lever-sim binaries (VOUCH_TARGET_DIR, default
# target/debug) and web/dist to be built.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${VOUCH_TARGET_DIR:-target/debug}
bin="$target/vouch"
sim_bin="$target/lever-sim"
for b in "$bin" "$sim_bin"; do
  [ -x "$b" ] || { echo "missing $b: run cargo build -p vouch -p lever-sim --bins (or set VOUCH_TARGET_DIR)"; exit 1; }
done
work=$(mktemp -d)

# A port nobody listens on now (the kernel picks it); override with the env variables.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=${VOUCH_E2E_PORT:-$(free_port)}
sim_port=${VOUCH_E2E_SIM_PORT:-$(free_port)}
vouch_url="http://127.0.0.1:$port"
sim_url="http://127.0.0.1:$sim_port"
client_id=vouch-e2e
client_secret=vouch-e2e-secret

export DATABASE_URL="sqlite://$work/vouch.db" VOUCH_DATA_DIR="$work/data" VOUCH_WEB_DIR="$PWD/web/dist"
export VOUCH_BIND="127.0.0.1:$port" VOUCH_LOG_FORMAT=json RUST_LOG=warn
password='e2e password, long enough'
email=e2e-admin@vouch.test
"$bin" create-admin --org "E2E Company" --email "$email" --password "$password" >/dev/null
# One organization per Lever test file, so the files do not depend on each other's order.
"$bin" create-admin --org "E2E OAuth" --email oauth-admin@vouch.test --password "$password" >/dev/null
"$bin" create-admin --org "E2E API key" --email apikey-admin@vouch.test --password "$password" >/dev/null
"$bin" create-admin --org "E2E Revoke" --email revoke-admin@vouch.test --password "$password" >/dev/null
"$bin" create-admin --org "E2E Rules" --email rules-admin@vouch.test --password "$password" >/dev/null
"$bin" create-admin --org "E2E Health" --email health-admin@vouch.test --password "$password" >/dev/null
"$bin" create-admin --org "E2E Story" --email story-admin@vouch.test --password "$password" >/dev/null

"$sim_bin" --port "$sim_port" --seed tests/lever-sim/seeds/e2e.json \
  --client-id "$client_id" --client-secret "$client_secret" \
  --redirect-uri "$vouch_url/oauth/lever/callback" >"$work/sim.log" 2>&1 &
sim_pid=$!
"$bin" serve \
  --public-url "$vouch_url" \
  --lever-client-id "$client_id" --lever-client-secret "$client_secret" \
  --lever-us-api-base "$sim_url/us/v1" --lever-eu-api-base "$sim_url/eu/v1" \
  --lever-sandbox-api-base "$sim_url/sandbox/v1" \
  --lever-us-auth-base "$sim_url/auth" --lever-eu-auth-base "$sim_url/auth" \
  --lever-sandbox-auth-base "$sim_url/sandbox-auth" >"$work/serve.log" 2>&1 &
pid=$!
cleanup() {
  kill -TERM "$pid" "$sim_pid" 2>/dev/null || true
  wait "$pid" "$sim_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# wait_ready NAME URL PID LOG
wait_ready() {
  for _ in $(seq 1 100); do
    curl -fsS "$2" >/dev/null 2>&1 && return 0
    kill -0 "$3" 2>/dev/null || { cat "$4"; echo "$1 exited early"; exit 1; }
    sleep 0.2
  done
  cat "$4"; echo "$1 did not get ready at $2"; exit 1
}
wait_ready lever-sim "$sim_url/_sim/health" "$sim_pid" "$work/sim.log"
wait_ready "vouch serve" "$vouch_url/readyz" "$pid" "$work/serve.log"

cd web
status=0
VOUCH_E2E_URL="$vouch_url" VOUCH_E2E_SIM_URL="$sim_url" VOUCH_E2E_SIM_CLIENT_ID="$client_id" \
  VOUCH_E2E_EMAIL="$email" VOUCH_E2E_PASSWORD="$password" npm run --silent e2e || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- vouch serve log (last 40 lines)"; tail -n 40 "$work/serve.log"
  echo "--- lever-sim log (last 20 lines)"; tail -n 20 "$work/sim.log"
fi
exit "$status"
