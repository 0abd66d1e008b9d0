"""Reserving is atomic across processes: real processes, real database, no duplicates."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from station.inventory import Inventory, State
from station.inventory.models import Blank
from station.inventory.samples import sample_manifest
from station.inventory.stress import run_reservers

from .conftest import PASSWORDS, Db, setup_book


@pytest.mark.slow
def test_parallel_reservations_never_share_a_blank(db: Db) -> None:
    processes = 8 if db.kind == "postgres" else 4
    per = 500
    total = processes * per
    spare = 200
    inv = Inventory(db.engine)  # real clock: the workers use it too
    setup_book(inv)
    inv.stock_in(sample_manifest(total + spare, prefix="P7"), by="sup")
    inv.allocate("S1", total + spare, bank="ICBC", by="sup")
    assert inv.count("S1", by="sup", counted={"ICBC": total + spare}).matched

    results, _seconds = run_reservers(
        db.url,
        schema=db.schema,
        location="S1",
        bank="ICBC",
        processes=processes,
        per_process=per,
        by="t1",
        password=PASSWORDS["t1"],
    )
    cards = [c for r in results for c in r]
    assert len(cards) == total
    assert len(set(cards)) == total, Counter(cards).most_common(3)

    with db.engine.connect() as c:
        reserved = c.execute(
            select(func.count(), func.count(func.distinct(Blank.job_id))).where(
                Blank.state == State.RESERVED.value
            )
        ).one()
    assert tuple(reserved) == (total, total)
    assert len(inv.blanks(location="S1", state=State.IN_DRAWER)) == spare
    rep = inv.verify_ledger()
    assert rep.ok, (rep.problem, rep.mismatches[:3])
    rows = {(r.location, r.bank): r for r in inv.balance(dt.date.today())}
    rows |= {(r.location, r.bank): r for r in inv.balance()}
    assert all(r.balanced for r in rows.values())
    assert rows[("S1", "ICBC")].closing == total + spare  # reserved blanks are still held there
