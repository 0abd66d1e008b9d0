"""PSAM profiles (``kind = "psam"``): a virtual PSAM holding a key file's masters, its
terminal number and, when it differs from the published one, its key map."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from station.crypto import psam as P
from station.crypto.keys import KEY_NAMES, KeySet
from station.profiles.base import ProfileBase, ProfileKind, read_common
from station.profiles.keys import key_id, load_keys
from station.profiles.reader import Reader, Where

TOP_FIELDS = {
    "kind",
    "name",
    "description",
    "algorithm",
    "atr",
    "key_file",
    "terminal_number",
    "key_map",
}


@dataclass(frozen=True, kw_only=True)
class PsamProfile(ProfileBase):
    """A validated PSAM profile.  ``atr`` is empty for the virtual PSAM's own ATR;
    ``key_map`` covers every key of the key file (card key -> PSAM key slot)."""

    kind: ClassVar[ProfileKind] = ProfileKind.PSAM
    terminal_number: str
    atr: bytes = b""
    key_map: Mapping[int, P.PsamSlot] = field(default_factory=dict)


def read_psam(r: Reader) -> PsamProfile:
    r.table((), r.doc, TOP_FIELDS)
    common = read_common(r)
    atr = r.hexbytes(r.doc, (), "atr", None)
    terminal = r.get(r.doc, (), "terminal_number", str)
    if not re.fullmatch(r"\d{12}", terminal):
        raise r.err(("terminal_number",), "must be 12 digits")
    keyset = load_keys(r, common["key_file"], common["alg"])
    return PsamProfile(
        **common, terminal_number=terminal, atr=atr or b"", key_map=read_key_map(r, keyset)
    )


def _psam_byte(r: Reader, where: Where, value: Any, what: str) -> int:
    """A PSAM key number or usage byte: a TOML integer (``0x12``) or two hex digits."""
    if isinstance(value, str) and re.fullmatch(r"(0[xX])?[0-9A-Fa-f]{1,2}", value.strip()):
        return int(value.strip(), 16)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFF:
        return value
    raise r.err(where, f"{what} must be a byte: 0x00..0xFF or two hex digits in quotes")


def read_key_map(r: Reader, keyset: KeySet) -> dict[int, P.PsamSlot]:
    """``[key_map]``: ``NAME = { psam_key = 0x12, usage = 0x48 }`` per card key whose PSAM
    key differs from the published map (``station.crypto.psam.DEFAULT_KEY_MAP``).  The
    result covers every key of the key file; a depth that disagrees with the key file, an
    unusable usage byte or a PSAM key named twice is refused at its line."""
    over: dict[int, P.PsamSlot] = {}
    names: dict[int, str] = {}
    for kname, entry in r.open_table(("key_map",), r.doc.get("key_map", {})).items():
        kid = key_id(kname)
        where: Where = ("key_map", kname)
        if kid is None:
            raise r.err(where, f"unknown key '{kname}' (a standard name or a hex key number)")
        if kid not in keyset.keys:
            raise r.err(where, "no such key in the key file")
        if kid in over:
            raise r.err(where, f"key {kid:02X} is named twice")
        over[kid] = _slot(r, where, entry, P.key_map_for(keyset)[kid])
        names[kid] = kname
    slots = P.key_map_for(keyset, over)
    _check_slots(r, keyset, slots, names)
    return slots


def _slot(r: Reader, where: Where, entry: Any, default: P.PsamSlot) -> P.PsamSlot:
    """One ``[key_map]`` entry; ``usage`` left out keeps the published one."""
    r.table(where, entry, {"psam_key", "usage"})
    if "psam_key" not in entry:
        raise r.err(where, "missing required field 'psam_key'")
    psam_key = _psam_byte(r, (*where, "psam_key"), entry["psam_key"], "psam_key")
    usage = (
        _psam_byte(r, (*where, "usage"), entry["usage"], "usage")
        if "usage" in entry
        else default.usage
    )
    slot = P.PsamSlot(usage=usage, psam_key_id=psam_key)
    problem = P.slot_problem(slot)
    if problem:
        field_name = "psam_key" if "key number" in problem else "usage"
        raise r.err((*where, field_name), problem)
    return slot


def _check_slots(
    r: Reader, keyset: KeySet, slots: Mapping[int, P.PsamSlot], names: Mapping[int, str]
) -> None:
    """Depths agree with the key file; no PSAM key serves two card keys."""
    for kid, file_levels, slot_levels in P.level_mismatches(keyset, slots):
        label = KEY_NAMES.get(kid, f"{kid:02X}")
        where: Where = ("key_map", names[kid], "usage") if kid in names else ("key_file",)
        raise r.err(
            where,
            f"{label}: {slots[kid]} diversifies {slot_levels} levels but the key file "
            f"gives {file_levels}; PSAM and cards would never agree",
        )
    for psam_id, first, second in P.duplicate_psam_keys(slots):
        culprit = second if second in names else first
        where = ("key_map", names[culprit], "psam_key") if culprit in names else ("key_map",)
        raise r.err(
            where, f"PSAM key {psam_id:02X} is mapped to card keys {first:02X} and {second:02X}"
        )
