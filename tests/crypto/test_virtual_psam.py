"""The virtual PSAM at the APDU level: files, session keys, CIPHER DATA and status words."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.apdu.cardos import CardOS
from station.crypto import algorithms as A
from station.crypto import psam as P
from station.crypto.algorithms import Alg
from station.crypto.keys import IRK, RK, STK, UK, KeySet, load_keyset
from station.emulator.psam import DEFAULT_ATR, VirtualPsam

KEYS = Path(__file__).resolve().parents[2] / "profiles" / "keys"
SM4 = load_keyset(KEYS / "test-sm4.toml")
DES = load_keyset(KEYS / "test-3des.toml")
SX3 = "sx3.sh.社会保障".encode("gbk")
SX1 = "sx1.sh.社会保障".encode("gbk")


def x(card: VirtualPsam, hexstr: str, data: bytes = b"") -> tuple[bytes, int]:
    raw = bytes.fromhex(hexstr.replace(" ", ""))
    if data:
        raw = raw[:4] + bytes((len(data),)) + data + raw[4:]
    out = card.execute(raw)
    return out[:-2], int.from_bytes(out[-2:], "big")


def _psam(ks: KeySet = SM4) -> VirtualPsam:
    c = VirtualPsam(ks, "112233445566")
    c.power_on()
    return c


def test_is_a_cardos() -> None:
    c = _psam()
    assert isinstance(c, CardOS)
    assert c.atr == DEFAULT_ATR
    assert VirtualPsam(SM4, "000000000001", atr=b"\x3b\x00").atr == b"\x3b\x00"


def test_env_names_are_gbk() -> None:
    assert SX3.hex().upper() == "7378332E73682EC9E7BBE1B1A3D5CF"


def test_select_by_name_and_aid() -> None:
    c = _psam()
    rsp, sw = x(c, "00A40400 00", SX3)
    assert sw == 0x9000 and SX3 in rsp
    assert x(c, "00A40400", SX1)[1] == 0x6A82  # the DES name on an SM4 PSAM
    assert x(c, "00A40400", P.PSAM_AID)[1] == 0x9000
    d = _psam(DES)
    assert x(d, "00A40400", SX1)[1] == 0x9000
    assert x(d, "00A40400", SX3)[1] == 0x6A82


def test_terminal_number_file() -> None:
    c = _psam()
    assert x(c, "00B00000 06")[1] == 0x6986  # no current EF
    assert x(c, "00A40000", b"\x00\x16")[1] == 0x9000
    assert x(c, "00B00000 06") == (bytes.fromhex("112233445566"), 0x9000)
    assert x(c, "00B00000 00") == (bytes.fromhex("112233445566"), 0x9000)
    assert x(c, "00B00002 02") == (bytes.fromhex("3344"), 0x9000)
    assert x(c, "00B00000 08")[1] == 0x6C06
    assert x(c, "00B00007 01")[1] == 0x6B00
    assert x(c, "00B09600 06") == (bytes.fromhex("112233445566"), 0x9000)  # by SFI
    assert x(c, "00B09500 06")[1] == 0x6A82
    assert x(c, "00A40000", b"\x00\x17")[1] == 0x6A82


def _deliver(c: VirtualPsam, key_id: int, levels: int, factor: bytes) -> int:
    slot = P.slot_for(key_id, levels)
    factors = secrets.token_bytes(8 * levels)
    return x(c, f"BFDE{slot.usage:02X}{slot.psam_key_id:02X}", factors + factor)[1]


def test_session_key_rules() -> None:
    c = _psam()
    assert _deliver(c, UK, 2, bytes(16)) == 0x6985  # environment not selected
    x(c, "00A40400", SX3)
    assert x(c, "80FA0000", bytes(16))[1] == 0x6985  # no session key yet
    assert _deliver(c, UK, 2, bytes(8)) == 0x6700  # SM4 session factor is 16 bytes
    assert _deliver(c, UK, 1, bytes(16)) == 0x6A86  # known key, wrong usage (levels)
    assert x(c, "BFDE2777", bytes(24))[1] == 0x9403  # no such PSAM key
    assert _deliver(c, RK, 3, bytes(16)) == 0x9000
    assert x(c, "80FA0000 00", bytes(15))[1] == 0x6700
    assert x(c, "80FA0000 00", bytes(32))[1] == 0x9000
    assert x(c, "80FA0500 00", bytes(32))[1] == 0x6985  # RK (type 07) may not MAC
    assert x(c, "80FA0001 00", bytes(32))[1] == 0x6A86
    assert x(c, "80FA0900 00", bytes(32))[1] == 0x6A86
    assert _deliver(c, STK, 1, bytes(16)) == 0x9000
    assert x(c, "80FA0500 00", bytes(16))[1] == 0x6700  # IV alone is no message
    assert len(x(c, "80FA0500 00", bytes(32))[0]) == 4
    assert x(c, "80FA0300 ", bytes(16))[1] == 0x6985  # NEXT without FIRST
    c.reset()
    x(c, "00A40400", SX3)
    assert x(c, "80FA0000 00", bytes(16))[1] == 0x6985  # reset dropped the session key
    assert _deliver(c, IRK, 3, bytes(16)) == 0x9000


def test_cipher_matches_the_algorithms() -> None:
    for ks in (SM4, DES):
        c = _psam(ks)
        alg = ks.alg
        x(c, "00A40400", P.PSAM_AID)
        hist_factor = secrets.token_bytes(8)
        r = secrets.token_bytes(8)
        sf = A.session_factor(alg, r)
        slot = P.slot_for(STK, 1)
        assert x(c, f"BFDE{slot.usage:02X}{slot.psam_key_id:02X}", hist_factor + sf)[1] == 0x9000
        card_key = A.diversify(alg, ks.keys[STK].master, hist_factor)
        sk = A.session_key(alg, card_key, r)
        block = secrets.token_bytes(alg.block * 2)
        assert x(c, "80FA0000 00", block) == (A.ecb_encrypt(alg, sk, block), 0x9000)
        msg = secrets.token_bytes(21)
        iv = bytes(alg.block)
        padded = A.pad80(msg, alg.block)
        assert x(c, "80FA0500 00", iv + padded) == (A.mac(alg, sk, msg), 0x9000)
        # chained: first (IV + one block), next, last
        b = alg.block
        long_msg = secrets.token_bytes(5 * b + 3)
        padded = A.pad80(long_msg, b)
        assert x(c, "80FA0700", iv + padded[:b])[1] == 0x9000
        assert x(c, "80FA0300", padded[b : 3 * b])[1] == 0x9000
        assert x(c, "80FA0100 00", padded[3 * b :]) == (A.mac(alg, sk, long_msg), 0x9000)
        # a non-zero IV block is honoured
        iv2 = secrets.token_bytes(b)
        assert x(c, "80FA0500 00", iv2 + A.pad80(msg, b))[0] == A.mac(alg, sk, msg, iv=iv2)


def test_three_level_key_applies_factors_highest_first() -> None:
    c = _psam()
    x(c, "00A40400", SX3)
    prov, city, card = (secrets.token_bytes(8) for _ in range(3))
    slot = P.slot_for(IRK, 3)
    r = secrets.token_bytes(8)
    assert (
        x(c, f"BFDE{slot.usage:02X}{slot.psam_key_id:02X}", card + city + prov + r + bytes(8))[1]
        == 0x9000
    )
    key = A.diversify_path(Alg.SM4, SM4.keys[IRK].master, [prov, city, card])
    sk = A.session_key(Alg.SM4, key, r)
    assert x(c, "80FA0000 00", bytes(16))[0] == A.ecb_encrypt(Alg.SM4, sk, bytes(16))


def test_unknown_commands() -> None:
    c = _psam()
    assert x(c, "00CA0000 00")[1] == 0x6D00
    assert x(c, "80A40400", SX3)[1] == 0x6E00
    assert x(c, "00DE2818", bytes(24))[1] == 0x6E00
    assert x(c, "00A40800", SX3)[1] == 0x6A86
    assert c.execute(b"")[-2:] == b"\x67\x00"
    assert c.execute(b"\x00\xa4\x04\x00\x05\x01")[-2:] == b"\x67\x00"


@settings(max_examples=300)
@given(raw=st.binary(max_size=300))
def test_execute_never_raises(raw: bytes) -> None:
    c = _psam()
    out = c.execute(raw)
    assert len(out) >= 2


@settings(max_examples=200)
@given(
    ins=st.sampled_from([0xA4, 0xB0, 0xDE, 0xFA]),
    cla=st.sampled_from([0x00, 0x80, 0xBF]),
    p1=st.integers(0, 255),
    p2=st.integers(0, 255),
    data=st.binary(max_size=64),
)
def test_execute_never_raises_on_known_instructions(
    ins: int, cla: int, p1: int, p2: int, data: bytes
) -> None:
    c = _psam()
    c.execute(bytes.fromhex("00A40400") + bytes((len(SX3),)) + SX3)
    raw = bytes((cla, ins, p1, p2)) + (bytes((len(data),)) + data if data else b"")
    out = c.execute(raw)
    assert len(out) >= 2
    assert out[-2:] != b"\x6f\x00"  # no internal error: every path answers on purpose


def test_bad_terminal_number() -> None:
    with pytest.raises(ValueError):
        VirtualPsam(SM4, "12345")
