"""Shared set-up for the journal and outbox tests: the stock book's two-backend fixtures
(``tests/inventory/conftest.py``), a stocked book, applications, and a job driven along the
state table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from station.codecs.validators import citizen_id_check
from station.inventory import Inventory, State
from station.issuance.application import Application, application_from
from station.issuance.journal import ChipData, Issue, JobInfo, Journal, Release, Reserve, Spoil
from station.issuance.states import HAPPY_PATH, JobState, Step, WasteCause
from tests.inventory.conftest import (  # noqa: F401  (fixtures pytest finds by name)
    FAST_HASHER,
    PASSWORDS,
    Clock,
    Db,
    _private_station_files,
    clock,
    db,
    pg_url,
    setup_book,
    sign_in_all,
)
from tests.inventory.conftest import inv as inv
from tests.inventory.conftest import stocked as stocked

STATION = "ST01"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100 + b"\xff\xd9"
ATR_HIST = bytes.fromhex("0086415A4B424A30303031")


def ssn_for(born: dt.date, serial: int) -> str:
    first17 = f"440305{born:%Y%m%d}{serial % 1000:03d}"
    return first17 + citizen_id_check(first17)


def application(
    n: int, *, bank: str = "ICBC", serial: int | None = None, **over: Any
) -> Application:
    """Application ``APP-<n>`` of a distinct adult (``serial`` picks another person)."""
    born = dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 28)
    s = ssn_for(born, 101 + 2 * (n if serial is None else serial))  # odd: a man
    values: dict[str, Any] = {
        "application_id": f"APP-{n:04d}",
        "ssn": s,
        "name": "测试申请人",
        "sex": "1",
        "ethnicity": "01",
        "birthplace": "440305",
        "birth_date": born.isoformat(),
        "bank": bank,
        "photo": JPEG,
    }
    values.update(over)
    return application_from(values, received=dt.date(2030, 3, 10))


def free_blank(inv: Inventory, bank: str = "ICBC", location: str = "D1") -> str:
    """A blank of ``bank`` in ``location`` nobody holds (what the next chip would name)."""
    return inv.blanks(location=location, state=State.IN_DRAWER, bank=bank)[0].card_number


def chip_of(inv: Inventory, job: JobInfo) -> ChipData:
    assert job.card_number is not None
    b = inv.blank(job.card_number)
    return ChipData(b.card_number, b.card_id_code, ATR_HIST)


def drive(journal: Journal, job_id: str, until: JobState, *, card: str | None = None) -> JobInfo:
    """Advance ``job_id`` along the happy path until it reaches ``until``."""
    inv = journal.inv
    info = journal.job(job_id)
    for step in HAPPY_PATH:
        if info.state is until:
            break
        if info.state is JobState.COMPLETED:
            break
        if step.value != _next_step(info.state).value:
            continue
        action: Reserve | Issue | None = None
        if step is Step.RESERVE:
            action = Reserve(card or free_blank(inv, info.bank))
        elif step is Step.ISSUE:
            action = Issue(chip_of(inv, info))
        info = journal.advance(job_id, step, detail=f"test {step.value}", inventory_action=action)
    assert info.state is until, (info.state, until)
    return info


def _next_step(state: JobState) -> Step:
    from station.issuance.states import TRANSITIONS

    for step in HAPPY_PATH:
        if state in TRANSITIONS[step][0]:
            return step
    raise AssertionError(state)


def race_for_applications(args: tuple[str, str | None, list[int], Any, Any]) -> list[str]:
    """One station process creating jobs for ``numbers``, each start held at a barrier
    shared with the other racer; returns job ids or ``refused:<error>``."""
    url, schema, numbers, barrier, _ = args
    from station.issuance.journal import DuplicateJob

    inv = Inventory(url, schema=schema)
    inv.auth.sign_in("t1", PASSWORDS["t1"])
    journal = Journal(inv, station=STATION)
    outcome = []
    try:
        for n in numbers:
            app = application(n)
            barrier.wait(timeout=60)
            try:
                outcome.append(journal.create(app, "t1").job_id)
            except DuplicateJob as exc:
                outcome.append("refused:" + type(exc).__name__)
    finally:
        inv.engine.dispose()
    return outcome


@pytest.fixture
def journal(stocked: Inventory) -> Journal:
    return Journal(stocked, station=STATION)


__all__ = [
    "ATR_HIST",
    "STATION",
    "Db",
    "Release",
    "Spoil",
    "WasteCause",
    "application",
    "chip_of",
    "drive",
    "free_blank",
    "journal",
]
