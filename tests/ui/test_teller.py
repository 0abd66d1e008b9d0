"""Issue 13 #1, the teller's instant issuance, with real widgets over real pcscd + vpcd and
the printer simulator over TCP: a full issuance typed into the form, a printer fault
mid-print -> failure dialog -> retry on a new blank, the event loop never blocked, and the
teller's keystrokes counted (the make-up after a killed station: test_teller_killed.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from station.inventory import State
from station.issuance.states import JobState, WasteCause
from station.printer.simulator import Fault, Remedy
from tests.issuance.job_rig import applicant
from tests.ui.clerk_rig import Watchdog
from tests.ui.teller_rig import (
    WAIT_MS,
    Counter,
    Teller,
    make_counter,
    teller_fixture,
)

pytestmark = pytest.mark.pcsc
S = JobState


@pytest.fixture
def counter(vpcd_slots: Any, tmp_path: Path) -> Iterator[Counter]:
    c = make_counter(tmp_path, vpcd_slots, {"ICBC": 3, "CCB": 1})
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def teller(qtbot: Any, ui_settings: Any, counter: Counter) -> Iterator[Teller]:
    yield from teller_fixture(qtbot, ui_settings, counter)


def _wait_issue_ready(t: Teller) -> None:
    t.qtbot.waitUntil(lambda: t.screen.issue_button.isEnabled(), timeout=WAIT_MS)


def _wait_idle(t: Teller) -> None:
    t.qtbot.waitUntil(lambda: not t.screen.ctl.running, timeout=WAIT_MS)


def _press_issue(t: Teller) -> None:
    t.qtbot.keyClick(t.screen.form.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_full_issuance_typed_into_the_form(teller: Teller, tmp_path: Path) -> None:
    s, bot = teller.screen, teller.qtbot
    values = applicant(11)
    assert s.form.bank.findData("ICBC") >= 0 and s.form.bank.findData("CCB") >= 0
    s.form.app_id.setFocus()
    s.form.app_id.clear()
    bot.keyClicks(s.form.app_id, values["application_id"])
    bot.keyClick(s.form.app_id, Qt.Key.Key_Return)  # Enter moves on
    assert s.form.ssn.hasFocus()
    bot.keyClicks(s.form.ssn, values["ssn"][:-1] + ("0" if values["ssn"][-1] != "0" else "1"))
    assert "校验" in s.form.problems["ssn"].text()  # the check character, while typing
    s.form.ssn.clear()
    bot.keyClicks(s.form.ssn, values["ssn"])
    assert s.form.problems["ssn"].text() == ""
    assert s.form.birth_date.text() == values["birth_date"]  # filled from the ID
    assert s.form.sex.currentData() == "1"
    s.form.name.setFocus()
    s.form.name.insert(values["name"])  # an input method commits Chinese text at once
    assert s.form.problems["photo"].isVisible()  # an adult needs a photo
    s.form.bank.setCurrentIndex(s.form.bank.findData("ICBC"))  # the hopper holds ICBC first
    photo = tmp_path / "portrait.jpg"
    photo.write_bytes(values["photo"])
    s.form.photo_file.emit(photo)  # as a file chosen or dropped
    bot.waitUntil(lambda: s.form.photo is not None, timeout=WAIT_MS)
    _wait_issue_ready(teller)
    bot.waitUntil(lambda: s.face.shown is not None or bool(s.face.note.text()), timeout=WAIT_MS)
    assert s.face.shown is not None, s.face.note.text()  # the live face preview
    with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS) as sig:
        _press_issue(teller)
        bot.waitUntil(lambda: s.dialog is not None or s.last is not None, timeout=WAIT_MS)
        assert s.dialog is None, (s.progress.seen, s.dialog.what.text())
    out = sig.args[0]
    assert out.ok and out.job.state is S.COMPLETED
    assert "card_number" not in s.progress.seen and "done" in s.progress.seen
    assert s.progress.seen[0] == "check" and "print" in s.progress.seen
    assert out.job.card_number in s.receipt.preview.toPlainText()
    assert values["ssn"] not in s.receipt.preview.toPlainText()  # masked
    inv = teller.ctx.inventory
    assert inv.blank(out.job.card_number).state is State.ISSUED
    bot.waitUntil(lambda: s.day.values[0].text() == "1", timeout=WAIT_MS)
    bot.keyClick(s.form, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert s.handed_over and teller.receipts[0].stat().st_size > 1000
    assert s.form.ssn.text() == "" and s.form.app_id.text() != values["application_id"]


def test_printer_fault_mid_print_then_retry_on_a_new_blank(teller: Teller) -> None:
    s, bot, sim = teller.screen, teller.qtbot, teller.counter.sim
    values = applicant(12)
    s.form.fill(values)
    _wait_issue_ready(teller)
    sim.inject(Fault.RIBBON_END, 2)  # the ribbon ends during the 2nd panel
    _press_issue(teller)
    bot.waitUntil(lambda: s.dialog is not None, timeout=WAIT_MS)
    d = s.dialog
    assert d is not None
    failed = d.failure.outcome.job
    assert failed.state is S.FAILED and failed.cause is WasteCause.PRINT_FAULT
    assert "色带" in d.what.text() and "打印故障" in d.what.text()  # what, and the cause
    assert "废卡" in d.where.text() or "作废" in d.where.text()  # where: spoiled, reject box
    assert d.retry.isVisible() and d.retry.isDefault()
    assert teller.ctx.inventory.blank(failed.card_number).state is State.SPOILED
    sim.remedy(Remedy.LOAD_RIBBON)  # the teller changes the ribbon
    with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS) as sig:
        bot.keyClick(d, Qt.Key.Key_Return)  # Enter: retry on a new blank
    retry = sig.args[0].job
    assert retry.state is S.COMPLETED and retry.retry_of == failed.job_id
    assert retry.card_number != failed.card_number
    bot.waitUntil(lambda: s.day.values[3].text() == "1", timeout=WAIT_MS)  # one spoiled


def test_event_loop_never_blocked_during_an_issuance(teller: Teller) -> None:
    s, bot = teller.screen, teller.qtbot
    s.form.fill(applicant(14))
    _wait_issue_ready(teller)
    dog = Watchdog()
    dog.start()
    with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS):
        _press_issue(teller)
    largest = dog.stop()
    print(f"\nlargest event-loop gap during an issuance: {largest} ms ({dog.ticks} ticks)")
    assert dog.ticks > 20 and largest < 100


def test_happy_path_actions_from_a_filled_form(teller: Teller) -> None:
    """Count what the teller does from a filled form to a handed-over card."""
    s, bot = teller.screen, teller.qtbot
    s.form.fill(applicant(15))
    _wait_issue_ready(teller)
    actions: list[str] = []
    clicks = 0
    with bot.waitSignal(s.ctl.issued, timeout=WAIT_MS):
        _press_issue(teller)
        actions.append("Ctrl+Enter (Issue)")
    assert QApplication.activeModalWidget() is None  # nothing to answer on the happy path
    bot.keyClick(QApplication.focusWidget() or s, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    actions.append("Ctrl+P (receipt, hand over)")
    assert s.handed_over and teller.receipts and teller.receipts[-1].exists()
    print(
        f"\nteller actions from a filled form to a handed-over card: {len(actions)} "
        f"({', '.join(actions)}), mouse clicks: {clicks}"
    )
    assert len(actions) == 2 and clicks == 0
