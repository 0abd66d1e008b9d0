"""Key names in profiles and the profile's key file.

A profile names keys as the card specification does (``IRK STK UK PUK RK``) or by a hex
key number; both the card's ``[key_versions]`` and the PSAM's ``[key_map]`` use these
names, and both must name keys that exist in the key file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from station.crypto.algorithms import Alg
from station.crypto.keys import KEY_NAMES, STANDARD_KEYS, KeyFileError, KeySet, load_keyset
from station.profiles.reader import Reader


def key_id(name: str) -> int | None:
    """The key number a profile's key name stands for; ``None`` for an unknown name."""
    std = STANDARD_KEYS.get(name.upper())
    if std is not None:
        return std[0]
    if re.fullmatch(r"(0x)?[0-9A-Fa-f]{1,2}", name):
        return int(name, 16)
    return None


def key_label(kid: int, table: Mapping[str, Any]) -> str:
    """How ``table`` spells key ``kid`` (so an error points at that key's line)."""
    for k in table:
        if key_id(k) == kid:
            return k
    return KEY_NAMES.get(kid, f"{kid:02X}")


def read_key_file(r: Reader) -> Path:
    """``key_file``, relative to the profile's folder; it must exist."""
    key_rel = r.get(r.doc, (), "key_file", str)
    base = r.source.base_dir
    key_file = (base / key_rel).resolve() if not Path(key_rel).is_absolute() else Path(key_rel)
    if not key_file.is_file():
        raise r.err(("key_file",), f"key file not found: {key_rel}")
    return key_file


def load_keys(r: Reader, key_file: Path, alg: Alg) -> KeySet:
    """The key set, refused at the ``key_file`` line when unreadable or of another
    algorithm than the profile's."""
    try:
        keyset = load_keyset(key_file)
    except KeyFileError as exc:
        raise r.err(("key_file",), f"{exc.message}: {exc.detail}") from None
    if keyset.alg is not alg:
        raise r.err(("key_file",), f"the key file is {keyset.alg.value}, the profile {alg.value}")
    return keyset
