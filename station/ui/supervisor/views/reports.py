"""Reports page: the kind, the days, the table, and the CSV / PDF export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station.ui.supervisor import words
from station.ui.supervisor.controllers.books import Report, ReportKind, ReportsController
from station.ui.supervisor.models import FilterTable
from station.ui.supervisor.views.common import Page, PathField, StatusLine

# the columns of each report that hold the book's codes, shown as words
WORDS: dict[ReportKind, dict[int, words.Words]] = {
    ReportKind.BALANCE: {1: words.place, 12: words.yes_no},
    ReportKind.SPOILED_BY_CAUSE: {0: words.cause},
    ReportKind.WASTE_RATE: {},
    ReportKind.DESTROYED: {1: words.action, 4: words.place},
    ReportKind.IDLE: {2: words.place},
}


class ReportsView(Page):
    def __init__(self, ctl: ReportsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.kind = QComboBox()
        for k in ReportKind:
            self.kind.addItem("", k)  # the enum in item data; only labels are translated
        today = ctl.book.inv.today()
        self.first, self.last = QDateEdit(), QDateEdit()
        for d in (self.first, self.last):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.setDate(QDate(today.year, today.month, today.day))
        self.idle = QSpinBox()
        self.idle.setRange(1, 3650)
        self.idle.setValue(30)
        self.labels = [QLabel() for _ in range(4)]
        self.show_button = QPushButton()
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold;")
        self.table = FilterTable(self._headers)
        self.out = PathField(save=True)
        self.out.edit.setText(str(Path(ctl.book.settings.data_dir) / "reports" / "report.csv"))
        self.csv_button, self.pdf_button = QPushButton(), QPushButton()
        self.status = StatusLine()
        top = QHBoxLayout()
        for label, w in zip(self.labels[:3], (self.kind, self.first, self.last), strict=True):
            top.addWidget(label)
            top.addWidget(w)
        top.addWidget(self.labels[3])
        top.addWidget(self.idle)
        top.addWidget(self.show_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.out, 1)
        bottom.addWidget(self.csv_button)
        bottom.addWidget(self.pdf_button)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.title)
        box.addWidget(self.table, 1)
        box.addLayout(bottom)
        box.addWidget(self.status)
        self.show_button.clicked.connect(self.make)
        self.kind.currentIndexChanged.connect(self.make)
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button.clicked.connect(self.export_pdf)
        ctl.shown.connect(self.show_report)
        ctl.exported.connect(self.show_exported)
        ctl.failed.connect(self.show_failed)
        self.retranslate()

    def _headers(self) -> list[str]:
        r = self.ctl.report
        kind = r.kind if r is not None else ReportKind.BALANCE
        heads = {
            ReportKind.BALANCE: [
                self.tr("Day"),
                self.tr("Location"),
                self.tr("Bank"),
                self.tr("Opening"),
                self.tr("Received"),
                self.tr("Sent"),
                self.tr("Issued"),
                self.tr("Spoiled"),
                self.tr("Returned"),
                self.tr("Destroyed"),
                self.tr("Lost"),
                self.tr("Closing"),
                self.tr("Balanced"),
            ],
            ReportKind.SPOILED_BY_CAUSE: [self.tr("Cause"), self.tr("Cards"), self.tr("Share")],
            ReportKind.WASTE_RATE: [
                self.tr("Bank"),
                self.tr("Issued"),
                self.tr("Spoiled"),
                self.tr("Waste rate"),
            ],
            ReportKind.DESTROYED: [
                self.tr("At (UTC)"),
                self.tr("Action"),
                self.tr("Card number"),
                self.tr("Bank"),
                self.tr("Location"),
                self.tr("By"),
                self.tr("Witness"),
                self.tr("Job"),
                self.tr("Reason"),
                self.tr("Reference"),
            ],
            ReportKind.IDLE: [
                self.tr("Card number"),
                self.tr("Bank"),
                self.tr("Location"),
                self.tr("Since (UTC)"),
                self.tr("Days"),
            ],
        }
        return heads[kind]

    def retranslate(self) -> None:
        names = {
            ReportKind.BALANCE: self.tr("Daily balance"),
            ReportKind.SPOILED_BY_CAUSE: self.tr("Spoiled by cause"),
            ReportKind.WASTE_RATE: self.tr("Waste rate"),
            ReportKind.DESTROYED: self.tr("Destroyed"),
            ReportKind.IDLE: self.tr("Idle blanks"),
        }
        for i in range(self.kind.count()):
            self.kind.setItemText(i, names[self.kind.itemData(i)])
        for label, text in zip(
            self.labels,
            (self.tr("Report"), self.tr("From"), self.tr("To"), self.tr("Idle over (days)")),
            strict=True,
        ):
            label.setText(text)
        self.show_button.setText(self.tr("&Show"))
        self.csv_button.setText(self.tr("Export &CSV"))
        self.pdf_button.setText(self.tr("Export P&DF"))
        self.out.retranslate()
        self.table.retranslate()

    def make(self) -> None:
        kind = self.kind.currentData()
        first = self.first.date().toPython()
        last = self.last.date().toPython()
        self.ctl.make(kind, first, last, self.idle.value())  # type: ignore[arg-type]

    def show_report(self, r: Report) -> None:
        self.title.setText(r.title)
        self.table.model.words = dict(WORDS[r.kind])
        self.table.set_rows(r.rows)
        self.table.model.retranslate()
        self.status.say(self.tr("%n row(s).").replace("%n", str(len(r.rows))))

    def _export(self, fmt: str) -> None:
        path = self.out.text()
        if not path:
            self.status.say(self.tr("Choose where to write the report."), ok=False)
            return
        self.ctl.export(str(Path(path).with_suffix("." + fmt)), fmt)

    def export_csv(self) -> None:
        self._export("csv")

    def export_pdf(self) -> None:
        self._export("pdf")

    def show_exported(self, path: str) -> None:
        self.status.say(self.tr("Written: %1").replace("%1", path))

    def show_failed(self, _job: str, message: str) -> None:
        self.status.say(message, ok=False)
