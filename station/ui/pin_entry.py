"""PIN entry: one interface, so an external PIN pad can replace the on-screen fields.

A screen never reads digits out of a widget: it holds ``PinEntry`` objects and asks them.
``take`` hands the PIN out once and clears the entry in the same call; ``check`` runs a
rule (weak-PIN reasons, "the two entries differ") on the digits entered so far without
handing them out; ``on_changed``/``on_entered`` tell the screen *that* something was typed
or confirmed, never *what*.  ``widget`` is what the screen puts into its form: the field
itself, or for a PIN pad a masked echo ("••••") of the digits typed on the pad.

``PinField`` is the on-screen implementation: masked (``Password`` echo), digits only, at
most 12, no context menu, no copy, cut or drag (the key sequences are swallowed), no
input-method preedit, and it never appears in a log line.  A PIN pad class implements the
same seven methods (calling the two notifications on the UI thread) and is passed to the
screen as its ``pin_entry`` factory; the screen's code does not change.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence, QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QWidget

MAX_PIN = 12

T = TypeVar("T")


class PinEntry(Protocol):
    """What a service screen needs from any PIN source (on-screen field or PIN pad)."""

    def widget(self) -> QWidget:
        """What the screen shows in its form for this entry (masked, never the digits)."""

    def take(self) -> str:
        """The PIN entered, and the entry cleared at once."""

    def peek_length(self) -> int:
        """How many digits are entered (for enabling buttons; never the digits)."""

    def check(self, rule: Callable[[str], T]) -> T:
        """``rule`` applied to the digits entered so far; the entry keeps them."""

    def clear(self) -> None: ...

    def on_changed(self, slot: Callable[[], None]) -> None:
        """Call ``slot`` (no arguments) on the UI thread whenever the entry changes."""

    def on_entered(self, slot: Callable[[], None]) -> None:
        """Call ``slot`` (no arguments) on the UI thread when the entry is confirmed
        (Enter in a field, the OK key of a pad)."""


def same_pin(a: PinEntry, b: PinEntry) -> bool:
    """Whether two entries hold the same digits (compared in constant time)."""
    return a.check(lambda first: b.check(lambda second: hmac.compare_digest(first, second)))


class PinField(QLineEdit):
    """A masked PIN field that refuses to give its text to anything but ``take``/``check``."""

    _BLOCKED = (QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Cut)
    edited = Signal()  # textChanged without the text

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
        self.textChanged.connect(self._edited)

    @Slot()
    def _edited(self) -> None:
        self.edited.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if any(event.matches(k) for k in self._BLOCKED):
            event.ignore()
            return
        super().keyPressEvent(event)

    def copy(self) -> None:  # a programmatic copy() gets nothing either
        return

    def cut(self) -> None:
        return

    # -- PinEntry ---------------------------------------------------------------------------
    def widget(self) -> QWidget:
        return self

    def take(self) -> str:
        pin = self.text()
        self.clear()
        return pin

    def peek_length(self) -> int:
        return len(self.text())

    def check(self, rule: Callable[[str], T]) -> T:
        return rule(self.text())

    def on_changed(self, slot: Callable[[], None]) -> None:
        self.edited.connect(slot)

    def on_entered(self, slot: Callable[[], None]) -> None:
        self.returnPressed.connect(slot)
