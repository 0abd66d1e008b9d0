"""What every bench view shares: re-translation when the language changes at run time."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QWidget


class BenchPage(QWidget):
    """A tab page; subclasses set every visible text in ``retranslate`` (called once at
    construction and again on each ``LanguageChange``, as Frescobaldi does)."""

    def retranslate(self) -> None:  # pragma: no cover - every page overrides it
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def mono_font() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
