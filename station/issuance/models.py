"""Tables of the issuance journal and the registration outbox, in the stock book's database.

Why here and why on the inventory's ``Base``: a journal step and the stock movement it
implies must commit in *one* transaction, so the journal lives in the same database as the
stock book and its tables share the inventory's ``metadata`` (one naming convention, one
Alembic chain: revision ``0003_issuance_journal``).  The migration spells the tables out
itself — the inventory's migrations may not import this layer — and a test compares the
migrated database with these models so the two cannot drift.

* ``iss_jobs``: one row per job, its state *now* and what the outbox needs.  Personal data is
  kept minimal — SSN, name, bank, reason; the photo and glyph images are not stored, only an
  SM3 over them (``media_sm3``) and over the whole application (``application_sm3``) so a
  make-up can prove it was handed the same application.
* **Exactly once** is a database rule, not a check in Python: the partial unique index
  ``uq_iss_jobs_live_application`` admits one job per application that has not ended
  FAILED or CANCELLED, so two stations racing for one application cannot both win, on
  SQLite or PostgreSQL; ``uq_iss_jobs_live_retry`` lets a failed job be retried by one
  live job only.
* ``iss_journal``: append-only, one row per step, numbered per job (``seq``): the intent
  before a device is touched, the result after.
* ``iss_outbox`` / ``iss_outbox_batches``: one record per finished job, stored as the exact
  JSON line the batch file carries, so re-exporting a batch reproduces its bytes.

Enumerations are short strings with CHECK constraints, as in the stock book.
"""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from station.inventory.models import Base
from station.issuance.application import Reason
from station.issuance.states import JobState, Step, WasteCause


class Kind(enum.StrEnum):
    """Whether a journal row announces a device step or records its outcome."""

    INTENT = "intent"
    RESULT = "result"
    REFUSED = "refused"  # the step was refused (e.g. a wrong blank): the state did not change


CREATE_STEP = "create"  # the journal's first row for a job (not a move of the table)
# the states a job may end in and still let another job for its application start
ENDED_WITHOUT_CARD = (JobState.FAILED.value, JobState.CANCELLED.value)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _live(extra: str = "") -> str:
    return f"{extra}state NOT IN ({', '.join(repr(v) for v in ENDED_WITHOUT_CARD)})"


STATES = tuple(s.value for s in JobState)
STEPS = (CREATE_STEP, *(s.value for s in Step))
CAUSES = tuple(c.value for c in WasteCause)
REASONS = tuple(r.value for r in Reason)
KINDS = tuple(k.value for k in Kind)
LIVE_APPLICATION = _live()
LIVE_RETRY = _live("retry_of IS NOT NULL AND ")


class Job(Base):
    """One instant-issue job: the application it serves and how far the card got."""

    __tablename__ = "iss_jobs"
    __table_args__ = (
        CheckConstraint(_in("state", STATES), name="state"),
        CheckConstraint(_in("reason", REASONS), name="reason"),
        CheckConstraint(f"cause IS NULL OR {_in('cause', CAUSES)}", name="cause"),
        Index(
            "uq_iss_jobs_live_application",
            "application_id",
            unique=True,
            sqlite_where=text(LIVE_APPLICATION),
            postgresql_where=text(LIVE_APPLICATION),
        ),
        Index(
            "uq_iss_jobs_live_retry",
            "retry_of",
            unique=True,
            sqlite_where=text(LIVE_RETRY),
            postgresql_where=text(LIVE_RETRY),
        ),
        Index("ix_iss_jobs_application", "application_id", "created_at"),
        Index("ix_iss_jobs_state", "state", "updated_at"),
        Index("ix_iss_jobs_card", "card_number"),
    )
    job_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(40))
    ssn: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(120))
    bank: Mapped[str] = mapped_column(ForeignKey("inv_banks.code"))
    reason: Mapped[str] = mapped_column(String(16))
    media_sm3: Mapped[str] = mapped_column(String(64))
    application_sm3: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    card_number: Mapped[str | None] = mapped_column(String(9), nullable=True)
    card_id_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    atr_historical: Mapped[str | None] = mapped_column(String(64), nullable=True)
    retry_of: Mapped[str | None] = mapped_column(ForeignKey("iss_jobs.job_id"), nullable=True)
    cause: Mapped[str | None] = mapped_column(String(24), nullable=True)
    made_up: Mapped[bool] = mapped_column(Boolean, default=False)
    operator: Mapped[str] = mapped_column(ForeignKey("inv_users.username"))
    station: Mapped[str] = mapped_column(String(64))
    last_seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class JournalRow(Base):
    """One step of one job.  Never updated, never deleted."""

    __tablename__ = "iss_journal"
    __table_args__ = (
        CheckConstraint(_in("step", STEPS), name="step"),
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("state", STATES), name="state"),
        Index("ix_iss_journal_at", "at"),
    )
    job_id: Mapped[str] = mapped_column(ForeignKey("iss_jobs.job_id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    step: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16))  # the job's state after this row
    actor: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    detail: Mapped[str] = mapped_column(String(500), default="")


class OutboxBatch(Base):
    """One exported batch file: what its header says and the SM3 its last line carries."""

    __tablename__ = "iss_outbox_batches"
    batch_id: Mapped[str] = mapped_column(String(96), primary_key=True)
    station: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    record_count: Mapped[int] = mapped_column(Integer)
    sm3: Mapped[str] = mapped_column(String(64))


class OutboxRecord(Base):
    """One finished job's registration record (回盘), as the exact line a batch carries."""

    __tablename__ = "iss_outbox"
    __table_args__ = (Index("ix_iss_outbox_pending", "station", "batch_id", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(ForeignKey("iss_jobs.job_id"), unique=True)
    station: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    record: Mapped[str] = mapped_column(Text)
    batch_id: Mapped[str | None] = mapped_column(
        ForeignKey("iss_outbox_batches.batch_id"), nullable=True
    )
