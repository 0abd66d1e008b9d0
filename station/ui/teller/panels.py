"""The panels around the form: face preview, readiness, progress, receipt, the teller's day
and the unfinished jobs found at sign-in.  Layout and wording only; data comes in through
``show_*`` methods from the controller's signals.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, Qt, QTimer
from PySide6.QtGui import QFont, QImage, QPixmap
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from station.issuance.progress import MESSAGES, ProgressEvent
from station.issuance.states import HAPPY_PATH
from station.ui import i18n

STEPS = ("check", "feed", "at_contacts", "identify", *[s.value for s in HAPPY_PATH[2:]], "done")


def data_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setProperty("data", True)
    label.setWordWrap(True)
    return label


def said(zh_en: tuple[str, str] | str) -> str:
    """A core message in the current language: ``(zh, en)`` or ``"中文 (English)"``."""
    english = i18n.current_language() == "en"
    if isinstance(zh_en, tuple):
        return zh_en[1] if english else zh_en[0]
    if english and zh_en.endswith(")") and " (" in zh_en:
        return zh_en[zh_en.index(" (") + 2 : -1]
    return zh_en


class Retranslated(QGroupBox):
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:  # pragma: no cover - overridden
        pass


class FacePreview(Retranslated):
    """The card face as it will be printed (rendered off the UI thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.image = QLabel()
        self.image.setMinimumSize(340, 216)
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note = data_label()
        self.note.setStyleSheet("color: #b00020;")
        box = QVBoxLayout(self)
        box.addWidget(self.image)
        box.addWidget(self.note)
        self.shown: QImage | None = None
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setTitle(self.tr("Card face preview"))

    def show_face(self, image: QImage) -> None:
        self.shown = image
        self.note.clear()
        pix = QPixmap.fromImage(image)
        self.image.setPixmap(pix.scaledToWidth(340, Qt.TransformationMode.SmoothTransformation))

    def show_problem(self, text: str) -> None:
        self.note.setText(said(text))


class ReadinessPanel(Retranslated):
    """Printer ready, ribbon left, blanks per bank in the drawer, the day's count."""

    def __init__(self) -> None:
        super().__init__()
        self.names = [QLabel() for _ in range(4)]
        self.printer, self.ribbon, self.blanks, self.count = (data_label() for _ in range(4))
        grid = QGridLayout(self)
        for i, (n, v) in enumerate(
            zip(self.names, (self.printer, self.ribbon, self.blanks, self.count), strict=True)
        ):
            grid.addWidget(n, i, 0)
            grid.addWidget(v, i, 1)
        self.refresh_button = QPushButton()
        grid.addWidget(self.refresh_button, 4, 0, 1, 2)
        grid.setRowStretch(5, 1)
        self._printer: Any = None
        self._stock: Any = None
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setTitle(self.tr("Readiness"))
        for label, text in zip(
            self.names,
            (
                self.tr("Printer"),
                self.tr("Ribbon left"),
                self.tr("Blanks in drawer"),
                self.tr("Daily count"),
            ),
            strict=True,
        ):
            label.setText(text)
        self.refresh_button.setText(self.tr("Check again (F5)"))
        self.show_printer(self._printer)
        self.show_stock(self._stock)

    def show_printer(self, r: Any) -> None:
        self._printer = r
        if r is None:
            self.printer.setText(self.tr("connecting…"))
            self.ribbon.setText("-")
            return
        if not r.known:
            self.printer.setText(self.tr("not answering") + ": " + said(r.faults))
        elif r.ready:
            self.printer.setText(self.tr("ready"))
        else:
            self.printer.setText(self.tr("not ready") + ": " + r.faults)
        self.ribbon.setText(str(r.ribbon_left) if r.known else "-")
        ok = r.known and r.ready
        self.printer.setStyleSheet("" if ok else "color: #b00020;")

    def show_stock(self, r: Any) -> None:
        self._stock = r
        if r is None:
            self.blanks.setText(self.tr("connecting…"))
            self.count.setText("-")
            return
        parts = [f"{bank} {n}" for bank, n in sorted(r.banks.items())]
        where = f"{r.drawer}: " if r.drawer else ""
        self.blanks.setText(where + ("  ".join(parts) or self.tr("none")))
        if r.count_done and not r.problem:
            self.count.setText(self.tr("done"))
        else:
            self.count.setText(said(r.problem) or self.tr("not done"))
        self.count.setStyleSheet("" if r.count_done and not r.problem else "color: #b00020;")


class ProgressPanel(Retranslated):
    """The job's steps as they happen, with percent and elapsed time."""

    def __init__(self) -> None:
        super().__init__()
        self.steps = QListWidget()
        self.steps.setProperty("data", True)
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.bar = QProgressBar()
        self.elapsed = data_label("0.0 s")
        self.cancel = QPushButton()
        self.cancel.setEnabled(False)
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.elapsed)
        row.addWidget(self.cancel)
        box = QVBoxLayout(self)
        box.addWidget(self.steps)
        box.addLayout(row)
        self.clock = QElapsedTimer()
        self.ticker = QTimer(self)
        self.ticker.setInterval(100)
        self.ticker.timeout.connect(self._tick)
        self.seen: list[str] = []
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setTitle(self.tr("Progress"))
        self.cancel.setText(self.tr("Cancel (Esc)"))

    def start(self) -> None:
        self.steps.clear()
        self.seen.clear()
        self.bar.setValue(0)
        self.clock.start()
        self.ticker.start()
        self.cancel.setEnabled(True)

    def stop(self) -> None:
        self.ticker.stop()
        self.cancel.setEnabled(False)

    def _tick(self) -> None:
        self.elapsed.setText(f"{self.clock.elapsed() / 1000:.1f} s")

    def show_event(self, e: ProgressEvent) -> None:
        self.seen.append(e.step)
        text = f"{e.elapsed:5.1f} s  {said(MESSAGES.get(e.step, (e.zh, e.en)))}"
        item = QListWidgetItem(text)
        if e.step in ("failed", "cancel"):
            item.setForeground(Qt.GlobalColor.red)
        self.steps.addItem(item)
        self.steps.scrollToBottom()
        self.bar.setValue(e.percent)
        if e.step in ("feed", "at_contacts", "identify", "reserve"):
            self.cancel.setEnabled(False)  # past the safe point: the card is inside


class ReceiptPanel(Retranslated):
    """领卡回执: preview, print (Ctrl+P, the default printer), save as PDF."""

    def __init__(self) -> None:
        super().__init__()
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setProperty("data", True)
        self.preview.setFont(QFont("monospace", 9))
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.print_button, self.pdf_button = QPushButton(), QPushButton()
        row = QHBoxLayout()
        row.addWidget(self.print_button)
        row.addWidget(self.pdf_button)
        box = QVBoxLayout(self)
        box.addWidget(self.preview)
        box.addLayout(row)
        self.set_enabled(False)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setTitle(self.tr("Collection receipt"))
        self.print_button.setText(self.tr("Print receipt and hand over (Ctrl+P)"))
        self.pdf_button.setText(self.tr("Save PDF… (Ctrl+Shift+S)"))

    def set_enabled(self, on: bool) -> None:
        self.print_button.setEnabled(on)
        self.pdf_button.setEnabled(on)


class DayPanel(Retranslated):
    """The teller's day: issued, made-up, failed, spoiled."""

    def __init__(self) -> None:
        super().__init__()
        self.names = [QLabel() for _ in range(4)]
        self.values = [data_label("-") for _ in range(4)]
        grid = QGridLayout(self)
        for i, (n, v) in enumerate(zip(self.names, self.values, strict=True)):
            grid.addWidget(n, 0, i)
            grid.addWidget(v, 1, i)
        grid.setRowStretch(2, 1)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setTitle(self.tr("Today"))
        for label, text in zip(
            self.names,
            (self.tr("Issued"), self.tr("Made up"), self.tr("Failed"), self.tr("Spoiled")),
            strict=True,
        ):
            label.setText(text)

    def show_day(self, report: Any) -> None:
        for label, n in zip(
            self.values, (report.issued, report.made_up, report.failed, report.spoiled), strict=True
        ):
            label.setText(str(n))


class UnfinishedPanel(Retranslated):
    """Jobs a crash or a fault left unfinished, with what recovery will do.

    Recover (Ctrl+R) finishes what the printer can; a make-up whose printed card is out of
    the printer needs the card in the desktop reader ``desk_reader``: the panel says so and
    Ctrl+M makes it up there (the chosen job, else the first such) — or, with no desktop
    reader set, says how to set one; the job waits, nothing is lost."""

    def __init__(self, desk_reader: str = "") -> None:
        super().__init__()
        self.desk_reader = desk_reader
        self.rows: list[Any] = []
        self.table = QTableWidget(0, 4)
        self.table.verticalHeader().setVisible(False)
        self.table.currentCellChanged.connect(self._chosen)
        self.recover_button = QPushButton()
        self.makeup_button = QPushButton()
        self.note = data_label()
        self.desk = data_label()  # the make-up in the desktop reader: which job, which reader
        box = QVBoxLayout(self)
        box.addWidget(self.table)
        box.addWidget(self.desk)
        row = QHBoxLayout()
        row.addWidget(self.note, 1)
        row.addWidget(self.makeup_button)
        row.addWidget(self.recover_button)
        box.addLayout(row)
        self.setVisible(False)
        self.retranslateUi()

    def retranslateUi(self) -> None:
        self.setTitle(self.tr("Unfinished jobs"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Job"), self.tr("Application"), self.tr("Left at"), self.tr("Recovery")]
        )
        self.recover_button.setText(self.tr("Recover (Ctrl+R)"))
        self.makeup_button.setText(self.tr("Make-up in the desktop reader (Ctrl+M)"))
        self._show_desk()

    def show_jobs(self, rows: list[Any]) -> None:
        self.rows = list(rows)
        self.table.setRowCount(len(rows))
        for i, u in enumerate(rows):
            for j, text in enumerate(
                (u.job.job_id, u.job.application_id, u.job.state.value, said(u.why))
            ):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self._show_desk()
        self.setVisible(bool(rows))

    def show_problem(self, text: str) -> None:
        self.note.setText(said(text))

    def _desk_rows(self) -> list[Any]:
        return [u for u in self.rows if u.action == "makeup" and u.out_of_printer]

    def desk_job(self) -> Any:
        """The job Ctrl+M makes up in the desktop reader: the chosen row if it is one
        whose card is out of the printer, else the first such; None when none is offered."""
        rows = self._desk_rows()
        if not rows or not self.desk_reader:
            return None
        current = self.table.currentRow()
        if 0 <= current < len(self.rows) and self.rows[current] in rows:
            return self.rows[current].job
        return rows[0].job

    def _chosen(self, *_: int) -> None:
        self._show_desk()

    def _show_desk(self) -> None:
        rows = self._desk_rows()
        job = self.desk_job()
        self.makeup_button.setVisible(job is not None)
        self.makeup_button.setEnabled(job is not None)
        self.desk.setVisible(bool(rows))
        if job is not None:
            self.desk.setText(
                self.tr(
                    "Job %1: the printed card is out of the printer. Put it in the desktop "
                    "reader %2, then press Ctrl+M."
                )
                .replace("%1", job.job_id)
                .replace("%2", self.desk_reader)
            )
        elif rows:
            self.desk.setText(
                self.tr(
                    "A printed card is out of the printer and no desktop reader is set: set "
                    "one in Settings (Desktop reader at the counter) and sign in again. The job "
                    "waits for make-up; nothing is lost."
                )
            )
        else:
            self.desk.clear()
