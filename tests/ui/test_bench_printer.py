"""Technician bench, printer and face tabs, against the printer simulator over TCP.

A fault button arms the fault in the simulator and the status shows it at once; the move
that trips it leaves it standing in the status; the remedy button clears it.  No time
scale: the simulator moves instantly (``Timing(scale=0)``), every wait is on a signal.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from station.config import Settings
from station.printer.base import ActiveFault
from station.printer.simulator import BareChip, Fault, PrinterSimulator, Remedy, Timing
from station.ui.bench import Bench
from station.ui.bench.controllers.printer import Move
from station.ui.workers import UiContext

WAIT_MS = 10000


@pytest.fixture
def printer_sim() -> Iterator[PrinterSimulator]:
    sim = PrinterSimulator(
        [(f"demo-{i}", BareChip(i)) for i in range(1, 4)], timing=Timing(scale=0)
    )
    sim.serve_tcp("127.0.0.1", 0)
    try:
        yield sim
    finally:
        sim.stop()


@pytest.fixture
def ui_settings(ui_settings: Settings, printer_sim: PrinterSimulator) -> Settings:
    return dataclasses.replace(ui_settings, printer_url=printer_sim.url)


@pytest.fixture
def bench(qtbot, app_ctx: UiContext) -> Iterator[Bench]:  # type: ignore[no-untyped-def]
    widget = Bench(app_ctx)
    qtbot.addWidget(widget)
    widget.show()
    widget.setCurrentWidget(widget.printer_view)
    try:
        yield widget
    finally:
        widget.shutdown()


def click_and_wait(qtbot, bench: Bench, button) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(bench.printer_ctl.report_ready, timeout=WAIT_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_jam_button_shown_then_cleared_by_remedy(qtbot, bench: Bench) -> None:  # type: ignore[no-untyped-def]
    view = bench.printer_view
    click_and_wait(qtbot, bench, view.connect_button)
    assert view.fields["ready"][1].text() == view.tr("yes")
    assert view.fields["faults"][1].text() == view.tr("none")

    # the fault button arms a jam for the next move: status says so at once
    click_and_wait(qtbot, bench, view.fault_buttons[Fault.JAM])
    report = bench.printer_ctl.last
    assert report is not None and report.status is not None
    assert report.status.armed == ("jam@1",)
    assert view.tr("Jam") in view.fields["armed"][1].text()

    # the next move jams: the error in words, the jam standing in the status
    click_and_wait(qtbot, bench, view.move_buttons[Move.FEED])
    report = bench.printer_ctl.last
    assert report is not None and report.status is not None and report.error
    assert report.status.faults == (ActiveFault.JAM,)
    assert view.fields["faults"][1].text() == view.fault_words(("jam",))
    assert view.fields["ready"][1].text() == view.tr("no")
    assert view.message.text() == report.error

    # the operator clears the jam: no fault stands, ready again
    click_and_wait(qtbot, bench, view.remedy_buttons[Remedy.CLEAR_JAM])
    report = bench.printer_ctl.last
    assert report is not None and report.status is not None
    assert report.status.faults == () and report.status.armed == ()
    assert view.fields["faults"][1].text() == view.tr("none")
    assert view.fields["ready"][1].text() == view.tr("yes")


def test_ribbon_and_cover_faults_and_remedies(qtbot, bench: Bench) -> None:  # type: ignore[no-untyped-def]
    view = bench.printer_view
    click_and_wait(qtbot, bench, view.fault_buttons[Fault.COVER_OPEN])
    report = bench.printer_ctl.last
    assert report is not None and report.status is not None
    assert report.status.cover_open and not report.status.ready
    assert view.fault_words(("cover-open",)) in view.fields["faults"][1].text()
    click_and_wait(qtbot, bench, view.remedy_buttons[Remedy.CLOSE_COVER])
    assert bench.printer_ctl.last is not None and bench.printer_ctl.last.status is not None
    assert bench.printer_ctl.last.status.ready

    click_and_wait(qtbot, bench, view.move_buttons[Move.FEED])
    assert bench.printer_ctl.last.status.position.value == "print"  # type: ignore[union-attr]
    click_and_wait(qtbot, bench, view.move_buttons[Move.EJECT])
    assert bench.printer_ctl.last.status.position.value == "none"  # type: ignore[union-attr]


def test_unreachable_printer_said_in_words(
    qtbot, bench: Bench, printer_sim: PrinterSimulator
) -> None:  # type: ignore[no-untyped-def]
    view = bench.printer_view
    view.url.setText("socket://127.0.0.1:1")
    with qtbot.waitSignal(bench.printer_ctl.failed, timeout=WAIT_MS) as failed:
        qtbot.mouseClick(view.connect_button, Qt.MouseButton.LeftButton)
    assert failed.args[0]
    assert view.message.text() == failed.args[0]


def test_face_preview_renders_a_profile(qtbot, bench: Bench) -> None:  # type: ignore[no-untyped-def]
    view = bench.face_view
    view.profile.setCurrentText("gen3-sm4-issued")
    with qtbot.waitSignal(bench.face_ctl.rendered, timeout=WAIT_MS):
        qtbot.mouseClick(view.render_button, Qt.MouseButton.LeftButton)
    pixmap = view.image.pixmap()
    assert not pixmap.isNull() and pixmap.width() >= 400
    assert "gen3-sm4-issued" in view.caption.text()

    view.profile.setCurrentText("gen2-3des-issued")  # no [face] table: refused in words
    with qtbot.waitSignal(bench.face_ctl.failed, timeout=WAIT_MS) as failed:
        qtbot.mouseClick(view.render_button, Qt.MouseButton.LeftButton)
    assert "no face layout" in failed.args[0]
