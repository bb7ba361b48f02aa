#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL on 127.0.0.1:$PGPORT (a free port unless PGPORT is set), whose URL is
# exported as JICENG_TEST_PG; stops it and deletes its data directory afterwards.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "with-pg: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
# A free port unless PGPORT is given, so two runs on one machine do not collide.
PGPORT=${PGPORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}
PGTMP=$(mktemp -d /tmp/jiceng-pg.XXXXXX)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGTMP"
cleanup() {
  as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT INT TERM
as_pg "$PGBIN/initdb" -D "$PGTMP/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
  || { cat "$PGTMP/initdb.log"; exit 1; }
as_pg "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/pg.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGTMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null \
  || { cat "$PGTMP/pg.log"; exit 1; }
export JICENG_TEST_PG="postgres://postgres@127.0.0.1:$PGPORT/postgres"
echo "with-pg: PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}') at $JICENG_TEST_PG" >&2
set +e
"$@"
exit $?
