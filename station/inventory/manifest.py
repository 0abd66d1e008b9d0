"""Reading a stock-in manifest (the list of cards a manufacturer delivers for one bank).

Format (fixed; ``station emulator make-blanks`` writes the same): UTF-8 CSV, header exactly
``bank,manufacturer,card_id_code,card_number,bank_account,expiry``.

Why the whole file is checked before anything is stored: a batch of important blank
certificates is either in the book completely or not at all.  Every problem is collected
with its line number (the header is line 1) so the clerk can fix the file in one pass.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from station.codecs.validators import InvalidData, validate_card_number
from station.inventory.errors import ManifestError
from station.textfile import MAX_MANIFEST_BYTES, CsvFieldTooLong, CsvMalformed, csv_rows

HEADER = ("bank", "manufacturer", "card_id_code", "card_number", "bank_account", "expiry")
_HEX32 = re.compile(r"^[0-9A-Fa-f]{32}$")
_MASKED = re.compile(r"^[0-9]{4,6}\*{3,13}[0-9]{4}$")
_NAME_MAX = 100  # inv_banks.name / inv_manufacturers.name


@dataclass(frozen=True, slots=True)
class ManifestCard:
    line: int
    bank: str
    manufacturer: str
    card_id_code: str  # 32 upper-case hex characters
    card_number: str
    bank_account: str  # masked
    expiry: dt.date


def _text(data: bytes | str) -> str:
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ManifestError(
                [(1, f"文件不是UTF-8编码 (file is not UTF-8: byte {exc.start})")]
            ) from None
    else:
        text = data.removeprefix("\ufeff")
    if len(text) > MAX_MANIFEST_BYTES:
        raise ManifestError([(1, f"文件过大 (file larger than {MAX_MANIFEST_BYTES} bytes)")])
    return text


def _party_ok(value: str) -> bool:
    """A bank or manufacturer as a manifest names it: a code (``ICBC``) or a name
    (``测试银行深圳分行``) — one printable line, bounded."""
    return 0 < len(value) <= _NAME_MAX and value.isprintable()


@dataclass
class _Batch:
    """What the file so far says about its batch, and the duplicates seen."""

    bank: str | None
    manufacturer: str | None
    today: dt.date
    numbers: dict[str, int] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)


def _check_parties(b: _Batch, r_bank: str, r_maker: str) -> list[str]:
    if b.bank is None and _party_ok(r_bank):
        b.bank = r_bank
    if b.manufacturer is None and _party_ok(r_maker):
        b.manufacturer = r_maker
    problems = []
    if r_bank != b.bank:
        problems.append(f"银行{r_bank!r}不是本批次银行{b.bank!r} (foreign bank: batch is {b.bank})")
    if r_maker != b.manufacturer:
        problems.append(
            f"制卡商{r_maker!r}不是本批次制卡商{b.manufacturer!r} "
            f"(other manufacturer: batch is {b.manufacturer})"
        )
    return problems


def _check_ids(b: _Batch, index: int, r_code: str, r_number: str) -> tuple[str, str, list[str]]:
    problems = []
    if not _HEX32.match(r_code):
        problems.append("卡识别码应为32位十六进制 (card id code must be 32 hex chars)")
    else:
        r_code = r_code.upper()
        if r_code in b.codes:
            problems.append(
                f"卡识别码与第{b.codes[r_code]}行重复 "
                f"(duplicate card id code, see line {b.codes[r_code]})"
            )
        else:
            b.codes[r_code] = index
    number = ""
    try:
        number = validate_card_number(r_number)
    except InvalidData as exc:
        problems.append(exc.message + (f" [{exc.detail}]" if exc.detail else ""))
    if number:
        if number in b.numbers:
            problems.append(
                f"社保卡号与第{b.numbers[number]}行重复 "
                f"(duplicate card number, see line {b.numbers[number]})"
            )
        else:
            b.numbers[number] = index
    return r_code, number, problems


def _check_account(r_account: str) -> list[str]:
    if _MASKED.match(r_account):
        return []
    if r_account.isdigit():
        return [
            "银行账号必须脱敏，如6222********1234 "
            "(bank account must be masked, e.g. 6222********1234)"
        ]
    return ["银行账号格式错误 (masked bank account malformed)"]


def _check_expiry(b: _Batch, r_expiry: str) -> tuple[dt.date | None, list[str]]:
    try:
        expiry = dt.date.fromisoformat(r_expiry)
        if len(r_expiry) != 10:
            raise ValueError(r_expiry)
    except ValueError:
        return None, ["有效期应为YYYY-MM-DD (expiry must be an ISO date)"]
    if expiry < b.today:
        return expiry, [f"卡片已过有效期 {expiry} (card already expired)"]
    return expiry, []


def _card(b: _Batch, index: int, row: list[str]) -> tuple[ManifestCard | None, list[str]]:
    r_bank, r_maker, r_code, r_number, r_account, r_expiry = (c.strip() for c in row)
    problems = _check_parties(b, r_bank, r_maker)
    code, number, id_problems = _check_ids(b, index, r_code, r_number)
    expiry, expiry_problems = _check_expiry(b, r_expiry)
    problems += id_problems + _check_account(r_account) + expiry_problems
    if problems or expiry is None:
        return None, problems
    return ManifestCard(index, r_bank, r_maker, code, number, r_account, expiry), []


def parse_manifest(
    data: bytes | str,
    *,
    bank: str | None = None,
    manufacturer: str | None = None,
    today: dt.date | None = None,
) -> list[ManifestCard]:
    """Parse and check a manifest; return its cards or raise ``ManifestError`` listing all
    problems.  ``bank``/``manufacturer`` are the batch's; when absent the first card's are
    taken (the manifest names them) and every other card must match them (a batch never
    mixes banks or makers)."""
    text = _text(data)
    try:
        rows = csv_rows(text)  # bounded: a 20 MB field is one line's problem, not a crash
    except (CsvFieldTooLong, CsvMalformed) as exc:
        raise ManifestError([(exc.line, exc.message)]) from None
    if not rows or tuple(c.strip() for c in rows[0]) != HEADER:
        raise ManifestError([(1, "表头应为 (header must be) " + ",".join(HEADER))])
    batch = _Batch(bank, manufacturer, today or dt.date.today())
    problems: list[tuple[int, str]] = []
    cards: list[ManifestCard] = []
    for index, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue  # blank line: nothing to import, nothing wrong
        if len(row) != len(HEADER):
            problems.append((index, f"应有{len(HEADER)}列，实际{len(row)}列 (wrong column count)"))
            continue
        card, line_problems = _card(batch, index, row)
        problems.extend((index, p) for p in line_problems)
        if card is not None:
            cards.append(card)
    if problems:
        raise ManifestError(problems)
    if not cards:
        raise ManifestError([(1, "清单中没有卡片 (manifest lists no cards)")])
    return cards


def format_manifest(cards: Iterable[ManifestCard | tuple[str, str, str, str, str, str]]) -> str:
    """Write cards in manifest format (tests and benchmarks build manifests with it)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    for c in cards:
        if isinstance(c, ManifestCard):
            w.writerow(
                (
                    c.bank,
                    c.manufacturer,
                    c.card_id_code,
                    c.card_number,
                    c.bank_account,
                    c.expiry.isoformat(),
                )
            )
        else:
            w.writerow(c)
    return out.getvalue()
