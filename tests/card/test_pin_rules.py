"""New-PIN rules and the validators' error texts (pure functions, no card)."""

from __future__ import annotations

import datetime as dt

import pytest

from station.card.errors import InvalidPin, PinMismatch, WeakPin
from station.card.pin import birth_date_pins, check_new_pin, weak_pin_reason
from station.codecs.validators import (
    InvalidData,
    birth_date_from_id,
    card_number_check,
    citizen_id_check,
    validate_card_number,
    validate_citizen_id,
)

SSN = "110101199003077678"


@pytest.mark.parametrize(
    ("pin", "why"),
    [
        ("000000", "相同"),
        ("888888", "相同"),
        ("123456", "递增"),
        ("890123", "递增"),
        ("654321", "递减"),
        ("3210", "递减"),
        ("077678", "末几位"),
    ],
)
def test_weak_pins_refused_with_reason(pin: str, why: str) -> None:
    reason = weak_pin_reason(pin, ssn=SSN)
    assert reason is not None and why in reason
    assert pin not in reason
    with pytest.raises(WeakPin) as info:
        check_new_pin(pin, pin, ssn=SSN)
    assert why in info.value.message and pin not in str(info.value)


@pytest.mark.parametrize("pin", ["739514", "135790", "2468", "112233445566"])
def test_good_pins_pass(pin: str) -> None:
    assert weak_pin_reason(pin, ssn=SSN) is None
    check_new_pin(pin, pin, ssn=SSN)


def test_pin_format_and_mismatch() -> None:
    for bad in ("123", "1234567890123", "12a456", "１２３４５６", ""):
        with pytest.raises(InvalidPin) as info:
            check_new_pin(bad, bad)
        assert "4至12位数字" in info.value.message
    with pytest.raises(PinMismatch):
        check_new_pin("739514", "739515")
    with pytest.raises(WeakPin, match="相同"):
        check_new_pin("739514", "739514", old="739514")


def test_validators() -> None:
    assert citizen_id_check(SSN[:17]) == SSN[17]
    assert validate_citizen_id(" " + SSN.lower() + " ") == SSN
    assert birth_date_from_id(SSN).isoformat() == "1990-03-07"
    with pytest.raises(InvalidData, match="出生日期"):
        body = "11010119900230767"
        validate_citizen_id(body + citizen_id_check(body))
    assert card_number_check("A0000001") == "1"
    assert validate_card_number("a00000011") == "A00000011"
    with pytest.raises(InvalidData, match="校验位"):
        validate_card_number("A00000012")
    with pytest.raises(InvalidData, match="数字和大写字母"):
        validate_card_number("A0000-011")


# born 1990-03-07 (inside SSN); the receipt's warning says: no birth dates
@pytest.mark.parametrize(
    "pin",
    ["900307", "030790", "070390", "199003", "19900307", "07031990", "03071990", "0307", "1990"],
)
def test_birth_date_pins_refused(pin: str) -> None:
    reason = weak_pin_reason(pin, ssn=SSN)
    assert reason is not None and "出生日期" in reason and pin not in reason
    with pytest.raises(WeakPin, match="出生日期"):
        check_new_pin(pin, pin, ssn=SSN)
    # the same from the holder's birth date alone (a foreign SSN without a date inside)
    with pytest.raises(WeakPin, match="出生日期"):
        check_new_pin(pin, pin, ssn="H12345678", birth_date=dt.date(1990, 3, 7))


def test_birth_date_rule_is_about_this_holder() -> None:
    assert birth_date_pins(dt.date(1990, 3, 7)) >= {"900307", "030790", "070390", "19900307"}
    # someone else's birth date is not this holder's
    assert weak_pin_reason("851231", ssn=SSN) is None
    assert weak_pin_reason("900307", ssn="44030419851231002X") is None
