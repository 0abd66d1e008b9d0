"""A station that dies at every journal step (enumerated from the state table, so a new
step is covered automatically) is finished by ``recover``: every blank in exactly one
accounted state, no application with two cards, each job COMPLETED (made up or not) or
FAILED with a linked retry, the ledger's hash chain intact.  Through real pcscd + vpcd and
the printer simulator over TCP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station.emulator.vpcd import reader_name
from station.inventory import State
from station.issuance.progress import ProgressEvent
from station.issuance.recover import recover
from station.issuance.recovery import Action
from station.issuance.states import HAPPY_PATH, JobState
from station.printer.simulator import Fault
from tests.issuance.job_rig import Rig, application, make_rig, put_in_reader

pytestmark = pytest.mark.pcsc
S = JobState


class Crash(BaseException):
    """The process dies here (nothing below catches a BaseException)."""


@pytest.fixture
def rig(vpcd_slots: tuple[object, object], tmp_path: Path) -> Iterator[Rig]:
    r = make_rig(tmp_path, vpcd_slots, {"ICBC": 3})
    try:
        yield r
    finally:
        r.close()


def invariants(rig: Rig, app_id: str) -> None:
    jobs = rig.journal.jobs(application_id=app_id)
    completed = [j for j in jobs if j.state is S.COMPLETED]
    assert len(completed) == 1, jobs  # exactly one card for the application
    for j in jobs:
        assert j.state in (S.COMPLETED, S.FAILED, S.CANCELLED), j
        if j.state is S.FAILED:
            assert j.cause is not None
            assert any(k.retry_of == j.job_id for k in jobs), "failed job without a retry"
    by_state = {b.card_number: b.state for b in rig.inv.blanks()}
    assert len(by_state) == len(rig.blanks)  # every blank in exactly one state
    issued = [c for c, s in by_state.items() if s is State.ISSUED]
    assert issued == [completed[0].card_number]
    assert not [c for c, s in by_state.items() if s is State.RESERVED]
    assert rig.inv.verify_ledger().first_bad_seq is None


@pytest.mark.parametrize("step", [s.value for s in HAPPY_PATH])
def test_crash_at_every_journal_step_then_recover(rig: Rig, vpcd_slots, step: str) -> None:
    app = application(7)
    fired: list[str] = []

    def die(event: ProgressEvent) -> None:
        if event.step == step and not fired:
            fired.append(step)
            raise Crash(step)

    with pytest.raises(Crash):
        out = rig.job(progress=die).run(app)
        pytest.fail(f"the job ended without reaching {step}: {out.error}")
    (crashed,) = rig.journal.jobs()
    results = recover(rig.job(), {app.application_id: app})
    if crashed.state is S.COMPLETED:  # died after the last step: nothing left to do
        assert results == []
    else:
        (r,) = results
        assert r.decision.action is not Action.BLOCK, r
    after = rig.journal.job(crashed.job_id)
    if after.state is S.MAKEUP_PENDING:  # the card was out: make-up in a desktop reader
        assert rig.sim.bezel is not None
        put_in_reader(vpcd_slots[0], rig.sim.bezel.chip)
        made = rig.job().makeup(after.job_id, app, reader=reader_name(0))
        vpcd_slots[0].remove()
        assert made.ok and made.job.made_up
    for r in results:
        assert r.retry is None or r.retry.ok, (r.note, r.retry.error)
    invariants(rig, app.application_id)


def test_printer_silent_blocks_recovery(rig: Rig) -> None:
    app = application(8)

    def die(event: ProgressEvent) -> None:
        if event.step == "written":
            raise Crash("written")

    with pytest.raises(Crash):
        out = rig.job(progress=die).run(app)
        pytest.fail(f"the job ended without a crash: {out.error}")
    rig.sim.inject(Fault.OFFLINE)
    (r,) = recover(rig.job(), {app.application_id: app})
    assert r.decision.action is Action.BLOCK and r.position is None
    assert r.job.state is S.WRITTEN  # nothing guessed, nothing booked
    rig.sim.clear()
    (r,) = recover(rig.job(), {app.application_id: app})
    assert r.decision.action is Action.RESUME
    invariants(rig, app.application_id)
