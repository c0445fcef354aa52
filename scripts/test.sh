#!/usr/bin/env bash
# The README's test command: the whole suite on SQLite, then on PostgreSQL when
# LIAISON_TEST_PG names a server (.ci/run starts one).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== tests on SQLite"
start=$(date +%s)
env -u LIAISON_TEST_PG python -m pytest -q -n 2 tests "$@"
echo "== SQLite suite: $(( $(date +%s) - start )) s"
if [ -n "${LIAISON_TEST_PG:-}" ]; then
  echo "== tests on PostgreSQL"
  start=$(date +%s)
  python -m pytest -q -n 2 tests "$@"
  echo "== PostgreSQL suite: $(( $(date +%s) - start )) s"
fi
