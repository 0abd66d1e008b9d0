"""Recovery at start-up, the runner's side: ask, read, ``decide()``, act.

Why: ``recovery.decide`` is a pure table; this module gathers its inputs from the devices
(the printer's answer about where the card is, the chip at the contacts if one is there)
and carries its decision out with the same runner that issues cards, so a resumed job
goes through exactly the same journaled steps as a fresh one.  A printer that does not
answer blocks every unfinished job — nothing is guessed.  Where the table says release,
spoil or ready and the card is still inside, it goes to the reject box first.  With the
application at hand a failed job is retried at once (a new job on a new blank, linked);
without it the teller starts the retry.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from station.apdu.pcsc import PcscTransport, wait_for_card
from station.card.reader import read_card
from station.errors import CardError, ReaderError, StationError
from station.issuance.application import Application
from station.issuance.job import IssuanceJob, Outcome, classify_chip
from station.issuance.journal import JobInfo, Release, Spoil
from station.issuance.readiness import settled_position
from station.issuance.recovery import Action, Chip, Decision, decide
from station.issuance.states import FACE_DONE, JobState, Step, WasteCause
from station.printer.base import CardPosition
from station.printer.errors import PrinterFault

S = JobState
INSIDE = (CardPosition.CONTACT, CardPosition.PRINT, CardPosition.CONTACTLESS)


@dataclass(frozen=True)
class Recovered:
    """What recovery found and did for one job."""

    job_id: str
    state_before: JobState
    position: CardPosition | None
    chip: Chip
    decision: Decision
    job: JobInfo  # as booked afterwards
    retry: Outcome | None = None
    note: str = ""


def printer_position(runner: IssuanceJob) -> CardPosition | None:
    """Where the printer says the card is (reset first if it lost power:
    ``readiness.settled_position``); ``None`` when it does not answer."""
    try:
        return settled_position(runner.printer)
    except PrinterFault:
        return None


def chip_finding(runner: IssuanceJob, job: JobInfo, position: CardPosition | None) -> Chip:
    """Read the chip at the contacts where possible and say what it is for ``job``."""
    if position is not CardPosition.CONTACT:
        return Chip.NOT_READ
    try:
        wait_for_card(runner.card_reader, 2.0)
    except ReaderError:
        return Chip.MUTE
    # a reader still releasing the crashed process's handle answers "sharing violation"
    # for a moment: only a card that stays silent until the deadline is mute
    deadline = time.monotonic() + max(2.0, runner.card_timeout)
    while True:
        try:
            with PcscTransport(runner.card_reader, timeout=runner.card_timeout) as t:
                info = read_card(t, runner.provider)
            return classify_chip(info, job)
        except CardError:
            return Chip.MUTE
        except ReaderError:
            if time.monotonic() > deadline:
                return Chip.MUTE
            threading.Event().wait(0.1)


def recover(
    runner: IssuanceJob, applications: Mapping[str, Application] | None = None
) -> list[Recovered]:
    """Finish every unfinished job of the runner's journal as the table decides."""
    apps = applications or {}
    done: list[Recovered] = []
    position = printer_position(runner)
    for job in runner.journal.jobs(unfinished=True):
        chip = chip_finding(runner, job, position)
        decision = decide(job.state, position, chip)
        done.append(_act(runner, job, position, chip, decision, apps.get(job.application_id)))
        position = printer_position(runner)
    return done


def _act(
    runner: IssuanceJob,
    job: JobInfo,
    position: CardPosition | None,
    chip: Chip,
    decision: Decision,
    app: Application | None,
) -> Recovered:
    jid, by = job.job_id, runner.operator
    journal = runner.journal

    def result(info: JobInfo, retry: Outcome | None = None, note: str = "") -> Recovered:
        return Recovered(jid, job.state, position, chip, decision, info, retry, note)

    def retry_after_failure(info: JobInfo) -> Recovered:
        if app is None:
            return result(info, note="retry needs the application")
        try:
            return result(info, runner.run(app))
        except StationError as exc:
            return result(info, note=f"retry refused: {exc.message}")

    a = decision.action
    if a is Action.NONE:
        return result(job)
    if a is Action.BLOCK:
        return result(job, note=decision.why)
    if a is Action.REGISTER:
        return result(journal.advance(jid, Step.REGISTER, by=by, detail="recovery"))
    if a is Action.RESUME:
        if app is None:
            return result(job, note="resume needs the application")
        out = runner.continue_job(jid, app)
        if out.job.state is S.FAILED:
            return retry_after_failure(out.job)
        return result(out.job)
    if a is Action.MAKEUP:
        info = job
        if info.state in FACE_DONE:
            info = journal.advance(jid, Step.MAKEUP_NEEDED, by=by, detail="recovery")
        if app is not None and position in INSIDE:
            return result(runner.makeup(jid, app).job)
        return result(info, note="make-up: put the card in a reader (station makeup)")
    # READY, RELEASE, SPOIL: the card (if inside) goes to the reject box first
    if position in INSIDE:
        try:
            runner.printer.reject()
        except PrinterFault as exc:
            return result(job, note=f"card could not be rejected: {exc.message}")
    if a is Action.READY and job.state is S.CREATED:
        if app is None:
            info = journal.advance(jid, Step.CANCEL, by=by, detail="recovery: not started")
            return result(info, note="nothing was fed; start again")
        return result(runner.continue_job(jid, app).job)
    cause = decision.cause or WasteCause.POWER_LOSS
    action = Spoil(cause) if a is Action.SPOIL else Release(cause)
    info = journal.advance(
        jid, Step.FAIL, inventory_action=action, by=by, detail=f"recovery: {decision.why}"
    )
    return retry_after_failure(info)


__all__ = ["Recovered", "chip_finding", "printer_position", "recover"]
