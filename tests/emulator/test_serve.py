"""``station emulator serve`` through the real pcscd + vpcd: a PC/SC program sees the
virtual card, and its writes land in the state file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from station.apdu.command import Command
from station.emulator.state import CardState
from station.profiles import load_profile

pytestmark = pytest.mark.pcsc


def test_serve_presents_the_card(pcscd: list[str], vpcd_lock: None, tmp_path: Path) -> None:
    from station.apdu.pcsc import PcscTransport, wait_for_card
    from station.emulator.vpcd import reader_name

    reader = reader_name(0)
    state = tmp_path / "tech.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "station", "emulator", "serve", "--profile", "gen3-sm4-issued",
         "--state", str(state), "--slot", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )  # fmt: skip
    try:
        atr = wait_for_card(reader, 15.0)
        assert atr == load_profile("gen3-sm4-issued").atr
        t = PcscTransport(reader)
        t.connect()
        try:
            fci = t.send(Command.from_hex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF"))
            assert fci.data[-1] == 0x03  # SM4
            rsp = t.transmit(Command.from_hex("00B2072C00"))  # 6Cxx fixed by the Transport
            assert rsp.ok and rsp.data == bytes.fromhex("0709") + b"A00000011"
            assert t.transmit(Command.from_hex("0020000003000000")).sw == 0x63C5
        finally:
            t.disconnect()
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "Virtual PCD 00 00" in out
    assert CardState.load(state).pin_tries == 5  # the wrong PIN was persisted
    wait_for_card(reader, 10.0, present=False)
