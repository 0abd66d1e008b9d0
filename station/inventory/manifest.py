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
from dataclasses import dataclass

from station.card.validators import InvalidData, validate_card_number
from station.inventory.errors import ManifestError
from station.textfile import MAX_MANIFEST_BYTES, CsvFieldTooLong, CsvMalformed, csv_rows

HEADER = ("bank", "manufacturer", "card_id_code", "card_number", "bank_account", "expiry")
_HEX32 = re.compile(r"^[0-9A-Fa-f]{32}$")
_MASKED = re.compile(r"^[0-9]{4,6}\*{3,13}[0-9]{4}$")
_CODE = re.compile(r"^[A-Z0-9_]{1,16}$")


@dataclass(frozen=True, slots=True)
class ManifestCard:
    line: int
    bank: str
    manufacturer: str
    card_id_code: str  # 32 upper-case hex characters
    card_number: str
    bank_account: str  # masked
    expiry: dt.date


def parse_manifest(
    data: bytes | str,
    *,
    bank: str | None = None,
    manufacturer: str | None = None,
    today: dt.date | None = None,
) -> list[ManifestCard]:
    """Parse and check a manifest; return its cards or raise ``ManifestError`` listing all
    problems.  ``bank``/``manufacturer`` are the batch's; when absent the first card's are
    taken and every other card must match them (a batch never mixes banks or makers)."""
    problems: list[tuple[int, str]] = []
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
    try:
        rows = csv_rows(text)  # bounded: a 20 MB field is one line's problem, not a crash
    except (CsvFieldTooLong, CsvMalformed) as exc:
        raise ManifestError([(exc.line, exc.message)]) from None
    if not rows or tuple(c.strip() for c in rows[0]) != HEADER:
        raise ManifestError([(1, "表头应为 (header must be) " + ",".join(HEADER))])
    today = today or dt.date.today()
    cards: list[ManifestCard] = []
    seen_numbers: dict[str, int] = {}
    seen_codes: dict[str, int] = {}
    for index, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue  # blank line: nothing to import, nothing wrong
        if len(row) != len(HEADER):
            problems.append((index, f"应有{len(HEADER)}列，实际{len(row)}列 (wrong column count)"))
            continue
        r_bank, r_maker, r_code, r_number, r_account, r_expiry = (c.strip() for c in row)
        line_problems: list[str] = []
        if bank is None and _CODE.match(r_bank):
            bank = r_bank
        if manufacturer is None and _CODE.match(r_maker):
            manufacturer = r_maker
        if r_bank != bank:
            line_problems.append(
                f"银行{r_bank!r}不是本批次银行{bank!r} (foreign bank: batch is {bank})"
            )
        if r_maker != manufacturer:
            line_problems.append(
                f"制卡商{r_maker!r}不是本批次制卡商{manufacturer!r} "
                f"(other manufacturer: batch is {manufacturer})"
            )
        if not _HEX32.match(r_code):
            line_problems.append("卡识别码应为32位十六进制 (card id code must be 32 hex chars)")
        else:
            r_code = r_code.upper()
            if r_code in seen_codes:
                line_problems.append(
                    f"卡识别码与第{seen_codes[r_code]}行重复 "
                    f"(duplicate card id code, see line {seen_codes[r_code]})"
                )
            else:
                seen_codes[r_code] = index
        number = ""
        try:
            number = validate_card_number(r_number)
        except InvalidData as exc:
            line_problems.append(exc.message + (f" [{exc.detail}]" if exc.detail else ""))
        if number:
            if number in seen_numbers:
                line_problems.append(
                    f"社保卡号与第{seen_numbers[number]}行重复 "
                    f"(duplicate card number, see line {seen_numbers[number]})"
                )
            else:
                seen_numbers[number] = index
        if not _MASKED.match(r_account):
            if r_account.isdigit():
                line_problems.append(
                    "银行账号必须脱敏，如6222********1234 "
                    "(bank account must be masked, e.g. 6222********1234)"
                )
            else:
                line_problems.append("银行账号格式错误 (masked bank account malformed)")
        expiry: dt.date | None = None
        try:
            expiry = dt.date.fromisoformat(r_expiry)
            if len(r_expiry) != 10:
                raise ValueError(r_expiry)
        except ValueError:
            expiry = None
            line_problems.append("有效期应为YYYY-MM-DD (expiry must be an ISO date)")
        if expiry is not None and expiry < today:
            line_problems.append(f"卡片已过有效期 {expiry} (card already expired)")
        if line_problems:
            problems.extend((index, p) for p in line_problems)
            continue
        assert expiry is not None
        cards.append(ManifestCard(index, r_bank, r_maker, r_code, number, r_account, expiry))
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
