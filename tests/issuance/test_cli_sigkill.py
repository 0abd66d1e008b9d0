"""The station process SIGKILLed right after **every** journal step, then ``station
recover`` (issue 11 acceptance, fault matrix).

The steps come from the state table: every step of the happy path, the job's creation,
and the two ways off it (FAIL, MAKEUP_NEEDED) reached with a printer fault; a test checks
that every step of ``TRANSITIONS`` is covered, so a new step fails here until it is.
After the kill, ``station recover`` (a new process, the teller's password on stdin) and
what a teller then does (clear the printer, make-up in a desktop reader, issue again):
every blank in exactly one accounted state, no application with two cards, each job
completed (made up or not) or FAILED with its cause and a linked retry, the ledger intact.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.emulator.vpcd import reader_name
from station.issuance.states import HAPPY_PATH, TRANSITIONS, JobState, Step
from station.printer.simulator import Fault, Remedy
from tests.issuance.cli_desk import Desk, invariants, make_desk, write_json
from tests.issuance.job_rig import applicant, put_in_reader

pytestmark = pytest.mark.pcsc
S = JobState
APP = "APP-0009"

# step -> the printer fault that makes a run journal it (None: the happy path does)
KILL_STEPS: dict[str, tuple[Fault, int] | None] = {
    "create": None,
    **{s.value: None for s in HAPPY_PATH},
    Step.FAIL.value: (Fault.JAM, 2),  # jam on the way to the contacts: FAIL, blank released
    Step.MAKEUP_NEEDED.value: (Fault.JAM, 4),  # jam at the eject: the face is printed
}
NOT_IN_A_RUN = {Step.CANCEL: "only before feeding, by the teller: tests/issuance/test_job.py"}


def test_every_step_of_the_state_table_is_killed_at() -> None:
    covered = {Step(s) for s in KILL_STEPS if s != "create"} | set(NOT_IN_A_RUN)
    assert set(TRANSITIONS) == covered


@pytest.fixture
def desk(vpcd_slots: tuple[object, object], tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(tmp_path, vpcd_slots, {"ICBC": 4})
    try:
        yield d
    finally:
        d.close()


@pytest.mark.parametrize("step", list(KILL_STEPS))
def test_sigkill_at_every_journal_step_then_recover(desk: Desk, tmp_path: Path, step: str) -> None:
    app_file = write_json(tmp_path / "apps.json", [applicant(9)])
    fault = KILL_STEPS[step]
    if fault is not None:
        desk.sim.inject(*fault)
    killed = desk.station("issue", "--application", str(app_file), kill_at=step)
    assert killed.returncode == -signal.SIGKILL, (killed.returncode, killed.stderr)
    inv, journal = desk.book()
    (job,) = journal.jobs()
    assert job.state is not S.CREATED or step == "create"

    desk.sim.remedy(Remedy.CLEAR_JAM)  # the teller opens the printer and clears it
    recovered = desk.station("recover", "--application", str(app_file))
    assert "Traceback" not in recovered.stderr, recovered.stderr
    assert recovered.returncode in (0, 1), recovered.stderr + recovered.stdout
    job = journal.job(job.job_id)
    if job.state is S.MAKEUP_PENDING:  # the card is out: make-up in a desktop reader
        chip = next(c for c in desk.sim.cards if c.name == job.card_number).chip
        put_in_reader(desk.links[0], chip)
        made = desk.station(
            "makeup", job.job_id, "--application", str(app_file), "--reader", reader_name(0)
        )
        desk.links[0].remove()  # type: ignore[attr-defined]
        assert made.returncode == 0, made.stderr + made.stdout
    if all(j.state is S.FAILED for j in journal.jobs(application_id=APP)):
        again = desk.station("issue", "--application", str(app_file))  # the teller retries
        assert again.returncode == 0, again.stderr + again.stdout
    invariants(inv, journal, len(desk.blanks), [APP])
