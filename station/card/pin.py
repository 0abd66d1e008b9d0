"""The chip PIN services (社保应用密码): verify, change, unlock, reset (card-spec §3, §4).

- **verify**: ``00 20 00 00 Lc <PIN BCD>``; a wrong PIN raises ``PinWrong`` with the tries
  left, a locked one ``PinBlocked``.  ``pin_tries`` asks the card without a PIN (Lc = 00).
- **change** (the holder's own): ``80 5E 01 00 Lc <old> FF <new>``; the old PIN once, the
  new one twice, and weak new PINs are refused before the card is touched.
- **unlock** (counter only): EXTERNAL AUTH with PUK (06), then ``84 24 00 00 04 <MAC>``
  under STK's session key from a fresh challenge; the PIN stays as it was.
- **reset** (forgotten PIN): PUK right, then ``84 24 00 01 Lc <encrypted PIN block> <MAC>``.

Every service first checks that the card is genuine (INTERNAL AUTHENTICATE with IRK,
``check_genuine``) and refuses a card that fails, before a single PIN byte is sent: a
counterfeit card would otherwise harvest the PINs typed into it.  The check lives here, in
the service, so no caller (CLI, desktop, issuance job) can forget it; there is no opt-out.
``pin_tries`` sends no PIN and needs no check.

PINs are ``str`` only in memory, travel only in commands marked ``sensitive`` (which the
tracer redacts), and never appear in a log line or an error text: errors say *why*, never
*what*.
"""

from __future__ import annotations

import datetime as _dt
import hmac
import itertools
from dataclasses import dataclass

from station.apdu.status import PinBlocked, error_for, tries_left
from station.apdu.transport import Transport
from station.card import commands as C
from station.card.errors import InvalidPin, PinMismatch, WeakPin
from station.card.genuine import check_genuine
from station.card.sm import SecureChannel
from station.card.ssse import external_auth
from station.codecs.validators import InvalidData, birth_date_from_id
from station.crypto.algorithms import CryptoError, pin_bcd, pin_block
from station.crypto.keys import PUK
from station.crypto.provider import CardKeyContext, KeyProvider


def _bcd(pin: str, which: str) -> bytes:
    try:
        return pin_bcd(pin)
    except CryptoError:
        raise InvalidPin(
            f"{which}必须是4至12位数字 ({which}: 4 to 12 digits)", detail=f"{len(pin)} chars"
        ) from None


def _same(a: str, b: str) -> bool:
    """PINs are compared in constant time, even host-side, as a matter of rule."""
    return hmac.compare_digest(a.encode(), b.encode())


def birth_date_pins(born: _dt.date) -> frozenset[str]:
    """The digit strings a holder would make of a birth date: the 6-digit forms YYMMDD,
    MMDDYY, DDMMYY and YYYYMM, the 8-digit forms YYYYMMDD, DDMMYYYY and MMDDYYYY, and the
    4-digit MMDD, DDMM and YYYY."""
    y4, y2, m, d = (
        f"{born.year:04d}",
        f"{born.year % 100:02d}",
        f"{born.month:02d}",
        f"{born.day:02d}",
    )
    return frozenset(
        {
            y2 + m + d, m + d + y2, d + m + y2, y4 + m,
            y4 + m + d, d + m + y4, m + d + y4,
            m + d, d + m, y4,
        }
    )  # fmt: skip


def _birth_date(ssn: str | None, birth_date: _dt.date | None) -> _dt.date | None:
    if birth_date is not None:
        return birth_date
    if ssn and len(ssn.strip()) == 18:
        try:
            return birth_date_from_id(ssn)
        except InvalidData:
            return None  # not a citizen ID number: no birth date inside
    return None


def weak_pin_reason(
    pin: str, *, ssn: str | None = None, birth_date: _dt.date | None = None
) -> str | None:
    """Why ``pin`` is too easy to guess, or ``None``.  The reason never quotes the PIN.

    Refused: all digits the same (111111), a run up or down with wrap-around (123456,
    654321, 890123), the last digits of the holder's social security number (the initial
    PIN some cities set, and the first thing anyone would try), and the holder's birth date
    in any common form (``birth_date_pins``; taken from ``birth_date`` or from the citizen
    ID number in ``ssn``) — the receipt's own warning tells the holder not to use it.
    """
    if len(set(pin)) == 1:
        return "新密码不能全部是相同的数字 (all digits the same)"
    digits = [int(c) for c in pin]
    steps = {(b - a) % 10 for a, b in itertools.pairwise(digits)}
    if steps == {1}:
        return "新密码不能是连续递增的数字 (ascending run of digits)"
    if steps == {9}:
        return "新密码不能是连续递减的数字 (descending run of digits)"
    if ssn:
        tail = ssn.strip().upper()[-len(pin) :]
        last6 = ssn.strip().upper()[-6:]
        if _same(pin, tail) or _same(pin, last6):
            return "新密码不能是社会保障号码的末几位 (the end of the SSN)"
    born = _birth_date(ssn, birth_date)
    if born is not None:
        hits = [_same(pin, form) for form in sorted(birth_date_pins(born))]
        if any(hits):
            return "新密码不能是持卡人的出生日期 (the holder's birth date)"
    return None


def check_new_pin(
    new: str,
    again: str,
    *,
    ssn: str | None = None,
    old: str | None = None,
    birth_date: _dt.date | None = None,
) -> None:
    """All checks on a new PIN before anything is sent: format, the two entries equal,
    not weak, not the old one."""
    _bcd(new, "新密码")
    if not _same(new, again):
        raise PinMismatch()
    reason = weak_pin_reason(new, ssn=ssn, birth_date=birth_date)
    if reason is not None:
        raise WeakPin(f"新密码过于简单：{reason}", detail="weak PIN refused")
    if old is not None and _same(new, old):
        raise WeakPin("新密码不能与原密码相同 (the new PIN equals the old one)", detail="same")


@dataclass(frozen=True)
class PinState:
    """What the card says about its PIN without being given one."""

    tries_left: int | None  # None: the card did not report a counter (no PIN set)
    blocked: bool


def pin_tries(transport: Transport) -> PinState:
    """VERIFY with Lc = 00: ``63Cx`` gives the tries left, ``6983`` means locked."""
    rsp = transport.transmit(C.verify_probe(), fix_le=False)
    n = tries_left(rsp.sw)
    if n is not None:
        return PinState(n, n == 0)
    if rsp.sw == 0x6983:
        return PinState(0, True)
    if rsp.ok:
        return PinState(None, False)
    raise error_for(rsp.sw, command="VERIFY (probe)", ins=0x20)


def verify_pin(transport: Transport, provider: KeyProvider, ctx: CardKeyContext, pin: str) -> None:
    """Check the holder's PIN on a card that proved genuine first (``NotGenuine``, -21,
    and no PIN sent otherwise).  Raises ``PinWrong`` (with ``tries_left``; national code
    -51) or ``PinBlocked`` (-52).  ``63C0`` is reported as locked: no try is left."""
    cmd = C.verify(_bcd(pin, "密码"))
    check_genuine(transport, provider, ctx)
    rsp = transport.transmit(cmd)
    if rsp.ok:
        return
    if rsp.sw == 0x63C0:
        raise PinBlocked(0x6983, command="VERIFY")
    raise error_for(rsp.sw, command="VERIFY", ins=0x20)


def change_pin(
    transport: Transport,
    provider: KeyProvider,
    ctx: CardKeyContext,
    old: str,
    new: str,
    new_again: str,
    *,
    ssn: str | None = None,
    birth_date: _dt.date | None = None,
) -> None:
    """The holder's change: old PIN once, new PIN twice.  Weak PINs are refused (with
    the reason) before the card sees anything; then the card must prove genuine before
    either PIN is sent."""
    old_bcd = _bcd(old, "原密码")
    check_new_pin(new, new_again, ssn=ssn, old=old, birth_date=birth_date)
    cmd = C.change_pin(old_bcd, _bcd(new, "新密码"))
    check_genuine(transport, provider, ctx)
    rsp = transport.transmit(cmd)
    if rsp.ok:
        return
    if rsp.sw == 0x63C0:
        raise PinBlocked(0x6983, command="CHANGE PIN")
    raise error_for(rsp.sw, command="CHANGE PIN", ins=0x5E)


def _puk_session(transport: Transport, provider: KeyProvider, ctx: CardKeyContext) -> SecureChannel:
    check_genuine(transport, provider, ctx)
    external_auth(transport, provider, ctx, PUK)
    return SecureChannel(transport.transmit, provider, ctx)


def unlock_pin(transport: Transport, provider: KeyProvider, ctx: CardKeyContext) -> None:
    """Clear the PIN lock (the PIN itself is unchanged).  SSSE must be selected; the card
    must prove genuine first."""
    channel = _puk_session(transport, provider, ctx)
    rsp = channel(C.pin_unblock())
    if not rsp.ok:
        raise error_for(rsp.sw, command="PIN UNBLOCK", ins=0x24)


def reset_pin(
    transport: Transport,
    provider: KeyProvider,
    ctx: CardKeyContext,
    new: str,
    new_again: str,
    *,
    ssn: str | None = None,
    birth_date: _dt.date | None = None,
) -> None:
    """Set a new PIN and clear the lock (the holder forgot the PIN; the clerk has checked
    the ID).  The card must prove genuine first; the PIN block is encrypted under STK's
    session key inside the channel."""
    check_new_pin(new, new_again, ssn=ssn, birth_date=birth_date)
    block = pin_block(ctx.alg, new)
    channel = _puk_session(transport, provider, ctx)
    rsp = channel(C.pin_reset(), secret_block=block)
    if not rsp.ok:
        raise error_for(rsp.sw, command="PIN RESET", ins=0x24)
