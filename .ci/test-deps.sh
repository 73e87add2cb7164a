#!/usr/bin/env bash
# Installs and starts what the test suites need beyond Rust and Node:
# PostgreSQL 15 (Debian's cluster) and Debian's Chromium. Idempotent; uses
# sudo when not root. Prints nothing but progress; the PostgreSQL URL is
# written by .ci/postgres.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 && [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "== starting PostgreSQL"
$SUDO bash .ci/postgres.sh
