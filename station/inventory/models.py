"""Tables of the pre-made card stock book.

One row per physical blank (``inv_blanks``) holds where the card is *now*; the append-only
``inv_ledger`` holds how it got there.  The ledger is the book of record: the blank rows must
always equal a replay of the ledger (``Inventory.verify_ledger`` checks that), and each ledger
row carries an SM3 hash over the previous row's hash and its own content so an edit made
behind the software's back is found.  ``inv_ledger_head`` is a single row holding the chain's
tail; every append locks it first, which serialises appends across stations and also lets
verification notice rows deleted from the end.

Times are naive UTC everywhere (SQLite has no time zones); the service turns local days
into UTC ranges.  Enumerations are short strings with CHECK constraints rather than native
enums so one migration serves SQLite and PostgreSQL alike.  Tables carry an ``inv_`` prefix
because the issuance journal may share the database.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class State(enum.StrEnum):
    """Life of one blank.  ``TRANSITIONS`` in the service lists the allowed changes."""

    IN_VAULT = "IN_VAULT"
    IN_DRAWER = "IN_DRAWER"
    RESERVED = "RESERVED"
    ISSUED = "ISSUED"
    SPOILED = "SPOILED"
    DESTROYED = "DESTROYED"
    RETURNED = "RETURNED"
    LOST = "LOST"


class Action(enum.StrEnum):
    """What a ledger row records."""

    STOCK_IN = "STOCK_IN"
    ALLOCATE = "ALLOCATE"
    RESERVE = "RESERVE"
    RELEASE = "RELEASE"
    ISSUE = "ISSUE"
    SPOIL = "SPOIL"
    RETURN = "RETURN"
    DESTROY = "DESTROY"
    LOST = "LOST"


class Role(enum.StrEnum):
    TELLER = "teller"
    SUPERVISOR = "supervisor"
    TECHNICIAN = "technician"
    AUDITOR = "auditor"


class LocationKind(enum.StrEnum):
    VAULT = "vault"
    DRAWER = "drawer"
    STATION = "station"
    REJECT = "reject"


class CountStatus(enum.StrEnum):
    OPEN = "OPEN"
    MATCHED = "MATCHED"
    DISCREPANCY = "DISCREPANCY"
    RESOLVED = "RESOLVED"


VAULT = "VAULT"
REJECT_BOX = "REJECT"


def _in(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class Base(DeclarativeBase):
    metadata = metadata


class Setting(Base):
    __tablename__ = "inv_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class User(Base):
    __tablename__ = "inv_users"
    __table_args__ = (CheckConstraint(_in("role", Role), name="role"),)
    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # credentials (migration 0002, rules in station.inventory.auth): an argon2id hash of the
    # user's own password, or — while must_set_password — of a supervisor's one-time code
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True, default=None)
    must_set_password: Mapped[bool] = mapped_column(Boolean, default=True)
    password_set_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    credential_version: Mapped[int] = mapped_column(Integer, default=0)


class Bank(Base):
    __tablename__ = "inv_banks"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")


class Manufacturer(Base):
    __tablename__ = "inv_manufacturers"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), default="")


class Location(Base):
    __tablename__ = "inv_locations"
    __table_args__ = (CheckConstraint(_in("kind", LocationKind), name="kind"),)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str | None] = mapped_column(ForeignKey("inv_users.username"), nullable=True)
    name: Mapped[str] = mapped_column(String(100), default="")


class Batch(Base):
    """One stock-in: cards of exactly one bank from exactly one manufacturer."""

    __tablename__ = "inv_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bank: Mapped[str] = mapped_column(ForeignKey("inv_banks.code"))
    manufacturer: Mapped[str] = mapped_column(ForeignKey("inv_manufacturers.code"))
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_by: Mapped[str] = mapped_column(ForeignKey("inv_users.username"))
    manifest_name: Mapped[str] = mapped_column(String(255), default="")
    manifest_sm3: Mapped[str] = mapped_column(String(64))
    card_count: Mapped[int] = mapped_column(Integer)


class Destruction(Base):
    """A destruction act, signed by two different people."""

    __tablename__ = "inv_destructions"
    __table_args__ = (CheckConstraint("destroyed_by <> witness", name="two_people"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    destroyed_by: Mapped[str] = mapped_column(ForeignKey("inv_users.username"))
    witness: Mapped[str] = mapped_column(ForeignKey("inv_users.username"))
    reason: Mapped[str] = mapped_column(String(200), default="")
    card_count: Mapped[int] = mapped_column(Integer)


class Blank(Base):
    """One physical pre-made card and where it is now."""

    __tablename__ = "inv_blanks"
    __table_args__ = (
        CheckConstraint(_in("state", State), name="state"),
        Index("ix_inv_blanks_pick", "location", "bank", "state", "id"),
        Index("ix_inv_blanks_job", "job_id"),
        Index("ix_inv_blanks_state", "state", "moved_at"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("inv_batches.id"))
    bank: Mapped[str] = mapped_column(ForeignKey("inv_banks.code"))
    manufacturer: Mapped[str] = mapped_column(ForeignKey("inv_manufacturers.code"))
    card_id_code: Mapped[str] = mapped_column(String(32), unique=True)
    card_number: Mapped[str] = mapped_column(String(9), unique=True)
    bank_account: Mapped[str] = mapped_column(String(32))
    expiry: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16))
    location: Mapped[str | None] = mapped_column(ForeignKey("inv_locations.code"), nullable=True)
    job_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    moved_at: Mapped[dt.datetime] = mapped_column(DateTime)
    destruction_id: Mapped[int | None] = mapped_column(
        ForeignKey("inv_destructions.id"), nullable=True
    )


class LedgerRow(Base):
    """One movement.  Never updated, never deleted; ``hash`` chains the rows."""

    __tablename__ = "inv_ledger"
    __table_args__ = (
        CheckConstraint(_in("action", Action), name="action"),
        Index("ix_inv_ledger_ts", "ts"),
        Index("ix_inv_ledger_blank", "blank_id", "seq"),
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ts: Mapped[dt.datetime] = mapped_column(DateTime)
    blank_id: Mapped[int] = mapped_column(ForeignKey("inv_blanks.id"))
    card_number: Mapped[str] = mapped_column(String(9))
    bank: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(16))
    from_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_state: Mapped[str] = mapped_column(String(16))
    from_location: Mapped[str | None] = mapped_column(String(64), nullable=True)
    to_location: Mapped[str | None] = mapped_column(String(64), nullable=True)
    actor: Mapped[str] = mapped_column(String(64))
    witness: Mapped[str | None] = mapped_column(String(64), nullable=True)
    job_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerHead(Base):
    """The single lock row: tail of the hash chain (``id`` is always 1)."""

    __tablename__ = "inv_ledger_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class CountSession(Base):
    """One count (盘点) of one location."""

    __tablename__ = "inv_counts"
    __table_args__ = (
        CheckConstraint(_in("status", CountStatus), name="status"),
        Index("ix_inv_counts_loc", "location", "status"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    location: Mapped[str] = mapped_column(ForeignKey("inv_locations.code"))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    started_by: Mapped[str] = mapped_column(ForeignKey("inv_users.username"))
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    submitted_by: Mapped[str | None] = mapped_column(
        ForeignKey("inv_users.username"), nullable=True
    )
    by_card: Mapped[bool] = mapped_column(Boolean, default=True)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(ForeignKey("inv_users.username"), nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(500), nullable=True)


class CountLine(Base):
    """Book versus counted quantity for one bank in one count."""

    __tablename__ = "inv_count_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("inv_counts.id"), index=True)
    bank: Mapped[str] = mapped_column(String(16))
    expected: Mapped[int] = mapped_column(Integer)
    counted: Mapped[int] = mapped_column(Integer)


class CountDifference(Base):
    """A card the book has but the count did not see (MISSING), or the reverse (EXTRA)."""

    __tablename__ = "inv_count_differences"
    __table_args__ = (CheckConstraint("kind IN ('MISSING', 'EXTRA')", name="kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("inv_counts.id"), index=True)
    card_number: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(8))
    blank_id: Mapped[int | None] = mapped_column(ForeignKey("inv_blanks.id"), nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)


class AuthEventKind(enum.StrEnum):
    """What an ``inv_auth_events`` row records (never a password, code or hash)."""

    SIGN_IN = "SIGN_IN"
    SIGN_IN_FAILED = "SIGN_IN_FAILED"
    REFUSED_LOCKED = "REFUSED_LOCKED"
    LOCKED = "LOCKED"
    PASSWORD_REQUIRED = "PASSWORD_REQUIRED"  # noqa: S105 (an event name)
    PASSWORD_SET = "PASSWORD_SET"  # noqa: S105 (an event name)
    PASSWORD_CHANGED = "PASSWORD_CHANGED"  # noqa: S105 (an event name)
    PASSWORD_RESET = "PASSWORD_RESET"  # noqa: S105 (an event name)
    ONE_TIME_ISSUED = "ONE_TIME_ISSUED"
    SIGN_OUT = "SIGN_OUT"


class AuthEvent(Base):
    """One authentication event.  ``username`` is NULL for a name the book does not know (it
    may be a password typed into the wrong field); ``actor`` is the supervisor who reset."""

    __tablename__ = "inv_auth_events"
    __table_args__ = (
        CheckConstraint(_in("kind", AuthEventKind), name="kind"),
        Index("ix_inv_auth_events_user", "username", "id"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ts: Mapped[dt.datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(24))
    username: Mapped[str | None] = mapped_column(String(64), nullable=True)
    actor: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str] = mapped_column(String(200), default="")
