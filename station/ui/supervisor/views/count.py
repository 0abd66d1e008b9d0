"""The daily count wizard: 1 choose the place, 2 type or scan the cards, 3 the result —
with the discrepancy shown card by card and, when it differs, its resolution."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station.inventory.models import CountStatus
from station.inventory.results import CountResult
from station.ui.supervisor import words
from station.ui.supervisor.controllers.stock import CountController
from station.ui.supervisor.models import FilterTable
from station.ui.supervisor.views.common import BAD_STYLE, OK_STYLE, Page, StatusLine


class CountView(Page):
    def __init__(self, ctl: CountController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.step = QLabel()
        self.step.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.pages = QStackedWidget()
        self.pages.addWidget(self._start_page())
        self.pages.addWidget(self._scan_page())
        self.pages.addWidget(self._result_page())
        self.status = StatusLine()
        box = QVBoxLayout(self)
        box.addWidget(self.step)
        box.addWidget(self.pages, 1)
        box.addWidget(self.status)
        ctl.places.connect(self.show_places)
        ctl.started.connect(self.show_started)
        ctl.submitted.connect(self.show_result)
        ctl.resolved.connect(self.show_result)
        ctl.failed.connect(self.show_failed)
        self.retranslate()

    # -- layout ---------------------------------------------------------------------------
    def _start_page(self) -> QWidget:
        page = QWidget()
        self.location_label = QLabel()
        self.location = QComboBox()
        self.location.setProperty("data", True)  # the book's own places, by name
        self.open_label = QLabel()
        self._open: tuple[tuple[int, str], ...] = ()
        self.open_label.setWordWrap(True)
        self.start_button = QPushButton()
        box = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(self.location_label)
        row.addWidget(self.location, 1)
        box.addLayout(row)
        box.addWidget(self.open_label)
        box.addWidget(self.start_button)
        box.addStretch(1)
        self.start_button.clicked.connect(self.start)
        return page

    def _scan_page(self) -> QWidget:
        page = QWidget()
        self.scan_label = QLabel()
        self.scan = QLineEdit()
        self.seen = QListWidget()
        self.seen_label = QLabel()
        self.seen_label.setProperty("data", True)  # carries a count
        self.remove_button = QPushButton()
        self.submit_button = QPushButton()
        box = QVBoxLayout(page)
        box.addWidget(self.scan_label)
        box.addWidget(self.scan)
        box.addWidget(self.seen_label)
        box.addWidget(self.seen, 1)
        row = QHBoxLayout()
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(self.submit_button)
        box.addLayout(row)
        self.scan.returnPressed.connect(self.add_scanned)
        self.remove_button.clicked.connect(self.remove_selected)
        self.submit_button.clicked.connect(self.ctl.submit)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.lines = FilterTable(self._line_headers)
        self.missing_label = QLabel()
        self.missing = FilterTable(self._missing_headers)
        self.missing.model.checkable = True
        self.extra_label = QLabel()
        self.extra = QListWidget()
        self.note_label = QLabel()
        self.note = QLineEdit()
        self.resolve_button = QPushButton()
        self.again_button = QPushButton()
        box = QVBoxLayout(page)
        box.addWidget(self.banner)
        box.addWidget(self.lines, 1)
        box.addWidget(self.missing_label)
        box.addWidget(self.missing, 1)
        box.addWidget(self.extra_label)
        box.addWidget(self.extra)
        row = QHBoxLayout()
        row.addWidget(self.note_label)
        row.addWidget(self.note, 1)
        row.addWidget(self.resolve_button)
        box.addLayout(row)
        box.addWidget(self.again_button)
        self.note.returnPressed.connect(self.resolve)
        self.resolve_button.clicked.connect(self.resolve)
        self.again_button.clicked.connect(self.restart)
        return page

    def _line_headers(self) -> list[str]:
        return [self.tr("Bank"), self.tr("In the book"), self.tr("Counted"), self.tr("Difference")]

    def _missing_headers(self) -> list[str]:
        return [self.tr("Missing card (tick = lost)")]

    def retranslate(self) -> None:
        self._show_step()
        self.location_label.setText(self.tr("Drawer, station or vault to count"))
        self.start_button.setText(self.tr("&Start the count"))
        self.scan_label.setText(
            self.tr("Type or scan each card number on the shelf, then press Enter:")
        )
        self.scan.setPlaceholderText(self.tr("card number(s)"))
        self.remove_button.setText(self.tr("Remove selected"))
        self.submit_button.setText(self.tr("S&ubmit the count"))
        self.missing_label.setText(self.tr("Missing from the shelf:"))
        self.extra_label.setText(self.tr("Found but not booked here:"))
        self.note_label.setText(self.tr("Resolution note"))
        self.resolve_button.setText(self.tr("&Resolve the difference"))
        self.again_button.setText(self.tr("&New count"))
        self._count_seen()
        self._show_places()
        self._show_open()
        self.lines.retranslate()
        self.missing.retranslate()
        if self.ctl.result is not None:
            self._banner(self.ctl.result)

    def _show_step(self) -> None:
        titles = [
            self.tr("Step 1 of 3 — choose the place"),
            self.tr("Step 2 of 3 — the cards on the shelf"),
            self.tr("Step 3 of 3 — the result"),
        ]
        self.step.setText(titles[self.pages.currentIndex()])

    def _go(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._show_step()

    # -- steps ----------------------------------------------------------------------------
    def show_places(self, places: list[str], open_counts: tuple[tuple[int, str], ...]) -> None:
        keep = self.location.currentData()
        self.location.clear()
        for code in places:  # the code in item data; the vault and reject box in words
            self.location.addItem(words.place(code), code)
        if keep in places:
            self.location.setCurrentIndex(self.location.findData(keep))
        self._open = open_counts
        self._show_open()

    def _show_places(self) -> None:
        for i in range(self.location.count()):
            self.location.setItemText(i, words.place(self.location.itemData(i)))

    def _show_open(self) -> None:
        if self._open:
            where = ", ".join(f"#{cid} {words.place(loc)}" for cid, loc in self._open)
            self.open_label.setText(self.tr("Unresolved differences: %1").replace("%1", where))
            self.open_label.setStyleSheet(BAD_STYLE)
        else:
            self.open_label.setText(self.tr("No unresolved differences."))
            self.open_label.setStyleSheet("")

    def start(self) -> None:
        code = self.location.currentData()
        if code:
            self.ctl.start(str(code))

    def show_started(self, count_id: int, location: str) -> None:
        self.seen.clear()
        self._count_seen()
        self.status.say(
            self.tr("Count #%1 at %2 started.")
            .replace("%1", str(count_id))
            .replace("%2", words.place(location))
        )
        self._go(1)
        self.scan.setFocus()

    def add_scanned(self) -> None:
        for number in self.ctl.add(self.scan.text()):
            self.seen.addItem(number)
        self.scan.clear()
        self._count_seen()

    def remove_selected(self) -> None:
        gone = [i.text() for i in self.seen.selectedItems()]
        self.ctl.remove(gone)
        for item in self.seen.selectedItems():
            self.seen.takeItem(self.seen.row(item))
        self._count_seen()

    def _count_seen(self) -> None:
        n = self.seen.count()
        self.seen_label.setText(self.tr("%n card(s) seen").replace("%n", str(n)))

    def show_result(self, r: CountResult) -> None:
        self.lines.set_rows([(b, e, g, g - e) for b, e, g in r.lines])
        self.missing.set_rows([(n,) for n in r.missing])
        self.extra.clear()
        self.extra.addItems(list(r.extra))
        self._banner(r)
        self._go(2)
        differs = r.status is CountStatus.DISCREPANCY
        for w in (self.note, self.resolve_button, self.missing):
            w.setEnabled(differs)
        if differs:
            self.note.setFocus()
        self.ctl.refresh()

    def _banner(self, r: CountResult) -> None:
        missing, extra = len(r.missing), len(r.extra)
        if r.status is CountStatus.MATCHED:
            text, style = self.tr("Count #%1 matches the book."), OK_STYLE
        elif r.status is CountStatus.RESOLVED:
            text, style = self.tr("Count #%1: the difference is resolved."), OK_STYLE
        else:
            text = self.tr("Count #%1 DIFFERS from the book: %2 missing, %3 not booked here.")
            style = BAD_STYLE + " font-size: 15px;"
        text = text.replace("%1", str(r.count_id)).replace("%2", str(missing))
        self.banner.setText(text.replace("%3", str(extra)))
        self.banner.setStyleSheet(style)

    def resolve(self) -> None:
        note = self.note.text().strip()
        if not note:
            self.status.say(self.tr("Write what explains the difference."), ok=False)
            return
        lost = [row[0] for row in self.missing.model.checked_rows()]
        self.ctl.resolve(note, lost)

    def restart(self) -> None:
        self.note.clear()
        self._go(0)
        self.ctl.refresh()

    def show_failed(self, _job: str, message: str) -> None:
        self.status.say(message, ok=False)
