"""The stock-book service: every movement of a pre-made card goes through here.

Why it is shaped like this:

* **One transaction per operation, all or nothing.**  A refused operation leaves no trace;
  an accepted one changes the blank rows *and* appends its ledger rows together.
* **Lock order is always blanks first, then the ledger head row.**  Reserving takes one free
  blank with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) so stations never wait on each other
  for the same card, then locks the head row to append to the hash chain, which therefore
  grows strictly one row after another.  On SQLite ``BEGIN IMMEDIATE`` (see ``db``) gives the
  same two guarantees by taking the database's write lock at the start.
* **Rules live in data, not in call sites**: ``TRANSITIONS`` says which states an action may
  start from; ``ROLES`` says who may do it.  Anything not listed raises.
* **Times are UTC inside**; "today" and report days are local days (``tz``), and the clock
  is injectable so tests can move to tomorrow without waiting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import (
    ARRAY,
    Engine,
    Row,
    String,
    Table,
    and_,
    any_,
    bindparam,
    func,
    insert,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from station.inventory.db import READ_ONLY, is_sqlite, make_engine
from station.inventory.errors import (
    CountRequired,
    DiscrepancyBlock,
    InvalidTransition,
    InventoryConflict,
    InventoryError,
    ManifestError,
    NoBlankAvailable,
    NotFound,
    PermissionDenied,
    SchemaMissing,
    WrongBank,
)
from station.inventory.ledger import GENESIS, LedgerReport, chain_hash
from station.inventory.manifest import ManifestCard, parse_manifest
from station.inventory.models import (
    REJECT_BOX,
    VAULT,
    Action,
    Bank,
    Batch,
    Blank,
    CountDifference,
    CountLine,
    CountSession,
    CountStatus,
    Destruction,
    LedgerHead,
    LedgerRow,
    Location,
    LocationKind,
    Manufacturer,
    Role,
    Setting,
    State,
    User,
)

T = TypeVar("T")

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

_DESK = frozenset({Role.TELLER, Role.SUPERVISOR})
ROLES: dict[str, frozenset[Role]] = {
    "stock_in": frozenset({Role.SUPERVISOR}),
    "allocate": frozenset({Role.SUPERVISOR}),
    "reserve": _DESK,
    "issue": _DESK,
    "spoil": _DESK,
    "release": _DESK,
    "return": frozenset({Role.SUPERVISOR}),
    "count": frozenset({Role.TELLER, Role.SUPERVISOR, Role.AUDITOR}),
    "resolve": frozenset({Role.SUPERVISOR}),
    "destroy": frozenset({Role.SUPERVISOR}),
    "witness": frozenset({Role.SUPERVISOR, Role.AUDITOR, Role.TELLER}),
    "setup": frozenset({Role.SUPERVISOR}),
    "settings": frozenset({Role.SUPERVISOR, Role.TECHNICIAN}),
}

HELD_STATES = frozenset({State.IN_VAULT, State.IN_DRAWER, State.RESERVED, State.SPOILED})
COUNTED_STATES = frozenset({State.IN_VAULT, State.IN_DRAWER, State.SPOILED})
_OUTFLOW = {
    Action.ALLOCATE: "sent",
    Action.ISSUE: "issued",
    Action.SPOIL: "spoiled",
    Action.RETURN: "returned",
    Action.DESTROY: "destroyed",
    Action.LOST: "lost",
}
_CHUNK = 500


class _Keep:
    """Marker: leave the blank's location as it is."""


KEEP = _Keep()


@dataclass(frozen=True, slots=True)
class BlankInfo:
    id: int
    card_number: str
    card_id_code: str
    bank: str
    manufacturer: str
    bank_account: str
    expiry: dt.date
    state: State
    location: str | None
    job_id: str | None
    reason: str | None

    @classmethod
    def of(cls, r: Any) -> BlankInfo:
        return cls(
            r.id,
            r.card_number,
            r.card_id_code,
            r.bank,
            r.manufacturer,
            r.bank_account,
            r.expiry,
            State(r.state),
            r.location,
            r.job_id,
            r.reason,
        )


@dataclass(frozen=True, slots=True)
class StockInResult:
    batch_id: int
    bank: str
    manufacturer: str
    count: int


@dataclass(frozen=True, slots=True)
class CountResult:
    count_id: int
    location: str
    status: CountStatus
    lines: tuple[tuple[str, int, int], ...]  # (bank, expected, counted)
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    in_jobs: int  # RESERVED blanks at the location: out in a job, not expected on the shelf

    @property
    def matched(self) -> bool:
        return self.status == CountStatus.MATCHED


@dataclass(frozen=True, slots=True)
class BalanceRow:
    """One line of the daily balance.  ``received`` counts everything that came in (stock-in,
    allocation, spoiled cards into the reject box); ``sent`` counts allocations out to another
    location.  The book balances when
    opening + received − sent − issued − spoiled − returned − destroyed − lost = closing."""

    day: dt.date
    location: str
    bank: str
    opening: int
    received: int
    sent: int
    issued: int
    spoiled: int
    returned: int
    destroyed: int
    lost: int
    closing: int

    @property
    def balanced(self) -> bool:
        out = self.sent + self.issued + self.spoiled + self.returned + self.destroyed + self.lost
        return self.opening + self.received - out == self.closing


_B: Table = Blank.__table__  # type: ignore[assignment]
_L: Table = LedgerRow.__table__  # type: ignore[assignment]
_H: Table = LedgerHead.__table__  # type: ignore[assignment]
_C: Table = CountSession.__table__  # type: ignore[assignment]
_HEAD_LOCK = select(_H.c.last_seq, _H.c.last_hash).where(_H.c.id == 1).with_for_update()
_HEAD_SET = (
    update(_H)
    .where(_H.c.id == 1)
    .values(last_seq=bindparam("p_seq"), last_hash=bindparam("p_hash"))
)
_RESERVE_CHECKS = select(
    select(User.role)
    .where(User.username == bindparam("by"), User.active.is_(True))
    .scalar_subquery()
    .label("role"),
    select(Location.kind).where(Location.code == bindparam("loc")).scalar_subquery().label("kind"),
    select(Location.owner)
    .where(Location.code == bindparam("loc"))
    .scalar_subquery()
    .label("owner"),
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
        _C.c.status.in_([CountStatus.MATCHED.value, CountStatus.RESOLVED.value]),
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


def _check_transition(row: Any, action: Action) -> None:
    starts, to_state = TRANSITIONS[action]
    if State(row.state) not in starts:
        raise InvalidTransition(
            f"卡{row.card_number}处于{row.state}状态，不能{action.value} "
            f"(state {row.state} does not allow {action.value})",
            detail=f"{row.card_number}: {row.state} -> {to_state.value} not allowed",
        )


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Inventory:
    """The pre-made card stock book over one database.

    ``engine_or_url``: an Engine (set up by ``db.make_engine``) or a URL; ``None`` means the
    configured default (``STATION_DB_URL`` or the SQLite file in the user data directory).
    """

    def __init__(
        self,
        engine_or_url: Engine | str | None = None,
        *,
        schema: str | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        tz: dt.tzinfo | None = None,
        require_daily_count: bool | None = None,
    ) -> None:
        if isinstance(engine_or_url, Engine):
            self.engine = engine_or_url
        else:
            self.engine = make_engine(engine_or_url, schema=schema)
        if is_sqlite(self.engine):
            self._read_engine = self.engine.execution_options(**{READ_ONLY: True})
        else:
            self._read_engine = self.engine.execution_options(isolation_level="REPEATABLE READ")
        self._clock = clock or _utcnow
        self.tz = tz or dt.datetime.now().astimezone().tzinfo or dt.UTC
        self._require_count = require_daily_count
        if not inspect(self.engine).has_table("inv_ledger_head"):
            raise SchemaMissing(detail=self.engine.url.render_as_string(hide_password=True))

    # -- plumbing -------------------------------------------------------------------------

    def now(self) -> dt.datetime:
        """Current time as naive UTC (what the database stores)."""
        t = self._clock()
        if t.tzinfo is not None:
            t = t.astimezone(dt.UTC).replace(tzinfo=None)
        return t

    def today(self) -> dt.date:
        return self.now().replace(tzinfo=dt.UTC).astimezone(self.tz).date()

    def day_range(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """A local day as a naive-UTC half-open range."""
        start = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz).astimezone(dt.UTC)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.tz)
        return start.replace(tzinfo=None), end.astimezone(dt.UTC).replace(tzinfo=None)

    def _run(self, work: Callable[[Session], T], *, write: bool = True) -> T:
        engine = self.engine if write else self._read_engine
        for attempt in range(6):
            try:
                with Session(engine, expire_on_commit=False) as s, s.begin():
                    return work(s)
            except IntegrityError as exc:
                raise InventoryConflict(
                    "数据冲突，操作未执行 (conflicting data: nothing was changed)",
                    detail=str(exc.orig).splitlines()[0] if exc.orig else "",
                ) from None
            except DBAPIError as exc:
                state = getattr(exc.orig, "sqlstate", None)
                if state in ("40P01", "40001") and attempt < 5:
                    continue  # deadlock / serialisation failure: the whole operation reruns
                raise InventoryError(
                    "数据库错误，操作未执行 (database error: nothing was changed)",
                    detail=str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__,
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one read-only transaction (a consistent snapshot); for reports."""
        return self._run(work, write=False)

    def _user(self, s: Session, username: str, action: str) -> User:
        user = s.get(User, username)
        if user is None or not user.active:
            raise PermissionDenied(
                f"用户{username!r}不存在或已停用 (unknown or inactive user)", detail=username
            )
        if Role(user.role) not in ROLES[action]:
            raise PermissionDenied(
                f"{user.role}角色不能执行{action} (role {user.role} may not {action})",
                detail=f"{username}: {action}",
            )
        return user

    def _location(self, s: Session, code: str, *kinds: LocationKind) -> Location:
        loc = s.get(Location, code)
        if loc is None:
            raise NotFound(f"位置{code!r}不存在 (unknown location)", detail=code)
        if kinds and LocationKind(loc.kind) not in kinds:
            raise InventoryConflict(
                f"位置{code}类型为{loc.kind}，不能用于此操作 (wrong kind of location)",
                detail=f"{code} is {loc.kind}; need {'/'.join(kinds)}",
            )
        return loc

    def _setting(self, s: Session, key: str, default: str) -> str:
        row = s.get(Setting, key)
        return row.value if row is not None else default

    def _lock_blanks(
        self, s: Session, cards: Sequence[str], *, lock: bool = True
    ) -> list[Row[Any]]:
        """Rows of the named blanks (card number or 32-hex card id code), locked, id order."""
        numbers = [c.strip().upper() for c in cards if len(c.strip()) != 32]
        codes = [c.strip().upper() for c in cards if len(c.strip()) == 32]
        conds = []
        if numbers:
            conds.append(Blank.card_number.in_(numbers))
        if codes:
            conds.append(Blank.card_id_code.in_(codes))
        if not conds:
            return []
        q = select(Blank.__table__).where(or_(*conds)).order_by(Blank.id)
        rows = list(s.execute(q.with_for_update() if lock else q))
        found = {r.card_number for r in rows} | {r.card_id_code for r in rows}
        unknown = [c for c in numbers + codes if c not in found]
        if unknown:
            raise NotFound(
                f"库存中没有这张卡 (card not in stock): {unknown[0]}",
                detail=", ".join(unknown[:5]),
            )
        return rows

    def _move(
        self,
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
        """Change the state of ``rows`` (already locked) and append their ledger rows."""
        _, to_state = TRANSITIONS[action]
        for r in rows:
            _check_transition(r, action)
        now = self.now()
        values: dict[str, Any] = {"state": to_state.value, "moved_at": now}
        if not isinstance(to_location, _Keep):
            values["location"] = to_location
        if action == Action.RESERVE:
            values["job_id"] = job_id
        elif action == Action.RELEASE:
            values["job_id"] = None
        if reason is not None and action in (
            Action.SPOIL,
            Action.RETURN,
            Action.DESTROY,
            Action.LOST,
        ):
            values["reason"] = reason
        values.update(extra or {})
        ids = [r.id for r in rows]
        for i in range(0, len(ids), _CHUNK):
            s.execute(update(Blank).where(Blank.id.in_(ids[i : i + _CHUNK])).values(**values))
        self._append(
            s,
            [
                {
                    "blank_id": r.id,
                    "card_number": r.card_number,
                    "bank": r.bank,
                    "action": action.value,
                    "from_state": r.state,
                    "to_state": to_state.value,
                    "from_location": r.location,
                    "to_location": r.location if isinstance(to_location, _Keep) else to_location,
                    "actor": actor,
                    "witness": witness,
                    "job_id": job_id if job_id is not None else r.job_id,
                    "reason": reason,
                    "ref": ref,
                }
                for r in rows
            ],
        )

    def _append(self, s: Session, entries: list[dict[str, Any]]) -> None:
        """Append ledger rows to the hash chain under the head-row lock."""
        if not entries:
            return
        conn = s.connection()
        head = conn.execute(_HEAD_LOCK).one()
        seq, prev = head.last_seq, bytes(head.last_hash)
        ts = self.now()
        for e in entries:
            seq += 1
            e["seq"] = seq
            e["ts"] = ts
            prev = chain_hash(prev, e)
            e["hash"] = prev
        for i in range(0, len(entries), 5000):
            conn.execute(insert(_L), entries[i : i + 5000])
        conn.execute(_HEAD_SET, {"p_seq": seq, "p_hash": prev})

    def _check_issuance(self, s: Session, location: str) -> None:
        """Refuse issuance at ``location`` while a count difference is open, or before the
        day's count when the daily-count setting is on."""
        self._check_block(s, location)
        if not self._daily_count_required(s):
            return
        start, _ = self.day_range(self.today())
        done = s.execute(
            select(CountSession.id).where(
                CountSession.location == location,
                CountSession.status.in_([CountStatus.MATCHED.value, CountStatus.RESOLVED.value]),
                CountSession.submitted_at >= start,
            )
        ).first()
        if done is None:
            raise CountRequired(detail=f"location {location}, day {self.today()}")

    def _daily_count_required(self, s: Session) -> bool:
        if self._require_count is not None:
            return self._require_count
        return self._setting(s, "require_daily_count", "true").lower() in ("1", "true", "yes")

    # -- set-up ---------------------------------------------------------------------------

    def add_user(
        self, username: str, role: Role | str, *, display_name: str = "", by: str | None = None
    ) -> None:
        """Register a user.  The first supervisor may be created without ``by``; after that
        only a supervisor adds users."""
        role = Role(role)

        def work(s: Session) -> None:
            has_supervisor = s.execute(
                select(User.username).where(User.role == Role.SUPERVISOR.value).limit(1)
            ).first()
            if has_supervisor is not None:
                if by is None:
                    raise PermissionDenied(
                        "须由主管添加用户 (a supervisor must add users)", detail="by missing"
                    )
                self._user(s, by, "setup")
            if s.get(User, username) is not None:
                raise InventoryConflict(f"用户{username}已存在 (user exists)", detail=username)
            s.add(
                User(
                    username=username,
                    role=role.value,
                    display_name=display_name,
                    active=True,
                    created_at=self.now(),
                )
            )

        self._run(work)

    def add_bank(self, code: str, name: str = "", *, by: str) -> None:
        def work(s: Session) -> None:
            self._user(s, by, "setup")
            if s.get(Bank, code) is None:
                s.add(Bank(code=code, name=name))

        self._run(work)

    def add_manufacturer(self, code: str, name: str = "", *, by: str) -> None:
        def work(s: Session) -> None:
            self._user(s, by, "setup")
            if s.get(Manufacturer, code) is None:
                s.add(Manufacturer(code=code, name=name))

        self._run(work)

    def add_location(
        self,
        code: str,
        kind: LocationKind | str,
        *,
        by: str,
        owner: str | None = None,
        name: str = "",
    ) -> None:
        """A teller's drawer, a station's card hopper, or another vault/reject box."""
        kind = LocationKind(kind)

        def work(s: Session) -> None:
            self._user(s, by, "setup")
            if owner is not None and s.get(User, owner) is None:
                raise NotFound(f"用户{owner!r}不存在 (unknown user)", detail=owner)
            if s.get(Location, code) is not None:
                raise InventoryConflict(f"位置{code}已存在 (location exists)", detail=code)
            s.add(Location(code=code, kind=kind.value, owner=owner, name=name))

        self._run(work)

    def set_setting(self, key: str, value: str, *, by: str) -> None:
        def work(s: Session) -> None:
            self._user(s, by, "settings")
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value))
            else:
                row.value = value

        self._run(work)

    def setting(self, key: str, default: str = "") -> str:
        return self._run(lambda s: self._setting(s, key, default), write=False)

    # -- movements ------------------------------------------------------------------------

    def stock_in(
        self,
        manifest: bytes | str,
        *,
        by: str,
        bank: str | None = None,
        manufacturer: str | None = None,
        name: str = "",
    ) -> StockInResult:
        """Receive one manufacturer's delivery for one bank into the vault.

        The manifest is checked whole (format, check characters, one bank and maker,
        duplicates in the file and against the stock); any problem refuses all of it."""
        raw = manifest.encode("utf-8") if isinstance(manifest, str) else manifest
        digest = hashlib.sha256(raw).hexdigest()  # identifies the file; not a security hash
        cards = parse_manifest(raw, bank=bank, manufacturer=manufacturer, today=self.today())

        def work(s: Session) -> StockInResult:
            self._user(s, by, "stock_in")
            b, m = cards[0].bank, cards[0].manufacturer
            problems: list[tuple[int, str]] = []
            if s.get(Bank, b) is None:
                problems.append((cards[0].line, f"未登记的银行 {b} (unknown bank)"))
            if s.get(Manufacturer, m) is None:
                problems.append((cards[0].line, f"未登记的制卡商 {m} (unknown manufacturer)"))
            problems.extend(self._already_in_stock(s, cards))
            if problems:
                raise ManifestError(sorted(problems))
            now = self.now()
            batch = Batch(
                bank=b,
                manufacturer=m,
                received_at=now,
                received_by=by,
                manifest_name=name[:255],
                manifest_sm3=digest,
                card_count=len(cards),
            )
            s.add(batch)
            s.flush()
            s.execute(
                insert(Blank),
                [
                    {
                        "batch_id": batch.id,
                        "bank": c.bank,
                        "manufacturer": c.manufacturer,
                        "card_id_code": c.card_id_code,
                        "card_number": c.card_number,
                        "bank_account": c.bank_account,
                        "expiry": c.expiry,
                        "state": State.IN_VAULT.value,
                        "location": VAULT,
                        "job_id": None,
                        "reason": None,
                        "moved_at": now,
                        "destruction_id": None,
                    }
                    for c in cards
                ],
            )
            new = s.execute(
                select(Blank.id, Blank.card_number).where(Blank.batch_id == batch.id)
            ).all()
            self._append(
                s,
                [
                    {
                        "blank_id": r.id,
                        "card_number": r.card_number,
                        "bank": b,
                        "action": Action.STOCK_IN.value,
                        "from_state": None,
                        "to_state": State.IN_VAULT.value,
                        "from_location": None,
                        "to_location": VAULT,
                        "actor": by,
                        "witness": None,
                        "job_id": None,
                        "reason": None,
                        "ref": f"batch:{batch.id}",
                    }
                    for r in sorted(new, key=lambda r: r.id)
                ],
            )
            return StockInResult(batch.id, b, m, len(cards))

        return self._run(work)

    def _already_in_stock(self, s: Session, cards: Sequence[ManifestCard]) -> list[tuple[int, str]]:
        by_number = {c.card_number: c.line for c in cards}
        by_code = {c.card_id_code: c.line for c in cards}
        problems: list[tuple[int, str]] = []
        for col, lines, what in (
            (Blank.card_number, by_number, "社保卡号{}已在库存中 (card number already in stock)"),
            (Blank.card_id_code, by_code, "卡识别码{}已在库存中 (card id code already in stock)"),
        ):
            for value in self._existing(s, col, list(lines)):
                problems.append((lines[value], what.format(value)))
        return problems

    def _existing(self, s: Session, col: Any, values: list[str]) -> list[str]:
        """Which of ``values`` already exist in ``col`` (a unique column).  PostgreSQL gets
        one array parameter per chunk: a long ``IN (…)`` list is slow to plan there."""
        found: list[str] = []
        if self.engine.dialect.name == "postgresql":
            for i in range(0, len(values), 20_000):
                arr = bindparam("vals", values[i : i + 20_000], type_=ARRAY(String()))
                found += [v for (v,) in s.execute(select(col).where(col == any_(arr)))]
        else:
            for i in range(0, len(values), _CHUNK):
                found += [
                    v for (v,) in s.execute(select(col).where(col.in_(values[i : i + _CHUNK])))
                ]
        return found

    def allocate(
        self,
        to_location: str,
        count: int,
        *,
        bank: str,
        by: str,
        from_location: str = VAULT,
    ) -> list[str]:
        """Hand ``count`` blanks of ``bank`` from the vault to a drawer or station; returns
        their card numbers.  Not enough in the vault refuses the whole allocation."""
        if count <= 0:
            raise InventoryError("数量必须大于0 (count must be positive)", detail=str(count))

        def work(s: Session) -> list[str]:
            self._user(s, by, "allocate")
            self._location(s, from_location, LocationKind.VAULT)
            self._location(s, to_location, LocationKind.DRAWER, LocationKind.STATION)
            q = (
                select(Blank.__table__)
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
            self._move(s, rows, Action.ALLOCATE, by, to_location=to_location)
            return [r.card_number for r in rows]

        return self._run(work)

    def reserve(self, location: str, bank: str, job_id: str, *, by: str) -> BlankInfo:
        """Bind one free blank of ``bank`` at ``location`` to issuance job ``job_id``.

        Atomic across stations.  Calling again with the same job returns the same blank, so
        an issuance job that crashed after reserving can pick up where it was."""
        if not job_id:
            raise InventoryError("缺少制卡任务号 (job id required)")

        def work(s: Session) -> BlankInfo:
            # the hot path of every issuance on every station: one query for all the
            # checks, one UPDATE … RETURNING that picks and takes the blank, then the ledger
            conn = s.connection()
            day_start, _ = self.day_range(self.today())
            ctx = conn.execute(
                _RESERVE_CHECKS, {"by": by, "loc": location, "job": job_id, "start": day_start}
            ).one()
            if ctx.role is None:
                raise PermissionDenied(
                    f"用户{by!r}不存在或已停用 (unknown or inactive user)", detail=by
                )
            if Role(ctx.role) not in ROLES["reserve"]:
                raise PermissionDenied(
                    f"{ctx.role}角色不能执行reserve (role {ctx.role} may not reserve)",
                    detail=f"{by}: reserve",
                )
            if ctx.kind is None:
                raise NotFound(f"位置{location!r}不存在 (unknown location)", detail=location)
            if ctx.kind not in (LocationKind.DRAWER.value, LocationKind.STATION.value):
                self._location(s, location, LocationKind.DRAWER, LocationKind.STATION)
            if Role(ctx.role) == Role.TELLER and ctx.owner not in (None, by):
                raise PermissionDenied(
                    f"{location}是{ctx.owner}的卡箱 (drawer belongs to {ctx.owner})",
                    detail=f"{by} at {location}",
                )
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
            required = (
                self._require_count
                if self._require_count is not None
                else (ctx.require or "true").lower() in ("1", "true", "yes")
            )
            if required and ctx.done is None:
                raise CountRequired(detail=f"location {location}, day {self.today()}")
            row = conn.execute(
                _RESERVE_TAKE,
                {
                    "loc": location,
                    "p_bank": bank,
                    "p_job": job_id,
                    "p_now": self.now(),
                },
            ).first()
            if row is None:
                raise NoBlankAvailable(detail=f"{location}/{bank}")
            self._append(
                s,
                [
                    {
                        "blank_id": row.id,
                        "card_number": row.card_number,
                        "bank": row.bank,
                        "action": Action.RESERVE.value,
                        "from_state": State.IN_DRAWER.value,
                        "to_state": State.RESERVED.value,
                        "from_location": location,
                        "to_location": location,
                        "actor": by,
                        "witness": None,
                        "job_id": job_id,
                        "reason": None,
                        "ref": None,
                    }
                ],
            )
            return BlankInfo.of(row)

        return self._run(work)

    def reserve_card(self, card: str, bank: str, job_id: str, *, by: str) -> BlankInfo:
        """Bind one *named* blank (the teller scanned it) to ``job_id``; it must belong to
        the application's ``bank``."""
        if not job_id:
            raise InventoryError("缺少制卡任务号 (job id required)")

        def work(s: Session) -> BlankInfo:
            self._user(s, by, "reserve")
            (row,) = self._lock_blanks(s, [card])
            if row.bank != bank:
                raise WrongBank(detail=f"{row.card_number} is {row.bank}, application is {bank}")
            if row.state == State.RESERVED.value and row.job_id == job_id:
                return BlankInfo.of(row)
            _check_transition(row, Action.RESERVE)
            if row.location is not None:
                self._location(s, row.location, LocationKind.DRAWER, LocationKind.STATION)
                self._check_issuance(s, row.location)
            self._move(s, [row], Action.RESERVE, by, job_id=job_id)
            return self._info(s, row.id)

        return self._run(work)

    def _info(self, s: Session, blank_id: int) -> BlankInfo:
        return BlankInfo.of(s.execute(select(Blank.__table__).where(Blank.id == blank_id)).one())

    def _reserved_for(self, row: Row[Any], job_id: str | None) -> None:
        if job_id is not None and row.state == State.RESERVED.value and row.job_id != job_id:
            raise InventoryConflict(
                f"卡{row.card_number}已被其他任务占用 (blank reserved for another job)",
                detail=f"{row.card_number}: job {row.job_id}, not {job_id}",
            )

    def issue(self, card: str, job_id: str, *, by: str) -> BlankInfo:
        """The job finished: the card left with its holder."""

        def work(s: Session) -> BlankInfo:
            self._user(s, by, "issue")
            (row,) = self._lock_blanks(s, [card])
            self._reserved_for(row, job_id)
            if row.state == State.RESERVED.value and row.location is not None:
                self._check_block(s, row.location)
            self._move(s, [row], Action.ISSUE, by, to_location=None, job_id=job_id)
            return self._info(s, row.id)

        return self._run(work)

    def _check_block(self, s: Session, location: str) -> None:
        diff = s.execute(
            select(CountSession.id).where(
                CountSession.location == location,
                CountSession.status == CountStatus.DISCREPANCY.value,
            )
        ).first()
        if diff is not None:
            raise DiscrepancyBlock(detail=f"location {location}, count #{diff[0]}")

    def spoil(self, card: str, reason: str, *, by: str, job_id: str | None = None) -> BlankInfo:
        """A reserved blank was ruined (print or chip failure): it goes to the reject box."""
        if not reason.strip():
            raise InventoryError("须填写废卡原因 (a reason is required)")

        def work(s: Session) -> BlankInfo:
            self._user(s, by, "spoil")
            (row,) = self._lock_blanks(s, [card])
            self._reserved_for(row, job_id)
            self._move(
                s, [row], Action.SPOIL, by, to_location=REJECT_BOX, reason=reason, job_id=job_id
            )
            return self._info(s, row.id)

        return self._run(work)

    def release(
        self, card: str, *, by: str, job_id: str | None = None, reason: str = ""
    ) -> BlankInfo:
        """An abandoned job gives its untouched blank back to the drawer it came from."""

        def work(s: Session) -> BlankInfo:
            self._user(s, by, "release")
            (row,) = self._lock_blanks(s, [card])
            self._reserved_for(row, job_id)
            self._move(s, [row], Action.RELEASE, by, reason=reason or None, job_id=row.job_id)
            return self._info(s, row.id)

        return self._run(work)

    def return_(self, cards: Iterable[str], reason: str, *, by: str) -> int:
        """Send unused blanks back (to the manufacturer or head office); they leave stock."""
        cards = list(cards)
        if not reason.strip():
            raise InventoryError("须填写退回原因 (a reason is required)")

        def work(s: Session) -> int:
            self._user(s, by, "return")
            rows = self._lock_blanks(s, cards)
            self._move(s, rows, Action.RETURN, by, to_location=None, reason=reason)
            return len(rows)

        return self._run(work)

    def destroy(
        self, cards: Iterable[str], *, by: str, witness: str, reason: str = "销毁 destroyed"
    ) -> int:
        """Destroy spoiled blanks; two different people sign.  Returns the destruction id."""
        cards = list(cards)
        if not cards:
            raise InventoryError("没有要销毁的卡 (no cards to destroy)")
        if by == witness:
            raise PermissionDenied(
                "销毁须由两名不同人员签字 (destruction needs two different people)",
                detail=by,
            )

        def work(s: Session) -> int:
            self._user(s, by, "destroy")
            self._user(s, witness, "witness")
            rows = self._lock_blanks(s, cards)
            d = Destruction(
                at=self.now(),
                destroyed_by=by,
                witness=witness,
                reason=reason,
                card_count=len(rows),
            )
            s.add(d)
            s.flush()
            self._move(
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

        return self._run(work)

    # -- counts ---------------------------------------------------------------------------

    def start_count(self, location: str, *, by: str) -> int:
        def work(s: Session) -> int:
            self._user(s, by, "count")
            self._location(s, location)
            c = CountSession(
                location=location,
                status=CountStatus.OPEN.value,
                started_at=self.now(),
                started_by=by,
                by_card=True,
            )
            s.add(c)
            s.flush()
            return c.id

        return self._run(work)

    def submit_count(
        self,
        count_id: int,
        *,
        by: str,
        seen: Iterable[str] | None = None,
        counted: Mapping[str, int] | None = None,
    ) -> CountResult:
        """Compare what was physically found with the book.

        ``seen``: the card numbers (or card id codes) scanned on the shelf — differences are
        then known card by card.  ``counted``: quantities per bank, when cards were only
        counted.  Blanks reserved by a running job are not expected on the shelf."""
        if (seen is None) == (counted is None):
            raise InventoryError(
                "须提供清点的卡号或数量之一 (give either the cards seen or the counts)"
            )
        seen_list = None if seen is None else [c.strip().upper() for c in seen if c.strip()]

        def work(s: Session) -> CountResult:
            self._user(s, by, "count")
            c = s.get(CountSession, count_id, with_for_update=True)
            if c is None:
                raise NotFound(f"盘点#{count_id}不存在 (no such count)", detail=str(count_id))
            if c.status != CountStatus.OPEN.value:
                raise InventoryConflict(
                    f"盘点#{count_id}已提交 (count already submitted)", detail=c.status
                )
            rows = s.execute(
                select(
                    Blank.id, Blank.card_number, Blank.card_id_code, Blank.bank, Blank.state
                ).where(Blank.location == c.location, Blank.state.in_([*HELD_STATES]))
            ).all()
            expected = [r for r in rows if State(r.state) in COUNTED_STATES]
            in_jobs = {r.card_number for r in rows if r.state == State.RESERVED.value} | {
                r.card_id_code for r in rows if r.state == State.RESERVED.value
            }
            exp_count = Counter(r.bank for r in expected)
            missing: list[Any] = []
            extra: list[str] = []
            if seen_list is not None:
                seen_set = set(seen_list)
                missing = [
                    r
                    for r in expected
                    if r.card_number not in seen_set and r.card_id_code not in seen_set
                ]
                known = {r.card_number for r in expected} | {r.card_id_code for r in expected}
                extra = sorted({x for x in seen_set if x not in known and x not in in_jobs})
                got = Counter(exp_count)
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
            else:
                assert counted is not None
                got = Counter({k: int(v) for k, v in counted.items()})
            banks = sorted(set(exp_count) | set(got))
            lines = tuple((b, exp_count.get(b, 0), got.get(b, 0)) for b in banks)
            differs = bool(missing or extra) or any(e != g for _, e, g in lines)
            c.status = (CountStatus.DISCREPANCY if differs else CountStatus.MATCHED).value
            c.submitted_at = self.now()
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
            return CountResult(
                c.id,
                c.location,
                CountStatus(c.status),
                lines,
                tuple(sorted(r.card_number for r in missing)),
                tuple(extra),
                sum(1 for r in rows if r.state == State.RESERVED.value),
            )

        return self._run(work)

    def count(
        self,
        location: str,
        *,
        by: str,
        seen: Iterable[str] | None = None,
        counted: Mapping[str, int] | None = None,
    ) -> CountResult:
        """Start and submit a count in one go (the usual case at the counter)."""
        cid = self.start_count(location, by=by)
        return self.submit_count(cid, by=by, seen=seen, counted=counted)

    def resolve(
        self, count_id: int, *, by: str, note: str, lost: Iterable[str] = ()
    ) -> CountResult:
        """A supervisor settles a count difference.  Cards in ``lost`` become LOST (they
        must be among the count's missing cards, or — for a quantity count — cards of a
        short bank booked at that location); the rest of the difference is explained by
        ``note``.  Issuance at the location is unblocked."""
        lost_list = [c.strip().upper() for c in lost if c.strip()]
        if not note.strip():
            raise InventoryError("须填写处理说明 (a note is required)")

        def work(s: Session) -> CountResult:
            self._user(s, by, "resolve")
            c = s.get(CountSession, count_id, with_for_update=True)
            if c is None:
                raise NotFound(f"盘点#{count_id}不存在 (no such count)", detail=str(count_id))
            if c.status != CountStatus.DISCREPANCY.value:
                raise InvalidTransition(
                    f"盘点#{count_id}没有待处理的差异 (nothing to resolve)", detail=c.status
                )
            diffs = list(
                s.execute(select(CountDifference).where(CountDifference.count_id == c.id))
                .scalars()
                .all()
            )
            lines = list(
                s.execute(select(CountLine).where(CountLine.count_id == c.id)).scalars().all()
            )
            rows = self._lock_blanks(s, lost_list) if lost_list else []
            missing = {d.blank_id: d for d in diffs if d.kind == "MISSING"}
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
            self._move(s, rows, Action.LOST, by, to_location=None, reason=note, ref=f"count:{c.id}")
            lost_ids = {r.id for r in rows}
            for d in diffs:
                if d.kind == "MISSING":
                    d.outcome = "LOST" if d.blank_id in lost_ids else "FOUND"
                else:
                    d.outcome = "EXPLAINED"
            c.status = CountStatus.RESOLVED.value
            c.resolved_at = self.now()
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

        return self._run(work)

    # -- queries --------------------------------------------------------------------------

    def blank(self, card: str) -> BlankInfo:
        return self._run(
            lambda s: BlankInfo.of(self._lock_blanks(s, [card], lock=False)[0]), write=False
        )

    def blanks(
        self,
        *,
        location: str | None = None,
        state: State | str | None = None,
        bank: str | None = None,
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

        return self._run(work, write=False)

    def balance(
        self,
        day: dt.date | None = None,
        *,
        location: str | None = None,
        bank: str | None = None,
    ) -> list[BalanceRow]:
        """Daily balance per location and bank, from the ledger alone."""
        day = day or self.today()
        start, end = self.day_range(day)

        def work(s: Session) -> list[BalanceRow]:
            L = LedgerRow
            moved = or_(
                L.from_location.is_(None),
                L.to_location.is_(None),
                L.from_location != L.to_location,
            )
            filt = []
            if bank is not None:
                filt.append(L.bank == bank)
            acc: dict[tuple[Any, str], dict[str, int]] = defaultdict(
                lambda: dict.fromkeys(
                    (
                        "opening",
                        "received",
                        "sent",
                        "issued",
                        "spoiled",
                        "returned",
                        "destroyed",
                        "lost",
                        "closing",
                    ),
                    0,
                )
            )
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
                acc[(loc, b)][_OUTFLOW[Action(action)]] += n
            out = []
            for (loc, b), v in sorted(acc.items()):
                if location is not None and loc != location:
                    continue
                if not any(v.values()):
                    continue
                out.append(BalanceRow(day, loc, b, **v))
            return out

        return self._run(work, write=False)

    def held(self) -> dict[tuple[str | None, str], int]:
        """Blanks held now per (location, bank), from the blank rows (not the ledger)."""

        def work(s: Session) -> dict[tuple[str | None, str], int]:
            q = (
                select(Blank.location, Blank.bank, func.count())
                .where(Blank.state.in_([*HELD_STATES]))
                .group_by(Blank.location, Blank.bank)
            )
            return {(loc, b): n for loc, b, n in s.execute(q)}

        return self._run(work, write=False)

    def status(self) -> dict[str, Any]:
        """What a supervisor looks at first: stock by place and state, open differences,
        where today's count is missing, the chain head."""

        def work(s: Session) -> dict[str, Any]:
            stock = [
                (loc, b, st, n)
                for loc, b, st, n in s.execute(
                    select(Blank.location, Blank.bank, Blank.state, func.count())
                    .group_by(Blank.location, Blank.bank, Blank.state)
                    .order_by(Blank.location, Blank.bank, Blank.state)
                )
            ]
            diffs = [
                (i, loc)
                for i, loc in s.execute(
                    select(CountSession.id, CountSession.location).where(
                        CountSession.status == CountStatus.DISCREPANCY.value
                    )
                )
            ]
            start, _ = self.day_range(self.today())
            counted_today = {
                loc
                for (loc,) in s.execute(
                    select(CountSession.location).where(
                        CountSession.status.in_(
                            [CountStatus.MATCHED.value, CountStatus.RESOLVED.value]
                        ),
                        CountSession.submitted_at >= start,
                    )
                )
            }
            desks = [
                code
                for (code,) in s.execute(
                    select(Location.code).where(
                        Location.kind.in_([LocationKind.DRAWER.value, LocationKind.STATION.value])
                    )
                )
            ]
            head = s.get(LedgerHead, 1)
            return {
                "stock": stock,
                "discrepancies": diffs,
                "count_missing_today": sorted(set(desks) - counted_today),
                "require_daily_count": self._daily_count_required(s),
                "ledger_rows": head.last_seq if head else 0,
            }

        return self._run(work, write=False)

    def verify_ledger(self) -> LedgerReport:
        """Walk the hash chain from the start; then replay it and compare every blank."""

        def work(s: Session) -> LedgerReport:
            rep = LedgerReport()
            prev, expected_seq = GENESIS, 1
            replay: dict[int, tuple[str, str | None, str | None]] = {}
            q = select(LedgerRow.__table__).order_by(LedgerRow.seq)
            for r in s.execute(q.execution_options(yield_per=5000)):
                m = r._mapping
                if r.seq != expected_seq:
                    rep.first_bad_seq = expected_seq
                    rep.problem = f"第{expected_seq}行缺失 (ledger row {expected_seq} is missing)"
                    return rep
                if not hmac.compare_digest(chain_hash(prev, dict(m)), bytes(r.hash)):
                    rep.first_bad_seq = r.seq
                    rep.problem = (
                        f"第{r.seq}行哈希不符，记录被改动 (ledger row {r.seq}: hash mismatch)"
                    )
                    return rep
                prev = bytes(r.hash)
                expected_seq += 1
                rep.rows += 1
                job = replay.get(r.blank_id, (None, None, None))[2]
                if r.action == Action.RESERVE.value:
                    job = r.job_id
                elif r.action == Action.RELEASE.value:
                    job = None
                replay[r.blank_id] = (r.to_state, r.to_location, job)
            head = s.get(LedgerHead, 1)
            if (
                head is None
                or head.last_seq != rep.rows
                or not hmac.compare_digest(bytes(head.last_hash), prev)
            ):
                rep.first_bad_seq = min(rep.rows, head.last_seq if head else 0) + 1
                rep.problem = (
                    f"账尾不符：账本有{rep.rows}行，账头记录{head.last_seq if head else '?'}行 "
                    f"(ledger tail does not match its head: rows deleted or added)"
                )
                return rep
            for b in s.execute(
                select(Blank.id, Blank.card_number, Blank.state, Blank.location, Blank.job_id)
            ):
                want = replay.get(b.id)
                have = (b.state, b.location, b.job_id)
                if want != have:
                    rep.mismatches.append(f"{b.card_number}: book {have}, ledger {want}")
            return rep

        return self._run(work, write=False)
