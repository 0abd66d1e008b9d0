"""Any sequence of issuance jobs, device faults, crashes, recoveries, make-ups and retries
keeps the books whole (issue 11 acceptance: a hypothesis state machine with the fault
matrix's invariants), through real pcscd + vpcd and the printer simulator over TCP.

Rules: issue a card for one of three applicants, with or without a fault armed (a jam at
each card move, the ribbon ending mid-print, a mute chip, the power failing at the feed,
mid-print or at the eject, a corrupted MAC on the PIN write); the teller clearing the
printer; a crash (the runner abandoned at a journal step, as ``test_job_recover.py``
does) followed by a restart that must run ``recover``; make-up of a job whose face is
printed (in the printer, or in a desktop reader after the card came out); a retry of a
failed application.

After every step: every blank in exactly one accounted state and the drawer's daily
balance closing; blanks RESERVED exactly for the unfinished jobs holding them, ISSUED
exactly for the jobs that issued them; no application with two cards or two live jobs;
every FAILED job with a cause, every retry linked to a failed job of its application;
outside a crash, no job left half way; the books agreeing with where the simulator says
each card physically is; ``verify-ledger`` clean.

Real devices are slow: few examples, short runs, no shrinking (a failing run prints its
steps).  Measured: see the module's test for the command.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from station.apdu.instructions import Ins
from station.emulator.vpcd import reader_name
from station.inventory import State
from station.issuance.job import NotReady
from station.issuance.journal import AlreadyIssued, JobInfo, JobInProgress
from station.issuance.progress import ProgressEvent
from station.issuance.recover import recover
from station.issuance.recovery import Action
from station.issuance.states import HAPPY_PATH, TERMINAL, JobState
from station.printer.simulator import Fault, Remedy, Where
from tests.issuance.job_rig import Rig, application, make_rig, put_in_reader
from tests.issuance.test_job_faults_more import QUICK, FaultyLine

pytestmark = pytest.mark.pcsc
S = JobState
APPS = {a.application_id: a for a in (application(n) for n in (31, 32, 33))}
BLANKS = 10
HOLDER_PIN = "135790"
REFUSED = (NotReady, AlreadyIssued, JobInProgress)

# name -> how to arm it: ("sim", fault, nth) now; ("at", step, fault, nth) once the job
# announces ``step``; ("mac",) the next blank's chip behind a line corrupting MACs
FAULTS: dict[str, tuple[Any, ...]] = {
    "none": (),
    "jam-feed": ("sim", Fault.JAM, 1),
    "jam-contacts": ("sim", Fault.JAM, 2),
    "jam-print": ("sim", Fault.JAM, 3),
    "jam-eject": ("sim", Fault.JAM, 4),
    "ribbon-end": ("sim", Fault.RIBBON_END, 3),
    "chip-mute": ("sim", Fault.CHIP_MUTE, 1),
    "power-feed": ("at", "feed", Fault.POWER_LOSS, 1),
    "power-print": ("at", "print", Fault.POWER_LOSS, 5),
    "power-eject": ("at", "eject", Fault.POWER_LOSS, 2),
    "mac-on-pin-write": ("mac",),
}


SEEN: Counter[str] = Counter()  # what the runs did (printed by the test: pytest -s)


def note(what: str) -> None:
    SEEN[what] += 1


class Crash(BaseException):
    """The station process dies here (nothing below catches a BaseException)."""


class JobMachine(RuleBasedStateMachine):
    def __init__(self, make: Callable[[], Rig]) -> None:
        super().__init__()
        self.rig = make()
        self.down = False  # crashed: the next thing a station does is restart + recover
        self.waiting: set[str] = set()  # jobs recovery left for the teller (no application)

    def teardown(self) -> None:
        self.rig.close()

    # -- helpers ----------------------------------------------------------------------
    def jobs(self) -> list[JobInfo]:
        return self.rig.journal.jobs()

    def live(self, app_id: str) -> list[JobInfo]:
        return [
            j
            for j in self.rig.journal.jobs(application_id=app_id)
            if j.state not in (S.FAILED, S.CANCELLED)
        ]

    def progress(self, fault: tuple[Any, ...]) -> Callable[[ProgressEvent], None]:
        armed: list[bool] = []

        def progress(event: ProgressEvent) -> None:
            self.rig.events.append(event)
            if fault and fault[0] == "at" and event.step == fault[1] and not armed:
                armed.append(True)
                self.rig.sim.inject(fault[2], fault[3])

        return progress

    # -- rules --------------------------------------------------------------------------
    @precondition(lambda self: not self.down)
    @rule(app_id=st.sampled_from(sorted(APPS)), fault=st.sampled_from(sorted(FAULTS)))
    def issue(self, app_id: str, fault: str) -> None:
        """A teller issues a card; the armed fault (if any) strikes during the job."""
        rig, how = self.rig, FAULTS[fault]
        before = len(self.jobs())
        hopper = rig.sim.state().hopper
        line: FaultyLine | None = None
        if how and how[0] == "sim":
            rig.sim.inject(how[1], how[2])
        elif how and how[0] == "mac" and rig.sim.hopper:
            card = rig.sim.hopper[0]
            line = FaultyLine(card.chip, flip_mac=True)
            card.chip = line
        runner = rig.job(progress=self.progress(how), holder_pin=lambda: HOLDER_PIN)
        try:
            out = runner.run(APPS[app_id])
        except REFUSED as exc:
            note(f"issue refused: {type(exc).__name__}")
            # refused before anything was fed: nothing moved, no job unless one exists
            assert rig.sim.state().hopper == hopper
            assert len(self.jobs()) == before
            return
        finally:
            rig.sim.clear()  # an armed fault that did not strike is disarmed
            if line is not None:
                next(c for c in rig.sim.cards if c.chip is line).chip = line.chip
        job = out.job
        note(f"issue {fault}: {job.state.value}")
        assert job.state in (S.COMPLETED, S.FAILED, S.MAKEUP_PENDING), job
        if fault == "none":
            assert out.ok, out.error
        if job.state is S.FAILED:
            assert job.cause is not None and out.error is not None
        if line is not None and job.state is S.FAILED:
            assert [c.cla for c in line.sent(Ins.PIN_UNBLOCK_RESET)] == [0x84]  # never resent

    @precondition(lambda self: not self.down)
    @rule()
    def teller_clears_printer(self) -> None:
        """Opens the printer: a jammed card pulled out, a new ribbon, the reject box emptied."""
        sim = self.rig.sim
        sim.remedy(Remedy.CLEAR_JAM)
        sim.remedy(Remedy.LOAD_RIBBON)
        sim.remedy(Remedy.EMPTY_REJECT)
        assert not sim.state().jammed and sim.state().ribbon > 0

    @precondition(lambda self: not self.down)
    @rule(app_id=st.sampled_from(sorted(APPS)), step=st.sampled_from([s.value for s in HAPPY_PATH]))
    def crash(self, app_id: str, step: str) -> None:
        """The station dies right after journaling ``step`` of a job."""

        def die(event: ProgressEvent) -> None:
            if event.step == step:
                raise Crash(step)

        try:
            out = self.rig.job(progress=die).run(APPS[app_id])
        except REFUSED:
            return
        except Crash:
            note("crash")
            self.down = True
            return
        raise AssertionError(f"the job ended without reaching {step}: {out.job} {out.error}")

    @precondition(lambda self: self.down or self.waiting)
    @rule(with_applications=st.booleans())
    def restart_and_recover(self, with_applications: bool) -> None:
        """A new station process opens the printer and finishes every unfinished job."""
        rig = self.rig
        if self.down:
            rig.printer.close()
            rig.printer.open()
        self.down = False
        results = recover(rig.job(), APPS if with_applications else None)
        self.waiting.clear()
        for r in results:
            note(f"recover: {r.decision.action.value}")
            assert r.decision.action is not Action.BLOCK, r
            if r.job.state not in TERMINAL | {S.MAKEUP_PENDING}:
                assert not with_applications, r  # only a missing application stops it
                self.waiting.add(r.job_id)
            if r.retry is not None:
                assert r.retry.job.retry_of == r.job_id, r

    @precondition(
        lambda self: (
            not self.down and any(j.state is S.MAKEUP_PENDING for j in self.rig.journal.jobs())
        )
    )
    @rule()
    def makeup(self) -> None:
        """The teller makes up a printed card: in the printer if it is still inside, else
        in a desktop reader (after pulling a jammed card out)."""
        rig = self.rig
        job = next(j for j in self.jobs() if j.state is S.MAKEUP_PENDING)
        app = APPS[job.application_id]
        printed = rig.sim.state().printed
        card = next(c for c in rig.sim.cards if c.name == job.card_number)
        if rig.sim.inside is card and rig.sim.jammed:
            rig.sim.remedy(Remedy.CLEAR_JAM)
        if rig.sim.inside is card:
            note("make-up in the printer")
            out = rig.job().makeup(job.job_id, app)
        else:
            if rig.sim.inside is not None:  # another card blocks the printer: not now
                return
            note("make-up in a desktop reader")
            put_in_reader(rig.sim.chip_slot, card.chip)
            try:
                out = rig.job().makeup(job.job_id, app, reader=reader_name(0))
            finally:
                rig.sim.chip_slot.remove()  # type: ignore[union-attr]
        assert out.ok and out.job.made_up, out.error
        assert rig.sim.state().printed == printed  # never a second face

    @precondition(lambda self: not self.down)
    @rule(app_id=st.sampled_from(sorted(APPS)))
    def retry(self, app_id: str) -> None:
        """The teller issues again for an application whose jobs all failed."""
        jobs = self.rig.journal.jobs(application_id=app_id)
        if not jobs or self.live(app_id):
            return
        try:
            out = self.rig.job().run(APPS[app_id])
        except NotReady:
            return
        failed = [j for j in jobs if j.state is S.FAILED]
        if failed:
            assert out.job.retry_of in {j.job_id for j in failed}
        assert out.job.state in (S.COMPLETED, S.FAILED, S.MAKEUP_PENDING)

    # -- invariants ---------------------------------------------------------------------
    @invariant()
    def books_whole(self) -> None:
        rig = self.rig
        blanks = {b.card_number: b.state for b in rig.inv.blanks()}
        assert len(blanks) == len(rig.blanks)  # every blank in exactly one state
        assert all(row.balanced for row in rig.inv.balance()), rig.inv.balance()
        jobs = self.jobs()
        holding = {
            j.card_number
            for j in jobs
            if j.state not in TERMINAL and j.state is not S.ISSUED and j.card_number
        }
        reserved = {c for c, s in blanks.items() if s is State.RESERVED}
        assert reserved <= holding, (reserved, holding)
        issued = {c for c, s in blanks.items() if s is State.ISSUED}
        made = {j.card_number for j in jobs if j.state in (S.ISSUED, S.COMPLETED)}
        assert issued == made
        for j in jobs:
            if j.state is S.FAILED:
                assert j.cause is not None, j
                assert j.card_number is None or blanks[j.card_number] in (
                    State.IN_DRAWER,
                    State.SPOILED,
                ), j
        spoiled = {c for c, s in blanks.items() if s is State.SPOILED}
        assert spoiled <= {j.card_number for j in jobs if j.state is S.FAILED}
        assert rig.inv.verify_ledger().first_bad_seq is None

    @invariant()
    def once_per_application(self) -> None:
        jobs = self.jobs()
        by_id = {j.job_id: j for j in jobs}
        cards = Counter(j.application_id for j in jobs if j.state in (S.ISSUED, S.COMPLETED))
        assert max(cards.values(), default=0) <= 1
        for app_id in APPS:
            assert len(self.live(app_id)) <= 1, app_id
        retried = Counter(j.retry_of for j in jobs if j.retry_of)
        for j in jobs:
            if j.retry_of is not None:
                first = by_id[j.retry_of]
                assert first.state is S.FAILED and first.application_id == j.application_id
        assert max(retried.values(), default=0) <= 1

    @invariant()
    def nothing_half_way(self) -> None:
        if self.down:
            return
        for j in self.jobs():
            if j.state not in TERMINAL | {S.MAKEUP_PENDING}:
                assert j.job_id in self.waiting, j

    @invariant()
    def books_match_the_printer(self) -> None:
        """Where the simulator says a card physically is agrees with the books."""
        if self.down:
            return
        state = {b.card_number: b.state for b in self.rig.inv.blanks()}
        for card in self.rig.sim.cards:
            booked = state[card.name]
            if card.where is Where.HOPPER:
                assert booked is State.IN_DRAWER, (card.name, booked)
            if booked is State.ISSUED:
                assert card.where in (Where.BEZEL, Where.OUTPUT, Where.REMOVED), card.where
            if booked is State.SPOILED:
                assert card.where in (Where.REJECT, Where.REMOVED), card.where


def test_job_machine(vpcd_slots: tuple[object, object], tmp_path: Path) -> None:
    """8 examples of up to 8 steps: 39 s of run time measured here (2 shared cores)."""
    counter = itertools.count()

    def make() -> Rig:
        root = tmp_path / f"example-{next(counter)}"
        root.mkdir()
        return make_rig(root, vpcd_slots, {"ICBC": BLANKS}, printer_timeouts=QUICK)

    run_state_machine_as_test(
        lambda: JobMachine(make),
        settings=settings(
            max_examples=8,
            stateful_step_count=8,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: each run costs seconds
            suppress_health_check=list(HealthCheck),
        ),
    )
    print("\n".join(f"{n:3d}  {what}" for what, n in sorted(SEEN.items())))
