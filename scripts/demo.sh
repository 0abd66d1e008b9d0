#!/usr/bin/env bash
# The main job: bring up real PC/SC with virtual cards and run the station demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/pcscd-start.sh
if [ -f scripts/pg-start.sh ]; then bash scripts/pg-start.sh >/dev/null || true; fi
exec .venv/bin/station demo "$@"
