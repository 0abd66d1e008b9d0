"""The station's own time per instant-issued card (issue 11 acceptance).

N cards go through the real job runner: a SQLite stock book, the printer simulator over
TCP (mechanics at speed 0, no printed-card pictures saved), the blanks' chips and the
virtual PSAM through real pcscd + vpcd.  Per card the wall time is split into the time
spent inside printer calls (the device: the simulator's work and its TCP round trips;
its mechanical time is 0 at speed 0), the waits for pcscd to notice a card, the time the
virtual chips spend handling commands (the blank's and the PSAM's ``execute``: the card's
own crypto and its EEPROM, which the emulator keeps in a file fsynced on every write — on
a shared disk about 5 ms per UPDATE, some 100 ms a card; a real chip's EEPROM write is the
card's time too) and the rest, which is the station's own: journal commits, stock
movements, building and sending every APDU and the PSAM's MACs, comparing the read-back,
the PIN, rendering the face.  Printed: medians (also the figure with the chips' time left
in), and the station's share of a real printer's ~23.5 s per card.

Run: .venv/bin/python bench/issuance.py [--cards 50]   (pcscd must be running)
"""

from __future__ import annotations

import argparse
import fcntl
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REAL_PRINTER_S = 23.5  # a real YMCKO printer with chip encoding, per card
TARGET_MS = 150.0


class TimedPrinter:
    """Wraps a printer: every call's wall time counts as device time."""

    def __init__(self, printer: Any) -> None:
        self._printer = printer
        self.device_s = 0.0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._printer, name)
        if not callable(attr):
            return attr

        def timed(*a: Any, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return attr(*a, **kw)
            finally:
                self.device_s += time.perf_counter() - t0

        return timed


def _time_presence_waits() -> list[float]:
    """Time the runner's waits for pcscd to notice a card arrive or leave: vpcd is polled
    every 0.4 s (a real encoder's reader reports by interrupt), so this is the virtual
    reader's latency, not the station's work.  Returns the running total (seconds)."""
    import station.issuance.contacts as contacts_module
    import station.issuance.job as job_module

    total = [0.0]

    def timed(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*a: Any, **kw: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                total[0] += time.perf_counter() - t0

        return wrapper

    job_module.wait_for_card = timed(job_module.wait_for_card)  # type: ignore[assignment]
    contacts_module.wait_for_arrival = timed(contacts_module.wait_for_arrival)  # type: ignore[assignment]
    return total


class ChipClock:
    """Time inside the virtual chips' own command handling (the blank's and the PSAM's
    ``execute``, run on the vpcd link threads of this process while the station waits
    for the answer): the card's work — its crypto and its EEPROM, which the emulator
    persists to a file with fsync on every write — not the station's."""

    def __init__(self) -> None:
        self.s = 0.0
        self._lock = threading.Lock()

    def wrap(self, card: Any) -> Any:
        execute = card.execute

        def timed(apdu: bytes) -> bytes:
            t0 = time.perf_counter()
            try:
                return cast(bytes, execute(apdu))
            finally:
                with self._lock:
                    self.s += time.perf_counter() - t0

        card.execute = timed
        return card


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=50)
    args = parser.parse_args()

    from station.crypto.provider import PsamKeyProvider
    from station.emulator.blanks import load_blank, make_blanks
    from station.emulator.cards import make_psam
    from station.emulator.vpcd import VpcdLink, reader_name, slot_port
    from station.issuance.job import IssuanceJob
    from station.issuance.journal import Journal
    from station.printer.evolis import EvolisPrinter
    from station.printer.simulator import PrinterSimulator, Timing
    from station.profiles import load_card_profile
    from tests.inventory.conftest import FAST_HASHER
    from tests.issuance.job_rig import (
        PASSWORD,
        STATION,
        TELLER,
        application,
        connect_patiently,
        make_book,
        put_in_reader,
    )

    lock_path = Path(os.environ.get("STATION_VPCD_LOCK", "/tmp/station-vpcd.lock"))
    lock_path.touch(exist_ok=True)
    with lock_path.open("r+") as lock, tempfile.TemporaryDirectory() as tmp:
        fcntl.flock(lock, fcntl.LOCK_EX)
        root = Path(tmp)
        profile = load_card_profile("gen3-sm4-blank")
        blanks = make_blanks(profile, args.cards, root / "blanks", bank="ICBC", manufacturer="M01")
        url = make_book(root, {"ICBC": blanks}, [root / "blanks" / "manifest.csv"])
        from station.inventory.service import Inventory

        inv = Inventory(url, password_hasher=FAST_HASHER)
        inv.auth.sign_in(TELLER, PASSWORD)
        journal = Journal(inv, station=STATION)
        chip_link = VpcdLink(port=slot_port(0)).start()
        psam_link = VpcdLink(port=slot_port(1)).start()
        closers: list[Callable[[], None]] = [psam_link.stop, chip_link.stop]
        try:
            chips = ChipClock()
            put_in_reader(psam_link, chips.wrap(make_psam("psam-sm4")), 1)
            psam = connect_patiently(reader_name(1))
            closers.append(psam.disconnect)
            sim = PrinterSimulator(
                [(b.card_number, chips.wrap(load_blank(b.path))) for b in blanks],
                chip_slot=chip_link,
                timing=Timing(scale=0),
            )
            closers.append(sim.stop)
            printer = EvolisPrinter(sim.serve_tcp("127.0.0.1", 0), timeout=5, move_timeout=10)
            printer.open()
            closers.append(printer.close)
            timed = TimedPrinter(printer)
            waits = _time_presence_waits()
            runner = IssuanceJob(
                journal, timed, reader_name(0), PsamKeyProvider(psam), profile, TELLER
            )  # type: ignore[arg-type]
            walls: list[float] = []
            device: list[float] = []
            presence: list[float] = []
            chip: list[float] = []
            with_chip: list[float] = []
            own: list[float] = []
            for n in range(args.cards):
                app = application(n + 1)
                timed.device_s = 0.0
                waits[0] = 0.0
                chips.s = 0.0
                t0 = time.perf_counter()
                out = runner.run(app)
                wall = time.perf_counter() - t0
                if not out.ok:
                    print(f"card {n + 1}: {out.job.state.value} {out.error}", file=sys.stderr)
                    return 1
                walls.append(wall)
                device.append(timed.device_s)
                presence.append(waits[0])
                chip.append(chips.s)
                with_chip.append(wall - timed.device_s - waits[0])
                own.append(with_chip[-1] - chips.s)
        finally:
            for close in reversed(closers):
                close()
    med = statistics.median(own) * 1000
    print(f"cards issued through pcscd + vpcd + simulator over TCP: {args.cards}")
    print(f"median wall per card:          {statistics.median(walls) * 1000:8.1f} ms")
    print(f"median inside printer calls:   {statistics.median(device) * 1000:8.1f} ms")
    waited = statistics.median(presence) * 1000
    print(f"median waiting for pcscd (vpcd polled every 0.4 s): {waited:8.1f} ms")
    in_chips = statistics.median(chip) * 1000
    print(f"median inside the virtual chips (their crypto, EEPROM fsyncs): {in_chips:8.1f} ms")
    print(
        f"median station + virtual chips (the virtual chips' time not subtracted): "
        f"{statistics.median(with_chip) * 1000:8.1f} ms"
    )
    print(f"median station's own per card:   {med:8.1f} ms (target < {TARGET_MS:.0f} ms)")
    print(
        f"share of a real printer's {REAL_PRINTER_S} s per card: {med / 10 / REAL_PRINTER_S:.2f} %"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
