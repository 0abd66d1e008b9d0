"""Engines and schema migration for the stock book.

Why the SQLite set-up: many processes (several stations on one PC, the CLI, the UI) share
one file.  WAL lets readers run beside a writer, and every *write* transaction starts with
``BEGIN IMMEDIATE`` so the write lock is taken up front — two writers can then never both
read the same free blank and both take it, and the ledger's hash chain grows one append at a
time.  Read-only work (reports, verification) begins a deferred transaction so it never
blocks the counter.  On PostgreSQL the same guarantees come from row locks
(``FOR UPDATE SKIP LOCKED`` on blanks, ``FOR UPDATE`` on the ledger head row).

The URL is the caller's: ``Settings.db_url`` (``station.config``, which alone reads the
environment and names the one default file, ``config.DB_FILE``) or ``--db``.  ``schema``
(PostgreSQL only) puts everything in one schema via ``search_path`` — tests use it to give
each test a clean, private schema.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from station.fsutil import create_private
from station.inventory.errors import InventoryError

if TYPE_CHECKING:
    from alembic.config import Config

READ_ONLY = "station_read_only"
LOCK_WAIT = 60.0  # s a writer waits for another's write lock before giving up
_BUSY_MS = int(LOCK_WAIT * 1000)
_LOCK_TRY_MS = 100  # one try at the write lock: how soon Ctrl-C is seen while waiting
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, schema: str | None = None, **kw: Any) -> Engine:
    """An engine set up for the stock book's locking rules (see the module docstring)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        db = u.database or ""
        if db and db != ":memory:" and not db.startswith("file:"):
            # the book is created 0600 (folder 0700) before SQLite opens it, and never
            # through a symlink; SQLite gives its -wal/-shm files the book's own mode
            create_private(Path(db).expanduser(), error=InventoryError)
        connect_args = dict(kw.pop("connect_args", {}))
        connect_args.setdefault("timeout", LOCK_WAIT)
        connect_args.setdefault("check_same_thread", False)
        engine = create_engine(url, connect_args=connect_args, **kw)
        _sqlite_events(engine)
        return engine
    if u.get_backend_name() == "postgresql":
        connect_args = dict(kw.pop("connect_args", {}))
        if schema:
            if not _SCHEMA_RE.match(schema):
                raise InventoryError(
                    "数据库模式名称无效 (invalid schema name)", detail=repr(schema)
                )
            connect_args["options"] = f"-c search_path={schema}"
        kw.setdefault("pool_pre_ping", True)
        return create_engine(url, connect_args=connect_args, **kw)
    raise InventoryError(
        "不支持的数据库类型 (unsupported database: use SQLite or PostgreSQL)",
        detail=u.get_backend_name(),
    )


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        # take transaction control away from the sqlite3 module so we can say BEGIN IMMEDIATE
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={_BUSY_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            conn.exec_driver_sql("BEGIN")
        else:
            _begin_immediate(conn)


def _begin_immediate(conn: Any) -> None:
    """``BEGIN IMMEDIATE``, waiting up to ``LOCK_WAIT`` for another writer's lock.

    Why in short tries: SQLite's own wait (``busy_timeout``) sleeps inside one C call, and
    Python runs a Ctrl-C handler only when that call returns, so a 60 s wait could not be
    interrupted.  Tries of ``_LOCK_TRY_MS`` give Python control that often (SIGINT then
    ends the command at once); the total wait is unchanged."""
    raw = conn.connection.dbapi_connection
    deadline = time.monotonic() + LOCK_WAIT
    raw.execute(f"PRAGMA busy_timeout={_LOCK_TRY_MS}")
    try:
        while time.monotonic() < deadline:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if exc.sqlite_errorcode & 0xFF not in _BUSY_CODES:
                    break
        # the last try through SQLAlchemy: its error is what the callers turn into a message
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    finally:
        raw.execute(f"PRAGMA busy_timeout={_BUSY_MS}")


def alembic_config(engine: Engine) -> Config:
    # imported here: Alembic costs a third of a second at every start of the station, and
    # only a migration needs it
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (creates everything on an empty database)."""
    from alembic import command

    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
