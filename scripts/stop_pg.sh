#!/usr/bin/env bash
# Stop the throwaway PostgreSQL cluster started by start_pg.sh and delete its data.
set -uo pipefail
PGDATA="${PGDATA:-/tmp/champions-pgdata}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -n "$PGBIN" ] && [ -s "$PGDATA/PG_VERSION" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
fi
rm -rf "$PGDATA"
