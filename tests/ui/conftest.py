"""Fixtures for the desktop app's tests: real Qt widgets (offscreen), real pcscd + vpcd.

``ui_settings`` is the one ``Settings`` of a test (private data folder, the vpcd readers,
a printer URL nothing listens on unless a test serves the simulator there); override it in
a test module to change a field.  ``app_ctx`` starts the device workers on it and stops
them afterwards, so no device thread outlives its test; ``ui_thread_gc`` keeps Python's
cycle collector on the UI thread, as the app does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from station.config import CARD_READER, PSAM_READER, Settings


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(autouse=True)
def ui_thread_gc(qapp: object) -> Iterator[None]:
    """As in the app: cycles are collected on the UI thread only, never by a device
    thread that happens to allocate (a Qt object destroyed there crashes the process).
    Set up before and torn down after every other fixture of the test, so the closed
    widgets and stopped workers of this test are collected here, not in a later one."""
    from PySide6.QtCore import QCoreApplication, QEvent

    from station.ui.collector import UiThreadCollector

    collector = UiThreadCollector()
    try:
        yield
    finally:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        collector.stop()
        collector.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


NO_READERS = ("Station Test Absent Reader 0", "Station Test Absent Reader 1")


@pytest.fixture
def ui_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """The vpcd readers for a PC/SC test; for any other test two reader names pcscd does
    not have, so its workers never touch the vpcd readers a PC/SC test is using beside it
    (``make test`` runs the two kinds side by side) and its reader state stays put."""
    pcsc = request.node.get_closest_marker("pcsc") is not None
    card_reader, psam_reader = (CARD_READER, PSAM_READER) if pcsc else NO_READERS
    return Settings(
        db_url=f"sqlite:///{tmp_path / 'inventory.db'}",
        station_id="ui-test",
        operator="",
        outlet="测试网点",
        card_reader=card_reader,
        psam_reader=psam_reader,
        printer_url=f"socket://127.0.0.1:{free_port()}",
        data_dir=str(tmp_path / "data"),
        card_timeout=5.0,
        printer_timeout=2.0,
        idle_lock_minutes=10,
        language="zh_CN",
    )


@pytest.fixture
def app_ctx(qtbot: object, ui_settings: Settings) -> Iterator[object]:
    """A ``UiContext`` with started workers (no operator, no role)."""
    from station.ui.workers import UiContext, Workers

    workers = Workers(ui_settings).start()
    try:
        yield UiContext(ui_settings, workers)
    finally:
        workers.stop_all()
