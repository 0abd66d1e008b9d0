"""Shared helpers for the printer tests (a tiny card, a simulator factory)."""

from __future__ import annotations

from pathlib import Path

from station.printer.simulator import BareChip, PrinterSimulator


class TinyCard(BareChip):
    """The smallest CardOS: a fixed ATR and 9000 to everything, recording what it got."""

    def __init__(self, serial_no: int = 1) -> None:
        super().__init__(serial_no)
        self._atr = (
            bytes.fromhex("3B680000") + bytes.fromhex("0073C84013") + serial_no.to_bytes(3, "big")
        )
        self.commands: list[bytes] = []

    def execute(self, apdu: bytes) -> bytes:
        self.commands.append(apdu)
        return super().execute(apdu)


def make_sim(tmp_path: Path, blanks: int = 3, **kw: object) -> PrinterSimulator:
    cards = [(f"tiny-{i}", TinyCard(i)) for i in range(1, blanks + 1)]
    return PrinterSimulator(cards, out_dir=tmp_path / "printed", **kw)  # type: ignore[arg-type]


def serve(sim: PrinterSimulator, link: str) -> str:
    return sim.serve_tcp("127.0.0.1", 0) if link == "tcp" else sim.serve_pty()


# short timeouts: the simulator answers at once (time scale 0), and a power-loss test
# waits one reply timeout by design
FAST = {
    "timeout": 0.3,
    "move_timeout": 1.0,
    "print_timeout": 1.0,
    "reset_timeout": 3.0,
    "quiet": 0.1,
}
