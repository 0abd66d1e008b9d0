"""Tamper evidence: a hand edit of the ledger is found and the row is named."""

from __future__ import annotations

import pytest

from station.cli import main
from station.inventory import Inventory

from .conftest import Db, raw


def _busy(inv: Inventory) -> None:
    b = inv.reserve("D1", "ICBC", "j1", by="t1")
    inv.issue(b.card_number, "j1", by="t1")


def test_untouched_ledger_verifies(stocked: Inventory) -> None:
    _busy(stocked)
    rep = stocked.verify_ledger()
    assert rep.ok and rep.rows == stocked.status().ledger_rows == 40


@pytest.mark.parametrize("column", ["actor", "reason", "to_location"])
def test_raw_update_of_one_row_is_named(stocked: Inventory, db: Db, column: str) -> None:
    _busy(stocked)
    raw(db, f"UPDATE inv_ledger SET {column} = 'forged' WHERE seq = 17")
    rep = stocked.verify_ledger()
    assert not rep.ok and rep.first_bad_seq == 17
    assert "17" in rep.problem


def test_recomputed_hash_still_breaks_the_next_row(stocked: Inventory, db: Db) -> None:
    from sqlalchemy import select, text

    from station.inventory.ledger import chain_hash
    from station.inventory.models import LedgerRow

    _busy(stocked)
    t = LedgerRow.__table__
    with db.engine.begin() as c:
        prev = c.execute(select(t.c.hash).where(t.c.seq == 9)).scalar_one()
        row = dict(c.execute(select(t).where(t.c.seq == 10)).one()._mapping)
        row["actor"] = "forger"
        c.execute(
            text("UPDATE inv_ledger SET actor = 'forger', hash = :h WHERE seq = 10"),
            {"h": chain_hash(bytes(prev), row)},
        )
    rep = stocked.verify_ledger()
    assert rep.first_bad_seq == 11


def test_deleted_tail_row_is_found(stocked: Inventory, db: Db) -> None:
    _busy(stocked)
    raw(db, "DELETE FROM inv_ledger WHERE seq = 40")
    rep = stocked.verify_ledger()
    assert not rep.ok and rep.first_bad_seq == 40


def test_state_edited_behind_the_ledger_is_found(stocked: Inventory, db: Db) -> None:
    card = stocked.blanks(location="D1")[0].card_number
    raw(db, "UPDATE inv_blanks SET state = 'ISSUED' WHERE card_number = :c", c=card)
    rep = stocked.verify_ledger()
    assert rep.first_bad_seq is None and not rep.ok
    assert rep.mismatches and card in rep.mismatches[0]


def test_cli_verify_ledger_names_the_row(
    stocked: Inventory, db: Db, capsys: pytest.CaptureFixture[str]
) -> None:
    url = ["--db", db.url]
    if db.schema:  # the CLI has no schema option: point search_path at the test schema
        url = ["--db", f"{db.url}?options=-csearch_path%3D{db.schema}"]
    assert main(["inventory", "verify-ledger", *url]) == 0
    raw(db, "UPDATE inv_ledger SET job_id = 'x' WHERE seq = 23")
    assert main(["inventory", "verify-ledger", *url]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "23" in err[0]


def test_verify_ledger_raises_ledger_tampered(stocked: Inventory, db: Db) -> None:
    """Issue 10 #6: ``LedgerTampered`` is what verify-ledger raises, with its own code."""
    from station.cli import build_parser
    from station.errors import ErrorCode
    from station.inventory import LedgerTampered

    url = db.url if not db.schema else f"{db.url}?options=-csearch_path%3D{db.schema}"
    args = build_parser().parse_args(["inventory", "verify-ledger", "--db", url])
    assert args.func(args) == 0
    raw(db, "UPDATE inv_ledger SET actor = 'forged' WHERE seq = 5")
    with pytest.raises(LedgerTampered) as err:
        args.func(args)
    assert err.value.code == ErrorCode.LEDGER_TAMPERED and "seq=5" in err.value.detail
