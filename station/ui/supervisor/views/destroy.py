"""Destruction page: the spoiled blanks, ticked ones destroyed once a second person —
signing in inside the dialog with their own password — witnesses it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.inventory.results import BlankInfo
from station.ui.supervisor import words
from station.ui.supervisor.controllers.stock import DestroyController
from station.ui.supervisor.models import FilterTable
from station.ui.supervisor.views.common import Page, SecretField, StatusLine


class WitnessDialog(QDialog):
    """The second signer: another person signs in here; nothing is kept after ``accept``."""

    def __init__(self, operator: str, cards: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("witnessDialog")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.operator = operator
        self.cards = cards
        self.what = QLabel()
        self.what.setWordWrap(True)
        self.name = QLineEdit()
        self.password = SecretField()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        # our own buttons: a standard button's text comes from Qt's catalogue, not ours
        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.name_label, self.password_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.name_label, self.name)
        form.addRow(self.password_label, self.password)
        box = QVBoxLayout(self)
        box.addWidget(self.what)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.name.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.accept)
        self.retranslate()
        self.name.setFocus()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Second signer"))
        self.what.setText(
            self.tr("Destroy %n card(s). A second person (not %1) signs in to witness it.")
            .replace("%n", str(self.cards))
            .replace("%1", self.operator)
        )
        self.name_label.setText(self.tr("Witness operator ID"))
        self.password_label.setText(self.tr("Witness password"))
        self.ok_button.setText(self.tr("Witness"))
        self.cancel_button.setText(self.tr("Cancel"))

    def reject(self) -> None:
        self.password.clear()
        super().reject()


class DestroyView(Page):
    def __init__(self, ctl: DestroyController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.dialog: WitnessDialog | None = None
        self.heading = QLabel()
        self.table = FilterTable(self._headers, words={2: words.cause})
        self.table.model.checkable = True
        self.all_button = QPushButton()
        self.reason_label = QLabel()
        self.reason = QLineEdit()
        self.destroy_button = QPushButton()
        self.status = StatusLine()
        row = QHBoxLayout()
        row.addWidget(self.all_button)
        row.addWidget(self.reason_label)
        row.addWidget(self.reason, 1)
        row.addWidget(self.destroy_button)
        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addWidget(self.table, 1)
        box.addLayout(row)
        box.addWidget(self.status)
        self.all_button.clicked.connect(self.tick_all)
        self.destroy_button.clicked.connect(self.ask_witness)
        ctl.loaded.connect(self.show_blanks)
        ctl.destroyed.connect(self.show_destroyed)
        ctl.failed.connect(self.show_failed)
        self.retranslate()

    def _headers(self) -> list[str]:
        return [self.tr("Card number"), self.tr("Bank"), self.tr("Cause"), self.tr("Job")]

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Spoiled blanks in the reject box (tick the ones to destroy)"))
        self.all_button.setText(self.tr("Tick &all"))
        self.reason_label.setText(self.tr("Reason"))
        self.reason.setPlaceholderText(self.tr("e.g. shredded in front of both signers"))
        self.destroy_button.setText(self.tr("&Destroy ticked…"))
        self.table.retranslate()

    def show_blanks(self, blanks: list[BlankInfo]) -> None:
        self.table.set_rows(
            [(b.card_number, b.bank, b.reason or "", b.job_id or "") for b in blanks]
        )

    def tick_all(self) -> None:
        self.table.model.set_all_checked(True)

    def ticked(self) -> list[str]:
        return [str(r[0]) for r in self.table.model.checked_rows()]

    def ask_witness(self) -> None:
        cards = self.ticked()
        if not cards:
            self.status.say(self.tr("Tick the cards to destroy first."), ok=False)
            return
        self.dialog = WitnessDialog(self.ctl.book.operator, len(cards), self)
        self.dialog.accepted.connect(self._witnessed)
        self.dialog.open()  # window-modal, not a nested event loop

    def _witnessed(self) -> None:
        d = self.dialog
        if d is None:
            return
        problem = self.ctl.check_witness(d.name.text())
        if problem:
            d.password.clear()
            text = (
                self.tr("Enter the witness's operator ID.")
                if problem == "empty"
                else self.tr("The witness must be another person than you.")
            )
            self.status.say(text, ok=False)
            return
        self.status.say(self.tr("Signing the witness in…"))
        self.ctl.destroy(self.ticked(), d.name.text(), d.password.take(), self.reason.text())

    def show_destroyed(self, destruction_id: int, cards: int) -> None:
        self.status.say(
            self.tr("%n card(s) destroyed, record #%1, signed by two people.")
            .replace("%n", str(cards))
            .replace("%1", str(destruction_id))
        )

    def show_failed(self, _job: str, message: str) -> None:
        self.status.say(message, ok=False)
