#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for tests (run as root); print its SQLAlchemy URL.
# Idempotent: a second run reuses the running cluster.
set -euo pipefail
PGPORT="${PGPORT:-54329}"
PGDATA="${PGDATA:-/tmp/champions-pgdata}"   # the postgres user must be able to reach it
PGDB="${PGDB:-champions_test}"
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGBIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_pg() { runuser -u postgres -- "$@"; }
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  rm -rf "$PGDATA"; mkdir -p "$PGDATA"; chown postgres:postgres "$PGDATA"; chmod 700 "$PGDATA"
  as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
fi
if ! as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start \
    -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
fi
"$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -t 30
if [ -z "$("$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -XtAc "SELECT 1 FROM pg_database WHERE datname='$PGDB'")" ]; then
  "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$PGDB"
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT/$PGDB"
