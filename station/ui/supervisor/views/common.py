"""What the supervisor's views share: run-time re-translation, a status line, a password
field that gives its text to nothing but ``take``, and a path field with a file picker."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

OK_STYLE = "color: #1b5e20;"
BAD_STYLE = "color: #b00020; font-weight: bold;"


class Page(QWidget):
    """A tab page: subclasses set every visible text in ``retranslate`` (called at
    construction and again on each ``LanguageChange``)."""

    def retranslate(self) -> None:  # pragma: no cover - every page overrides it
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class StatusLine(QLabel):
    """One line saying what just happened — green when done, red when refused."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setProperty("data", True)  # what happened: names, numbers, the core's words
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ok = True

    def say(self, text: str, *, ok: bool = True) -> None:
        self.ok = ok
        self.setText(text)
        self.setStyleSheet(OK_STYLE if ok else BAD_STYLE)


class SecretField(QLineEdit):
    """A masked password field: no context menu, copy, cut or drag; ``take`` clears it."""

    _BLOCKED = (QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(128)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self.setAcceptDrops(False)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setProperty("secret", True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if any(event.matches(k) for k in self._BLOCKED):
            event.ignore()
            return
        super().keyPressEvent(event)

    def copy(self) -> None:
        return

    def cut(self) -> None:
        return

    def take(self) -> str:
        secret = self.text()
        self.clear()
        return secret


class PathField(QWidget):
    """A path typed in, or chosen with the file picker (``Browse…``)."""

    def __init__(
        self, *, save: bool = False, directory: bool = False, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.save, self.directory = save, directory
        self.edit = QLineEdit()
        self.browse = QPushButton()
        self.name_filter = ""
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.browse)
        self.browse.clicked.connect(self.pick)

    def text(self) -> str:
        return self.edit.text().strip()

    def pick(self) -> None:
        start = self.text()
        if self.directory:
            got = QFileDialog.getExistingDirectory(self, self.browse.text(), start)
        elif self.save:
            got, _ = QFileDialog.getSaveFileName(self, self.browse.text(), start, self.name_filter)
        else:
            got, _ = QFileDialog.getOpenFileName(self, self.browse.text(), start, self.name_filter)
        if got:
            self.edit.setText(got)
            self.edit.returnPressed.emit()

    def retranslate(self) -> None:
        self.browse.setText(self.tr("Browse…"))
