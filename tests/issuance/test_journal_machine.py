# ruff: noqa: F811  (fixtures imported by name, then requested as parameters)
"""Any sequence of journal operations keeps the books whole (hypothesis state machine).

Operations: create a job (some for applications that already have one), advance a job by
any step of the table — allowed or not — with the stock movement it needs (a wrong blank
now and then), fail (release or spoil), cancel, retry.  After every step: every blank is in
exactly one state and agrees with the job that holds it, no application has two jobs that
made a card, every failed job with a later job is linked by ``retry_of``, the journal's
last row names the job's state, and the ledger verifies.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import Engine, delete, insert, select

from station.inventory import Inventory, InventoryError, State
from station.inventory.models import Blank, LedgerHead, LedgerRow
from station.inventory.samples import sample_manifest
from station.issuance.journal import (
    DuplicateJob,
    Issue,
    Journal,
    JournalError,
    Release,
    Reserve,
    Spoil,
)
from station.issuance.models import Job, JournalRow, OutboxBatch, OutboxRecord
from station.issuance.states import (
    FACE_DONE,
    HAPPY_PATH,
    TRANSITIONS,
    JobState,
    JobStateError,
    Step,
    WasteCause,
)
from tests.issuance.journal_setup import (  # noqa: F401  (fixtures are found by name)
    STATION,
    _private_station_files,
    application,
    chip_of,
    clock,
    db,
    free_blank,
    inv,
    pg_url,
)

S = JobState
CARD_MADE = {S.ISSUED, S.COMPLETED, S.MAKEUP_PENDING, S.PRINTED, S.EJECTING, S.EJECTED}
HOLDS_RESERVED = {
    S.RESERVED, S.WRITING, S.WRITTEN, S.PIN_SET, S.PRINTING, S.PRINTED, S.EJECTING,
    S.EJECTED, S.MAKEUP_PENDING,
}  # fmt: skip


_STOCK = (Blank, LedgerRow, LedgerHead)
_JOURNAL = (OutboxRecord, OutboxBatch, JournalRow, Job)


def snapshot(engine: Engine) -> dict[Any, list[dict[str, Any]]]:
    """The stocked book's blanks, ledger and head, to start every example from."""
    with engine.connect() as c:
        return {m: [dict(r._mapping) for r in c.execute(select(m.__table__))] for m in _STOCK}


def restore(engine: Engine, rows: dict[Any, list[dict[str, Any]]]) -> None:
    """Empty the journal and put the stock back as ``snapshot`` found it (users, banks
    and sign-ins stay), so hypothesis replays every example on the same book."""
    with engine.begin() as c:
        for model in (*_JOURNAL, LedgerRow, Blank, LedgerHead):
            c.execute(delete(model))
        for model in (LedgerHead, Blank, LedgerRow):
            c.execute(insert(model), rows[model])


def make_machine(
    inv: Inventory, start: dict[Any, list[dict[str, Any]]]
) -> type[RuleBasedStateMachine]:
    journal = Journal(inv, station=STATION)

    class JournalMachine(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            restore(inv.engine, start)
            self.apps = [application(1000 + k) for k in range(3)]
            self.jobs: list[str] = []  # in creation order (job ids are random)

        def _job(self, data: st.DataObject) -> str | None:
            """Mostly a job that has not ended; sometimes any job."""
            if not self.jobs:
                return None
            unfinished = {j.job_id for j in journal.jobs(unfinished=True)}
            live = [j for j in self.jobs if j in unfinished]
            if live and data.draw(st.integers(0, 4)) > 0:
                return data.draw(st.sampled_from(live))
            return data.draw(st.sampled_from(self.jobs))

        @rule(k=st.integers(0, 2))
        def create(self, k: int) -> None:
            app = self.apps[k]
            mine = journal.jobs(application_id=app.application_id)
            live = [j for j in mine if j.state not in (S.FAILED, S.CANCELLED)]
            try:
                job = journal.create(app, "t1")
            except DuplicateJob:
                assert live, "refused although no live job"
                return
            assert not live, "a second live job was created"
            open_failures = {j.job_id for j in mine if j.state is S.FAILED} - {
                j.retry_of for j in mine if j.state is not S.CANCELLED
            }
            assert job.retry_of == (min(open_failures) if open_failures else None)
            REACHED["retry"] += job.retry_of is not None
            self.jobs.append(job.job_id)

        @rule(data=st.data(), any_step=st.sampled_from(list(Step)), wrong=st.booleans())
        def advance(self, data: st.DataObject, any_step: Step, wrong: bool) -> None:
            job_id = self._job(data)
            if job_id is None:
                return
            job = journal.job(job_id)
            # mostly the next step forward (so jobs get far), else another step the table
            # allows (fail, cancel, make-up), now and then any step at all
            moves = [s for s in Step if job.state in TRANSITIONS[s][0]]
            forward = [s for s in HAPPY_PATH if job.state in TRANSITIONS[s][0]]
            pick = data.draw(st.integers(0, 9))
            step = any_step
            if forward and pick < 8:
                step = forward[0]
            elif moves and pick < 9:
                step = data.draw(st.sampled_from(moves))
            wrong = wrong and data.draw(st.integers(0, 3)) == 0
            allowed = job.state in TRANSITIONS[step][0]
            action: Reserve | Issue | Release | Spoil | None = None
            if step is Step.RESERVE:
                action = Reserve(free_blank(inv, "CCB" if wrong else "ICBC"))
            elif step is Step.ISSUE and job.card_number is not None:
                action = Issue(chip_of(inv, job))
            elif step is Step.FAIL:
                cause = data.draw(st.sampled_from(list(WasteCause)))
                spoil = job.card_number is not None and data.draw(st.booleans())
                action = Spoil(cause) if spoil else Release(cause)
            rows = inv.status().ledger_rows
            try:
                after = journal.advance(job_id, step, inventory_action=action)
            except JobStateError:
                assert not allowed
            except InventoryError:
                assert step is Step.RESERVE and wrong  # only a wrong blank is refused
            except JournalError as exc:
                raise AssertionError(f"unexpected {exc!r}") from exc
            else:
                assert allowed
                assert after.state is TRANSITIONS[step][1]
                REACHED[after.state] += 1
                return
            # a refused step changed nothing
            assert journal.job(job_id).state is job.state
            assert inv.status().ledger_rows == rows

        @rule(data=st.data(), n=st.integers(1, 12))
        def run_forward(self, data: st.DataObject, n: int) -> None:
            """A job that goes well: up to ``n`` steps along the happy path in a row."""
            unfinished = {j.job_id for j in journal.jobs(unfinished=True)}
            live = [j for j in self.jobs if j in unfinished]
            if not live:
                return
            job = journal.job(data.draw(st.sampled_from(live)))
            for _ in range(n):
                forward = [s for s in HAPPY_PATH if job.state in TRANSITIONS[s][0]]
                if not forward:
                    return
                action: Reserve | Issue | None = None
                if forward[0] is Step.RESERVE:
                    action = Reserve(free_blank(inv))
                elif forward[0] is Step.ISSUE:
                    action = Issue(chip_of(inv, job))
                job = journal.advance(job.job_id, forward[0], inventory_action=action)
                REACHED[job.state] += 1

        @rule(data=st.data())
        def stop_after_the_face(self, data: st.DataObject) -> None:
            """The station stops once a face is printed: make-up is owed (制卡补登)."""
            face = {j.job_id for j in journal.jobs(unfinished=True) if j.state in FACE_DONE}
            done = [j for j in self.jobs if j in face]
            if done:
                after = journal.advance(data.draw(st.sampled_from(done)), Step.MAKEUP_NEEDED)
                assert after.state is S.MAKEUP_PENDING and after.made_up
                REACHED[S.MAKEUP_PENDING] += 1

        @invariant()
        def books_agree(self) -> None:
            jobs = journal.jobs()
            blanks = {b.card_number: b for b in inv.blanks()}
            assert len(blanks) == BLANKS
            assert all(b.state in State for b in blanks.values())
            by_card = Counter(
                j.card_number for j in jobs if j.card_number and j.state in HOLDS_RESERVED
            )
            assert all(n == 1 for n in by_card.values())
            for j in jobs:
                b = blanks.get(j.card_number or "")
                if j.state in HOLDS_RESERVED:
                    assert b is not None and b.state is State.RESERVED and b.job_id == j.job_id
                elif j.state in (S.ISSUED, S.COMPLETED):
                    assert b is not None and b.state is State.ISSUED and b.job_id == j.job_id
                elif j.state is S.FAILED and b is not None and b.job_id == j.job_id:
                    assert b.state is State.SPOILED and b.reason == (j.cause and j.cause.value)
            # a RESERVED blank is held by exactly one live job
            holders = {j.card_number for j in jobs if j.state in HOLDS_RESERVED}
            reserved = {c for c, b in blanks.items() if b.state is State.RESERVED}
            assert reserved == holders
            made = Counter(j.application_id for j in jobs if j.state in CARD_MADE)
            assert all(n == 1 for n in made.values()), made
            live = Counter(j.application_id for j in jobs if j.state not in (S.FAILED, S.CANCELLED))
            assert all(n == 1 for n in live.values()), live

        @invariant()
        def journal_and_ledger_verify(self) -> None:
            for job_id in self.jobs[-3:]:
                entries = journal.entries(job_id)
                assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
                assert entries[-1].state is journal.job(job_id).state
            rep = inv.verify_ledger()
            assert rep.ok, (rep.problem, rep.mismatches[:3])

    return JournalMachine


# enough ICBC blanks in D1 that no run of 40 steps (the book is restored between runs)
# runs out; more only lengthen the ledger every invariant check replays
BLANKS = 20 + 10 + 60
REACHED: Counter[object] = Counter()  # what the examples got to (all examples together)


@pytest.mark.slow
def test_journal_state_machine(inv: Inventory, db: object) -> None:
    inv.stock_in(sample_manifest(20, bank="ICBC", prefix="A1"), by="sup")
    inv.stock_in(sample_manifest(10, bank="CCB", manufacturer="M02", prefix="B2"), by="sup")
    inv.stock_in(sample_manifest(60, bank="ICBC", prefix="C3"), by="sup")
    inv.allocate("D1", 70, bank="ICBC", by="sup")
    inv.allocate("D1", 10, bank="CCB", by="sup")
    assert inv.count("D1", by="t1", counted={"ICBC": 70, "CCB": 10}).matched
    REACHED.clear()
    machine = make_machine(inv, snapshot(inv.engine))
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=10 if getattr(db, "kind", "") == "postgres" else 15,
            stateful_step_count=40,
            deadline=None,
            derandomize=True,  # the same examples every run: the coverage check below holds
            suppress_health_check=list(HealthCheck),
        ),
    )
    # the runs went the whole way: cards issued, made up, failed and retried
    assert REACHED[S.COMPLETED] and REACHED[S.FAILED] and REACHED[S.MAKEUP_PENDING], REACHED
    assert REACHED["retry"]
