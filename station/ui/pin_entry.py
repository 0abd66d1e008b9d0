"""PIN entry: one interface, so an external PIN pad can replace the on-screen fields.

A ``PinEntry`` hands out the PIN once (``take``) and forgets it: the field is cleared in
the same call.  ``PinField`` is the on-screen implementation: masked (``Password`` echo),
digits only, at most 12, no context menu, no copy, cut or drag (the key sequences are
swallowed), no input-method preedit, and it never appears in a log line.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QRegularExpression, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QWidget

MAX_PIN = 12


class PinEntry(Protocol):
    """What a service screen needs from any PIN source (on-screen field or PIN pad)."""

    def take(self) -> str:
        """The PIN entered, and the entry cleared at once."""

    def peek_length(self) -> int:
        """How many digits are entered (for enabling buttons; never the digits)."""

    def clear(self) -> None: ...


class PinField(QLineEdit):
    """A masked PIN field that refuses to give its text to anything but ``take``."""

    _BLOCKED = (QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setMaxLength(MAX_PIN)
        self.setValidator(
            QRegularExpressionValidator(QRegularExpression(f"[0-9]{{0,{MAX_PIN}}}"), self)
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self.setAcceptDrops(False)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.setProperty("pin", True)  # tests and the leak check find PIN fields by this

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if any(event.matches(k) for k in self._BLOCKED):
            event.ignore()
            return
        super().keyPressEvent(event)

    def copy(self) -> None:  # a programmatic copy() gets nothing either
        return

    def cut(self) -> None:
        return

    def take(self) -> str:
        pin = self.text()
        self.clear()
        return pin

    def peek_length(self) -> int:
        return len(self.text())
