# ruff: noqa: F811  (fixtures imported by name, then requested as parameters)
"""The issuance journal on SQLite and PostgreSQL: each step and its stock movement commit
together, one application gets at most one card, failures release or spoil, retries link."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, func, select, text
from sqlalchemy.exc import IntegrityError

from station.inventory import (
    Inventory,
    InventoryError,
    PermissionDenied,
    State,
    WrongBank,
)
from station.inventory.models import LedgerRow, metadata
from station.issuance import models as iss_models
from station.issuance.journal import (
    AlreadyIssued,
    ApplicationMismatch,
    BlankElsewhere,
    ChipData,
    ChipMismatch,
    Issue,
    JobInProgress,
    JobNotFound,
    Journal,
    Release,
    Reserve,
    Spoil,
    UnknownBank,
    WrongAction,
)
from station.issuance.models import Job, JournalRow, Kind
from station.issuance.states import HAPPY_PATH, TRANSITIONS, JobState, JobStateError, Step
from station.issuance.states import WasteCause as W
from tests.issuance.journal_setup import (  # noqa: F401  (fixtures are found by name)
    ATR_HIST,
    PASSWORDS,
    STATION,
    Db,
    _private_station_files,
    application,
    chip_of,
    clock,
    db,
    drive,
    free_blank,
    inv,
    journal,
    pg_url,
    race_for_applications,
    stocked,
)

S = JobState


def ledger_rows(i: Inventory) -> int:
    return i.status().ledger_rows


def test_happy_path_journals_every_step_and_books_the_card(journal: Journal) -> None:
    inv = journal.inv
    job = journal.create(application(1), "t1")
    assert job.state is S.CREATED and job.retry_of is None and job.station == STATION
    card = free_blank(inv)
    done = drive(journal, job.job_id, S.COMPLETED, card=card)
    # the chip data of the finished card is recorded
    blank = inv.blank(card)
    assert (done.card_number, done.card_id_code) == (card, blank.card_id_code)
    assert done.atr_historical == ATR_HIST
    assert done.issued_at is not None and not done.made_up
    assert blank.state is State.ISSUED and blank.job_id == job.job_id
    # one journal row per step, intents before device steps, numbered without gaps
    rows = journal.entries(job.job_id)
    assert [r.step for r in rows] == ["create", *(s.value for s in HAPPY_PATH)]
    assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
    intents = {r.step for r in rows if r.kind is Kind.INTENT}
    assert intents == {"feed", "write", "print", "eject"}
    assert [r.state for r in rows][-1] is S.COMPLETED
    assert all(r.actor == "t1" for r in rows)
    rep = inv.verify_ledger()
    assert rep.ok, rep.problem


def test_exactly_once_in_progress_then_already_issued(journal: Journal) -> None:
    app = application(2)
    job = journal.create(app, "t1")
    with pytest.raises(JobInProgress) as err:
        journal.create(app, "t1")
    assert "in progress" in err.value.message and app.application_id in err.value.detail
    drive(journal, job.job_id, S.PRINTED)  # a face exists: already a card
    with pytest.raises(AlreadyIssued) as err2:
        journal.create(app, "t2")
    assert "already issued" in err2.value.message
    drive(journal, job.job_id, S.COMPLETED)
    with pytest.raises(AlreadyIssued):
        journal.create(app, "t1")
    assert len(journal.jobs(application_id=app.application_id)) == 1


def test_failure_before_write_releases_and_retry_links(journal: Journal) -> None:
    inv = journal.inv
    app = application(3)
    first = journal.create(app, "t1")
    card = free_blank(inv)
    drive(journal, first.job_id, S.RESERVED, card=card)
    assert inv.blank(card).state is State.RESERVED
    failed = journal.advance(first.job_id, Step.FAIL, inventory_action=Release(W.JAM))
    assert failed.state is S.FAILED and failed.cause is W.JAM
    b = inv.blank(card)
    assert b.state is State.IN_DRAWER and b.job_id is None  # back in the drawer
    retry = journal.create(app, "t1")
    assert retry.retry_of == first.job_id
    done = drive(journal, retry.job_id, S.COMPLETED)
    # the released blank held no personal data: it may serve the retry; the books agree
    assert inv.blank(done.card_number or "").job_id == retry.job_id
    assert inv.blank(done.card_number or "").state is State.ISSUED
    assert inv.verify_ledger().ok


def test_failure_after_write_spoils_with_the_cause(journal: Journal) -> None:
    inv = journal.inv
    app = application(4)
    job = journal.create(app, "t1")
    info = drive(journal, job.job_id, S.PRINTING)
    with pytest.raises(WrongAction):  # FAIL needs to say release or spoil
        journal.advance(job.job_id, Step.FAIL)
    journal.advance(job.job_id, Step.FAIL, inventory_action=Spoil(W.PRINT_FAULT), detail="jam")
    b = inv.blank(info.card_number or "")
    assert b.state is State.SPOILED and b.reason == W.PRINT_FAULT.value
    retry = journal.create(app, "t1")
    assert retry.retry_of == job.job_id
    # a cancelled retry gives the failed job back to the next retry
    journal.advance(retry.job_id, Step.CANCEL)
    again = journal.create(app, "t1")
    assert again.retry_of == job.job_id
    assert inv.verify_ledger().ok


def test_fail_before_reserving_moves_no_stock(journal: Journal) -> None:
    inv = journal.inv
    job = journal.create(application(5), "t1")
    drive(journal, job.job_id, S.AT_CONTACTS)
    before = ledger_rows(inv)
    with pytest.raises(WrongAction):
        journal.advance(job.job_id, Step.FAIL, inventory_action=Spoil(W.JAM))
    journal.advance(job.job_id, Step.FAIL, inventory_action=Release(W.JAM))
    assert ledger_rows(inv) == before
    assert journal.job(job.job_id).cause is W.JAM


def test_makeup_completes_without_printing_again(journal: Journal) -> None:
    inv = journal.inv
    app = application(6)
    job = journal.create(app, "t1")
    drive(journal, job.job_id, S.EJECTING)
    pending = journal.advance(job.job_id, Step.MAKEUP_NEEDED, detail="restart")
    assert pending.state is S.MAKEUP_PENDING and pending.made_up
    with pytest.raises(JobStateError):
        journal.advance(job.job_id, Step.PRINT)
    with pytest.raises(JobStateError):  # a printed card is never failed
        journal.advance(job.job_id, Step.FAIL, inventory_action=Spoil(W.PRINT_FAULT))
    assert journal.matches(job.job_id, app)
    assert not journal.matches(job.job_id, application(6, name="另一个人"))
    issued = journal.advance(job.job_id, Step.ISSUE, inventory_action=Issue(chip_of(inv, pending)))
    done = journal.advance(issued.job_id, Step.REGISTER)
    assert done.state is S.COMPLETED and done.made_up
    steps = [r.step for r in journal.entries(job.job_id)]
    assert steps.count("print") == 1


def test_a_wrong_blank_is_refused_and_the_reason_booked(journal: Journal) -> None:
    inv = journal.inv
    job = journal.create(application(7), "t1")
    drive(journal, job.job_id, S.AT_CONTACTS)
    ccb = free_blank(inv, "CCB")
    before = ledger_rows(inv)
    with pytest.raises(WrongBank):
        journal.advance(job.job_id, Step.RESERVE, inventory_action=Reserve(ccb))
    assert journal.job(job.job_id).state is S.AT_CONTACTS
    assert inv.blank(ccb).state is State.IN_DRAWER and ledger_rows(inv) == before
    last = journal.entries(job.job_id)[-1]
    assert last.kind is Kind.REFUSED and last.step == "reserve" and "WrongBank" in last.detail
    assert last.state is S.AT_CONTACTS
    # a blank of the right bank that is not in the station's stock named by the runner
    with pytest.raises(BlankElsewhere):
        journal.advance(
            job.job_id, Step.RESERVE, inventory_action=Reserve(free_blank(inv), location="S1")
        )
    assert ledger_rows(inv) == before  # the reservation was rolled back with the step
    ok = journal.advance(job.job_id, Step.RESERVE, inventory_action=Reserve(free_blank(inv)))
    assert ok.state is S.RESERVED


def test_the_finished_chip_must_be_the_reserved_blank(journal: Journal) -> None:
    inv = journal.inv
    job = journal.create(application(8), "t1")
    info = drive(journal, job.job_id, S.EJECTED)
    other = inv.blank(free_blank(inv))
    with pytest.raises(ChipMismatch):
        journal.advance(
            job.job_id,
            Step.ISSUE,
            inventory_action=Issue(ChipData(other.card_number, other.card_id_code, ATR_HIST)),
        )
    assert inv.blank(info.card_number or "").state is State.RESERVED
    assert journal.job(job.job_id).state is S.EJECTED


def test_steps_off_the_table_and_stray_stock_moves_are_refused(journal: Journal) -> None:
    job = journal.create(application(9), "t1")
    for step in Step:
        if S.CREATED not in TRANSITIONS[step][0]:
            with pytest.raises(JobStateError):
                journal.advance(job.job_id, step)
    with pytest.raises(WrongAction):
        journal.advance(job.job_id, Step.FEED, inventory_action=Release(W.JAM))
    with pytest.raises(JobNotFound):
        journal.advance("J-none", Step.FEED)
    assert len(journal.entries(job.job_id)) == 1


def test_operators_must_sign_in_and_applications_must_agree(journal: Journal) -> None:
    inv = journal.inv
    inv.auth.sign_out("t2")
    with pytest.raises(PermissionDenied):
        journal.create(application(10), "t2")
    with pytest.raises(PermissionDenied):  # an auditor may not issue
        journal.create(application(10), "aud")
    job = journal.create(application(10), "t1")
    journal.advance(job.job_id, Step.CANCEL)
    with pytest.raises(ApplicationMismatch):  # the same id, another person
        journal.create(application(10, serial=77), "t1")
    with pytest.raises(UnknownBank):
        journal.create(application(11, bank="BOC"), "t1")
    with pytest.raises(PermissionDenied):
        journal.advance(job.job_id, Step.FEED, by="t2")


def test_personal_data_stays_out_of_reprs_and_details_are_bounded(journal: Journal) -> None:
    app = application(12)
    job = journal.create(app, "t1", detail="x" * 2000)
    assert app.holder.ssn not in repr(job) and "测试申请人" not in repr(job)
    assert len(journal.entries(job.job_id)[0].detail) == 500


# -- one transaction: a failure on either side rolls back both ---------------------------------


def _fail_inserts(db: Db, table: str, when: str) -> None:
    """A real database fault: a trigger that refuses the next insert into ``table``."""
    with db.engine.begin() as c:
        if db.kind == "sqlite":
            c.execute(
                text(
                    f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} WHEN {when} "
                    "BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
                )
            )
        else:
            c.execute(
                text(
                    f"CREATE FUNCTION fail_{table}() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'injected fault'; END $$ LANGUAGE plpgsql"
                )
            )
            c.execute(
                text(
                    f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} FOR EACH ROW "
                    f"WHEN ({when.replace('NEW.', 'NEW.')}) EXECUTE FUNCTION fail_{table}()"
                )
            )


def _drop_fault(db: Db, table: str) -> None:
    with db.engine.begin() as c:
        c.execute(
            text(f"DROP TRIGGER fail_{table}" + ("" if db.kind == "sqlite" else f" ON {table}"))
        )


def test_a_failed_journal_write_rolls_back_the_stock_movement(journal: Journal, db: Db) -> None:
    inv = journal.inv
    job = journal.create(application(13), "t1")
    drive(journal, job.job_id, S.AT_CONTACTS)
    card = free_blank(inv)
    before = ledger_rows(inv)
    _fail_inserts(db, "iss_journal", "NEW.step = 'reserve'")
    with pytest.raises(InventoryError) as err:
        journal.advance(job.job_id, Step.RESERVE, inventory_action=Reserve(card))
    assert "nothing was changed" in err.value.message
    # the reservation was made in the same transaction and is gone with the journal row
    assert inv.blank(card).state is State.IN_DRAWER and inv.blank(card).job_id is None
    assert ledger_rows(inv) == before and inv.verify_ledger().ok
    assert journal.job(job.job_id).state is S.AT_CONTACTS
    _drop_fault(db, "iss_journal")
    assert journal.advance(job.job_id, Step.RESERVE, inventory_action=Reserve(card)).card_number


def test_a_failed_stock_movement_rolls_back_the_journal(journal: Journal, db: Db) -> None:
    inv = journal.inv
    job = journal.create(application(14), "t1")
    info = drive(journal, job.job_id, S.EJECTED)
    rows = len(journal.entries(job.job_id))
    _fail_inserts(db, "inv_ledger", "NEW.action = 'ISSUE'")
    with pytest.raises(InventoryError):
        journal.advance(job.job_id, Step.ISSUE, inventory_action=Issue(chip_of(inv, info)))
    assert journal.job(job.job_id).state is S.EJECTED
    assert journal.job(job.job_id).atr_historical is None
    assert len(journal.entries(job.job_id)) == rows
    assert inv.blank(info.card_number or "").state is State.RESERVED
    _drop_fault(db, "inv_ledger")
    journal.advance(job.job_id, Step.ISSUE, inventory_action=Issue(chip_of(inv, info)))
    assert inv.blank(info.card_number or "").state is State.ISSUED


# -- exactly once under concurrency -----------------------------------------------------------


def test_the_database_itself_refuses_a_second_live_job(journal: Journal, db: Db) -> None:
    job = journal.create(application(15), "t1")
    with db.engine.connect() as c:
        row = dict(c.execute(select(Job.__table__).where(Job.job_id == job.job_id)).one()._mapping)
    row["job_id"] = "J-forged"
    with pytest.raises(IntegrityError), db.engine.begin() as c:
        c.execute(Job.__table__.insert().values(**row))
    journal.advance(job.job_id, Step.CANCEL)
    with db.engine.begin() as c:  # once the first ended, the index admits another
        c.execute(Job.__table__.insert().values(**row))


@pytest.mark.slow
def test_two_processes_racing_for_one_application_exactly_one_wins(
    journal: Journal, db: Db, monkeypatch: pytest.MonkeyPatch
) -> None:
    # spawned workers import the racer from this repository's tests package
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    rounds = list(range(100, 120))
    ctx = multiprocessing.get_context("spawn")
    manager = ctx.Manager()
    try:
        barrier = manager.Barrier(2)
        with ctx.Pool(2) as pool:
            work = [(db.url, db.schema, rounds, barrier, i) for i in range(2)]
            a, b = pool.map_async(race_for_applications, work).get(timeout=100)
    finally:
        manager.shutdown()
    for n, x, y in zip(rounds, a, b, strict=True):
        won = [o for o in (x, y) if not o.startswith("refused:")]
        assert len(won) == 1, (n, x, y)
        assert "refused:JobInProgress" in (x, y)
    with db.engine.connect() as c:
        per_app = c.execute(
            select(Job.application_id, func.count()).group_by(Job.application_id)
        ).all()
    assert {app for app, n in per_app if n != 1} == set()
    assert len(per_app) == len(rounds)


# -- schema ---------------------------------------------------------------------------------------


def test_the_migration_creates_exactly_the_models(db: Db) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    assert iss_models.Job.__table__.metadata is metadata
    with db.engine.connect() as c:
        ctx = MigrationContext.configure(c, opts={"compare_type": True})
        diff = compare_metadata(ctx, metadata)
    assert diff == []
    reflected = MetaData()
    with db.engine.connect() as c:
        reflected.reflect(c)
    assert {"iss_jobs", "iss_journal", "iss_outbox", "iss_outbox_batches"} <= set(reflected.tables)


def test_day_report_counts_jobs_spoiled_blanks_and_waste(journal: Journal, clock: Any) -> None:
    inv = journal.inv
    apps = [application(n) for n in range(20, 24)]
    jobs = [journal.create(a, "t1") for a in apps]
    drive(journal, jobs[0].job_id, S.COMPLETED)
    drive(journal, jobs[1].job_id, S.PRINTED)
    journal.advance(jobs[1].job_id, Step.MAKEUP_NEEDED)
    made = journal.job(jobs[1].job_id)
    journal.advance(made.job_id, Step.ISSUE, inventory_action=Issue(chip_of(inv, made)))
    drive(journal, jobs[2].job_id, S.PRINTING)
    journal.advance(jobs[2].job_id, Step.FAIL, inventory_action=Spoil(W.PRINT_FAULT))
    drive(journal, jobs[3].job_id, S.RESERVED)
    journal.advance(jobs[3].job_id, Step.FAIL, inventory_action=Release(W.JAM))
    # a spoil booked outside the journal, by another station's job, is not this station's
    rep = journal.day_report()
    # in the order they were issued; the clock here may give both the same instant
    assert sorted(rep.issued_jobs) == sorted((jobs[0].job_id, jobs[1].job_id))
    assert rep.made_up_jobs == (jobs[1].job_id,)
    assert set(rep.failed_jobs) == {jobs[2].job_id, jobs[3].job_id}
    assert dict(rep.spoiled_by_cause) == {"print_fault": 1}
    assert rep.blanks_issued == 2 and rep.waste_rate == pytest.approx(1 / 3)
    # the next day is empty
    assert journal.day_report(inv.today() + dt.timedelta(days=1)).waste_rate == 0.0
    other = Journal(inv, station="ST02")
    assert other.day_report().issued == 0
    assert other.day_report(station=None).issued == 2
    with inv.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(LedgerRow)).scalar_one() > 0
        assert c.execute(select(func.count()).select_from(JournalRow)).scalar_one() > 0


def test_a_lost_race_still_reads_in_progress(
    journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the check before the insert misses the winner (it had not committed yet), the
    partial unique index refuses the insert and the loser still gets the typed error."""
    from station.issuance import journal as journal_module

    app = application(30)
    journal.create(app, "t1")
    real = journal_module._refuse_live
    calls: list[int] = []

    def blind_first(jobs: list[Job]) -> None:
        calls.append(len(jobs))
        if len(calls) > 1:
            real(jobs)

    monkeypatch.setattr(journal_module, "_refuse_live", blind_first)
    with pytest.raises(JobInProgress):
        journal.create(app, "t2")
    assert len(calls) == 2  # the second look came after the index refused the insert
    assert len(journal.jobs(application_id=app.application_id)) == 1
