#!/usr/bin/env bash
# Starts Debian's PostgreSQL 15 cluster and makes the `vouch` role (allowed to
# create databases: every test gets a fresh one). Idempotent. Prints the
# admin URL the test suites use as VOUCH_TEST_POSTGRES_URL.
set -euo pipefail
if ! pg_lsclusters 2>/dev/null | grep -q '^15 *main'; then
  pg_createcluster 15 main >/dev/null
fi
pg_ctlcluster 15 main start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -v ON_ERROR_STOP=1 -q" <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vouch') THEN
    CREATE ROLE vouch LOGIN PASSWORD 'vouch' CREATEDB;
  END IF;
END $$;
SQL
if ! su postgres -c "psql -qtAc \"select 1 from pg_database where datname = 'vouch'\"" | grep -q 1; then
  su postgres -c "createdb -O vouch vouch"
fi
echo "postgres://vouch:vouch@127.0.0.1:5432/vouch"
