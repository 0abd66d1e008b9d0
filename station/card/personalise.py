"""The instant-issue chip write (card-spec §7): external authentication with UK, UPDATE
RECORD of the holder data (EF06) and of the EF05 items the factory left empty, an optional
photo (EF08), then a full read-back compared item by item.

A blank that already carries a *different* value for an item we would write is the wrong
blank: nothing is written and ``WrongBlank`` is raised, so the issuance job can reject
the card instead of overwriting someone else's data.  A photo larger than EF08 raises
``PhotoTooLarge`` before the card is even read: bad input, the card is still good.  Any
read-back difference raises ``PersonalisationMismatch``: the card is not good and must be
reported as a failed write.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from station.apdu.transport import Transport
from station.card import commands as C
from station.card.reader import CardInfo, HolderAuth, read_card
from station.card.ssse import external_auth
from station.codecs.records import (
    EF05_SFI,
    EF05_TAGS,
    EF06_SFI,
    HolderData,
    IssuerData,
    record_number,
)
from station.codecs.validators import InvalidData
from station.crypto.keys import UK
from station.crypto.provider import KeyProvider
from station.errors import CardError, ErrorCode

EF08_FID = 0xEF08
PHOTO_MAX = 0x1000
_CHUNK = 0xF0

# EF05 items an issuer writes at issuance (the others are the factory's)
ISSUER_WRITABLE = ("issue_date", "expiry", "card_number")


class WrongBlank(CardError):
    """The card already holds other data for an item we must write."""

    default_message = "卡片内已有不同的数据，不是预期的空白卡 (card is not the expected blank)"
    code = ErrorCode.INPUT_DIFFERS_FROM_CARD


class PersonalisationMismatch(CardError):
    """What was read back differs from what was written: a failed write."""

    default_message = "写卡后回读校验不一致，制卡失败 (read-back differs from the data written)"
    code = ErrorCode.WRITE_VERIFY_FAILED


class PhotoTooLarge(InvalidData):
    """The photo does not fit EF08.  Bad input, not a bad card: raised before anything is
    sent, so a recovering issuance job never spoils a good blank for it (a
    ``PersonalisationMismatch`` would say the card itself failed)."""

    default_message = "照片文件过大，超过4096字节 (photo larger than 4096 bytes)"
    code = ErrorCode.DATA_LENGTH


def check_photo(photo: bytes | None) -> None:
    """Refuse a photo EF08 cannot hold (``PhotoTooLarge``); callers check before writing."""
    if photo is not None and len(photo) > PHOTO_MAX:
        raise PhotoTooLarge(detail=f"{len(photo)} B > {PHOTO_MAX} B")


@dataclass(frozen=True)
class WritePlan:
    """Which records go to the card, computed before anything is sent."""

    ef06: dict[int, bytes]
    ef05: dict[int, bytes]
    photo: bytes | None


def plan_write(
    current: CardInfo, holder: HolderData, issuer: IssuerData | None, photo: bytes | None
) -> WritePlan:
    """Decide what to write and refuse the wrong blank before touching the card.

    Every EF05 item given must either be absent on the card (then it is written, if it is
    an issuer item) or equal to what the card holds; factory items are never rewritten.
    """
    ef05: dict[int, bytes] = {}
    if issuer is not None:
        records = issuer.to_records()
        for attr, tag in EF05_TAGS.items():
            value, have = getattr(issuer, attr), getattr(current.issuer, attr)
            if value is None:
                continue
            if have is not None and have != value:
                raise WrongBlank(detail=f"EF05 {attr}: card has another value")
            if have is None and attr in ISSUER_WRITABLE:
                ef05[tag] = records[tag]
    if current.holder is not None and current.holder != holder:
        raise WrongBlank(detail="EF06 already holds another person's data")
    check_photo(photo)
    return WritePlan(ef06=holder.to_records(), ef05=ef05, photo=photo)


def _update_record(transport: Transport, sfi: int, tag: int, record: bytes) -> None:
    cmd = C.update_record(sfi, record_number(tag), record)
    transport.send(cmd, name=f"UPDATE RECORD {sfi:02X}/{tag:02X}")


def _write_photo(transport: Transport, photo: bytes) -> None:
    transport.send(C.select_file(EF08_FID), name="SELECT EF08")
    for offset in range(0, len(photo), _CHUNK):
        chunk = photo[offset : offset + _CHUNK]
        transport.send(C.update_binary(offset, chunk), name="UPDATE BINARY EF08")


def _read_photo(transport: Transport, length: int) -> bytes:
    transport.send(C.select_file(EF08_FID), name="SELECT EF08")
    out = bytearray()
    while len(out) < length:
        n = min(_CHUNK, length - len(out))
        rsp = transport.send(C.read_binary(len(out), n), name="READ BINARY EF08")
        if not rsp.data:
            break
        out += rsp.data
    return bytes(out)


def personalise(
    transport: Transport,
    provider: KeyProvider,
    holder: HolderData,
    *,
    issuer: IssuerData | None = None,
    photo: bytes | None = None,
    check_genuineness: bool = True,
    current: CardInfo | None = None,
) -> CardInfo:
    """Write a blank and prove it by reading everything back.  Returns the read-back.

    ``current``: the card as the caller has just read it *on this same link* (with the
    genuineness check, if one is wanted): the first read is then not repeated — an
    exclusive PC/SC link that a removed or reset card breaks is still talking to that
    card.  The read-back is never skipped: every item written is read and compared."""
    check_photo(photo)  # bad input is refused before the card hears a single command
    if current is None:
        current = read_card(transport, provider, check_genuineness=check_genuineness)
    plan = plan_write(current, holder, issuer, photo)
    ctx = current.key_context
    # read_card may have selected files and authenticated RK; UK opens the write right
    external_auth(transport, provider, ctx, UK)
    for tag, rec in plan.ef06.items():
        _update_record(transport, EF06_SFI, tag, rec)
    for tag, rec in plan.ef05.items():
        _update_record(transport, EF05_SFI, tag, rec)
    if plan.photo is not None:
        _write_photo(transport, plan.photo)

    # with a photo to read back, RK is needed anyway: authenticate before EF06 (the read
    # selects the application DF, which clears every right) and the photo read after it
    # keeps that right (only SELECT of a DF, power-off or reset clear rights: card-spec)
    auth = HolderAuth.ALWAYS if plan.photo is not None else HolderAuth.AUTO
    back = read_card(transport, provider, holder_auth=auth)
    problems = []
    if back.holder != holder:
        diff = [
            f.name
            for f in dataclasses.fields(holder)
            if back.holder is None or getattr(back.holder, f.name) != getattr(holder, f.name)
        ]
        problems.append(f"EF06 differs: {', '.join(diff)}")
    if issuer is not None:
        for attr in ISSUER_WRITABLE:
            value = getattr(issuer, attr)
            if value is not None and getattr(back.issuer, attr) != value:
                problems.append(f"EF05 {attr} differs")
    if plan.photo is not None:
        if _read_photo(transport, len(plan.photo)) != plan.photo:
            problems.append("EF08 photo differs")
    if problems:
        raise PersonalisationMismatch(detail="; ".join(problems))
    return back
