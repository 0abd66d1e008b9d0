"""Card-side cryptography of the social security card (card-spec §4), on OpenSSL speed.

SM4, SM3 and (3)DES come from ``cryptography``; these functions add only what the card
specification defines on top: padding, the XOR-folded SM4 MAC, session keys from a card
challenge, authentication data, the RESET PIN block and key diversification.

Every function takes and returns ``bytes``.  Nothing here logs, and error texts never
include key or PIN material.
"""

from __future__ import annotations

import enum
import hmac
import warnings
from typing import Any

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


class CryptoError(ValueError):
    """Bad lengths or parameters for a cryptographic operation (never carries key bytes)."""


class Alg(enum.Enum):
    """The card's symmetric algorithm, read from the SSSE FCI (tag 86)."""

    DES3 = "3des"  # gen 2: two-key 3DES keys, single-DES session keys, 8-byte blocks
    SM4 = "sm4"  # gen 3: 16-byte keys and blocks

    @property
    def block(self) -> int:
        return 8 if self is Alg.DES3 else 16

    @property
    def fci_code(self) -> int:
        return 0x01 if self is Alg.DES3 else 0x03

    @classmethod
    def from_fci(cls, code: int | None) -> Alg:
        """FCI ``86`` value to algorithm; absent means DES (card-spec §1)."""
        if code is None or code == 0x01:
            return cls.DES3
        if code == 0x03:
            return cls.SM4
        if code == 0x02:
            raise CryptoError(
                "SSF33 cards (algorithm 02) are not supported: the algorithm is not public"
            )
        raise CryptoError(f"unknown algorithm identifier {code:02X}")

    @classmethod
    def parse(cls, name: str) -> Alg:
        key = name.strip().lower().replace("-", "").replace("_", "")
        if key in ("sm4",):
            return cls.SM4
        if key in ("3des", "des3", "des", "tdes", "tripledes"):
            return cls.DES3
        raise CryptoError(f"unknown algorithm {name!r} (expected sm4 or 3des)")


# -- block ciphers ------------------------------------------------------------------------


def _des_key(key: bytes) -> bytes:
    if len(key) == 8:
        return key * 3
    if len(key) == 16:
        return key + key[:8]
    if len(key) == 24:
        return key
    raise CryptoError(f"DES key must be 8, 16 or 24 bytes, not {len(key)}")


def _cipher(alg: Alg, key: bytes, mode: Any) -> Cipher[Any]:
    if alg is Alg.SM4:
        if len(key) != 16:
            raise CryptoError(f"SM4 key must be 16 bytes, not {len(key)}")
        return Cipher(algorithms.SM4(key), mode)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Cipher(TripleDES(_des_key(key)), mode)


def _check_blocks(alg: Alg, data: bytes) -> None:
    if len(data) % alg.block:
        raise CryptoError(f"data length {len(data)} is not a multiple of {alg.block}")


def ecb_encrypt(alg: Alg, key: bytes, data: bytes) -> bytes:
    """ECB-encrypt block-aligned data (an 8-byte DES key means single DES)."""
    _check_blocks(alg, data)
    enc = _cipher(alg, key, modes.ECB()).encryptor()  # noqa: S305 - card spec mandates ECB
    return enc.update(data) + enc.finalize()


def ecb_decrypt(alg: Alg, key: bytes, data: bytes) -> bytes:
    _check_blocks(alg, data)
    dec = _cipher(alg, key, modes.ECB()).decryptor()  # noqa: S305
    return dec.update(data) + dec.finalize()


def cbc_encrypt(alg: Alg, key: bytes, data: bytes, iv: bytes | None = None) -> bytes:
    _check_blocks(alg, data)
    iv = iv if iv is not None else bytes(alg.block)
    if len(iv) != alg.block:
        raise CryptoError(f"IV must be {alg.block} bytes")
    enc = _cipher(alg, key, modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def sm3(data: bytes) -> bytes:
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


# -- padding, folding ----------------------------------------------------------------------


def pad80(data: bytes, block: int) -> bytes:
    """ISO 7816-4 padding: always append 80, then 00 up to the block size."""
    out = data + b"\x80"
    return out + bytes((-len(out)) % block)


def fold(block16: bytes) -> bytes:
    """XOR the two 8-byte halves of a 16-byte SM4 block (authentication data)."""
    if len(block16) != 16:
        raise CryptoError("fold needs a 16-byte block")
    return bytes(a ^ b for a, b in zip(block16[:8], block16[8:], strict=True))


def fold4(block16: bytes) -> bytes:
    """XOR the four 4-byte words of a 16-byte block (the SM4 MAC)."""
    w = [block16[i : i + 4] for i in range(0, 16, 4)]
    return bytes(a ^ b ^ c ^ d for a, b, c, d in zip(*w, strict=True))


# -- MACs ------------------------------------------------------------------------------------


def mac(alg: Alg, key: bytes, message: bytes, iv: bytes | None = None) -> bytes:
    """The card's 4-byte MAC: pad 80 00…, CBC with IV (zeros by default).

    SM4: XOR of the four words of the last block.  DES with an 8-byte session key: the
    first 4 bytes of the last block.  DES with a 16-byte key: ISO 9797-1 algorithm 3
    (single-DES CBC with the left half, then D(right)/E(left) on the last block), which
    is the PBOC form used with the challenge as IV.
    """
    data = pad80(message, alg.block)
    if alg is Alg.SM4:
        return fold4(cbc_encrypt(alg, key, data, iv)[-16:])
    if len(key) == 8:
        return cbc_encrypt(alg, key, data, iv)[-8:][:4]
    if len(key) != 16:
        raise CryptoError("DES MAC key must be 8 or 16 bytes")
    last = cbc_encrypt(alg, key[:8], data, iv)[-8:]
    last = ecb_decrypt(alg, key[8:], last)
    return ecb_encrypt(alg, key[:8], last)[:4]


def pboc_mac(alg: Alg, key: bytes, challenge: bytes, message: bytes) -> bytes:
    """PBOC form: the card challenge (zero-extended to a block) is the IV."""
    iv = (challenge + bytes(alg.block))[: alg.block]
    return mac(alg, key, message, iv)


def mac_equal(a: bytes, b: bytes) -> bool:
    """Constant-time comparison for MACs and authentication data."""
    return hmac.compare_digest(a, b)


# -- session keys, authentication data -------------------------------------------------------


def session_factor(alg: Alg, challenge: bytes) -> bytes:
    """SM4: R ‖ 00×8 (one block); 3DES: R (8 bytes)."""
    if len(challenge) != 8:
        raise CryptoError(f"challenge must be 8 bytes, not {len(challenge)}")
    return challenge + bytes(8) if alg is Alg.SM4 else challenge


def session_key(alg: Alg, key: bytes, challenge: bytes) -> bytes:
    """SK = E_K(session factor): 16 bytes for SM4, an 8-byte single-DES key for 3DES."""
    return ecb_encrypt(alg, key, session_factor(alg, challenge))


def auth_data(alg: Alg, sk: bytes, orig: bytes) -> bytes:
    """Auth data over 8 bytes: SM4 fold(E_SK(orig ‖ 00×8)), DES DES_SK(orig)."""
    if len(orig) != 8:
        raise CryptoError("authentication original data must be 8 bytes")
    if alg is Alg.SM4:
        return fold(ecb_encrypt(alg, sk, orig + bytes(8)))
    return ecb_encrypt(alg, sk, orig)


# -- PINs --------------------------------------------------------------------------------------


def pin_bcd(pin: str) -> bytes:
    """4..12 digits as BCD, an odd length padded with F.  The error never echoes the PIN."""
    if not (4 <= len(pin) <= 12) or not pin.isascii() or not pin.isdigit():
        raise CryptoError("a PIN must be 4 to 12 digits")
    text = pin + ("F" if len(pin) % 2 else "")
    return bytes.fromhex(text)


def pin_block(alg: Alg, pin: str) -> bytes:
    """Plain RESET PIN block: LD ‖ PIN BCD ‖ 80 00… padded to the block size."""
    bcd = pin_bcd(pin)
    return pad80(bytes((len(bcd),)) + bcd, alg.block)


def unpack_pin_block(alg: Alg, block: bytes) -> bytes:
    """Inverse of ``pin_block`` on decrypted data: the PIN BCD bytes, checked."""
    if not block or len(block) % alg.block:
        raise CryptoError("PIN block has a wrong length")
    ld = block[0]
    if not 2 <= ld <= 6 or 1 + ld >= len(block):
        raise CryptoError("PIN block has a wrong length byte")
    bcd = block[1 : 1 + ld]
    tail = block[1 + ld :]
    if not tail or tail[0] != 0x80 or any(tail[1:]):
        raise CryptoError("PIN block padding is wrong")
    return bcd


# -- diversification ------------------------------------------------------------------------


def province_factor(region: str) -> bytes:
    """Level 1: ASCII of the first 2 region digits + '0000sh'."""
    _check_region(region)
    return region[:2].encode("ascii") + bytes.fromhex("303030307368")


def city_factor(region: str) -> bytes:
    """Level 2: ASCII of the 6 region digits + 'sx'."""
    _check_region(region)
    return region.encode("ascii") + bytes.fromhex("7378")


def card_factor(historical_bytes: bytes) -> bytes:
    """Level 3: ATR historical bytes T6..TD (8 bytes, 1-based T1 first)."""
    if len(historical_bytes) < 13:
        raise CryptoError(
            f"ATR historical bytes too short for a card factor ({len(historical_bytes)} < 13)"
        )
    return historical_bytes[5:13]


def _check_region(region: str) -> None:
    if len(region) != 6 or not region.isascii() or not region.isdigit():
        raise CryptoError(f"region code must be 6 digits, got {region!r}")


def diversify(alg: Alg, parent: bytes, factor: bytes) -> bytes:
    """One level: SM4 child = E_parent(f ‖ NOT f); 3DES child = 3DES(f) ‖ 3DES(NOT f)."""
    if len(factor) != 8:
        raise CryptoError("diversification factor must be 8 bytes")
    inv = bytes(b ^ 0xFF for b in factor)
    if alg is Alg.SM4:
        return ecb_encrypt(alg, parent, factor + inv)
    return ecb_encrypt(alg, parent, factor) + ecb_encrypt(alg, parent, inv)


def diversify_path(alg: Alg, master: bytes, factors: list[bytes]) -> bytes:
    """Apply the factors in order (province, city, card for a 3-level key)."""
    key = master
    for f in factors:
        key = diversify(alg, key, f)
    return key
