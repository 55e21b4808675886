#!/usr/bin/env bash
# Installs (when missing) and starts a local PostgreSQL for the monitoring contract tests, then
# prints the connection URL. Loopback only. Used by .ci/run; handy locally:
#   export CONDUIT_TEST_POSTGRES_URL=$(bash scripts/start-postgres.sh)
set -euo pipefail
log() { echo "start-postgres: $*" >&2; }

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "PostgreSQL is not installed and cannot be installed here (needs root and apt-get)"; exit 1
  fi
  log "installing postgresql"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

if command -v pg_lsclusters >/dev/null; then
  version=$(pg_lsclusters -h | awk 'NR==1{print $1}')
  cluster=$(pg_lsclusters -h | awk 'NR==1{print $2}')
  if [ -z "$version" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -1); cluster=main
    pg_createcluster "$version" "$cluster" >&2
  fi
  if ! pg_lsclusters -h | awk 'NR==1{print $4}' | grep -q online; then
    pg_ctlcluster "$version" "$cluster" start >&2
  fi
  port=$(pg_lsclusters -h | awk 'NR==1{print $3}')
else
  log "pg_lsclusters not found"; exit 1
fi

for _ in $(seq 1 30); do
  su postgres -c "psql -p $port -tAc 'select 1'" >/dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -tAc \"DO \\\$\\\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='conduit') THEN CREATE ROLE conduit LOGIN PASSWORD 'conduit' CREATEDB; END IF; END\\\$\\\$;\"" >&2
su postgres -c "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='conduit_test'\"" | grep -q 1 ||
  su postgres -c "createdb -p $port -O conduit conduit_test" >&2
echo "postgres://conduit:conduit@127.0.0.1:$port/conduit_test"
