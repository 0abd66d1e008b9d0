"""Readers tab layout: the reader table (name, card, ATR) and the event log."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from station.ui.bench.controllers.readers import ReaderRow, ReadersController
from station.ui.bench.views.base import BenchPage, mono_font


class ReadersView(BenchPage):
    def __init__(self, controller: ReadersController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.title = QLabel()
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("readersTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(controller.refresh)
        self.log_label = QLabel()
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(500)
        self.log.setFont(mono_font())
        self.error = QLabel()
        self.error.setProperty("data", True)  # the core's own words (Chinese first)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.error)
        layout.addWidget(self.log_label)
        layout.addWidget(self.log, 2)

        controller.rows_changed.connect(self.show_rows)
        controller.event_logged.connect(self.log.appendPlainText)
        controller.failed.connect(self.error.setText)
        self.retranslate()
        self.show_rows(controller.rows)

    def retranslate(self) -> None:
        self.title.setText(self.tr("PC/SC readers (updated live)"))
        self.table.setHorizontalHeaderLabels([self.tr("Reader"), self.tr("Card"), self.tr("ATR")])
        self.refresh_button.setText(self.tr("&Refresh"))
        self.log_label.setText(self.tr("Insert / remove events"))
        self.show_rows(self.controller.rows)

    def card_text(self, row: ReaderRow) -> str:
        return self.tr("card present") if row.card_present else self.tr("no card")

    @Slot(list)
    def show_rows(self, rows: list[ReaderRow]) -> None:
        self.error.clear()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(row.name))
            self.table.setItem(i, 1, QTableWidgetItem(self.card_text(row)))
            self.table.setItem(i, 2, QTableWidgetItem(row.atr.hex(" ").upper()))

    def row_texts(self) -> dict[str, tuple[str, str]]:
        """What the table shows, by reader: (card column, ATR column) — for tests."""
        out: dict[str, tuple[str, str]] = {}
        for i in range(self.table.rowCount()):
            cells = [self.table.item(i, c) for c in range(3)]
            if all(c is not None for c in cells):
                out[cells[0].text()] = (cells[1].text(), cells[2].text())  # type: ignore[union-attr]
        return out
