"""Personalisation in-process: write + read-back verify, wrong blanks, a lying card."""

from __future__ import annotations

import datetime as dt

import pytest

from station.apdu.virtual import VirtualTransport
from station.card.personalise import (
    PHOTO_MAX,
    PersonalisationMismatch,
    PhotoTooLarge,
    WrongBlank,
    personalise,
)
from station.card.reader import read_card
from station.codecs.records import HolderData, IssuerData
from station.codecs.validators import InvalidData, citizen_id_check
from station.crypto.provider import SoftKeyStore
from station.emulator.cards import make_card
from station.errors import ErrorCode
from station.profiles import load_profile

FIRST17 = "44030519900715123"
HOLDER = HolderData(
    ssn=FIRST17 + citizen_id_check(FIRST17),
    name="李测试",
    sex="2",
    ethnicity="01",
    birthplace="440305",
    birth_date=dt.date(1990, 7, 15),
)


@pytest.fixture
def blank():
    profile = load_profile("gen3-sm4-blank")
    t = VirtualTransport(make_card(profile))
    t.connect()
    return t, SoftKeyStore(profile.keyset())


def test_write_with_photo_and_dates(blank):
    t, keys = blank
    photo = bytes(range(256)) * 10 + b"\xff\xd9"
    issue = IssuerData(issue_date=dt.date(2026, 11, 23), expiry=dt.date(2036, 11, 23))
    back = personalise(t, keys, HOLDER, issuer=issue, photo=photo)
    assert back.holder == HOLDER
    assert back.issuer.issue_date == dt.date(2026, 11, 23)
    assert back.genuine is None  # the read-back itself is a plain read


def test_second_person_is_refused_and_nothing_changes(blank):
    t, keys = blank
    personalise(t, keys, HOLDER)
    other = HolderData(
        ssn=HOLDER.ssn,
        name="王其他",
        sex="1",
        ethnicity="01",
        birthplace="440305",
        birth_date=HOLDER.birth_date,
    )
    with pytest.raises(WrongBlank):
        personalise(t, keys, other)
    assert read_card(t, keys).holder == HOLDER


def test_factory_card_number_must_match(blank):
    t, keys = blank
    have = read_card(t, keys).issuer.card_number
    assert have is not None
    from station.codecs.validators import card_number_check

    other = "B9999999"
    other += card_number_check(other)
    assert other != have
    with pytest.raises(WrongBlank, match="not the expected blank"):
        personalise(t, keys, HOLDER, issuer=IssuerData(card_number=other))
    assert read_card(t, keys).holder is None


def test_oversized_photo_refused_before_writing(blank):
    t, keys = blank
    # issue 10 #6: bad input, not a failed write (a recovering job would spoil the card)
    with pytest.raises(PhotoTooLarge, match="4096") as err:
        personalise(t, keys, HOLDER, photo=bytes(5000))
    assert not isinstance(err.value, PersonalisationMismatch)
    assert read_card(t, keys).holder is None


class Counting(VirtualTransport):
    """Counts the commands that reach the card."""

    sent = 0

    def _exchange(self, raw: bytes) -> bytes:
        self.sent += 1
        return super()._exchange(raw)


def test_oversized_photo_is_bad_input_and_the_blank_stays_good():
    profile = load_profile("gen3-sm4-blank")
    t = Counting(make_card(profile))
    t.connect()
    keys = SoftKeyStore(profile.keyset())
    with pytest.raises(PhotoTooLarge) as err:
        personalise(t, keys, HOLDER, photo=bytes(PHOTO_MAX + 1))
    assert t.sent == 0  # refused before the card heard a single command
    assert isinstance(err.value, InvalidData)
    assert err.value.code == ErrorCode.DATA_LENGTH != PersonalisationMismatch.code
    back = personalise(t, keys, HOLDER, photo=bytes(PHOTO_MAX))  # the largest that fits
    assert back.holder == HOLDER and t.sent > 0


class DropsName(VirtualTransport):
    """A card that acknowledges the name record but does not store it."""

    def _exchange(self, raw: bytes) -> bytes:
        if raw[1] == 0xDC and len(raw) > 5 and raw[5] == 0x09:
            return b"\x90\x00"
        return super()._exchange(raw)


def test_lying_card_is_caught_by_read_back():
    profile = load_profile("gen3-sm4-blank")
    t = DropsName(make_card(profile))
    t.connect()
    with pytest.raises(PersonalisationMismatch) as err:
        personalise(t, SoftKeyStore(profile.keyset()), HOLDER)
    assert "EF06 differs" in err.value.detail and "name" in err.value.detail
