"""APDU round trips per second: in-process, via pcscd + vpcd with our tuned link, and via
pcscd + vpcd with a naive client (no TCP_NODELAY / TCP_QUICKACK, as vsmartcard's vicc).

Run: .venv/bin/python bench/apdu_roundtrip.py   (pcscd must be running: make pcscd)
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from station.apdu import Command, VirtualTransport
from station.apdu.pcsc import PcscTransport, wait_for_card
from station.emulator.vpcd import VpcdLink, reader_name

ATR = bytes.fromhex("3B6D000000814A444686605199000001AC")
CMD = Command.from_hex("00B2010C00").with_le(0x12)  # a READ RECORD-sized exchange


class FixedCard:
    """Answers every command with an 18-byte record: measures the path, not the card."""

    atr = ATR
    answer = bytes(range(18)) + b"\x90\x00"

    def power_on(self) -> None: ...
    def power_off(self) -> None: ...
    def reset(self) -> None: ...

    def execute(self, apdu: bytes) -> bytes:
        return self.answer


def rate(transport, n: int) -> float:
    for _ in range(min(20, n)):
        transport.transmit(CMD)
    start = time.perf_counter()
    for _ in range(n):
        transport.transmit(CMD)
    return n / (time.perf_counter() - start)


def via_pcscd(tuned: bool, n: int) -> float:
    link = VpcdLink(FixedCard(), tuned=tuned).start()
    try:
        wait_for_card(reader_name(0), 10)
        with PcscTransport(reader_name(0)) as t:
            return rate(t, n)
    finally:
        link.stop()
        wait_for_card(reader_name(0), 10, present=False)


def main() -> None:
    lock_path = Path(os.environ.get("STATION_VPCD_LOCK", "/tmp/station-vpcd.lock"))
    lock_path.touch(exist_ok=True)
    with lock_path.open("r+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        inproc = rate(VirtualTransport(FixedCard()), 100_000)
        ours = via_pcscd(True, 5_000)
        naive = via_pcscd(False, 100)
    print(f"in-process            {inproc:12,.0f} APDU/s")
    print(f"pcscd+vpcd (station)  {ours:12,.0f} APDU/s  ({1000 / ours:.3f} ms per APDU)")
    print(f"pcscd+vpcd (naive)    {naive:12,.0f} APDU/s  ({1000 / naive:.3f} ms per APDU)")
    print(f"ratio station/naive   {ours / naive:12,.1f} x")
    print(f"ratio in-process/pcscd {inproc / ours:11,.1f} x")


if __name__ == "__main__":
    main()
