"""Cycles holding Qt objects are collected on the UI thread, never on a device thread.

Python collects cycles on whichever thread crosses an allocation threshold; a Python-owned
Qt object collected on a device thread has its C++ destructor run there, which crashed
the suite in CI.  ``UiThreadCollector`` (installed by ``station gui`` and by the
``ui_thread_gc`` fixture around every UI test) must leave such garbage to the UI thread.
"""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtCore import QObject

from station.ui.collector import UiThreadCollector


class _Holder(QObject):
    """A parentless (Python-owned) Qt object in a reference cycle with itself."""

    def __init__(self) -> None:
        super().__init__()
        self.me = self


def _churn() -> None:
    """What a busy device thread does: allocate containers (crossing gen-0 thresholds)."""
    keep = [[i] for i in range(50 * gc.get_threshold()[0])]
    assert len(keep) > gc.get_threshold()[0]


def _cycle_dies_on() -> tuple[list[str], weakref.finalize]:
    where: list[str] = []
    holder = _Holder()
    done = weakref.finalize(holder, lambda: where.append(threading.current_thread().name))
    del holder  # unreachable now, but only the cycle collector can free it
    worker = threading.Thread(target=_churn, name="device-thread")
    worker.start()
    worker.join(10)
    assert not worker.is_alive()
    return where, done


def test_a_device_thread_never_collects_the_ui_threads_cycles(qapp: object) -> None:
    assert not gc.isenabled()  # the fixture's collector is running
    where, done = _cycle_dies_on()
    assert where == []  # the device thread allocated plenty and collected nothing
    assert done.alive
    gc.collect()  # what the collector's tick (or stop) does, on the UI thread
    assert where == [threading.main_thread().name]
    assert not gc.isenabled()  # the fixture's own collector is still in charge


def test_stop_collects_and_restores_what_was_there(qapp: object) -> None:
    gc.enable()
    try:
        collector = UiThreadCollector()
        assert not gc.isenabled()
        holder = _Holder()
        ref = weakref.ref(holder)
        del holder
        assert ref() is not None
        assert collector.stop() >= 1
        assert ref() is None
        assert gc.isenabled()
        assert collector.stop() == 0  # a second stop does nothing
    finally:
        gc.disable()  # the fixture's collector restores the rest


def test_tick_collects_the_generation_whose_threshold_passed(qapp: object) -> None:
    collector = UiThreadCollector()
    try:
        gc.collect()
        assert collector.tick() == 0  # nothing counted since: nothing collected
        holder = _Holder()
        ref = weakref.ref(holder)
        del holder
        _ = [[i] for i in range(2 * gc.get_threshold()[0])]
        assert gc.get_count()[0] > gc.get_threshold()[0]
        collector.tick()
        assert ref() is None
    finally:
        collector.stop()
