"""The teller's instant issuance (issue 13 #1): ``build_teller(ctx)`` gives the screen.

The screen is the applicant form beside the live face preview and the readiness panel,
the job's progress under them, then the receipt and the teller's day; unfinished jobs found
at sign-in sit on top until recovered (Ctrl+R; a printed card out of the printer is made up
in the desktop reader with Ctrl+M).  The happy path needs two keys once the form is
filled: Ctrl+Enter (Issue) and Ctrl+P (print the receipt, hand the card over — the form
empties for the next applicant); from an empty form no mouse either (Enter moves on, Ctrl+O
opens the photo's file dialog, Ctrl+G the rare-character helper).  Everything slow runs
in ``TellerController`` off the UI thread; this module only wires views to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.errors import StationError
from station.issuance.application import Application
from station.issuance.job import Outcome
from station.ui.teller import form_logic
from station.ui.teller.controller import Failure, Recovery, TellerController
from station.ui.teller.dialogs import Choice, FailureDialog
from station.ui.teller.form_view import ApplicantForm
from station.ui.teller.panels import (
    DayPanel,
    FacePreview,
    ProgressPanel,
    ReadinessPanel,
    ReceiptPanel,
    UnfinishedPanel,
    data_label,
    said,
)
from station.ui.workers import UiContext

PREVIEW_DELAY_MS = 150  # the face is rendered once typing pauses


class TellerScreen(QWidget):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teller")
        self.ctl = TellerController(ctx, self)
        self.form = ApplicantForm()
        self.face = FacePreview()
        self.readiness = ReadinessPanel()
        self.progress = ProgressPanel()
        self.receipt = ReceiptPanel()
        self.day = DayPanel()
        self.unfinished = UnfinishedPanel(ctx.settings.desk_reader)
        self.issue_button = QPushButton()
        self.issue_button.setEnabled(False)
        self.message = data_label()
        self.banks: dict[str, int] = {}
        self.app: Application | None = None
        self.last: Outcome | None = None
        self.dialog: FailureDialog | None = None
        self.printer_factory: Callable[[], QPrinter] = QPrinter  # the default printer
        self.preview_timer = QTimer(self)
        self.preview_timer.setSingleShot(True)
        self.preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._lay_out()
        self._connect()
        self.retranslateUi()
        self.form.reset(form_logic.new_application_id())
        self.ctl.refresh()
        self.ctl.load_unfinished()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.addWidget(self.unfinished, 0, 0, 1, 3)
        grid.addWidget(self.form, 1, 0, 3, 1)
        grid.addWidget(self.face, 1, 1)
        grid.addWidget(self.readiness, 1, 2)
        side = QVBoxLayout()
        side.addWidget(self.issue_button)
        side.addWidget(self.message)
        side.addWidget(self.progress)
        grid.addLayout(side, 2, 1, 1, 2)
        grid.addWidget(self.receipt, 3, 1)
        grid.addWidget(self.day, 3, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 3)
        grid.setColumnStretch(2, 2)

    def _connect(self) -> None:
        c = self.ctl
        for name, keys, slot in (
            ("issue", "Ctrl+Return", self.issue),
            ("issue", "Ctrl+Enter", self.issue),
            ("receipt", "Ctrl+P", self.receipt.print_button.click),
            ("receipt-pdf", "Ctrl+Shift+S", self.receipt.pdf_button.click),
            ("recover", "Ctrl+R", self.unfinished.recover_button.click),
            ("desk-makeup", "Ctrl+M", self.unfinished.makeup_button.click),
            ("rare-character", "Ctrl+G", self.form.rare.click),
            ("photo", "Ctrl+O", self.form.choose_photo.click),
            ("cancel", "Esc", self.progress.cancel.click),
            ("refresh", "F5", self.readiness.refresh_button.click),
        ):
            # keys work wherever the focus is inside the screen (the window need not be
            # the active one, as with a button's own shortcut)
            sc = QShortcut(QKeySequence(keys), self)
            sc.setObjectName(name)  # what the key does, for a count of the teller's keys
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        self.issue_button.clicked.connect(self.issue)
        self.form.changed.connect(self.validate)
        self.form.photo_file.connect(c.crop_photo)
        self.preview_timer.timeout.connect(self._preview)
        c.photo.connect(self.form.set_photo)
        c.photo_problem.connect(self._photo_problem)
        c.face.connect(self.face.show_face)
        c.face_problem.connect(self.face.show_problem)
        c.printer_ready.connect(self.readiness.show_printer)
        c.stock_ready.connect(self._stock)
        c.day.connect(self.day.show_day)
        c.progress.connect(self.progress.show_event)
        c.issued.connect(self._issued)
        c.failed.connect(self._failed)
        c.unfinished.connect(self.unfinished.show_jobs)
        c.recovered.connect(self._recovered)
        c.busy_changed.connect(self._busy)
        self.readiness.refresh_button.clicked.connect(c.refresh)
        self.progress.cancel.clicked.connect(c.cancel)
        self.receipt.print_button.clicked.connect(self.print_receipt)
        self.receipt.pdf_button.clicked.connect(self.pdf_dialog)
        self.unfinished.recover_button.clicked.connect(c.recover)
        self.unfinished.makeup_button.clicked.connect(self.makeup_unfinished)
        c.unfinished_problem.connect(self._unfinished_problem)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
            self.validate()  # the rules' words under the fields, in the language now chosen
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.issue_button.setText(self.tr("Issue card (Ctrl+Enter)"))

    # -- the form -------------------------------------------------------------------------
    def _stock(self, r: Any) -> None:
        self.readiness.show_stock(r)
        self.banks = dict(r.banks)
        self.form.set_banks(self.banks)
        self.validate()

    def validate(self) -> Application | None:
        """Check each field as typed; the Issue key works only on a valid application."""
        values = self.form.values()
        problems = form_logic.check_fields(values, self.banks)
        self.form.show_problems({k: said(v) for k, v in problems.items()})
        self.app = None
        if not any(problems.values()):
            try:
                self.app = form_logic.build_application(values)
            except StationError as exc:
                self.message.setText(said(exc.message))
        if self.app is not None:
            self.message.clear()
            self.preview_timer.start()
        self.issue_button.setEnabled(self.app is not None and not self.ctl.running)
        return self.app

    def _preview(self) -> None:
        if self.app is not None:
            self.ctl.preview(self.app)

    def _photo_problem(self, text: str) -> None:
        self.form.show_problems({"photo": said(text)})

    # -- issue ----------------------------------------------------------------------------
    def issue(self) -> None:
        app = self.validate()
        if app is None or self.ctl.running:
            return
        self.last = None
        self.receipt.preview.clear()
        self.receipt.set_enabled(False)
        self.progress.start()
        self.ctl.issue(app)

    def _busy(self, busy: bool) -> None:
        self.issue_button.setEnabled(not busy and self.app is not None)
        self.form.setEnabled(not busy)
        if not busy:
            self.progress.stop()

    def _issued(self, out: Outcome) -> None:
        self.last = out
        if self.unfinished.isVisible():  # a make-up of an unfinished job: list them again
            self.ctl.load_unfinished()
        self.message.setText(said(("制卡完成，请打印回执并交卡", "card issued: print the receipt")))
        self.show_receipt(out.receipt)
        self.receipt.print_button.setFocus()

    def show_receipt(self, path: Path | None) -> None:
        from station.textfile import read_utf8

        if path is None or not path.exists():
            return
        try:
            text = read_utf8(path, StationError, "回执", "receipt")
        except StationError as exc:
            self.message.setText(said(exc.message))
            return
        self.receipt.preview.setPlainText(text)
        self.receipt.set_enabled(True)

    def _failed(self, failure: Failure) -> None:
        self.dialog = FailureDialog(failure, self)
        self.dialog.finished.connect(self._chosen)
        self.dialog.open()

    def _chosen(self, _result: int) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is None:
            return
        f = dialog.failure
        dialog.deleteLater()
        if dialog.choice is Choice.RETRY and f.application is not None:
            self.progress.start()
            self.ctl.issue(f.application)
        elif dialog.choice is Choice.MAKEUP and f.application is not None and f.outcome:
            self.progress.start()
            self.ctl.makeup(f.outcome.job.job_id, f.application, reader=dialog.reader)
        elif dialog.choice is Choice.REJECT and f.application is not None:
            form_logic.forget_application(self.ctl.kept_dir, f.application.application_id)
            self.form.reset(form_logic.new_application_id())

    def makeup_unfinished(self) -> None:
        """Ctrl+M: the unfinished job whose printed card is out of the printer (the one
        chosen in the list, else the first) made up in the desktop reader."""
        job = self.unfinished.desk_job()
        if job is None or self.ctl.running:
            return
        self.last = None
        self.progress.start()
        self.ctl.makeup_unfinished(job)

    def _unfinished_problem(self, text: str) -> None:
        self.progress.stop()
        self.unfinished.show_problem(text)

    def _recovered(self, done: list[Recovery]) -> None:
        notes = []
        for r in done:
            notes.append(f"{r.job.job_id}: {r.job.state.value} {r.note}".strip())
            if r.job.made_up:
                path = self.ctl.out_dir / "receipts" / f"receipt-{r.job.job_id}.txt"
                self.show_receipt(path)
        self.unfinished.note.setText("\n".join(notes))
        self.ctl.load_unfinished()

    # -- receipt --------------------------------------------------------------------------
    def print_to(self, printer: QPrinter) -> None:
        doc = QTextDocument()
        doc.setDefaultFont(QFont("monospace", 10))
        doc.setPlainText(self.receipt.preview.toPlainText())
        doc.print_(printer)

    def print_receipt(self) -> None:
        """Print the receipt on the default printer: the card is handed over and the form
        empties for the next applicant."""
        if not self.receipt.preview.toPlainText():
            return
        self.print_to(self.printer_factory())
        self.receipt.set_enabled(False)
        self.message.setText(said(("回执已打印，卡已交付", "receipt printed, card handed over")))
        self.form.reset(form_logic.new_application_id())
        self.handed_over = True

    handed_over = False

    def pdf_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save receipt as PDF"), "receipt.pdf", "PDF (*.pdf)"
        )
        if name:
            self.save_pdf(Path(name))

    def save_pdf(self, path: Path) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        self.print_to(printer)

    def shutdown(self) -> None:
        self.ctl.shutdown()


class NoTellerBook(QLabel):
    """Shown when no stock book is open (no database, or nobody signed in)."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.retranslateUi()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.setText(self.tr("No stock book is open — sign in as a teller with a database."))


def build_teller(ctx: UiContext) -> QWidget:
    """The issuance screen for the signed-in teller of ``ctx``."""
    if ctx.inventory is None or not ctx.operator:
        holder = QWidget()
        QVBoxLayout(holder).addWidget(NoTellerBook())
        return holder
    return TellerScreen(ctx)


__all__ = ["TellerScreen", "build_teller"]
