#!/usr/bin/env bash
# Start the local PostgreSQL cluster the inventory tests and bench use, and make sure the
# test role and database exist.  Idempotent: when the server already answers for the test
# role it returns at once.  Needs root (or sudo) only when it has to start or create things.
#
#   scripts/pg-start.sh            -> postgresql+psycopg://station:station@127.0.0.1:5432/station_test
#
# Environment: PG_VERSION (15), PG_CLUSTER (main), PG_PORT (5432), STATION_PG_DB (station_test).
set -euo pipefail

PG_VERSION_SET=${PG_VERSION:-}
PG_VERSION=${PG_VERSION:-15}
PG_CLUSTER=${PG_CLUSTER:-main}
PG_PORT=${PG_PORT:-5432}
DB=${STATION_PG_DB:-station_test}
ROLE=station
PASS=station
URL="postgresql+psycopg://${ROLE}:${PASS}@127.0.0.1:${PG_PORT}/${DB}"

# fast path: already running and reachable as the test role
if command -v psql >/dev/null 2>&1 &&
    PGPASSWORD=$PASS PGCONNECT_TIMEOUT=3 psql -h 127.0.0.1 -p "$PG_PORT" -U "$ROLE" -d "$DB" \
        -tAc 'SELECT 1' >/dev/null 2>&1; then
    echo "$URL"
    exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
    SUDO="sudo -n"
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "pg-start: installing postgresql via apt" >&2
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
fi
# the newest installed server, unless PG_VERSION was given
if [ -z "$PG_VERSION_SET" ] && [ -d /usr/lib/postgresql ]; then
    newest=$(ls /usr/lib/postgresql | sort -n | tail -1)
    [ -n "$newest" ] && PG_VERSION=$newest
fi

if ! pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" \
    '$1==v && $2==c {found=1} END {exit !found}'; then
    echo "pg-start: creating cluster $PG_VERSION/$PG_CLUSTER" >&2
    $SUDO pg_createcluster "$PG_VERSION" "$PG_CLUSTER" -p "$PG_PORT" >&2
fi

status=$(pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1==v && $2==c {print $4}')
if [ "$status" != "online" ]; then
    $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start >&2
fi

# wait (bounded) for the server to accept connections
for _ in $(seq 1 60); do
    if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then
        break
    fi
    sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$PG_PORT" || { echo "pg-start: server did not come up" >&2; exit 1; }

as_postgres() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -tA "$@"
    else
        sudo -n -u postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -tA "$@"
    fi
}

if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname='${ROLE}'")" != "1" ]; then
    as_postgres -c "CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASS}'" >/dev/null
fi
if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname='${DB}'")" != "1" ]; then
    as_postgres -c "CREATE DATABASE ${DB} OWNER ${ROLE}" >/dev/null
fi

echo "$URL"
