"""Card cryptography against standard vectors and independent implementations.

Independent oracles: gmssl's pure-Python SM4 (not OpenSSL) for SM4, pycryptodomex (a
dependency of gmssl) for DES — so a vector mismatch cannot come from the same code.
"""

from __future__ import annotations

import string

import pytest
from Cryptodome.Cipher import DES, DES3
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from gmssl.sm4 import SM4_ENCRYPT, CryptSM4
from hypothesis import given
from hypothesis import strategies as st

from station.crypto import algorithms as A
from station.crypto.algorithms import Alg, CryptoError

SM4_K = bytes.fromhex("0123456789abcdeffedcba9876543210")


def _gm_sm4_block(key: bytes, block: bytes) -> bytes:
    c = CryptSM4()
    c.set_key(key, SM4_ENCRYPT)
    return bytes(c.one_round(c.sk, list(block)))


def _gm_sm4_cbc(key: bytes, data: bytes, iv: bytes) -> bytes:
    out, prev = b"", iv
    for i in range(0, len(data), 16):
        prev = _gm_sm4_block(key, bytes(a ^ b for a, b in zip(data[i : i + 16], prev, strict=True)))
        out += prev
    return out


def _des_cbc(key8: bytes, data: bytes, iv: bytes) -> bytes:
    return DES.new(key8, DES.MODE_CBC, iv=iv).encrypt(data)


# -- SM4 / SM3 --------


def test_sm4_standard_vector() -> None:
    assert A.ecb_encrypt(Alg.SM4, SM4_K, SM4_K).hex() == "681edf34d206965e86b3e94f536e4246"
    assert A.ecb_decrypt(Alg.SM4, SM4_K, bytes.fromhex("681edf34d206965e86b3e94f536e4246")) == SM4_K


def test_sm4_million_iterations() -> None:
    # one encryptor context reused: ~0.6 s with OpenSSL, so not marked slow
    enc = Cipher(algorithms.SM4(SM4_K), modes.ECB()).encryptor()
    block = SM4_K
    for _ in range(1_000_000):
        block = enc.update(block)
    assert block.hex() == "595298c7c6fd271f0402f804c33d3f66"
    # and our wrapper agrees with that context on the first step
    assert A.ecb_encrypt(Alg.SM4, SM4_K, SM4_K) == _gm_sm4_block(SM4_K, SM4_K)


def test_sm3_vectors() -> None:
    assert A.sm3(b"abc").hex() == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert A.sm3(b"abcd" * 16).hex() == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    )


# -- DES --------


def test_single_des_known_answer() -> None:
    # the classic worked example (key 133457799BBCDFF1); an 8-byte key means single DES
    k = bytes.fromhex("133457799BBCDFF1")
    assert A.ecb_encrypt(Alg.DES3, k, bytes.fromhex("0123456789ABCDEF")).hex() == "85e813540f0ab405"


def test_three_key_3des_sp800_67_example() -> None:
    k = bytes.fromhex("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123")
    ct = A.ecb_encrypt(Alg.DES3, k, b"The qufck brown fox jump")
    assert ct.hex() == "a826fd8ce53b855fcce21c8112256fe668d5c05dd9b6b900"


def test_two_key_3des_matches_pycryptodome() -> None:
    k = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    data = bytes(range(32))
    ours = A.ecb_encrypt(Alg.DES3, k, data)
    assert ours == DES3.new(k, DES3.MODE_ECB).encrypt(data)
    assert A.ecb_decrypt(Alg.DES3, k, ours) == data
    # EDE with K3 = K1: E_K1(D_K2(E_K1(x))) built from single DES
    e1 = DES.new(k[:8], DES.MODE_ECB)
    d2 = DES.new(k[8:], DES.MODE_ECB)
    assert ours[:8] == e1.encrypt(d2.decrypt(e1.encrypt(data[:8])))


def test_bad_lengths_are_typed() -> None:
    with pytest.raises(CryptoError):
        A.ecb_encrypt(Alg.SM4, bytes(8), bytes(16))
    with pytest.raises(CryptoError):
        A.ecb_encrypt(Alg.DES3, bytes(12), bytes(8))
    with pytest.raises(CryptoError):
        A.ecb_encrypt(Alg.SM4, SM4_K, bytes(15))
    with pytest.raises(CryptoError):
        A.cbc_encrypt(Alg.SM4, SM4_K, bytes(16), iv=bytes(8))


# -- MACs --------


@pytest.mark.parametrize("n", [0, 1, 15, 16, 17, 40])
def test_sm4_mac_is_folded_cbc(n: int) -> None:
    key = bytes(range(16, 32))
    msg = bytes(range(n))
    padded = msg + b"\x80" + bytes((-(n + 1)) % 16)
    last = _gm_sm4_cbc(key, padded, bytes(16))[-16:]
    folded = bytes(last[i] ^ last[4 + i] ^ last[8 + i] ^ last[12 + i] for i in range(4))
    assert A.mac(Alg.SM4, key, msg) == folded


def test_sm4_mac_aligned_message_gets_a_full_pad_block() -> None:
    key = bytes(range(16))
    msg = bytes(16)
    two_blocks = _gm_sm4_cbc(key, msg + b"\x80" + bytes(15), bytes(16))
    assert len(two_blocks) == 32
    assert A.mac(Alg.SM4, key, msg) == A.fold4(two_blocks[16:])


@pytest.mark.parametrize("n", [0, 7, 8, 9, 21])
def test_des_session_key_mac_is_first_four_bytes(n: int) -> None:
    sk = bytes.fromhex("133457799BBCDFF1")
    msg = bytes(range(100, 100 + n))
    padded = msg + b"\x80" + bytes((-(n + 1)) % 8)
    assert A.mac(Alg.DES3, sk, msg) == _des_cbc(sk, padded, bytes(8))[-8:][:4]


def test_pboc_retail_mac_with_challenge_iv() -> None:
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    challenge = bytes.fromhex("1122334455667788")
    msg = bytes.fromhex("841E000104") + b"\x00" * 9
    padded = msg + b"\x80" + bytes((-(len(msg) + 1)) % 8)
    last = _des_cbc(key[:8], padded, challenge)[-8:]
    last = DES.new(key[8:], DES.MODE_ECB).decrypt(last)
    expected = DES.new(key[:8], DES.MODE_ECB).encrypt(last)[:4]
    assert A.pboc_mac(Alg.DES3, key, challenge, msg) == expected
    # ISO 9797-1 alg. 3 over one block equals 3DES-EDE of (block XOR IV)
    one = bytes.fromhex("0102030405")
    block = bytes(a ^ b for a, b in zip(one + b"\x80\x00\x00", challenge, strict=True))
    assert (
        A.pboc_mac(Alg.DES3, key, challenge, one) == DES3.new(key, DES3.MODE_ECB).encrypt(block)[:4]
    )
    # a 4-byte challenge is zero-extended to the IV
    short = A.pboc_mac(Alg.DES3, key, challenge[:4], msg)
    assert short == A.mac(Alg.DES3, key, msg, iv=challenge[:4] + bytes(4))
    assert short != A.pboc_mac(Alg.DES3, key, challenge, msg)


def test_mac_equal() -> None:
    assert A.mac_equal(b"\x01\x02\x03\x04", b"\x01\x02\x03\x04")
    assert not A.mac_equal(b"\x01\x02\x03\x04", b"\x01\x02\x03\x05")
    assert not A.mac_equal(b"\x01\x02\x03", b"\x01\x02\x03\x04")


# -- session keys and authentication data --------


def test_sm4_session_key_and_auth_data() -> None:
    key = bytes(range(16))
    r = bytes.fromhex("A1A2A3A4A5A6A7A8")
    sk = A.session_key(Alg.SM4, key, r)
    assert sk == _gm_sm4_block(key, r + bytes(8))
    orig = bytes.fromhex("0102030405060708")
    o = _gm_sm4_block(sk, orig + bytes(8))
    assert A.auth_data(Alg.SM4, sk, orig) == bytes(a ^ b for a, b in zip(o[:8], o[8:], strict=True))


def test_des_session_key_and_auth_data() -> None:
    key = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    r = bytes.fromhex("A1A2A3A4A5A6A7A8")
    sk = A.session_key(Alg.DES3, key, r)
    assert len(sk) == 8
    assert sk == DES3.new(key, DES3.MODE_ECB).encrypt(r)
    orig = bytes.fromhex("0102030405060708")
    assert A.auth_data(Alg.DES3, sk, orig) == DES.new(sk, DES.MODE_ECB).encrypt(orig)


def test_session_factor_rules() -> None:
    r = bytes(range(1, 9))
    assert A.session_factor(Alg.SM4, r) == r + bytes(8)
    assert A.session_factor(Alg.DES3, r) == r
    with pytest.raises(CryptoError):
        A.session_factor(Alg.SM4, r[:4])


# -- diversification --------


def test_factors() -> None:
    assert A.province_factor("650100") == bytes.fromhex("3635303030307368")
    assert A.city_factor("650100") == bytes.fromhex("3635303130307378")
    hist = bytes(range(0x10, 0x10 + 15))
    assert A.card_factor(hist) == bytes(range(0x15, 0x1D))  # T6..TD
    with pytest.raises(CryptoError):
        A.card_factor(hist[:12])
    with pytest.raises(CryptoError):
        A.city_factor("65010")


def test_diversify_sm4_and_des() -> None:
    f = bytes.fromhex("3635303130307378")
    inv = bytes(b ^ 0xFF for b in f)
    k = bytes(range(16))
    assert A.diversify(Alg.SM4, k, f) == _gm_sm4_block(k, f + inv)
    dk = bytes.fromhex("0123456789ABCDEFFEDCBA9876543210")
    c = DES3.new(dk, DES3.MODE_ECB)
    assert A.diversify(Alg.DES3, dk, f) == c.encrypt(f) + c.encrypt(inv)
    # a path applies factors in the order given
    f2 = bytes(range(8))
    assert A.diversify_path(Alg.SM4, k, [f, f2]) == A.diversify(
        Alg.SM4, A.diversify(Alg.SM4, k, f), f2
    )
    assert A.diversify_path(Alg.SM4, k, [f, f2]) != A.diversify_path(Alg.SM4, k, [f2, f])


# -- PINs, padding (with properties) --------


def test_pin_block_layout() -> None:
    assert A.pin_block(Alg.DES3, "123456") == bytes.fromhex("0312345680000000")
    assert A.pin_block(Alg.DES3, "12345") == bytes.fromhex("0312345F80000000")
    assert A.pin_block(Alg.SM4, "1234") == bytes.fromhex("02123480") + bytes(12)
    # 12 digits on DES: 1 + 6 + 80 = 8 bytes exactly
    assert A.pin_block(Alg.DES3, "123456789012") == bytes.fromhex("0612345678901280")


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "１２３４", ""])
def test_bad_pin_error_never_echoes_it(pin: str) -> None:
    with pytest.raises(CryptoError) as info:
        A.pin_block(Alg.SM4, pin)
    if pin:
        assert pin not in str(info.value)


def test_unpack_pin_block_rejects_garbage() -> None:
    for bad in [
        bytes(8),
        bytes.fromhex("0712345678901280"),
        bytes.fromhex("0212348100000000"),
        bytes.fromhex("0212348000000001"),
        bytes.fromhex("02123480000000"),
    ]:
        with pytest.raises(CryptoError):
            A.unpack_pin_block(Alg.DES3, bad)


pins = st.text(alphabet=string.digits, min_size=4, max_size=12)


@given(pin=pins, alg=st.sampled_from(list(Alg)))
def test_pin_block_round_trip(pin: str, alg: Alg) -> None:
    block = A.pin_block(alg, pin)
    assert len(block) % alg.block == 0
    bcd = A.unpack_pin_block(alg, block)
    assert bcd == A.pin_bcd(pin)
    assert bcd.hex().upper().rstrip("F") == pin


@given(data=st.binary(max_size=100), block=st.sampled_from([8, 16]))
def test_pad80_properties(data: bytes, block: int) -> None:
    out = A.pad80(data, block)
    assert len(out) % block == 0
    assert len(data) < len(out) <= len(data) + block
    assert out.startswith(data)
    assert out[len(data)] == 0x80 and not any(out[len(data) + 1 :])
    assert out.rstrip(b"\x00")[:-1] == data  # unpadding recovers the data


@given(block=st.binary(min_size=16, max_size=16))
def test_fold_properties(block: bytes) -> None:
    assert A.fold(block) == bytes(a ^ b for a, b in zip(block[:8], block[8:], strict=True))
    half = A.fold(block)
    assert A.fold4(block) == bytes(a ^ b for a, b in zip(half[:4], half[4:], strict=True))
    assert A.fold4(block) == bytes(
        block[i] ^ block[4 + i] ^ block[8 + i] ^ block[12 + i] for i in range(4)
    )


def test_alg_codes() -> None:
    assert Alg.from_fci(None) is Alg.DES3
    assert Alg.from_fci(0x03) is Alg.SM4
    assert Alg.parse("SM4") is Alg.SM4 and Alg.parse("3-DES") is Alg.DES3
    with pytest.raises(CryptoError):
        Alg.from_fci(0x02)
    with pytest.raises(CryptoError):
        Alg.parse("aes")
