"""What to do with an unfinished job after a crash or a fault: a pure decision table.

At start-up (``station recover``) the job asks the printer where the card is and reads the
chip where it can; ``decide`` turns (last journal state, card position, chip finding) into
one action.  Nothing is guessed: a printer that does not answer, or a chip that is not the
one the journal names, blocks the job until a person looks.  The table is ``RULES``, read
top to bottom, first match wins; ``docs/issuance.md`` prints it and the tests walk every
row and every combination.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from station.issuance.states import BEFORE_FACE, FACE_DONE, TERMINAL, JobState, WasteCause
from station.printer.base import CardPosition

S = JobState
P = CardPosition


class Chip(enum.Enum):
    """What the chip at hand holds, as far as the station could read it."""

    NOT_READ = "not_read"  # no card to read (not in the printer) or not tried
    MUTE = "mute"  # a card is there but its chip does not answer
    BLANK = "blank"  # the reserved blank, no personal data on it
    PARTIAL = "partial"  # the reserved blank, some of this applicant's data written
    APPLICANT = "applicant"  # the reserved blank holding exactly this application's data
    FOREIGN = "foreign"  # another card: not the blank the journal names


class Action(enum.Enum):
    NONE = "none"  # the job is finished; nothing to do
    READY = "ready"  # nothing was booked: the job goes back to CREATED (check the reject box)
    RESUME = "resume"  # the card is where the job left it: go on from ``resume_at``
    RELEASE = "release"  # the blank holds no personal data: back to the drawer; job FAILED
    SPOIL = "spoil"  # the blank holds personal data or a damaged face: SPOILED; job FAILED
    MAKEUP = "makeup"  # the face is printed: make-up (制卡补登), never print again
    REGISTER = "register"  # booked ISSUED; only the registration is missing
    BLOCK = "block"  # the station cannot know: a person must look; nothing changes


ANY_POSITION = frozenset(CardPosition)
KNOWN = frozenset(p for p in CardPosition if p is not P.UNKNOWN)
INSIDE = frozenset({P.CONTACT, P.PRINT, P.CONTACTLESS})
ANY_CHIP = frozenset(Chip)
UNTOUCHED = frozenset({Chip.BLANK, Chip.NOT_READ})
OURS = frozenset({Chip.BLANK, Chip.PARTIAL, Chip.APPLICANT})
PRE_WRITE = frozenset({S.CREATED, S.FEEDING, S.AT_CONTACTS, S.RESERVED})
WRITE_STARTED = BEFORE_FACE - PRE_WRITE  # WRITING, WRITTEN, PIN_SET


@dataclass(frozen=True)
class Decision:
    action: Action
    why: str  # Chinese, then English: what the teller reads
    resume_at: JobState | None = None  # for RESUME: the state the job continues from
    cause: WasteCause | None = None  # for SPOIL (and the FAILED job's cause)


@dataclass(frozen=True)
class Rule:
    states: frozenset[JobState]
    positions: frozenset[CardPosition]  # None (no answer) is matched by BLOCK rules only
    chips: frozenset[Chip]
    decision: Decision


def _rule(
    states: Iterable[JobState],
    positions: Iterable[CardPosition],
    chips: Iterable[Chip],
    action: Action,
    why: str,
    resume_at: JobState | None = None,
    cause: WasteCause | None = None,
) -> Rule:
    return Rule(
        frozenset(states),
        frozenset(positions),
        frozenset(chips),
        Decision(action, why, resume_at, cause),
    )


RULES: tuple[Rule, ...] = (
    _rule(TERMINAL, ANY_POSITION, ANY_CHIP, Action.NONE, "任务已结束 (the job has ended)"),
    _rule(
        {S.CREATED},
        ANY_POSITION,
        ANY_CHIP,
        Action.READY,
        "尚未进卡，任务可重新开始 (nothing was fed; the job can start again)",
    ),
    _rule(
        {S.ISSUED},
        ANY_POSITION,
        ANY_CHIP,
        Action.REGISTER,
        "卡片已发放入账，补完登记 (card booked as issued; finish the registration)",
    ),
    # the holder has the card (or it is still inside): make-up re-reads the chip in any reader
    _rule(
        {S.MAKEUP_PENDING},
        ANY_POSITION,
        ANY_CHIP,
        Action.MAKEUP,
        "卡面已打印，需制卡补登 (face printed: make-up registration needed)",
    ),
    _rule(
        S,
        {P.UNKNOWN},
        ANY_CHIP,
        Action.BLOCK,
        "打印机不知卡片位置，请检查打印机 (the printer cannot say where the card is; check it)",
    ),
    _rule(
        S,
        ANY_POSITION,
        {Chip.FOREIGN},
        Action.BLOCK,
        "芯片位的卡不是本任务的卡，请人工检查 (the card at the contacts is not this job's; check)",
    ),
    # the face is complete: make-up, whatever else is found (the make-up re-reads the chip)
    _rule(
        FACE_DONE,
        KNOWN,
        ANY_CHIP - {Chip.FOREIGN},
        Action.MAKEUP,
        "卡面已打印，需制卡补登 (face printed: make-up registration needed)",
    ),
    _rule(
        {S.PRINTING},
        KNOWN,
        ANY_CHIP - {Chip.FOREIGN},
        Action.SPOIL,
        "卡面打印未完成，卡片作废，请换卡重做 (face partly printed: card spoiled, retry on a new"
        " blank)",
        cause=WasteCause.PRINT_FAULT,
    ),
    # not yet reserved: nothing in the books changed
    _rule(
        {S.FEEDING, S.AT_CONTACTS},
        {P.CONTACT},
        {Chip.BLANK, Chip.NOT_READ},
        Action.RESUME,
        "卡在芯片位，继续识别 (card at the contacts: continue with identification)",
        resume_at=S.FEEDING,
    ),
    _rule(
        {S.FEEDING, S.AT_CONTACTS},
        KNOWN,
        ANY_CHIP - {Chip.FOREIGN},
        Action.READY,
        "未入账的空白卡，请检查废卡箱并放回进卡口 (blank not booked: check the reject box and"
        " put it back in the feeder)",
    ),
    # reserved, nothing written yet or the write can be redone: the card is under the contacts
    _rule(
        {S.RESERVED} | WRITE_STARTED,
        {P.CONTACT},
        OURS | {Chip.NOT_READ},  # the resumed write identifies the blank again first
        Action.RESUME,
        "卡在芯片位，继续写卡 (card at the contacts: continue writing)",
        resume_at=S.RESERVED,
    ),
    _rule(
        {S.RESERVED} | WRITE_STARTED,
        {P.CONTACT},
        {Chip.MUTE},
        Action.SPOIL,
        "芯片无响应，卡片作废，请换卡重做 (chip does not answer: card spoiled, retry on a new"
        " blank)",
        cause=WasteCause.CHIP_WRITE_FAULT,
    ),
    # out of the contacts (ejected by a power loss, or jammed) before the face
    _rule(
        {S.RESERVED},
        KNOWN - {P.CONTACT},
        UNTOUCHED,
        Action.RELEASE,
        "卡片未写入个人信息，退回钱箱，请换卡重做 (no personal data written: blank back to the"
        " drawer, retry on a new blank)",
        cause=WasteCause.JAM,
    ),
    _rule(
        {S.RESERVED} | WRITE_STARTED,
        KNOWN - {P.CONTACT},
        ANY_CHIP - {Chip.FOREIGN},
        Action.SPOIL,
        "卡片可能含个人信息，作废，请换卡重做 (the card may hold personal data: spoiled, retry"
        " on a new blank)",
        cause=WasteCause.POWER_LOSS,
    ),
)


def decide(state: JobState, position: CardPosition | None, chip: Chip) -> Decision:
    """The first rule of ``RULES`` matching; a printer that did not answer is ``UNKNOWN``."""
    where = P.UNKNOWN if position is None else position
    for rule in RULES:
        if state in rule.states and where in rule.positions and chip in rule.chips:
            return rule.decision
    # unreachable while the table covers every combination (a test proves it)
    return Decision(Action.BLOCK, "无法判定，请人工检查 (cannot decide; a person must look)")


def _names(values: frozenset[Any], whole: frozenset[Any], word: str) -> str:
    if values == whole:
        return word
    rest = whole - values
    if len(rest) < len(values):
        return "any but " + ", ".join(sorted(v.value for v in rest))
    return ", ".join(sorted(v.value for v in values))


def table_markdown() -> str:
    """``RULES`` as the Markdown table ``docs/issuance.md`` shows (a test keeps them equal)."""
    lines = [
        "| # | journal state | card position | chip | action | cause | teller reads |",
        "|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(RULES, 1):
        d = r.decision
        action = d.action.value + (f" from {d.resume_at.value}" if d.resume_at else "")
        lines.append(
            f"| {i} | {_names(r.states, frozenset(JobState), 'any')}"
            f" | {_names(r.positions, ANY_POSITION, 'any')}"
            f" | {_names(r.chips, ANY_CHIP, 'any')} | {action}"
            f" | {d.cause.value if d.cause else ''} | {d.why} |"
        )
    return "\n".join(lines) + "\n"
