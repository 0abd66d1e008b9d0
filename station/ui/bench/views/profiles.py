"""Profile checker tab layout: choose a file, the verdict, the text with line numbers and
the faulty line marked."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QColor, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from station.profiles import list_profiles, profiles_dir
from station.ui.bench.controllers.profiles import CheckResult, ProfileController
from station.ui.bench.views.base import BenchPage, mono_font


def numbered(text: str) -> str:
    """The file's text with right-aligned line numbers, as an editor shows it."""
    lines = text.splitlines() or [""]
    width = len(str(len(lines)))
    return "\n".join(f"{i:>{width}} │ {line}" for i, line in enumerate(lines, start=1))


class ProfileView(BenchPage):
    def __init__(
        self, controller: ProfileController, directory: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.directory = profiles_dir(directory or None)
        self.shipped = QComboBox()
        self.shipped.setProperty("data", True)  # profile names
        for name in list_profiles(self.directory):
            self.shipped.addItem(name, str(self.directory / f"{name}.toml"))
        self.check_button = QPushButton()
        self.check_button.clicked.connect(self.check_chosen)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_file)
        self.path = QLabel()
        self.path.setProperty("data", True)  # a file path
        self.verdict = QLabel()
        self.verdict.setObjectName("profileVerdict")
        self.verdict.setWordWrap(True)
        self.where = QLabel()
        self.where.setObjectName("profileDetail")
        self.where.setProperty("data", True)  # the checker's technical detail
        self.where.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(mono_font())
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        row = QHBoxLayout()
        row.addWidget(self.shipped, 1)
        row.addWidget(self.check_button)
        row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.path)
        layout.addWidget(self.verdict)
        layout.addWidget(self.where)
        layout.addWidget(self.text, 1)
        controller.checked.connect(self.show_result)
        self.retranslate()

    def retranslate(self) -> None:
        self.check_button.setText(self.tr("&Check"))
        self.open_button.setText(self.tr("&Open profile…"))
        if self.controller.last is not None:
            self.show_result(self.controller.last)
        else:
            self.verdict.setText(self.tr("Choose a profile to check."))

    @Slot()
    def check_chosen(self) -> None:
        path = self.shipped.currentData()
        if path:
            self.controller.check(str(path))

    @Slot()
    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open profile"), str(self.directory), self.tr("Profiles (*.toml)")
        )
        if path:
            self.controller.check(path)

    @Slot(object)
    def show_result(self, result: CheckResult) -> None:
        self.path.setText(str(result.path))
        self.text.setPlainText(numbered(result.text))
        self.text.setExtraSelections([])
        if result.ok:
            self.verdict.setStyleSheet("color: #1b5e20")
            self.verdict.setText(self.tr("Profile OK: {0}").format(result.summary))
            self.where.clear()
            return
        self.verdict.setStyleSheet("color: #b00020")
        if result.line:
            self.verdict.setText(self.tr("Line {0}: {1}").format(result.line, result.message))
            self.mark_line(result.line)
        else:
            self.verdict.setText(result.message)
        self.where.setText(result.detail)

    def mark_line(self, line: int) -> None:
        block = self.text.document().findBlockByLineNumber(line - 1)
        if not block.isValid():
            return
        selection = QTextEdit.ExtraSelection()
        selection.format.setBackground(QColor("#ffd7d7"))
        selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
        cursor = QTextCursor(block)
        selection.cursor = cursor
        self.text.setExtraSelections([selection])
        self.text.setTextCursor(cursor)
        self.text.centerCursor()
