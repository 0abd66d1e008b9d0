"""The device workers: jobs run off the UI thread, results and errors come back on it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from station.errors import StationError
from station.ui.workers import DeviceState, DeviceWorker


class Recorder:
    """Collects callbacks and the thread each ran on."""

    def __init__(self) -> None:
        self.values: list[object] = []
        self.errors: list[StationError] = []
        self.threads: list[object] = []

    def done(self, value: object) -> None:
        self.threads.append(QThread.currentThread())
        self.values.append(value)

    def error(self, exc: StationError) -> None:
        self.threads.append(QThread.currentThread())
        self.errors.append(exc)


def test_job_runs_on_its_thread_and_answers_on_ui_thread(qtbot) -> None:
    w = DeviceWorker("test")
    rec = Recorder()
    ran_on: list[str] = []

    def job() -> int:
        ran_on.append(threading.current_thread().name)
        return 42

    try:
        w.submit("answer", job, rec.done, rec.error)
        qtbot.waitUntil(lambda: rec.values == [42], timeout=5000)
        assert rec.threads == [QThread.currentThread()]  # the UI thread
        assert ran_on and ran_on[0] != threading.main_thread().name
    finally:
        w.stop()


def test_errors_are_typed_and_ordered(qtbot) -> None:
    w = DeviceWorker("test")
    rec = Recorder()

    def boom() -> None:
        raise StationError("坏了 (broken)", detail="x")

    def bug() -> None:
        raise ZeroDivisionError

    try:
        w.submit("one", boom, rec.done, rec.error)
        w.submit("two", lambda: 2, rec.done, rec.error)
        w.submit("three", bug, rec.done, rec.error)
        qtbot.waitUntil(lambda: len(rec.errors) == 2 and rec.values == [2], timeout=5000)
        assert rec.errors[0].detail == "x"
        assert "ZeroDivisionError" in rec.errors[1].detail
        with qtbot.waitSignal(w.failed, timeout=5000) as sig:
            w.submit("four", boom)
        assert sig.args[0] == "four"
    finally:
        w.stop()
    stopped = Recorder()
    w.submit("late", lambda: 1, stopped.done, stopped.error)
    assert stopped.errors and stopped.errors[0].code == -951


def test_state_starts_connecting_and_changes_on_report(qtbot) -> None:
    w = DeviceWorker("test")
    try:
        assert w.state is DeviceState.CONNECTING
        with qtbot.waitSignal(w.state_changed, timeout=5000):
            w.submit("probe", lambda: w.report_state(DeviceState.READY))
        assert w.state is DeviceState.READY
    finally:
        w.stop()


def test_call_from_another_device_thread(qtbot) -> None:
    card, psam = DeviceWorker("card"), DeviceWorker("psam")
    rec = Recorder()
    try:
        card.submit(
            "ask psam", lambda: psam.call(lambda: QThread.currentThread().objectName(), 5), rec.done
        )
        qtbot.waitUntil(lambda: bool(rec.values), timeout=5000)
        assert rec.values[0] == "device-psam"
    finally:
        card.stop()
        psam.stop()


@pytest.mark.pcsc
def test_workers_report_reader_states(app_ctx, vpcd_slots, qtbot) -> None:
    from station.emulator.cards import make_card
    from station.profiles import load_profile

    w = app_ctx.workers
    qtbot.waitUntil(lambda: w.card.state is DeviceState.READY, timeout=10000)
    qtbot.waitUntil(lambda: w.printer.state is DeviceState.ABSENT, timeout=10000)
    with qtbot.waitSignal(w.card_inserted, timeout=10000) as sig:
        vpcd_slots[0].insert(make_card(load_profile("gen3-sm4-issued")))
    assert sig.args == [app_ctx.settings.card_reader]
    qtbot.waitUntil(lambda: w.card.state is DeviceState.CARD_PRESENT, timeout=10000)
    with qtbot.waitSignal(w.card_removed, timeout=10000):
        vpcd_slots[0].remove()
    qtbot.waitUntil(lambda: w.card.state is DeviceState.READY, timeout=10000)


def test_owner_gone_while_the_worker_is_being_collected(qtbot) -> None:
    """A screen and its worker collected in one garbage cycle: the collector may clear the
    worker's attributes (its ``__dict__``) before the screen's C++ side is destroyed, and
    the screen's ``destroyed`` then met a worker without its queue or thread (seen in a full
    run: AttributeError '_stopped' raised in the Qt event loop).  The stop connected to the
    owner keeps its own references: here the clearing is done by hand."""
    import shiboken6

    from station.ui.workers import _StopWhenOwnerGone

    worker = DeviceWorker("cycle")
    rec = Recorder()
    worker.submit("first", lambda: 1, rec.done, rec.error)
    qtbot.waitUntil(lambda: rec.values == [1], timeout=5000)
    stop, loop = _StopWhenOwnerGone(worker), worker._loop
    assert loop.isRunning()
    vars(worker).clear()  # what the cycle collector's clearing does to the worker
    with pytest.raises(AttributeError):
        worker._owner_gone()  # the slot connected before: it cannot stop the thread
    stop()  # what the owner's destroyed signal calls now
    assert loop.isFinished()
    shiboken6.delete(worker)  # as the owner's destruction does
