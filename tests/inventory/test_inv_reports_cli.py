"""Reports (CSV, PDF, spoiled/destroyed, idle) and the command line."""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import pytest

from station.cli import main
from station.inventory import Inventory
from station.inventory import reports as R
from station.inventory.samples import sample_cards, sample_manifest

from .conftest import PASSWORDS, Clock, Db


def test_balance_csv_and_pdf(stocked: Inventory, tmp_path: Path) -> None:
    rows = R.balance_table(stocked.balance())
    out = io.StringIO()
    R.write_csv(out, R.BALANCE_HEADER, rows)
    parsed = list(csv.reader(io.StringIO(out.getvalue())))
    assert parsed[0][1] == "位置 location"
    vault_icbc = next(r for r in parsed[1:] if r[1] == "VAULT" and r[2] == "ICBC")
    assert vault_icbc[3:12] == ["0", "20", "5", "0", "0", "0", "0", "0", "15"]
    pdf = tmp_path / "balance.pdf"
    R.write_pdf(pdf, "预制卡日结表 daily balance", R.BALANCE_HEADER, rows)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and b"STSong-Light" in data


def test_spoiled_destroyed_and_idle(stocked: Inventory, clock: Clock) -> None:
    b = stocked.reserve("D1", "ICBC", "j1", by="t1")
    stocked.spoil(b.card_number, "芯片写入失败 chip write failed", by="t1")
    stocked.destroy([b.card_number], by="sup", witness="aud")
    lines = R.spoiled_and_destroyed(stocked, stocked.today())
    assert [(x.action, x.card_number) for x in lines] == [
        ("SPOIL", b.card_number),
        ("DESTROY", b.card_number),
    ]
    assert lines[1].witness == "aud" and lines[0].job_id == "j1"
    assert R.idle_in_drawers(stocked, 3) == []
    clock.advance(days=5)
    idle = R.idle_in_drawers(stocked, 3)
    assert len(idle) == 7 and {i.location for i in idle} == {"D1"} and idle[0].days == 5


def _url(db: Db) -> list[str]:
    if db.schema:
        return ["--db", f"{db.url}?options=-csearch_path%3D{db.schema}"]
    return ["--db", db.url]


def cli(monkeypatch: pytest.MonkeyPatch, argv: list[str], lines: list[str] | None = None) -> int:
    """``main`` as a script runs it: ``--password-stdin`` with the acting user's password (or
    ``lines``) on stdin."""
    if lines is None:
        lines = [PASSWORDS[argv[argv.index("-u") + 1]]] if "-u" in argv else []
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
    return main([*argv, "--password-stdin"])


def test_cli_stock_in_refusal_is_line_numbered(
    inv: Inventory,
    db: Db,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(sample_manifest(3, prefix="K1"), encoding="utf-8")
    assert (
        cli(monkeypatch, ["inventory", "stock-in", "--manifest", str(good), "-u", "sup", *_url(db)])
        == 0
    )
    c = sample_cards(2, prefix="K2")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        sample_manifest(2, prefix="K2").replace(c[1].card_number, c[1].card_number[:8] + "Z"),
        encoding="utf-8",
    )
    capsys.readouterr()
    assert (
        cli(monkeypatch, ["inventory", "stock-in", "--manifest", str(bad), "-u", "sup", *_url(db)])
        == 2
    )
    err = capsys.readouterr().err
    assert "line 3:" in err and err.strip().splitlines()[-1].startswith("错误 error:")
    assert len(inv.blanks()) == 3


def test_cli_flow(
    inv: Inventory,
    db: Db,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    u = _url(db)
    m = tmp_path / "m.csv"
    m.write_text(sample_manifest(6, prefix="K3"), encoding="utf-8")
    assert cli(monkeypatch, ["inventory", "stock-in", "--manifest", str(m), "-u", "sup", *u]) == 0
    assert (
        cli(
            monkeypatch,
            [
                "inventory",
                "allocate",
                "--to",
                "D1",
                "--count",
                "4",
                "--bank",
                "ICBC",
                "-u",
                "sup",
                *u,
            ],
        )
        == 0
    )
    assert (
        cli(
            monkeypatch,
            [
                "inventory",
                "reserve",
                "--location",
                "D1",
                "--bank",
                "ICBC",
                "--job",
                "j",
                "-u",
                "t1",
                *u,
            ],
        )
        == 2
    )  # not counted today
    assert (
        cli(
            monkeypatch,
            ["inventory", "count", "--location", "D1", "--counted", "ICBC=3", "-u", "t1", *u],
        )
        == 1
    )  # discrepancy
    out = capsys.readouterr().out
    count_id = re.search(r"count #(\d+)", out).group(1)  # type: ignore[union-attr]
    assert (
        cli(
            monkeypatch, ["inventory", "resolve", count_id, "--note", "recount ok", "-u", "sup", *u]
        )
        == 0
    )
    assert (
        cli(
            monkeypatch,
            ["inventory", "count", "--location", "D1", "--counted", "ICBC=4", "-u", "t1", *u],
        )
        == 0
    )
    capsys.readouterr()
    assert (
        cli(
            monkeypatch,
            [
                "inventory",
                "reserve",
                "--location",
                "D1",
                "--bank",
                "ICBC",
                "--job",
                "j",
                "-u",
                "t1",
                *u,
            ],
        )
        == 0
    )
    card = capsys.readouterr().out.split()[0]
    assert cli(monkeypatch, ["inventory", "issue", card, "--job", "j", "-u", "t1", *u]) == 0
    assert main(["inventory", "status", *u]) == 0
    csv_out = tmp_path / "b.csv"
    assert main(["inventory", "report", "--format", "csv", "--out", str(csv_out), *u]) == 0
    assert "D1,ICBC,0,4,0,1" in csv_out.read_text(encoding="utf-8")
    pdf_out = tmp_path / "b.pdf"
    assert main(["inventory", "report", "--format", "pdf", "--out", str(pdf_out), *u]) == 0
    assert pdf_out.read_bytes().startswith(b"%PDF")
    assert main(["inventory", "verify-ledger", *u]) == 0
    assert inv.blank(card).state.value == "ISSUED"


def test_cli_init_on_fresh_sqlite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert main(["inventory", "status", "--db", url]) == 2  # no schema yet: one clear line
    assert "init" in capsys.readouterr().err
    boss = ["boss-Pw-9x"]
    assert cli(monkeypatch, ["inventory", "init", "--db", url, "--supervisor", "boss"], boss) == 0
    assert main(["inventory", "init", "--db", url]) == 0  # idempotent
    assert (
        cli(
            monkeypatch,
            ["inventory", "user", "add", "t9", "--role", "teller", "-u", "boss", "--db", url],
            boss,
        )
        == 0
    )
