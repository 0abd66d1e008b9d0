"""Counts (盘点): what is physically found at a location against the book, and how a
supervisor settles a difference.

Why it is shaped like this: a count is kept as data (its lines per bank and its missing or
extra cards), so a difference blocks issuance at that location until a supervisor resolves
it, and the resolution says which cards became LOST — through ``custody.move``, so the loss
is in the ledger like every other movement.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from station.inventory.custody import lock_blanks, move
from station.inventory.errors import (
    InvalidTransition,
    InventoryConflict,
    InventoryError,
    NotFound,
)
from station.inventory.models import (
    Action,
    Blank,
    CountDifference,
    CountLine,
    CountSession,
    CountStatus,
    State,
)
from station.inventory.registry import REASON_MAX, text_field
from station.inventory.registry import location as _location
from station.inventory.results import CountResult
from station.inventory.rules import COUNTED_STATES, HELD_STATES, Duty

if TYPE_CHECKING:
    from station.inventory.service import Inventory


def start_count(inv: Inventory, location: str, *, by: str) -> int:
    def work(s: Session) -> int:
        inv._user(s, by, Duty.COUNT)
        _location(s, location)
        c = CountSession(
            location=location,
            status=CountStatus.OPEN.value,
            started_at=inv.now(),
            started_by=by,
            by_card=True,
        )
        s.add(c)
        s.flush()
        return c.id

    return inv._run(work)


def _open_count(s: Session, count_id: int) -> CountSession:
    c = s.get(CountSession, count_id, with_for_update=True)
    if c is None:
        raise NotFound(f"盘点#{count_id}不存在 (no such count)", detail=str(count_id))
    return c


def _compare_cards(
    s: Session, rows: Sequence[Any], seen: list[str]
) -> tuple[list[Any], list[str], Counter[str]]:
    """Card-by-card: the missing rows, the extra card numbers, and what was found per bank."""
    expected = [r for r in rows if State(r.state) in COUNTED_STATES]
    reserved = [r for r in rows if r.state == State.RESERVED.value]
    in_jobs = {r.card_number for r in reserved} | {r.card_id_code for r in reserved}
    seen_set = set(seen)
    missing = [
        r for r in expected if r.card_number not in seen_set and r.card_id_code not in seen_set
    ]
    known = {r.card_number for r in expected} | {r.card_id_code for r in expected}
    extra = sorted({x for x in seen_set if x not in known and x not in in_jobs})
    got = Counter(r.bank for r in expected)
    for r in missing:
        got[r.bank] -= 1
    extra_banks = Counter(
        b
        for (b,) in s.execute(
            select(Blank.bank).where(
                or_(Blank.card_number.in_(extra), Blank.card_id_code.in_(extra))
            )
        )
    )
    got.update(extra_banks)
    return missing, extra, got


def submit_count(
    inv: Inventory,
    count_id: int,
    *,
    by: str,
    seen: Iterable[str] | None,
    counted: Mapping[str, int] | None,
) -> CountResult:
    if (seen is None) == (counted is None):
        raise InventoryError(
            "须提供清点的卡号或数量之一 (give either the cards seen or the counts)"
        )
    seen_list = None if seen is None else [c.strip().upper() for c in seen if c.strip()]

    def work(s: Session) -> CountResult:
        inv._user(s, by, Duty.COUNT)
        c = _open_count(s, count_id)
        if c.status != CountStatus.OPEN.value:
            raise InventoryConflict(
                f"盘点#{count_id}已提交 (count already submitted)", detail=c.status
            )
        rows = s.execute(
            select(Blank.id, Blank.card_number, Blank.card_id_code, Blank.bank, Blank.state).where(
                Blank.location == c.location, Blank.state.in_([*HELD_STATES])
            )
        ).all()
        exp_count = Counter(r.bank for r in rows if State(r.state) in COUNTED_STATES)
        missing: list[Any] = []
        extra: list[str] = []
        if seen_list is not None:
            missing, extra, got = _compare_cards(s, rows, seen_list)
        else:
            assert counted is not None
            got = Counter({k: int(v) for k, v in counted.items()})
        banks = sorted(set(exp_count) | set(got))
        lines = tuple((b, exp_count.get(b, 0), got.get(b, 0)) for b in banks)
        differs = bool(missing or extra) or any(e != g for _, e, g in lines)
        c.status = (CountStatus.DISCREPANCY if differs else CountStatus.MATCHED).value
        c.submitted_at = inv.now()
        c.submitted_by = by
        c.by_card = seen_list is not None
        for b, e, g in lines:
            s.add(CountLine(count_id=c.id, bank=b, expected=e, counted=g))
        for r in missing:
            s.add(
                CountDifference(
                    count_id=c.id, card_number=r.card_number, kind="MISSING", blank_id=r.id
                )
            )
        for x in extra:
            s.add(CountDifference(count_id=c.id, card_number=x, kind="EXTRA"))
        in_jobs = sum(1 for r in rows if r.state == State.RESERVED.value)
        missing_numbers = tuple(sorted(r.card_number for r in missing))
        return CountResult(
            c.id, c.location, CountStatus(c.status), lines, missing_numbers, tuple(extra), in_jobs
        )

    return inv._run(work)


def _check_lost(
    c: CountSession,
    rows: Sequence[Any],
    diffs: Sequence[CountDifference],
    lines: Sequence[CountLine],
) -> None:
    """Cards declared LOST must be among the count's missing cards (card count), or cards of
    a short bank booked at the location, no more than the shortage (quantity count)."""
    missing = {d.blank_id for d in diffs if d.kind == "MISSING"}
    short = {ln.bank: ln.expected - ln.counted for ln in lines}
    per_bank: Counter[str] = Counter()
    for r in rows:
        if c.by_card:
            ok = r.id in missing
        else:
            per_bank[r.bank] += 1
            ok = (
                r.location == c.location
                and State(r.state) in COUNTED_STATES
                and per_bank[r.bank] <= short.get(r.bank, 0)
            )
        if not ok:
            raise InvalidTransition(
                f"卡{r.card_number}不在本次盘点的短缺中，不能记为遗失 "
                f"(card was not found missing by this count)",
                detail=f"count #{c.id}: {r.card_number}",
            )


def resolve(
    inv: Inventory, count_id: int, *, by: str, note: str, lost: Iterable[str]
) -> CountResult:
    lost_list = [c.strip().upper() for c in lost if c.strip()]
    if not note.strip():
        raise InventoryError("须填写处理说明 (a note is required)")
    text_field(note, "处理说明 note", REASON_MAX)

    def work(s: Session) -> CountResult:
        inv._user(s, by, Duty.RESOLVE)
        c = _open_count(s, count_id)
        if c.status != CountStatus.DISCREPANCY.value:
            raise InvalidTransition(
                f"盘点#{count_id}没有待处理的差异 (nothing to resolve)", detail=c.status
            )
        diffs = list(
            s.execute(select(CountDifference).where(CountDifference.count_id == c.id)).scalars()
        )
        lines = list(s.execute(select(CountLine).where(CountLine.count_id == c.id)).scalars())
        rows = lock_blanks(s, lost_list) if lost_list else []
        _check_lost(c, rows, diffs, lines)
        move(inv, s, rows, Action.LOST, by, to_location=None, reason=note, ref=f"count:{c.id}")
        lost_ids = {r.id for r in rows}
        for d in diffs:
            if d.kind == "MISSING":
                d.outcome = "LOST" if d.blank_id in lost_ids else "FOUND"
            else:
                d.outcome = "EXPLAINED"
        c.status = CountStatus.RESOLVED.value
        c.resolved_at = inv.now()
        c.resolved_by = by
        c.resolution = note[:500]
        return CountResult(
            c.id,
            c.location,
            CountStatus.RESOLVED,
            tuple((ln.bank, ln.expected, ln.counted) for ln in lines),
            tuple(sorted(d.card_number for d in diffs if d.kind == "MISSING")),
            tuple(sorted(d.card_number for d in diffs if d.kind == "EXTRA")),
            0,
        )

    return inv._run(work)
