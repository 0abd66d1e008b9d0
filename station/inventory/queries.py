"""Read-only views of the book: one blank, lists of blanks, the daily balance, what is held,
and the supervisor's status.

Why the balance is computed from the ledger alone: the ledger is the book of record; the
blank rows only say where cards are now.  ``held`` counts from the blank rows, so a test or
an auditor can hold the two against each other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from station.inventory.custody import lock_blanks
from station.inventory.models import (
    Action,
    Blank,
    CountSession,
    CountStatus,
    LedgerHead,
    LedgerRow,
    Location,
    LocationKind,
    State,
)
from station.inventory.results import BalanceRow, BlankInfo, StockLine, StockStatus
from station.inventory.rules import HELD_STATES, OUTFLOW

if TYPE_CHECKING:
    from station.inventory.service import Inventory

_COLUMNS = (
    "opening",
    "received",
    "sent",
    "issued",
    "spoiled",
    "returned",
    "destroyed",
    "lost",
    "closing",
)


def blank(inv: Inventory, card: str) -> BlankInfo:
    return inv.read(lambda s: BlankInfo.of(lock_blanks(s, [card], lock=False)[0]))


def blanks(
    inv: Inventory, *, location: str | None, state: State | None, bank: str | None
) -> list[BlankInfo]:
    def work(s: Session) -> list[BlankInfo]:
        q = select(Blank.__table__).order_by(Blank.id)
        if location is not None:
            q = q.where(Blank.location == location)
        if state is not None:
            q = q.where(Blank.state == State(state).value)
        if bank is not None:
            q = q.where(Blank.bank == bank)
        return [BlankInfo.of(r) for r in s.execute(q)]

    return inv.read(work)


def _balance_sums(
    s: Session, start: dt.datetime, end: dt.datetime, filt: list[ColumnElement[bool]]
) -> dict[tuple[Any, str], dict[str, int]]:
    """Per (location, bank): opening, closing and the day's inflow and outflows."""
    L = LedgerRow
    moved = or_(
        L.from_location.is_(None), L.to_location.is_(None), L.from_location != L.to_location
    )
    acc: dict[tuple[Any, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(_COLUMNS, 0))
    for col, sign in ((L.to_location, 1), (L.from_location, -1)):
        for when, key in ((L.ts < start, "opening"), (L.ts < end, "closing")):
            q = (
                select(col, L.bank, func.count())
                .where(when, moved, col.is_not(None), *filt)
                .group_by(col, L.bank)
            )
            for loc, b, n in s.execute(q):
                acc[(loc, b)][key] += sign * n
    day_rows = and_(L.ts >= start, L.ts < end, moved, *filt)
    q = (
        select(L.to_location, L.bank, func.count())
        .where(day_rows, L.to_location.is_not(None))
        .group_by(L.to_location, L.bank)
    )
    for loc, b, n in s.execute(q):
        acc[(loc, b)]["received"] += n
    q4 = (
        select(L.from_location, L.bank, L.action, func.count())
        .where(day_rows, L.from_location.is_not(None))
        .group_by(L.from_location, L.bank, L.action)
    )
    for loc, b, action, n in s.execute(q4):
        acc[(loc, b)][OUTFLOW[Action(action)]] += n
    return acc


def balance(
    inv: Inventory, day: dt.date, *, location: str | None, bank: str | None
) -> list[BalanceRow]:
    start, end = inv.day_range(day)

    def work(s: Session) -> list[BalanceRow]:
        filt = [] if bank is None else [LedgerRow.bank == bank]
        out = []
        for (loc, b), v in sorted(_balance_sums(s, start, end, filt).items()):
            if location is not None and loc != location:
                continue
            if not any(v.values()):
                continue
            out.append(BalanceRow(day, loc, b, **v))
        return out

    return inv.read(work)


def held(inv: Inventory) -> dict[tuple[str | None, str], int]:
    def work(s: Session) -> dict[tuple[str | None, str], int]:
        q = (
            select(Blank.location, Blank.bank, func.count())
            .where(Blank.state.in_([*HELD_STATES]))
            .group_by(Blank.location, Blank.bank)
        )
        return {(loc, b): n for loc, b, n in s.execute(q)}

    return inv.read(work)


def status(inv: Inventory) -> StockStatus:
    def work(s: Session) -> StockStatus:
        stock = tuple(
            StockLine(loc, b, State(st), n)
            for loc, b, st, n in s.execute(
                select(Blank.location, Blank.bank, Blank.state, func.count())
                .group_by(Blank.location, Blank.bank, Blank.state)
                .order_by(Blank.location, Blank.bank, Blank.state)
            )
        )
        diffs = tuple(
            (i, loc)
            for i, loc in s.execute(
                select(CountSession.id, CountSession.location).where(
                    CountSession.status == CountStatus.DISCREPANCY.value
                )
            )
        )
        start, _ = inv.day_range(inv.today())
        done = [CountStatus.MATCHED.value, CountStatus.RESOLVED.value]
        counted_today = set(
            s.execute(
                select(CountSession.location).where(
                    CountSession.status.in_(done), CountSession.submitted_at >= start
                )
            ).scalars()
        )
        desk_kinds = [LocationKind.DRAWER.value, LocationKind.STATION.value]
        desks = set(s.execute(select(Location.code).where(Location.kind.in_(desk_kinds))).scalars())
        head = s.get(LedgerHead, 1)
        return StockStatus(
            stock=stock,
            discrepancies=diffs,
            count_missing_today=tuple(sorted(desks - counted_today)),
            require_daily_count=inv._daily_count_required(s),
            ledger_rows=head.last_seq if head else 0,
            ledger_head=bytes(head.last_hash).hex() if head else "",
        )

    return inv.read(work)
