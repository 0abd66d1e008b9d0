"""Printer tab: a printer by URL — status, moves — and the simulator's faults and remedies.

Every exchange runs on the printer worker.  The connection (an ``EvolisPrinter`` for the
URL in the field) lives on that worker's thread only: opened on first use, dropped when a
command fails (the next one reconnects) or the URL changes.  After every move, fault or
remedy the status is read again in the same job, so the tab never shows the state from
before the button was pressed.  Faults and remedies are the simulator's private
``Xsim`` commands: on a real printer they are refused by the printer itself.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from station.errors import StationError
from station.printer.base import PrinterStatus
from station.ui.workers import UiContext


class Move(enum.StrEnum):
    FEED = "feed"
    CONTACTS = "contacts"
    PRINT = "print"
    EJECT = "eject"
    REJECT = "reject"
    RESET = "reset"


@dataclass(frozen=True)
class PrinterReport:
    """What the tab shows after each command: the status and, for the simulator, what
    is armed; ``error`` is the failed command's message (the status is still fresh)."""

    url: str
    status: PrinterStatus | None
    simulator: bool
    error: str = ""


class _Link:
    """The printer connection; touched only on the printer worker's thread."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.printer: object | None = None
        self.url = ""

    def device(self, url: str):  # type: ignore[no-untyped-def]  # EvolisPrinter, imported late
        from station.printer.evolis import EvolisPrinter

        if not isinstance(self.printer, EvolisPrinter) or self.url != url:
            self.close()
            t = self.timeout
            self.printer = EvolisPrinter(url, timeout=t, move_timeout=t * 6, reset_timeout=t * 3)
            self.url = url
            self.printer.open()
        return self.printer

    def close(self) -> None:
        from station.printer.evolis import EvolisPrinter

        printer, self.printer = self.printer, None
        if isinstance(printer, EvolisPrinter):
            printer._drop()

    def report(self, url: str, error: str = "") -> PrinterReport:
        """Read the status (and the simulator's armed faults) for ``url``."""
        from station.printer.simulator import SIM_FIRMWARE, sim_armed

        try:
            status = self.device(url).status()
        except StationError:
            self.close()
            raise
        simulator = status.firmware.startswith(SIM_FIRMWARE)
        if simulator:
            status = dataclasses.replace(status, armed=tuple(sim_armed(url, timeout=self.timeout)))
        return PrinterReport(url, status, simulator, error)

    def run(self, url: str, action: Callable[[], object]) -> PrinterReport:
        """``action``, then the status whatever happened (a failed move leaves a fault)."""
        try:
            action()
        except StationError as exc:
            self.close()
            try:
                return self.report(url, exc.message)
            except StationError:
                raise exc from None
        return self.report(url)

    def move(self, url: str, move: Move) -> PrinterReport:
        def act() -> None:
            p = self.device(url)
            {
                Move.FEED: p.feed,
                Move.CONTACTS: p.to_contacts,
                Move.PRINT: p.to_print,
                Move.EJECT: p.eject,
                Move.REJECT: p.reject,
                Move.RESET: p.reset,
            }[move]()

        return self.run(url, act)

    def sim(self, url: str, *words: str) -> PrinterReport:
        def act() -> None:
            from station.printer.errors import UnexpectedReply
            from station.printer.simulator import R_OK, sim_control

            reply = sim_control(url, *words, timeout=self.timeout)
            if reply != R_OK:
                raise UnexpectedReply(
                    "模拟器拒绝了该命令 (the simulator refused the command)",
                    detail=f"Xsim;{';'.join(words)}: {reply[:60]!r}",
                )

        return self.run(url, act)


class PrinterController(QObject):
    report_ready = Signal(object)  # PrinterReport
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.url = ctx.settings.printer_url
        self.last: PrinterReport | None = None
        self._link = _Link(ctx.settings.printer_timeout)
        self._busy = 0

    def set_url(self, url: str) -> None:
        url = url.strip()
        if url and url != self.url:
            self.url = url
            self.last = None
            self.refresh()

    def refresh(self) -> None:
        link, url = self._link, self.url
        self._submit("bench.printer.status", lambda: link.report(url))

    def move(self, move: Move) -> None:
        link, url = self._link, self.url
        self._submit(f"bench.printer.{move.value}", lambda: link.move(url, move))

    def fault(self, kind: str, at: int = 1) -> None:
        """Inject a simulator fault (``station printer fault``): ``kind`` from FAULT_KINDS."""
        link, url = self._link, self.url
        self._submit("bench.printer.fault", lambda: link.sim(url, "fault", kind, str(at)))

    def remedy(self, action: str) -> None:
        """The operator's fix at the simulator (``station printer remedy``)."""
        link, url = self._link, self.url
        self._submit("bench.printer.remedy", lambda: link.sim(url, "remedy", action))

    def close(self) -> None:
        self.ctx.workers.printer.submit("bench.printer.close", self._link.close)

    def _submit(self, name: str, fn: Callable[[], PrinterReport]) -> None:
        self._busy += 1
        if self._busy == 1:
            self.busy_changed.emit(True)
        self.ctx.workers.printer.submit(name, fn, self._on_report, self._on_error)

    def _done(self) -> None:
        self._busy -= 1
        if self._busy == 0:
            self.busy_changed.emit(False)

    def _on_report(self, report: PrinterReport) -> None:
        self._done()
        self.last = report
        self.report_ready.emit(report)
        if report.error:
            self.failed.emit(report.error)

    def _on_error(self, error: StationError) -> None:
        self._done()
        self.failed.emit(error.message)
