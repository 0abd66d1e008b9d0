"""The bench opens no second connection to a reader a device worker owns.

The card worker holds the card reader exclusively once a job has connected it (as the
clerk's card read does); a console with a connection of its own was refused there with
"SCardConnect …: Sharing violation".  These tests hold the workers' connections open, show
that a second connection really is refused, and then use the console (card reader and
PSAM reader) and the readers tab's ATR poll, which must both keep working.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt

from station.apdu.pcsc import PcscTransport, wait_for_card
from station.card import commands
from station.codecs.records import SSSE_AID
from station.emulator.vpcd import reader_name
from station.errors import StationError
from station.ui.bench import Bench
from station.ui.workers import DeviceWorker, UiContext
from tests.ui.test_bench import serve_slot0

SLOT0 = reader_name(0)
SLOT1 = reader_name(1)
WAIT_MS = 15000

T = TypeVar("T")


@pytest.fixture
def bench(qtbot, app_ctx: UiContext, pcscd: list[str], vpcd_lock: None) -> Iterator[Bench]:  # type: ignore[no-untyped-def]
    widget = Bench(app_ctx)
    qtbot.addWidget(widget)
    widget.show()
    try:
        yield widget
    finally:
        widget.shutdown()
        for slot in (0, 1):
            wait_for_card(reader_name(slot), 5.0, present=False)


def on_worker(qtbot, worker: DeviceWorker, fn: Callable[[], T]) -> T:  # type: ignore[no-untyped-def]
    """Run ``fn`` as a job on ``worker`` (its thread) and return what it returned."""
    done: list[T] = []
    errors: list[StationError] = []
    worker.submit("test", fn, done.append, errors.append)
    qtbot.waitUntil(lambda: bool(done or errors), timeout=WAIT_MS)
    assert not errors, f"{errors[0].message} — {errors[0].detail}"
    return done[0]


def second_connection_refused(reader: str) -> str:
    """What a connection of one's own gets while the worker holds ``reader``."""
    with pytest.raises(StationError) as refused:
        PcscTransport(reader, shared=True, timeout=3.0).connect()
    return refused.value.detail


def send_and_wait(qtbot, bench: Bench, reader: str, hex_text: str) -> str:  # type: ignore[no-untyped-def]
    view = bench.console_view
    view.reader.setCurrentText(reader)
    assert bench.console_ctl.reader == reader
    view.entry.setText(hex_text)
    failures: list[str] = []
    bench.console_ctl.failed.connect(failures.append)
    with qtbot.waitSignal(bench.console_ctl.answered, timeout=WAIT_MS) as answered:
        qtbot.keyClick(view.entry, Qt.Key.Key_Return)
    assert failures == []
    assert view.result.text() == answered.args[0]
    return str(answered.args[0])


def test_console_sends_through_the_card_workers_own_connection(qtbot, bench: Bench) -> None:  # type: ignore[no-untyped-def]
    w = bench.ctx.workers
    serve_slot0(qtbot, bench)

    def connect_card() -> PcscTransport:  # what the clerk's card read does
        link = w.card_link()
        link.connect()
        return link

    link = on_worker(qtbot, w.card, connect_card)
    assert link.connected
    assert "Sharing violation" in second_connection_refused(SLOT0)

    select = commands.select_by_name(SSSE_AID).to_bytes().hex().upper()
    assert send_and_wait(qtbot, bench, SLOT0, select) == "9000 成功 (success)"
    trace = bench.console_view.trace.toPlainText()
    assert "SELECT" in trace and "[9000 成功 (success)]" in trace
    assert "Sharing violation" not in bench.console_view.result.text()

    # the same connection, still held, its own tracer back; the console kept the lines
    def after() -> tuple[bool, bool, bool]:
        now = w.card_link()
        return now is link, now.connected, now.tracer is w.tracer

    assert on_worker(qtbot, w.card, after) == (True, True, True)
    assert all("00A40400" not in e.command.replace(" ", "") for e in w.tracer.entries())
    assert "00A40400" in bench.console_ctl.trace_text().replace(" ", "")

    # a second command goes the same way (no stale connection of the console's own)
    assert send_and_wait(qtbot, bench, SLOT0, "0084000008").startswith("9000")


def test_console_sends_through_the_psam_workers_own_connection(qtbot, bench: Bench) -> None:  # type: ignore[no-untyped-def]
    w = bench.ctx.workers
    assert w.settings.psam_reader == SLOT1
    bench.virtual_ctl.serve(1, "psam-sm4")
    qtbot.waitUntil(
        lambda: any(r.name == SLOT1 and r.card_present for r in bench.readers_ctl.rows),
        timeout=WAIT_MS,
    )

    def connect_psam() -> PcscTransport:
        link = w.psam_link()
        link.connect()
        return link

    link = on_worker(qtbot, w.psam, connect_psam)
    assert "Sharing violation" in second_connection_refused(SLOT1)
    answer = send_and_wait(qtbot, bench, SLOT1, "00A40000023F00")
    assert answer[:4].isalnum() and "SELECT" in bench.console_view.trace.toPlainText()
    assert on_worker(qtbot, w.psam, lambda: w.psam_link() is link and link.connected)


def test_readers_poll_never_holds_the_reader(qtbot, bench: Bench) -> None:  # type: ignore[no-untyped-def]
    w = bench.ctx.workers
    serve_slot0(qtbot, bench)
    card = bench.virtual_ctl._cards[0]
    atr_text = card.atr.hex(" ").upper()

    # polls that run while nobody holds the reader leave it free: an exclusive connection
    # of another application gets it right after them
    for _ in range(3):
        with qtbot.waitSignal(bench.readers_ctl.rows_changed, timeout=WAIT_MS):
            bench.readers_ctl.refresh()
        other = PcscTransport(SLOT0, timeout=3.0)
        other.connect()
        other.disconnect()

    # and while the card worker holds it exclusively, the poll still reads the ATR
    link = on_worker(qtbot, w.card, lambda: (w.card_link().connect(), w.card_link())[1])
    assert "Sharing violation" in second_connection_refused(SLOT0)
    bench.readers_view.table.setRowCount(0)  # what follows is the poll's own answer
    failures: list[str] = []
    bench.readers_ctl.failed.connect(failures.append)
    for _ in range(2):
        with qtbot.waitSignal(bench.readers_ctl.rows_changed, timeout=WAIT_MS):
            bench.readers_ctl.refresh()
    assert failures == []
    assert bench.readers_view.row_texts()[SLOT0] == (
        bench.readers_view.tr("card present"),
        atr_text,
    )
    assert on_worker(qtbot, w.card, lambda: link.connected)
