"""The main job (`station demo`) runs end to end through real pcscd + vpcd, the printer
simulator over TCP and a SQLite stock book, and leaves its artefacts behind."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.pcsc


def test_demo_runs_end_to_end(pcscd, vpcd_lock, tmp_path):
    out = tmp_path / "demo"
    proc = subprocess.run(
        [sys.executable, "-m", "station", "demo", "--time-scale", "0", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "真伪 genuine: yes" in text
    assert "wrong PIN, 5 tries left" in text
    assert "verify new PIN: OK, tries left 6" in text
    assert "chip written and read back: 欧阳示例" in text
    assert "issued 1" in text and "= closing 2" in text
    assert "hash chain intact" in text
    for name in ("receipt-pin-reset.pdf", "face-preview.png", "printed/card-0001.png"):
        assert (out / name).stat().st_size > 0
    # the issued holder's PIN was never chosen by the demo, and the profile's initial PIN
    # must not be on screen, in the receipt or in the trace
    from station.profiles import load_profile

    pin = load_profile("gen3-sm4-issued").pin.value
    assert pin
    for blob in (
        text,
        proc.stderr,
        (out / "receipt-pin-reset.txt").read_text(encoding="utf-8"),
        (out / "trace-pin-service.txt").read_text(encoding="utf-8"),
    ):
        assert pin not in blob
