"""The supervisor's stock screens: stock-in, allocation, the daily count, destruction,
reports, the ledger check, the registers and the registration outbox — one tab each.

``build_supervisor(ctx)`` is what the shell calls for the supervisor (and, with the tabs
an auditor may use, for the auditor).  It needs the stock book the operator signed in to
(``ctx.inventory``) and runs every call on one database worker: the shell's
(``ctx.extras["database"]``) when it shares it, else one of its own, stopped by
``shutdown``.  Each tab is a view (layout, translated strings) over a controller (logic).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from station.inventory.models import Role
from station.ui.supervisor.controllers.base import Book
from station.ui.supervisor.controllers.books import (
    LedgerController,
    OutboxController,
    RegistryController,
    ReportsController,
)
from station.ui.supervisor.controllers.stock import (
    AllocateController,
    CountController,
    DestroyController,
    StockInController,
)
from station.ui.supervisor.views.allocate import AllocateView
from station.ui.supervisor.views.count import CountView
from station.ui.supervisor.views.destroy import DestroyView
from station.ui.supervisor.views.ledger import LedgerView
from station.ui.supervisor.views.outbox import OutboxView
from station.ui.supervisor.views.registry import RegistryView
from station.ui.supervisor.views.reports import ReportsView
from station.ui.supervisor.views.stockin import StockInView
from station.ui.workers import DeviceWorker, UiContext

AUDITOR_TABS = ("count", "reports", "ledger")


class Supervisor(QTabWidget):
    """The stock tabs over one ``Book``; controllers are children, views the pages."""

    def __init__(self, book: Book, role: Role = Role.SUPERVISOR, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("supervisor")
        self.book = book
        self._own_worker: DeviceWorker | None = None
        self.stockin = StockInView(StockInController(book, self))
        self.allocation = AllocateView(AllocateController(book, self))
        self.counting = CountView(CountController(book, self))
        self.destruction = DestroyView(DestroyController(book, self))
        self.reports = ReportsView(ReportsController(book, self))
        self.ledger = LedgerView(LedgerController(book, self))
        self.registry = RegistryView(RegistryController(book, self))
        self.outbox = OutboxView(OutboxController(book, self))
        self.pages: dict[str, QWidget] = {
            "stockin": self.stockin,
            "allocate": self.allocation,
            "count": self.counting,
            "destroy": self.destruction,
            "reports": self.reports,
            "ledger": self.ledger,
            "registry": self.registry,
            "outbox": self.outbox,
        }
        for key, page in self.pages.items():
            if role is Role.SUPERVISOR or key in AUDITOR_TABS:
                page.setProperty("tab", key)
                self.addTab(page, "")
            else:  # not this role's: kept hidden inside, so it dies with the screen (a
                # page without a parent outlived its controllers and crashed the collector)
                page.setParent(self)
                page.hide()
        self.retranslate()
        self.refresh()

    def refresh(self) -> None:
        """Load every list (each on the database worker)."""
        if self.indexOf(self.allocation) >= 0:
            self.allocation.ctl.refresh()
            self.destruction.ctl.refresh()
            self.registry.ctl.refresh()
            self.outbox.ctl.refresh()
        self.counting.ctl.refresh()

    def retranslate(self) -> None:
        titles = {
            "stockin": self.tr("Stock-in"),
            "allocate": self.tr("Allocation"),
            "count": self.tr("Daily count"),
            "destroy": self.tr("Destruction"),
            "reports": self.tr("Reports"),
            "ledger": self.tr("Ledger check"),
            "registry": self.tr("Users and places"),
            "outbox": self.tr("Outbox"),
        }
        for i in range(self.count()):
            w = self.widget(i)
            if w is not None:
                self.setTabText(i, titles.get(str(w.property("tab")), ""))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def shutdown(self) -> None:
        if self._own_worker is not None:
            self._own_worker.stop()
            self._own_worker = None


class NoBook(QLabel):
    """Shown when no stock book is open (no database configured, or not signed in)."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.tr("No stock book is open — sign in as a supervisor with a database."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def build_supervisor(ctx: UiContext) -> QWidget:
    """The stock screens for the signed-in supervisor (or auditor) of ``ctx``."""
    if ctx.inventory is None or not ctx.operator:
        holder = QWidget()
        QVBoxLayout(holder).addWidget(NoBook())
        return holder
    worker = ctx.extras.get("database")
    own = None
    if not isinstance(worker, DeviceWorker):
        worker = own = DeviceWorker("database")
    book = Book(ctx.inventory, ctx.operator, worker, ctx.settings)
    screen = Supervisor(book, ctx.role or Role.SUPERVISOR)
    if own is not None:
        own.setParent(screen)
        screen._own_worker = own
    return screen


__all__ = ["Book", "Supervisor", "build_supervisor"]
