"""The teller's screen on virtual hardware: the issuance job rig's stock book (a teller with
a counted drawer of pre-made blanks), the printer simulator over TCP whose contact station
is vpcd slot 0, the virtual PSAM in slot 1 — reached by the app's own device workers (the
PSAM through the PSAM worker), all through real pcscd."""

from __future__ import annotations

import atexit
import dataclasses
import datetime as dt
import functools
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcutEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QWidget

from station.apdu.pcsc import wait_for_card
from station.config import Settings
from station.emulator.blanks import BlankInfo, load_blank, make_blanks
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


@functools.cache
def _book_template(
    banks: tuple[tuple[str, int], ...], day: dt.date
) -> tuple[Path, dict[str, list[BlankInfo]]]:
    """Blanks and their stock book (counted on ``day``), made once per test session: the
    book alone takes about half a second.  Each counter works on a copy."""
    root = Path(tempfile.mkdtemp(prefix="teller-book-"))
    atexit.register(shutil.rmtree, root, True)
    profile = load_card_profile("gen3-sm4-blank")
    sets, manifests = {}, []
    for bank, n in banks:
        d = root / f"blanks-{bank}"
        sets[bank] = make_blanks(profile, n, d, bank=bank, manufacturer="M01")
        manifests.append(d / "manifest.csv")
    make_book(root, sets, manifests)
    return root, sets


def make_counter(root: Path, links: Any, banks: dict[str, int]) -> Counter:
    """The book and the blanks copied from the session's template (a blank's chip
    state is written back to its file, so no two tests share one)."""
    template, made = _book_template(tuple(banks.items()), dt.date.today())
    shutil.copytree(template, root, dirs_exist_ok=True)
    url = f"sqlite:///{root / 'book.db'}"
    sets = {
        bank: [dataclasses.replace(b, path=root / b.path.relative_to(template)) for b in infos]
        for bank, infos in made.items()
    }
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


# the keys that only modify another: pressing one alone is not an action
MODIFIER_KEYS = frozenset(
    {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_Meta, Qt.Key.Key_AltGr}
)


def focused() -> QWidget:
    """The widget with the keyboard focus, where a key goes (a test fails without one)."""
    w = QApplication.focusWidget()
    assert w is not None, "no widget has the keyboard focus"
    return w


class InputCounter(QObject):
    """The teller's input, counted while installed on the application (``with``): each
    key pressed that reaches a widget or a shortcut (a modifier alone is not an action),
    and each mouse button pressed.  A key that triggers a shortcut arrives as one
    ``Shortcut`` event to the ``QShortcut`` (named by its objectName); an input event that
    propagates from a widget to its parents passes this filter once per receiver and is
    counted once (the same event object until its release)."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []
        self.mouse = 0
        self._current: tuple[QEvent.Type, int] | None = None

    def __enter__(self) -> InputCounter:
        QApplication.instance().installEventFilter(self)
        return self

    def __exit__(self, *exc: object) -> None:
        QApplication.instance().removeEventFilter(self)

    def _first(self, event: QEvent) -> bool:
        seen = (event.type(), shiboken6.getCppPointer(event)[0])
        first, self._current = seen != self._current, seen
        return first

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.KeyRelease, QEvent.Type.MouseButtonRelease):
            self._current = None
        elif kind == QEvent.Type.Shortcut and isinstance(event, QShortcutEvent):
            self.keys.append(f"{event.key().toString()} {watched.objectName()}".strip())
        elif not isinstance(watched, QWidget):  # a window's copy of a widget's event
            pass
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() not in MODIFIER_KEYS and self._first(event):
                self.keys.append(QKeySequence(event.keyCombination()).toString())
        elif kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            if self._first(event):
                self.mouse += 1
        return False


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
