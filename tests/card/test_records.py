"""Record codecs: every field's own vectors, unwritten records, names, and the two views."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from station.codecs import records as R
from station.codecs.records import (
    EF05_FIELDS,
    EF06_FIELDS,
    Field,
    HolderData,
    IssuerData,
)
from station.codecs.validators import InvalidData

ALL_FIELDS = EF05_FIELDS + EF06_FIELDS
DE_ENCODE = [
    pytest.param(f, rec, val, id=f"{f.tag:02X}-{rec}")
    for f in ALL_FIELDS
    for rec, val in f.test_de_encode
]
DECODE_ONLY = [
    pytest.param(f, rec, val, id=f"{f.tag:02X}-{rec}")
    for f in ALL_FIELDS
    for rec, val in f.test_decode
]


def test_every_field_has_vectors() -> None:
    assert all(f.test_de_encode for f in ALL_FIELDS)


@pytest.mark.parametrize(("field", "record", "value"), DE_ENCODE)
def test_field_de_encode(field: Field, record: str, value: Any) -> None:
    raw = bytes.fromhex(record)
    assert len(raw) == 2 + field.length
    assert field.encode(value) == raw
    assert field.decode(raw) == value


@pytest.mark.parametrize(("field", "record", "value"), DECODE_ONLY)
def test_field_decode_only(field: Field, record: str, value: Any) -> None:
    assert field.decode(bytes.fromhex(record)) == value


@pytest.mark.parametrize("field", ALL_FIELDS, ids=lambda f: f"{f.tag:02X}")
def test_unwritten_records_read_as_none(field: Field) -> None:
    assert field.decode(field.blank()) is None
    assert field.decode(bytes((field.tag, field.length)) + bytes(field.length)) is None


def test_record_order_is_the_reference_layout() -> None:
    assert [f.tag for f in EF05_FIELDS] == [1, 2, 3, 4, 5, 6, 7]
    assert [f.tag for f in EF06_FIELDS] == [0x08, 0x09, 0x4E, 0x0A, 0x0B, 0x0C, 0x0D]
    assert R.record_number(0x4E) == 3
    assert R.record_number(0x07) == 7


def test_cn_padding_and_short_records() -> None:
    assert R.F_BIRTHPLACE.encode("110101") == bytes.fromhex("0C03110101")
    with pytest.raises(InvalidData):
        R.F_BIRTHPLACE.encode("1101")
    # a record shorter than its length byte says
    with pytest.raises(InvalidData, match="长度"):
        R.F_SSN.decode(bytes.fromhex("081231"))
    with pytest.raises(InvalidData, match="标签"):
        R.F_SSN.decode(R.F_NAME.blank())


@pytest.mark.parametrize(
    ("field", "bad"),
    [
        (R.F_SEX, "3"),
        (R.F_ETHNICITY, "57"),
        (R.F_ETHNICITY, "00"),
        (R.F_ETHNICITY, "99"),
        (R.F_CARD_TYPE, "5"),
        (R.F_CARD_NUMBER, "A00000012"),
        (R.F_CARD_ID, "5101"),
        (R.F_CARD_ID, "Z10100D156000005C0666779C8C975CC"),
        (R.F_ISSUE_DATE, "20200101"),
    ],
)
def test_bad_values_refused(field: Field, bad: Any) -> None:
    with pytest.raises(InvalidData) as info:
        field.encode(bad)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)


def test_bad_date_on_card_is_reported() -> None:
    with pytest.raises(InvalidData, match="日期"):
        R.F_BIRTH_DATE.decode(bytes.fromhex("0D0419901332"))


def test_read_record_mode5_concatenation() -> None:
    issuer = IssuerData(card_id_code="510100D156000005C0666779C8C975CC", spec_version="3.00")
    blob = b"".join(issuer.to_records().values()) + b"\x00" * 5
    recs = R.parse_records(blob)
    assert set(recs) == {0x01, 0x03}
    assert IssuerData.from_records(recs) == issuer
    with pytest.raises(InvalidData):
        list(R.iter_records(bytes.fromhex("0110AABB")))


# -- names ---------------------------------------------------------------------------------


def test_rare_character_notation() -> None:
    assert R.validate_name("张[CHUI]") == "张[CHUI]"
    assert R.has_rare_characters("张[CHUI]")
    assert not R.has_rare_characters("张三")
    for bad, reason in [
        ("张[chui]", "大写"),
        ("张【CHUI】", "半角"),
        ("张[CHUI", "配对"),
        ("张[ZHANGSAN]", "一个"),
        ("张[]", "一个"),
        ("张𠀀", "GBK"),  # U+20000, outside GBK
        (" 张三", "空格"),
        ("", "空"),
    ]:
        with pytest.raises(InvalidData, match=reason):
            R.validate_name(bad)


def test_name_split_over_09_and_4e_at_character_boundary() -> None:
    name = "欧阳" * 8  # 32 GBK bytes: 30 in 09 (15 characters), 2 in 4E
    head, ext = R.split_name(name)
    assert head == name[:15] and ext == name[15:]
    holder = _holder(name=name)
    recs = holder.to_records()
    assert recs[0x09][2:] == name[:15].encode("gbk")
    assert recs[0x4E][2:4] == name[15:].encode("gbk")
    assert HolderData.from_records(recs).name == name
    # a writer that split inside a character is still read right (bytes are joined first)
    raw = name.encode("gbk")
    odd = {**recs, 0x09: b"\x09\x1e" + raw[:29] + b"\x00", 0x4E: b"\x4e\x14" + raw[29:] + bytes(17)}
    assert HolderData.from_records(odd).name == name


def test_name_too_long() -> None:
    with pytest.raises(InvalidData, match="过长"):
        R.validate_name("张" * 26)  # 52 bytes
    R.validate_name("张" * 25)


# -- views -----------------------------------------------------------------------------------

SSN = "110101199003077678"


def _holder(**kw: Any) -> HolderData:
    base: dict[str, Any] = dict(
        ssn=SSN,
        name="张三",
        sex="1",
        ethnicity="01",
        birthplace="110101",
        birth_date=dt.date(1990, 3, 7),
    )
    base.update(kw)
    return HolderData(**base)


def test_holder_round_trip() -> None:
    h = _holder(name="张[CHUI]")
    recs = h.to_records()
    assert [R.record_number(t) for t in recs] == [1, 2, 3, 4, 5, 6, 7]
    assert recs[0x4E] == bytes.fromhex("4E14") + bytes(20)
    assert HolderData.from_records(recs) == h
    assert h.has_rare_characters


def test_holder_validation() -> None:
    with pytest.raises(InvalidData, match="校验位"):
        _holder(ssn=SSN[:-1] + "0")
    with pytest.raises(InvalidData, match="出生日期"):
        _holder(birth_date=dt.date(1990, 3, 8))
    with pytest.raises(InvalidData, match="18位"):
        _holder(ssn="H12345678")
    # a foreigner's number only when the caller says so
    h = _holder(ssn="h12345678", other_ssn=True)
    assert h.ssn == "H12345678"
    assert HolderData.from_records(h.to_records(), other_ssn=True) == h
    with pytest.raises(InvalidData):
        HolderData.from_records(h.to_records())
    assert _holder(ssn=SSN.lower()).ssn == SSN


def test_holder_missing_records() -> None:
    recs = _holder().to_records()
    recs[0x0D] = R.F_BIRTH_DATE.blank()
    del recs[0x0A]
    with pytest.raises(InvalidData, match="未写入") as info:
        HolderData.from_records(recs)
    assert "出生日期" in info.value.message and "性别" in info.value.message


def test_issuer_round_trip_and_region() -> None:
    i = IssuerData(
        card_id_code="510100d156000005c0666779c8c975cc",
        card_type="3",
        spec_version="3.00",
        init_org="915600000251010051010001",
        issue_date=dt.date(2024, 5, 1),
        expiry=dt.date(2034, 5, 1),
        card_number="A00000011",
    )
    assert i.card_id_code == "510100D156000005C0666779C8C975CC"
    assert i.region == "510100"
    recs = i.to_records()
    assert list(recs) == [1, 2, 3, 4, 5, 6, 7]
    assert IssuerData.from_records(recs) == i
    assert IssuerData().to_records() == {}
    assert IssuerData.from_records({f.tag: f.blank() for f in EF05_FIELDS}) == IssuerData()
    with pytest.raises(InvalidData, match="有效期"):
        IssuerData(issue_date=dt.date(2024, 5, 1), expiry=dt.date(2020, 1, 1))


def test_card_id_code_is_recognised_by_its_form_not_its_length() -> None:
    from station.codecs.validators import is_card_id_code

    assert is_card_id_code("510100D156000005C0666779C8C975CC")
    assert is_card_id_code(" 510100d156000005c0666779c8c975cc ")
    assert not is_card_id_code("A12345678")  # a card number
    assert not is_card_id_code("Z" * 32)  # 32 characters, not hex
    assert not is_card_id_code("5" * 31)
