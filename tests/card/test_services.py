"""The card-services suite in-process: VirtualTransport over VirtualSSCard, keys from a
VirtualPsam (PsamKeyProvider) or a SoftKeyStore, for gen-3 SM4 and gen-2 3DES cards."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from station.apdu.trace import Tracer
from station.apdu.virtual import VirtualTransport
from station.card.reader import read_card
from station.crypto.keys import load_keyset
from station.crypto.provider import KeyProvider, PsamKeyProvider, SoftKeyStore
from station.emulator.cards import make_card
from station.emulator.psam import VirtualPsam
from station.profiles import Profile, load_profile

from . import suite
from .suite import CardUnderTest

HERE = Path(__file__).parent
REPO_PROFILES = HERE.parent.parent / "profiles"
TERMINAL = "410100813475"
# our own test profiles (rare-character name, long name over 09 + 4E, T=0 gen 3) and the
# repository's issued reference profiles
PROFILES = ("svc-gen3-sm4", "svc-gen2-3des", "gen3-sm4-issued", "gen2-3des-issued")


def load(name: str) -> Profile:
    path = HERE / "profiles" / f"{name}.toml"
    return load_profile(path if path.exists() else name)


def make_provider(kind: str, profile: Profile) -> KeyProvider:
    keyset = profile.keyset()
    if kind == "psam":
        return PsamKeyProvider(VirtualTransport(VirtualPsam(keyset, TERMINAL)))
    return SoftKeyStore(keyset, terminal_number=TERMINAL)


@pytest.fixture(
    params=[(p, k) for p in PROFILES for k in ("psam", "soft")],
    ids=lambda pk: f"{pk[0]}-{pk[1]}",
)
def cut(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[CardUnderTest]:
    """A fresh issued card, its key provider, and a PIN-leak check after the test."""
    name, kind = request.param
    caplog.set_level(logging.DEBUG)
    profile = load(name)
    tracer = Tracer()
    transport = VirtualTransport(make_card(profile), tracer=tracer)
    transport.connect()
    c = suite.cut_from_profile(
        profile, transport, make_provider(kind, profile), terminal=TERMINAL, tracer=tracer
    )
    yield c
    suite.assert_no_secrets(c, caplog)


@pytest.mark.parametrize("check", suite.ALL_CHECKS, ids=lambda f: f.__name__)
def test_suite(cut: CardUnderTest, check: Callable[[CardUnderTest], None]) -> None:
    check(cut)


def test_not_genuine(cut: CardUnderTest) -> None:
    """Keys of the other algorithm's key set cannot vouch for this card... and keys of the
    same algorithm but other masters say: not genuine."""
    import dataclasses

    keyset = load_keyset(REPO_PROFILES / "keys" / f"test-{cut.provider.alg.value}.toml")
    forged = dataclasses.replace(
        keyset,
        keys={
            kid: dataclasses.replace(spec, master=bytes(b ^ 0x5A for b in spec.master))
            for kid, spec in keyset.keys.items()
        },
    )
    suite.check_not_genuine(cut, SoftKeyStore(forged, terminal_number=TERMINAL))


def test_apdu_budget(cut: CardUnderTest) -> None:
    """Read + genuineness stays within 15 APDUs, card and PSAM together, not counting the
    GET RESPONSEs a T=0 card (the gen-3 test profile) forces on every answer with data."""
    assert cut.tracer is not None
    psam_tracer = Tracer()
    if isinstance(cut.provider, PsamKeyProvider):
        cut.provider._t.tracer = psam_tracer  # type: ignore[attr-defined]
    cut.tracer.clear()
    read_card(cut.transport, cut.provider, check_genuineness=True)
    entries = cut.tracer.entries() + psam_tracer.entries()
    card_n = len([e for e in cut.tracer.entries() if e.name != "GET RESPONSE"])
    total = len([e for e in entries if e.name != "GET RESPONSE"])
    assert card_n <= 10
    assert total <= 15, cut.tracer.text() + "\n" + psam_tracer.text()
