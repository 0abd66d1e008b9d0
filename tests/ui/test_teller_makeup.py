"""The make-up (制卡补登) of a printed card that left the printer, in the desktop reader at
the counter (setting ``desk_reader``), from the teller's screen.

A jam at the eject: the face is printed, the card stuck; clearing the jam pulls it out by
hand.  The failure dialog says so and offers the make-up in the desktop reader; the teller
clears the jam, puts the card in that reader and presses Enter.  The same job left for
later is offered at sign-in among the unfinished jobs (Ctrl+M).  Without a desktop reader
both say how to set one and the job waits, its application kept.

The rig is the one of ``tests/issuance/test_cli_sigkill.py``: vpcd slot 0 is the printer's
contact station and, once the card is out of the printer, the desktop reader too
(``desk_reader = reader_name(0)``); the printed chip is put into it by hand
(``put_in_reader``).  Real pcscd + vpcd, the printer simulator over TCP, real widgets.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from station.config import Settings
from station.emulator.vpcd import reader_name
from station.inventory import State
from station.issuance.outcome import Outcome
from station.issuance.states import JobState
from station.printer.errors import Jam
from station.printer.simulator import Fault, Remedy
from station.ui.teller.controller import Failure, Unfinished
from station.ui.teller.form_logic import build_application
from tests.issuance.job_rig import applicant, put_in_reader
from tests.ui.teller_rig import WAIT_MS, Counter, Teller, focused, make_counter, teller_fixture

S = JobState
DESK = reader_name(0)  # the contact station's slot, used as the desktop reader (see above)


@pytest.fixture
def counter(vpcd_slots: Any, tmp_path: Path) -> Iterator[Counter]:
    c = make_counter(tmp_path, vpcd_slots, {"ICBC": 2})
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def teller(qtbot: Any, ui_settings: Settings, counter: Counter) -> Iterator[Teller]:
    desk = dataclasses.replace(ui_settings, desk_reader=DESK)
    yield from teller_fixture(qtbot, desk, counter)


def _focus_in(widget: QWidget) -> bool:
    w = QApplication.focusWidget()
    return w is not None and widget.isAncestorOf(w)


def _jammed_at_eject(t: Teller, n: int) -> Any:
    """Issue for applicant ``n`` with a jam armed at the eject (moves: 1 feed, 2 to the
    contacts, 3 to print, 4 eject): the failure dialog shown."""
    s, bot = t.screen, t.qtbot
    s.form.fill(applicant(n))
    bot.waitUntil(lambda: s.issue_button.isEnabled(), timeout=WAIT_MS)
    t.counter.sim.inject(Fault.JAM, 4)
    bot.keyClick(focused(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Issue
    bot.waitUntil(lambda: s.dialog is not None, timeout=WAIT_MS)
    return s.dialog


def _card_out_into_the_desk_reader(t: Teller, card_number: str) -> None:
    """The teller clears the jam (the card comes out by hand) and puts the card in the
    desktop reader."""
    sim = t.counter.sim
    sim.remedy(Remedy.CLEAR_JAM)
    chip = next(c for c in sim.cards if c.name == card_number).chip
    put_in_reader(t.counter.links[0], chip)


def _made_up_once(t: Teller, job: Any, failed: Any, printed: int) -> None:
    assert job.job_id == failed.job_id and job.state is S.COMPLETED and job.made_up
    inv = t.ctx.inventory
    assert inv.blank(job.card_number).state is State.ISSUED
    assert t.counter.sim.state().printed == printed  # the face printed once, never again
    ledger = inv.verify_ledger()
    assert ledger.ok and not ledger.mismatches, ledger
    assert "补登" in t.screen.receipt.preview.toPlainText()
    t.qtbot.waitUntil(lambda: t.screen.day.values[1].text() == "1", timeout=WAIT_MS)


@pytest.mark.pcsc
def test_jam_at_eject_made_up_in_the_desk_reader(teller: Teller) -> None:
    s, bot, sim = teller.screen, teller.qtbot, teller.counter.sim
    printed = sim.state().printed
    d = _jammed_at_eject(teller, 19)
    failed = d.failure.outcome.job
    assert failed.state is S.MAKEUP_PENDING and failed.cause is None, d.what.text()
    assert sim.state().printed == printed + 1  # the face is on the card
    assert d.failure.jammed and d.reader == DESK  # the make-up reads in the desk reader
    assert "卡住" in d.where.text() and "取出" in d.where.text()  # jammed: take it out
    assert "桌面读卡器" in d.todo.text() and DESK in d.todo.text()
    assert d.makeup.isVisible() and d.makeup.isDefault() and focused() is d.makeup
    assert "桌面读卡器" in d.makeup.text()
    _card_out_into_the_desk_reader(teller, failed.card_number)
    try:
        with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS) as sig:
            bot.keyClick(focused(), Qt.Key.Key_Return)  # Enter: make-up in the desk reader
    finally:
        teller.counter.links[0].remove()
    _made_up_once(teller, sig.args[0].job, failed, printed + 1)


@pytest.mark.pcsc
def test_unfinished_at_sign_in_made_up_in_the_desk_reader(teller: Teller) -> None:
    """The teller closes the dialog and leaves the card for later; at the next sign-in the
    unfinished job offers the make-up in the desktop reader (Ctrl+M)."""
    from station.ui.teller import TellerScreen

    bot, sim = teller.qtbot, teller.counter.sim
    values = applicant(20)
    d = _jammed_at_eject(teller, 20)
    failed = d.failure.outcome.job
    assert failed.state is S.MAKEUP_PENDING
    bot.keyClick(focused(), Qt.Key.Key_Escape)  # not now: the job waits
    bot.waitUntil(lambda: teller.screen.dialog is None, timeout=WAIT_MS)
    kept = teller.screen.ctl.kept_dir / f"{values['application_id']}.json"
    assert kept.exists()  # the application is kept for the make-up
    printed = sim.state().printed
    _card_out_into_the_desk_reader(teller, failed.card_number)
    teller.screen.hide()
    s = TellerScreen(teller.ctx)  # signed in again: the screen built as the shell builds it
    bot.addWidget(s)
    teller.screen, old = s, teller.screen
    try:
        s.show()
        s.activateWindow()
        bot.waitUntil(lambda: _focus_in(s), timeout=WAIT_MS)  # the form's first field
        panel = s.unfinished
        bot.waitUntil(lambda: panel.table.rowCount() == 1, timeout=WAIT_MS)
        assert panel.isVisible() and panel.table.item(0, 0).text() == failed.job_id
        assert panel.makeup_button.isVisible() and panel.desk_job().job_id == failed.job_id
        assert failed.job_id in panel.desk.text() and DESK in panel.desk.text()
        with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS) as sig:
            bot.keyClick(focused(), Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
        _made_up_once(teller, sig.args[0].job, failed, printed)
        bot.waitUntil(lambda: not panel.isVisible(), timeout=WAIT_MS)  # nothing unfinished
        assert not kept.exists()  # made up: the kept application is forgotten
    finally:
        teller.counter.links[0].remove()
        s.shutdown()
        teller.screen = old


def _makeup_failure(position: str, *, jammed: bool = False, desk: str = "") -> Failure:
    from tests.ui.test_i18n import _job

    app = build_application(applicant(3))
    job = Outcome(_job(S.MAKEUP_PENDING), error=Jam())
    return Failure(job, Jam(), position, app, jammed=jammed, desk_reader=desk)


def test_no_desk_reader_says_how_to_set_one(qtbot: Any) -> None:
    """Out of the printer (or jammed in it) with no desktop reader set: no make-up button,
    the dialog names the setting, Close is the default; the job is left as it is."""
    from station.ui import i18n
    from station.ui.teller.dialogs import FailureDialog

    i18n.set_language("zh_CN")
    for position, jammed in (("none", False), ("print", True)):
        d = FailureDialog(_makeup_failure(position, jammed=jammed))
        qtbot.addWidget(d)
        assert d.out_of_printer and d.reader == ""
        assert d.makeup.isHidden() and d.close_button.isDefault()
        assert "设置" in d.todo.text() and "桌面读卡器" in d.todo.text()
        assert "不会丢失" in d.todo.text()
    inside = FailureDialog(_makeup_failure("print", desk=DESK))  # not jammed: in the printer
    qtbot.addWidget(inside)
    assert not inside.out_of_printer and inside.reader is None
    assert not inside.makeup.isHidden() and "打印机内" in inside.where.text()


def test_unfinished_panel_without_a_desk_reader(qtbot: Any) -> None:
    from station.ui import i18n
    from station.ui.teller.panels import UnfinishedPanel
    from tests.ui.test_i18n import _job

    i18n.set_language("zh_CN")
    rows = [Unfinished(_job(S.MAKEUP_PENDING), "卡面已打印 (face printed)", "makeup", True)]
    panel = UnfinishedPanel("")
    qtbot.addWidget(panel)
    panel.show_jobs(rows)
    assert panel.desk_job() is None and panel.makeup_button.isHidden()
    assert "设置" in panel.desk.text() and "不会丢失" in panel.desk.text()
    with_desk = UnfinishedPanel(DESK)
    qtbot.addWidget(with_desk)
    with_desk.show_jobs(rows)
    assert with_desk.desk_job() is rows[0].job and not with_desk.makeup_button.isHidden()
    in_printer = UnfinishedPanel(DESK)  # the card still inside: Recover makes it up there
    qtbot.addWidget(in_printer)
    in_printer.show_jobs([dataclasses.replace(rows[0], out_of_printer=False)])
    assert in_printer.desk_job() is None and in_printer.desk.text() == ""
