"""Card services end to end through a real pcscd: the virtual card in vpcd slot 0, the
virtual PSAM in slot 1 (PsamKeyProvider over PC/SC), and again with the software key
store.  Same checks as the in-process suite, gen-3 SM4 and gen-2 3DES."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import pytest

from station.apdu.pcsc import PcscTransport, wait_for_card
from station.apdu.trace import Tracer
from station.crypto.provider import KeyProvider, PsamKeyProvider, SoftKeyStore
from station.emulator.profiles import load_profile, make_card, make_psam
from station.emulator.vpcd import reader_name
from tests.card import suite
from tests.card.suite import CardUnderTest

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
