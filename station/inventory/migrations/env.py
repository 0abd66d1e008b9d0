"""Alembic environment: uses the connection handed over by ``db.migrate`` when there is one
(so the same engine set-up — WAL, ``BEGIN IMMEDIATE``, ``search_path`` — applies), else the
URL in the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from station.inventory.models import metadata

config = context.config


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    conn = config.attributes.get("connection")
    if conn is not None:
        _run(conn)
    else:
        engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as c:
            _run(c)
