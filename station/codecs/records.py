"""EF05 (issuer data) and EF06 (holder data) of the SSSE application, as declarative codecs.

Each record is ``tag(1) len(1) value`` with the tag doubling as the record identifier and a
fixed maximum length (card-spec §2).  A ``Field`` names one record; its ``ValueCodec`` turns
the padded value bytes into a Python value and back.  Every field lists its own encode/decode
vectors in ``test_de_encode`` (full record hex ↔ value, the pySim ``_test_de_encode`` habit)
and decode-only vectors in ``test_decode``, so one parametrised test sweeps them all and a new
field cannot arrive untested.

The record order inside each file is fixed by the station's reference model: record number =
index in ``EF05_FIELDS`` / ``EF06_FIELDS`` + 1.  The emulator builds its files from the same
tables, so reader and card can never disagree on a layout.

``IssuerData`` and ``HolderData`` are the validated views of the two files.  Validation
happens on construction, so a value that exists is writable: the error comes before anything
touches a card, with a message a teller can act on.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from station.codecs.names import (
    NAME_BYTES,
    NAME_EXT_BYTES,
    GbkText,
    has_rare_characters,
    join_name,
    split_name,
    validate_name,
)
from station.codecs.validators import (
    InvalidData,
    birth_date_from_id,
    validate_citizen_id,
)
from station.codecs.values import (
    Ascii,
    BcdDate,
    CardNumber,
    Digits,
    HexDigits,
    Kind,
    Ssn,
    ValueCodec,
)

# -- fields ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One record: tag (= record identifier), a name for messages, the ``cn``/``an`` kind
    (which decides the padding) and the fixed value length."""

    tag: int
    name: str
    kind: Kind
    length: int
    codec: ValueCodec = field(compare=False, repr=False)
    # (full record as hex, value): encode(value) == record and decode(record) == value
    test_de_encode: tuple[tuple[str, Any], ...] = field(default=(), compare=False, repr=False)
    # (full record as hex, value): decode only (unusual but legal spellings on real cards)
    test_decode: tuple[tuple[str, Any], ...] = field(default=(), compare=False, repr=False)

    @property
    def pad(self) -> int:
        return 0xFF if self.kind == "cn" else 0x00

    def blank(self) -> bytes:
        """The record as an unwritten card holds it: tag, length, all FF."""
        return bytes((self.tag, self.length)) + b"\xff" * self.length

    def encode_value(self, value: Any) -> bytes:
        out = self.codec.encode(value, self.length)
        if len(out) != self.length:  # pragma: no cover - codec contract
            raise InvalidData(detail=f"codec for {self.tag:02X} produced {len(out)} bytes")
        return out

    def encode(self, value: Any) -> bytes:
        """The full record: ``tag len value`` with the value padded to the fixed length."""
        return bytes((self.tag, self.length)) + self.encode_value(value)

    def value_bytes(self, record: bytes) -> bytes | None:
        """The value of a record with the padding stripped; ``None`` if unwritten."""
        if len(record) < 2:
            raise InvalidData(
                f"{self.name}记录不完整 (record too short)", detail=f"tag {self.tag:02X}"
            )
        tag, n = record[0], record[1]
        if tag != self.tag:
            raise InvalidData(
                f"{self.name}记录标签不符 (record tag mismatch)",
                detail=f"expected {self.tag:02X}, got {tag:02X}",
            )
        value = record[2 : 2 + n]
        if len(value) != n or n > self.length:
            raise InvalidData(
                f"{self.name}记录长度错误 (record length wrong)",
                detail=f"tag {self.tag:02X}: len {n}, {len(value)} bytes, max {self.length}",
            )
        if not value or all(b == 0xFF for b in value) or all(b == 0 for b in value):
            return None
        if self.kind == "an":
            return value.rstrip(b"\x00").rstrip(b"\xff").rstrip(b"\x00")
        return value

    def decode(self, record: bytes) -> Any:
        """The Python value of a full record, or ``None`` if it was never written."""
        value = self.value_bytes(record)
        return None if value is None else self.codec.decode(value)


ETHNICITY_CODES = frozenset([f"{i:02d}" for i in range(1, 57)] + ["97", "98"])

_D = _dt.date

F_CARD_ID = Field(
    0x01,
    "卡识别码",
    "cn",
    16,
    HexDigits(32, "卡识别码"),
    (
        ("0110510100D156000005C0666779C8C975CC", "510100D156000005C0666779C8C975CC"),
        ("0110519900D15600000510000B26FFFFFFFF", "519900D15600000510000B26FFFFFFFF"),
    ),
)
F_CARD_TYPE = Field(
    0x02, "卡的类别", "an", 1, Ascii("卡的类别", r"[1-4]"), (("020133", "3"), ("020131", "1"))
)
F_SPEC_VERSION = Field(
    0x03,
    "规范版本",
    "an",
    4,
    Ascii("规范版本", r"\d\.\d{0,2}"),
    (("0304332E3030", "3.00"), ("0304322E3000", "2.0")),
    (("0304322E30FF", "2.0"),),
)
F_INIT_ORG = Field(
    0x04,
    "初始化机构编号",
    "cn",
    12,
    HexDigits(24, "初始化机构编号"),
    (("040C915600000251010051010001", "915600000251010051010001"),),
)
F_ISSUE_DATE = Field(
    0x05,
    "发卡日期",
    "cn",
    4,
    BcdDate("发卡日期"),
    (("050420180403", _D(2018, 4, 3)), ("050419991231", _D(1999, 12, 31))),
)
F_EXPIRY = Field(
    0x06, "卡有效期", "cn", 4, BcdDate("卡有效期"), (("060420280403", _D(2028, 4, 3)),)
)
F_CARD_NUMBER = Field(
    0x07,
    "社保卡号",
    "an",
    9,
    CardNumber(),
    (("0709413030303030303131", "A00000011"), ("0709303030303030303139", "000000019")),
)

F_SSN = Field(
    0x08,
    "社会保障号码",
    "an",
    18,
    Ssn(),
    (
        ("0812313130313031313939303033303737363738", "110101199003077678"),
        ("0812414243313233" + "00" * 12, "ABC123"),
    ),
)
F_NAME = Field(
    0x09,
    "姓名",
    "an",
    NAME_BYTES,
    GbkText("姓名"),
    (
        ("091ED5C5C8FD" + "00" * 26, "张三"),
        ("091ED5C55B434855495D" + "00" * 22, "张[CHUI]"),
        ("091E4A4F484E20534D495448" + "00" * 20, "JOHN SMITH"),
    ),
)
F_NAME_EXT = Field(
    0x4E,
    "姓名扩展",
    "an",
    NAME_EXT_BYTES,
    GbkText("姓名扩展"),
    (("4E14C8FD" + "00" * 18, "三"),),
)
F_SEX = Field(
    0x0A,
    "性别",
    "an",
    1,
    Ascii("性别", r"[129]"),
    (("0A0131", "1"), ("0A0132", "2"), ("0A0139", "9")),
)
F_ETHNICITY = Field(
    0x0B,
    "民族",
    "cn",
    1,
    Digits(2, "民族", ETHNICITY_CODES),
    (("0B0101", "01"), ("0B0156", "56"), ("0B0197", "97"), ("0B0198", "98")),
)
F_BIRTHPLACE = Field(0x0C, "出生地", "cn", 3, Digits(6, "出生地"), (("0C03110101", "110101"),))
F_BIRTH_DATE = Field(
    0x0D,
    "出生日期",
    "cn",
    4,
    BcdDate("出生日期"),
    (("0D0419900307", _D(1990, 3, 7)),),
)

EF05_FIELDS: tuple[Field, ...] = (
    F_CARD_ID,
    F_CARD_TYPE,
    F_SPEC_VERSION,
    F_INIT_ORG,
    F_ISSUE_DATE,
    F_EXPIRY,
    F_CARD_NUMBER,
)
EF06_FIELDS: tuple[Field, ...] = (
    F_SSN,
    F_NAME,
    F_NAME_EXT,
    F_SEX,
    F_ETHNICITY,
    F_BIRTHPLACE,
    F_BIRTH_DATE,
)
# ASCII "sx1.sh." + GBK "社会保障": the DF name of the SSSE application these files live in
# (one constant for the host's SELECT and the virtual card's file tree)
SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")
EF05_SFI = 0x05
EF06_SFI = 0x06
EF05_FID = 0xEF05
EF06_FID = 0xEF06

FIELDS_BY_TAG: dict[int, Field] = {f.tag: f for f in EF05_FIELDS + EF06_FIELDS}


def record_number(tag: int) -> int:
    """The record number (1-based) of a tag inside its file, per the reference layout."""
    for fields in (EF05_FIELDS, EF06_FIELDS):
        for i, f in enumerate(fields):
            if f.tag == tag:
                return i + 1
    raise KeyError(f"unknown record tag {tag:02X}")


def iter_records(data: bytes) -> Iterator[bytes]:
    """Split concatenated TLV records (READ RECORD mode 5 output) into single records.
    Stops at padding (a tag of 00 or FF) after the last record."""
    i = 0
    while i < len(data):
        tag = data[i]
        if tag in (0x00, 0xFF):
            return
        if i + 2 > len(data) or i + 2 + data[i + 1] > len(data):
            raise InvalidData(
                "卡片记录数据不完整 (truncated record data)", detail=f"at offset {i}: {tag:02X}"
            )
        n = data[i + 1]
        yield data[i : i + 2 + n]
        i += 2 + n


def parse_records(data: bytes) -> dict[int, bytes]:
    """Concatenated records to ``{tag: record}`` (the first record of each tag wins)."""
    out: dict[int, bytes] = {}
    for rec in iter_records(data):
        out.setdefault(rec[0], rec)
    return out


def _get(records: Mapping[int, bytes], f: Field) -> Any:
    rec = records.get(f.tag)
    return None if rec is None else f.decode(rec)


# -- the two files --------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuerData:
    """EF05: what the factory and the issuer wrote.  Any item may be absent (``None``) on
    a pre-made card; ``to_records`` returns only the items that are set."""

    card_id_code: str | None = None
    card_type: str | None = None
    spec_version: str | None = None
    init_org: str | None = None
    issue_date: _dt.date | None = None
    expiry: _dt.date | None = None
    card_number: str | None = None

    def __post_init__(self) -> None:
        # encoding validates; store the normalised spellings
        for f, attr in _EF05_ATTRS:
            value = getattr(self, attr)
            if value is not None:
                object.__setattr__(self, attr, f.decode(f.encode(value)))
        if self.issue_date and self.expiry and self.expiry < self.issue_date:
            raise InvalidData(
                "卡有效期早于发卡日期 (expiry is before the issue date)",
                detail=f"{self.issue_date} > {self.expiry}",
            )

    @property
    def region(self) -> str | None:
        """The 6-digit issuing region (first 6 digits of the card identification code)."""
        return None if self.card_id_code is None else self.card_id_code[:6]

    def to_records(self) -> dict[int, bytes]:
        return {
            f.tag: f.encode(getattr(self, attr))
            for f, attr in _EF05_ATTRS
            if getattr(self, attr) is not None
        }

    @classmethod
    def from_records(cls, records: Mapping[int, bytes]) -> IssuerData:
        return cls(**{attr: _get(records, f) for f, attr in _EF05_ATTRS})


_EF05_ATTRS: tuple[tuple[Field, str], ...] = (
    (F_CARD_ID, "card_id_code"),
    (F_CARD_TYPE, "card_type"),
    (F_SPEC_VERSION, "spec_version"),
    (F_INIT_ORG, "init_org"),
    (F_ISSUE_DATE, "issue_date"),
    (F_EXPIRY, "expiry"),
    (F_CARD_NUMBER, "card_number"),
)

# IssuerData attribute -> EF05 record tag
EF05_TAGS: dict[str, int] = {attr: f.tag for f, attr in _EF05_ATTRS}


@dataclass(frozen=True)
class HolderData:
    """EF06: the cardholder.  All items are required for writing.

    ``ssn`` must be an 18-character citizen ID number (check character and birth date
    inside are verified, and ``birth_date`` must match it) unless ``other_ssn`` is set:
    foreigners and residents of Hong Kong, Macau and Taiwan get numbers by other rules, and
    only the caller knows that this holder is one of them.
    """

    ssn: str
    name: str
    sex: str
    ethnicity: str
    birthplace: str
    birth_date: _dt.date
    other_ssn: bool = field(default=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        ssn = self.ssn.strip().upper()
        if not self.other_ssn:
            ssn = validate_citizen_id(ssn)
            born = birth_date_from_id(ssn)
            if born != self.birth_date:
                raise InvalidData(
                    "出生日期与社会保障号码不一致 (birth date does not match the ID number)",
                    detail=f"{self.birth_date} vs {born}",
                )
        object.__setattr__(self, "ssn", F_SSN.decode(F_SSN.encode(ssn)))
        validate_name(self.name)
        for f, attr in ((F_SEX, "sex"), (F_ETHNICITY, "ethnicity"), (F_BIRTHPLACE, "birthplace")):
            value = str(getattr(self, attr)).strip()
            object.__setattr__(self, attr, f.decode(f.encode(value)))
        F_BIRTH_DATE.encode(self.birth_date)

    @property
    def has_rare_characters(self) -> bool:
        return has_rare_characters(self.name)

    def to_records(self) -> dict[int, bytes]:
        head, ext = split_name(self.name)
        return {
            F_SSN.tag: F_SSN.encode(self.ssn),
            F_NAME.tag: F_NAME.encode(head),
            F_NAME_EXT.tag: F_NAME_EXT.encode(ext),
            F_SEX.tag: F_SEX.encode(self.sex),
            F_ETHNICITY.tag: F_ETHNICITY.encode(self.ethnicity),
            F_BIRTHPLACE.tag: F_BIRTHPLACE.encode(self.birthplace),
            F_BIRTH_DATE.tag: F_BIRTH_DATE.encode(self.birth_date),
        }

    @classmethod
    def from_records(cls, records: Mapping[int, bytes], *, other_ssn: bool = False) -> HolderData:
        missing = [
            f.name
            for f in EF06_FIELDS
            if f is not F_NAME_EXT
            and (f.tag not in records or f.value_bytes(records[f.tag]) is None)
        ]
        if missing:
            raise InvalidData(
                f"持卡人信息未写入：{'、'.join(missing)} (holder data not written)",
                detail=",".join(f"{FIELDS_BY_TAG_NAME[m]:02X}" for m in missing),
            )
        name = join_name(
            F_NAME.value_bytes(records[F_NAME.tag]),
            F_NAME_EXT.value_bytes(records[F_NAME_EXT.tag]) if F_NAME_EXT.tag in records else None,
        )
        if name is None:  # pragma: no cover - record 09 was checked above
            raise InvalidData("姓名未写入 (name not written)")
        return cls(
            ssn=_get(records, F_SSN),
            name=name,
            sex=_get(records, F_SEX),
            ethnicity=_get(records, F_ETHNICITY),
            birthplace=_get(records, F_BIRTHPLACE),
            birth_date=_get(records, F_BIRTH_DATE),
            other_ssn=other_ssn,
        )


FIELDS_BY_TAG_NAME: dict[str, int] = {f.name: f.tag for f in EF05_FIELDS + EF06_FIELDS}

# the names and value codecs are part of this module's interface (callers import the
# record model from one place)
__all__ = [
    "EF05_FID",
    "EF05_FIELDS",
    "EF05_SFI",
    "EF05_TAGS",
    "EF06_FID",
    "EF06_FIELDS",
    "EF06_SFI",
    "ETHNICITY_CODES",
    "FIELDS_BY_TAG",
    "FIELDS_BY_TAG_NAME",
    "F_BIRTHPLACE",
    "F_BIRTH_DATE",
    "F_CARD_ID",
    "F_CARD_NUMBER",
    "F_CARD_TYPE",
    "F_ETHNICITY",
    "F_EXPIRY",
    "F_INIT_ORG",
    "F_ISSUE_DATE",
    "F_NAME",
    "F_NAME_EXT",
    "F_SEX",
    "F_SPEC_VERSION",
    "F_SSN",
    "NAME_BYTES",
    "NAME_EXT_BYTES",
    "SSSE_AID",
    "Ascii",
    "BcdDate",
    "CardNumber",
    "Digits",
    "Field",
    "GbkText",
    "HexDigits",
    "HolderData",
    "InvalidData",
    "IssuerData",
    "Kind",
    "Ssn",
    "ValueCodec",
    "birth_date_from_id",
    "has_rare_characters",
    "iter_records",
    "join_name",
    "parse_records",
    "record_number",
    "split_name",
    "validate_citizen_id",
    "validate_name",
]
