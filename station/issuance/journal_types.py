"""What the journal speaks: its errors, what a step asks of the stock book, and what the
journal returns (job info, journal entries, the day's report).  Kept apart from the journal
itself so callers (the job runner, the CLI, the UI) can use the types without the database
machinery."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from station.errors import ErrorCode, StationError
from station.issuance.application import Reason
from station.issuance.models import (
    Job,
    Kind,
)
from station.issuance.states import (
    FACE_DONE,
    TERMINAL,
    JobState,
    Step,
    WasteCause,
)

MAX_DETAIL = 500
INTENT_STATES = frozenset(
    {JobState.FEEDING, JobState.WRITING, JobState.PRINTING, JobState.EJECTING}
)
# a live job in one of these states has (or will have) a printed card: "already issued"
CARD_MADE = FACE_DONE | {JobState.ISSUED, JobState.COMPLETED, JobState.MAKEUP_PENDING}


# -- errors -------------------------------------------------------------------------------


class JournalError(StationError):
    default_message = "制卡任务记录错误 (issuance journal error)"
    code = ErrorCode.JOURNAL


class JobNotFound(JournalError):
    default_message = "没有这个制卡任务 (no such issuance job)"
    code = ErrorCode.JOB_NOT_FOUND


class DuplicateJob(JournalError):
    """A second job for an application that already has a live one (exactly once)."""

    default_message = "该申请已有制卡任务 (the application already has a job)"
    code = ErrorCode.DUPLICATE_JOB


class AlreadyIssued(DuplicateJob):
    default_message = (
        "该申请已制卡，不能重复制卡 (already issued: a card exists for this application)"
    )
    code = ErrorCode.ALREADY_ISSUED


class JobInProgress(DuplicateJob):
    default_message = (
        "该申请的制卡任务正在进行 (in progress: the application's job is not finished)"
    )
    code = ErrorCode.JOB_IN_PROGRESS


class ApplicationMismatch(JournalError):
    default_message = (
        "申请编号已用于另一人的申请 (the application id belongs to another person's application)"
    )
    code = ErrorCode.APPLICATION_MISMATCH


class UnknownBank(JournalError):
    default_message = "库存账中没有该银行 (the application's bank is not registered)"
    code = ErrorCode.UNKNOWN_BANK


class WrongAction(JournalError):
    """The step and the stock movement passed with it do not go together (a caller's bug)."""

    default_message = "制卡步骤与库存操作不符 (the step does not match the stock movement)"
    code = ErrorCode.WRONG_ACTION


class ChipMismatch(JournalError):
    default_message = "卡片芯片与任务占用的卡不符 (the chip is not the blank the job reserved)"
    code = ErrorCode.CHIP_MISMATCH


class BlankElsewhere(JournalError):
    default_message = "这张卡不在本工作站的卡箱中 (the blank is not in this station's stock)"
    code = ErrorCode.BLANK_ELSEWHERE


# -- what a step asks of the stock book -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChipData:
    """The finished card's chip, as read back: what the job records and the outbox sends."""

    card_number: str
    card_id_code: str
    atr_historical: bytes


@dataclass(frozen=True, slots=True)
class Reserve:
    """RESERVE: book the blank the chip named (card number or card id code) for the job;
    with ``location``, refuse a blank that is booked anywhere else; with
    ``card_id_code``, one whose card id code is another."""

    card: str
    location: str | None = None
    card_id_code: str | None = None  # the chip's: refused unless the blank's is the same


@dataclass(frozen=True, slots=True)
class Issue:
    """ISSUE: book the job's blank issued; ``chip`` must be that blank."""

    chip: ChipData


@dataclass(frozen=True, slots=True)
class Release:
    """FAIL with a blank whose chip holds no personal data: back to its drawer (or nothing
    to move when no blank was reserved yet); ``cause`` is the job's."""

    cause: WasteCause


@dataclass(frozen=True, slots=True)
class Spoil:
    """FAIL with a blank that holds personal data or a damaged face: SPOILED for ``cause``."""

    cause: WasteCause


InventoryAction = Reserve | Issue | Release | Spoil


@dataclass(frozen=True, slots=True)
class Then:
    """A further step committed in the same transaction as the one before it
    (``Journal.advance(..., then=...)``): only for a result and the intent after it, or
    results with no device action between them — the write-ahead rule still holds."""

    step: Step
    detail: str = ""
    inventory_action: InventoryAction | None = None


# -- what the journal returns ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JobInfo:
    job_id: str
    application_id: str
    state: JobState
    bank: str
    reason: Reason
    operator: str
    station: str
    card_number: str | None
    card_id_code: str | None
    atr_historical: bytes | None
    retry_of: str | None
    cause: WasteCause | None
    made_up: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    issued_at: dt.datetime | None
    application_sm3: str
    media_sm3: str
    # personal data: never in a repr (logs, traces, assertion messages)
    ssn: str = field(repr=False)
    name: str = field(repr=False)

    @classmethod
    def of(cls, j: Job) -> JobInfo:
        return cls(
            j.job_id,
            j.application_id,
            JobState(j.state),
            j.bank,
            Reason(j.reason),
            j.operator,
            j.station,
            j.card_number,
            j.card_id_code,
            None if j.atr_historical is None else bytes.fromhex(j.atr_historical),
            j.retry_of,
            None if j.cause is None else WasteCause(j.cause),
            j.made_up,
            j.created_at,
            j.updated_at,
            j.issued_at,
            j.application_sm3,
            j.media_sm3,
            j.ssn,
            j.name,
        )

    @property
    def finished(self) -> bool:
        return self.state in TERMINAL


@dataclass(frozen=True, slots=True)
class JournalEntry:
    job_id: str
    seq: int
    step: str  # a ``Step`` value, or "create"
    kind: Kind
    state: JobState
    actor: str
    at: dt.datetime
    detail: str


@dataclass(frozen=True, slots=True)
class DayReport:
    """The day's issuance (issue 11 item 9): jobs by outcome, spoiled blanks by cause."""

    day: dt.date
    station: str | None  # None: every station of the book
    issued_jobs: tuple[str, ...]  # booked ISSUED this day (made-up ones included)
    made_up_jobs: tuple[str, ...]  # of those, the ones completed by make-up (制卡补登)
    failed_jobs: tuple[str, ...]  # ended FAILED this day
    blanks_issued: int  # ISSUE rows of the ledger this day
    spoiled_by_cause: Mapping[str, int]  # SPOIL rows of the ledger by cause ("other": free text)

    @property
    def issued(self) -> int:
        return len(self.issued_jobs)

    @property
    def made_up(self) -> int:
        return len(self.made_up_jobs)

    @property
    def failed(self) -> int:
        return len(self.failed_jobs)

    @property
    def spoiled(self) -> int:
        return sum(self.spoiled_by_cause.values())

    @property
    def waste_rate(self) -> float:
        """spoiled ÷ (issued + spoiled), over blanks; 0.0 on a day without either."""
        total = self.blanks_issued + self.spoiled
        return self.spoiled / total if total else 0.0
