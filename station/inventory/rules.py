"""The stock rules as data: which state an action may start from, and who may do what.

Why tables: a rule written at a call site is a rule nobody can list.  ``TRANSITIONS`` says
which states an action may start from and where it ends; ``ROLES`` says which roles may do
each duty.  Anything not listed is refused.  The service checks roles in exactly one place
(``Inventory._user``) and states in exactly one place (``check_transition``).
"""

from __future__ import annotations

import enum
from typing import Any

from station.inventory.errors import InvalidTransition
from station.inventory.models import Action, Role, State

# action -> (states it may start from, state it ends in)
TRANSITIONS: dict[Action, tuple[frozenset[State], State]] = {
    Action.ALLOCATE: (frozenset({State.IN_VAULT}), State.IN_DRAWER),
    Action.RESERVE: (frozenset({State.IN_DRAWER}), State.RESERVED),
    Action.RELEASE: (frozenset({State.RESERVED}), State.IN_DRAWER),
    Action.ISSUE: (frozenset({State.RESERVED}), State.ISSUED),
    Action.SPOIL: (frozenset({State.RESERVED}), State.SPOILED),
    Action.RETURN: (frozenset({State.IN_VAULT, State.IN_DRAWER}), State.RETURNED),
    Action.DESTROY: (frozenset({State.SPOILED}), State.DESTROYED),
    Action.LOST: (frozenset({State.IN_VAULT, State.IN_DRAWER, State.SPOILED}), State.LOST),
}
ALLOWED: frozenset[tuple[State, State]] = frozenset(
    (f, to) for starts, to in TRANSITIONS.values() for f in starts
)


class Duty(enum.StrEnum):
    """What a user asks to do; ``ROLES`` maps each duty to the roles allowed to do it."""

    STOCK_IN = "stock_in"
    ALLOCATE = "allocate"
    RESERVE = "reserve"
    ISSUE = "issue"
    SPOIL = "spoil"
    RELEASE = "release"
    RETURN = "return"
    COUNT = "count"
    RESOLVE = "resolve"
    DESTROY = "destroy"
    WITNESS = "witness"
    SETUP = "setup"
    SETTINGS = "settings"


_DESK = frozenset({Role.TELLER, Role.SUPERVISOR})
ROLES: dict[Duty, frozenset[Role]] = {
    Duty.STOCK_IN: frozenset({Role.SUPERVISOR}),
    Duty.ALLOCATE: frozenset({Role.SUPERVISOR}),
    Duty.RESERVE: _DESK,
    Duty.ISSUE: _DESK,
    Duty.SPOIL: _DESK,
    Duty.RELEASE: _DESK,
    Duty.RETURN: frozenset({Role.SUPERVISOR}),
    Duty.COUNT: frozenset({Role.TELLER, Role.SUPERVISOR, Role.AUDITOR}),
    Duty.RESOLVE: frozenset({Role.SUPERVISOR}),
    Duty.DESTROY: frozenset({Role.SUPERVISOR}),
    Duty.WITNESS: frozenset({Role.SUPERVISOR, Role.AUDITOR, Role.TELLER}),
    Duty.SETUP: frozenset({Role.SUPERVISOR}),
    Duty.SETTINGS: frozenset({Role.SUPERVISOR, Role.TECHNICIAN}),
}

HELD_STATES = frozenset({State.IN_VAULT, State.IN_DRAWER, State.RESERVED, State.SPOILED})
COUNTED_STATES = frozenset({State.IN_VAULT, State.IN_DRAWER, State.SPOILED})
# which column of the daily balance an outgoing movement of each action lands in
OUTFLOW: dict[Action, str] = {
    Action.ALLOCATE: "sent",
    Action.ISSUE: "issued",
    Action.SPOIL: "spoiled",
    Action.RETURN: "returned",
    Action.DESTROY: "destroyed",
    Action.LOST: "lost",
}
# actions whose reason is kept on the blank row (the others only in the ledger)
REASON_KEPT = frozenset({Action.SPOIL, Action.RETURN, Action.DESTROY, Action.LOST})


def check_transition(row: Any, action: Action) -> None:
    """Refuse ``action`` on a blank row whose state the table does not allow."""
    starts, to_state = TRANSITIONS[action]
    if State(row.state) not in starts:
        raise InvalidTransition(
            f"卡{row.card_number}处于{row.state}状态，不能{action.value} "
            f"(state {row.state} does not allow {action.value})",
            detail=f"{row.card_number}: {row.state} -> {to_state.value} not allowed",
        )
