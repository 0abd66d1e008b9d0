"""The Qt binding itself: a PySide6 release that loses references to ``True``/``False``
on signals (6.12.0 did) aborts the whole app after a few hundred status updates."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal, Slot


class _Emitter(QObject):
    flag = Signal(bool)
    anything = Signal(object)


class _Receiver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    @Slot(bool)
    def on_flag(self, value: bool) -> None:
        self.seen += int(value)

    @Slot(object)
    def on_anything(self, value: object) -> None:
        self.seen += int(bool(value))


def test_signals_keep_the_references_of_true_and_false(qapp: object) -> None:
    emitter, receiver = _Emitter(), _Receiver()
    emitter.flag.connect(receiver.on_flag)
    emitter.anything.connect(receiver.on_anything)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(50):  # few enough that a leaking binding cannot reach zero here
        emitter.flag.emit(True)
        emitter.flag.emit(False)
        emitter.anything.emit(True)
    assert receiver.seen == 100
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before, (
        "this PySide6 loses references to True/False on signals; pin another release"
    )
