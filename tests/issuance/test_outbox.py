# ruff: noqa: F811  (fixtures imported by name, then requested as parameters)
"""The registration outbox (回盘): one record per finished job, idempotent batch files with an
SM3 digest, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import update

from station.crypto.algorithms import sm3
from station.fsutil import SymlinkRefused
from station.issuance.journal import Issue, Journal, Release, Spoil
from station.issuance.models import OutboxRecord
from station.issuance.outbox import BatchCorrupt, BatchNotFound, Outbox, read_batch
from station.issuance.states import JobState, Step
from station.issuance.states import WasteCause as W
from tests.issuance.journal_setup import (  # noqa: F401  (fixtures are found by name)
    ATR_HIST,
    STATION,
    Db,
    _private_station_files,
    application,
    chip_of,
    clock,
    db,
    drive,
    inv,
    journal,
    pg_url,
    stocked,
)

S = JobState


def finish_four(journal: Journal) -> dict[str, str]:
    """A completed, a made-up, a failed (spoiled) and a cancelled job; app id -> job id."""
    inv = journal.inv
    ids = {}
    a = journal.create(application(40), "t1")
    drive(journal, a.job_id, S.COMPLETED)
    b = journal.create(application(41, reason="replacement"), "t1")
    drive(journal, b.job_id, S.PRINTED)
    pending = journal.advance(b.job_id, Step.MAKEUP_NEEDED)
    journal.advance(b.job_id, Step.ISSUE, inventory_action=Issue(chip_of(inv, pending)))
    journal.advance(b.job_id, Step.REGISTER)
    c = journal.create(application(42), "t1")
    drive(journal, c.job_id, S.WRITING)
    journal.advance(c.job_id, Step.FAIL, inventory_action=Spoil(W.CHIP_WRITE_FAULT))
    d = journal.create(application(43), "t1")
    journal.advance(d.job_id, Step.CANCEL)
    for job in (a, b, c, d):
        ids[job.application_id] = job.job_id
    return ids


def test_one_record_per_finished_job_with_the_registration_fields(journal: Journal) -> None:
    inv = journal.inv
    ids = finish_four(journal)
    box = Outbox(inv, station=STATION)
    recs = {r["application_id"]: r for r in box.records()}
    assert set(recs) == {"APP-0040", "APP-0041", "APP-0042"}  # a cancelled job leaves none
    done = recs["APP-0040"]
    job = journal.job(ids["APP-0040"])
    blank = inv.blank(job.card_number or "")
    assert done["result"] == "completed" and done["reason"] == ""
    assert (done["card_number"], done["card_id_code"]) == (blank.card_number, blank.card_id_code)
    assert done["atr_historical"] == ATR_HIST.hex().upper()
    assert done["expiry_date"] == blank.expiry.isoformat()
    assert done["issue_date"] == inv.today().isoformat()
    assert done["ssn"] == application(40).holder.ssn and done["name"] == "测试申请人"
    assert (done["bank"], done["station"], done["operator"]) == ("ICBC", STATION, "t1")
    assert done["created"].endswith("Z") and done["finished"].endswith("Z")
    made = recs["APP-0041"]
    assert made["result"] == "made_up" and made["application_reason"] == "replacement"
    failed = recs["APP-0042"]
    assert failed["result"] == "failed" and failed["reason"] == "chip_write_fault"
    assert failed["issue_date"] is None and failed["expiry_date"] is None
    # the retry of a failed job names it
    retry = journal.create(application(42), "t1")
    drive(journal, retry.job_id, S.COMPLETED)
    last = box.records()[-1]
    assert last["retry_of"] == ids["APP-0042"] and last["result"] == "completed"


def test_export_is_idempotent_and_verifiable(journal: Journal, tmp_path: Path) -> None:
    inv = journal.inv
    finish_four(journal)
    box = Outbox(inv, station=STATION)
    assert box.pending() == 3
    first = box.export_batch(tmp_path / "b1.jsonl")
    assert first is not None and first.count == 3
    data = (tmp_path / "b1.jsonl").read_bytes()
    assert stat.S_IMODE(os.stat(tmp_path / "b1.jsonl").st_mode) == 0o600
    lines = data.decode().splitlines()
    assert len(lines) == 5
    assert sm3(("\n".join(lines[:-1]) + "\n").encode()).hex() == first.sm3
    parsed = read_batch(tmp_path / "b1.jsonl")
    assert parsed.header["batch"] == first.batch_id and parsed.header["count"] == 3
    assert parsed.header["station"] == STATION and len(parsed.records) == 3
    # every record belongs to one batch: nothing new, nothing to export
    assert box.pending() == 0
    assert box.export_batch(tmp_path / "b2.jsonl") is None
    assert not (tmp_path / "b2.jsonl").exists()
    # re-exporting the batch id reproduces the same bytes, even after new records exist
    job = journal.create(application(44), "t1")
    drive(journal, job.job_id, S.RESERVED)
    journal.advance(job.job_id, Step.FAIL, inventory_action=Release(W.JAM))
    again = box.export_batch(tmp_path / "again.jsonl", batch_id=first.batch_id)
    assert again is not None and again.sm3 == first.sm3
    assert (tmp_path / "again.jsonl").read_bytes() == data
    second = box.export_batch(tmp_path / "b3.jsonl")
    assert second is not None and second.count == 1 and second.batch_id != first.batch_id
    assert [r["job_id"] for r in read_batch(tmp_path / "b3.jsonl").records] == [job.job_id]
    assert set(box.batches()) == {first.batch_id, second.batch_id}
    # another station's outbox sees neither batch nor records
    other = Outbox(inv, station="ST02")
    assert other.pending() == 0 and other.batches() == []
    with pytest.raises(BatchNotFound):
        other.export_batch(tmp_path / "x.jsonl", batch_id=first.batch_id)


def test_tampering_is_found(journal: Journal, db: Db, tmp_path: Path) -> None:
    finish_four(journal)
    box = Outbox(journal.inv, station=STATION)
    info = box.export_batch(tmp_path / "b.jsonl")
    assert info is not None
    data = (tmp_path / "b.jsonl").read_bytes()
    (tmp_path / "edited.jsonl").write_bytes(data.replace(b'"completed"', b'"cancelled"', 1))
    with pytest.raises(BatchCorrupt, match="SM3"):
        read_batch(tmp_path / "edited.jsonl")
    (tmp_path / "cut.jsonl").write_bytes(b"\n".join(data.split(b"\n")[:2]) + b"\n")
    with pytest.raises(BatchCorrupt):
        read_batch(tmp_path / "cut.jsonl")
    (tmp_path / "junk.jsonl").write_bytes(b"\xff\xfe not json\n")
    with pytest.raises(BatchCorrupt):
        read_batch(tmp_path / "junk.jsonl")
    # a record edited in the database no longer reproduces the batch: refused, not re-signed
    with db.engine.begin() as c:
        c.execute(
            update(OutboxRecord)
            .where(OutboxRecord.batch_id == info.batch_id)
            .values(record=OutboxRecord.record + " ")
        )
    with pytest.raises(BatchCorrupt):
        box.export_batch(tmp_path / "re.jsonl", batch_id=info.batch_id)
    assert not (tmp_path / "re.jsonl").exists()


def test_batch_files_are_never_written_through_a_symlink(journal: Journal, tmp_path: Path) -> None:
    finish_four(journal)
    box = Outbox(journal.inv, station=STATION)
    target = tmp_path / "victim.txt"
    target.write_text("keep")
    (tmp_path / "link.jsonl").symlink_to(target)
    with pytest.raises(SymlinkRefused):
        box.export_batch(tmp_path / "link.jsonl")
    assert target.read_text() == "keep"
    # the batch was claimed before the write failed: it is exported again by its id
    (batch_id,) = box.batches()
    info = box.export_batch(tmp_path / "ok.jsonl", batch_id=batch_id)
    assert info is not None and info.count == 3


def test_two_batches_in_the_same_second_get_two_files(journal: Journal, tmp_path: Path) -> None:
    """Exported into a folder, a batch file is named after its batch: a second batch made in
    the same second (the clock does not move here) never replaces the first one's file."""
    finish_four(journal)
    box = Outbox(journal.inv, station=STATION)
    folder = tmp_path / "out"
    folder.mkdir()
    first = box.export_batch(folder)
    job = journal.create(application(45), "t1")
    drive(journal, job.job_id, S.COMPLETED)
    second = box.export_batch(folder)
    assert first is not None and second is not None and first.batch_id != second.batch_id
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"outbox-{b.batch_id}.jsonl" for b in (first, second)
    )
    assert read_batch(first.path).header["count"] == 3
    assert read_batch(second.path).header["count"] == 1
