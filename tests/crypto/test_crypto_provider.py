"""Key providers: the software key store and the PSAM provider over the virtual PSAM give
identical answers for the same card, and both agree with the card-side algorithm applied
to the card's own diversified key (what a personalised virtual card holds)."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

import pytest

from station.apdu import Tracer, VirtualTransport
from station.crypto import algorithms as A
from station.crypto.algorithms import Alg
from station.crypto.keys import IRK, PUK, RK, STK, UK, KeySet, derive_card_key, load_keyset
from station.crypto.provider import (
    CardKeyContext,
    EncryptionMachineProvider,
    KeyProvider,
    KeyProviderError,
    KeyUsageError,
    ProviderUnavailable,
    PsamError,
    PsamKeyProvider,
    SoftKeyStore,
)
from station.emulator.psam import VirtualPsam

from .sm_data import reset_pin_data, unblock_pin_data

KEYS = Path(__file__).resolve().parents[2] / "profiles" / "keys"
TERMINAL = "440300123456"
REGION = "440305"
ALL_KEYS = [IRK, STK, UK, PUK, RK]


def _hist() -> bytes:
    return bytes.fromhex("0000000000") + secrets.token_bytes(8) + b"\x90\x00"


@pytest.fixture(params=["sm4", "3des"])
def keyset(request: pytest.FixtureRequest) -> KeySet:
    return load_keyset(KEYS / f"test-{request.param}.toml")


@pytest.fixture
def tracer() -> Tracer:
    return Tracer()


@pytest.fixture
def providers(keyset: KeySet, tracer: Tracer) -> tuple[SoftKeyStore, PsamKeyProvider]:
    transport = VirtualTransport(VirtualPsam(keyset, TERMINAL), tracer=tracer)
    return SoftKeyStore(keyset, TERMINAL), PsamKeyProvider(transport)


def test_terminal_and_alg(providers: tuple[SoftKeyStore, PsamKeyProvider], keyset: KeySet) -> None:
    soft, psam = providers
    assert soft.terminal_number() == psam.terminal_number() == TERMINAL
    assert soft.alg is psam.alg is keyset.alg


def test_every_operation_identical(
    providers: tuple[SoftKeyStore, PsamKeyProvider], keyset: KeySet
) -> None:
    soft, psam = providers
    alg = keyset.alg
    for _ in range(3):  # three different cards
        ctx = CardKeyContext(alg, REGION, _hist())
        r, orig = secrets.token_bytes(8), secrets.token_bytes(8)
        for key_id in ALL_KEYS:
            ours = soft.external_auth_data(ctx, key_id, r, orig)
            assert len(ours) == 8
            assert psam.external_auth_data(ctx, key_id, r, orig) == ours
            data = secrets.token_bytes(3 * alg.block)
            enc = soft.encrypt(ctx, key_id, r, data)
            assert psam.encrypt(ctx, key_id, r, data) == enc
        for n in (0, 1, 15, 16, 17, 200, 700):  # 700 needs a chained PSAM MAC
            msg = secrets.token_bytes(n)
            m = soft.mac(ctx, STK, r, msg)
            assert len(m) == 4
            assert psam.mac(ctx, STK, r, msg) == m
        big = secrets.token_bytes(alg.block * 40)  # more than one CIPHER DATA
        assert psam.encrypt(ctx, UK, r, big) == soft.encrypt(ctx, UK, r, big)
        assert reset_pin_data(psam, ctx, r, "123456") == reset_pin_data(soft, ctx, r, "123456")
        assert unblock_pin_data(psam, ctx, r) == unblock_pin_data(soft, ctx, r)


def _card_answer(keyset: KeySet, ctx: CardKeyContext, key_id: int, r: bytes, orig: bytes) -> bytes:
    """What a card holding its diversified key computes (card-spec REF)."""
    card_key = derive_card_key(keyset, key_id, ctx.region, ctx.historical)
    return A.auth_data(keyset.alg, A.session_key(keyset.alg, card_key, r), orig)


def test_internal_auth_check(
    providers: tuple[SoftKeyStore, PsamKeyProvider], keyset: KeySet
) -> None:
    ctx = CardKeyContext(keyset.alg, REGION, _hist())
    pf, orig = secrets.token_bytes(8), secrets.token_bytes(8)
    genuine = _card_answer(keyset, ctx, IRK, pf, orig)
    forged = bytes([genuine[0] ^ 1]) + genuine[1:]
    other_card = CardKeyContext(keyset.alg, REGION, _hist())
    for p in providers:
        assert p.internal_auth_check(ctx, pf, orig, genuine)
        assert not p.internal_auth_check(ctx, pf, orig, forged)
        assert not p.internal_auth_check(ctx, pf, orig, genuine[:4])
        assert not p.internal_auth_check(other_card, pf, orig, genuine)


def test_results_match_the_card_side(
    providers: tuple[SoftKeyStore, PsamKeyProvider], keyset: KeySet
) -> None:
    alg = keyset.alg
    ctx = CardKeyContext(alg, REGION, _hist())
    r, orig = secrets.token_bytes(8), secrets.token_bytes(8)
    stk = derive_card_key(keyset, STK, REGION, ctx.historical)
    sk = A.session_key(alg, stk, r)
    for p in providers:
        assert p.external_auth_data(ctx, PUK, r, orig) == _card_answer(keyset, ctx, PUK, r, orig)
        # RESET PIN: the card decrypts the block with STK's session key and checks the MAC
        data = reset_pin_data(p, ctx, r, "135790")
        enc, mac = data[:-4], data[-4:]
        assert len(enc) == alg.block
        assert A.unpack_pin_block(alg, A.ecb_decrypt(alg, sk, enc)) == A.pin_bcd("135790")
        header = bytes.fromhex("84240001") + bytes((len(data),))
        assert A.mac_equal(mac, A.mac(alg, sk, header + enc))
        assert unblock_pin_data(p, ctx, r) == A.mac(alg, sk, bytes.fromhex("8424000004"))


def test_usage_rules_are_the_same(
    providers: tuple[SoftKeyStore, PsamKeyProvider], keyset: KeySet
) -> None:
    ctx = CardKeyContext(keyset.alg, REGION, _hist())
    for p in providers:
        with pytest.raises(KeyUsageError):
            p.mac(ctx, IRK, bytes(8), b"x")
        with pytest.raises(KeyUsageError):  # RK is encrypt-only (type 07) on real PSAMs
            p.mac(ctx, RK, bytes(8), b"x")


def test_bad_inputs(providers: tuple[SoftKeyStore, PsamKeyProvider], keyset: KeySet) -> None:
    ctx = CardKeyContext(keyset.alg, REGION, _hist())
    wrong_alg = CardKeyContext(Alg.SM4 if keyset.alg is Alg.DES3 else Alg.DES3, REGION, _hist())
    for p in providers:
        with pytest.raises(KeyProviderError):
            p.external_auth_data(ctx, UK, bytes(7), bytes(8))
        with pytest.raises(KeyProviderError):
            p.encrypt(ctx, UK, bytes(8), bytes(keyset.alg.block + 1))
        with pytest.raises(KeyProviderError):
            p.external_auth_data(wrong_alg, UK, bytes(8), bytes(8))
        with pytest.raises(KeyProviderError) as info:
            reset_pin_data(p, ctx, bytes(8), "12ab56")
        assert "12ab56" not in str(info.value)
    with pytest.raises(KeyProviderError):
        CardKeyContext(Alg.SM4, "44030", _hist())
    with pytest.raises(KeyProviderError):
        CardKeyContext(Alg.SM4, REGION, bytes(12))
    with pytest.raises(KeyProviderError):
        SoftKeyStore(keyset, "12345")


def test_psam_commands_are_sensitive_and_redacted(
    providers: tuple[SoftKeyStore, PsamKeyProvider],
    keyset: KeySet,
    tracer: Tracer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, psam = providers
    ctx = CardKeyContext(keyset.alg, REGION, _hist())
    r = bytes.fromhex("A5A5A5A5A5A5A5A5")
    with caplog.at_level(logging.DEBUG, logger="station.apdu"):
        data = reset_pin_data(psam, ctx, r, "246810")
    text = tracer.text() + caplog.text
    assert "DELIVERY SESSION KEY" in text and "CIPHER DATA" in text
    assert "A5A5A5A5" not in text.upper()
    assert data[:4].hex().upper() not in text.upper()
    assert "246810" not in text
    block = A.pin_block(keyset.alg, "246810").hex().upper()
    assert block not in text.upper()


def test_psam_probes_the_algorithm(keyset: KeySet) -> None:
    p = PsamKeyProvider(VirtualTransport(VirtualPsam(keyset, TERMINAL)))
    assert p.alg is keyset.alg
    assert "open=True" in repr(p)


def test_psam_wrong_environment_is_a_typed_error(keyset: KeySet) -> None:
    other = Alg.SM4 if keyset.alg is Alg.DES3 else Alg.DES3
    p = PsamKeyProvider(VirtualTransport(VirtualPsam(keyset, TERMINAL)), alg=other)
    with pytest.raises(PsamError) as info:
        p.terminal_number()
    assert info.value.sw == 0x6A82
    assert "PSAM" in info.value.message


def test_psam_missing_key_reports_status(keyset: KeySet) -> None:
    # a PSAM that lacks RK: the provider's default map still names it
    partial = KeySet(keyset.alg, {k: v for k, v in keyset.keys.items() if k != RK})
    p = PsamKeyProvider(VirtualTransport(VirtualPsam(partial, TERMINAL)))
    ctx = CardKeyContext(keyset.alg, REGION, _hist())
    with pytest.raises(PsamError) as info:
        p.external_auth_data(ctx, RK, bytes(8), bytes(8))
    assert info.value.sw == 0x9403
    # and the provider recovers (re-selects) for the next operation
    assert len(p.external_auth_data(ctx, UK, bytes(8), bytes(8))) == 8


def test_psam_reselects_after_card_reset(keyset: KeySet) -> None:
    card = VirtualPsam(keyset, TERMINAL)
    t = VirtualTransport(card)
    p = PsamKeyProvider(t)
    soft = SoftKeyStore(keyset, TERMINAL)
    ctx = CardKeyContext(keyset.alg, REGION, _hist())
    assert p.external_auth_data(ctx, UK, bytes(8), bytes(8)) == soft.external_auth_data(
        ctx, UK, bytes(8), bytes(8)
    )
    card.reset()  # the PSAM lost its environment; the first BF DE fails with 6985 ...
    with pytest.raises(PsamError) as info:
        p.external_auth_data(ctx, UK, bytes(8), bytes(8))
    assert info.value.sw == 0x6985
    # ... and the provider selects again next time
    assert p.external_auth_data(ctx, UK, bytes(8), bytes(8)) == soft.external_auth_data(
        ctx, UK, bytes(8), bytes(8)
    )


def test_reprs_hold_no_keys(
    providers: tuple[SoftKeyStore, PsamKeyProvider], keyset: KeySet
) -> None:
    soft, psam = providers
    texts = repr(soft) + repr(psam) + repr(VirtualPsam(keyset, TERMINAL))
    for spec in keyset.keys.values():
        assert spec.master.hex() not in texts.lower()


def test_encryption_machine_is_honestly_unavailable() -> None:
    with pytest.raises(ProviderUnavailable) as info:
        EncryptionMachineProvider()
    assert "加密机" in info.value.message
    assert issubclass(EncryptionMachineProvider, KeyProvider)


class _NoSfiPsam(VirtualPsam):
    """A PSAM that, like some older cards, rejects READ BINARY by short file id."""

    def execute(self, apdu: bytes) -> bytes:
        if apdu[:2] == b"\x00\xb0" and apdu[2] & 0x80:
            return b"\x6a\x86"
        return super().execute(apdu)


def test_terminal_number_apdus(keyset: KeySet) -> None:
    tracer = Tracer()
    p = PsamKeyProvider(
        VirtualTransport(VirtualPsam(keyset, TERMINAL), tracer=tracer), alg=keyset.alg
    )
    assert p.terminal_number() == TERMINAL
    assert [e.name for e in tracer.entries()] == ["SELECT", "READ BINARY"]
    assert p.terminal_number() == TERMINAL  # cached
    assert len(tracer.entries()) == 2
    tracer.clear()
    q = PsamKeyProvider(
        VirtualTransport(_NoSfiPsam(keyset, TERMINAL), tracer=tracer), alg=keyset.alg
    )
    assert q.terminal_number() == TERMINAL
    assert [e.name for e in tracer.entries()] == ["SELECT", "READ BINARY", "SELECT", "READ BINARY"]
    ctx = CardKeyContext(keyset.alg, REGION, _hist())
    soft = SoftKeyStore(keyset, TERMINAL)
    assert q.external_auth_data(ctx, UK, bytes(8), bytes(8)) == soft.external_auth_data(
        ctx, UK, bytes(8), bytes(8)
    )
