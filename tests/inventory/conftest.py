"""Fixtures for the stock-book tests: one real database per test, SQLite and PostgreSQL.

``db`` is parametrised over both back ends.  PostgreSQL comes from the project's own
``scripts/pg-start.sh``; each test gets a private schema (dropped afterwards) so tests never
see each other's rows.  In CI (``CI=true``) an unreachable PostgreSQL fails the test;
locally it is skipped.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, text

from station.inventory import Inventory, LocationKind, Role, make_engine, migrate
from station.inventory.samples import sample_manifest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PG_URL = os.environ.get(
    "STATION_TEST_PG_URL", "postgresql+psycopg://station:station@127.0.0.1:5432/station_test"
)


def _pg_ok(url: str) -> str:
    try:
        e = create_engine(url, connect_args={"connect_timeout": 3})
        with e.connect() as c:
            c.execute(text("SELECT 1"))
        e.dispose()
        return ""
    except Exception as exc:
        return str(exc).splitlines()[0]


@pytest.fixture(scope="session")
def pg_url() -> str:
    problem = _pg_ok(PG_URL)
    if problem:
        script = ROOT / "scripts" / "pg-start.sh"
        try:
            subprocess.run([str(script)], check=True, capture_output=True, timeout=180)
        except (OSError, subprocess.SubprocessError) as exc:
            problem = f"{problem}; pg-start.sh: {exc}"
        else:
            problem = _pg_ok(PG_URL)
    if problem:
        msg = f"PostgreSQL unavailable at {PG_URL}: {problem}"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    return PG_URL


@dataclass
class Db:
    """A clean, migrated stock book; ``url``+``schema`` let child processes reconnect."""

    kind: str
    url: str
    schema: str | None
    engine: Engine

    def engine_again(self) -> Engine:
        return make_engine(self.url, schema=self.schema)


class Clock:
    """A hand-moved clock (UTC), so 'tomorrow' needs no waiting."""

    def __init__(self) -> None:
        self.t = dt.datetime(2030, 3, 10, 1, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.t

    def advance(self, **kw: float) -> None:
        self.t += dt.timedelta(**kw)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Db]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'inventory.sqlite3'}"
        engine = make_engine(url)
        migrate(engine)
        yield Db("sqlite", url, None, engine)
        engine.dispose()
        return
    url = request.getfixturevalue("pg_url")
    schema = f"t_{secrets.token_hex(6)}"
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = make_engine(url, schema=schema)
    try:
        migrate(engine)
        yield Db("postgres", url, schema, engine)
    finally:
        engine.dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(autouse=True)
def _private_station_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The CLI appends ledger heads to the station's witness file: a test's own, never the
    user's data directory.  Returns the witness file's path."""
    witness = tmp_path / "station-data" / "ledger-witness.txt"
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path / "station-data"))
    monkeypatch.setenv("STATION_WITNESS_FILE", str(witness))
    return witness


# each test user's password (a test value, never a real one); ``sign_in_all`` uses them
PASSWORDS = {
    name: f"{name}-Pw-{n}7x" for n, name in enumerate(("sup", "sup2", "t1", "t2", "aud", "tech"))
}
# argon2 at its lowest cost, for tests only: the station uses argon2's defaults (~0.13 s per
# hash here), which would add seconds to every test that sets up a book
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def sign_in_all(inv: Inventory) -> None:
    """Sign every test user in on ``inv`` (another process's or a fresh ``Inventory``)."""
    for name, password in PASSWORDS.items():
        inv.auth.sign_in(name, password)


def setup_book(inv: Inventory) -> None:
    """Users of every role (all signed in on ``inv`` with their own passwords), two banks,
    two makers, two drawers and a station."""
    inv.auth.hasher = FAST_HASHER
    inv.auth.bootstrap("sup", PASSWORDS["sup"])
    for name, role in (
        ("sup2", Role.SUPERVISOR),
        ("t1", Role.TELLER),
        ("t2", Role.TELLER),
        ("aud", Role.AUDITOR),
        ("tech", Role.TECHNICIAN),
    ):
        code = inv.add_user(name, role, by="sup")
        inv.auth.sign_in(name, code, new_password=PASSWORDS[name])
    for bank in ("ICBC", "CCB"):
        inv.add_bank(bank, by="sup")
    for maker in ("M01", "M02"):
        inv.add_manufacturer(maker, by="sup")
    inv.add_location("D1", LocationKind.DRAWER, owner="t1", by="sup")
    inv.add_location("D2", LocationKind.DRAWER, owner="t2", by="sup")
    inv.add_location("S1", LocationKind.STATION, by="sup")


@pytest.fixture
def inv(db: Db, clock: Clock) -> Inventory:
    i = Inventory(db.engine, clock=clock, tz=dt.UTC)
    setup_book(i)
    return i


@pytest.fixture
def stocked(inv: Inventory) -> Inventory:
    """20 ICBC + 10 CCB in the vault; 5 ICBC in D1 and 3 CCB in D1; D1 counted today."""
    inv.stock_in(sample_manifest(20, bank="ICBC", prefix="A1"), by="sup")
    inv.stock_in(sample_manifest(10, bank="CCB", manufacturer="M02", prefix="B2"), by="sup")
    inv.allocate("D1", 5, bank="ICBC", by="sup")
    inv.allocate("D1", 3, bank="CCB", by="sup")
    r = inv.count("D1", by="t1", counted={"ICBC": 5, "CCB": 3})
    assert r.matched
    return inv


def ledger_len(inv: Inventory) -> int:
    return inv.status().ledger_rows


def raw(db: Db, sql: str, **params: Any) -> Any:
    with db.engine.begin() as c:
        return c.execute(text(sql), params)
