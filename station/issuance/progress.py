"""Progress events of an issuance job, for the CLI's progress line and the desktop UI.

Why a module of its own: the runner only *emits* events (step, percent, a Chinese and an
English sentence, elapsed seconds); how they are shown is the front end's business.  The
percentages follow the happy path of the state table, so a new step moves them without
anyone editing a number.  Messages never carry personal data beyond the job id.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from station.issuance.states import HAPPY_PATH, Step


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    job_id: str
    step: str  # a ``Step`` value, or "check", "identify", "receipt", "done", "failed"
    percent: int  # 0..100
    zh: str
    en: str
    elapsed: float  # seconds since the job started

    def line(self) -> str:
        """One line for a terminal or a log: ``[ 42%] 12.3 s 写卡 writing the chip``."""
        return f"[{self.percent:3d}%] {self.elapsed:6.1f} s  {self.zh} {self.en}"


ProgressCallback = Callable[[ProgressEvent], None]

# what the teller reads while each step runs (the intent) or after it (the result)
MESSAGES: dict[str, tuple[str, str]] = {
    "check": ("检查打印机和库存", "checking the printer and the stock"),
    Step.FEED.value: ("进卡", "feeding a blank"),
    Step.AT_CONTACTS.value: ("卡片到达芯片位", "card at the contact station"),
    "identify": ("识别芯片", "identifying the blank by its chip"),
    Step.RESERVE.value: ("占用预制卡", "blank reserved for the job"),
    Step.WRITE.value: ("写卡", "writing the chip"),
    Step.WRITTEN.value: ("写卡并回读校验完成", "chip written and read back"),
    Step.SET_PIN.value: ("设置初始密码", "initial PIN set"),
    Step.PRINT.value: ("打印卡面", "printing the face"),
    Step.PRINTED.value: ("卡面打印完成", "face printed"),
    Step.EJECT.value: ("出卡", "ejecting the card"),
    Step.EJECTED.value: ("卡片已送出", "card handed out"),
    Step.ISSUE.value: ("发放入账", "booked as issued"),
    Step.REGISTER.value: ("登记回盘", "registered (outbox)"),
    "receipt": ("领卡回执", "receipt written"),
    "done": ("制卡完成", "card issued"),
    "failed": ("制卡失败", "job failed"),
    "makeup": ("制卡补登", "make-up registration"),
    Step.CANCEL.value: ("已取消", "cancelled"),
}


def percent_of(step: str) -> int:
    """Where ``step`` stands on the happy path, in percent (checks 0, done 100)."""
    names = [s.value for s in HAPPY_PATH]
    if step in names:
        return round(100 * (names.index(step) + 1) / (len(names) + 1))
    return {"check": 0, "identify": percent_of(Step.AT_CONTACTS.value) + 2}.get(step, 100)


class CancelToken:
    """Set by the teller (a button, Ctrl-C); the job honours it only at safe points:
    before a blank is fed, and after a card was ejected (the batch stops there)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


__all__ = ["MESSAGES", "CancelToken", "ProgressCallback", "ProgressEvent", "percent_of"]
