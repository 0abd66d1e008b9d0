"""In-process virtual card speed: APDUs per second, raw (card.execute) and through the
VirtualTransport (what tests and technician sessions use).  Target: >= 20,000 APDU/s.

Run: .venv/bin/python bench/virtual_card.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

from station.apdu.command import Command
from station.apdu.virtual import VirtualTransport
from station.emulator.cards import make_card

TARGET = 20_000
MIX = [
    "00A404000F7378312E73682EC9E7BBE1B1A3D5CF",  # SELECT SSSE (clears rights)
    "00B2072C0B",  # READ RECORD EF05 card number
    "00B2012D40",  # READ RECORD EF05 all records
    "0084000008",  # GET CHALLENGE
    "0020000000",  # VERIFY probe (tries left)
    "00B2072C00",  # READ RECORD Le=00 -> 6C0B
]


def _rate(fn: Callable[[], None], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - start)


def measure(name: str, n: int = 30_000) -> tuple[float, float]:
    """(raw, via transport) APDU/s over the command mix for one profile."""
    card = make_card(name)
    card.power_on()
    raws = [bytes.fromhex(a) for a in MIX]
    cmds = [Command.from_hex(a) for a in MIX]
    transport = VirtualTransport(card)
    transport.connect()
    counter = [0, 0]

    def raw_step() -> None:
        card.execute(raws[counter[0] % len(raws)])
        counter[0] += 1

    def transport_step() -> None:
        transport.transmit(cmds[counter[1] % len(cmds)], fix_le=False)
        counter[1] += 1

    raw_step()
    transport_step()
    return _rate(raw_step, n), _rate(transport_step, n)


def main() -> None:
    for name in ("gen3-sm4-issued", "gen2-3des-issued"):
        raw, via = measure(name)
        print(f"{name}: card.execute {raw:,.0f} APDU/s ({raw / TARGET:.1f}x target {TARGET:,})")
        print(f"{name}: VirtualTransport {via:,.0f} APDU/s ({via / TARGET:.1f}x target {TARGET:,})")


if __name__ == "__main__":
    main()
