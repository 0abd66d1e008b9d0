"""What an instant-issue job ends with, and the small rules the runner and make-up share.

``Outcome`` (how one run ended), the typed refusals (``NotReady``, ``Cancelled``,
``MakeupMismatch``), the waste cause a device error stands for, the teller's own drawer and
what a chip read back means for a job.  Split from ``job.py`` so the runner holds only the
device steps; ``station.issuance.job`` re-exports these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from station.card.personalise import WrongBlank
from station.card.reader import CardInfo
from station.errors import ErrorCode, StationError
from station.inventory.errors import InventoryError
from station.inventory.models import LocationKind
from station.inventory.service import Inventory
from station.issuance.journal import JobInfo
from station.issuance.recovery import Chip
from station.issuance.states import JobState, WasteCause
from station.printer.errors import (
    CoverOpen,
    FeederEmpty,
    Jam,
    PrinterOffline,
    PrinterRebooted,
    RejectBoxFull,
    RibbonOut,
    SettingsNotApplied,
)

S = JobState


class NotReady(StationError):
    default_message = "不具备制卡条件 (not ready to issue)"
    code = ErrorCode.ISSUE_NOT_READY


class Cancelled(StationError):
    default_message = "制卡已取消 (the job was cancelled)"
    code = ErrorCode.ISSUE_CANCELLED


class MakeupMismatch(StationError):
    default_message = "补登的卡片与任务不符 (the card offered for make-up is not the job's)"
    code = ErrorCode.MAKEUP_MISMATCH


@dataclass(frozen=True)
class Outcome:
    """How one run ended: the job as booked, and the error that stopped it (if any)."""

    job: JobInfo
    error: StationError | None = None
    receipt: Path | None = None
    face: Path | None = None

    @property
    def ok(self) -> bool:
        return self.job.state is S.COMPLETED


class StepFailed(Exception):
    """Inside the runner: a device step failed; carries the cause for the FAIL row."""

    def __init__(self, error: StationError, cause: WasteCause) -> None:
        super().__init__(error.message)
        self.error = error
        self.cause = cause


def cause_of(exc: BaseException, default: WasteCause) -> WasteCause:
    """The waste cause a device error stands for (the day's report counts them)."""
    if isinstance(exc, PrinterRebooted | PrinterOffline | SettingsNotApplied):
        return WasteCause.POWER_LOSS
    if isinstance(exc, RibbonOut):
        return WasteCause.PRINT_FAULT
    if isinstance(exc, Jam | FeederEmpty | CoverOpen | RejectBoxFull):
        return WasteCause.JAM
    if isinstance(exc, WrongBlank | InventoryError):
        return WasteCause.WRONG_BLANK
    return default


def teller_drawer(inv: Inventory, operator: str) -> str:
    """The drawer this teller owns (their stock): the blanks a job may take."""
    mine = [
        loc.code
        for loc in inv.locations()
        if loc.owner == operator and loc.kind is LocationKind.DRAWER
    ]
    if len(mine) != 1:
        raise NotReady(
            "操作员没有唯一的卡箱 (the operator has no drawer of their own, or several)",
            detail=f"{operator}: {mine}",
        )
    return mine[0]


def classify_chip(info: CardInfo | None, job: JobInfo) -> Chip:
    """What a chip read back means for ``job`` (recovery's ``Chip`` finding)."""
    if info is None:
        return Chip.NOT_READ
    number = info.card_number.strip().upper()
    if job.card_number is not None and number != job.card_number:
        return Chip.FOREIGN
    if info.blank:
        return Chip.BLANK
    if info.holder is None:
        return Chip.PARTIAL
    if info.holder.ssn == job.ssn and info.holder.name == job.name:
        return Chip.APPLICANT if job.card_number is not None else Chip.FOREIGN
    return Chip.FOREIGN


def failure_detail(error: StationError) -> str:
    """The journal's detail for a failed step: the error's type and message (no data)."""
    return f"{type(error).__name__}: {error.message}"


__all__ = [
    "Cancelled",
    "MakeupMismatch",
    "NotReady",
    "Outcome",
    "StepFailed",
    "cause_of",
    "classify_chip",
    "failure_detail",
    "teller_drawer",
]
