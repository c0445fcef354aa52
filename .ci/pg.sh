#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL cluster for the tests.
#   bash .ci/pg.sh start   -> writes the URL to .ci/.pg-url
#   bash .ci/pg.sh stop
# The cluster lives under a temp dir, listens on 127.0.0.1 only and runs as
# the unprivileged user "postgres" (created if missing) when we are root.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="$here/.pg-dir"
port="${LIAISON_PG_PORT:-55432}"

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

as_pg() {
  if [ "$(id -u)" = "0" ]; then
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

case "${1:-}" in
start)
  if ! bin=$(find_bin); then
    echo "installing PostgreSQL server (Debian package postgresql)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
    bin=$(find_bin)
  fi
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
  fi
  dir=$(mktemp -d /tmp/liaison-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = "0" ] && chown postgres "$dir"
  echo "$dir" > "$state"
  as_pg "'$bin/initdb' -D '$dir/data' -U liaison --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
  as_pg "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -t 60 \
    -o \"-c listen_addresses=127.0.0.1 -p $port -k '$dir' -c fsync=off \
    -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null"
  echo "postgresql+psycopg://liaison@127.0.0.1:$port/postgres" > "$here/.pg-url"
  echo "PostgreSQL running on 127.0.0.1:$port (data in $dir)"
  ;;
stop)
  [ -f "$state" ] || exit 0
  dir=$(cat "$state")
  bin=$(find_bin) || exit 0
  as_pg "'$bin/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1" || true
  rm -rf "$dir" "$state" "$here/.pg-url"
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 2
  ;;
esac
