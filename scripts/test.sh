#!/usr/bin/env bash
# The README's test command: the whole suite on SQLite, then on PostgreSQL when
# LIAISON_TEST_PG names a server (.ci/run starts one), with the time of each.
#   bash scripts/test.sh                 both engines (PostgreSQL if configured)
#   bash scripts/test.sh -k concurrency  extra arguments go to pytest
#   LIAISON_TEST_WORKERS=4 bash scripts/test.sh   pytest-xdist workers (default 2; 0 = off)
set -euo pipefail
cd "$(dirname "$0")/.."
workers="${LIAISON_TEST_WORKERS:-2}"
xdist=()
[ "$workers" != "0" ] && xdist=(-n "$workers")

status=0
run_pytest() {
  # a failed pass still lets the other one run; an interrupted one (Ctrl-C:
  # pytest exits 2, or a signal) stops everything at once
  local rc=0
  "$@" || rc=$?
  if [ "$rc" = 2 ] || [ "$rc" -gt 128 ]; then
    echo "== interrupted" >&2
    exit "$rc"
  fi
  [ "$rc" = 0 ] || status=1
}

echo "== tests on SQLite"
start=$(date +%s)
run_pytest env -u LIAISON_TEST_PG python -m pytest -q "${xdist[@]}" tests "$@"
sqlite_s=$(($(date +%s) - start))
echo "== SQLite suite: ${sqlite_s} s"

# the PostgreSQL pass runs even when the SQLite pass failed: both results count
if [ -n "${LIAISON_TEST_PG:-}" ]; then
  echo "== tests on PostgreSQL"
  start=$(date +%s)
  run_pytest python -m pytest -q "${xdist[@]}" tests "$@"
  pg_s=$(($(date +%s) - start))
  echo "== PostgreSQL suite: ${pg_s} s"
  echo "== times: SQLite ${sqlite_s} s, PostgreSQL ${pg_s} s"
else
  echo "== PostgreSQL skipped: set LIAISON_TEST_PG=postgresql+psycopg://user@host:port/db (or run .ci/run)"
fi
exit "$status"
