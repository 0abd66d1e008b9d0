"""Initial stock-book schema, plus the rows every book starts with: the ledger head (the
genesis of the hash chain: sequence 0, 32 zero bytes), the vault, the reject box, and the
daily-count setting switched on.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inv_banks",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_inv_banks")),
    )
    op.create_table(
        "inv_ledger_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inv_ledger_head")),
    )
    op.create_table(
        "inv_manufacturers",
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_inv_manufacturers")),
    )
    op.create_table(
        "inv_settings",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_inv_settings")),
    )
    op.create_table(
        "inv_users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "role IN ('teller', 'supervisor', 'technician', 'auditor')",
            name=op.f("ck_inv_users_role"),
        ),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_inv_users")),
    )
    op.create_table(
        "inv_batches",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("bank", sa.String(length=16), nullable=False),
        sa.Column("manufacturer", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.String(length=64), nullable=False),
        sa.Column("manifest_name", sa.String(length=255), nullable=False),
        sa.Column("manifest_sm3", sa.String(length=64), nullable=False),
        sa.Column("card_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bank"], ["inv_banks.code"], name=op.f("fk_inv_batches_bank_inv_banks")
        ),
        sa.ForeignKeyConstraint(
            ["manufacturer"],
            ["inv_manufacturers.code"],
            name=op.f("fk_inv_batches_manufacturer_inv_manufacturers"),
        ),
        sa.ForeignKeyConstraint(
            ["received_by"],
            ["inv_users.username"],
            name=op.f("fk_inv_batches_received_by_inv_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inv_batches")),
    )
    op.create_table(
        "inv_destructions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("destroyed_by", sa.String(length=64), nullable=False),
        sa.Column("witness", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("card_count", sa.Integer(), nullable=False),
        sa.CheckConstraint("destroyed_by <> witness", name=op.f("ck_inv_destructions_two_people")),
        sa.ForeignKeyConstraint(
            ["destroyed_by"],
            ["inv_users.username"],
            name=op.f("fk_inv_destructions_destroyed_by_inv_users"),
        ),
        sa.ForeignKeyConstraint(
            ["witness"], ["inv_users.username"], name=op.f("fk_inv_destructions_witness_inv_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inv_destructions")),
    )
    op.create_table(
        "inv_locations",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("owner", sa.String(length=64), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.CheckConstraint(
            "kind IN ('vault', 'drawer', 'station', 'reject')", name=op.f("ck_inv_locations_kind")
        ),
        sa.ForeignKeyConstraint(
            ["owner"], ["inv_users.username"], name=op.f("fk_inv_locations_owner_inv_users")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_inv_locations")),
    )
    op.create_table(
        "inv_blanks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("bank", sa.String(length=16), nullable=False),
        sa.Column("manufacturer", sa.String(length=16), nullable=False),
        sa.Column("card_id_code", sa.String(length=32), nullable=False),
        sa.Column("card_number", sa.String(length=9), nullable=False),
        sa.Column("bank_account", sa.String(length=32), nullable=False),
        sa.Column("expiry", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("location", sa.String(length=64), nullable=True),
        sa.Column("job_id", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("moved_at", sa.DateTime(), nullable=False),
        sa.Column("destruction_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "state IN ('IN_VAULT', 'IN_DRAWER', 'RESERVED', 'ISSUED', 'SPOILED', "
            "'DESTROYED', 'RETURNED', 'LOST')",
            name=op.f("ck_inv_blanks_state"),
        ),
        sa.ForeignKeyConstraint(
            ["bank"], ["inv_banks.code"], name=op.f("fk_inv_blanks_bank_inv_banks")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["inv_batches.id"], name=op.f("fk_inv_blanks_batch_id_inv_batches")
        ),
        sa.ForeignKeyConstraint(
            ["destruction_id"],
            ["inv_destructions.id"],
            name=op.f("fk_inv_blanks_destruction_id_inv_destructions"),
        ),
        sa.ForeignKeyConstraint(
            ["location"], ["inv_locations.code"], name=op.f("fk_inv_blanks_location_inv_locations")
        ),
        sa.ForeignKeyConstraint(
            ["manufacturer"],
            ["inv_manufacturers.code"],
            name=op.f("fk_inv_blanks_manufacturer_inv_manufacturers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inv_blanks")),
        sa.UniqueConstraint("card_id_code", name=op.f("uq_inv_blanks_card_id_code")),
        sa.UniqueConstraint("card_number", name=op.f("uq_inv_blanks_card_number")),
    )
    with op.batch_alter_table("inv_blanks", schema=None) as batch_op:
        batch_op.create_index("ix_inv_blanks_job", ["job_id"], unique=False)
        batch_op.create_index(
            "ix_inv_blanks_pick", ["location", "bank", "state", "id"], unique=False
        )
        batch_op.create_index("ix_inv_blanks_state", ["state", "moved_at"], unique=False)

    op.create_table(
        "inv_counts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("location", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("submitted_by", sa.String(length=64), nullable=True),
        sa.Column("by_card", sa.Boolean(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=True),
        sa.Column("resolution", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "status IN ('OPEN', 'MATCHED', 'DISCREPANCY', 'RESOLVED')",
            name=op.f("ck_inv_counts_status"),
        ),
        sa.ForeignKeyConstraint(
            ["location"], ["inv_locations.code"], name=op.f("fk_inv_counts_location_inv_locations")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"],
            ["inv_users.username"],
            name=op.f("fk_inv_counts_resolved_by_inv_users"),
        ),
        sa.ForeignKeyConstraint(
            ["started_by"], ["inv_users.username"], name=op.f("fk_inv_counts_started_by_inv_users")
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["inv_users.username"],
            name=op.f("fk_inv_counts_submitted_by_inv_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inv_counts")),
    )
    with op.batch_alter_table("inv_counts", schema=None) as batch_op:
        batch_op.create_index("ix_inv_counts_loc", ["location", "status"], unique=False)

    op.create_table(
        "inv_count_differences",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("card_number", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("blank_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.CheckConstraint(
            "kind IN ('MISSING', 'EXTRA')", name=op.f("ck_inv_count_differences_kind")
        ),
        sa.ForeignKeyConstraint(
            ["blank_id"],
            ["inv_blanks.id"],
            name=op.f("fk_inv_count_differences_blank_id_inv_blanks"),
        ),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["inv_counts.id"],
            name=op.f("fk_inv_count_differences_count_id_inv_counts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inv_count_differences")),
    )
    with op.batch_alter_table("inv_count_differences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inv_count_differences_count_id"), ["count_id"], unique=False
        )

    op.create_table(
        "inv_count_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("count_id", sa.Integer(), nullable=False),
        sa.Column("bank", sa.String(length=16), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["count_id"], ["inv_counts.id"], name=op.f("fk_inv_count_lines_count_id_inv_counts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inv_count_lines")),
    )
    with op.batch_alter_table("inv_count_lines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inv_count_lines_count_id"), ["count_id"], unique=False)

    op.create_table(
        "inv_ledger",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ts", sa.DateTime(), nullable=False),
        sa.Column("blank_id", sa.Integer(), nullable=False),
        sa.Column("card_number", sa.String(length=9), nullable=False),
        sa.Column("bank", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("from_location", sa.String(length=64), nullable=True),
        sa.Column("to_location", sa.String(length=64), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("witness", sa.String(length=64), nullable=True),
        sa.Column("job_id", sa.String(length=64), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("ref", sa.String(length=64), nullable=True),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.CheckConstraint(
            "action IN ('STOCK_IN', 'ALLOCATE', 'RESERVE', 'RELEASE', 'ISSUE', 'SPOIL', "
            "'RETURN', 'DESTROY', 'LOST')",
            name=op.f("ck_inv_ledger_action"),
        ),
        sa.ForeignKeyConstraint(
            ["blank_id"], ["inv_blanks.id"], name=op.f("fk_inv_ledger_blank_id_inv_blanks")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_inv_ledger")),
    )
    with op.batch_alter_table("inv_ledger", schema=None) as batch_op:
        batch_op.create_index("ix_inv_ledger_blank", ["blank_id", "seq"], unique=False)
        batch_op.create_index("ix_inv_ledger_ts", ["ts"], unique=False)

    op.bulk_insert(
        sa.table(
            "inv_ledger_head",
            sa.column("id", sa.Integer()),
            sa.column("last_seq", sa.Integer()),
            sa.column("last_hash", sa.LargeBinary()),
        ),
        [{"id": 1, "last_seq": 0, "last_hash": bytes(32)}],
    )
    op.bulk_insert(
        sa.table(
            "inv_locations",
            sa.column("code", sa.String()),
            sa.column("kind", sa.String()),
            sa.column("owner", sa.String()),
            sa.column("name", sa.String()),
        ),
        [
            {"code": "VAULT", "kind": "vault", "owner": None, "name": "金库 vault"},
            {"code": "REJECT", "kind": "reject", "owner": None, "name": "废卡箱 reject box"},
        ],
    )
    op.bulk_insert(
        sa.table("inv_settings", sa.column("key", sa.String()), sa.column("value", sa.String())),
        [{"key": "require_daily_count", "value": "true"}],
    )


def downgrade() -> None:
    with op.batch_alter_table("inv_ledger", schema=None) as batch_op:
        batch_op.drop_index("ix_inv_ledger_ts")
        batch_op.drop_index("ix_inv_ledger_blank")

    op.drop_table("inv_ledger")
    with op.batch_alter_table("inv_count_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inv_count_lines_count_id"))

    op.drop_table("inv_count_lines")
    with op.batch_alter_table("inv_count_differences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inv_count_differences_count_id"))

    op.drop_table("inv_count_differences")
    with op.batch_alter_table("inv_counts", schema=None) as batch_op:
        batch_op.drop_index("ix_inv_counts_loc")

    op.drop_table("inv_counts")
    with op.batch_alter_table("inv_blanks", schema=None) as batch_op:
        batch_op.drop_index("ix_inv_blanks_state")
        batch_op.drop_index("ix_inv_blanks_pick")
        batch_op.drop_index("ix_inv_blanks_job")

    op.drop_table("inv_blanks")
    op.drop_table("inv_locations")
    op.drop_table("inv_destructions")
    op.drop_table("inv_batches")
    op.drop_table("inv_users")
    op.drop_table("inv_settings")
    op.drop_table("inv_manufacturers")
    op.drop_table("inv_ledger_head")
    op.drop_table("inv_banks")
