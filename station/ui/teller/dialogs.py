"""The failure dialog: what happened, where the card is, what the teller does next.

Why one dialog for every failure: the teller must always get the same three answers, in
words — the error's own sentence, the card's place (asked from the printer after the
failure, never assumed) and the blank's fate as booked (released to the drawer or spoiled,
with the cause recorded) — and one default action reachable with Enter: retry on a new
blank after a failure, make-up (制卡补登) when the face is already printed.

A printed card out of the printer (or jammed in it, so it comes out by hand) is made up in
the desktop reader at the counter (setting ``desk_reader``): the dialog names the reader
and its make-up reads there (``reader``).  Without one it says how to set it; the job
stays waiting for make-up among the unfinished jobs, its application kept: nothing is lost.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station.inventory import State
from station.issuance.states import JobState, WasteCause
from station.ui.teller.controller import Failure
from station.ui.teller.panels import data_label, said


class Choice(enum.Enum):
    RETRY = "retry"  # a new job on a new blank, linked to the failed one
    MAKEUP = "makeup"  # the face is printed: finish registration, never print again
    REJECT = "reject"  # stop here: the application gets no card now
    CLOSE = "close"  # a refusal before anything was fed: fix the cause first


class FailureDialog(QDialog):
    def __init__(self, failure: Failure, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teller-failure")
        self.failure = failure
        self.choice = Choice.CLOSE
        self.what_label, self.where_label, self.todo_label = QLabel(), QLabel(), QLabel()
        self.what, self.where, self.todo = data_label(), data_label(), data_label()
        self.what.setStyleSheet("color: #b00020; font-weight: bold;")
        self.retry, self.makeup = QPushButton(), QPushButton()
        self.reject_button, self.close_button = QPushButton(), QPushButton()
        box = QVBoxLayout(self)
        for name, value in (
            (self.what_label, self.what),
            (self.where_label, self.where),
            (self.todo_label, self.todo),
        ):
            box.addWidget(name)
            box.addWidget(value)
        row = QHBoxLayout()
        for b in (self.retry, self.makeup, self.reject_button, self.close_button):
            row.addWidget(b)
        box.addLayout(row)
        self.retry.clicked.connect(self._retry)
        self.makeup.clicked.connect(self._makeup)
        self.reject_button.clicked.connect(self._reject)
        self.close_button.clicked.connect(self._close)
        state = failure.outcome.job.state if failure.outcome is not None else None
        self.kind = (
            Choice.MAKEUP
            if state is JobState.MAKEUP_PENDING
            else Choice.RETRY
            if state is JobState.FAILED
            else Choice.CLOSE
        )
        # where the make-up reads the chip: None = in the printer; a name = the desk reader
        self.out_of_printer = self.kind is Choice.MAKEUP and (
            failure.position == "none" or (failure.position is not None and failure.jammed)
        )
        self.reader: str | None = failure.desk_reader if self.out_of_printer else None
        no_desk = self.out_of_printer and not failure.desk_reader
        self.retry.setVisible(self.kind is Choice.RETRY and failure.application is not None)
        self.makeup.setVisible(
            self.kind is Choice.MAKEUP and failure.application is not None and not no_desk
        )
        self.reject_button.setVisible(self.kind is Choice.RETRY)
        default = {Choice.RETRY: self.retry, Choice.MAKEUP: self.makeup}.get(
            self.kind, self.close_button
        )
        if default.isHidden() and default is not self.close_button:
            default = self.close_button
        default.setDefault(True)
        default.setFocus()
        self.retranslateUi()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Issuance failed"))
        self.what_label.setText(self.tr("What happened"))
        self.where_label.setText(self.tr("Where the card is"))
        self.todo_label.setText(self.tr("What to do"))
        self.retry.setText(self.tr("Retry on a new blank (Enter)"))
        if self.reader:
            self.makeup.setText(self.tr("Make-up in the desktop reader (Enter)"))
        else:
            self.makeup.setText(self.tr("Make-up registration (Enter)"))
        self.reject_button.setText(self.tr("Reject: no card now"))
        self.close_button.setText(self.tr("Close"))
        self.what.setText(said(self.failure.error.message) + self._cause())
        self.where.setText(self._where())
        self.todo.setText(self._todo())

    def _cause(self) -> str:
        out = self.failure.outcome
        if out is None or out.job.cause is None:
            return ""
        return " — " + self.tr("cause recorded") + ": " + self.cause_words(out.job.cause)

    def cause_words(self, cause: WasteCause) -> str:
        words = {
            WasteCause.PRINT_FAULT: self.tr("print fault"),
            WasteCause.LAMINATION: self.tr("lamination"),
            WasteCause.PUNCHING: self.tr("punching"),
            WasteCause.DAMAGED_BLANK: self.tr("damaged blank"),
            WasteCause.CHIP_WRITE_FAULT: self.tr("chip write fault"),
            WasteCause.WRONG_BLANK: self.tr("wrong blank"),
            WasteCause.JAM: self.tr("card jam"),
            WasteCause.POWER_LOSS: self.tr("power loss"),
            WasteCause.OPERATOR_CANCEL: self.tr("cancelled by the operator"),
        }
        return words.get(cause, cause.value)

    def _where(self) -> str:
        f = self.failure
        if f.outcome is None:
            return self.tr("No card was fed; the blanks are untouched.")
        if f.position is None:
            return self.tr("Unknown: the printer does not answer. Nothing is booked until it does.")
        if self.kind is Choice.MAKEUP and f.position != "none" and f.jammed:
            return self.tr(
                "Printed, jammed inside the printer: clear the jam and take the card out."
            )
        if f.position != "none" and self.kind is Choice.MAKEUP:  # make-up reads it there
            return self.tr(
                "Printed, still inside the printer: leave it there — make-up reads its chip "
                "in the printer, then ejects it."
            )
        if f.position != "none":
            return self.tr("Still inside the printer: open it and take the card out.")
        if self.kind is Choice.MAKEUP:
            return self.tr("Printed and out of the printer: keep the card at the counter.")
        fate = {
            State.IN_DRAWER: self.tr(
                "In the reject box; its chip holds no personal data — "
                "the blank is booked back to your drawer."
            ),
            State.SPOILED: self.tr(
                "In the reject box; it is booked spoiled — put it in the spoiled-card tray."
            ),
        }
        return fate.get(f.blank_state, self.tr("In the reject box."))  # type: ignore[arg-type]

    def _todo(self) -> str:
        if self.out_of_printer and self.reader:
            return self.tr(
                "Put the card in the desktop reader %1, then press Enter: make-up registration "
                "reads the chip there and finishes the job. The card is never printed twice."
            ).replace("%1", self.reader)
        if self.out_of_printer:
            return self.tr(
                "No desktop reader is set, so the make-up cannot be done here. Set one in "
                "Settings (Desktop reader at the counter) and sign in again: the job stays "
                "among the unfinished jobs, waiting for make-up — nothing is lost."
            )
        if self.kind is Choice.MAKEUP:
            return self.tr(
                "Make-up registration: the chip is read again and the job finished. "
                "The card is never printed twice."
            )
        if self.kind is Choice.RETRY:
            return self.tr(
                "Clear the printer if it says so, then retry on a new blank, or reject to stop."
            )
        return self.tr("Remove the cause shown above, then press Issue again.")

    def _retry(self) -> None:
        self.choice = Choice.RETRY
        self.accept()

    def _makeup(self) -> None:
        self.choice = Choice.MAKEUP
        self.accept()

    def _reject(self) -> None:
        self.choice = Choice.REJECT
        self.accept()

    def _close(self) -> None:
        self.choice = Choice.CLOSE
        self.reject()
