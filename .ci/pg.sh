#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL cluster for the tests.
#
#   bash .ci/pg.sh start     start (or find running) and print where
#   bash .ci/pg.sh stop      stop it and delete its data
#   bash .ci/pg.sh status    exit 0 when it is running
#   bash .ci/pg.sh url       print its URL
#
# The cluster lives in a fresh temp dir, listens on 127.0.0.1 only (socket in
# that dir) and runs as the unprivileged user "postgres" (created if missing)
# when we are root. The Debian package `postgresql` is installed if no server
# binaries are found.
#
# Environment:
#   LIAISON_PG_STATE     directory for the state files .pg-dir and .pg-url
#                        (default: .ci/, the developer's cluster; .ci/run
#                        passes a temp dir so it never touches that one)
#   LIAISON_PG_PORT      port to listen on, or "auto" for a free one
#                        (default 55432; if it is taken, a free one is used)
#   LIAISON_PG_PASSWORD  when set, TCP logins need this password (scram) and
#                        the URL carries it; unset: trust (developer cluster)
#   LIAISON_PG_OWNER     pid of the process this cluster belongs to (.ci/run);
#                        a later `start` removes clusters whose owner has died
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
state="${LIAISON_PG_STATE:-$here}"
port="${LIAISON_PG_PORT:-55432}"
mkdir -p "$state"

say() { echo "pg.sh: $*" >&2; }

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

as_root() {
  if [ "$(id -u)" = "0" ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    say "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)"
    exit 1
  fi
}

install_server() {
  say "installing the PostgreSQL server (Debian package postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  local apt=(apt-get -y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  as_root apt-get update -q </dev/null >/dev/null
  as_root "${apt[@]}" install --no-install-recommends postgresql </dev/null >/dev/null
  if ! find_bin >/dev/null; then
    # registered as installed but its files are gone: reinstall the server
    local pkgs
    pkgs=$(dpkg-query -W -f='${Package}\n' 'postgresql-[0-9]*' 2>/dev/null |
      grep -E '^postgresql-[0-9]+$' || true)
    [ -n "$pkgs" ] || pkgs=postgresql
    # shellcheck disable=SC2086
    as_root "${apt[@]}" install --reinstall --no-install-recommends $pkgs </dev/null >/dev/null
  fi
}

as_pg() {
  # run a command as the cluster's owner: "postgres" when we are root (from /,
  # which that user can read whatever our working directory is)
  if [ "$(id -u)" = "0" ]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd / && runuser -u postgres -- "$@")
    else
      (cd / && su postgres -s /bin/sh -c "$(printf '%q ' "$@")")
    fi
  else
    "$@"
  fi
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

running() {
  # is the cluster recorded in the state dir up and listening? (pg_ctl alone
  # is fooled by a killed postmaster that nobody has reaped yet)
  local dir port bin
  dir=$(cat "$state/.pg-dir" 2>/dev/null) || return 1
  port=$(sed -nE 's#.*@127\.0\.0\.1:([0-9]+)/.*#\1#p' "$state/.pg-url" 2>/dev/null) || return 1
  [ -n "$port" ] && [ -f "$dir/data/postmaster.pid" ] || return 1
  bin=$(find_bin) || return 1
  as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 && port_busy "$port"
}

stop_dir() {
  local dir=$1 bin pid
  if [ -f "$dir/data/postmaster.pid" ]; then
    if bin=$(find_bin); then
      as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
      pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
      case "$pid" in '' | *[!0-9]*) ;; *) kill -QUIT "$pid" 2>/dev/null || true ;; esac
    fi
  fi
  case "$dir" in /tmp/liaison-pg*) rm -rf "$dir" ;; esac
}

reap_orphans() {
  # clusters of earlier CI runs that were killed before they could clean up
  local dir owner
  for dir in /tmp/liaison-pg.*; do
    [ -f "$dir/owner" ] || continue
    owner=$(cat "$dir/owner" 2>/dev/null || true)
    case "$owner" in '' | *[!0-9]*) continue ;; esac
    if ! kill -0 "$owner" 2>/dev/null; then
      say "removing the cluster of a finished run ($dir)"
      stop_dir "$dir"
    fi
  done
}

start() {
  local bin dir tries
  if [ -f "$state/.pg-dir" ]; then
    dir=$(cat "$state/.pg-dir")
    if running; then
      say "already running: $(sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#' "$state/.pg-url")"
      return 0
    fi
    say "removing a stale cluster ($dir)"
    stop_dir "$dir"
    rm -f "$state/.pg-dir" "$state/.pg-url"
  fi
  reap_orphans
  bin=$(find_bin) || { install_server; bin=$(find_bin); }
  if [ "$(id -u)" = "0" ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
  fi

  dir=$(mktemp -d /tmp/liaison-pg.XXXXXX)
  chmod 755 "$dir"
  echo "$dir" >"$state/.pg-dir"
  [ -n "${LIAISON_PG_OWNER:-}" ] && echo "$LIAISON_PG_OWNER" >"$dir/owner"
  [ "$(id -u)" = "0" ] && chown postgres "$dir"

  local auth=(--auth=trust) user=liaison
  if [ -n "${LIAISON_PG_PASSWORD:-}" ]; then
    printf '%s\n' "$LIAISON_PG_PASSWORD" >"$dir/pwfile"
    [ "$(id -u)" = "0" ] && chown postgres "$dir/pwfile"
    chmod 600 "$dir/pwfile"
    auth=(--auth-local=trust --auth-host=scram-sha-256 --pwfile="$dir/pwfile")
  fi
  local locale=C.UTF-8
  locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || locale=C
  as_pg "$bin/initdb" -D "$dir/data" -U "$user" "${auth[@]}" -E UTF8 --locale="$locale" \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$dir/pwfile"

  for tries in 1 2 3; do
    if [ "$port" = "auto" ] || port_busy "$port"; then
      [ "$port" = "auto" ] || say "port $port is in use; choosing a free one"
      port=$(free_port)
    fi
    if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
      break
    fi
    # lost a race for the port (or a real failure: shown after the last try)
    if [ "$tries" = 3 ]; then
      tail -n 20 "$dir/log" >&2 || true
      exit 1
    fi
    port=auto
  done

  local cred=$user
  [ -n "${LIAISON_PG_PASSWORD:-}" ] && cred="$user:$LIAISON_PG_PASSWORD"
  echo "postgresql+psycopg://$cred@127.0.0.1:$port/postgres" >"$state/.pg-url"
  chmod 600 "$state/.pg-url"
  say "PostgreSQL $("$bin/pg_ctl" --version | awk '{print $3}') running on 127.0.0.1:$port (data in $dir)"
}

stop() {
  [ -f "$state/.pg-dir" ] || return 0
  stop_dir "$(cat "$state/.pg-dir")"
  rm -f "$state/.pg-dir" "$state/.pg-url"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status)
  running
  ;;
url)
  [ -f "$state/.pg-url" ] || { say "no cluster started"; exit 1; }
  cat "$state/.pg-url"
  ;;
*)
  echo "usage: $0 start|stop|status|url" >&2
  exit 2
  ;;
esac
