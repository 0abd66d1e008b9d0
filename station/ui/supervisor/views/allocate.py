"""Allocation page: the stock by place, bank and state; send blanks from the vault."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from station.inventory.results import StockLine
from station.ui.supervisor import words
from station.ui.supervisor.controllers.stock import AllocateController
from station.ui.supervisor.models import FilterTable
from station.ui.supervisor.views.common import Page, StatusLine


class AllocateView(Page):
    def __init__(self, ctl: AllocateController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.stock_label = QLabel()
        self.stock = FilterTable(self._headers, words={0: words.place, 2: words.state})
        self.location = QComboBox()
        self.bank = QComboBox()
        for combo in (self.location, self.bank):
            combo.setProperty("data", True)  # the book's own places and banks, by name
        self.count = QSpinBox()
        self.count.setRange(1, 10_000)
        self.count.setValue(50)
        self.allocate_button = QPushButton()
        self.refresh_button = QPushButton()
        self.status = StatusLine()
        self.labels = [QLabel(), QLabel(), QLabel()]
        self.form = QFormLayout()
        for label, field in zip(self.labels, (self.location, self.bank, self.count), strict=True):
            self.form.addRow(label, field)
        box = QVBoxLayout(self)
        box.addWidget(self.stock_label)
        box.addWidget(self.stock, 1)
        box.addWidget(self.refresh_button)
        box.addLayout(self.form)
        box.addWidget(self.allocate_button)
        box.addWidget(self.status)
        self.allocate_button.clicked.connect(self.allocate)
        self.refresh_button.clicked.connect(ctl.refresh)
        ctl.loaded.connect(self.show_stock)
        ctl.allocated.connect(self.show_allocated)
        ctl.failed.connect(self.show_failed)
        ctl.busy_changed.connect(self._busy)
        self.retranslate()

    def _headers(self) -> list[str]:
        return [self.tr("Location"), self.tr("Bank"), self.tr("State"), self.tr("Cards")]

    def retranslate(self) -> None:
        self.stock_label.setText(self.tr("Stock now, by location, bank and state"))
        texts = (self.tr("To drawer or station"), self.tr("Bank"), self.tr("Number of blanks"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.allocate_button.setText(self.tr("&Allocate from the vault"))
        self.refresh_button.setText(self.tr("&Refresh"))
        self.stock.retranslate()

    def show_stock(self, lines: tuple[StockLine, ...], places: list[str], banks: list[str]) -> None:
        self.stock.set_rows([(x.location or "", x.bank, x.state.value, x.count) for x in lines])
        for combo, items in ((self.location, places), (self.bank, banks)):
            keep = combo.currentText()
            combo.clear()
            combo.addItems(items)
            if keep in items:
                combo.setCurrentText(keep)

    def allocate(self) -> None:
        if not self.location.currentText() or not self.bank.currentText():
            self.status.say(self.tr("Choose a location and a bank."), ok=False)
            return
        self.ctl.allocate(self.location.currentText(), self.bank.currentText(), self.count.value())

    def show_allocated(self, location: str, numbers: list[str]) -> None:
        text = (
            self.tr("%n blank(s) allocated to %1")
            .replace("%n", str(len(numbers)))
            .replace("%1", location)
        )
        if numbers:
            text += f": {numbers[0]} … {numbers[-1]}"
        self.status.say(text)

    def _busy(self, busy: bool) -> None:
        self.allocate_button.setEnabled(not busy)

    def show_failed(self, _job: str, message: str) -> None:
        self.status.say(message, ok=False)
