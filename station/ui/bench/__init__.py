"""The technician bench: readers, APDU console, profile checker, virtual cards, printer
and face preview, one tab each.

``build_bench(ctx)`` is what the shell calls for the technician role.  Each tab is a view
(layout, translated strings) over a controller (logic, device work through
``ctx.workers``); ``Bench.shutdown()`` stops the reader poll, lets go of the console's and
the printer tab's connections and takes the served virtual cards out of the readers.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QTabWidget, QWidget

from station.ui.bench.controllers.console import ConsoleController
from station.ui.bench.controllers.face import FaceController
from station.ui.bench.controllers.printer import PrinterController
from station.ui.bench.controllers.profiles import ProfileController
from station.ui.bench.controllers.readers import ReadersController
from station.ui.bench.controllers.virtual import VirtualCardsController
from station.ui.bench.views.console import ConsoleView
from station.ui.bench.views.face import FaceView
from station.ui.bench.views.printer import PrinterView
from station.ui.bench.views.profiles import ProfileView
from station.ui.bench.views.readers import ReadersView
from station.ui.bench.views.virtual import VirtualCardsView
from station.ui.workers import UiContext


class Bench(QTabWidget):
    """The bench's tabs; owns its controllers (their parent) and stops them on close."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("technicianBench")
        self.ctx = ctx
        self.readers_ctl = ReadersController(ctx, self)
        self.console_ctl = ConsoleController(ctx, self)
        self.profile_ctl = ProfileController(self)
        self.virtual_ctl = VirtualCardsController(ctx, self)
        self.printer_ctl = PrinterController(ctx, self)
        self.face_ctl = FaceController(ctx, self)

        self.readers_view = ReadersView(self.readers_ctl)
        self.console_view = ConsoleView(self.console_ctl, self.readers_ctl)
        self.profile_view = ProfileView(self.profile_ctl, ctx.settings.profiles_dir)
        self.virtual_view = VirtualCardsView(self.virtual_ctl)
        self.printer_view = PrinterView(self.printer_ctl)
        self.face_view = FaceView(self.face_ctl)
        for view in self.pages():
            self.addTab(view, "")
        self.retranslate()
        self._stopped = False
        self.readers_ctl.start()

    def pages(self) -> list[QWidget]:
        return [
            self.readers_view,
            self.console_view,
            self.profile_view,
            self.virtual_view,
            self.printer_view,
            self.face_view,
        ]

    def retranslate(self) -> None:
        titles = [
            self.tr("Readers"),
            self.tr("APDU console"),
            self.tr("Profiles"),
            self.tr("Virtual cards"),
            self.tr("Printer"),
            self.tr("Face preview"),
        ]
        for i, title in enumerate(titles):
            self.setTabText(i, title)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def shutdown(self) -> None:
        """Stop polling, release the bench's connections, take the virtual cards out."""
        if self._stopped:
            return
        self._stopped = True
        self.readers_ctl.stop()
        self.console_ctl.close()
        self.printer_ctl.close()
        self.virtual_ctl.shutdown()


def build_bench(ctx: UiContext) -> QWidget:
    """The technician bench for the shell (a ``Bench``; call ``shutdown`` when done)."""
    return Bench(ctx)


__all__ = ["Bench", "build_bench"]
