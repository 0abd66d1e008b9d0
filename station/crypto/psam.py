"""The social-security PSAM's command set as the station uses it, shared by the PSAM key
provider (host side) and the virtual PSAM (card side) so the two cannot drift apart.

Environment
    The SSSE PSAM environment is selected by name (``00 A4 04 00``): ``sx1.sh.社会保障``
    (GBK) on DES PSAMs, ``sx3.sh.社会保障`` on SM4 PSAMs; the application inside it has the
    AID ``D1 56 00 00 05 90``.  EF ``0016`` holds the 6-byte BCD terminal number.

DELIVERY SESSION KEY ``BF DE <usage> <psam key id> Lc <factors> <session factor>``
    The PSAM diversifies the master key ``<psam key id>`` through the factors (8 bytes each,
    sent card level first, applied from the last one, the highest level) and encrypts the
    session factor with the result: the session key stays current until the next BF DE.
    Session factor (card-spec REF): SM4 ``R ‖ 00×8``, 3DES ``R``.

CIPHER DATA ``80 FA <P1> 00 Lc <data>``
    P1 ``00`` ECB-encrypt block-aligned data (``02``: the same, more to come); ``05`` MAC in
    one command over ``<IV block> <message padded 80 00…>``; ``07`` first, ``03`` next,
    ``01`` last part of a chained MAC (the IV block leads the first part).  The MAC is
    folded as on the card: SM4 XOR of the four words of the last block, DES its first
    4 bytes.

Usage byte and key numbers (our mapping, see docs/keys.md)
    usage = ``levels << 5 | type``: bits 8-6 the number of diversification levels, bits
    5-1 the key type (``07`` encrypt only, ``08`` MAC and encrypt).  STK is the only key
    that MACs (secure messaging) as well as encrypts (the RESET PIN block); the others only
    produce authentication data, i.e. encrypt.  PSAM key numbers follow the PSAM
    allocation ranges: national keys in ``08``–``0F`` (IRK ``08``, RK ``09``), city keys in
    ``18``–``1F`` (STK ``18``, UK ``19``, PUK ``1A``).  Other card keys map to
    ``80 + card key`` (city application range ``80``–``BF``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from station.crypto.algorithms import Alg
from station.crypto.keys import IRK, PUK, RK, STK, UK, KeySet

ENV_NAMES: dict[Alg, tuple[bytes, ...]] = {
    Alg.SM4: ("sx3.sh.社会保障".encode("gbk"),),
    Alg.DES3: ("sx1.sh.社会保障".encode("gbk"),),
}
PSAM_AID = bytes.fromhex("D15600000590")
TERMINAL_FID = 0x0016
TERMINAL_LEN = 6

CLA_DELIVERY, INS_DELIVERY = 0xBF, 0xDE
CLA_CIPHER, INS_CIPHER = 0x80, 0xFA

P1_ENCRYPT = 0x00
P1_ENCRYPT_MORE = 0x02
P1_MAC_SINGLE = 0x05
P1_MAC_FIRST = 0x07
P1_MAC_NEXT = 0x03
P1_MAC_LAST = 0x01

TYPE_MAC = 0x06
TYPE_ENCRYPT = 0x07
TYPE_MAC_ENCRYPT = 0x08

# card key number -> (PSAM key number, key type)
_STANDARD_SLOTS: dict[int, tuple[int, int]] = {
    IRK: (0x08, TYPE_ENCRYPT),
    RK: (0x09, TYPE_ENCRYPT),
    STK: (0x18, TYPE_MAC_ENCRYPT),
    UK: (0x19, TYPE_ENCRYPT),
    PUK: (0x1A, TYPE_ENCRYPT),
}
DEFAULT_LEVELS: dict[int, int] = {IRK: 3, RK: 3, STK: 1, UK: 1, PUK: 1}


@dataclass(frozen=True)
class PsamSlot:
    """Where a card key's master lives in the PSAM and what it may be used for."""

    usage: int
    psam_key_id: int

    @property
    def levels(self) -> int:
        return self.usage >> 5

    @property
    def key_type(self) -> int:
        return self.usage & 0x1F

    @property
    def can_encrypt(self) -> bool:
        return self.key_type in (TYPE_ENCRYPT, TYPE_MAC_ENCRYPT)

    @property
    def can_mac(self) -> bool:
        return self.key_type in (TYPE_MAC, TYPE_MAC_ENCRYPT)


def slot_for(key_id: int, levels: int) -> PsamSlot:
    """The PSAM slot of card key ``key_id`` with ``levels`` diversification levels."""
    psam_id, key_type = _STANDARD_SLOTS.get(key_id, ((0x80 + key_id) & 0xFF, TYPE_MAC_ENCRYPT))
    return PsamSlot(usage=(levels << 5) | key_type, psam_key_id=psam_id)


DEFAULT_KEY_MAP: Mapping[int, PsamSlot] = {
    key_id: slot_for(key_id, levels) for key_id, levels in DEFAULT_LEVELS.items()
}


def key_map_for(keyset: KeySet) -> dict[int, PsamSlot]:
    """The slot map of a PSAM loaded with ``keyset`` (levels taken from the key set)."""
    return {key_id: slot_for(key_id, spec.levels) for key_id, spec in keyset.keys.items()}


def terminal_bcd(number: str) -> bytes:
    """12-digit terminal number to the 6 BCD bytes of EF 0016."""
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        raise ValueError(f"terminal number must be 12 digits, got {number!r}")
    return bytes.fromhex(number)


def terminal_from_bcd(raw: bytes) -> str | None:
    """6 BCD bytes to 12 digits, or ``None`` if they are not BCD."""
    text = raw.hex()
    if len(raw) != TERMINAL_LEN or not text.isdigit():
        return None
    return text
