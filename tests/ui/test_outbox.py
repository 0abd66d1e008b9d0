# ruff: noqa: F811  (fixtures imported by name, then requested as parameters)
"""Issue 13 #3, the Outbox tab, through real widgets (offscreen) over a real stock book —
a SQLite file and a PostgreSQL schema: the registrations pending export (one per finished
job of this station, the ID number masked), a batch exported (a verified file, the records
moved to the batch), nothing pending -> no batch, a later batch of only the new records,
and an exported batch written again byte for byte."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from station.config import Settings
from station.inventory import Inventory
from station.issuance.journal import Issue, Journal, Spoil
from station.issuance.outbox import read_batch
from station.issuance.states import JobState, Step, WasteCause
from station.ui.supervisor import Book, Supervisor
from station.ui.supervisor.views.outbox import OutboxView
from station.ui.workers import DeviceWorker
from tests.inventory.conftest import (  # noqa: F401  (fixtures are found by name)
    Clock,
    Db,
    _private_station_files,
    clock,
    db,
    inv,
    pg_url,
    stocked,
)
from tests.issuance.journal_setup import STATION, application, chip_of, drive

WAIT = 15_000  # ms: a generous deadline for one database job on a shared 2-CPU machine
S = JobState


def finish_jobs(journal: Journal) -> dict[str, str]:
    """This station's day: a completed, a made-up and a failed job (each leaves a
    registration) and a cancelled one (leaves none); result -> job id."""
    a = journal.create(application(40), "t1")
    drive(journal, a.job_id, S.COMPLETED)
    b = journal.create(application(41), "t1")
    drive(journal, b.job_id, S.PRINTED)
    pending = journal.advance(b.job_id, Step.MAKEUP_NEEDED)
    journal.advance(b.job_id, Step.ISSUE, inventory_action=Issue(chip_of(journal.inv, pending)))
    journal.advance(b.job_id, Step.REGISTER)
    c = journal.create(application(42), "t1")
    drive(journal, c.job_id, S.WRITING)
    journal.advance(c.job_id, Step.FAIL, inventory_action=Spoil(WasteCause.CHIP_WRITE_FAULT))
    d = journal.create(application(43), "t1")
    journal.advance(d.job_id, Step.CANCEL)
    return {"completed": a.job_id, "made_up": b.job_id, "failed": c.job_id}


@pytest.fixture
def screen(qtbot: Any, stocked: Inventory, ui_settings: Settings) -> Iterator[OutboxView]:
    """The supervisor's tabs over this station's book, on the Outbox tab."""
    settings = dataclasses.replace(ui_settings, station_id=STATION)
    worker = DeviceWorker("database")
    sup = Supervisor(Book(stocked, "sup", worker, settings))
    qtbot.addWidget(sup)
    sup.resize(1200, 800)
    sup.show()
    sup.setCurrentWidget(sup.outbox)
    yield sup.outbox
    worker.stop()


def _export(qtbot: Any, page: OutboxView, folder: Path) -> Any:
    """The folder typed, Alt+E (Export a new batch): what the controller exported."""
    page.directory.edit.clear()
    qtbot.keyClicks(page.directory.edit, str(folder))
    with qtbot.waitSignal(page.ctl.exported, timeout=WAIT) as sig:
        qtbot.keyClick(page.directory.edit, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    return sig.args[0]


def _shown(page: OutboxView, pending: int, batches: int) -> bool:
    return page.pending.model.rowCount() == pending and page.batches.count() == batches


def test_pending_registrations_then_a_batch_exported(
    qtbot: Any, screen: OutboxView, stocked: Inventory, clock: Clock, tmp_path: Path
) -> None:
    page = screen
    ids = finish_jobs(Journal(stocked, station=STATION))
    other = Journal(stocked, station="ST02")  # another station's job is not this outbox's
    drive(other, other.create(application(44), "t1").job_id, S.COMPLETED)
    page.refresh_button.click()
    qtbot.waitUntil(lambda: _shown(page, 3, 0), timeout=WAIT)
    rows = {r[1]: r for r in page.pending.model.rows}  # result -> row
    assert {k: r[0] for k, r in rows.items()} == ids
    assert "3" in page.pending_label.text()
    for n, result in ((40, "completed"), (41, "made_up"), (42, "failed")):
        ssn = application(n).holder.ssn
        assert rows[result][3] == ssn[:6] + "*" * 8 + ssn[-4:]  # masked on screen
        assert not any(ssn in str(cell) for cell in rows[result])
    assert rows["completed"][4] and rows["failed"][4]  # the card numbers
    # the table filters on the words it shows for a result, in the language in use (set,
    # not typed: Qt's test keys abort the process on a Chinese character)
    from station.ui.supervisor import words

    page.pending.filter.setText(words.result("made_up"))
    assert [r[0] for r in page.pending.visible_rows()] == [ids["made_up"]]
    page.pending.filter.clear()

    # export a batch: a verified file of the three, nothing pending any more
    first = _export(qtbot, page, tmp_path / "out")
    assert first is not None and first.count == 3 and first.station == STATION
    qtbot.waitUntil(lambda: _shown(page, 0, 1), timeout=WAIT)
    assert page.batches.item(0).text() == first.batch_id
    assert page.status.ok and first.batch_id in page.status.text()
    batch = read_batch(first.path)  # the receiving side's check: count, station, SM3
    assert batch.header["batch"] == first.batch_id and batch.sm3 == first.sm3
    assert sorted(r["job_id"] for r in batch.records) == sorted(ids.values())
    assert stat.S_IMODE(os.stat(first.path).st_mode) == 0o600
    page.batches.setCurrentRow(0)  # the batch chosen: its records
    qtbot.waitUntil(lambda: page.batch.model.rowCount() == 3, timeout=WAIT)
    assert {r[0] for r in page.batch.model.rows} == set(ids.values())

    # nothing pending: no batch, no file
    assert _export(qtbot, page, tmp_path / "out") is None
    assert page.batches.count() == 1 and os.listdir(tmp_path / "out") == [first.path.name]

    # a job finished later goes into a batch of its own
    clock.advance(minutes=5)
    late = Journal(stocked, station=STATION).create(application(45), "t1")
    drive(Journal(stocked, station=STATION), late.job_id, S.COMPLETED)
    page.refresh_button.click()
    qtbot.waitUntil(lambda: _shown(page, 1, 1), timeout=WAIT)
    second = _export(qtbot, page, tmp_path / "out")
    assert second is not None and second.count == 1 and second.batch_id != first.batch_id
    assert [r["job_id"] for r in read_batch(second.path).records] == [late.job_id]
    qtbot.waitUntil(lambda: _shown(page, 0, 2), timeout=WAIT)

    # the first batch written again, elsewhere: the same bytes (Alt+G)
    page.batches.setCurrentRow(0)
    page.directory.edit.clear()
    qtbot.keyClicks(page.directory.edit, str(tmp_path / "again"))
    with qtbot.waitSignal(page.ctl.exported, timeout=WAIT) as sig:
        qtbot.keyClick(page.directory.edit, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    again = sig.args[0]
    assert again.batch_id == first.batch_id and again.path.parent == tmp_path / "again"
    assert again.path.read_bytes() == first.path.read_bytes()
