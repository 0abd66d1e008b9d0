"""Operator credentials and the authentication event book (issue 14 finding 11).

Users get an argon2id password hash (or a supervisor's one-time code while
``must_set_password``), a failure counter, a lock-out time and a credential version that
invalidates running sessions when a password changes or is reset.  ``inv_auth_events``
records every sign-in, failure, lock-out and password set/change/reset — never a secret.

Users that existed before this revision have no credentials (``must_set_password`` true,
no hash): nobody can sign in as them until the first supervisor is enrolled with
``station inventory init --supervisor NAME`` (allowed only while no user has credentials)
and resets the others' passwords, which hands each a one-time code.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_KINDS = (
    "SIGN_IN",
    "SIGN_IN_FAILED",
    "REFUSED_LOCKED",
    "LOCKED",
    "PASSWORD_REQUIRED",
    "PASSWORD_SET",
    "PASSWORD_CHANGED",
    "PASSWORD_RESET",
    "ONE_TIME_ISSUED",
    "SIGN_OUT",
)


def upgrade() -> None:
    with op.batch_alter_table("inv_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_hash", sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column("must_set_password", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("password_set_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("credential_version", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "inv_auth_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ts", sa.DateTime(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.CheckConstraint(
            "kind IN (" + ", ".join(repr(k) for k in _KINDS) + ")",
            name=op.f("ck_inv_auth_events_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inv_auth_events")),
    )
    with op.batch_alter_table("inv_auth_events", schema=None) as batch_op:
        batch_op.create_index("ix_inv_auth_events_user", ["username", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inv_auth_events", schema=None) as batch_op:
        batch_op.drop_index("ix_inv_auth_events_user")
    op.drop_table("inv_auth_events")
    with op.batch_alter_table("inv_users", schema=None) as batch_op:
        for column in (
            "credential_version",
            "locked_until",
            "failed_sign_ins",
            "password_set_at",
            "must_set_password",
            "password_hash",
        ):
            batch_op.drop_column(column)
