"""What card and PSAM profiles share: their kind, name, algorithm and key file, and the
document they were read from (kept so overrides and key loading can name its lines)."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Self

import station
from station.crypto.algorithms import Alg, CryptoError
from station.crypto.keys import KeySet
from station.profiles.keys import load_keys, read_key_file
from station.profiles.reader import Reader, Source

SHIPPED_DIR = Path(station.__file__).resolve().parent.parent / "profiles"


class ProfileKind(enum.StrEnum):
    """The ``kind`` field: what a profile describes."""

    CARD = "card"
    PSAM = "psam"


@dataclass(frozen=True, kw_only=True)
class ProfileBase:
    """Fields every profile has.  ``source`` is the TOML document, kept for overrides."""

    kind: ClassVar[ProfileKind]
    name: str
    description: str
    alg: Alg
    key_file: Path
    source: Source = field(repr=False, compare=False)

    @property
    def path(self) -> Path | None:
        return self.source.path

    @property
    def base_dir(self) -> Path:
        return self.source.base_dir

    @property
    def raw(self) -> Mapping[str, Any]:
        return self.source.doc

    @property
    def text(self) -> str:
        return self.source.text

    @property
    def ref(self) -> str:
        """How a state file names this profile: its name when it is one of the shipped
        profiles, else its absolute path (found again whatever directory is configured)."""
        if self.path is None:
            return self.name
        try:
            if self.path.resolve().parent == SHIPPED_DIR:
                return self.name
        except OSError:
            pass
        return str(self.path.resolve())

    def keyset(self) -> KeySet:
        """Load the key file (errors name the profile's ``key_file`` line)."""
        return load_keys(Reader(self.source), self.key_file, self.alg)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Self:
        """The same profile with ``overrides`` deep-merged into its TOML, re-validated."""
        from station.profiles.load import build

        merged = deep_merge(dict(self.raw), overrides)
        src = Source(merged, self.source.text, self.source.path, self.source.base_dir)
        prof = build(src)
        if not isinstance(prof, type(self)):
            raise Reader(src).err(("kind",), f"overrides cannot turn a {self.kind} profile")
        return prof


def read_common(r: Reader) -> dict[str, Any]:
    """``name``, ``description``, ``algorithm`` and ``key_file`` as constructor arguments."""
    path = r.source.path
    name = r.get(r.doc, (), "name", str)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*", name):
        raise r.err(("name",), "must be letters, digits, '-', '_' or '.'")
    if path is not None and path.suffix == ".toml" and path.stem != name:
        raise r.err(("name",), f"must equal the file name '{path.stem}'")
    description = r.get(r.doc, (), "description", str, "")
    try:
        alg = Alg.parse(r.get(r.doc, (), "algorithm", str))
    except CryptoError:
        raise r.err(("algorithm",), 'must be "sm4" or "3des"') from None
    return {
        "name": name,
        "description": description,
        "alg": alg,
        "key_file": read_key_file(r),
        "source": r.source,
    }


def deep_merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``over`` into ``base``; a ``None`` value removes the key (TOML has no null)."""
    out = dict(base)
    for k, val in over.items():
        if val is None:
            out.pop(k, None)
        elif isinstance(val, Mapping) and isinstance(out.get(k), dict):
            out[k] = deep_merge(out[k], val)
        else:
            out[k] = val
    return out
