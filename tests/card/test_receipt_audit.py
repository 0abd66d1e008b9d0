"""Receipts (text and PDF) and the audit trail: the SSN is masked and no PIN can appear."""

from __future__ import annotations

import base64
import datetime as dt
import multiprocessing
import re
import stat
import unicodedata
import zlib
from pathlib import Path
from typing import Any

import pytest

from station.apdu.status import PinWrong
from station.card import receipt as receipt_mod
from station.card.audit import (
    AuditRecord,
    AuditSink,
    JsonLinesAuditSink,
    MemoryAuditSink,
    Operation,
    Result,
    mask_ssn,
)
from station.card.receipt import PIN_WARNING, Receipt, ReceiptError, ReceiptFontMissing
from station.card.serial import COUNTER_FILE, LOCK_FILE, ReceiptSerials, SerialError
from station.text import TextFieldError, single_line, wrap

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


def pdf_objects(pdf: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number -> (dictionary text, decoded stream or None)."""
    out: dict[int, tuple[bytes, bytes | None]] = {}
    for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", pdf, re.S):
        body = m.group(2)
        head, sep, rest = body.partition(b"stream")
        stream = None
        if sep:
            rest = rest[2:] if rest.startswith(b"\r\n") else rest[1:]  # the EOL after "stream"
            raw = rest[: int(re.search(rb"/Length (\d+)", head).group(1))]  # type: ignore[union-attr]
            for f in re.findall(rb"/(ASCII85Decode|FlateDecode)", head):
                if f == b"ASCII85Decode":
                    raw = base64.a85decode(raw.strip().removesuffix(b"~>"))
                else:
                    raw = zlib.decompress(raw)
            stream = raw
        out[int(m.group(1))] = (head, stream)
    return out


def _cmap(text: bytes) -> dict[int, str]:
    """A ToUnicode CMap's single-byte code -> text (bfchar and bfrange entries)."""
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, uni in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            base_cp = ord(bytes.fromhex(uni.decode()).decode("utf-16-be"))
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(base_cp + i)
    return table


def pdf_lines(pdf: bytes) -> list[str]:
    """The text of every Tj operator (one drawString = one printed line), decoded through
    each font's ToUnicode map (the embedded TrueType subsets use one-byte codes)."""
    objs = pdf_objects(pdf)
    fonts: dict[bytes, dict[int, str] | None] = {}
    for head, _ in objs.values():
        m = re.search(rb"/Font\s+(\d+) 0 R", head)
        inline = re.search(rb"/Font\s*<<(.*?)>>", head, re.S)
        table = objs[int(m.group(1))][0] if m else inline.group(1) if inline else b""
        for name, num in re.findall(rb"/([\w+]+)\s+(\d+) 0 R", table):
            fdict = objs[int(num)][0]
            tu = re.search(rb"/ToUnicode\s+(\d+) 0 R", fdict)
            fonts[name] = _cmap(objs[int(tu.group(1))][1] or b"") if tu else None
    lines: list[str] = []
    for head, stream in objs.values():
        if stream is None or b"Tj" not in stream or b"/Font" in head:
            continue
        current: dict[int, str] | None = None
        for m in re.finditer(rb"/([\w+]+)\s+[\d.]+\s+Tf|\(((?:\\.|[^\\)])*)\)\s*Tj", stream, re.S):
            if m.group(1) is not None:
                current = fonts.get(m.group(1))
                continue
            raw = _unescape(m.group(2))
            lines.append(
                raw.decode("latin-1") if current is None else "".join(current[b] for b in raw)
            )
    return lines


def pdf_text(pdf: bytes) -> str:
    return "\n".join(pdf_lines(pdf))


def _receipt(**kw: object) -> Receipt:
    base: dict[str, object] = dict(
        outlet="测试网点",
        operator="柜员01",
        time=WHEN,
        operation=Operation.PIN_RESET,
        card_number="A00000011",
        masked_ssn=SSN,
        name="张三",
        success=True,
        serial="T01-20240506-0007",
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
    assert PIN_WARNING[1] in _receipt().text(width=200)  # one line when the paper is wide
    assert PIN_WARNING[1] in text.replace("\n", "")  # wrapped on a slip, nothing lost
    # the warning carries no digits, so any digit run in a receipt is real data
    assert not any(ch.isdigit() for ch in "".join(PIN_WARNING))


def test_failure_receipt() -> None:
    r = _receipt(
        success=False, result_text=PinWrong(0x63C2).message, operation=Operation.PIN_VERIFY
    )
    assert "办理失败：密码错误，还剩2次机会" in r.text(width=80)


def test_pdf_receipt_is_valid_and_has_no_pin() -> None:
    pin = "739514"
    pdf = _receipt().pdf()
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    # the CJK font is embedded (a TrueType FontFile2 stream), not the Adobe CID font
    # STSong-Light, which viewers without the Asian font pack show as boxes
    assert b"/FontFile2" in pdf and b"STSong-Light" not in pdf and b"/CIDFontType0" not in pdf
    streams = pdf_streams(pdf)
    assert any(b"BT" in s for s in streams), "no text content stream found"
    text = pdf_text(pdf)
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


# -- issue 14 finding 7: text that forges a receipt --------------------------------------------


FORGERIES = [
    ("operator", "x\n办理结果：办理成功", "换行"),
    ("operator", "x\r办理结果：办理成功", "换行"),
    ("outlet", "网点\u2028办理结果：办理成功", "换行"),
    ("operator", "\x1b[2J\x1b[H办理成功", "转义序列"),
    ("outlet", "网点\x9b31m", "转义序列"),
    ("name", "张\u202e三", "不可打印"),  # right-to-left override
    ("name", "张\x00三", "不可打印"),
    ("operator", "柜" * 33, "过长"),
    ("outlet", "网" * 41, "过长"),
]


@pytest.mark.parametrize(("attr", "value", "why"), FORGERIES)
def test_receipt_refuses_forging_text(attr: str, value: str, why: str) -> None:
    with pytest.raises(TextFieldError) as info:
        _receipt(**{attr: value})
    err = info.value
    label = {"operator": "经办人", "outlet": "受理网点", "name": "姓名"}[attr]
    assert why in err.message and label in err.message
    assert "\n" not in str(err) and "\x1b" not in str(err)  # one line, nothing echoed
    assert value not in str(err)


def test_single_line_accepts_ordinary_names() -> None:
    for ok in ("柜员01", "张[CHUI]", "O'Brien-Smith", "欧阳·娜娜", "网点 一号", ""):
        assert single_line(ok, "字段 field", 32) == ok


@pytest.mark.parametrize(
    ("outlet", "operator", "missing"), [("", "柜员01", "受理网点"), ("网点", "  ", "经办人")]
)
def test_receipt_refused_without_outlet_or_operator(
    outlet: str, operator: str, missing: str
) -> None:
    with pytest.raises(ReceiptError) as info:
        _receipt(outlet=outlet, operator=operator)
    assert missing in info.value.message and "receipt refused" in info.value.message


# -- issue 9 item 6: no line starts with punctuation ------------------------------------------


def _starts_with_punctuation(line: str) -> bool:
    return bool(line) and unicodedata.category(line[0]).startswith("P")


LONG_RESULTS = [
    "",
    PinWrong(0x63C2).message,
    "卡片内部认证失败，卡片可能不是真卡（内部认证失败），请联系发卡机构。"
    "(internal authentication failed)",
    "，，。。、；：？！」』）】》" * 3,
    "新密码过于简单：新密码不能是持卡人的出生日期 (the holder's birth date)，请重新输入。",
]


@pytest.mark.parametrize("op", list(Operation))
@pytest.mark.parametrize("success", [True, False])
def test_no_receipt_line_starts_with_punctuation(op: Operation, success: bool) -> None:
    for result in LONG_RESULTS:
        r = _receipt(
            operation=op,
            success=success,
            result_text=result,
            outlet="某某市人力资源和社会保障局（第一）服务大厅，综合窗口。" + "网" * 12,
            name="欧阳" + "娜" * 20 + "（曾用名）",
            operator="柜员（实习）、见习，" + "柜" * 20,
        )
        for width in (16, 24, 32, 40, 48):
            lines = r.text(width=width).splitlines()
            bad = [ln for ln in lines if _starts_with_punctuation(ln)]
            assert not bad, (width, bad)
            assert result.replace(" ", "") in "".join(lines).replace(" ", "")
    pdf_bad = [ln for ln in pdf_lines(r.pdf()) if _starts_with_punctuation(ln)]
    assert not pdf_bad


def test_wrap_moves_punctuation_to_the_previous_line() -> None:
    text = "二、请勿使用过于简单的密码（如全部相同或连续的数字、生日、证件号码末几位）。"
    for width in range(4, 80):
        lines = wrap(text, width)
        assert "".join(lines) == text
        assert not any(_starts_with_punctuation(ln) for ln in lines), (width, lines)
    # a break that would start a line with "，" moves the comma up (the line gets longer)
    assert wrap("一二三四，五六", 8) == ["一二三四，", "五六"]
    # an opening bracket takes the character before it down
    assert wrap("一二三（四五）", 8) == ["一二", "三（四五）"]


# -- issue 9 item 6: the font is embedded ------------------------------------------------------


def test_pdf_font_is_an_embedded_truetype_subset() -> None:
    pdf = _receipt().pdf()
    objs = pdf_objects(pdf)
    font_files = [head for head, _ in objs.values() if b"/FontFile2" in head]
    assert font_files, "no embedded TrueType font program"
    programs = [stream for head, stream in objs.values() if b"/Length1" in head]
    assert programs and all(p is not None and len(p) > 1000 for p in programs)
    assert re.search(rb"/BaseFont /[A-Z]{6}\+", pdf), "the font is not a named subset"
    assert b"STSong-Light" not in pdf and b"UniGB-UCS2-H" not in pdf


def test_font_that_cannot_be_embedded_is_a_typed_error(tmp_path: Path) -> None:
    junk = tmp_path / "not-a-font.ttf"
    junk.write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 60)
    with pytest.raises(ReceiptFontMissing) as info:
        _receipt().pdf(font=(str(junk), 0))
    assert "fonts-wqy-microhei" in info.value.message
    cff = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if cff.is_file():  # CFF-flavoured OpenType: reportlab cannot embed it
        with pytest.raises(ReceiptFontMissing):
            _receipt().pdf(font=(str(cff), 0))


def test_no_font_at_all_is_a_typed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(receipt_mod, "KNOWN_FONTS", (("/nonexistent/font.ttc", 0),))
    monkeypatch.setattr(receipt_mod, "_fc_list", lambda: [])
    receipt_mod.find_cjk_font.cache_clear()
    try:
        with pytest.raises(ReceiptFontMissing):
            receipt_mod.find_cjk_font()
    finally:
        monkeypatch.undo()
        receipt_mod.find_cjk_font.cache_clear()
    assert receipt_mod.find_cjk_font()[0].endswith((".ttc", ".ttf"))


# -- issue 9 item 6: serial numbers --------------------------------------------------------------


def _take(data_dir: str, n: int, out: Any) -> None:
    serials = ReceiptSerials(data_dir, "T01")
    out.put([serials.next(dt.date(2024, 5, 6)) for _ in range(n)])


def test_serials_unique_across_processes(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("fork")  # the test module is not importable by name
    q = ctx.Queue()
    procs = [ctx.Process(target=_take, args=(str(tmp_path), 40, q)) for _ in range(3)]
    for p in procs:
        p.start()
    got = [s for _ in procs for s in q.get(timeout=60)]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert len(got) == 120 and len(set(got)) == 120
    assert sorted(got) == [f"T01-20240506-{i:04d}" for i in range(1, 121)]
    counter = tmp_path / COUNTER_FILE
    assert stat.S_IMODE(counter.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / LOCK_FILE).stat().st_mode) == 0o600


def test_serials_persist_and_restart_each_day(tmp_path: Path) -> None:
    a = ReceiptSerials(tmp_path, "T01")
    assert a.next(dt.date(2024, 5, 6)) == "T01-20240506-0001"
    assert a.next(dt.date(2024, 5, 6)) == "T01-20240506-0002"
    b = ReceiptSerials(tmp_path, "T01")  # a restart
    assert b.next(dt.date(2024, 5, 6)) == "T01-20240506-0003"
    assert b.next(dt.date(2024, 5, 7)) == "T01-20240507-0001"
    assert b.next(dt.date(2024, 5, 6)) == "T01-20240506-0004"  # a clock set back repeats none
    assert not list(tmp_path.glob(".*.tmp")), "atomic write left a temp file"


def test_damaged_counter_is_refused_not_restarted(tmp_path: Path) -> None:
    ReceiptSerials(tmp_path, "T01").next(dt.date(2024, 5, 6))
    (tmp_path / COUNTER_FILE).write_text("20240506 1\ngarbage\n")
    with pytest.raises(SerialError) as info:
        ReceiptSerials(tmp_path, "T01").next(dt.date(2024, 5, 6))
    assert "损坏" in info.value.message
    (tmp_path / COUNTER_FILE).write_bytes(b"20240506 1\n" * 10_000)
    with pytest.raises(SerialError, match="过大"):
        ReceiptSerials(tmp_path, "T01").next(dt.date(2024, 5, 6))


def test_counter_symlink_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious\n")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / COUNTER_FILE).symlink_to(target)
    with pytest.raises(SerialError):
        ReceiptSerials(tmp_path / "d", "T01").next(dt.date(2024, 5, 6))
    assert target.read_text() == "precious\n"
