"""The PSAM provider through a real pcscd: the virtual PSAM sits in vpcd slot 1 (the
PSAM slot of a counter) and must give what the software store gives."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from station.apdu.pcsc import PcscTransport, wait_for_card
from station.crypto.keys import IRK, PUK, RK, STK, UK, load_keyset
from station.crypto.provider import CardKeyContext, PsamKeyProvider, SoftKeyStore
from station.emulator.psam import DEFAULT_ATR, VirtualPsam
from station.emulator.vpcd import reader_name

from .sm_data import reset_pin_data

pytestmark = pytest.mark.pcsc

KEYS = Path(__file__).resolve().parents[2] / "profiles" / "keys"


@pytest.mark.parametrize("name", ["sm4", "3des"])
def test_psam_provider_over_pcsc(vpcd_slots: tuple[object, object], name: str) -> None:
    _, link1 = vpcd_slots
    ks = load_keyset(KEYS / f"test-{name}.toml")
    link1.insert(VirtualPsam(ks, "987654321098"))  # type: ignore[attr-defined]
    assert wait_for_card(reader_name(1), 5) == DEFAULT_ATR
    soft = SoftKeyStore(ks, "987654321098")
    with PcscTransport(reader_name(1)) as t:
        psam = PsamKeyProvider(t)
        assert psam.terminal_number() == "987654321098"
        assert psam.alg is ks.alg
        ctx = CardKeyContext(ks.alg, "510100", bytes(5) + secrets.token_bytes(8) + b"\x90\x00")
        r, orig = secrets.token_bytes(8), secrets.token_bytes(8)
        for key_id in (IRK, STK, UK, PUK, RK):
            assert psam.external_auth_data(ctx, key_id, r, orig) == soft.external_auth_data(
                ctx, key_id, r, orig
            )
        msg = secrets.token_bytes(300)  # chained MAC through the reader
        assert psam.mac(ctx, STK, r, msg) == soft.mac(ctx, STK, r, msg)
        assert reset_pin_data(psam, ctx, r, "8642") == reset_pin_data(soft, ctx, r, "8642")
