"""Value codecs of the SSSE records: ``cn`` digits, ``an`` text, BCD dates, GBK text.

Each turns the padded value bytes of one record into a Python value and back, refusing what
the card could not hold (card-spec §2).  ``station.codecs.records`` builds its fields on them.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any, Literal

from station.codecs.validators import (
    InvalidData,
    validate_card_number,
)

Kind = Literal["cn", "an"]

# -- value codecs ----------------------------------------------------------------------------


class ValueCodec:
    """Turns the value bytes of one record (exactly ``length`` bytes, padding included) into a
    Python value and back.  ``decode`` gets the padding already stripped and never sees an
    unwritten record (the Field maps those to ``None``)."""

    def encode(self, value: Any, length: int) -> bytes:  # pragma: no cover - abstract
        raise NotImplementedError

    def decode(self, raw: bytes) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


def _pad_cn(digits: str, length: int, what: str) -> bytes:
    """Numeric BCD: the digits, then F nibbles up to ``length`` bytes."""
    if len(digits) > 2 * length:
        raise InvalidData(
            f"{what}过长：最多{2 * length}位 (too long: at most {2 * length} digits)",
            detail=f"{len(digits)} digits",
        )
    text = digits + "F" * (2 * length - len(digits))
    return bytes.fromhex(text)


def _pad_an(data: bytes, length: int, what: str) -> bytes:
    if len(data) > length:
        raise InvalidData(
            f"{what}过长：最多{length}字节 (too long: at most {length} bytes)",
            detail=f"{len(data)} bytes",
        )
    return data + bytes(length - len(data))


def _strip_cn(raw: bytes) -> str:
    """BCD digits with trailing F nibbles removed (upper-case hex)."""
    return raw.hex().upper().rstrip("F")


class HexDigits(ValueCodec):
    """``cn`` items that hold hexadecimal digits in practice: the card identification code
    (serial and authentication code are binary) and the initialising organisation number.
    ``exact`` digits are required when encoding; reading keeps whatever the card holds."""

    def __init__(self, exact: int | None = None, what: str = "数据") -> None:
        self.exact = exact
        self.what = what

    def encode(self, value: Any, length: int) -> bytes:
        text = str(value).strip().upper()
        if not re.fullmatch(r"[0-9A-F]*", text):
            raise InvalidData(
                f"{self.what}只能包含十六进制数字 (hexadecimal digits only)", detail=repr(text)
            )
        want = self.exact if self.exact is not None else 2 * length
        if len(text) != want:
            raise InvalidData(
                f"{self.what}应为{want}位 (must have {want} hex digits)",
                detail=f"{len(text)} digits",
            )
        return _pad_cn(text, length, self.what)

    def decode(self, raw: bytes) -> str:
        return raw.hex().upper() if self.exact == 2 * len(raw) else _strip_cn(raw)


class Digits(ValueCodec):
    """``cn`` decimal digits of a fixed count (birthplace code, ethnicity)."""

    def __init__(self, count: int, what: str, allowed: frozenset[str] | None = None) -> None:
        self.count = count
        self.what = what
        self.allowed = allowed

    def _check(self, text: str) -> str:
        if len(text) != self.count or not text.isascii() or not text.isdigit():
            raise InvalidData(
                f"{self.what}应为{self.count}位数字 (must be {self.count} digits)",
                detail=repr(text),
            )
        if self.allowed is not None and text not in self.allowed:
            raise InvalidData(f"{self.what}代码无效 (unknown code)", detail=repr(text))
        return text

    def encode(self, value: Any, length: int) -> bytes:
        return _pad_cn(self._check(str(value).strip()), length, self.what)

    def decode(self, raw: bytes) -> str:
        return self._check(_strip_cn(raw))


class BcdDate(ValueCodec):
    """``cn`` 4 bytes: BCD YYYYMMDD to ``datetime.date``."""

    def __init__(self, what: str = "日期") -> None:
        self.what = what

    def encode(self, value: Any, length: int) -> bytes:
        if not isinstance(value, _dt.date):
            raise InvalidData(f"{self.what}格式错误 (not a date)", detail=type(value).__name__)
        return _pad_cn(value.strftime("%Y%m%d"), length, self.what)

    def decode(self, raw: bytes) -> _dt.date:
        text = _strip_cn(raw)
        try:
            if len(text) != 8 or not text.isdigit():
                raise ValueError(text)
            return _dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
        except ValueError:
            raise InvalidData(
                f"卡内{self.what}无效 (date on the card is not a real date)", detail=raw.hex()
            ) from None


class Ascii(ValueCodec):
    """``an`` ASCII text, 00-padded.  ``pattern`` (a regex) checks the value both ways."""

    def __init__(self, what: str, pattern: str = r"[\x20-\x7E]+") -> None:
        self.what = what
        self.pattern = re.compile(pattern)

    def _check(self, text: str) -> str:
        if not self.pattern.fullmatch(text):
            raise InvalidData(f"{self.what}格式错误 (invalid format)", detail=repr(text))
        return text

    def encode(self, value: Any, length: int) -> bytes:
        text = self._check(str(value))
        return _pad_an(text.encode("ascii"), length, self.what)

    def decode(self, raw: bytes) -> str:
        try:
            text = raw.decode("ascii")
        except UnicodeDecodeError:
            raise InvalidData(
                f"卡内{self.what}不是ASCII文本 (not ASCII text)", detail=raw.hex()
            ) from None
        return self._check(text)


class CardNumber(Ascii):
    """The 9-character card number with its check character (validated on encode only: a
    card with a bad check character must still be readable, and is reported by whoever
    compares it)."""

    def __init__(self) -> None:
        super().__init__("社保卡号", r"[0-9A-Z]{9}")

    def encode(self, value: Any, length: int) -> bytes:
        return super().encode(validate_card_number(str(value)), length)


class Ssn(Ascii):
    """Social security number: upper-case letters and digits, up to 18."""

    def __init__(self) -> None:
        super().__init__("社会保障号码", r"[0-9A-Z]{1,18}")
