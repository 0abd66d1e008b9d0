"""The stock book's codes as words in the language chosen: blank states, ledger actions,
location kinds and the book's two fixed places, roles, waste causes, registration results.

Why one module: the book stores fixed codes (``State.IN_VAULT``, ``Action.SPOIL``,
``LocationKind.REJECT``, the places ``VAULT`` and ``REJECT``) and every supervisor table or
label that shows one must show the same word for it.  A table keeps the code itself (its
model's ``UserRole``: sorting stays by code) and shows the word (``RowsModel.words``: column
-> one of these functions).  A value that is none of the codes — a drawer's code, a reason a
person typed — is shown as it is.  Each function is called at display time, so a language
switch shows the other language at the next repaint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication

from station.inventory.models import REJECT_BOX, VAULT, Action, LocationKind, Role, State
from station.issuance.states import WasteCause

Words = Callable[[Any], str]  # every word below is in the .ts files' context StockWords


def _raw(value: Any) -> str:
    return "" if value is None else str(getattr(value, "value", value))


def _word(words: dict[str, str], value: Any) -> str:
    """``value``'s word, or the value itself when it is none of the codes."""
    raw = _raw(value)
    return words.get(raw, raw)


def state(value: Any) -> str:
    """A blank's state (``State`` or its value)."""
    words: dict[str, str] = {
        State.IN_VAULT: QCoreApplication.translate("StockWords", "In the vault"),
        State.IN_DRAWER: QCoreApplication.translate("StockWords", "In a drawer"),
        State.RESERVED: QCoreApplication.translate("StockWords", "Reserved for a job"),
        State.ISSUED: QCoreApplication.translate("StockWords", "Issued"),
        State.SPOILED: QCoreApplication.translate("StockWords", "Spoiled"),
        State.DESTROYED: QCoreApplication.translate("StockWords", "Destroyed"),
        State.RETURNED: QCoreApplication.translate("StockWords", "Returned"),
        State.LOST: QCoreApplication.translate("StockWords", "Lost"),
    }
    return _word(words, value)


def action(value: Any) -> str:
    """What a ledger row records (``Action`` or its value)."""
    words: dict[str, str] = {
        Action.STOCK_IN: QCoreApplication.translate("StockWords", "Stock-in"),
        Action.ALLOCATE: QCoreApplication.translate("StockWords", "Allocation"),
        Action.RESERVE: QCoreApplication.translate("StockWords", "Reservation"),
        Action.RELEASE: QCoreApplication.translate("StockWords", "Release"),
        Action.ISSUE: QCoreApplication.translate("StockWords", "Issue"),
        Action.SPOIL: QCoreApplication.translate("StockWords", "Spoilage"),
        Action.RETURN: QCoreApplication.translate("StockWords", "Return"),
        Action.DESTROY: QCoreApplication.translate("StockWords", "Destruction"),
        Action.LOST: QCoreApplication.translate("StockWords", "Loss"),
    }
    return _word(words, value)


def kind(value: Any) -> str:
    """A location's kind (``LocationKind`` or its value)."""
    words: dict[str, str] = {
        LocationKind.VAULT: QCoreApplication.translate("StockWords", "Vault"),
        LocationKind.DRAWER: QCoreApplication.translate("StockWords", "Teller's drawer"),
        LocationKind.STATION: QCoreApplication.translate("StockWords", "Station hopper"),
        LocationKind.REJECT: QCoreApplication.translate("StockWords", "Reject box"),
    }
    return _word(words, value)


def place(value: Any) -> str:
    """A location's code: the book's vault and reject box in words, any other as it is."""
    code = _raw(value)
    if code == VAULT:
        return kind(LocationKind.VAULT)
    if code == REJECT_BOX:
        return kind(LocationKind.REJECT)
    return code


def role(value: Any) -> str:
    words: dict[str, str] = {
        Role.TELLER: QCoreApplication.translate("StockWords", "Teller"),
        Role.SUPERVISOR: QCoreApplication.translate("StockWords", "Supervisor"),
        Role.AUDITOR: QCoreApplication.translate("StockWords", "Auditor"),
        Role.TECHNICIAN: QCoreApplication.translate("StockWords", "Technician"),
    }
    return _word(words, value)


def cause(value: Any) -> str:
    """Why a blank was spoiled: a ``WasteCause`` value in words, a typed reason as it is."""
    words: dict[str, str] = {
        WasteCause.PRINT_FAULT.value: QCoreApplication.translate("StockWords", "Print fault"),
        WasteCause.LAMINATION.value: QCoreApplication.translate("StockWords", "Lamination"),
        WasteCause.PUNCHING.value: QCoreApplication.translate("StockWords", "Punching"),
        WasteCause.DAMAGED_BLANK.value: QCoreApplication.translate("StockWords", "Damaged blank"),
        WasteCause.CHIP_WRITE_FAULT.value: QCoreApplication.translate(
            "StockWords", "Chip write fault"
        ),
        WasteCause.WRONG_BLANK.value: QCoreApplication.translate("StockWords", "Wrong blank"),
        WasteCause.JAM.value: QCoreApplication.translate("StockWords", "Card jam"),
        WasteCause.POWER_LOSS.value: QCoreApplication.translate("StockWords", "Power loss"),
        WasteCause.OPERATOR_CANCEL.value: QCoreApplication.translate(
            "StockWords", "Cancelled by the operator"
        ),
        "other": QCoreApplication.translate("StockWords", "Other"),
    }
    return _word(words, value)


def result(value: Any) -> str:
    """A registration's result in the outbox (``issuance.outbox``: completed, made_up,
    failed)."""
    words: dict[str, str] = {
        "completed": QCoreApplication.translate("StockWords", "Issued"),
        "made_up": QCoreApplication.translate("StockWords", "Made up"),
        "failed": QCoreApplication.translate("StockWords", "Failed"),
    }
    return _word(words, value)


def yes_no(value: Any) -> str:
    """A flag: ``True``/``False``, or the report's bilingual ``是 yes`` / ``否 NO``."""
    raw = _raw(value)
    if raw in ("True", "是 yes"):
        return QCoreApplication.translate("StockWords", "Yes")
    if raw in ("False", "否 NO"):
        return QCoreApplication.translate("StockWords", "No")
    return raw


__all__ = [
    "Words",
    "action",
    "cause",
    "kind",
    "place",
    "result",
    "role",
    "state",
    "yes_no",
]
