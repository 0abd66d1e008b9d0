"""The teller's screen on virtual hardware: the issuance job rig's stock book (a teller with
a counted drawer of pre-made blanks), the printer simulator over TCP whose contact station
is vpcd slot 0, the virtual PSAM in slot 1 — reached by the app's own device workers (the
PSAM through the PSAM worker), all through real pcscd."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtPrintSupport import QPrinter

from station.apdu.pcsc import wait_for_card
from station.config import Settings
from station.emulator.blanks import load_blank, make_blanks
from station.emulator.cards import make_psam
from station.emulator.vpcd import reader_name
from station.inventory.models import Role
from station.inventory.service import Inventory
from station.issuance.journal import Journal
from station.printer.simulator import PrinterSimulator, Timing
from station.profiles import load_card_profile
from tests.inventory.conftest import FAST_HASHER
from tests.issuance.job_rig import PASSWORD, STATION, TELLER, connect_patiently, make_book

WAIT_MS = 60_000
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Counter:
    """The stock book and the printer of one test, before any app runs."""

    root: Path
    url: str
    sim: PrinterSimulator
    sim_url: str
    links: Any
    closers: list[Any] = field(default_factory=list)

    def journal(self) -> Journal:
        inv = Inventory(self.url, password_hasher=FAST_HASHER)
        self.closers.append(inv.engine.dispose)
        return Journal(inv, station=STATION)

    def close(self) -> None:
        for close in reversed(self.closers):
            close()


def make_counter(root: Path, links: Any, banks: dict[str, int]) -> Counter:
    profile = load_card_profile("gen3-sm4-blank")
    sets, manifests = {}, []
    for bank, n in banks.items():
        d = root / f"blanks-{bank}"
        sets[bank] = make_blanks(profile, n, d, bank=bank, manufacturer="M01")
        manifests.append(d / "manifest.csv")
    url = make_book(root, sets, manifests)
    links[1].insert(make_psam("psam-sm4"))
    wait_for_card(reader_name(1), 10)
    every = [b for infos in sets.values() for b in infos]
    sim = PrinterSimulator(
        [(b.card_number, load_blank(b.path)) for b in every],
        chip_slot=links[0],
        out_dir=root / "printed",
        timing=Timing(scale=0),
    )
    counter = Counter(root, url, sim, sim.serve_tcp("127.0.0.1", 0), links)
    counter.closers.append(sim.stop)
    return counter


@dataclass
class Teller:
    screen: Any  # station.ui.teller.TellerScreen
    ctx: Any
    counter: Counter
    qtbot: Any
    receipts: list[Path] = field(default_factory=list)

    def pdf_printer(self) -> QPrinter:
        """The 'default printer' of the test: a PDF file per receipt printed."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        path = self.counter.root / f"receipt-{len(self.receipts) + 1}.pdf"
        printer.setOutputFileName(str(path))
        self.receipts.append(path)
        return printer

    def wait_ready(self) -> None:
        s = self.screen
        self.qtbot.waitUntil(
            lambda: s.readiness._stock is not None and s.readiness._printer is not None,
            timeout=WAIT_MS,
        )

    def close(self) -> None:
        self.screen.shutdown()
        self.ctx.workers.stop_all()


def settings_for(base: Settings, counter: Counter) -> Settings:
    return dataclasses.replace(
        base,
        db_url=counter.url,
        printer_url=counter.sim_url,
        station_id=STATION,
        data_dir=str(counter.root / "data"),
        outlet="DEMO-01",
        printer_timeout=10.0,
        card_reader=reader_name(0),
        psam_reader=reader_name(1),
    )


def open_teller(qtbot: Any, base: Settings, counter: Counter) -> Teller:
    """The teller signed in, the screen built as the shell builds it at sign-in."""
    from station.ui import i18n
    from station.ui.teller import TellerScreen
    from station.ui.workers import DeviceWorker, UiContext, Workers

    i18n.set_language("zh_CN")  # the counter's language

    # a crashed station's PSAM handle may still be held by pcscd for a moment
    connect_patiently(reader_name(1)).disconnect()
    settings = settings_for(base, counter)
    inv = Inventory(counter.url, password_hasher=FAST_HASHER)
    inv.auth.sign_in(TELLER, PASSWORD)
    counter.closers.append(inv.engine.dispose)
    workers = Workers(settings).start()
    ctx = UiContext(settings, workers, TELLER, Role.TELLER, inv)
    ctx.extras["database"] = DeviceWorker("database", workers)
    screen = TellerScreen(ctx)
    qtbot.addWidget(screen)
    teller = Teller(screen, ctx, counter, qtbot)
    screen.printer_factory = teller.pdf_printer
    screen.show()
    teller.wait_ready()
    return teller


def teller_fixture(qtbot: Any, base: Settings, counter: Counter) -> Iterator[Teller]:
    teller = open_teller(qtbot, base, counter)
    try:
        yield teller
    finally:
        teller.close()
