#!/usr/bin/env bash
# pgrepl (compose): start db-slave as a hot standby of db-main.
# First start: wait for the primary, clone it with pg_basebackup through its slot, then run.
# Later starts: the data directory already holds a cluster, so it is never cloned again.
set -euo pipefail

if [ "$(id -u)" = '0' ]; then
  # PostgreSQL refuses to run as root: fix the volume's owner, then drop privileges.
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 0700 "$PGDATA"
  exec gosu postgres "${BASH_SOURCE[0]}" "$@"
fi

: "${PRIMARY_HOST:=db-main}"
: "${PRIMARY_PORT:=5432}"
: "${REPLICATION_SLOT:=db_slave_slot}"
: "${REPLICATOR_PASSWORD:?REPLICATOR_PASSWORD must be set (see infra/.env.example)}"

# The replication password lives in the postgres user's ~/.pgpass, written at every start from
# the env file: never on a command line, and not copied into postgresql.auto.conf.
pw="${REPLICATOR_PASSWORD//\\/\\\\}"
pw="${pw//:/\\:}"
umask 077
printf '%s:%s:replication:replicator:%s\n' "$PRIMARY_HOST" "$PRIMARY_PORT" "$pw" > "$HOME/.pgpass"
umask 022

if [ -s "$PGDATA/PG_VERSION" ]; then
  echo "replica-entrypoint: $PGDATA already holds a cluster; not cloning again"
else
  until pg_isready --host "$PRIMARY_HOST" --port "$PRIMARY_PORT" --quiet; do
    echo "replica-entrypoint: waiting for $PRIMARY_HOST:$PRIMARY_PORT"
    sleep 1
  done
  pg_basebackup --host "$PRIMARY_HOST" --port "$PRIMARY_PORT" --username replicator \
    --pgdata "$PGDATA" -R -X stream -S "$REPLICATION_SLOT" --checkpoint=fast --progress
  chmod 0700 "$PGDATA"
fi

# The compose command is "postgres -c ..."; run the server with its options.
if [ "${1:-}" = postgres ]; then shift; fi
exec postgres "$@"
