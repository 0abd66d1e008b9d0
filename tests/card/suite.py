"""The card-services suite, written once and run over any way of reaching a card.

Every ``check_*`` function takes a ``CardUnderTest``: the card's transport, a key provider,
and what the card is known to hold.  ``tests/card/test_services.py`` runs them in-process
(VirtualTransport over a VirtualSSCard, keys from a VirtualPsam or a SoftKeyStore); a
PC/SC run only has to build a ``CardUnderTest`` from ``PcscTransport`` objects on the vpcd
slots and call the same functions.

Each check expects a fresh card (PIN as ``cut.pin``, full tries, no key blocked).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest

from station.apdu.command import Command, Response
from station.apdu.status import MacInvalid, PinBlocked, PinWrong
from station.apdu.trace import Tracer
from station.apdu.transport import Transport
from station.card import pin as P
from station.card.audit import AuditRecord, MemoryAuditSink, Operation
from station.card.errors import NotGenuine, PinMismatch, SecureMessagingError, WeakPin
from station.card.genuine import check_genuine
from station.card.reader import CardInfo, basic_read_string, read_card
from station.card.receipt import Receipt
from station.card.sm import SecureChannel
from station.card.ssse import external_auth, historical_bytes
from station.codecs.records import HolderData, IssuerData
from station.crypto.keys import PUK
from station.crypto.provider import CardKeyContext, KeyProvider
from station.errors import StationError
from station.profiles import Profile

NEW_PIN = "135790"
OTHER_PIN = "246803"
WRONG_PIN = "918273"


@dataclass
class CardUnderTest:
    """A card to test and what it is known to hold.  ``tracer`` is the card transport's
    tracer (if any): its text is searched for secrets too."""

    transport: Transport
    provider: KeyProvider
    issuer: IssuerData
    holder: HolderData
    pin: str
    terminal: str
    max_tries: int = 6
    tracer: Tracer | None = None
    label: str = ""
    # everything a person could see during the run: exception texts, receipts
    seen: list[str] = field(default_factory=list)

    def pins(self) -> list[str]:
        return [self.pin, NEW_PIN, OTHER_PIN, WRONG_PIN]


def cut_from_profile(
    profile: Profile,
    transport: Transport,
    provider: KeyProvider,
    *,
    terminal: str,
    tracer: Tracer | None = None,
) -> CardUnderTest:
    """What a fresh card made by ``make_card(profile)`` (no serial) holds."""
    from station.profiles import ISSUER_ITEMS, issuer_data_for, serial_of

    values = issuer_data_for(profile, serial_of(profile.atr))
    for key in ("card_number", "card_id_code"):
        if key in profile.issuer:
            values[key] = profile.issuer[key]
    issuer = IssuerData(**{k: values[k] for k in ISSUER_ITEMS if k in values})
    assert profile.holder is not None, "the suite needs an issued card profile"
    pin = profile.pin.value if profile.pin.initial == "fixed" else profile.holder.ssn[-6:]
    assert pin is not None
    return CardUnderTest(
        transport=transport,
        provider=provider,
        issuer=issuer,
        holder=profile.holder,
        pin=pin,
        terminal=terminal,
        max_tries=profile.pin.tries,
        tracer=tracer,
        label=profile.name,
    )


# -- helpers ---------------------------------------------------------------------------------

OPERATOR = "柜员01"
OUTLET = "测试网点"
STATION_ID = "T01"


def station_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Settings for CLI runs as ``station.cli.main`` loads them: no settings file of the
    machine's, a private data folder, an operator, an outlet and a station id.  Returns
    the data folder (the receipt counter lives there)."""
    data = tmp_path / "station-data"
    monkeypatch.setenv("STATION_CONFIG", str(tmp_path / "no-such-settings.toml"))
    monkeypatch.setenv("STATION_DATA_DIR", str(data))
    monkeypatch.setenv("STATION_OPERATOR", OPERATOR)
    monkeypatch.setenv("STATION_OUTLET", OUTLET)
    monkeypatch.setenv("STATION_STATION_ID", STATION_ID)
    for name in ("STATION_KEY_FILE", "STATION_CARD_READER", "STATION_PSAM_READER", "STATION_USER"):
        monkeypatch.delenv(name, raising=False)
    return data


def _expect(
    cut: CardUnderTest, exc_type: type[StationError], fn: Callable[[], object]
) -> StationError:
    with pytest.raises(exc_type) as info:
        fn()
    err = info.value
    cut.seen += [str(err), repr(err), err.message, err.detail]
    return err


def read(cut: CardUnderTest, *, genuine: bool = False) -> CardInfo:
    return read_card(cut.transport, cut.provider, check_genuineness=genuine)


def expected_basic(cut: CardUnderTest) -> str:
    i, h = cut.issuer, cut.holder

    def d(x: dt.date | None) -> str:
        return "" if x is None else x.strftime("%Y%m%d")

    hist = historical_bytes(cut.transport.atr).hex().upper()
    return (
        f"{i.region}|{h.ssn}|{i.card_number or ''}|{i.card_id_code}|{h.name}|{hist}|"
        f"{i.spec_version}|{d(i.issue_date)}|{d(i.expiry)}|{cut.terminal}||"
    )


def receipt_for(
    cut: CardUnderTest, info: CardInfo, op: Operation, err: StationError | None
) -> None:
    """Build receipt and audit record as the services layer does, and keep their texts."""
    r = Receipt(
        outlet=OUTLET,
        operator=OPERATOR,
        time=dt.datetime(2024, 5, 6, 10, 0, 0),
        operation=op,
        card_number=info.card_number,
        masked_ssn=info.ssn,
        name=info.name,
        success=err is None,
        serial=f"{STATION_ID}-20240506-0001",
        result_text="" if err is None else err.message,
    )
    cut.seen.append(r.text())
    sink = MemoryAuditSink()
    sink.write(
        AuditRecord.of(
            operator="柜员01",
            station="测试网点",
            card_number=info.card_number,
            ssn=info.ssn,
            operation=op,
            error=err,
        )
    )
    cut.seen.append(repr(sink.records))


class FaultyTransport(Transport):
    """Passes every command to ``inner`` unchanged, except that it flips one bit of the
    MAC (the last data byte) of secure-messaging commands (CLA 84) — a line fault or an
    attacker (unless ``corrupt=False``: a plain recorder).  ``sent`` records every command
    as sent."""

    def __init__(
        self, inner: Transport, tracer: Tracer | None = None, *, corrupt: bool = True
    ) -> None:
        super().__init__(tracer)
        self.inner = inner
        self.corrupt = corrupt
        self.sent: list[Command] = []
        self.corrupted = 0

    @property
    def atr(self) -> bytes:
        return self.inner.atr

    def _exchange(self, raw: bytes) -> bytes:
        cmd = Command.from_bytes(raw)
        if self.corrupt and cmd.cla == 0x84 and len(cmd.data) >= 4:
            cmd = cmd.with_data(cmd.data[:-1] + bytes((cmd.data[-1] ^ 0x01,)))
            self.corrupted += 1
        self.sent.append(cmd)
        rsp: Response = self.inner.transmit(cmd, get_response=False, fix_le=False)
        return rsp.to_bytes()


# -- checks ------------------------------------------------------------------------------------


def check_read(cut: CardUnderTest) -> None:
    """Read equals the card's data; the basic-read string is exact; genuine."""
    info = read(cut, genuine=True)
    assert info.issuer == cut.issuer
    assert info.holder == cut.holder
    assert info.genuine is True
    assert info.alg is cut.provider.alg
    got = basic_read_string(info, cut.provider.terminal_number())
    assert got == expected_basic(cut)
    assert got.count("|") == 11
    # reading again (fresh SELECT, security states cleared) gives the same
    assert read(cut) == replace(info, genuine=None)


PIN_INS = (0x20, 0x5E, 0x24)  # VERIFY, CHANGE PIN, PIN UNBLOCK/RESET


def check_not_genuine(cut: CardUnderTest, foreign: KeyProvider) -> None:
    """Keys of another key set do not recognise the card: NotGenuine, code -21 — and no
    PIN service sends a PIN (or anything after the failed check) to a card that is not
    genuine for the keys at hand."""
    info = read(cut)
    ctx = info.key_context
    err = _expect(cut, NotGenuine, lambda: check_genuine(cut.transport, foreign, ctx))
    assert err.code == -21
    assert "内部认证失败" in err.message
    rec = FaultyTransport(cut.transport, corrupt=False)
    for service in (
        lambda: P.verify_pin(rec, foreign, ctx, cut.pin),
        lambda: P.change_pin(rec, foreign, ctx, cut.pin, NEW_PIN, NEW_PIN),
        lambda: P.unlock_pin(rec, foreign, ctx),
        lambda: P.reset_pin(rec, foreign, ctx, NEW_PIN, NEW_PIN),
    ):
        start = len(rec.sent)
        err = _expect(cut, NotGenuine, service)
        assert err.code == -21
        names = [c.ins for c in rec.sent[start:] if c.ins != 0xC0]  # not GET RESPONSE
        assert names[-1] == 0x88, "the service stopped at INTERNAL AUTHENTICATE"
    assert rec.sent and not [c for c in rec.sent if c.ins in PIN_INS or c.sensitive]
    assert P.pin_tries(cut.transport) == P.PinState(cut.max_tries, False)


def check_lockout_and_unlock(cut: CardUnderTest) -> None:
    info = read(cut)
    ctx: CardKeyContext = info.key_context
    assert P.pin_tries(cut.transport) == P.PinState(cut.max_tries, False)
    P.verify_pin(cut.transport, cut.provider, ctx, cut.pin)
    for n in range(1, cut.max_tries):
        err = _expect(
            cut, PinWrong, lambda: P.verify_pin(cut.transport, cut.provider, ctx, WRONG_PIN)
        )
        assert isinstance(err, PinWrong)
        assert err.tries_left == cut.max_tries - n
        assert err.code == -51
        receipt_for(cut, info, Operation.PIN_VERIFY, err)
    assert isinstance(err, PinWrong) and err.tries_left == 1
    assert "还剩1次机会" in err.message and "1 try left" in err.message
    # the last wrong try locks
    err = _expect(
        cut, PinBlocked, lambda: P.verify_pin(cut.transport, cut.provider, ctx, WRONG_PIN)
    )
    assert err.code == -52 and "已锁定" in err.message
    # locked: even the right PIN is refused, with the locked error
    err = _expect(cut, PinBlocked, lambda: P.verify_pin(cut.transport, cut.provider, ctx, cut.pin))
    assert err.code == -52
    receipt_for(cut, info, Operation.PIN_VERIFY, err)
    assert P.pin_tries(cut.transport) == P.PinState(0, True)
    # change is refused too while locked
    _expect(
        cut,
        PinBlocked,
        lambda: P.change_pin(cut.transport, cut.provider, ctx, cut.pin, NEW_PIN, NEW_PIN),
    )
    # unlock: tries back to the maximum, the old PIN works
    P.unlock_pin(cut.transport, cut.provider, ctx)
    receipt_for(cut, info, Operation.PIN_UNLOCK, None)
    assert P.pin_tries(cut.transport) == P.PinState(cut.max_tries, False)
    P.verify_pin(cut.transport, cut.provider, ctx, cut.pin)


def check_reset(cut: CardUnderTest) -> None:
    info = read(cut)
    ctx = info.key_context
    # lock it first: reset must also clear the lock
    for _ in range(cut.max_tries):
        try:
            P.verify_pin(cut.transport, cut.provider, ctx, WRONG_PIN)
        except (PinWrong, PinBlocked) as exc:
            cut.seen.append(str(exc))
    assert P.pin_tries(cut.transport).blocked
    P.reset_pin(cut.transport, cut.provider, ctx, NEW_PIN, NEW_PIN, ssn=info.ssn)
    receipt_for(cut, info, Operation.PIN_RESET, None)
    assert P.pin_tries(cut.transport) == P.PinState(cut.max_tries, False)
    P.verify_pin(cut.transport, cut.provider, ctx, NEW_PIN)
    err = _expect(cut, PinWrong, lambda: P.verify_pin(cut.transport, cut.provider, ctx, cut.pin))
    assert isinstance(err, PinWrong) and err.tries_left == cut.max_tries - 1
    P.verify_pin(cut.transport, cut.provider, ctx, NEW_PIN)


def check_change(cut: CardUnderTest) -> None:
    info = read(cut)
    ctx = info.key_context
    # a wrong old PIN costs a try and changes nothing
    err = _expect(
        cut,
        PinWrong,
        lambda: P.change_pin(cut.transport, cut.provider, ctx, WRONG_PIN, NEW_PIN, NEW_PIN),
    )
    assert isinstance(err, PinWrong) and err.tries_left == cut.max_tries - 1
    # weak PINs never reach the card (the counter does not move)
    _expect(
        cut,
        WeakPin,
        lambda: P.change_pin(cut.transport, cut.provider, ctx, cut.pin, "123456", "123456"),
    )
    tail = info.ssn[-6:]
    if tail.isdigit():
        _expect(
            cut,
            WeakPin,
            lambda: P.change_pin(
                cut.transport, cut.provider, ctx, cut.pin, tail, tail, ssn=info.ssn
            ),
        )
    _expect(
        cut,
        PinMismatch,
        lambda: P.change_pin(cut.transport, cut.provider, ctx, cut.pin, NEW_PIN, OTHER_PIN),
    )
    assert P.pin_tries(cut.transport).tries_left == cut.max_tries - 1
    P.change_pin(cut.transport, cut.provider, ctx, cut.pin, NEW_PIN, NEW_PIN, ssn=info.ssn)
    receipt_for(cut, info, Operation.PIN_CHANGE, None)
    assert P.pin_tries(cut.transport).tries_left == cut.max_tries
    P.verify_pin(cut.transport, cut.provider, ctx, NEW_PIN)
    _expect(cut, PinWrong, lambda: P.verify_pin(cut.transport, cut.provider, ctx, cut.pin))


def check_mac_fault(cut: CardUnderTest) -> None:
    """A MAC corrupted on the way: the card answers 9302, the service reports MacInvalid
    clearly, nothing changes on the card and nothing is resent in plain."""
    faulty = FaultyTransport(cut.transport, tracer=cut.tracer)
    info = read_card(faulty, cut.provider)
    ctx = info.key_context
    for _ in range(2):
        try:
            P.verify_pin(faulty, cut.provider, ctx, WRONG_PIN)
        except PinWrong as exc:
            cut.seen.append(str(exc))
    before = P.pin_tries(faulty)
    assert before.tries_left == cut.max_tries - 2

    for action in (
        lambda: P.unlock_pin(faulty, cut.provider, ctx),
        lambda: P.reset_pin(faulty, cut.provider, ctx, NEW_PIN, NEW_PIN),
    ):
        start = len(faulty.sent)
        err = _expect(cut, MacInvalid, action)
        assert isinstance(err, MacInvalid) and err.sw == 0x9302
        assert "MAC" in err.message and "未以明文重试" in err.message
        assert err.code == -0x9302
        after = faulty.sent[start:]
        pin_cmds = [c for c in after if c.ins == 0x24]
        assert len(pin_cmds) == 1 and pin_cmds[0].cla == 0x84, "no retry, never plain"
        assert after[-1].ins == 0x24, "the operation ended at the rejected command"
    assert faulty.corrupted == 2
    # nothing changed: same counter, old PIN still valid, new PIN not set
    assert P.pin_tries(faulty) == before
    _expect(cut, PinWrong, lambda: P.verify_pin(faulty, cut.provider, ctx, NEW_PIN))
    P.verify_pin(faulty, cut.provider, ctx, cut.pin)


def check_broken_channel_refuses(cut: CardUnderTest) -> None:
    """After a secure-messaging failure the channel refuses further commands."""
    info = read(cut)
    external_auth(cut.transport, cut.provider, info.key_context, PUK)
    faulty = FaultyTransport(cut.transport)
    channel = SecureChannel(faulty.transmit, cut.provider, info.key_context)
    _expect(cut, MacInvalid, lambda: channel(Command(0x84, 0x24, 0x00, 0x00)))
    assert channel.broken
    n = len(faulty.sent)
    _expect(cut, SecureMessagingError, lambda: channel(Command(0x84, 0x24, 0x00, 0x00)))
    assert len(faulty.sent) == n, "a broken channel sends nothing"


# exchanges whose data is fresh randomness or a cryptogram by construction: a PIN cannot be
# in them, but 6 digits are valid hex, so random bytes contain a given PIN by chance now and
# then (≈ 1 in 3,000 per PIN and test with the traces these checks produce)
RANDOM_EXCHANGES = ("GET CHALLENGE", "INTERNAL AUTHENTICATE")


_FETCH = "GET RESPONSE"


def _random_by_position(name: str, previous: str) -> bool:
    """A random exchange, or the GET RESPONSE that fetches its answer on a T=0 card (gen 2
    returns the INTERNAL AUTHENTICATE cryptogram that way)."""
    return name in RANDOM_EXCHANGES or (name == _FETCH and previous in RANDOM_EXCHANGES)


def assert_no_secrets(cut: CardUnderTest, caplog: pytest.LogCaptureFixture | None) -> None:
    """No PIN in logs, traces, exception texts, receipts or audit records.  For 6-digit
    PINs the BCD hex equals the digit string, so this covers PIN blocks in hex too.

    Only the exchanges that carry randomness by construction (challenges, INTERNAL
    AUTHENTICATE cryptograms) are left out, by position — their trace entries and the log
    records mirroring them; every other entry, including every command that can carry a
    PIN, and every other log record is searched as recorded."""
    texts = list(cut.seen)
    if cut.tracer is not None:
        previous = ""
        for e in cut.tracer.entries():
            if not _random_by_position(e.name, previous):
                texts += [e.line(), repr(e)]
            previous = e.name
    if caplog is not None:
        previous = ""
        for r in caplog.records:
            message = r.getMessage()
            if r.name == "station.apdu":
                name = next((n for n in (*RANDOM_EXCHANGES, _FETCH) if message.startswith(n)), "")
                skip = _random_by_position(name, previous)
                previous = name
                if skip:
                    continue
            texts += [f"{r.levelname} {r.name} {message}", r.exc_text or ""]
    blob = "\n".join(texts).upper()
    assert blob.strip(), "nothing was captured: the search would prove nothing"
    for pin in cut.pins():
        if pin in cut.holder.ssn:
            continue  # the "last 6 of the SSN" initial PIN is in the (public) SSN itself
        assert pin not in blob, f"a PIN leaked ({cut.label})"
        assert "".join(f"{ord(c):02X}" for c in pin) not in blob  # ASCII hex form


ALL_CHECKS: tuple[Callable[[CardUnderTest], None], ...] = (
    check_read,
    check_lockout_and_unlock,
    check_reset,
    check_change,
    check_mac_fault,
    check_broken_channel_refuses,
)

__all__ = [
    "ALL_CHECKS",
    "CardUnderTest",
    "FaultyTransport",
    "assert_no_secrets",
    "check_not_genuine",
    "cut_from_profile",
]
