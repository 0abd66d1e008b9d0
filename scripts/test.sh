#!/usr/bin/env bash
# The whole check: lint, types, and the test suite against real pcscd+vpcd and PostgreSQL.
#
# The suite runs as two pytest processes side by side, one per core: the PC/SC tests
# (marked ``pcsc``, also automatically for any test using the pcscd/vpcd fixtures; they
# share vpcd's two slots, so they run one at a time) and all the other tests.  The second
# process's report is printed after the first's.  STATION_TEST_SERIAL=1 runs one process.
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

if [ "${STATION_TEST_SERIAL:-0}" = 1 ]; then
    rc=0
    .venv/bin/pytest -q "$@" || rc=$?
    if [ "$rc" -eq 5 ]; then
        echo "pytest collected no tests: that is a failure for this project" >&2
        exit 1
    fi
    exit "$rc"
fi

runs=$(mktemp -d /tmp/station-tests.XXXXXX)
trap 'rm -rf "$runs"' EXIT
start=$(date +%s)
rc_other=0
# a command started with & by a script ignores SIGINT, and so would every station command
# its tests start (the Ctrl-C tests would fail): give the background run the default back
.venv/bin/python -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
    .venv/bin/pytest -q -m "not pcsc" --basetemp="$runs/other" "$@" >"$runs/other.log" 2>&1 &
other=$!
rc_pcsc=0
echo "== PC/SC tests (the other tests run beside them; their report follows)"
.venv/bin/pytest -q -m pcsc --basetemp="$runs/pcsc" "$@" || rc_pcsc=$?
wait "$other" || rc_other=$?
echo "== the other tests"
cat "$runs/other.log"
echo "== make test: pytest took $(($(date +%s) - start)) s (PC/SC rc $rc_pcsc, other rc $rc_other)"
if [ "$rc_pcsc" -eq 5 ] && [ "$rc_other" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure for this project" >&2
    exit 1
fi
# a group with nothing selected (rc 5) is fine when the other one ran
for rc in "$rc_pcsc" "$rc_other"; do
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then exit "$rc"; fi
done
exit 0
