"""The instant-issue job's states and the only moves between them, as a table.

Like the inventory's ``TRANSITIONS``: a job moves only by a ``Step`` whose row names its
current state; anything else is a programming or recovery error and raises.  The journal
records a step's *intent* (the ``…ING`` states) before the device is touched and its
*result* after, so after a crash the last row says exactly how far the card got.

The order is the one real systems use (chip before face, so a bad chip costs no ribbon):
feed → contacts → identify + reserve → write → read back → initial PIN → print → eject →
ISSUED → register → COMPLETED.  A job whose face is printed but which did not complete
becomes MAKEUP_PENDING (制卡补登); one that fails before the face is printed becomes
FAILED (制卡失败) and a retry is a new job on a new blank.
"""

from __future__ import annotations

import enum

from station.errors import ErrorCode, StationError


class JobState(enum.Enum):
    CREATED = "created"  # application accepted, nothing touched
    FEEDING = "feeding"  # intent: take a blank from the feeder to the contacts
    AT_CONTACTS = "at_contacts"  # a card is under the contacts, not yet identified
    RESERVED = "reserved"  # the chip named a blank of this teller's stock; booked RESERVED
    WRITING = "writing"  # intent: write the holder's data
    WRITTEN = "written"  # written and read back equal
    PIN_SET = "pin_set"  # the initial chip PIN is set
    PRINTING = "printing"  # intent: print the face (a partial face spoils the card)
    PRINTED = "printed"  # the face is complete
    EJECTING = "ejecting"  # intent: hand the card out
    EJECTED = "ejected"  # the card is in the output hopper
    ISSUED = "issued"  # booked ISSUED in the stock
    COMPLETED = "completed"  # registered (outbox) and receipt made: the job is done
    MAKEUP_PENDING = "makeup_pending"  # face printed, job not completed: make-up owed
    FAILED = "failed"  # ended without a card; the blank is released or spoiled
    CANCELLED = "cancelled"  # cancelled before anything was fed


class Step(enum.Enum):
    FEED = "feed"
    AT_CONTACTS = "at_contacts"
    RESERVE = "reserve"
    WRITE = "write"
    WRITTEN = "written"
    SET_PIN = "set_pin"
    PRINT = "print"
    PRINTED = "printed"
    EJECT = "eject"
    EJECTED = "ejected"
    ISSUE = "issue"
    REGISTER = "register"
    MAKEUP_NEEDED = "makeup_needed"
    FAIL = "fail"
    CANCEL = "cancel"


S = JobState
# the states in which the card has no printed face: failure is still possible
BEFORE_FACE = frozenset(
    {S.CREATED, S.FEEDING, S.AT_CONTACTS, S.RESERVED, S.WRITING, S.WRITTEN, S.PIN_SET}
)
# the face is complete, the card not yet booked: make-up if the job stops here, never a
# second print
FACE_DONE = frozenset({S.PRINTED, S.EJECTING, S.EJECTED})
TERMINAL = frozenset({S.COMPLETED, S.FAILED, S.CANCELLED})

# step -> (states it may start from, state it ends in)
TRANSITIONS: dict[Step, tuple[frozenset[JobState], JobState]] = {
    Step.FEED: (frozenset({S.CREATED}), S.FEEDING),
    Step.AT_CONTACTS: (frozenset({S.FEEDING}), S.AT_CONTACTS),
    Step.RESERVE: (frozenset({S.AT_CONTACTS}), S.RESERVED),
    Step.WRITE: (frozenset({S.RESERVED}), S.WRITING),
    Step.WRITTEN: (frozenset({S.WRITING}), S.WRITTEN),
    Step.SET_PIN: (frozenset({S.WRITTEN}), S.PIN_SET),
    Step.PRINT: (frozenset({S.PIN_SET}), S.PRINTING),
    Step.PRINTED: (frozenset({S.PRINTING}), S.PRINTED),
    Step.EJECT: (frozenset({S.PRINTED}), S.EJECTING),
    Step.EJECTED: (frozenset({S.EJECTING}), S.EJECTED),
    Step.ISSUE: (frozenset({S.EJECTED, S.MAKEUP_PENDING}), S.ISSUED),
    Step.REGISTER: (frozenset({S.ISSUED}), S.COMPLETED),
    Step.MAKEUP_NEEDED: (FACE_DONE, S.MAKEUP_PENDING),
    # a partial face (PRINTING) spoils the card: that is a failure too
    Step.FAIL: (BEFORE_FACE | {S.PRINTING}, S.FAILED),
    Step.CANCEL: (frozenset({S.CREATED}), S.CANCELLED),
}
# the happy path, in order (tests and progress percentages use it)
HAPPY_PATH: tuple[Step, ...] = (
    Step.FEED,
    Step.AT_CONTACTS,
    Step.RESERVE,
    Step.WRITE,
    Step.WRITTEN,
    Step.SET_PIN,
    Step.PRINT,
    Step.PRINTED,
    Step.EJECT,
    Step.EJECTED,
    Step.ISSUE,
    Step.REGISTER,
)


class WasteCause(enum.Enum):
    """Why a blank was spoiled (the day's report counts them by cause)."""

    PRINT_FAULT = "print_fault"  # 打印故障
    LAMINATION = "lamination"  # 覆膜
    PUNCHING = "punching"  # 冲切
    DAMAGED_BLANK = "damaged_blank"  # 卡基损坏
    CHIP_WRITE_FAULT = "chip_write_fault"  # 芯片写入失败
    WRONG_BLANK = "wrong_blank"  # 芯片与库存不符
    JAM = "jam"  # 卡片卡住
    POWER_LOSS = "power_loss"  # 断电
    OPERATOR_CANCEL = "operator_cancel"  # 操作员取消


class JobStateError(StationError):
    default_message = "制卡任务状态不允许此操作 (the job's state does not allow this step)"
    code = ErrorCode.JOB_STATE


def next_state(state: JobState, step: Step) -> JobState:
    """The state ``step`` leads to from ``state``, or ``JobStateError``."""
    starts, to = TRANSITIONS[step]
    if state not in starts:
        raise JobStateError(detail=f"{step.value} from {state.value}")
    return to
