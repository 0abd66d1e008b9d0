"""Stock-in page: choose a manifest, see every card (or every problem with its line), import."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from station.inventory.results import StockInResult
from station.ui.supervisor.controllers.stock import Preview, StockInController
from station.ui.supervisor.models import FilterTable
from station.ui.supervisor.views.common import Page, PathField, StatusLine


class StockInView(Page):
    def __init__(self, ctl: StockInController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.path_label = QLabel()
        self.path = PathField()
        self.path.name_filter = "CSV (*.csv);;* (*)"
        self.preview_button = QPushButton()
        self.import_button = QPushButton()
        self.import_button.setEnabled(False)
        self.cards = FilterTable(self._card_headers)
        self.problems = FilterTable(self._problem_headers)
        self.status = StatusLine()
        top = QHBoxLayout()
        top.addWidget(self.path_label)
        top.addWidget(self.path, 1)
        top.addWidget(self.preview_button)
        split = QSplitter()
        split.addWidget(self.cards)
        split.addWidget(self.problems)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(split, 1)
        box.addWidget(self.status)
        box.addWidget(self.import_button)
        self.preview_button.clicked.connect(self.load)
        self.path.edit.returnPressed.connect(self.load)
        self.import_button.clicked.connect(self.ctl.commit)
        ctl.previewed.connect(self.show_preview)
        ctl.imported.connect(self.show_imported)
        ctl.refused.connect(self.show_refused)
        ctl.busy_changed.connect(self._busy)
        self.retranslate()

    def _card_headers(self) -> list[str]:
        return [
            self.tr("Line"),
            self.tr("Card number"),
            self.tr("Card id code"),
            self.tr("Bank"),
            self.tr("Manufacturer"),
            self.tr("Bank account (masked)"),
            self.tr("Expiry"),
        ]

    def _problem_headers(self) -> list[str]:
        return [self.tr("Line"), self.tr("Problem")]

    def retranslate(self) -> None:
        self.path_label.setText(self.tr("Manifest file"))
        self.path.retranslate()
        self.preview_button.setText(self.tr("&Preview"))
        self.import_button.setText(self.tr("&Import this batch"))
        self.cards.retranslate()
        self.problems.retranslate()

    def load(self) -> None:
        if not self.path.text():
            self.status.say(self.tr("Choose a manifest file first."), ok=False)
            return
        self.import_button.setEnabled(False)
        self.cards.set_rows([])
        self.problems.set_rows([])
        self.status.say(self.tr("Reading the manifest…"))
        self.ctl.load(self.path.text())

    def show_preview(self, p: Preview) -> None:
        self.cards.set_rows(
            [
                (
                    c.line,
                    c.card_number,
                    c.card_id_code,
                    c.bank,
                    c.manufacturer,
                    c.bank_account,
                    c.expiry.isoformat(),
                )
                for c in p.cards
            ]
        )
        if p.ok:
            first = p.cards[0]
            self.status.say(
                self.tr("%n card(s) of bank %1 from maker %2, ready to import.")
                .replace("%n", str(len(p.cards)))
                .replace("%1", first.bank)
                .replace("%2", first.manufacturer)
            )
            self.import_button.setEnabled(True)
            self.import_button.setFocus()
        else:
            self.show_refused(p.problems)

    def show_imported(self, r: StockInResult) -> None:
        self.import_button.setEnabled(False)
        self.status.say(
            self.tr("Imported batch #%1: %n card(s) of %2 into the vault.")
            .replace("%n", str(r.count))
            .replace("%1", str(r.batch_id))
            .replace("%2", r.bank)
        )

    def show_refused(self, lines: tuple[tuple[int, str], ...]) -> None:
        self.import_button.setEnabled(False)
        self.problems.set_rows([(n if n else "", text) for n, text in lines])
        self.status.say(
            self.tr("%n problem(s) in the manifest: nothing was imported.").replace(
                "%n", str(len(lines))
            ),
            ok=False,
        )

    def _busy(self, busy: bool) -> None:
        self.preview_button.setEnabled(not busy)
