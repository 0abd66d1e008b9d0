"""APDU round trips per second: in-process, via pcscd + vpcd with our tuned link, and via
pcscd + vpcd with a naive client (no TCP_NODELAY / TCP_QUICKACK, as vsmartcard's vicc).

Run: .venv/bin/python bench/apdu_roundtrip.py   (pcscd must be running: make pcscd)
"""

from __future__ import annotations

import fcntl
import multiprocessing as mp
import os
import statistics
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


def serve_card(tuned: bool, stop) -> None:
    """Child process: the virtual card behind vpcd, as `station emulator serve` runs it."""
    link = VpcdLink(FixedCard(), tuned=tuned).start()
    stop.wait()
    link.stop()


def via_pcscd(tuned: bool, n: int, batches: int, *, separate: bool) -> list[float]:
    """Rates through pcscd, the card served by a thread of this process (as in the tests)
    or by a child process (as `station emulator serve` runs beside a teller's program)."""
    ctx = mp.get_context("spawn")
    stop = ctx.Event()
    child = ctx.Process(target=serve_card, args=(tuned, stop)) if separate else None
    link = None if separate else VpcdLink(FixedCard(), tuned=tuned).start()
    if child is not None:
        child.start()
    try:
        wait_for_card(reader_name(0), 20)
        with PcscTransport(reader_name(0)) as t:
            return [rate(t, n) for _ in range(batches)]
    finally:
        stop.set()
        if child is not None:
            child.join(10)
        if link is not None:
            link.stop()
        wait_for_card(reader_name(0), 10, present=False)


def show(label: str, rates: list[float]) -> float:
    med = statistics.median(rates)
    print(
        f"{label:<22}{med:12,.0f} APDU/s  ({1000 / med:.3f} ms per APDU; "
        f"range {min(rates):,.0f}-{max(rates):,.0f} over {len(rates)} batches)"
    )
    return med


def main() -> None:
    lock_path = Path(os.environ.get("STATION_VPCD_LOCK", "/tmp/station-vpcd.lock"))
    lock_path.touch(exist_ok=True)
    with lock_path.open("r+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        inproc = [rate(VirtualTransport(FixedCard()), 50_000) for _ in range(3)]
        ours = via_pcscd(True, 2_000, 5, separate=False)
        ours_sep = via_pcscd(True, 2_000, 5, separate=True)
        naive = via_pcscd(False, 50, 3, separate=False)
    print(f"{os.cpu_count()} CPUs")
    m_in = show("in-process", inproc)
    m_ours = show("pcscd+vpcd (station)", ours)
    m_sep = show("  card in own process", ours_sep)
    m_naive = show("pcscd+vpcd (naive)", naive)
    print(f"ratio station/naive    {m_ours / m_naive:11,.1f} x   (medians, card thread in-process)")
    print(f"ratio station/naive    {m_sep / m_naive:11,.1f} x   (medians, card in its own process)")
    print(f"ratio in-process/pcscd {m_in / m_ours:11,.1f} x   (medians)")


if __name__ == "__main__":
    main()
