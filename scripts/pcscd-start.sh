#!/usr/bin/env bash
# Start a real pcscd (with the vsmartcard vpcd reader driver) unless one is running.
# Never with -a/--apdu: that logs every APDU, PINs included.
set -euo pipefail
if pgrep -x pcscd >/dev/null 2>&1 && [ -S /run/pcscd/pcscd.comm ]; then
    exit 0
fi
if ! command -v pcscd >/dev/null 2>&1 && [ ! -x /usr/sbin/pcscd ]; then
    echo "pcscd is not installed (run: make setup)" >&2
    exit 1
fi
PCSCD=$(command -v pcscd || echo /usr/sbin/pcscd)
mkdir -p /run/pcscd
LOG=${STATION_PCSCD_LOG:-/tmp/station-pcscd.log}
# foreground + our own backgrounding keeps it independent of systemd socket activation
nohup "$PCSCD" --foreground >"$LOG" 2>&1 &
# tests that stop and restart the service only touch a pcscd this script started
echo $! >"${STATION_PCSCD_PIDFILE:-/tmp/station-pcscd.pid}"
for _ in $(seq 1 100); do
    [ -S /run/pcscd/pcscd.comm ] && exit 0
    sleep 0.05
done
echo "pcscd did not come up; see $LOG" >&2
exit 1
