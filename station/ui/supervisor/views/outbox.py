"""Outbox page: registrations not yet exported, the exported batches, export a batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from station.ui.supervisor import words
from station.ui.supervisor.controllers.books import OutboxController
from station.ui.supervisor.models import FilterTable
from station.ui.supervisor.views.common import Page, PathField, StatusLine


class OutboxView(Page):
    def __init__(self, ctl: OutboxController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.pending_label = QLabel()
        self.pending_label.setProperty("data", True)  # carries a count
        self.pending = FilterTable(self._headers, words={1: words.result})
        self.batches_label = QLabel()
        self.batches = QListWidget()
        self.batch_label = QLabel()
        self.batch = FilterTable(self._headers, words={1: words.result})
        self.dir_label = QLabel()
        self.directory = PathField(directory=True)
        self.directory.edit.setText(str(Path(ctl.book.settings.data_dir) / "outbox"))
        self.export_button = QPushButton()
        self.again_button = QPushButton()
        self.refresh_button = QPushButton()
        self.status = StatusLine()
        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.addWidget(self.pending_label)
        lbox.addWidget(self.pending, 1)
        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.addWidget(self.batches_label)
        rbox.addWidget(self.batches, 1)
        rbox.addWidget(self.batch_label)
        rbox.addWidget(self.batch, 2)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        row = QHBoxLayout()
        row.addWidget(self.dir_label)
        row.addWidget(self.directory, 1)
        for b in (self.export_button, self.again_button, self.refresh_button):
            row.addWidget(b)
        box = QVBoxLayout(self)
        box.addWidget(split, 1)
        box.addLayout(row)
        box.addWidget(self.status)
        self.export_button.clicked.connect(self.export)
        self.again_button.clicked.connect(self.export_again)
        self.refresh_button.clicked.connect(ctl.refresh)
        self.batches.currentTextChanged.connect(self._pick)
        ctl.loaded.connect(self.show_lists)
        ctl.batch_loaded.connect(self.show_batch)
        ctl.exported.connect(self.show_exported)
        ctl.failed.connect(self.show_failed)
        self.retranslate()

    def _headers(self) -> list[str]:
        return [
            self.tr("Job"),
            self.tr("Result"),
            self.tr("Name"),
            self.tr("ID number (masked)"),
            self.tr("Card number"),
            self.tr("Bank"),
            self.tr("Operator"),
            self.tr("Finished (UTC)"),
        ]

    def retranslate(self) -> None:
        self.pending_label.setText(
            self.tr("Pending registrations: %n").replace("%n", str(self.pending.model.rowCount()))
        )
        self.batches_label.setText(self.tr("Exported batches"))
        self.batch_label.setText(self.tr("Records of the chosen batch"))
        self.dir_label.setText(self.tr("Export folder"))
        self.directory.retranslate()
        self.export_button.setText(self.tr("&Export a new batch"))
        self.again_button.setText(self.tr("Export chosen batch a&gain"))
        self.refresh_button.setText(self.tr("&Refresh"))
        self.pending.retranslate()
        self.batch.retranslate()

    def show_lists(self, pending: list[tuple[Any, ...]], batches: list[str]) -> None:
        self.pending.set_rows(pending)
        keep = self.batches.currentItem().text() if self.batches.currentItem() else ""
        self.batches.clear()
        self.batches.addItems(batches)
        for i in range(self.batches.count()):
            if self.batches.item(i).text() == keep:
                self.batches.setCurrentRow(i)
        self.retranslate()

    def _pick(self, batch_id: str) -> None:
        if batch_id:
            self.ctl.show_batch(batch_id)

    def show_batch(self, _batch_id: str, rows: list[tuple[Any, ...]]) -> None:
        self.batch.set_rows(rows)

    def export(self) -> None:
        if self.directory.text():
            self.ctl.export(self.directory.text())

    def export_again(self) -> None:
        item = self.batches.currentItem()
        if item is not None and self.directory.text():
            self.ctl.export(self.directory.text(), item.text())

    def show_exported(self, info: Any) -> None:
        if info is None:
            self.status.say(self.tr("Nothing pending: no batch was made."))
            return
        self.status.say(
            self.tr("Batch %1: %n record(s) written to %2")
            .replace("%n", str(info.count))
            .replace("%1", info.batch_id)
            .replace("%2", str(info.path))
        )

    def show_failed(self, _job: str, message: str) -> None:
        self.status.say(message, ok=False)
