"""The instant-issue job's journal and the registration outbox (issue 11, items 2, 3, 7).

``iss_jobs`` holds each job's state now; ``iss_journal`` its steps, append-only;
``iss_outbox`` one registration record per finished job and ``iss_outbox_batches`` the
batch files they were exported in.  Exactly once is the partial unique index
``uq_iss_jobs_live_application``: one job per application that has not ended failed or
cancelled (SQLite and PostgreSQL both support partial indexes).

The values of the CHECK constraints are copied here, not imported: a migration describes
the schema as it was at this revision (and this layer may not import ``station.issuance``).
A test compares the migrated database with ``station.issuance.models``.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_STATES = (
    "created",
    "feeding",
    "at_contacts",
    "reserved",
    "writing",
    "written",
    "pin_set",
    "printing",
    "printed",
    "ejecting",
    "ejected",
    "issued",
    "completed",
    "makeup_pending",
    "failed",
    "cancelled",
)
_STEPS = (
    "create",
    "feed",
    "at_contacts",
    "reserve",
    "write",
    "written",
    "set_pin",
    "print",
    "printed",
    "eject",
    "ejected",
    "issue",
    "register",
    "makeup_needed",
    "fail",
    "cancel",
)
_CAUSES = (
    "print_fault",
    "lamination",
    "punching",
    "damaged_blank",
    "chip_write_fault",
    "wrong_blank",
    "jam",
    "power_loss",
    "operator_cancel",
)
_LIVE = "state NOT IN ('failed', 'cancelled')"


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def upgrade() -> None:
    op.create_table(
        "iss_outbox_batches",
        sa.Column("batch_id", sa.String(length=96), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("sm3", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", name=op.f("pk_iss_outbox_batches")),
    )
    op.create_table(
        "iss_jobs",
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("application_id", sa.String(length=40), nullable=False),
        sa.Column("ssn", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("bank", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("media_sm3", sa.String(length=64), nullable=False),
        sa.Column("application_sm3", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("card_number", sa.String(length=9), nullable=True),
        sa.Column("card_id_code", sa.String(length=32), nullable=True),
        sa.Column("atr_historical", sa.String(length=64), nullable=True),
        sa.Column("retry_of", sa.String(length=64), nullable=True),
        sa.Column("cause", sa.String(length=24), nullable=True),
        sa.Column("made_up", sa.Boolean(), nullable=False),
        sa.Column("operator", sa.String(length=64), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "cause IS NULL OR " + _in("cause", _CAUSES), name=op.f("ck_iss_jobs_cause")
        ),
        sa.CheckConstraint(
            _in("reason", ("first", "replacement", "exchange")), name=op.f("ck_iss_jobs_reason")
        ),
        sa.CheckConstraint(_in("state", _STATES), name=op.f("ck_iss_jobs_state")),
        sa.ForeignKeyConstraint(
            ["bank"], ["inv_banks.code"], name=op.f("fk_iss_jobs_bank_inv_banks")
        ),
        sa.ForeignKeyConstraint(
            ["operator"], ["inv_users.username"], name=op.f("fk_iss_jobs_operator_inv_users")
        ),
        sa.ForeignKeyConstraint(
            ["retry_of"], ["iss_jobs.job_id"], name=op.f("fk_iss_jobs_retry_of_iss_jobs")
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_iss_jobs")),
    )
    with op.batch_alter_table("iss_jobs", schema=None) as batch_op:
        batch_op.create_index("ix_iss_jobs_application", ["application_id", "created_at"])
        batch_op.create_index("ix_iss_jobs_card", ["card_number"])
        batch_op.create_index("ix_iss_jobs_state", ["state", "updated_at"])
        batch_op.create_index(
            "uq_iss_jobs_live_application",
            ["application_id"],
            unique=True,
            sqlite_where=sa.text(_LIVE),
            postgresql_where=sa.text(_LIVE),
        )
        batch_op.create_index(
            "uq_iss_jobs_live_retry",
            ["retry_of"],
            unique=True,
            sqlite_where=sa.text("retry_of IS NOT NULL AND " + _LIVE),
            postgresql_where=sa.text("retry_of IS NOT NULL AND " + _LIVE),
        )
    op.create_table(
        "iss_journal",
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            _in("kind", ("intent", "result", "refused")), name=op.f("ck_iss_journal_kind")
        ),
        sa.CheckConstraint(_in("state", _STATES), name=op.f("ck_iss_journal_state")),
        sa.CheckConstraint(_in("step", _STEPS), name=op.f("ck_iss_journal_step")),
        sa.ForeignKeyConstraint(
            ["job_id"], ["iss_jobs.job_id"], name=op.f("fk_iss_journal_job_id_iss_jobs")
        ),
        sa.PrimaryKeyConstraint("job_id", "seq", name=op.f("pk_iss_journal")),
    )
    with op.batch_alter_table("iss_journal", schema=None) as batch_op:
        batch_op.create_index("ix_iss_journal_at", ["at"])
    op.create_table(
        "iss_outbox",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.String(length=96), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["iss_outbox_batches.batch_id"],
            name=op.f("fk_iss_outbox_batch_id_iss_outbox_batches"),
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["iss_jobs.job_id"], name=op.f("fk_iss_outbox_job_id_iss_jobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iss_outbox")),
        sa.UniqueConstraint("job_id", name=op.f("uq_iss_outbox_job_id")),
    )
    with op.batch_alter_table("iss_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_iss_outbox_pending", ["station", "batch_id", "id"])


def downgrade() -> None:
    op.drop_table("iss_outbox")
    op.drop_table("iss_journal")
    op.drop_table("iss_jobs")
    op.drop_table("iss_outbox_batches")
