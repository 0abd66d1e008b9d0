"""Custody: every movement of a blank after stock-in — allocate, reserve, issue, spoil,
release, return, destroy.

Why it is shaped like this: each job locks the blanks it names (id order, so two jobs never
deadlock), checks the move against ``rules.TRANSITIONS``, changes the rows and appends one
``LedgerEntry`` per blank through ``move`` — the only place a blank's state changes after
stock-in, so the rows and the ledger can never disagree.  Reserving is the hot path of every
issuance on every station: one query holds all its checks, and one ``UPDATE … RETURNING``
picks and takes the lowest free blank nobody else is taking (``SKIP LOCKED``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, Table, bindparam, or_, select, update
from sqlalchemy.orm import Session

from station.codecs.validators import is_card_id_code
from station.inventory import ledger
from station.inventory.errors import (
    CountRequired,
    DiscrepancyBlock,
    InventoryConflict,
    InventoryError,
    NoBlankAvailable,
    NotFound,
    PermissionDenied,
    WrongBank,
)
from station.inventory.ledger import LedgerEntry
from station.inventory.models import (
    REJECT_BOX,
    Action,
    Blank,
    CountSession,
    CountStatus,
    Destruction,
    LocationKind,
    Role,
    Setting,
    State,
)
from station.inventory.registry import REASON_MAX, text_field
from station.inventory.registry import location as _location
from station.inventory.results import BlankInfo
from station.inventory.rules import REASON_KEPT, TRANSITIONS, Duty, check_transition

if TYPE_CHECKING:
    from station.inventory.service import Inventory

_CHUNK = 500
_DESKS = (LocationKind.DRAWER, LocationKind.STATION)


class _Keep:
    """Marker: leave the blank's location as it is."""


KEEP = _Keep()

_B: Table = Blank.__table__  # type: ignore[assignment]
_C: Table = CountSession.__table__  # type: ignore[assignment]
_DONE = [CountStatus.MATCHED.value, CountStatus.RESOLVED.value]
_RESERVE_CHECKS = select(
    select(_B.c.id)
    .where(_B.c.job_id == bindparam("job"), _B.c.state == State.RESERVED.value)
    .limit(1)
    .scalar_subquery()
    .label("held"),
    select(_C.c.id)
    .where(_C.c.location == bindparam("loc"), _C.c.status == CountStatus.DISCREPANCY.value)
    .limit(1)
    .scalar_subquery()
    .label("diff"),
    select(Setting.value)
    .where(Setting.key == "require_daily_count")
    .scalar_subquery()
    .label("require"),
    select(_C.c.id)
    .where(
        _C.c.location == bindparam("loc"),
        _C.c.status.in_(_DONE),
        _C.c.submitted_at >= bindparam("start"),
    )
    .limit(1)
    .scalar_subquery()
    .label("done"),
)
# pick the lowest free blank nobody else is taking (SKIP LOCKED) and take it, in one go
_RESERVE_TAKE = (
    update(_B)
    .where(
        _B.c.id
        == select(_B.c.id)
        .where(
            _B.c.location == bindparam("loc"),
            _B.c.bank == bindparam("p_bank"),
            _B.c.state == State.IN_DRAWER.value,
        )
        .order_by(_B.c.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    .values(state=State.RESERVED.value, job_id=bindparam("p_job"), moved_at=bindparam("p_now"))
    .returning(*_B.c)
)


def lock_blanks(s: Session, cards: Sequence[str], *, lock: bool = True) -> list[Row[Any]]:
    """Rows of the named blanks (card number or 32-hex card id code), locked, id order."""
    refs = [c.strip().upper() for c in cards]
    numbers = [c for c in refs if not is_card_id_code(c)]
    codes = [c for c in refs if is_card_id_code(c)]
    conds = []
    if numbers:
        conds.append(Blank.card_number.in_(numbers))
    if codes:
        conds.append(Blank.card_id_code.in_(codes))
    if not conds:
        return []
    q = select(_B).where(or_(*conds)).order_by(Blank.id)
    rows = list(s.execute(q.with_for_update() if lock else q))
    found = {r.card_number for r in rows} | {r.card_id_code for r in rows}
    unknown = [c for c in numbers + codes if c not in found]
    if unknown:
        raise NotFound(
            f"库存中没有这张卡 (card not in stock): {unknown[0]}",
            detail=", ".join(unknown[:5]),
        )
    return rows


def move(
    inv: Inventory,
    s: Session,
    rows: Sequence[Row[Any]],
    action: Action,
    actor: str,
    *,
    to_location: str | _Keep | None = KEEP,
    job_id: str | None = None,
    reason: str | None = None,
    ref: str | None = None,
    witness: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> None:
    """Change the state of ``rows`` (already locked) and append their ledger entries."""
    _, to_state = TRANSITIONS[action]
    for r in rows:
        check_transition(r, action)
    values: dict[str, Any] = {"state": to_state.value, "moved_at": inv.now()}
    if not isinstance(to_location, _Keep):
        values["location"] = to_location
    if action == Action.RESERVE:
        values["job_id"] = job_id
    elif action == Action.RELEASE:
        values["job_id"] = None
    if reason is not None and action in REASON_KEPT:
        values["reason"] = reason
    values.update(extra or {})
    ids = [r.id for r in rows]
    for i in range(0, len(ids), _CHUNK):
        s.execute(update(Blank).where(Blank.id.in_(ids[i : i + _CHUNK])).values(**values))
    entries = [
        LedgerEntry(
            blank_id=r.id,
            card_number=r.card_number,
            bank=r.bank,
            action=action,
            from_state=State(r.state),
            to_state=to_state,
            from_location=r.location,
            to_location=r.location if isinstance(to_location, _Keep) else to_location,
            actor=actor,
            witness=witness,
            job_id=job_id if job_id is not None else r.job_id,
            reason=reason,
            ref=ref,
        )
        for r in rows
    ]
    ledger.append(s, entries, inv.now())


def info(s: Session, blank_id: int) -> BlankInfo:
    return BlankInfo.of(s.execute(select(_B).where(_B.c.id == blank_id)).one())


def check_block(s: Session, location: str) -> None:
    """Refuse issuance at ``location`` while a count difference there is open."""
    diff = s.execute(
        select(CountSession.id).where(
            CountSession.location == location,
            CountSession.status == CountStatus.DISCREPANCY.value,
        )
    ).first()
    if diff is not None:
        raise DiscrepancyBlock(detail=f"location {location}, count #{diff[0]}")


def check_issuance(inv: Inventory, s: Session, location: str) -> None:
    """Refuse issuance at ``location`` while a count difference is open, or before the
    day's count when the daily-count setting is on."""
    check_block(s, location)
    if not inv._daily_count_required(s):
        return
    start, _ = inv.day_range(inv.today())
    done = s.execute(
        select(CountSession.id).where(
            CountSession.location == location,
            CountSession.status.in_(_DONE),
            CountSession.submitted_at >= start,
        )
    ).first()
    if done is None:
        raise CountRequired(detail=f"location {location}, day {inv.today()}")


def _reserved_for(row: Row[Any], job_id: str | None) -> None:
    if job_id is not None and row.state == State.RESERVED.value and row.job_id != job_id:
        raise InventoryConflict(
            f"卡{row.card_number}已被其他任务占用 (blank reserved for another job)",
            detail=f"{row.card_number}: job {row.job_id}, not {job_id}",
        )


def allocate(
    inv: Inventory, to_location: str, count: int, *, bank: str, by: str, from_location: str
) -> list[str]:
    if count <= 0:
        raise InventoryError("数量必须大于0 (count must be positive)", detail=str(count))

    def work(s: Session) -> list[str]:
        inv._user(s, by, Duty.ALLOCATE)
        _location(s, from_location, LocationKind.VAULT)
        _location(s, to_location, *_DESKS)
        q = (
            select(_B)
            .where(
                Blank.location == from_location,
                Blank.bank == bank,
                Blank.state == State.IN_VAULT.value,
            )
            .order_by(Blank.id)
            .limit(count)
            .with_for_update(skip_locked=True)
        )
        rows = list(s.execute(q))
        if len(rows) < count:
            raise NoBlankAvailable(
                f"{from_location}中{bank}的预制卡不足：需要{count}张，可用{len(rows)}张 "
                f"(not enough blanks: need {count}, have {len(rows)})",
                detail=f"{from_location}/{bank}",
            )
        move(inv, s, rows, Action.ALLOCATE, by, to_location=to_location)
        return [r.card_number for r in rows]

    return inv._run(work)


def reserve(inv: Inventory, location: str, bank: str, job_id: str, *, by: str) -> BlankInfo:
    if not job_id:
        raise InventoryError("缺少制卡任务号 (job id required)")

    def work(s: Session) -> BlankInfo:
        user = inv._user(s, by, Duty.RESERVE)
        loc = _location(s, location, *_DESKS)
        if Role(user.role) == Role.TELLER and loc.owner not in (None, by):
            raise PermissionDenied(
                f"{location}是{loc.owner}的卡箱 (drawer belongs to {loc.owner})",
                detail=f"{by} at {location}",
            )
        conn = s.connection()
        day_start, _ = inv.day_range(inv.today())
        ctx = conn.execute(
            _RESERVE_CHECKS, {"loc": location, "job": job_id, "start": day_start}
        ).one()
        if ctx.held is not None:
            held = conn.execute(select(_B).where(_B.c.id == ctx.held)).one()
            if held.bank != bank or held.location != location:
                raise InventoryConflict(
                    f"任务{job_id}已占用另一张卡 (job already holds another blank)",
                    detail=f"{held.card_number} at {held.location}/{held.bank}",
                )
            return BlankInfo.of(held)
        if ctx.diff is not None:
            raise DiscrepancyBlock(detail=f"location {location}, count #{ctx.diff}")
        if inv._daily_count_required(s, stored=ctx.require) and ctx.done is None:
            raise CountRequired(detail=f"location {location}, day {inv.today()}")
        params = {"loc": location, "p_bank": bank, "p_job": job_id, "p_now": inv.now()}
        row = conn.execute(_RESERVE_TAKE, params).first()
        if row is None:
            raise NoBlankAvailable(detail=f"{location}/{bank}")
        entry = LedgerEntry(
            blank_id=row.id,
            card_number=row.card_number,
            bank=row.bank,
            action=Action.RESERVE,
            from_state=State.IN_DRAWER,
            to_state=State.RESERVED,
            from_location=location,
            to_location=location,
            actor=by,
            job_id=job_id,
        )
        ledger.append(s, [entry], inv.now())
        return BlankInfo.of(row)

    return inv._run(work)


def reserve_card(inv: Inventory, card: str, bank: str, job_id: str, *, by: str) -> BlankInfo:
    if not job_id:
        raise InventoryError("缺少制卡任务号 (job id required)")

    def work(s: Session) -> BlankInfo:
        inv._user(s, by, Duty.RESERVE)
        (row,) = lock_blanks(s, [card])
        if row.bank != bank:
            raise WrongBank(detail=f"{row.card_number} is {row.bank}, application is {bank}")
        if row.state == State.RESERVED.value and row.job_id == job_id:
            return BlankInfo.of(row)
        check_transition(row, Action.RESERVE)
        if row.location is not None:
            _location(s, row.location, *_DESKS)
            check_issuance(inv, s, row.location)
        move(inv, s, [row], Action.RESERVE, by, job_id=job_id)
        return info(s, row.id)

    return inv._run(work)


def issue(inv: Inventory, card: str, job_id: str, *, by: str) -> BlankInfo:
    def work(s: Session) -> BlankInfo:
        inv._user(s, by, Duty.ISSUE)
        (row,) = lock_blanks(s, [card])
        _reserved_for(row, job_id)
        if row.state == State.RESERVED.value and row.location is not None:
            check_block(s, row.location)
        move(inv, s, [row], Action.ISSUE, by, to_location=None, job_id=job_id)
        return info(s, row.id)

    return inv._run(work)


def spoil(inv: Inventory, card: str, reason: str, *, by: str, job_id: str | None) -> BlankInfo:
    if not reason.strip():
        raise InventoryError("须填写废卡原因 (a reason is required)")
    text_field(reason, "废卡原因 reason", REASON_MAX)

    def work(s: Session) -> BlankInfo:
        inv._user(s, by, Duty.SPOIL)
        (row,) = lock_blanks(s, [card])
        _reserved_for(row, job_id)
        move(inv, s, [row], Action.SPOIL, by, to_location=REJECT_BOX, reason=reason, job_id=job_id)
        return info(s, row.id)

    return inv._run(work)


def release(inv: Inventory, card: str, *, by: str, job_id: str | None, reason: str) -> BlankInfo:
    text_field(reason, "释放原因 reason", REASON_MAX)

    def work(s: Session) -> BlankInfo:
        inv._user(s, by, Duty.RELEASE)
        (row,) = lock_blanks(s, [card])
        _reserved_for(row, job_id)
        move(inv, s, [row], Action.RELEASE, by, reason=reason or None, job_id=row.job_id)
        return info(s, row.id)

    return inv._run(work)


def return_(inv: Inventory, cards: list[str], reason: str, *, by: str) -> int:
    if not reason.strip():
        raise InventoryError("须填写退回原因 (a reason is required)")
    text_field(reason, "退回原因 reason", REASON_MAX)

    def work(s: Session) -> int:
        inv._user(s, by, Duty.RETURN)
        rows = lock_blanks(s, cards)
        move(inv, s, rows, Action.RETURN, by, to_location=None, reason=reason)
        return len(rows)

    return inv._run(work)


def destroy(inv: Inventory, cards: list[str], *, by: str, witness: str, reason: str) -> int:
    if not cards:
        raise InventoryError("没有要销毁的卡 (no cards to destroy)")
    text_field(reason, "销毁原因 reason", REASON_MAX)
    if by == witness:
        raise PermissionDenied(
            "销毁须由两名不同人员签字 (destruction needs two different people)", detail=by
        )

    def work(s: Session) -> int:
        inv._user(s, by, Duty.DESTROY)
        inv._user(s, witness, Duty.WITNESS)
        rows = lock_blanks(s, cards)
        d = Destruction(
            at=inv.now(), destroyed_by=by, witness=witness, reason=reason, card_count=len(rows)
        )
        s.add(d)
        s.flush()
        move(
            inv,
            s,
            rows,
            Action.DESTROY,
            by,
            to_location=None,
            witness=witness,
            reason=reason,
            ref=f"destruction:{d.id}",
            extra={"destruction_id": d.id},
        )
        return d.id

    return inv._run(work)
