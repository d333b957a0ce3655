#!/usr/bin/env bash
# Start a PostgreSQL server on loopback for the shared-Optuna-study test and print its URL.
# Installs Debian's package if it is missing; safe to run again on a machine that has one.
set -euo pipefail
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$version main"; then
  pg_createcluster "$version" main >&2
fi
pg_ctlcluster "$version" main start >&2 2>/dev/null || true   # already running is fine
for _ in $(seq 30); do pg_isready -h 127.0.0.1 -q 2>/dev/null && break; sleep 1; done
run_sql() { su postgres -c "psql -qtAc \"$1\""; }
[ "$(run_sql "SELECT 1 FROM pg_roles WHERE rolname='rnnlab'")" = 1 ] \
  || run_sql "CREATE ROLE rnnlab LOGIN PASSWORD 'rnnlab'" >&2
[ "$(run_sql "SELECT 1 FROM pg_database WHERE datname='rnnlab_optuna'")" = 1 ] \
  || su postgres -c "createdb -O rnnlab rnnlab_optuna" >&2
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
echo "postgresql://rnnlab:rnnlab@127.0.0.1:${port}/rnnlab_optuna"
