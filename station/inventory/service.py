"""The stock-book service: every movement of a pre-made card goes through here.

``Inventory`` is a thin facade: it owns the plumbing every job shares (the engine, the
clock, transactions, the one role check) and hands each call to the module for its job —
``registry`` (users, banks, manufacturers, locations, settings), ``stockin`` and ``custody``
(the movements), ``counts``, ``queries`` (reports and lists) and ``audit`` (verification).

Why it is shaped like this:

* **One transaction per operation, all or nothing.**  A refused operation leaves no trace;
  an accepted one changes the blank rows *and* appends its ledger rows together.
* **Lock order is always blanks first, then the ledger head row.**  Reserving takes one free
  blank with ``FOR UPDATE SKIP LOCKED`` (PostgreSQL) so stations never wait on each other
  for the same card, then locks the head row to append to the hash chain, which therefore
  grows strictly one row after another.  On SQLite ``BEGIN IMMEDIATE`` (see ``db``) gives the
  same two guarantees by taking the database's write lock at the start.
* **Rules live in data, not in call sites**: ``rules.TRANSITIONS`` says which states an
  action may start from; ``rules.ROLES`` says who may do it; ``_user`` is the one place
  roles are checked.  Anything not listed raises.
* **Times are UTC inside**; "today" and report days are local days (``tz``), and the clock
  is injectable so tests can move to tomorrow without waiting.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from argon2 import PasswordHasher
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from station.inventory import audit, counts, custody, queries, registry, stockin
from station.inventory import witness as witness_file
from station.inventory.auth import Authenticator
from station.inventory.db import READ_ONLY, is_sqlite, make_engine
from station.inventory.errors import (
    InventoryConflict,
    InventoryError,
    PermissionDenied,
    SchemaMissing,
)
from station.inventory.ledger import LedgerReport
from station.inventory.models import VAULT, Bank, LocationKind, Manufacturer, Role, State, User
from station.inventory.results import (
    BalanceRow,
    BlankInfo,
    CountResult,
    LocationInfo,
    NamedCode,
    StockInResult,
    StockStatus,
    UserInfo,
)
from station.inventory.rules import (
    ALLOWED,
    COUNTED_STATES,
    HELD_STATES,
    ROLES,
    TRANSITIONS,
    Duty,
)
from station.inventory.witness import Witnessed

__all__ = [
    "ALLOWED",
    "COUNTED_STATES",
    "HELD_STATES",
    "ROLES",
    "TRANSITIONS",
    "BalanceRow",
    "BlankInfo",
    "CountResult",
    "Duty",
    "Inventory",
    "StockInResult",
    "StockStatus",
]

T = TypeVar("T")
_RETRIES = 6


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Inventory:
    """The pre-made card stock book over one database.

    ``engine_or_url``: an Engine (set up by ``db.make_engine``) or a database URL (the
    caller's settings give it: ``Settings.db_url``).
    """

    def __init__(
        self,
        engine_or_url: Engine | str,
        *,
        schema: str | None = None,
        clock: Callable[[], dt.datetime] | None = None,
        tz: dt.tzinfo | None = None,
        require_daily_count: bool | None = None,
        password_hasher: PasswordHasher | None = None,
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
        # names this book in witness files: the URL without its password, and the schema
        self.book = self.engine.url.render_as_string(hide_password=True) + (
            f"#{schema}" if schema else ""
        )
        if not inspect(self.engine).has_table("inv_ledger_head"):
            raise SchemaMissing(detail=self.engine.url.render_as_string(hide_password=True))
        # who proved a password to this object: the role check trusts no other name (auth.py)
        self.auth = Authenticator(self._run, self.now, self._user, hasher=password_hasher)
        # the session of a ``transaction`` running on this thread, which facade calls join
        self._joined = threading.local()

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
        joined: Session | None = getattr(self._joined, "session", None)
        if joined is not None:
            return work(joined)  # inside ``transaction``: its commit, its retries, its errors
        engine = self.engine if write else self._read_engine
        for attempt in range(_RETRIES):
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
                if state in ("40P01", "40001") and attempt < _RETRIES - 1:
                    continue  # deadlock / serialisation failure: the whole operation reruns
                raise InventoryError(
                    "数据库错误，操作未执行 (database error: nothing was changed)",
                    detail=str(exc.orig).splitlines()[0] if exc.orig else type(exc).__name__,
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def transaction(self, work: Callable[[Session], T]) -> T:
        """Run ``work(session)`` in one write transaction that the facade's own calls made
        inside it (on this thread) join: a caller's rows — the issuance journal's — and the
        stock movements they imply commit together or not at all.  The whole of ``work`` is
        rerun on a deadlock, so it must do nothing outside the database."""

        def joined(s: Session) -> T:
            outer = getattr(self._joined, "session", None)  # a nested call keeps the outer
            self._joined.session = s
            try:
                return work(s)
            finally:
                self._joined.session = outer

        return self._run(joined)

    def check_duty(self, s: Session, username: str, action: Duty) -> None:
        """The role check (``_user``) for work done in ``transaction``: ``username`` must be
        signed in here and allowed ``action``."""
        self._user(s, username, action)

    def read(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one read-only transaction (a consistent snapshot); for reports."""
        return self._run(work, write=False)

    def _user(self, s: Session, username: str, action: Duty) -> User:
        """The one place roles are checked: ``username`` must be an active user whose role
        ``rules.ROLES`` allows for ``action``."""
        user = s.get(User, username)
        if user is None or not user.active:
            raise PermissionDenied(
                f"用户{username!r}不存在或已停用 (unknown or inactive user)", detail=username
            )
        self.auth.require(user)  # signed in here with a password, credentials unchanged since
        if Role(user.role) not in ROLES[action]:
            raise PermissionDenied(
                f"{user.role}角色不能执行{action} (role {user.role} may not {action})",
                detail=f"{username}: {action}",
            )
        return user

    def _daily_count_required(self, s: Session, *, stored: str | None = None) -> bool:
        """The daily-count rule: the constructor's value, else the book's setting (``stored``
        when the caller has read it already)."""
        if self._require_count is not None:
            return self._require_count
        value = stored if stored is not None else registry.setting(s, "require_daily_count", "")
        return (value or "true").lower() in ("1", "true", "yes")

    # -- set-up ---------------------------------------------------------------------------

    def add_user(
        self, username: str, role: Role, *, display_name: str = "", by: str | None = None
    ) -> str:
        """Register a user; a signed-in supervisor ``by`` does it.  Returns the new user's
        one-time code (their first sign-in sets their own password).  The first supervisor
        comes from ``auth.bootstrap`` (``station inventory init --supervisor``)."""
        return registry.add_user(self, username, role, display_name=display_name, by=by)

    def add_bank(self, code: str, name: str = "", *, by: str) -> bool:
        """Register a bank; ``False`` when it was already registered (left unchanged)."""
        return registry.add_named(self, Bank, code, name, by)

    def add_manufacturer(self, code: str, name: str = "", *, by: str) -> bool:
        """Register a manufacturer; ``False`` when it was already registered."""
        return registry.add_named(self, Manufacturer, code, name, by)

    def add_location(
        self, code: str, kind: LocationKind, *, by: str, owner: str | None = None, name: str = ""
    ) -> None:
        """A teller's drawer, a station's card hopper, or another vault/reject box."""
        registry.add_location(self, code, kind, by=by, owner=owner, name=name)

    def set_setting(self, key: str, value: str, *, by: str) -> None:
        registry.set_setting(self, key, value, by=by)

    def setting(self, key: str, default: str = "") -> str:
        return self.read(lambda s: registry.setting(s, key, default))

    def users(self) -> list[UserInfo]:
        return registry.users(self)

    def banks(self) -> list[NamedCode]:
        return registry.named(self, Bank)

    def manufacturers(self) -> list[NamedCode]:
        return registry.named(self, Manufacturer)

    def locations(self) -> list[LocationInfo]:
        return registry.locations(self)

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
        return stockin.stock_in(
            self, manifest, by=by, bank=bank, manufacturer=manufacturer, name=name
        )

    def allocate(
        self, to_location: str, count: int, *, bank: str, by: str, from_location: str = VAULT
    ) -> list[str]:
        """Hand ``count`` blanks of ``bank`` from the vault to a drawer or station; returns
        their card numbers.  Not enough in the vault refuses the whole allocation."""
        return custody.allocate(
            self, to_location, count, bank=bank, by=by, from_location=from_location
        )

    def reserve(self, location: str, bank: str, job_id: str, *, by: str) -> BlankInfo:
        """Bind one free blank of ``bank`` at ``location`` to issuance job ``job_id``.

        Atomic across stations.  Calling again with the same job returns the same blank, so
        an issuance job that crashed after reserving can pick up where it was."""
        return custody.reserve(self, location, bank, job_id, by=by)

    def reserve_card(self, card: str, bank: str, job_id: str, *, by: str) -> BlankInfo:
        """Bind one *named* blank (the teller scanned it) to ``job_id``; it must belong to
        the application's ``bank``."""
        return custody.reserve_card(self, card, bank, job_id, by=by)

    def issue(self, card: str, job_id: str, *, by: str) -> BlankInfo:
        """The job finished: the card left with its holder."""
        return custody.issue(self, card, job_id, by=by)

    def spoil(self, card: str, reason: str, *, by: str, job_id: str | None = None) -> BlankInfo:
        """A reserved blank was ruined (print or chip failure): it goes to the reject box."""
        return custody.spoil(self, card, reason, by=by, job_id=job_id)

    def release(
        self, card: str, *, by: str, job_id: str | None = None, reason: str = ""
    ) -> BlankInfo:
        """An abandoned job gives its untouched blank back to the drawer it came from."""
        return custody.release(self, card, by=by, job_id=job_id, reason=reason)

    def return_(self, cards: Iterable[str], reason: str, *, by: str) -> int:
        """Send unused blanks back (to the manufacturer or head office); they leave stock."""
        return custody.return_(self, list(cards), reason, by=by)

    def destroy(
        self, cards: Iterable[str], *, by: str, witness: str, reason: str = "销毁 destroyed"
    ) -> int:
        """Destroy spoiled blanks; two different people sign.  Returns the destruction id."""
        return custody.destroy(self, list(cards), by=by, witness=witness, reason=reason)

    # -- counts ---------------------------------------------------------------------------

    def start_count(self, location: str, *, by: str) -> int:
        return counts.start_count(self, location, by=by)

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
        return counts.submit_count(self, count_id, by=by, seen=seen, counted=counted)

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
        return counts.resolve(self, count_id, by=by, note=note, lost=lost)

    # -- queries --------------------------------------------------------------------------

    def blank(self, card: str) -> BlankInfo:
        return queries.blank(self, card)

    def blanks(
        self, *, location: str | None = None, state: State | None = None, bank: str | None = None
    ) -> list[BlankInfo]:
        return queries.blanks(self, location=location, state=state, bank=bank)

    def balance(
        self, day: dt.date | None = None, *, location: str | None = None, bank: str | None = None
    ) -> list[BalanceRow]:
        """Daily balance per location and bank, from the ledger alone."""
        return queries.balance(self, day or self.today(), location=location, bank=bank)

    def held(self) -> dict[tuple[str | None, str], int]:
        """Blanks held now per (location, bank), from the blank rows (not the ledger)."""
        return queries.held(self)

    def status(self) -> StockStatus:
        """What a supervisor looks at first: stock by place and state, open differences,
        where today's count is missing, the chain head."""
        return queries.status(self)

    def verify_ledger(self, witness: str | Path | None = None) -> LedgerReport:
        """Walk the hash chain from the start; replay it into the expected state of every
        blank it names and compare both ways with the blank rows; with ``witness`` (a
        witness file), prove that every head witnessed there is still in the chain."""
        lines = None if witness is None else witness_file.read(witness)
        return audit.verify_ledger(self, lines, self.book)

    def head(self) -> tuple[int, str]:
        """The chain's length and head (hex SM3 of the last row), as the head row holds it."""
        st = self.status()
        return st.ledger_rows, st.ledger_head

    def witness(self, path: str | Path) -> Witnessed:
        """Append the current head to the witness file ``path`` (outside the database) and
        return what was written, for the report to print."""
        rows, head = self.head()
        return witness_file.record(path, self.now(), rows, head, self.book)
