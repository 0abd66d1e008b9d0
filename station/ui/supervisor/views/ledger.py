"""Ledger check page: walk the hash chain, replay it, check the witnessed heads."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from station.ui.supervisor.controllers.books import LedgerCheck, LedgerController
from station.ui.supervisor.views.common import Page, StatusLine

SHOWN = 200  # problems listed at most


class LedgerView(Page):
    def __init__(self, ctl: LedgerController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.witness_file = QLabel()
        self.witness_file.setProperty("data", True)  # carries a path
        self.verify_button = QPushButton()
        self.status = StatusLine()
        self.head = QLabel()
        self.head.setWordWrap(True)
        self.problems = QListWidget()
        box = QVBoxLayout(self)
        for w in (self.about, self.witness_file, self.verify_button, self.status, self.head):
            box.addWidget(w)
        box.addWidget(self.problems, 1)
        self.verify_button.clicked.connect(ctl.verify)
        ctl.checked.connect(self.show_check)
        ctl.failed.connect(self.show_failed)
        ctl.busy_changed.connect(self._busy)
        self.retranslate()

    def retranslate(self) -> None:
        self.about.setText(
            self.tr(
                "Every movement is a row of a hash chain. The check walks the chain, replays "
                "it into the state of every blank and compares with the stock, and proves that "
                "every head written to the witness file is still in the chain."
            )
        )
        self.witness_file.setText(
            self.tr("Witness file: %1").replace("%1", str(self.ctl.book.settings.witness_path()))
        )
        self.verify_button.setText(self.tr("&Check the ledger"))

    def show_check(self, c: LedgerCheck) -> None:
        rep = c.report
        problems = ([rep.problem] if rep.problem else []) + rep.mismatches + rep.witness_problems
        self.problems.clear()
        self.problems.addItems(problems[:SHOWN])
        if c.witnessed is not None:
            self.status.say(
                self.tr(
                    "Ledger OK: %1 rows, chain and replay verified, %2 witnessed head(s) found."
                )
                .replace("%1", str(rep.rows))
                .replace("%2", str(rep.witnessed))
            )
            self.head.setText(
                self.tr("Head witnessed: %1 rows, SM3 %2")
                .replace("%1", str(c.witnessed.rows))
                .replace("%2", c.witnessed.head)
            )
        else:
            self.status.say(
                self.tr("LEDGER DOES NOT VERIFY: %n problem(s). Call the auditor.").replace(
                    "%n", str(len(problems))
                ),
                ok=False,
            )
            self.head.setText(
                self.tr("First bad row: %1").replace("%1", str(rep.first_bad_seq or "-"))
            )

    def show_failed(self, _job: str, message: str) -> None:
        self.status.say(message, ok=False)

    def _busy(self, busy: bool) -> None:
        self.verify_button.setEnabled(not busy)
