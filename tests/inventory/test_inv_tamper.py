"""Hand edits of the book are found: the replay compares every blank both ways, and the
ledger head witnessed outside the database exposes a cut tail or a re-hashed ledger.

The attacker here has the database owner's rights (foreign keys off or dropped, any row
rewritten, the chain re-hashed and the head row fixed) but not the witness file.
"""

from __future__ import annotations

import io
import stat
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, delete, insert, select, text, update

from station.cli import main
from station.inventory import Inventory
from station.inventory.ledger import GENESIS, chain_hash
from station.inventory.models import Blank, LedgerHead, LedgerRow
from station.inventory.samples import sample_manifest
from station.inventory.witness import read as read_witness

from .conftest import PASSWORDS, Db, raw

_L = LedgerRow.__table__
_B = Blank.__table__
_H = LedgerHead.__table__


def _history(inv: Inventory) -> None:
    """A small book with every kind of movement, then the day's head witnessed."""
    inv.stock_in(sample_manifest(6, bank="ICBC", prefix="T1"), by="sup")
    inv.stock_in(sample_manifest(4, bank="CCB", manufacturer="M02", prefix="T2"), by="sup")
    inv.allocate("D1", 4, bank="ICBC", by="sup")
    inv.allocate("D1", 2, bank="CCB", by="sup")
    assert inv.count("D1", by="t1", counted={"ICBC": 9, "CCB": 5}).matched  # with stocked's
    a = inv.reserve("D1", "ICBC", "j1", by="t1")
    inv.issue(a.card_number, "j1", by="t1")
    b = inv.reserve("D1", "ICBC", "j2", by="t1")
    inv.spoil(b.card_number, "bad print", by="t1")
    c = inv.reserve("D1", "CCB", "j3", by="t1")
    inv.release(c.card_number, by="t1", job_id="j3")
    inv.reserve("D1", "CCB", "j4", by="t1")


def _attacker(db: Db) -> Engine:
    """The database owner's own connection, foreign keys not in the way."""
    if db.kind == "sqlite":
        return create_engine(db.url)  # a plain pysqlite connection: foreign keys are off
    with db.engine.begin() as c:
        for table, fk in (
            ("inv_ledger", "fk_inv_ledger_blank_id_inv_blanks"),
            ("inv_count_differences", "fk_inv_count_differences_blank_id_inv_blanks"),
        ):
            c.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {fk}"))
    return db.engine


def _rehash(c: Any) -> None:
    """Renumber the ledger 1..n, recompute every hash and fix the head row: the chain then
    verifies on its own."""
    rows = [dict(r._mapping) for r in c.execute(select(_L).order_by(_L.c.seq))]
    prev = GENESIS
    for n, r in enumerate(rows, start=1):
        r["seq"] = n
        r["hash"] = prev = chain_hash(prev, r)
    c.execute(delete(_L))
    if rows:
        c.execute(insert(_L), rows)
    c.execute(update(_H).where(_H.c.id == 1).values(last_seq=len(rows), last_hash=prev))


def _fix_head(c: Any) -> None:
    last = c.execute(select(_L.c.seq, _L.c.hash).order_by(_L.c.seq.desc()).limit(1)).first()
    seq, h = (last.seq, bytes(last.hash)) if last else (0, GENESIS)
    c.execute(update(_H).where(_H.c.id == 1).values(last_seq=seq, last_hash=h))


KINDS = ("delete_blank", "edit_blank", "insert_blank", "delete_ledger", "edit_ledger", "truncate")
BLANK_EDITS = {
    "state": lambda v: "ISSUED" if v != "ISSUED" else "IN_VAULT",
    "location": lambda v: "D2" if v != "D2" else "VAULT",
    "job_id": lambda v: "forged-job",
    "card_number": lambda v: "Z00000001",
    "bank": lambda v: "CCB" if v != "CCB" else "ICBC",
}
LEDGER_EDITS = {
    "actor": lambda v: "forger",
    "reason": lambda v: "forged",
    "to_state": lambda v: "LOST" if v != "LOST" else "ISSUED",
    "to_location": lambda v: "D2" if v != "D2" else "VAULT",
    "card_number": lambda v: "Z00000002",
    "bank": lambda v: "CCB" if v != "CCB" else "ICBC",
}


def _tamper(c: Any, kind: str, cover: bool, pick: int, col: int) -> str:
    """Damage the book one way; ``cover``: then make the chain verify on its own again."""
    blanks = [dict(r._mapping) for r in c.execute(select(_B).order_by(_B.c.id))]
    seqs = [s for (s,) in c.execute(select(_L.c.seq).order_by(_L.c.seq))]
    b = blanks[pick % len(blanks)]
    if kind == "delete_blank":
        c.execute(delete(_B).where(_B.c.id == b["id"]))
        if cover:  # and every trace of it in the ledger
            c.execute(delete(_L).where(_L.c.blank_id == b["id"]))
            _rehash(c)
        return f"delete blank {b['card_number']} cover={cover}"
    if kind == "edit_blank":
        name = sorted(BLANK_EDITS)[col % len(BLANK_EDITS)]
        value = BLANK_EDITS[name](b[name])
        c.execute(update(_B).where(_B.c.id == b["id"]).values({name: value}))
        if cover and name in ("card_number", "bank"):
            c.execute(update(_L).where(_L.c.blank_id == b["id"]).values({name: value}))
            _rehash(c)
        elif cover:
            last = max(s for (s,) in c.execute(select(_L.c.seq).where(_L.c.blank_id == b["id"])))
            ledger_col = {"state": "to_state", "location": "to_location"}.get(name, name)
            c.execute(update(_L).where(_L.c.seq == last).values({ledger_col: value}))
            _rehash(c)
        return f"edit blank {b['card_number']}.{name}={value} cover={cover}"
    if kind == "insert_blank":
        forged = {**b, "id": max(x["id"] for x in blanks) + 1, "card_number": "Z00000003"}
        forged["card_id_code"] = "F" * 32
        c.execute(insert(_B).values(forged))
        return "insert a blank the ledger never named"
    seq = seqs[pick % len(seqs)]
    if kind == "delete_ledger":
        c.execute(delete(_L).where(_L.c.seq == seq))
        if cover:
            _rehash(c)
        return f"delete ledger row {seq} cover={cover}"
    if kind == "edit_ledger":
        name = sorted(LEDGER_EDITS)[col % len(LEDGER_EDITS)]
        old = c.execute(select(_L.c[name]).where(_L.c.seq == seq)).scalar()
        c.execute(update(_L).where(_L.c.seq == seq).values({name: LEDGER_EDITS[name](old)}))
        if cover:
            _rehash(c)
        return f"edit ledger row {seq}.{name} cover={cover}"
    k = 1 + pick % min(5, len(seqs))
    c.execute(delete(_L).where(_L.c.seq > seqs[-1] - k))
    if cover:
        _fix_head(c)
    return f"truncate the last {k} rows cover={cover}"


class _Snapshot:
    """The three tables an attacker touches, saved once and put back before each example."""

    def __init__(self, engine: Engine) -> None:
        with engine.connect() as c:
            self.blanks = [dict(r._mapping) for r in c.execute(select(_B))]
            self.ledger = [dict(r._mapping) for r in c.execute(select(_L))]
            self.head = dict(c.execute(select(_H)).one()._mapping)

    def restore(self, engine: Engine) -> None:
        with engine.begin() as c:
            c.execute(delete(_L))
            c.execute(delete(_B))
            c.execute(insert(_B), self.blanks)
            c.execute(insert(_L), self.ledger)
            c.execute(update(_H).where(_H.c.id == 1).values(self.head))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(KINDS),
    cover=st.booleans(),
    pick=st.integers(0, 10_000),
    col=st.integers(0, 100),
)
def test_any_damage_is_reported(
    stocked: Inventory, db: Db, tmp_path: Path, kind: str, cover: bool, pick: int, col: int
) -> None:
    witness = tmp_path / "witness.txt"
    if not hasattr(stocked, "_snapshot"):  # first example: build the history once
        _history(stocked)
        stocked.witness(witness)
        assert stocked.verify_ledger(witness=witness).ok
        stocked._snapshot = _Snapshot(db.engine)  # type: ignore[attr-defined]
        stocked._attacker = _attacker(db)  # type: ignore[attr-defined]
    snap: _Snapshot = stocked._snapshot  # type: ignore[attr-defined]
    snap.restore(db.engine)
    assert stocked.verify_ledger(witness=witness).ok
    with stocked._attacker.begin() as c:  # type: ignore[attr-defined]
        what = _tamper(c, kind, cover, pick, col)
    rep = stocked.verify_ledger(witness=witness)
    assert not rep.ok, what
    if cover and kind in ("delete_ledger", "edit_ledger", "truncate"):
        assert rep.witness_problems, what  # the chain alone verifies: the witness finds it


def test_a_deleted_blank_row_is_missing(stocked: Inventory, db: Db) -> None:
    """Audit finding 1: a card deleted from inv_blanks used to pass verify-ledger."""
    card = stocked.blanks(location="D1")[0].card_number
    with _attacker(db).begin() as c:
        c.execute(delete(_B).where(_B.c.card_number == card))
    rep = stocked.verify_ledger()
    assert rep.first_bad_seq is None and not rep.ok
    assert [m for m in rep.mismatches if card in m and "missing" in m]


def _cli_db(db: Db) -> list[str]:
    if db.schema:
        return ["--db", f"{db.url}?options=-csearch_path%3D{db.schema}"]
    return ["--db", db.url]


def test_reports_print_and_witness_the_head(
    stocked: Inventory,
    db: Db,
    _private_station_files: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    witness = _private_station_files
    head = stocked.status().ledger_head
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORDS["t1"] + "\n"))
    argv = ["count", "--location", "D1", "--counted", "ICBC=5", "CCB=3", "-u", "t1"]
    assert main(["inventory", *argv, "--password-stdin", *_cli_db(db)]) == 0
    assert head in capsys.readouterr().out
    assert main(["inventory", "report", "--kind", "balance", *_cli_db(db)]) == 0
    assert f"{stocked.status().ledger_rows} rows, SM3 {head}" in capsys.readouterr().out
    lines = read_witness(witness)
    assert [(w.rows, w.head) for w in lines] == [(stocked.status().ledger_rows, head)] * 2
    assert stat.S_IMODE(witness.stat().st_mode) == 0o600


def test_cli_verify_ledger_with_witness_finds_a_rehashed_ledger(
    stocked: Inventory, db: Db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    witness = tmp_path / "w.txt"
    stocked.witness(witness)
    u = _cli_db(db)
    assert main(["inventory", "verify-ledger", "--witness", str(witness), *u]) == 0
    assert "1 witnessed heads found" in capsys.readouterr().out
    raw(db, "UPDATE inv_ledger SET actor = 'forger' WHERE seq = 3")
    with _attacker(db).begin() as c:
        _rehash(c)
    assert main(["inventory", "verify-ledger", *u]) == 0  # the chain alone is fooled
    capsys.readouterr()
    assert main(["inventory", "verify-ledger", "--witness", str(witness), *u]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and "witnessed head" in err[0] and "Traceback" not in captured.err
    assert "ledger rewritten" in captured.out
