"""What every supervisor controller shares: the stock book, who acts, and the one worker.

Why a worker: the stock book is one resource, like a device — a write on SQLite waits for
the file's lock and argon2 takes ~0.1 s per sign-in, so no database call runs on the UI
thread.  Every call goes through ``run``: the work runs on the database worker, the result
or the typed error comes back on the UI thread (through the worker's queued slot, never a
lambda connected to a thread's signal).  ``busy`` tells the views to disable their buttons
while a job is out, so nothing is submitted twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal

from station.config import Settings
from station.errors import StationError
from station.inventory.service import Inventory
from station.ui.workers import DeviceWorker

T = TypeVar("T")


@dataclass
class Book:
    """The stock book as the supervisor's screens use it."""

    inv: Inventory
    operator: str  # the signed-in supervisor (``by=`` of every act)
    worker: DeviceWorker  # the database worker: every call runs there
    settings: Settings


class Controller(QObject):
    """Base: ``run`` a job off the UI thread; ``failed`` carries its error's one line."""

    failed = Signal(str, str)  # (job name, message) — a typed error in words
    busy_changed = Signal(bool)

    def __init__(self, book: Book, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self._out = 0

    @property
    def busy(self) -> bool:
        return self._out > 0

    def run(
        self,
        name: str,
        fn: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[StationError], None] | None = None,
    ) -> None:
        self._out += 1
        if self._out == 1:
            self.busy_changed.emit(True)
        self.book.worker.submit(
            name,
            fn,
            partial(self._finish, on_done),
            partial(self._fail, name, on_error),
        )

    def _settle(self) -> None:
        self._out = max(0, self._out - 1)
        if self._out == 0:
            self.busy_changed.emit(False)

    def _finish(self, on_done: Callable[[Any], None], value: Any) -> None:
        if not shiboken6.isValid(self):
            return  # the screen was closed (lock, sign-out) while the job ran
        self._settle()
        on_done(value)

    def _fail(
        self, name: str, on_error: Callable[[StationError], None] | None, exc: StationError
    ) -> None:
        if not shiboken6.isValid(self):
            return
        self._settle()
        if on_error is not None:
            on_error(exc)
        self.failed.emit(name, exc.message)
