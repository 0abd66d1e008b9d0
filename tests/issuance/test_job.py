"""The job runner on virtual hardware through real pcscd + vpcd and the printer simulator
over TCP: the happy path, refusals before feeding, and failures booked by their cause."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station.apdu.pcsc import PcscTransport, wait_for_card
from station.card.reader import read_card
from station.emulator.vpcd import reader_name
from station.inventory import State
from station.issuance.job import Cancelled, NotReady
from station.issuance.journal import AlreadyIssued
from station.issuance.models import Kind
from station.issuance.progress import CancelToken
from station.issuance.states import JobState, WasteCause
from station.printer.simulator import Fault, Remedy
from tests.issuance.job_rig import Rig, application, make_rig, put_in_reader

pytestmark = pytest.mark.pcsc
S = JobState


@pytest.fixture
def rig(vpcd_slots: tuple[object, object], tmp_path: Path) -> Iterator[Rig]:
    r = make_rig(tmp_path, vpcd_slots, {"ICBC": 4, "CCB": 1})
    try:
        yield r
    finally:
        r.close()


def _chip_of_bezel(rig: Rig, link: object) -> object:
    """The issued card put into the 'desktop reader' (vpcd slot 0) and read."""
    assert rig.sim.bezel is not None
    put_in_reader(link, rig.sim.bezel.chip)
    with PcscTransport(reader_name(0)) as t:
        info = read_card(t, rig.provider)
    link.remove()  # type: ignore[attr-defined]
    wait_for_card(reader_name(0), 10, present=False)
    return info


def test_happy_path_issues_books_registers_and_reads_back(rig: Rig, vpcd_slots) -> None:
    app = application(1)
    out = rig.job().run(app)
    assert out.ok, out.error
    job = out.job
    assert job.state is S.COMPLETED and job.card_number and job.atr_historical
    blank = rig.inv.blank(job.card_number)
    assert blank.state is State.ISSUED and blank.card_id_code == job.card_id_code
    # the journal: an intent row before each device step, a result after
    kinds = [(e.step, e.kind) for e in rig.journal.entries(job.job_id)]
    assert ("feed", Kind.INTENT) in kinds and ("print", Kind.INTENT) in kinds
    assert kinds[-1] == ("register", Kind.RESULT)
    # the card as handed out holds this application
    info = _chip_of_bezel(rig, vpcd_slots[0])
    assert info.holder == app.holder and info.card_number == job.card_number
    assert info.issuer.issue_date is not None
    # face, receipt, progress
    assert out.receipt is not None and job.card_number in out.receipt.read_text("utf-8")
    assert app.holder.ssn not in out.receipt.read_text("utf-8")
    assert out.face is not None and out.face.stat().st_size > 0
    steps = [e.step for e in rig.events]
    assert steps[0] == "check" and steps[-1] == "done" and "print" in steps
    percents = [e.percent for e in rig.events if e.step not in ("receipt", "done")]
    assert percents == sorted(percents)
    assert all(e.zh and e.en and e.elapsed >= 0 for e in rig.events)
    # exactly once
    with pytest.raises(AlreadyIssued):
        rig.job().run(app)
    assert rig.inv.verify_ledger().first_bad_seq is None


def test_not_ready_refuses_before_anything_is_fed(rig: Rig) -> None:
    rig.sim.inject(Fault.COVER_OPEN)
    with pytest.raises(NotReady, match="cover"):
        rig.job().run(application(2))
    rig.sim.remedy(Remedy.CLOSE_COVER)
    rig.sim.remedy(Remedy.LOAD_RIBBON, 0)
    rig.sim.ribbon = 0
    with pytest.raises(NotReady, match="ribbon"):
        rig.job().run(application(2))
    rig.sim.remedy(Remedy.LOAD_RIBBON)
    with pytest.raises(NotReady, match="bank"):
        rig.job().run(application(2, bank="BOC"))
    assert rig.journal.jobs() == [] and rig.sim.state().hopper == len(rig.blanks)


def test_cancel_before_feed(rig: Rig) -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        rig.job(cancel=token).run(application(3))
    (job,) = rig.journal.jobs()
    assert job.state is S.CANCELLED and rig.sim.state().hopper == len(rig.blanks)


def _accounted(rig: Rig) -> None:
    """Every blank in exactly one accounted state; jobs agree with the blanks they hold."""
    states = {b.card_number: b.state for b in rig.inv.blanks()}
    assert len(states) == len(rig.blanks)
    for j in rig.journal.jobs():
        if j.card_number is None:
            continue
        s = states[j.card_number]
        if j.state is S.COMPLETED:
            assert s is State.ISSUED
        elif j.state is S.FAILED:
            assert s in (State.IN_DRAWER, State.SPOILED), (j, s)
    assert rig.inv.verify_ledger().first_bad_seq is None


@pytest.mark.parametrize(
    ("fault", "at", "state_before", "blank_after", "cause"),
    [
        # the 1st card move jams: the feed
        (Fault.JAM, 1, S.FEEDING, None, WasteCause.JAM),
        # chip mute at the contacts: nothing reserved, the card goes to the reject box
        (Fault.CHIP_MUTE, 1, S.AT_CONTACTS, None, WasteCause.DAMAGED_BLANK),
        # the ribbon ends during the 2nd panel: a partial face spoils the card
        (Fault.RIBBON_END, 2, S.PRINTING, State.SPOILED, WasteCause.PRINT_FAULT),
    ],
)
def test_fault_fails_the_job_and_a_retry_issues_on_a_new_blank(
    rig: Rig, fault: Fault, at: int, state_before: S, blank_after: State | None, cause: WasteCause
) -> None:
    app = application(4)
    rig.sim.inject(fault, at)
    out = rig.job().run(app)
    failed = out.job
    assert failed.state is S.FAILED and failed.cause is cause, out.error
    entries = rig.journal.entries(failed.job_id)
    assert entries[-2].state is state_before and entries[-1].step == "fail"
    if blank_after is not None:
        assert failed.card_number and rig.inv.blank(failed.card_number).state is blank_after
    # the operator clears the printer; the retry is a new job on a new blank, linked
    rig.sim.remedy(Remedy.CLEAR_JAM)
    rig.sim.remedy(Remedy.LOAD_RIBBON)
    rig.sim.remedy(Remedy.EMPTY_REJECT)
    retry = rig.job().run(app)
    assert retry.ok, retry.error
    assert retry.job.retry_of == failed.job_id and retry.job.card_number != failed.card_number
    _accounted(rig)


def test_jam_at_eject_leaves_makeup_and_makeup_completes_without_printing(
    rig: Rig, vpcd_slots
) -> None:
    app = application(5)
    # the eject is the 4th card move of a job
    job = rig.job()
    rig.sim.inject(Fault.JAM, 4)  # 1 feed, 2 to contacts, 3 to print, 4 eject
    out = job.run(app)
    assert out.job.state is S.MAKEUP_PENDING, (out.job, out.error)
    printed = rig.sim.state().printed
    rig.sim.remedy(Remedy.CLEAR_JAM)  # the teller pulls the printed card out
    stuck = next(c for c in rig.sim.cards if c.name == out.job.card_number)
    put_in_reader(vpcd_slots[0], stuck.chip)  # ... and puts it in the desktop reader
    made = rig.job().makeup(out.job.job_id, app, reader=reader_name(0))
    vpcd_slots[0].remove()
    assert made.ok and made.job.made_up
    assert rig.inv.blank(out.job.card_number).state is State.ISSUED
    assert rig.sim.state().printed == printed  # never a second print
    _accounted(rig)


def test_wrong_blank_of_another_bank_is_rejected_and_booked(rig: Rig) -> None:
    # the hopper: 4 ICBC then 1 CCB; take the ICBC ones out so a CCB blank comes first
    for _ in range(4):
        rig.sim.hopper.popleft()
    out = rig.job().run(application(6, bank="ICBC"))
    assert out.job.state is S.FAILED and out.job.cause is WasteCause.WRONG_BLANK
    refused = [e for e in rig.journal.entries(out.job.job_id) if e.kind is Kind.REFUSED]
    assert refused and "WrongBank" in refused[0].detail
    assert rig.sim.state().reject_box == 1  # the card went to the reject box
    ccb = rig.blanks[-1].card_number
    assert rig.inv.blank(ccb).state is State.IN_DRAWER  # untouched in the books
    _accounted(rig)
