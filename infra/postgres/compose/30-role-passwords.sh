#!/usr/bin/env bash
# pgrepl (compose): give the replicator role its password from the env file.
# psql variables quote the value, so no password ever reaches a shell command line or a log.
set -euo pipefail
: "${REPLICATOR_PASSWORD:?REPLICATOR_PASSWORD must be set (see infra/.env.example)}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v replicator_password="$REPLICATOR_PASSWORD" <<'SQL'
ALTER ROLE replicator WITH PASSWORD :'replicator_password';
SQL
