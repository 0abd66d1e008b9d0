"""Check rules enforced before anything is written to a card or into the stock books
(card-spec §2): citizen ID numbers (GB 11643) and social security card numbers.

Each validator raises ``InvalidData`` with a message a teller can act on; the ``*_check``
helpers compute the check character so codecs and test data can use them too.
"""

from __future__ import annotations

import datetime as _dt
import re

from station.errors import ErrorCode, StationError


class InvalidData(StationError, ValueError):
    """Input that fails a format or check-character rule."""

    default_message = "数据格式错误 (invalid data)"
    code = ErrorCode.ILLEGAL_INPUT


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_CARD_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def citizen_id_check(first17: str) -> str:
    """The GB 11643 check character for 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise InvalidData("身份证号码前17位必须是数字 (first 17 characters must be digits)")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_citizen_id(value: str) -> str:
    """Return the normalised (upper-case X) 18-character ID number, or raise."""
    v = value.strip().upper()
    if len(v) != 18:
        raise InvalidData(
            f"身份证号码应为18位，实际{len(v)}位 (ID number must have 18 characters)",
            detail=f"length {len(v)}",
        )
    expected = citizen_id_check(v[:17])
    if v[17] != expected:
        raise InvalidData(
            "身份证号码校验位错误 (ID number check character is wrong)",
            detail=f"check character {v[17]!r}, expected {expected!r}",
        )
    try:
        _dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        raise InvalidData(
            "身份证号码中的出生日期无效 (birth date inside the ID number is not a real date)",
            detail=v[6:14],
        ) from None
    return v


def birth_date_from_id(value: str) -> _dt.date:
    v = validate_citizen_id(value)
    return _dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))


def _card_char_value(ch: str) -> int:
    if ch.isascii() and ch.isdigit():
        return int(ch)
    if ch.isascii() and "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    raise InvalidData(
        "社保卡号只能包含数字和大写字母 (card number: digits and capital letters only)",
        detail=f"character {ch!r}",
    )


def card_number_check(body8: str) -> str:
    """Check character for the 8-character card number body (weights 3 7 9 10 5 8 4 2)."""
    if len(body8) != 8:
        raise InvalidData("社保卡号主体应为8位 (card number body must have 8 characters)")
    total = sum(_card_char_value(c) * w for c, w in zip(body8, _CARD_WEIGHTS, strict=True))
    c = 11 - (total % 11)
    return "X" if c == 10 else "0" if c == 11 else str(c)


def validate_card_number(value: str) -> str:
    """Return the 9-character card number, or raise with the reason."""
    v = value.strip().upper()
    if len(v) != 9:
        raise InvalidData(
            f"社保卡号应为9位，实际{len(v)}位 (card number must have 9 characters)",
            detail=f"length {len(v)}",
        )
    expected = card_number_check(v[:8])
    if v[8] != expected:
        raise InvalidData(
            "社保卡号校验位错误 (card number check character is wrong)",
            detail=f"check character {v[8]!r}, expected {expected!r}",
        )
    return v


_CARD_ID_CODE = re.compile(r"[0-9A-F]{32}")


def is_card_id_code(value: str) -> bool:
    """True for a card identification code (卡识别码: 32 hexadecimal digits, EF05 item 01);
    a social security card number (9 letters and digits) never is one."""
    return _CARD_ID_CODE.fullmatch(value.strip().upper()) is not None
