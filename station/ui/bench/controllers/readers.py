"""Readers tab: every PC/SC reader, whether a card is in it and its ATR, kept live.

Two sources, because each alone misses something: the app's supervised ``CardMonitor``
(``Workers.card_inserted`` / ``card_removed``) says at once that a card came or went, and a
poll of ``reader_status`` on the card worker fills in the ATR and notices readers that
appear or vanish (a USB reader plugged in).  The poll never queues up behind itself: one
request at a time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from station.errors import StationError
from station.ui.workers import UiContext

POLL_MS = 1000


@dataclass(frozen=True, slots=True)
class ReaderRow:
    """One reader as the tab shows it; ``atr`` is empty when no card (or not known yet)."""

    name: str
    card_present: bool
    atr: bytes = b""


class ReadersController(QObject):
    """Keeps the reader list; ``rows_changed`` carries the whole list each time."""

    rows_changed = Signal(list)  # list[ReaderRow]
    event_logged = Signal(str)  # one line for the event log (already translated)
    failed = Signal(str)  # an error in words (teller text of the StationError)

    def __init__(self, ctx: UiContext, parent: QObject | None = None, poll_ms: int = POLL_MS):
        super().__init__(parent)
        self.ctx = ctx
        self._rows: dict[str, ReaderRow] = {}
        self._pending = False
        self._again = False
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self.refresh)
        ctx.workers.card_inserted.connect(self._on_inserted)
        ctx.workers.card_removed.connect(self._on_removed)

    @property
    def rows(self) -> list[ReaderRow]:
        return [self._rows[name] for name in sorted(self._rows)]

    def start(self) -> None:
        self.refresh()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @Slot()
    def refresh(self) -> None:
        if self._pending:
            self._again = True  # the answer on its way may predate what we just heard
            return
        self._pending = True
        self._again = False
        self.ctx.workers.card.submit("bench.readers", _reader_rows, self._on_status, self._on_error)

    def _on_status(self, rows: list[ReaderRow]) -> None:
        self._pending = False
        self._rows = {r.name: r for r in rows}
        self.rows_changed.emit(self.rows)
        if self._again:
            self.refresh()

    def _on_error(self, error: StationError) -> None:
        self._pending = False
        self._again = False
        self.failed.emit(error.message)

    @Slot(str)
    def _on_inserted(self, reader: str) -> None:
        old = self._rows.get(reader)
        self._rows[reader] = ReaderRow(reader, True, old.atr if old else b"")
        self._log(self.tr("Card inserted: {0}").format(reader))
        self.rows_changed.emit(self.rows)
        self.refresh()  # fetch the ATR

    @Slot(str)
    def _on_removed(self, reader: str) -> None:
        self._rows[reader] = ReaderRow(reader, False)
        self._log(self.tr("Card removed: {0}").format(reader))
        self.rows_changed.emit(self.rows)
        self.refresh()

    def _log(self, text: str) -> None:
        self.event_logged.emit(f"{time.strftime('%H:%M:%S')} {text}")


def _reader_rows() -> list[ReaderRow]:
    """On the card worker: the readers and their cards (no connection is made)."""
    from station.apdu.pcsc import reader_status

    return [ReaderRow(s.name, s.card_present, s.atr) for s in reader_status()]
