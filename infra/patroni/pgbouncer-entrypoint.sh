#!/usr/bin/env bash
# pgrepl (compose HA): one PgBouncer in front of one Patroni member. The password comes from the
# env file and goes to a userlist only pgbouncer's user can read, never to a command line.
set -euo pipefail
: "${MEMBER_HOST:?MEMBER_HOST must be set}"
: "${POOL_MODE:=session}"
: "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set (see infra/.env.example)}"
conf="$(mktemp -d)"
umask 077
printf '"admin" "%s"\n' "${POSTGRES_PASSWORD//\"/\"\"}" > "$conf/userlist.txt"
cat > "$conf/pgbouncer.ini" <<INI
[databases]
* = host=${MEMBER_HOST} port=5432
[pgbouncer]
listen_addr = 0.0.0.0
listen_port = 6432
auth_type = scram-sha-256
auth_file = $conf/userlist.txt
pool_mode = ${POOL_MODE}
max_client_conn = 200
default_pool_size = 20
ignore_startup_parameters = extra_float_digits,options
INI
exec pgbouncer "$conf/pgbouncer.ini"
