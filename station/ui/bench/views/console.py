"""APDU console tab layout: reader choice, hex entry with history, named-command menu,
the redacted trace and its save button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Slot
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from station.errors import StationError
from station.ui.bench.controllers.console import ConsoleController, named_commands
from station.ui.bench.controllers.readers import ReaderRow, ReadersController
from station.ui.bench.views.base import BenchPage, mono_font

# menu labels for lupdate (the controller keeps the English source text as data)
_MENU_LABELS = (
    QT_TRANSLATE_NOOP("ConsoleView", "SELECT MF (3F00)"),
    QT_TRANSLATE_NOOP("ConsoleView", "SELECT SSSE application"),
    QT_TRANSLATE_NOOP("ConsoleView", "SELECT EF05 (issuer data)"),
    QT_TRANSLATE_NOOP("ConsoleView", "READ RECORD EF05 (all)"),
    QT_TRANSLATE_NOOP("ConsoleView", "READ RECORD EF06 (all)"),
    QT_TRANSLATE_NOOP("ConsoleView", "GET CHALLENGE (8)"),
    QT_TRANSLATE_NOOP("ConsoleView", "VERIFY (tries left, no PIN)"),
)


class HistoryLineEdit(QLineEdit):
    """A line edit whose Up/Down keys ask for the previous/next history entry."""

    def __init__(
        self,
        previous: Callable[[], str | None],
        following: Callable[[], str | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._previous = previous
        self._following = following

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            text = self._previous() if key == Qt.Key.Key_Up else self._following()
            if text is not None:
                self.setText(text)
            event.accept()
            return
        super().keyPressEvent(event)


class ConsoleView(BenchPage):
    def __init__(
        self,
        controller: ConsoleController,
        readers: ReadersController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.reader_label = QLabel()
        self.reader = QComboBox()
        self.reader.setProperty("data", True)  # PC/SC reader names
        self.reader.setEditable(True)
        self.reader.setMinimumContentsLength(24)
        self.reader.addItem(controller.reader)
        self.reader.currentTextChanged.connect(controller.set_reader)
        self.entry = HistoryLineEdit(controller.history.previous, controller.history.next)
        self.entry.setObjectName("apduEntry")
        self.entry.setFont(mono_font())
        self.entry.returnPressed.connect(self.send)
        self.send_button = QPushButton()
        self.send_button.clicked.connect(self.send)
        self.menu = QMenu(self)
        self.menu_button = QToolButton()
        self.menu_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setMenu(self.menu)
        self.command_actions: list[QAction] = []
        for named in named_commands():
            action = QAction(self)
            action.setData(named.command.to_bytes().hex().upper())
            action.setProperty("source_label", named.label)
            action.triggered.connect(self._menu_chosen)
            self.menu.addAction(action)
            self.command_actions.append(action)
        self.trace = QPlainTextEdit()
        self.trace.setObjectName("apduTrace")
        self.trace.setReadOnly(True)
        self.trace.setFont(mono_font())
        self.trace.setMaximumBlockCount(5000)
        self.result = QLabel()
        self.result.setObjectName("apduResult")
        self.result.setProperty("data", True)  # the SW meaning or the error, as the core words it
        self.result.setWordWrap(True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.clear_button = QPushButton()
        self.clear_button.clicked.connect(self.clear)
        self.note = QLabel()
        self.note.setWordWrap(True)

        row1 = QHBoxLayout()
        row1.addWidget(self.reader_label)
        row1.addWidget(self.reader, 1)
        row2 = QHBoxLayout()
        row2.addWidget(self.entry, 1)
        row2.addWidget(self.menu_button)
        row2.addWidget(self.send_button)
        row3 = QHBoxLayout()
        row3.addWidget(self.result, 1)
        row3.addWidget(self.clear_button)
        row3.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row1)
        layout.addLayout(row2)
        layout.addWidget(self.trace, 1)
        layout.addLayout(row3)
        layout.addWidget(self.note)

        controller.traced.connect(self.add_lines)
        controller.answered.connect(self.show_answer)
        controller.failed.connect(self.show_error)
        controller.busy_changed.connect(self.set_busy)
        readers.rows_changed.connect(self.offer_readers)
        self.retranslate()

    def retranslate(self) -> None:
        self.reader_label.setText(self.tr("Reader:"))
        self.entry.setPlaceholderText(
            self.tr("Command APDU in hex, e.g. 00A4040000 (Up/Down: history)")
        )
        self.send_button.setText(self.tr("&Send"))
        self.menu_button.setText(self.tr("Commands"))
        for action in self.command_actions:
            action.setText(self.tr(str(action.property("source_label"))))
        self.save_button.setText(self.tr("Save trace…"))
        self.clear_button.setText(self.tr("Clear"))
        self.note.setText(
            self.tr("PINs and keys are always redacted; record and binary content is masked.")
        )

    @Slot(list)
    def offer_readers(self, rows: list[ReaderRow]) -> None:
        current = self.reader.currentText()
        names = [r.name for r in rows]
        known = [self.reader.itemText(i) for i in range(self.reader.count())]
        for name in names:
            if name not in known:
                self.reader.addItem(name)
        self.reader.setCurrentText(current)

    @Slot()
    def _menu_chosen(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.entry.setText(str(action.data()))
            self.entry.setFocus()

    @Slot()
    def send(self) -> None:
        text = self.entry.text()
        if not text.strip():
            return
        self.controller.set_reader(self.reader.currentText().strip())
        self.entry.clear()  # a typed VERIFY's PIN leaves the screen at once
        self.controller.send_text(text)

    @Slot(list)
    def add_lines(self, lines: list[str]) -> None:
        for line in lines:
            self.trace.appendPlainText(line)

    @Slot(str)
    def show_answer(self, meaning: str) -> None:
        self.result.setStyleSheet("")
        self.result.setText(meaning)

    @Slot(str)
    def show_error(self, message: str) -> None:
        self.result.setStyleSheet("color: #b00020")
        self.result.setText(message)

    @Slot(bool)
    def set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)

    @Slot()
    def clear(self) -> None:
        self.controller.clear_trace()
        self.trace.clear()

    @Slot()
    def save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save trace"), "apdu-trace.txt", self.tr("Text (*.txt)")
        )
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> None:
        try:
            saved = self.controller.save_trace(path)
        except StationError as exc:
            self.show_error(exc.message)
            return
        self.show_answer(self.tr("Trace saved: {0}").format(str(saved)))
