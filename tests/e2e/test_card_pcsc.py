"""Card services end to end through a real pcscd: the virtual card in vpcd slot 0, the
virtual PSAM in slot 1 (PsamKeyProvider over PC/SC), and again with the software key
store.  Same checks as the in-process suite, gen-3 SM4 and gen-2 3DES."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from station.apdu.pcsc import PcscTransport, wait_for_card
from station.apdu.trace import Tracer
from station.apdu.transport import Transport
from station.card import pin as P
from station.card.errors import NotGenuine
from station.card.reader import read_card
from station.cli import main
from station.crypto.keys import IRK
from station.crypto.provider import KeyProvider, PsamKeyProvider, SoftKeyStore
from station.emulator.cards import make_card, make_psam
from station.emulator.ssc import VirtualSSCard
from station.emulator.vpcd import reader_name
from station.profiles import Profile, load_profile
from tests.card import suite
from tests.card.suite import CardUnderTest, station_env

pytestmark = pytest.mark.pcsc

CASES = [
    ("gen3-sm4-issued", "psam-sm4", "psam"),
    ("gen3-sm4-issued", "psam-sm4", "soft"),
    ("gen2-3des-issued", "psam-3des", "psam"),
    ("gen2-3des-issued", "psam-3des", "soft"),
]


@pytest.fixture(params=CASES, ids=lambda c: f"{c[0]}-{c[2]}")
def cut(
    request: pytest.FixtureRequest, vpcd_slots, caplog: pytest.LogCaptureFixture
) -> Iterator[CardUnderTest]:
    card_name, psam_name, kind = request.param
    caplog.set_level(logging.DEBUG)
    link0, link1 = vpcd_slots
    profile = load_profile(card_name)
    link0.insert(make_card(profile))
    opened: list[PcscTransport] = []
    provider: KeyProvider
    if kind == "psam":
        link1.insert(make_psam(load_profile(psam_name)))
        wait_for_card(reader_name(1), 10)
        psam_transport = PcscTransport(reader_name(1))
        psam_transport.connect()
        opened.append(psam_transport)
        provider = PsamKeyProvider(psam_transport)
    else:
        provider = SoftKeyStore(profile.keyset(), terminal_number="000000000000")
    wait_for_card(reader_name(0), 10)
    tracer = Tracer()
    transport = PcscTransport(reader_name(0), tracer=tracer)
    transport.connect()
    opened.append(transport)
    c = suite.cut_from_profile(
        profile, transport, provider, terminal=provider.terminal_number(), tracer=tracer
    )
    try:
        yield c
        suite.assert_no_secrets(c, caplog)
    finally:
        for t in opened:
            t.disconnect()


@pytest.mark.parametrize("check", suite.ALL_CHECKS, ids=lambda f: f.__name__)
def test_suite_through_pcscd(cut: CardUnderTest, check: Callable[[CardUnderTest], None]) -> None:
    check(cut)


def test_pcscd_log_has_no_pin(cut: CardUnderTest) -> None:
    """pcscd runs without --apdu: its own log must not carry the PIN either."""
    from pathlib import Path

    suite.check_lockout_and_unlock(cut)
    log = Path("/tmp/station-pcscd.log")
    if log.exists():
        text = log.read_text(errors="replace")
        for pin in cut.pins():
            assert pin not in text


# -- issue 14 finding 2: a counterfeit card harvests no PIN ------------------------------------


class RecordingCard:
    """A virtual card that keeps every command APDU it receives (from pcscd, via vpcd)."""

    def __init__(self, inner: VirtualSSCard) -> None:
        self.inner = inner
        self.received: list[bytes] = []
        self._lock = threading.Lock()

    @property
    def atr(self) -> bytes:
        return self.inner.atr

    def power_on(self) -> None:
        self.inner.power_on()

    def power_off(self) -> None:
        self.inner.power_off()

    def reset(self) -> None:
        self.inner.reset()

    def execute(self, apdu: bytes) -> bytes:
        with self._lock:
            self.received.append(bytes(apdu))
        return self.inner.execute(apdu)

    def instructions(self) -> list[int]:
        with self._lock:
            return [a[1] for a in self.received if len(a) >= 4]


def counterfeit(profile: Profile) -> RecordingCard:
    """The profile's card with every key right except its internal-authentication key:
    what a forger who copied the data but not the IRK would make."""
    keyset = profile.keyset()
    keys = dict(keyset.keys)
    keys[IRK] = dataclasses.replace(keys[IRK], master=bytes(b ^ 0x5A for b in keys[IRK].master))
    return RecordingCard(make_card(profile, keyset=dataclasses.replace(keyset, keys=keys)))


PIN_INS = {0x20: "VERIFY", 0x5E: "CHANGE PIN", 0x24: "PIN UNBLOCK/RESET"}
SERVICES: dict[str, Callable[[Transport, KeyProvider, Any, str], None]] = {
    "verify": lambda t, k, ctx, pin: P.verify_pin(t, k, ctx, pin),
    "change": lambda t, k, ctx, pin: P.change_pin(t, k, ctx, pin, "135790", "135790"),
    "unlock": lambda t, k, ctx, pin: P.unlock_pin(t, k, ctx),
    "reset": lambda t, k, ctx, pin: P.reset_pin(t, k, ctx, "135790", "135790"),
}


@pytest.mark.parametrize("kind", ["psam", "soft"])
@pytest.mark.parametrize("service", list(SERVICES))
def test_counterfeit_card_receives_no_pin(vpcd_slots, service: str, kind: str) -> None:
    link0, link1 = vpcd_slots
    profile = load_profile("gen3-sm4-issued")
    fake = counterfeit(profile)
    link0.insert(fake)
    opened: list[PcscTransport] = []
    provider: KeyProvider
    if kind == "psam":
        link1.insert(make_psam(load_profile("psam-sm4")))
        wait_for_card(reader_name(1), 10)
        psam = PcscTransport(reader_name(1))
        psam.connect()
        opened.append(psam)
        provider = PsamKeyProvider(psam)
    else:
        provider = SoftKeyStore(profile.keyset())
    wait_for_card(reader_name(0), 10)
    card = PcscTransport(reader_name(0))
    card.connect()
    opened.append(card)
    try:
        info = read_card(card, provider)  # the forger copied the data: it reads fine
        assert info.name and info.card_number == "A00000011"
        before = len(fake.received)
        with pytest.raises(NotGenuine) as exc:
            SERVICES[service](card, provider, info.key_context, profile.pin.value or "")
        assert exc.value.code == -21 and "内部认证失败" in exc.value.message
        got = fake.instructions()[before:]
        assert 0x88 in got, "the service did check genuineness (INTERNAL AUTHENTICATE)"
        assert not [PIN_INS[i] for i in got if i in PIN_INS], got
        assert got[-1] in (0x88, 0xC0), "nothing was sent after the failed check"
    finally:
        for t in opened:
            t.disconnect()


def test_counterfeit_card_through_the_cli(
    vpcd_slots, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``station pin verify`` with the reader and key file from settings: a typed error,
    a failure receipt and audit record, and no VERIFY on the card."""
    station_env(monkeypatch, tmp_path)
    link0, _ = vpcd_slots
    profile = load_profile("gen3-sm4-issued")
    fake = counterfeit(profile)
    link0.insert(fake)
    wait_for_card(reader_name(0), 10)
    monkeypatch.setenv("STATION_CARD_READER", reader_name(0))
    monkeypatch.setenv("STATION_KEY_FILE", str(profile.key_file))
    monkeypatch.setattr("sys.stdin", io.StringIO("123456\n"))
    audit = tmp_path / "audit.jsonl"
    rc = main(["pin", "verify", "--pin-stdin", "--audit", str(audit)])
    out, err = capsys.readouterr()
    assert rc == 2 and "内部认证失败" in err and "Traceback" not in err
    assert "办理失败" in out
    assert json.loads(audit.read_text(encoding="utf-8"))["error_code"] == -21
    assert 0x88 in fake.instructions() and 0x20 not in fake.instructions()[-3:]
    assert not [a for a in fake.received if a[1] == 0x20 and len(a) > 5], "a PIN was sent"


# -- issue 9 item 4: a missing PSAM is named ----------------------------------------------------


def test_missing_psam_named_with_its_reader(
    vpcd_slots, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    station_env(monkeypatch, tmp_path)
    link0, _ = vpcd_slots  # slot 1 stays empty: the PSAM is not inserted
    link0.insert(make_card(load_profile("gen3-sm4-issued")))
    wait_for_card(reader_name(0), 10)
    monkeypatch.setenv("STATION_CARD_READER", reader_name(0))
    monkeypatch.setenv("STATION_PSAM_READER", reader_name(1))
    rc = main(["card", "read"])
    _, err = capsys.readouterr()
    assert rc == 2 and err.count("\n") == 1
    assert f"PSAM卡未插入读卡器 {reader_name(1)}" in err
    assert "insert the PSAM" in err and "--key-file" in err
    assert "读卡器中没有卡 (no card in the reader)" not in err
    # the way on works: the same read with a key store
    rc = main(["card", "read", "--key-file", str(load_profile("gen3-sm4-issued").key_file)])
    out, _ = capsys.readouterr()
    assert rc == 0 and "真伪 genuine: 是 yes" in out
