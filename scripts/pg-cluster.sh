#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the tests (Debian's postgresql package).
#   scripts/pg-cluster.sh start   -> prints `export DSYNC_TEST_POSTGRES_URL=… PGPASSWORD=…`
#   scripts/pg-cluster.sh stop    -> stops it and removes its files
# DSYNC_PG_DIR (default /tmp/dsync-pg) and DSYNC_PG_PORT (default 54329) place it.
# The cluster runs with fsync, synchronous_commit and full_page_writes off (fast, not crash-safe);
# DSYNC_PG_DURABLE=1 keeps PostgreSQL's defaults, for figures a production server would give.
set -euo pipefail
dir=${DSYNC_PG_DIR:-/tmp/dsync-pg}
port=${DSYNC_PG_PORT:-54329}
password=dsync-test-password

bin=""
for candidate in /usr/lib/postgresql/*/bin; do
  [ -x "$candidate/initdb" ] && bin=$candidate
done
if [ -z "$bin" ]; then
  echo "no PostgreSQL server binaries under /usr/lib/postgresql: apt-get install postgresql" >&2
  exit 1
fi

# The server refuses to run as root: run it as the postgres user the package created.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      :
    else
      rm -rf "$dir"
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres "$dir"
      printf '%s\n' "$password" >"$dir/pwfile"
      [ "$(id -u)" = 0 ] && chown postgres "$dir/pwfile"
      as_owner "$bin/initdb" -D "$dir/data" -U dsync --pwfile="$dir/pwfile" --auth=scram-sha-256 \
        --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
      options="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=300"
      if [ "${DSYNC_PG_DURABLE:-}" != 1 ]; then
        options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
      fi
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
      PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$port" -U dsync -d postgres -qc 'CREATE DATABASE dsync' >/dev/null
    fi
    echo "export DSYNC_TEST_POSTGRES_URL=postgres://dsync@127.0.0.1:$port/dsync PGPASSWORD=$password"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
