"""Issue 14 finding 1: the ledger head is witnessed outside the database — on the balance
report itself, whatever form it takes: the PDF's footer (the paper the supervisor signs),
and with a CSV report on stderr (stdout and the CSV file stay a clean table for the
spreadsheet), each time appended to the witness file too."""

from __future__ import annotations

import base64
import csv
import io
import re
import zlib
from pathlib import Path

import pytest

from station.cli import main
from station.inventory import Inventory
from station.inventory.witness import read as read_witness

from .conftest import Db
from .test_inv_reports_cli import _url


def _streams(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number -> (dictionary, decoded stream or None)."""
    out: dict[int, tuple[bytes, bytes | None]] = {}
    for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S):
        head, sep, rest = m.group(2).partition(b"stream")
        data = None
        if sep:
            rest = rest[2:] if rest.startswith(b"\r\n") else rest[1:]
            length = re.search(rb"/Length (\d+)", head)
            data = rest[: int(length.group(1))] if length else rest
            for f in re.findall(rb"/(ASCII85Decode|FlateDecode)", head):
                if f == b"ASCII85Decode":
                    data = base64.a85decode(data.strip().removesuffix(b"~>"))
                else:
                    data = zlib.decompress(data)
        out[int(m.group(1))] = (head, data)
    return out


def _unescape(lit: bytes) -> bytes:
    return re.sub(
        rb"\\([0-7]{1,3}|.)",
        lambda m: (
            bytes([int(m.group(1), 8) & 0xFF])
            if m.group(1)[:1].isdigit()
            else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(m.group(1), m.group(1))
        ),
        lit,
        flags=re.S,
    )


def pdf_text(pdf: bytes) -> str:
    """The text the PDF shows, one string per Tj: a CID font's two-byte codes (reportlab's
    UniGB-UCS2-H: UCS-2) decoded, or an embedded subset's codes through its ToUnicode map."""
    objs = _streams(pdf)
    maps: dict[bytes, dict[int, str]] = {}
    for head, _ in objs.values():
        for name, num in re.findall(rb"/(F\d+)\s+(\d+) 0 R", head):
            font = objs.get(int(num), (b"", None))[0]
            tu = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
            if tu:
                cmap = objs[int(tu.group(1))][1] or b""
                table = {
                    int(code, 16): bytes.fromhex(uni.decode()).decode("utf-16-be")
                    for code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", cmap)
                }
                maps[name] = table
    shown: list[str] = []
    for _, data in objs.values():
        if data is None or b"Tj" not in data:
            continue
        font = b""
        for m in re.finditer(rb"/(F\d+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", data, re.S):
            if m.group(1) is not None:
                font = m.group(1)
                continue
            raw = _unescape(m.group(2))
            if font in maps:
                shown.append("".join(maps[font].get(b, "?") for b in raw))
            else:
                shown.append(raw.decode("utf-16-be", "replace"))
    return "\n".join(shown)


def test_balance_pdf_footer_carries_the_ledger_head(
    stocked: Inventory, db: Db, tmp_path: Path, _private_station_files: Path
) -> None:
    rows, head = stocked.head()
    out = tmp_path / "balance.pdf"
    day = ["--day", str(stocked.today())]
    assert main(["inventory", "report", "--format", "pdf", "--out", str(out), *day, *_url(db)]) == 0
    text = pdf_text(out.read_bytes())
    assert "daily balance" in text and "VAULT" in text  # the extraction reads this PDF
    assert f"账头 ledger head: {rows} rows, SM3 {head}" in text
    assert [(w.rows, w.head) for w in read_witness(_private_station_files)] == [(rows, head)]


def test_balance_pdf_footer_follows_the_book(stocked: Inventory, db: Db, tmp_path: Path) -> None:
    """Not a constant: after one more movement the next report shows the new head."""
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert main(["inventory", "report", "--format", "pdf", "--out", str(first), *_url(db)]) == 0
    old_rows, old_head = stocked.head()
    stocked.allocate("D2", 1, bank="ICBC", by="sup")
    rows, head = stocked.head()
    assert rows == old_rows + 1 and head != old_head
    assert main(["inventory", "report", "--format", "pdf", "--out", str(second), *_url(db)]) == 0
    text = pdf_text(second.read_bytes())
    assert f"{rows} rows, SM3 {head}" in text and old_head not in text


@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "out-file"])
def test_balance_csv_names_the_head_beside_a_clean_table(
    stocked: Inventory,
    db: Db,
    tmp_path: Path,
    to_file: bool,
    capsys: pytest.CaptureFixture[str],
    _private_station_files: Path,
) -> None:
    rows, head = stocked.head()
    target = tmp_path / "balance.csv"
    argv = ["inventory", "report", "--format", "csv", "--day", str(stocked.today()), *_url(db)]
    capsys.readouterr()
    assert main([*argv, *(["--out", str(target)] if to_file else [])]) == 0
    captured = capsys.readouterr()
    table = target.read_text(encoding="utf-8") if to_file else captured.out
    parsed = list(csv.reader(io.StringIO(table)))
    assert parsed[0][1] == "位置 location" and len(parsed) > 2
    assert {len(r) for r in parsed} == {len(parsed[0])}  # every line a row of the table
    assert head not in table
    assert f"账头 ledger head: {rows} rows, SM3 {head}" in captured.err
    assert [(w.rows, w.head) for w in read_witness(_private_station_files)] == [(rows, head)]
