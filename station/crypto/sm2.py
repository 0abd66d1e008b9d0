"""SM2 signatures with SM3 (GB/T 32918.2): third-generation cards' certificates and online
authentication sign ``SM3(Z ‖ M)``, where Z binds the signer's identity and public key.

The elliptic-curve arithmetic comes from ``gmssl`` (pure Python, any prime curve); this
module adds what it lacks or gets wrong for our use:

- Z computed here for any user ID (gmssl hard-codes the default ID);
- the nonce k always from ``secrets`` (gmssl falls back to ``random``);
- public keys validated (on the curve) and signatures range-checked before verifying;
- gmssl's ``04``-prefix handling (``str.lstrip``) bypassed, and its two degenerate
  verification cases (``sG = tP`` and ``sG = -tP``) handled.

Keys are plain integers/points; a private key's ``repr`` never shows it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from gmssl.sm2 import CryptSM2

from station.crypto.algorithms import sm3
from station.errors import ErrorCode, StationError

DEFAULT_USER_ID = b"1234567812345678"


class SM2Error(StationError):
    default_message = "SM2运算错误 (SM2 operation failed)"
    code = ErrorCode.SM2


@dataclass(frozen=True)
class Curve:
    """A prime curve y² = x³ + ax + b over GF(p) with base point G of order n."""

    name: str
    p: int
    a: int
    b: int
    n: int
    gx: int
    gy: int

    @property
    def size(self) -> int:
        """Bytes per coordinate."""
        return (self.p.bit_length() + 7) // 8

    def __repr__(self) -> str:
        return f"Curve({self.name})"

    def contains(self, x: int, y: int) -> bool:
        return (
            0 <= x < self.p
            and 0 <= y < self.p
            and (y * y - x**3 - self.a * x - self.b) % self.p == 0
        )

    def _table(self) -> dict[str, str]:
        h = f"%0{2 * self.size}x"
        return {
            "n": h % self.n,
            "p": h % self.p,
            "g": h % self.gx + h % self.gy,
            "a": h % self.a,
            "b": h % self.b,
        }


SM2P256V1 = Curve(
    name="sm2p256v1",
    p=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF,
    a=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC,
    b=0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93,
    n=0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123,
    gx=0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
    gy=0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
)


@dataclass(frozen=True)
class SM2PublicKey:
    x: int
    y: int
    curve: Curve = SM2P256V1

    def __post_init__(self) -> None:
        if not self.curve.contains(self.x, self.y):
            raise SM2Error("SM2公钥无效 (SM2 public key is not on the curve)")

    def to_bytes(self) -> bytes:
        """Uncompressed point ``04 ‖ x ‖ y``."""
        n = self.curve.size
        return b"\x04" + self.x.to_bytes(n, "big") + self.y.to_bytes(n, "big")

    @classmethod
    def from_bytes(cls, raw: bytes, curve: Curve = SM2P256V1) -> SM2PublicKey:
        """``04 ‖ x ‖ y`` or bare ``x ‖ y``."""
        n = curve.size
        if len(raw) == 2 * n + 1 and raw[0] == 0x04:
            raw = raw[1:]
        if len(raw) != 2 * n:
            raise SM2Error(
                "SM2公钥格式错误 (SM2 public key must be 04‖x‖y)", detail=f"{len(raw)} bytes"
            )
        return cls(int.from_bytes(raw[:n], "big"), int.from_bytes(raw[n:], "big"), curve)

    def _hex(self) -> str:
        return self.to_bytes()[1:].hex()


@dataclass(frozen=True)
class SM2PrivateKey:
    d: int = field(repr=False)
    curve: Curve = SM2P256V1

    def __post_init__(self) -> None:
        if not 1 <= self.d <= self.curve.n - 2:
            raise SM2Error("SM2私钥无效 (SM2 private key out of range)")

    @property
    def public_key(self) -> SM2PublicKey:
        crypt = _crypt(self.curve)
        point = crypt._kg(self.d, crypt.ecc_table["g"])
        half = 2 * self.curve.size
        return SM2PublicKey(int(point[:half], 16), int(point[half:], 16), self.curve)

    @classmethod
    def generate(cls, curve: Curve = SM2P256V1) -> SM2PrivateKey:
        return cls(secrets.randbelow(curve.n - 2) + 1, curve)


def _crypt(
    curve: Curve, private: int | None = None, public: SM2PublicKey | None = None
) -> CryptSM2:
    c = CryptSM2(private_key=f"{private or 0:x}", public_key="", ecc_table=curve._table())
    if public is not None:
        c.public_key = public._hex()  # set directly: the constructor lstrip()s "04"
    return c


def z_value(public: SM2PublicKey, user_id: bytes = DEFAULT_USER_ID) -> bytes:
    """Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), ENTL the ID length in bits."""
    bits = len(user_id) * 8
    if bits > 0xFFFF:
        raise SM2Error("SM2用户标识太长 (SM2 user ID too long)", detail=f"{len(user_id)} bytes")
    c = public.curve
    n = c.size
    parts = [c.a, c.b, c.gx, c.gy, public.x, public.y]
    return sm3(bits.to_bytes(2, "big") + user_id + b"".join(v.to_bytes(n, "big") for v in parts))


def message_digest(public: SM2PublicKey, message: bytes, user_id: bytes = DEFAULT_USER_ID) -> bytes:
    """e = SM3(Z ‖ M), what is actually signed."""
    return sm3(z_value(public, user_id) + message)


def sign(
    private: SM2PrivateKey,
    message: bytes,
    *,
    user_id: bytes = DEFAULT_USER_ID,
    fixed_k_for_tests: int | None = None,
) -> bytes:
    """SM2 signature ``r ‖ s`` (2 × 32 bytes) over SM3(Z ‖ message).

    The nonce comes from ``secrets``; ``fixed_k_for_tests`` exists only to reproduce the
    standard's worked example and must never be used otherwise (a reused k leaks the key).
    """
    curve = private.curve
    e = message_digest(private.public_key, message, user_id)
    crypt = _crypt(curve, private.d)
    for _ in range(64):
        k = (
            fixed_k_for_tests
            if fixed_k_for_tests is not None
            else secrets.randbelow(curve.n - 1) + 1
        )
        sig = crypt.sign(e, f"{k:064x}")
        if sig is not None:
            return bytes.fromhex(sig).rjust(2 * curve.size, b"\x00")
        if fixed_k_for_tests is not None:
            raise SM2Error(detail="the fixed k gives a degenerate signature")
    raise SM2Error(detail="no valid signature after 64 nonces")  # pragma: no cover


def verify(
    public: SM2PublicKey, message: bytes, signature: bytes, *, user_id: bytes = DEFAULT_USER_ID
) -> bool:
    """True only for a valid ``r ‖ s`` signature of ``message`` by ``public``'s owner."""
    curve = public.curve
    n = curve.size
    if len(signature) != 2 * n:
        return False
    r = int.from_bytes(signature[:n], "big")
    s = int.from_bytes(signature[n:], "big")
    if not (1 <= r < curve.n and 1 <= s < curve.n):
        return False
    t = (r + s) % curve.n
    if t == 0:
        return False
    e = int.from_bytes(message_digest(public, message, user_id), "big")
    crypt = _crypt(curve, public=public)
    p1 = crypt._kg(s, crypt.ecc_table["g"])
    p2 = crypt._kg(t, crypt.public_key)
    if p1 == p2:
        point = crypt._kg((2 * s) % curve.n, crypt.ecc_table["g"])
    else:
        point = crypt._convert_jacb_to_nor(crypt._add_point(p1 + "1", p2))
    if point is None:  # sG = -tP: the point at infinity
        return False
    x1 = int(point[: 2 * n], 16)
    return secrets.compare_digest(((e + x1) % curve.n).to_bytes(n, "big"), r.to_bytes(n, "big"))


def signature_to_der(signature: bytes) -> bytes:
    """``r ‖ s`` to the DER ``SEQUENCE { r, s }`` used in certificates and by OpenSSL."""
    if not signature or len(signature) % 2:
        raise SM2Error(
            "SM2签名格式错误 (SM2 signature must be r‖s)", detail=f"{len(signature)} bytes"
        )
    half = len(signature) // 2
    r = int.from_bytes(signature[:half], "big")
    s = int.from_bytes(signature[half:], "big")
    return encode_dss_signature(r, s)


def signature_from_der(der: bytes, curve: Curve = SM2P256V1) -> bytes:
    """DER ``SEQUENCE { r, s }`` to ``r ‖ s``."""
    try:
        r, s = decode_dss_signature(der)
    except ValueError:
        raise SM2Error("SM2签名格式错误 (SM2 signature is not DER)") from None
    n = curve.size
    if r.bit_length() > 8 * n or s.bit_length() > 8 * n or r < 0 or s < 0:
        raise SM2Error("SM2签名格式错误 (SM2 signature values too large)")
    return r.to_bytes(n, "big") + s.to_bytes(n, "big")
