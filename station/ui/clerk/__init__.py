"""The clerk's PIN services (issue 12 #3): ``build_clerk(ctx)`` gives the screen."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from station.ui.workers import UiContext


def build_clerk(ctx: UiContext) -> QWidget:
    from station.ui.clerk.view import ClerkView

    return ClerkView(ctx)
