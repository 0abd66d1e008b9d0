#!/usr/bin/env bash
# Everything a fresh Debian machine needs for station: system packages, a .venv, the package.
# Idempotent and quick when nothing changed.  Run as root (or with sudo available) for apt.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
    swig libpcsclite-dev pcscd vsmartcard-vpcd   # pyscard build + real PC/SC with a virtual reader
    postgresql                                    # multi-station inventory tests
    fonts-noto-cjk fonts-wqy-microhei             # CJK fonts for card faces, receipts and the UI (Noto preferred)
    xvfb xauth                                    # real windows for UI screenshots
    libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0  # Qt's xcb
    libxcb-xkb1 libxkbcommon-x11-0 libxcb-image0 libxcb-render-util0 libxcb-cursor0  # plugin
    libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0  # Qt offscreen
    procps openssl fontconfig                     # pgrep (pcscd-start), openssl (SM2 interop test), fc-match/fc-list (fonts)
    python3-venv
)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing system packages: ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
stamp=.venv/.station-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "installing station and its Python dependencies into .venv"
    log=$(mktemp)
    if ! { .venv/bin/pip install -q --upgrade pip && .venv/bin/pip install -q -e '.[dev]'; } >"$log" 2>&1; then
        cat "$log" >&2
        rm -f "$log"
        exit 1
    fi
    rm -f "$log"
    echo "$want" > "$stamp"
fi

# the desktop app's translations: .qm compiled from the committed .ts sources (only when a
# .ts is newer than its .qm, so running setup again does nothing)
for ts in station/ui/i18n/*.ts; do
    [ -e "$ts" ] || continue
    qm="${ts%.ts}.qm"
    if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
        .venv/bin/pyside6-lrelease -silent "$ts" -qm "$qm"
    fi
done
