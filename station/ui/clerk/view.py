"""The clerk's PIN services screen: layout and wiring only; the logic is ``ClerkController``.

Keyboard first: the tab order follows the form, Enter in the last PIN field runs the
service, and every action has a shortcut (F5 read again, Ctrl+P print, Ctrl+S PDF).

The PIN entries come from the ``pin_entry`` factory (default: the on-screen ``PinField``)
and are used only through the ``PinEntry`` interface: the screen places their widgets,
listens to their notifications and hands them to the controller, which takes the digits.
A PIN pad implementing ``PinEntry`` replaces the fields without a change here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont, QKeySequence, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.card.receipt import Receipt
from station.ui.clerk.controller import CardView, ClerkController
from station.ui.pin_entry import PinEntry, PinField, same_pin
from station.ui.workers import UiContext


def _data(label: QLabel) -> QLabel:
    """A label that shows card data (not a translatable string)."""
    label.setProperty("data", True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class ClerkView(QWidget):
    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        *,
        pin_entry: Callable[[], PinEntry] = PinField,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clerk")
        self.controller = ClerkController(ctx, self)
        self._pin_entry = pin_entry
        # one printer for the screen: the print dialog starts from the clerk's last choice
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.shown: Receipt | None = None  # the receipt in the preview
        self._to_print: Receipt | None = None  # the receipt of the open print dialog
        self._build_card()
        self._build_services()
        self._build_receipt_and_day()
        self.status = _data(QLabel())
        self.status.setWordWrap(True)

        grid = QGridLayout(self)
        grid.addWidget(self.card_box, 0, 0)
        grid.addWidget(self.tabs, 0, 1)
        grid.addWidget(self.receipt_box, 1, 0)
        grid.addWidget(self.day_box, 1, 1)
        grid.addWidget(self.status, 2, 0, 1, 2)

        self._wire()
        self.retranslateUi()
        self.clear_card()

    def _build_card(self) -> None:
        c = self.controller
        # -- card -------------------------------------------------------------------------
        self.card_box = QGroupBox()
        form = QFormLayout(self.card_box)
        self.row_labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in ("holder", "ssn", "number", "kind", "expiry", "genuine", "tries"):
            self.row_labels[key] = QLabel()
            self.values[key] = QLabel()
            form.addRow(self.row_labels[key], self.values[key])
        for key in ("holder", "ssn", "number", "kind"):
            _data(self.values[key])
        self.read_button = QPushButton()
        self.read_button.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.read_button.clicked.connect(c.read)
        form.addRow(self.read_button)

    def _build_services(self) -> None:
        # -- services ---------------------------------------------------------------------
        self.tabs = QTabWidget()
        # change
        self.change_page = QWidget()
        cf = QFormLayout(self.change_page)
        new_entry = self._pin_entry
        self.old_pin, self.new_pin, self.new_again = new_entry(), new_entry(), new_entry()
        self.change_labels = [QLabel(), QLabel(), QLabel()]
        for lab, entry in zip(
            self.change_labels, (self.old_pin, self.new_pin, self.new_again), strict=True
        ):
            cf.addRow(lab, entry.widget())
        self.change_hint = _data(QLabel())
        self.change_button = QPushButton()
        cf.addRow(self.change_hint)
        cf.addRow(self.change_button)
        # unlock
        self.unlock_page = QWidget()
        uf = QFormLayout(self.unlock_page)
        self.unlock_id = QCheckBox()
        self.unlock_button = QPushButton()
        uf.addRow(self.unlock_id)
        uf.addRow(self.unlock_button)
        # reset
        self.reset_page = QWidget()
        rf = QFormLayout(self.reset_page)
        self.reset_id = QCheckBox()
        self.reset_new, self.reset_again = new_entry(), new_entry()
        self.reset_labels = [QLabel(), QLabel()]
        rf.addRow(self.reset_id)
        rf.addRow(self.reset_labels[0], self.reset_new.widget())
        rf.addRow(self.reset_labels[1], self.reset_again.widget())
        self.reset_hint = _data(QLabel())
        self.reset_button = QPushButton()
        rf.addRow(self.reset_hint)
        rf.addRow(self.reset_button)
        for page in (self.change_page, self.unlock_page, self.reset_page):
            self.tabs.addTab(page, "")

    def _build_receipt_and_day(self) -> None:
        # -- receipt and the day ----------------------------------------------------------
        self.receipt_box = QGroupBox()
        rl = QVBoxLayout(self.receipt_box)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setProperty("data", True)
        self.preview.setFont(QFont("monospace"))
        self.print_button, self.pdf_button = QPushButton(), QPushButton()
        self.print_button.setShortcut(QKeySequence("Ctrl+P"))
        self.pdf_button.setShortcut(QKeySequence("Ctrl+S"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        rl.addWidget(self.preview)
        rl.addLayout(buttons)

        self.day_box = QGroupBox()
        dl = QVBoxLayout(self.day_box)
        self.day = QTableWidget(0, 4)
        self.day.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.day.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.reprint_button = QPushButton()
        dl.addWidget(self.day)
        dl.addWidget(self.reprint_button)

    def _wire(self) -> None:
        c = self.controller
        # -- wiring -------------------------------------------------------------------------
        self.new_pin.on_changed(self._check_change)
        self.new_again.on_changed(self._check_change)
        self.reset_new.on_changed(self._check_reset)
        self.reset_again.on_changed(self._check_reset)
        self.new_again.on_entered(self.do_change)
        self.reset_again.on_entered(self.do_reset)
        self.change_button.clicked.connect(self.do_change)
        self.unlock_button.clicked.connect(self.do_unlock)
        self.reset_button.clicked.connect(self.do_reset)
        self.print_button.clicked.connect(self.print_dialog)
        self.pdf_button.clicked.connect(self.pdf_dialog)
        self.reprint_button.clicked.connect(self.reprint_selected)
        c.card_shown.connect(self.show_card)
        c.card_cleared.connect(self.clear_card)
        c.busy_changed.connect(self._busy)
        c.message.connect(self.show_message)
        c.service_done.connect(self.show_receipt)
        c.day_changed.connect(self.fill_day)

    # -- language -------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.card_box.setTitle(self.tr("Card"))
        for key, text in (
            ("holder", self.tr("Holder")),
            ("ssn", self.tr("Social security number")),
            ("number", self.tr("Card number")),
            ("kind", self.tr("Generation and algorithm")),
            ("expiry", self.tr("Valid until")),
            ("genuine", self.tr("Genuineness")),
            ("tries", self.tr("PIN tries left")),
        ):
            self.row_labels[key].setText(text)
        self.read_button.setText(self.tr("Read again (F5)"))
        self.tabs.setTabText(0, self.tr("Change PIN"))
        self.tabs.setTabText(1, self.tr("Unlock PIN"))
        self.tabs.setTabText(2, self.tr("Reset PIN"))
        for lab, text in zip(
            self.change_labels,
            (self.tr("Old PIN"), self.tr("New PIN"), self.tr("New PIN again")),
            strict=True,
        ):
            lab.setText(text)
        self.reset_labels[0].setText(self.tr("New PIN"))
        self.reset_labels[1].setText(self.tr("New PIN again"))
        self.change_button.setText(self.tr("Change PIN"))
        self.unlock_id.setText(self.tr("I have checked the holder's ID document"))
        self.reset_id.setText(self.tr("I have checked the holder's ID document"))
        self.unlock_button.setText(self.tr("Unlock PIN"))
        self.reset_button.setText(self.tr("Reset PIN"))
        self.receipt_box.setTitle(self.tr("Receipt"))
        self.print_button.setText(self.tr("Print… (Ctrl+P)"))
        self.pdf_button.setText(self.tr("Save PDF… (Ctrl+S)"))
        self.day_box.setTitle(self.tr("Services of the day"))
        self.day.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Service"), self.tr("Result"), self.tr("Serial")]
        )
        self.reprint_button.setText(self.tr("Reprint selected"))
        if self.controller.card is not None:
            self.show_card(self.controller.card)
        else:
            self.clear_card()
        if self.controller.busy:  # the busy note too, in the language now chosen
            self.show_message(self.tr("Working with the card…"), False)

    # -- showing ---------------------------------------------------------------------------
    def show_card(self, card: CardView) -> None:
        v = self.values
        v["holder"].setText(card.holder or "-")
        v["ssn"].setText(card.masked_ssn or "-")
        v["number"].setText(card.card_number or "-")
        v["kind"].setText(
            self.tr("Generation %1, %2")
            .replace("%1", str(card.generation))
            .replace("%2", card.algorithm)
        )
        if card.expiry is None:
            v["expiry"].setText("-")
        elif card.expired:
            v["expiry"].setText(self.tr("EXPIRED on %1").replace("%1", card.expiry.isoformat()))
        else:
            v["expiry"].setText(card.expiry.isoformat())
        self._warn(v["expiry"], card.expired)
        v["genuine"].setText(self.tr("Genuine") if card.genuine else self.tr("NOT genuine"))
        self._warn(v["genuine"], not card.genuine)
        if card.blocked:
            tries = self.tr("PIN locked: unlock or reset needed")
        elif card.tries_left is None:
            tries = self.tr("No PIN set")
        elif card.warn_tries:
            tries = self.tr("%1 left — warning: the card locks after the last wrong PIN").replace(
                "%1", str(card.tries_left)
            )
        else:
            tries = str(card.tries_left)
        v["tries"].setText(tries)
        self._warn(v["tries"], card.blocked or card.warn_tries)
        self._enable(True)

    def clear_card(self) -> None:
        for label in self.values.values():
            label.setText("-")
            self._warn(label, False)
        self.values["holder"].setText(self.tr("Insert the card"))
        self.values["holder"].setProperty("data", False)
        self._clear_pins()
        self._enable(False)

    def _warn(self, label: QLabel, on: bool) -> None:
        label.setStyleSheet("color: #b00020; font-weight: bold;" if on else "")

    def _enable(self, card: bool) -> None:
        busy = self.controller.busy
        for w in (self.change_button, self.unlock_button, self.reset_button):
            w.setEnabled(card and not busy)
        self.read_button.setEnabled(not busy)

    def _busy(self, busy: bool) -> None:
        self._enable(self.controller.card is not None)
        if busy:
            self.show_message(self.tr("Working with the card…"), False)
        elif self.status.text() == self.tr("Working with the card…"):
            self.show_message("", False)

    def show_message(self, text: str, error: bool) -> None:
        self.status.setText(text)
        self._warn(self.status, error)

    def _hint(self, label: QLabel, new: PinEntry, again: PinEntry) -> None:
        reason = self.controller.weak_reason(new)
        if reason is None and again.peek_length() and not same_pin(new, again):
            reason = self.tr("The two new PINs differ")
        label.setText(reason or "")
        self._warn(label, reason is not None)

    def _check_change(self) -> None:
        self._hint(self.change_hint, self.new_pin, self.new_again)

    def _check_reset(self) -> None:
        self._hint(self.reset_hint, self.reset_new, self.reset_again)

    def _clear_pins(self) -> None:
        for f in (self.old_pin, self.new_pin, self.new_again, self.reset_new, self.reset_again):
            f.clear()
        self.unlock_id.setChecked(False)
        self.reset_id.setChecked(False)
        self.change_hint.clear()
        self.reset_hint.clear()

    # -- actions --------------------------------------------------------------------------
    def do_change(self) -> None:
        self.controller.change(self.old_pin, self.new_pin, self.new_again)  # takes them
        self.change_hint.clear()

    def do_unlock(self) -> None:
        checked = self.unlock_id.isChecked()
        self.unlock_id.setChecked(False)
        self.controller.unlock(checked)

    def do_reset(self) -> None:
        checked = self.reset_id.isChecked()
        self.reset_id.setChecked(False)
        self.controller.reset(checked, self.reset_new, self.reset_again)  # takes them
        self.reset_hint.clear()

    def show_receipt(self, receipt: Receipt) -> None:
        """Preview ``receipt``; print and PDF act on the receipt previewed."""
        self.shown = receipt
        self.preview.setPlainText(receipt.text())

    def fill_day(self) -> None:
        rows = self.controller.today()
        self.day.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, text in enumerate(
                (r.time.strftime("%H:%M:%S"), r.operation.zh, r.result_line, r.serial)
            ):
                self.day.setItem(i, j, QTableWidgetItem(text))
        self.day.resizeColumnsToContents()

    def selected_receipt(self) -> Receipt | None:
        """The receipt of the row selected in the services of the day (None: no row)."""
        rows = self.controller.today()
        row = self.day.currentRow()
        return rows[row] if 0 <= row < len(rows) else None

    def reprint_selected(self) -> None:
        receipt = self.selected_receipt()
        if receipt is not None:
            self.show_receipt(receipt)
            self.print_dialog()

    def print_to(self, printer: QPrinter, receipt: Receipt | None = None) -> None:
        """Print ``receipt`` (default: the one previewed) on ``printer`` (paper or PDF)."""
        receipt = receipt or self.shown
        if receipt is None:
            return
        doc = QTextDocument()
        doc.setDefaultFont(QFont("monospace", 10))
        doc.setPlainText(receipt.text())
        doc.print_(printer)

    def print_dialog(self) -> None:
        """The print dialog for the receipt previewed (window-modal, no nested event loop);
        printed when the clerk presses Print."""
        receipt = self.shown
        if receipt is None:
            return
        self._to_print = receipt
        dialog = QPrintDialog(self.printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(self._print_accepted)
        dialog.show()  # what QDialog.open() does: window-modal, returns at once

    def _print_accepted(self) -> None:
        receipt, self._to_print = self._to_print, None
        if receipt is not None:
            self.print_to(self.printer, receipt)

    def pdf_dialog(self) -> None:
        receipt = self.shown
        if receipt is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save receipt as PDF"), f"{receipt.serial}.pdf", "PDF (*.pdf)"
        )
        if name:
            try:
                self.controller.save_pdf(receipt, Path(name))
            except Exception as exc:  # typed StationError or OSError: one line
                self.show_message(str(getattr(exc, "message", exc)), True)
