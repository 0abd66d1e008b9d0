#!/usr/bin/env bash
# The whole check: lint, types, and the test suite against real pcscd+vpcd and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/pcscd-start.sh
if [ -f scripts/pg-start.sh ]; then bash scripts/pg-start.sh; fi
export QT_QPA_PLATFORM=offscreen
# make test is the whole check: a missing pcscd or PostgreSQL fails the tests, never skips them
export CI="${CI:-true}"
.venv/bin/ruff check station tests bench
.venv/bin/ruff format --check station
.venv/bin/mypy station
.venv/bin/lint-imports --no-cache
rc=0
.venv/bin/pytest -q "$@" || rc=$?
if [ "$rc" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure for this project" >&2
    exit 1
fi
exit "$rc"
