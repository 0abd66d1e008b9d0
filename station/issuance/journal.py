"""The instant-issue job's write-ahead journal, in the stock book's database.

Why it is built like this:

* **One transaction per step, shared with the stock book.**  ``advance`` locks the job's
  row, moves its state through ``states.next_state`` (the only way a job moves), appends
  one journal row, and performs the stock movement the step implies — RESERVE books the
  blank the chip named, ISSUE books it issued, FAIL releases or spoils it with the cause —
  all inside ``Inventory.transaction``: the journal and the ledger commit together or not
  at all.  After a crash the last journal row says exactly how far the card got and the
  stock book agrees with it.
* **Write-ahead.**  The runner calls ``advance`` with an intent step (FEED, WRITE, PRINT,
  EJECT → the ``…ING`` states) *before* it touches the device and with the result step
  after; the journal marks each row ``intent`` or ``result``.
* **Exactly once** (one application → at most one card): ``create`` refuses an application
  that has a job not ended FAILED or CANCELLED, telling "already issued" from "in
  progress"; the partial unique index ``uq_iss_jobs_live_application`` (``models``) makes
  the rule hold between processes and stations as well.  A job created after a failure is
  its retry (``retry_of``).
* **Minimal personal data**: SSN, name, bank and reason are kept (the outbox needs them);
  the photo and glyph images are not, only SM3 digests (``media_sm3``, ``application_sm3``)
  so a make-up can prove it holds the same application (``matches``).
* A refused stock movement (a wrong blank, a blank of another bank) leaves a ``refused``
  row in the journal — the state unchanged — so the reason is booked, then re-raises.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections import Counter
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station.crypto.algorithms import sm3
from station.errors import StationError
from station.inventory.errors import InventoryError
from station.inventory.models import Action, Bank, LedgerRow
from station.inventory.rules import Duty
from station.inventory.service import Inventory
from station.issuance import outbox
from station.issuance.application import Application
from station.issuance.journal_types import AlreadyIssued as AlreadyIssued
from station.issuance.journal_types import ApplicationMismatch as ApplicationMismatch
from station.issuance.journal_types import BlankElsewhere as BlankElsewhere
from station.issuance.journal_types import ChipData as ChipData
from station.issuance.journal_types import ChipMismatch as ChipMismatch
from station.issuance.journal_types import DayReport as DayReport
from station.issuance.journal_types import DuplicateJob as DuplicateJob
from station.issuance.journal_types import InventoryAction as InventoryAction
from station.issuance.journal_types import Issue as Issue
from station.issuance.journal_types import JobInfo as JobInfo
from station.issuance.journal_types import JobInProgress as JobInProgress
from station.issuance.journal_types import JobNotFound as JobNotFound
from station.issuance.journal_types import JournalEntry as JournalEntry
from station.issuance.journal_types import JournalError as JournalError
from station.issuance.journal_types import Release as Release
from station.issuance.journal_types import Reserve as Reserve
from station.issuance.journal_types import Spoil as Spoil
from station.issuance.journal_types import Then as Then
from station.issuance.journal_types import UnknownBank as UnknownBank
from station.issuance.journal_types import WrongAction as WrongAction
from station.issuance.models import (
    CREATE_STEP,
    ENDED_WITHOUT_CARD,
    Job,
    JournalRow,
    Kind,
    OutboxRecord,
)
from station.issuance.states import (
    FACE_DONE,
    TERMINAL,
    JobState,
    Step,
    WasteCause,
    next_state,
)

MAX_DETAIL = 500
INTENT_STATES = frozenset(
    {JobState.FEEDING, JobState.WRITING, JobState.PRINTING, JobState.EJECTING}
)
# a live job in one of these states has (or will have) a printed card: "already issued"
CARD_MADE = FACE_DONE | {JobState.ISSUED, JobState.COMPLETED, JobState.MAKEUP_PENDING}


# -- digests of the application -------------------------------------------------------------


def media_digest(application: Application) -> str:
    """SM3 over the photo and the glyph images (length-prefixed, glyphs by pinyin)."""
    parts: list[tuple[str, bytes]] = []
    if application.photo is not None:
        parts.append(("photo", application.photo))
    parts += sorted((f"glyph:{k}", v) for k, v in application.glyphs.items())
    data = b"".join(
        len(n).to_bytes(2, "big") + n.encode() + len(v).to_bytes(4, "big") + v for n, v in parts
    )
    return sm3(data).hex()


def application_digest(application: Application) -> str:
    """SM3 over every field of the application (images by their digest)."""
    h = application.holder
    fields = [
        application.application_id,
        h.ssn,
        h.name,
        h.sex,
        h.ethnicity,
        h.birthplace,
        h.birth_date.isoformat(),
        application.bank,
        application.reason.value,
        media_digest(application),
    ]
    return sm3(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hex()


def _duty(step: Step) -> Duty:
    return {Step.ISSUE: Duty.ISSUE, Step.FAIL: Duty.RELEASE}.get(step, Duty.RESERVE)


# -- the journal ----------------------------------------------------------------------------


class Journal:
    """The jobs of one station (``station``) in the stock book ``inventory``; the operators
    named must have signed in on that ``Inventory``."""

    def __init__(self, inventory: Inventory, *, station: str) -> None:
        if not station or len(station) > 64:
            raise JournalError("工作站编号无效 (station id is missing or too long)")
        self.inv = inventory
        self.station = station

    # -- moves ------------------------------------------------------------------------------

    def create(
        self,
        application: Application,
        operator: str,
        *,
        detail: str = "",
        precheck: Callable[[Session], None] | None = None,
    ) -> JobInfo:
        """A new job for ``application``; refused (``AlreadyIssued`` / ``JobInProgress``)
        while another job for it has not ended FAILED or CANCELLED.  After a failure the new
        job is its retry (``retry_of``).  ``precheck``: runs first in the same transaction
        (the runner's stock readiness: one transaction instead of a read and a write);
        whatever it raises refuses the job."""

        def work(s: Session) -> JobInfo:
            if precheck is not None:
                precheck(s)
            self.inv.check_duty(s, operator, Duty.RESERVE)
            if s.get(Bank, application.bank) is None:
                raise UnknownBank(detail=application.bank)
            earlier = list(
                s.execute(
                    select(Job).where(Job.application_id == application.application_id)
                ).scalars()
            )
            _refuse_live(earlier)
            if any(j.ssn != application.holder.ssn for j in earlier):
                raise ApplicationMismatch(detail=application.application_id)
            now = self.inv.now()
            job = Job(
                job_id=f"J{now:%Y%m%d}-{secrets.token_hex(8)}",
                application_id=application.application_id,
                ssn=application.holder.ssn,
                name=application.holder.name,
                bank=application.bank,
                reason=application.reason.value,
                media_sm3=media_digest(application),
                application_sm3=application_digest(application),
                state=JobState.CREATED.value,
                retry_of=_unclaimed_failure(earlier),
                made_up=False,
                operator=operator,
                station=self.station,
                last_seq=1,
                created_at=now,
                updated_at=now,
            )
            try:
                with s.begin_nested():
                    s.add(job)
                    s.flush()
            except IntegrityError:
                # another process won the race between our check and our insert: the partial
                # unique index refused us; say who holds the application
                again = s.execute(
                    select(Job).where(Job.application_id == application.application_id)
                ).scalars()
                _refuse_live(list(again))
                raise
            s.add(_row(job, CREATE_STEP, Kind.RESULT, operator, now, detail))
            return JobInfo.of(job)

        return self.inv.transaction(work)

    def advance(
        self,
        job_id: str,
        step: Step,
        *,
        detail: str = "",
        inventory_action: InventoryAction | None = None,
        by: str | None = None,
        then: Sequence[Then] = (),
    ) -> JobInfo:
        """Move the job by ``step`` (``states.TRANSITIONS``), append its journal row and do
        the stock movement it implies, in one transaction.  ``by`` (default: the job's
        operator) must be signed in on the inventory.

        ``then``: further steps committed in the *same* transaction, each with its own row
        and stock movement (all or none).  The runner uses it only where no device action
        lies between the steps — a result and the next intent (RESERVE then WRITE), or
        results in a row (EJECTED, ISSUE, REGISTER) — so every intent is still committed
        before its device acts and every result after; it saves a commit per pair."""
        moves = (Then(step, detail, inventory_action), *then)
        current: list[Step] = [step]
        try:
            return self.inv.transaction(lambda s: self._advance(s, job_id, moves, by, current))
        except (InventoryError, BlankElsewhere, ChipMismatch) as exc:
            if current[0] is Step.RESERVE:  # the stock book refused the blank: book why
                self._refused(job_id, current[0], exc, by)
            raise

    def _advance(
        self,
        s: Session,
        job_id: str,
        moves: Sequence[Then],
        by: str | None,
        current: list[Step],
    ) -> JobInfo:
        job = _lock(s, job_id)
        actor = by or job.operator
        now = self.inv.now()
        checked: set[Duty] = set()
        for move in moves:
            step = current[0] = move.step
            duty = _duty(step)
            if duty not in checked:  # the role check once per duty and transaction
                self.inv.check_duty(s, actor, duty)
                checked.add(duty)
            new = next_state(JobState(job.state), step)
            self._move(job, step, move.inventory_action, actor, now)
            job.state = new.value
            job.updated_at = now
            job.last_seq += 1
            kind = Kind.INTENT if new in INTENT_STATES else Kind.RESULT
            s.add(_row(job, step.value, kind, actor, now, move.detail))
            if new in (JobState.COMPLETED, JobState.FAILED):
                s.flush()
                line = outbox.record_line(s, job, self.inv, finished=now)
                s.add(
                    OutboxRecord(
                        job_id=job.job_id, station=job.station, created_at=now, record=line
                    )
                )
        s.flush()
        return JobInfo.of(job)

    def _move(
        self, job: Job, step: Step, action: InventoryAction | None, actor: str, now: dt.datetime
    ) -> None:
        """The stock movement ``step`` implies; any refusal rolls the whole step back."""
        inv = self.inv
        if step is Step.RESERVE:
            if not isinstance(action, Reserve):
                raise WrongAction(detail=f"reserve needs Reserve, got {type(action).__name__}")
            blank = inv.reserve_card(action.card, job.bank, job.job_id, by=actor)
            if action.location is not None and blank.location != action.location:
                raise BlankElsewhere(detail=f"{blank.card_number} is at {blank.location}")
            code = action.card_id_code
            if code is not None and blank.card_id_code != code.strip().upper():
                raise ChipMismatch(
                    "芯片卡识别码与库存记录不符 (the chip's card id code is not the stock's)",
                    detail=blank.card_number,
                )
            job.card_number, job.card_id_code = blank.card_number, blank.card_id_code
        elif step is Step.ISSUE:
            if not isinstance(action, Issue):
                raise WrongAction(detail=f"issue needs Issue, got {type(action).__name__}")
            chip = action.chip
            if (
                job.card_number is None
                or chip.card_number.strip().upper() != job.card_number
                or chip.card_id_code.strip().upper() != (job.card_id_code or "")
            ):
                raise ChipMismatch(detail=f"job {job.job_id} holds {job.card_number}")
            inv.issue(job.card_number, job.job_id, by=actor)
            job.atr_historical = chip.atr_historical.hex().upper()
            job.issued_at = now
        elif step is Step.FAIL:
            if isinstance(action, Release):
                if job.card_number is not None:
                    inv.release(
                        job.card_number, by=actor, job_id=job.job_id, reason=action.cause.value
                    )
            elif isinstance(action, Spoil):
                if job.card_number is None:
                    raise WrongAction(detail="spoil: the job has no blank")
                inv.spoil(job.card_number, action.cause.value, by=actor, job_id=job.job_id)
            else:
                raise WrongAction(
                    detail=f"fail needs Release or Spoil, got {type(action).__name__}"
                )
            job.cause = action.cause.value
        elif action is not None:
            raise WrongAction(detail=f"{step.value} moves no stock")
        if step is Step.MAKEUP_NEEDED:
            job.made_up = True

    def refuse(self, job_id: str, step: Step, exc: StationError, *, by: str | None = None) -> None:
        """Book that ``step`` was refused for ``exc`` (the state unchanged): the runner
        found a chip that names no blank of the stock, or another person's data."""
        self._refused(job_id, step, exc, by)

    def _refused(self, job_id: str, step: Step, exc: StationError, by: str | None) -> None:
        def work(s: Session) -> None:
            job = _lock(s, job_id)
            job.last_seq += 1
            why = f"{type(exc).__name__}: {exc.message}"
            s.add(_row(job, step.value, Kind.REFUSED, by or job.operator, self.inv.now(), why))

        self.inv.transaction(work)

    # -- queries ----------------------------------------------------------------------------

    def job(self, job_id: str) -> JobInfo:
        def work(s: Session) -> JobInfo:
            job = s.get(Job, job_id)
            if job is None:
                raise JobNotFound(detail=job_id)
            return JobInfo.of(job)

        return self.inv.read(work)

    def jobs(self, *, unfinished: bool = False, application_id: str | None = None) -> list[JobInfo]:
        """This station's jobs, oldest first; ``unfinished``: those recovery must look at."""

        def work(s: Session) -> list[JobInfo]:
            q = select(Job).where(Job.station == self.station)
            if unfinished:
                q = q.where(Job.state.not_in([t.value for t in TERMINAL]))
            if application_id is not None:
                q = q.where(Job.application_id == application_id)
            rows = s.execute(q.order_by(Job.created_at, Job.job_id)).scalars()
            return [JobInfo.of(j) for j in rows]

        return self.inv.read(work)

    def entries(self, job_id: str) -> list[JournalEntry]:
        """The job's journal rows in order."""

        def work(s: Session) -> list[JournalEntry]:
            rows = s.execute(
                select(JournalRow).where(JournalRow.job_id == job_id).order_by(JournalRow.seq)
            ).scalars()
            return [
                JournalEntry(
                    r.job_id,
                    r.seq,
                    r.step,
                    Kind(r.kind),
                    JobState(r.state),
                    r.actor,
                    r.at,
                    r.detail,
                )
                for r in rows
            ]

        return self.inv.read(work)

    def matches(self, job_id: str, application: Application) -> bool:
        """Whether ``application`` is the one the job was created for (make-up checks it)."""
        return self.job(job_id).application_sm3 == application_digest(application)

    def day_report(self, day: dt.date | None = None, *, station: str | None = "") -> DayReport:
        """The day's jobs and spoiled blanks; ``station``: this journal's (default), another,
        or ``None`` for every station of the book."""
        where = self.station if station == "" else station
        day = day or self.inv.today()
        start, end = self.inv.day_range(day)

        def work(s: Session) -> DayReport:
            q = (
                select(JournalRow.job_id, JournalRow.step, Job.made_up)
                .join(Job, Job.job_id == JournalRow.job_id)
                .where(
                    JournalRow.at >= start,
                    JournalRow.at < end,
                    JournalRow.kind == Kind.RESULT.value,
                    JournalRow.step.in_([Step.ISSUE.value, Step.FAIL.value]),
                )
                .order_by(JournalRow.at, JournalRow.job_id)
            )
            if where is not None:
                q = q.where(Job.station == where)
            rows = s.execute(q).all()
            issued = tuple(r.job_id for r in rows if r.step == Step.ISSUE.value)
            made_up = tuple(r.job_id for r in rows if r.step == Step.ISSUE.value and r.made_up)
            failed = tuple(r.job_id for r in rows if r.step == Step.FAIL.value)
            lq = select(LedgerRow.action, LedgerRow.reason).where(
                LedgerRow.ts >= start,
                LedgerRow.ts < end,
                LedgerRow.action.in_([Action.ISSUE.value, Action.SPOIL.value]),
            )
            if where is not None:
                lq = lq.where(LedgerRow.job_id.in_(select(Job.job_id).where(Job.station == where)))
            causes = {c.value for c in WasteCause}
            blanks_issued = 0
            spoiled: Counter[str] = Counter()
            for action, reason in s.execute(lq):
                if action == Action.ISSUE.value:
                    blanks_issued += 1
                else:
                    spoiled[reason if reason in causes else "other"] += 1
            return DayReport(day, where, issued, made_up, failed, blanks_issued, dict(spoiled))

        return self.inv.read(work)


# -- helpers ----------------------------------------------------------------------------------


def _lock(s: Session, job_id: str) -> Job:
    job = s.execute(select(Job).where(Job.job_id == job_id).with_for_update()).scalar_one_or_none()
    if job is None:
        raise JobNotFound(detail=job_id)
    return job


def _row(job: Job, step: str, kind: Kind, actor: str, at: dt.datetime, detail: str) -> JournalRow:
    return JournalRow(
        job_id=job.job_id,
        seq=job.last_seq,
        step=step,
        kind=kind.value,
        state=job.state,
        actor=actor,
        at=at,
        detail=detail[:MAX_DETAIL],
    )


def _refuse_live(jobs: list[Job]) -> None:
    for j in jobs:
        state = JobState(j.state)
        if state.value in ENDED_WITHOUT_CARD:
            continue
        if state in CARD_MADE:
            raise AlreadyIssued(detail=f"{j.application_id}: job {j.job_id} {state.value}")
        raise JobInProgress(detail=f"{j.application_id}: job {j.job_id} {state.value}")


def _unclaimed_failure(jobs: list[Job]) -> str | None:
    """The application's failed job no live or finished job retries yet (at most one: each
    new job claims it, a cancelled retry gives it back)."""
    claimed = {j.retry_of for j in jobs if j.state != JobState.CANCELLED.value}
    open_ = [j for j in jobs if j.state == JobState.FAILED.value and j.job_id not in claimed]
    open_.sort(key=lambda j: (j.updated_at, j.last_seq))
    return open_[-1].job_id if open_ else None


__all__ = [
    "AlreadyIssued",
    "ApplicationMismatch",
    "BlankElsewhere",
    "ChipData",
    "ChipMismatch",
    "DayReport",
    "DuplicateJob",
    "InventoryAction",
    "Issue",
    "JobInProgress",
    "JobInfo",
    "JobNotFound",
    "Journal",
    "JournalEntry",
    "JournalError",
    "Release",
    "Reserve",
    "Spoil",
    "Then",
    "UnknownBank",
    "WrongAction",
]
