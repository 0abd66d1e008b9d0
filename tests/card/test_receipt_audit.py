"""Receipts (text and PDF) and the audit trail: the SSN is masked and no PIN can appear."""

from __future__ import annotations

import base64
import datetime as dt
import re
import zlib
from pathlib import Path

import pytest

from station.apdu.status import PinWrong
from station.card.audit import (
    AuditRecord,
    AuditSink,
    JsonLinesAuditSink,
    MemoryAuditSink,
    Operation,
    Result,
    mask_ssn,
)
from station.card.receipt import PIN_WARNING, Receipt

SSN = "110101199003077678"
WHEN = dt.datetime(2024, 5, 6, 10, 20, 30)


def pdf_streams(pdf: bytes) -> list[bytes]:
    """Every stream in the PDF, decoded through its ASCII85 / Flate filters."""
    out = []
    for m in re.finditer(rb"<<((?:(?!<<).)*?)>>\s*stream\r?\n(.*?)\r?\n?endstream", pdf, re.S):
        head, raw = m.group(1), m.group(2)
        filters = re.findall(rb"/(ASCII85Decode|FlateDecode)", head)
        for f in filters:
            if f == b"ASCII85Decode":
                raw = base64.a85decode(raw.strip().removesuffix(b"~>"))
            else:
                raw = zlib.decompress(raw)
        out.append(raw)
    return out


_ESC = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(lit: bytes) -> bytes:
    """A PDF literal string's bytes (octal and character escapes resolved)."""
    out = bytearray()
    i = 0
    while i < len(lit):
        c = lit[i : i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        m = re.match(rb"[0-7]{1,3}", lit[i + 1 : i + 4])
        if m:
            out.append(int(m.group(0), 8) & 0xFF)
            i += 1 + len(m.group(0))
        else:
            nxt = lit[i + 1 : i + 2]
            out += _ESC.get(nxt, nxt)
            i += 2
    return bytes(out)


def pdf_text(streams: list[bytes]) -> str:
    """The text shown by Tj operators: with the CID font (UniGB-UCS2-H) the strings are
    UTF-16BE."""
    parts = []
    for st in streams:
        for m in re.finditer(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", st, re.S):
            raw = _unescape(m.group(1))
            parts.append(raw.decode("utf-16-be") if b"/F2" in st else raw.decode("latin-1"))
    return "\n".join(parts)


def _receipt(**kw: object) -> Receipt:
    base: dict[str, object] = dict(
        station="测试网点",
        operator="柜员01",
        time=WHEN,
        operation=Operation.PIN_RESET,
        card_number="A00000011",
        masked_ssn=SSN,
        name="张三",
        success=True,
    )
    base.update(kw)
    return Receipt(**base)  # type: ignore[arg-type]


def test_mask_ssn() -> None:
    assert mask_ssn(SSN) == "110101********7678"
    assert mask_ssn("H12345678") == "H12****78"
    assert mask_ssn(mask_ssn(SSN)) == "110101********7678"
    assert mask_ssn("") == ""


def test_text_receipt() -> None:
    text = _receipt().text()
    assert "110101********7678" in text
    assert SSN not in text
    assert "密码重置" in text and "A00000011" in text and "办理成功" in text
    assert "2024-05-06 10:20:30" in text
    assert PIN_WARNING[1] in text
    # the warning carries no digits, so any digit run in a receipt is real data
    assert not any(ch.isdigit() for ch in "".join(PIN_WARNING))


def test_failure_receipt() -> None:
    r = _receipt(
        success=False, result_text=PinWrong(0x63C2).message, operation=Operation.PIN_VERIFY
    )
    assert "办理失败：密码错误，还剩2次机会" in r.text()


def test_pdf_receipt_is_valid_and_has_no_pin() -> None:
    pin = "739514"
    pdf = _receipt().pdf()
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert b"STSong-Light" in pdf
    streams = pdf_streams(pdf)
    assert any(b"BT" in s for s in streams), "no text content stream found"
    text = pdf_text(streams)
    # the search works: what should be there is found ...
    assert "110101********7678" in text
    assert "A00000011" in text and "张三" in text and "密码重置" in text
    # ... and what must not be there is not, in the text nor in any raw form
    assert SSN not in text and pin not in text
    blob = b"".join(streams) + pdf
    for form in (pin.encode(), pin.encode("utf-16-be"), bytes.fromhex(pin)):
        assert form not in blob
    # deterministic output (invariant mode): same receipt, same bytes
    assert _receipt().pdf() == pdf


def test_audit_record_masks_and_records_errors() -> None:
    err = PinWrong(0x63C1)
    rec = AuditRecord.of(
        operator="柜员01",
        station="测试网点",
        card_number="A00000011",
        ssn=SSN,
        operation=Operation.PIN_VERIFY,
        error=err,
        time=WHEN,
    )
    assert rec.masked_ssn == "110101********7678"
    assert rec.result is Result.FAILURE and rec.error_code == -51
    ok = AuditRecord.of(
        operator="o", station="s", card_number="A00000011", ssn=SSN, operation=Operation.PIN_RESET
    )
    assert ok.result is Result.SUCCESS and ok.error_code is None and ok.time.tzinfo is not None


def test_sinks(tmp_path: Path) -> None:
    path = tmp_path / "audit" / "trail.jsonl"
    file_sink = JsonLinesAuditSink(path)
    mem = MemoryAuditSink()
    assert isinstance(file_sink, AuditSink) and isinstance(mem, AuditSink)
    recs = [
        AuditRecord.of(
            operator="柜员01",
            station="测试网点",
            card_number="A00000011",
            ssn=SSN,
            operation=op,
            time=WHEN,
        )
        for op in (Operation.PIN_UNLOCK, Operation.PIN_CHANGE)
    ]
    for r in recs:
        file_sink.write(r)
        mem.write(r)
    assert mem.records == recs
    assert file_sink.read() == recs
    raw = path.read_text(encoding="utf-8")
    assert raw.count("\n") == 2 and SSN not in raw and "柜员01" in raw


@pytest.mark.parametrize("op", list(Operation))
def test_every_operation_has_a_chinese_name(op: Operation) -> None:
    assert any("\u4e00" <= ch <= "\u9fff" for ch in op.zh)
