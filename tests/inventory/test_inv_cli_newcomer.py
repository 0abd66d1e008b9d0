"""A newcomer's first hour with ``station inventory`` (issue 9): the README flow from
make-blanks to stock-in, setup commands that say what happened, lists, settings instead of
guessed flags, and file errors that end in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from station.emulator.blanks import make_blanks
from station.inventory import Inventory

from .conftest import Db
from .test_inv_reports_cli import _url, cli


def test_stock_in_takes_bank_and_maker_from_the_manifest(
    inv: Inventory,
    db: Db,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    blanks = tmp_path / "blanks"
    made = make_blanks("gen3-sm4-blank", 3, blanks)  # names the profile's bank and maker
    bank, maker = made[0].bank, made[0].manufacturer
    u = ["-u", "sup", *_url(db)]
    stock_in = ["inventory", "stock-in", "--manifest", str(blanks / "manifest.csv"), *u]
    capsys.readouterr()
    assert cli(monkeypatch, stock_in) == 2  # the bank is not registered yet: one clear line
    err = capsys.readouterr().err
    assert f"unknown bank: register it first with `station inventory bank add CODE '{bank}'`" in err
    assert "batch is None" not in err and len(err.strip().splitlines()) <= 3
    assert cli(monkeypatch, ["inventory", "bank", "add", "SZ", bank, *u]) == 0
    assert cli(monkeypatch, ["inventory", "manufacturer", "add", "CF", maker, *u]) == 0
    capsys.readouterr()
    assert cli(monkeypatch, stock_in) == 0
    out = capsys.readouterr().out
    assert "batch #" in out and "3 cards, SZ/CF" in out
    assert {(b.bank, b.manufacturer) for b in inv.blanks()} == {("SZ", "CF")}
    assert inv.verify_ledger().ok


def test_bank_add_twice_says_it_exists(
    inv: Inventory, db: Db, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    u = ["-u", "sup", *_url(db)]
    assert cli(monkeypatch, ["inventory", "bank", "add", "BOC", "中国银行", *u]) == 0
    assert "bank added: BOC" in capsys.readouterr().out
    assert cli(monkeypatch, ["inventory", "bank", "add", "BOC", "中国银行", *u]) == 0
    out = capsys.readouterr().out
    assert "bank exists" in out and "added" not in out


def test_user_bank_and_location_lists(
    inv: Inventory, db: Db, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from station.cli import main

    u = _url(db)
    capsys.readouterr()
    assert main(["inventory", "user", "list", *u]) == 0
    users = capsys.readouterr().out.splitlines()
    assert users[0].startswith("用户 user") and "t1\tteller" in "\n".join(users)
    assert len(users) == 1 + 6
    assert main(["inventory", "bank", "list", *u]) == 0
    assert [ln.split("\t")[0] for ln in capsys.readouterr().out.splitlines()[1:]] == [
        "CCB",
        "ICBC",
    ]
    assert main(["inventory", "location", "list", *u]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert "D1\tdrawer\tt1\t" in rows and {r.split("\t")[0] for r in rows} == {
        "D1",
        "D2",
        "S1",
        "VAULT",
        "REJECT",
    }


def test_operator_and_database_come_from_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No --db, no -u: the settings (here STATION_DB_URL as a plain path, STATION_OPERATOR)
    name the book and the acting operator."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STATION_DB_URL", "stock.db")  # a plain path, not a URL
    monkeypatch.delenv("STATION_USER", raising=False)
    boss = ["boss-Pw-9x"]
    assert cli(monkeypatch, ["inventory", "init", "--supervisor", "boss"], boss) == 0
    assert (tmp_path / "stock.db").is_file()
    monkeypatch.setenv("STATION_OPERATOR", "boss")
    capsys.readouterr()
    assert cli(monkeypatch, ["inventory", "bank", "add", "ICBC"], boss) == 0
    assert "bank added: ICBC" in capsys.readouterr().out
    monkeypatch.setenv("STATION_OPERATOR", "nobody")
    assert cli(monkeypatch, ["inventory", "bank", "add", "CCB", "-u", "boss"], boss) == 0
    # --db takes a plain path too
    other = tmp_path / "sub" / "other.db"
    assert main_ok(["inventory", "init", "--db", os.path.relpath(other, tmp_path)])
    assert other.is_file()


def main_ok(argv: list[str]) -> bool:
    from station.cli import main

    return main(argv) == 0


def test_report_to_an_unwritable_path_is_one_line(
    stocked: Inventory, db: Db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``report --out`` where the file cannot be: below a regular file (no folder can be
    made there, even by root) or a folder itself — one line, non-zero, nothing written."""
    from station.cli import main

    not_a_folder = tmp_path / "plain-file"
    not_a_folder.write_text("x", encoding="utf-8")
    capsys.readouterr()
    for fmt in ("pdf", "csv"):
        for out in (not_a_folder / f"x.{fmt}", tmp_path):
            argv = ["inventory", "report", "--format", fmt, "--out", str(out)]
            assert main([*argv, *_url(db)]) != 0
            err = capsys.readouterr().err
            assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
            assert out.name in err or out.parent.name in err  # names what is wrong
    assert not_a_folder.read_text(encoding="utf-8") == "x"


def test_table_report_with_out_writes_the_file(
    stocked: Inventory, db: Db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``report --out r.txt`` in the default table format writes the table there (it once
    said "written" and wrote nothing)."""
    from station.cli import main

    out = tmp_path / "r.txt"
    assert main(["inventory", "report", "--out", str(out), *_url(db)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "daily balance" in text and len(text.splitlines()) > 2
    assert out.stat().st_mode & 0o077 == 0
    assert f"written: {out}" in capsys.readouterr().err
