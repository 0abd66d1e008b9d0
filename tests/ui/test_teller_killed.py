"""Issue 13 acceptance: one make-up after the station process was killed and restarted.

The killed process is the desktop app itself (``station gui``, offscreen): the teller signs
in, fills the form and presses Issue; the teller screen's controller runs the job on its
device workers against this test's SQLite book, pcscd + vpcd (the blank at the printer's
contact station, the PSAM) and the printer simulator over TCP.  Once the face is printed
(the journal's PRINTED step, reported on a pipe) the process is SIGKILLed.  Then, in this
process, the teller screen is built fresh as at sign-in: the unfinished job is shown with
its recovery, Ctrl+R makes it up (制卡补登) without printing again, and the book balances.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from station.inventory import State
from station.issuance.outbox import Outbox
from station.issuance.states import JobState
from station.ui.teller.form_logic import kept_application
from tests.issuance.job_rig import STATION, applicant
from tests.ui.killed_station_rig import kill_at, write_values
from tests.ui.teller_rig import WAIT_MS, Counter, make_counter, open_teller

pytestmark = pytest.mark.pcsc
S = JobState


@pytest.fixture
def counter(vpcd_slots: Any, tmp_path: Path) -> Iterator[Counter]:
    c = make_counter(tmp_path, vpcd_slots, {"ICBC": 2})
    try:
        yield c
    finally:
        c.close()


def test_makeup_after_the_station_gui_was_killed_at_printed(
    qtbot: Any, ui_settings: Any, counter: Counter, tmp_path: Path
) -> None:
    values = applicant(13)
    killed = kill_at(ui_settings, counter, write_values(tmp_path / "app.json", values), "printed")
    assert killed.returncode == -signal.SIGKILL, killed
    assert killed.lines[:2] == ["signed-in", "issuing"], killed.lines
    assert killed.lines[-1] == "printed" and "print" in killed.lines, killed.lines
    assert counter.sim.state().printed == 1  # the face is on the card
    (job,) = counter.journal().jobs(unfinished=True)
    assert job.state is S.PRINTED and job.application_id == values["application_id"]
    kept = counter.root / "data" / "applications"
    assert kept_application(kept, values["application_id"]) is not None  # for the make-up

    teller = open_teller(qtbot, ui_settings, counter)  # the app, restarted: a fresh screen
    try:
        s = teller.screen
        qtbot.waitUntil(lambda: s.unfinished.table.rowCount() == 1, timeout=WAIT_MS)
        assert s.unfinished.isVisible()
        row = [s.unfinished.table.item(0, j).text() for j in range(4)]
        assert row[:3] == [job.job_id, values["application_id"], S.PRINTED.value]
        assert "补登" in row[3]  # its recovery: make-up, never print again
        with qtbot.waitSignal(s.ctl.recovered, timeout=WAIT_MS) as sig:
            qtbot.keyClick(s, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        (r,) = sig.args[0]
        assert r.job.job_id == job.job_id, r.note
        assert r.job.state is S.COMPLETED and r.job.made_up, r.note
        qtbot.waitUntil(lambda: not s.unfinished.isVisible(), timeout=WAIT_MS)
        assert "补登" in s.receipt.preview.toPlainText()
        assert values["ssn"] not in s.receipt.preview.toPlainText()  # masked
        qtbot.waitUntil(lambda: s.day.values[1].text() == "1", timeout=WAIT_MS)  # made up
        inv = teller.ctx.inventory
        assert inv.blank(r.job.card_number).state is State.ISSUED
        assert counter.sim.state().printed == 1  # printed once, not twice
        assert counter.journal().jobs(unfinished=True) == []
        (rec,) = Outbox(inv, station=STATION).records()
        assert (rec["job_id"], rec["result"]) == (job.job_id, "made_up")
        ledger = inv.verify_ledger()
        assert ledger.ok, ledger
    finally:
        teller.close()
