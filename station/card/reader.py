"""Read a social security card: SSSE selection, EF05 and EF06, optional genuineness check,
and the national basic-read string (card-spec §6).

APDUs are kept few because every one costs a reader round trip (and, through pcscd, a
context switch or two): each file is read with one READ RECORD in mode 5 (records P1..last
concatenated) with the exact Le the reference layout gives; a card that does not support
mode 5 is read record by record.  On third-generation cards EF06 may need the RK right:
by default the reader tries, and on ``6982`` authenticates with RK and reads again;
``holder_auth=HolderAuth.ALWAYS`` authenticates first (saves the failed APDU when the profile says
so), ``False`` never does.
"""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from station.apdu.status import SecurityNotSatisfied, error_for
from station.apdu.transport import Transport
from station.card import commands as C
from station.card.errors import CardDataError
from station.card.genuine import check_genuine
from station.card.ssse import SW_SECURITY, external_auth, historical_bytes, select_ssse
from station.codecs.records import (
    EF05_FIELDS,
    EF05_SFI,
    EF06_FIELDS,
    EF06_SFI,
    Field,
    HolderData,
    IssuerData,
    iter_records,
)
from station.codecs.validators import InvalidData
from station.crypto.algorithms import Alg
from station.crypto.keys import RK
from station.crypto.provider import CardKeyContext, KeyProvider

BLANK_CARD = "空白预制卡，未个人化 (blank card, not personalised)"

# status words that mean "this card does not do READ RECORD mode 5"
_NO_MODE5 = (0x6A86, 0x6A81, 0x6B00, 0x6D00, 0x6700, 0x6981)


@dataclass(frozen=True)
class CardInfo:
    """Everything read from the card.  ``records`` holds every EF05/EF06 record as read
    (tag -> full record bytes); ``issuer`` and ``holder`` are their validated views
    (``holder`` is ``None`` on a card whose holder data is not written yet).
    ``warnings`` lists data the station accepted but a person should look at."""

    atr: bytes
    alg: Alg
    issuer: IssuerData
    holder: HolderData | None
    records: Mapping[int, bytes] = field(repr=False)
    genuine: bool | None = None
    warnings: tuple[str, ...] = ()

    @property
    def historical(self) -> bytes:
        return historical_bytes(self.atr)

    @property
    def region(self) -> str | None:
        return self.issuer.region

    @property
    def card_number(self) -> str:
        return self.issuer.card_number or ""

    @property
    def ssn(self) -> str:
        return self.holder.ssn if self.holder else ""

    @property
    def name(self) -> str:
        return self.holder.name if self.holder else ""

    @property
    def blank(self) -> bool:
        """A pre-made card: no holder data written (and none half written either)."""
        return self.holder is None and not any(
            f.tag in self.records and f.value_bytes(self.records[f.tag]) for f in EF06_FIELDS
        )

    @property
    def key_context(self) -> CardKeyContext:
        """What a key provider needs to diversify this card's keys."""
        region = self.region
        if region is None or not region.isdigit():
            raise CardDataError(
                "卡识别码未写入或无效，无法确定发卡地区 (card identification code missing)",
                detail=f"region {region!r}",
            )
        return CardKeyContext(self.alg, region, self.historical)


def _read_file(transport: Transport, sfi: int, fields: tuple[Field, ...]) -> dict[int, bytes]:
    """All records of one file, by tag.  Raises the typed error of a failing SW (6982 in
    particular, so the caller can authenticate and retry)."""
    expected = sum(2 + f.length for f in fields)
    cmd = C.read_records(sfi, expected)
    rsp = transport.transmit(cmd)
    if rsp.ok:
        try:
            records: dict[int, bytes] = {}
            for rec in iter_records(rsp.data):
                records.setdefault(rec[0], rec)
            return records
        except InvalidData as exc:
            raise CardDataError(exc.message, detail=exc.detail) from None
    if rsp.sw not in _NO_MODE5:
        raise error_for(rsp.sw, command=f"READ RECORD SFI {sfi:02X}", ins=0xB2)
    return _read_each(transport, sfi, fields)


def _read_each(transport: Transport, sfi: int, fields: tuple[Field, ...]) -> dict[int, bytes]:
    """Fallback: one READ RECORD per record, by record identifier (mode 0)."""
    records: dict[int, bytes] = {}
    for f in fields:
        cmd = C.read_record(sfi, f.tag, 2 + f.length)
        rsp = transport.transmit(cmd)
        if rsp.sw == 0x6A83:
            continue
        if not rsp.ok:
            raise error_for(rsp.sw, command=f"READ RECORD {f.tag:02X}", ins=0xB2)
        records[f.tag] = rsp.data
    return records


def _holder(records: Mapping[int, bytes], warnings: list[str]) -> HolderData | None:
    present = [f for f in EF06_FIELDS if f.tag in records and f.value_bytes(records[f.tag])]
    if not present:
        return None
    missing = [
        f.name
        for f in EF06_FIELDS
        if f.tag != 0x4E and (f.tag not in records or f.value_bytes(records[f.tag]) is None)
    ]
    if missing:
        warnings.append(
            f"持卡人信息不完整，未写入：{'、'.join(missing)} "
            f"(holder data incomplete, not written: {', '.join(missing)})"
        )
        return None
    try:
        return HolderData.from_records(records)
    except InvalidData as strict:
        try:
            holder = HolderData.from_records(records, other_ssn=True)
        except InvalidData as exc:
            raise CardDataError(exc.message, detail=exc.detail) from None
        warnings.append(
            "社会保障号码不是有效的居民身份证号码 (SSN is not a citizen ID number)："
            + strict.message
        )
        return holder


class HolderAuth(enum.Enum):
    """When reading EF06 authenticates with the card's RK (reading key)."""

    AUTO = "auto"  # read; authenticate only if the card answers 6982, then read again
    ALWAYS = "always"  # authenticate first (saves the refused read where the profile says so)
    NEVER = "never"  # never authenticate: a protected EF06 is an error


def read_card(
    transport: Transport,
    provider: KeyProvider | None = None,
    *,
    holder_auth: HolderAuth = HolderAuth.AUTO,
    check_genuineness: bool = False,
) -> CardInfo:
    """Select SSSE and read EF05 and EF06 (and check genuineness if asked, before the
    holder data is read so a forged card gives away nothing more).

    ``provider`` is needed for genuineness and for the RK right; without one a card that
    protects EF06 raises ``SecurityNotSatisfied`` with a message saying what is missing.
    """
    alg = select_ssse(transport)
    atr = transport.atr
    try:
        ef05 = _read_file(transport, EF05_SFI, EF05_FIELDS)
        issuer = IssuerData.from_records(ef05)
    except InvalidData as exc:
        raise CardDataError(exc.message, detail=exc.detail) from None
    probe = CardInfo(atr, alg, issuer, None, ef05)

    genuine: bool | None = None
    if check_genuineness:
        if provider is None:
            raise _need_keys("卡片真伪校验")
        check_genuine(transport, provider, probe.key_context)
        genuine = True

    if holder_auth is HolderAuth.ALWAYS:
        if provider is None:
            raise _need_keys("读取持卡人信息")
        external_auth(transport, provider, probe.key_context, RK)
    try:
        ef06 = _read_file(transport, EF06_SFI, EF06_FIELDS)
    except SecurityNotSatisfied:
        if holder_auth is not HolderAuth.AUTO:
            raise
        if provider is None:
            raise _need_keys("读取持卡人信息") from None
        external_auth(transport, provider, probe.key_context, RK)
        ef06 = _read_file(transport, EF06_SFI, EF06_FIELDS)

    warnings: list[str] = []
    holder = _holder(ef06, warnings)
    if issuer.expiry is not None and issuer.expiry < _dt.date.today():
        warnings.append(
            f"卡片已过有效期（{issuer.expiry:%Y-%m-%d}） (card expired on {issuer.expiry:%Y-%m-%d})"
        )
    return CardInfo(
        atr, alg, issuer, holder, {**ef05, **ef06}, genuine=genuine, warnings=tuple(warnings)
    )


def _need_keys(what: str) -> SecurityNotSatisfied:
    return SecurityNotSatisfied(
        SW_SECURITY,
        command=what,
        message=f"{what}需要PSAM卡或密钥文件 (needs a PSAM or a key file)",
    )


def basic_read_string(info: CardInfo, terminal_number: str, device_number: str = "") -> str:
    """The national basic-read output (``iReadCardBas``): 11 fields, each followed by ``|``.

    region | SSN | card number | card id code | name | ATR historical bytes (hex) |
    spec version | issue date | expiry | terminal number | device number |
    Missing items are empty; dates are YYYYMMDD; hex is upper case.
    """
    i = info.issuer

    def day(d: _dt.date | None) -> str:
        return "" if d is None else d.strftime("%Y%m%d")

    fields = [
        i.region or "",
        info.ssn,
        i.card_number or "",
        i.card_id_code or "",
        info.name,
        info.historical.hex().upper(),
        i.spec_version or "",
        day(i.issue_date),
        day(i.expiry),
        terminal_number,
        device_number,
    ]
    return "".join(f"{v}|" for v in fields)
