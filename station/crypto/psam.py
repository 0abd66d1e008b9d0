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

Usage byte and key numbers (published, see docs/keys.md "Sources")
    usage = ``levels << 5 | type``: bits 8-6 the number of diversification levels, bits
    5-1 the key type (``07`` encrypt only, ``08`` MAC and encrypt).  The default map is
    the one real social-security PSAMs carry: the Sichuan reader specification's key table
    (appendix B) gives each card key's PSAM key number and type; public PSAM code shows
    the usage bytes ``67`` (IRK, 3 levels: card, city, province factor) in a reader's
    genuineness check and ``48`` (UK, 2 levels: card, then city factor) in a
    3rd-generation personalisation::

        IRK 00 -> PSAM 08 usage 67    STK 02 -> PSAM 09 usage 28    RK 0A -> PSAM 0A usage 67
        PUK 06 -> PSAM 10 usage 28    UK  04 -> PSAM 12 usage 48

    STK's and PUK's depth is not in the published sources; they keep the card
    specification's one level.  A PSAM issued with other numbers is described by a
    ``key_map`` (the ``[key_map]`` table of a PSAM profile); card keys with no published
    number map to ``80 + card key`` (city application range ``80``-``BF``), type ``08``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from station.apdu.command import Command
from station.apdu.instructions import Ins
from station.crypto.algorithms import Alg
from station.crypto.keys import IRK, PUK, RK, STK, UK, KeySet

ENV_NAMES: dict[Alg, tuple[bytes, ...]] = {
    Alg.SM4: ("sx3.sh.社会保障".encode("gbk"),),
    Alg.DES3: ("sx1.sh.社会保障".encode("gbk"),),
}
PSAM_AID = bytes.fromhex("D15600000590")
TERMINAL_FID = 0x0016
TERMINAL_LEN = 6

CLA_DELIVERY, INS_DELIVERY = 0xBF, Ins.DELIVERY_SESSION_KEY
CLA_CIPHER, INS_CIPHER = 0x80, Ins.CIPHER_DATA

P1_ENCRYPT = 0x00
P1_ENCRYPT_MORE = 0x02
P1_MAC_SINGLE = 0x05
P1_MAC_FIRST = 0x07
P1_MAC_NEXT = 0x03
P1_MAC_LAST = 0x01

TYPE_MAC = 0x06
TYPE_ENCRYPT = 0x07
TYPE_MAC_ENCRYPT = 0x08


@dataclass(frozen=True)
class PsamSlot:
    """Where a card key's master lives in the PSAM and what it may be used for: the P1
    (usage) and P2 (PSAM key number) of DELIVERY SESSION KEY."""

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

    def __str__(self) -> str:
        return f"PSAM key {self.psam_key_id:02X} usage {self.usage:02X}"


# The published map (Sichuan reader spec appendix B + a real 3rd-gen personalisation trace).
DEFAULT_KEY_MAP: Mapping[int, PsamSlot] = MappingProxyType(
    {
        IRK: PsamSlot(usage=0x67, psam_key_id=0x08),
        STK: PsamSlot(usage=0x28, psam_key_id=0x09),
        RK: PsamSlot(usage=0x67, psam_key_id=0x0A),
        PUK: PsamSlot(usage=0x28, psam_key_id=0x10),
        UK: PsamSlot(usage=0x48, psam_key_id=0x12),
    }
)
DEFAULT_LEVELS: Mapping[int, int] = MappingProxyType(
    {key_id: slot.levels for key_id, slot in DEFAULT_KEY_MAP.items()}
)
USABLE_TYPES = (TYPE_MAC, TYPE_ENCRYPT, TYPE_MAC_ENCRYPT)


def slot_for(key_id: int, levels: int) -> PsamSlot:
    """The slot of card key ``key_id`` at ``levels`` diversification levels: the published
    PSAM key number and type, or ``80 + key_id`` (type ``08``) for unpublished keys."""
    known = DEFAULT_KEY_MAP.get(key_id)
    if known is not None:
        return PsamSlot(usage=(levels << 5) | known.key_type, psam_key_id=known.psam_key_id)
    return PsamSlot(usage=(levels << 5) | TYPE_MAC_ENCRYPT, psam_key_id=(0x80 + key_id) & 0xFF)


def slot_problem(slot: PsamSlot) -> str | None:
    """Why ``slot`` cannot be used by the station, or ``None``: the key number must be a
    byte other than 00, the usage a byte with at most 3 levels and a type the station
    uses (06 MAC, 07 encrypt, 08 MAC and encrypt)."""
    if not 0x01 <= slot.psam_key_id <= 0xFF:
        return f"PSAM key number must be 01..FF, not {slot.psam_key_id:#x}"
    if not 0 <= slot.usage <= 0xFF:
        return f"usage must be a byte, not {slot.usage:#x}"
    if slot.levels > 3:
        return f"usage {slot.usage:02X} means {slot.levels} levels; at most 3"
    if slot.key_type not in USABLE_TYPES:
        return (
            f"usage {slot.usage:02X} has key type {slot.key_type:02X}; "
            "the station uses 06 (MAC), 07 (encrypt) or 08 (MAC and encrypt)"
        )
    return None


def key_map_for(
    keyset: KeySet, key_map: Mapping[int, PsamSlot] | None = None
) -> dict[int, PsamSlot]:
    """The slot of every key in ``keyset``: ``key_map``'s entry, else the published one,
    else ``slot_for`` at the key file's depth.  Levels are not checked here (a software
    key store only needs the key types); see ``level_mismatches``."""
    over = key_map or {}
    slots: dict[int, PsamSlot] = {}
    for key_id, spec in keyset.keys.items():
        slot = over.get(key_id) or DEFAULT_KEY_MAP.get(key_id)
        slots[key_id] = slot if slot is not None else slot_for(key_id, spec.levels)
    return slots


def level_mismatches(keyset: KeySet, slots: Mapping[int, PsamSlot]) -> list[tuple[int, int, int]]:
    """``(card key, key-file levels, slot levels)`` for every key whose PSAM usage byte
    diversifies to a different depth than the card was personalised with: such a PSAM and
    card would never agree."""
    return [
        (key_id, keyset.keys[key_id].levels, slot.levels)
        for key_id, slot in sorted(slots.items())
        if key_id in keyset.keys and keyset.keys[key_id].levels != slot.levels
    ]


def duplicate_psam_keys(slots: Mapping[int, PsamSlot]) -> list[tuple[int, int, int]]:
    """``(PSAM key number, first card key, second card key)`` for PSAM keys named twice."""
    seen: dict[int, int] = {}
    dups: list[tuple[int, int, int]] = []
    for key_id, slot in sorted(slots.items()):
        if slot.psam_key_id in seen:
            dups.append((slot.psam_key_id, seen[slot.psam_key_id], key_id))
        else:
            seen[slot.psam_key_id] = key_id
    return dups


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


# -- the commands, one named builder each (INS from the one instruction table) --------------


def select_environment(name: bytes) -> Command:
    """SELECT the SSSE PSAM environment by name; FCI allowed but not needed."""
    return Command(0x00, Ins.SELECT, 0x04, 0x00, name, le=0)


def read_terminal_by_sfi() -> Command:
    """READ BINARY of EF 0016 by its short file identifier (``00 B0 96 00 06``)."""
    return Command(0x00, Ins.READ_BINARY, 0x80 | (TERMINAL_FID & 0x1F), 0x00, le=TERMINAL_LEN)


def select_terminal_file() -> Command:
    """SELECT EF 0016, for PSAMs without short file identifiers."""
    return Command(0x00, Ins.SELECT, 0x00, 0x00, TERMINAL_FID.to_bytes(2, "big"))


def read_terminal() -> Command:
    """READ BINARY of the selected EF 0016."""
    return Command(0x00, Ins.READ_BINARY, 0x00, 0x00, le=TERMINAL_LEN)


def delivery_session_key(slot: PsamSlot, factors: bytes) -> Command:
    """DELIVERY SESSION KEY ``BF DE <usage> <PSAM key> Lc <factors> <session factor>``:
    what it makes is a session key, so the command is sensitive."""
    return Command(
        CLA_DELIVERY, INS_DELIVERY, slot.usage, slot.psam_key_id, factors, sensitive=True
    )


def cipher_data(p1: int, data: bytes, *, expect_data: bool) -> Command:
    """CIPHER DATA ``80 FA <P1> 00 Lc <data> [00]``: ECB or MAC under the current session
    key (P1 names which part of a chain this is)."""
    le = 0 if expect_data else None
    return Command(CLA_CIPHER, INS_CIPHER, p1, 0x00, data, le=le, sensitive=True)
