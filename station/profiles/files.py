"""The card's files as a profile describes them: access rules, record layouts, the
reference SSSE layout (card-spec §1) and the ``[files.<FID>]`` / ``subapps`` readers.

This is the description only; the virtual card builds its file tree from it
(``station.emulator.layout.build_fs``).  Record layouts come from the card side's codec
tables (``station.codecs.records``), so the reader and a virtual card cannot disagree about
a tag, a length or a record number.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from station.codecs.records import EF05_FIELDS, EF06_FIELDS
from station.crypto.keys import RK, STANDARD_KEYS, UK
from station.profiles.reader import Reader, Where

# sub-application DFs: FID -> AID suffix (card-spec §1; DF07 is the fifth one)
SUBAPPS: dict[int, int] = {0xDF01: 0x00, 0xDF02: 0x01, 0xDF03: 0x02, 0xDF04: 0x03, 0xDF07: 0x04}
MAX_TRANSPARENT = 0x7FFF


class AccessKind(enum.Enum):
    FREE = "free"
    NEVER = "never"
    KEY = "key"


@dataclass(frozen=True, slots=True)
class Access:
    """Who may read or write a file: anyone, nobody, or whoever passed EXTERNAL AUTH
    with one key (the key id's right, granted until the security state is cleared)."""

    kind: AccessKind
    key: int | None = None

    def allows(self, granted: set[int] | frozenset[int]) -> bool:
        if self.kind is AccessKind.FREE:
            return True
        if self.kind is AccessKind.NEVER:
            return False
        return self.key in granted

    @classmethod
    def parse(cls, text: str) -> Access:
        """``free``, ``never``, a standard key name (``UK``, ``RK`` …) or a hex key id
        (``04``, ``0x0A``, ``key:04``).  Raises ``ValueError`` with the reason."""
        t = text.strip()
        low = t.lower()
        if low == "free":
            return FREE
        if low == "never":
            return NEVER
        std = STANDARD_KEYS.get(t.upper())
        if std is not None:
            return cls(AccessKind.KEY, std[0])
        if low.startswith("key:"):
            low = low[4:]
        if low.startswith("0x"):
            low = low[2:]
        if 1 <= len(low) <= 2 and all(c in "0123456789abcdef" for c in low):
            return cls(AccessKind.KEY, int(low, 16))
        raise ValueError(
            f"access rule {text!r} is not free, never, a key name "
            f"({', '.join(STANDARD_KEYS)}) or a hex key id"
        )

    def __str__(self) -> str:
        if self.kind is AccessKind.KEY:
            return f"key {self.key or 0:02X}"
        return str(self.kind.value)


FREE = Access(AccessKind.FREE)
NEVER = Access(AccessKind.NEVER)


def key_access(key_id: int) -> Access:
    return Access(AccessKind.KEY, key_id)


@dataclass(frozen=True, slots=True)
class RecordSpec:
    """One record of a record EF: its identifier (the TLV tag) and value length."""

    tag: int
    length: int

    def blank(self) -> bytes:
        """An unwritten record: tag, length, all FF (what factory-fresh chips read)."""
        return bytes((self.tag, self.length)) + b"\xff" * self.length

    @property
    def size(self) -> int:
        return 2 + self.length


@dataclass(frozen=True)
class EFDef:
    """One EF as a profile describes it, before it becomes a node of the tree."""

    fid: int
    sfi: int | None
    structure: str  # "records" or "transparent"
    read: Access
    write: Access
    size: int = 0
    records: tuple[RecordSpec, ...] = ()


def default_efs(generation: int, *, ef06_read_needs_rk: bool | None = None) -> dict[int, EFDef]:
    """The reference layout.  EF06 is readable by anyone on generation 2 and needs the
    RK right on generation 3 unless the profile says otherwise."""
    needs_rk = generation >= 3 if ef06_read_needs_rk is None else ef06_read_needs_rk
    uk, rk = key_access(UK), key_access(RK)
    return {
        0xEF05: EFDef(
            0xEF05, 0x05, "records", FREE, uk,
            records=tuple(RecordSpec(f.tag, f.length) for f in EF05_FIELDS),
        ),
        0xEF06: EFDef(
            0xEF06, 0x06, "records", rk if needs_rk else FREE, uk,
            records=tuple(RecordSpec(f.tag, f.length) for f in EF06_FIELDS),
        ),
        0xEF07: EFDef(0xEF07, 0x07, "transparent", rk, uk, size=0x300),
        0xEF08: EFDef(0xEF08, 0x08, "transparent", rk, uk, size=0x1000),
    }  # fmt: skip


# -- readers ------------------------------------------------------------------------------


def read_files(r: Reader, generation: int, needs_rk: bool) -> dict[int, EFDef]:
    """The reference layout with ``[files.<FID>]`` applied: changed access rules and
    sizes of the reference files, or new files under the SSSE."""
    files = default_efs(generation, ef06_read_needs_rk=needs_rk)
    for fname, spec in r.open_table(("files",), r.doc.get("files", {})).items():
        files[_fid(r, fname)] = _file_def(r, fname, spec, files)
    return files


def read_subapps(r: Reader) -> tuple[int, ...]:
    """``subapps = ["DF01", …]``: empty sub-application DFs under the SSSE."""
    subapps: list[int] = []
    for i, s in enumerate(r.get(r.doc, (), "subapps", list, [])):
        fid = _fid(r, s, ("subapps", i)) if isinstance(s, str) else None
        if fid not in SUBAPPS:
            raise r.err(
                ("subapps",),
                f"sub-applications are {', '.join(f'DF{f & 0xFF:02X}' for f in SUBAPPS)}",
            )
        subapps.append(fid)
    return tuple(subapps)


def _fid(r: Reader, text: str, where: Where | None = None) -> int:
    t = text.upper().removeprefix("0X")
    if not re.fullmatch(r"[0-9A-F]{4}", t):
        raise r.err(where or ("files", text), "a file id is 4 hex digits (e.g. EF05)")
    return int(t, 16)


def _access(
    r: Reader, spec: Mapping[str, Any], where: Where, key: str, default: Access | None
) -> Access:
    if key not in spec:
        if default is None:
            raise r.err(where, f"missing required field '{key}'")
        return default
    text = r.get(spec, where, key, str)
    try:
        return Access.parse(text)
    except ValueError as exc:
        raise r.err((*where, key), str(exc)) from None


def _file_def(r: Reader, fname: str, spec: Any, files: Mapping[int, EFDef]) -> EFDef:
    where: Where = ("files", fname)
    fid = _fid(r, fname)
    t = r.table(where, spec, {"sfi", "structure", "size", "records", "read", "write"})
    if fid in (0x3F00,) or fid in SUBAPPS:
        raise r.err(where, "that file id belongs to a DF")
    base = files.get(fid)
    if base is not None:
        return _changed_file(r, fname, t, base)
    structure = r.get(t, where, "structure", str)
    if structure not in ("records", "transparent"):
        raise r.err((*where, "structure"), 'must be "records" or "transparent"')
    sfi = r.get(t, where, "sfi", int, None)
    if sfi is not None and not 1 <= sfi <= 30:
        raise r.err((*where, "sfi"), "must be 1..30")
    if sfi is not None and any(f.sfi == sfi for f in files.values()):
        raise r.err((*where, "sfi"), f"SFI {sfi} is already used")
    read = _access(r, t, where, "read", None)
    write = _access(r, t, where, "write", None)
    if structure == "transparent":
        size = r.get(t, where, "size", int)
        if not 1 <= size <= MAX_TRANSPARENT:
            raise r.err((*where, "size"), "must be 1..32767")
        return EFDef(fid, sfi, structure, read, write, size=size)
    return EFDef(fid, sfi, structure, read, write, records=_records(r, t, where))


def _changed_file(r: Reader, fname: str, t: Mapping[str, Any], base: EFDef) -> EFDef:
    """A reference file: only its access rules and (transparent) size may change."""
    where: Where = ("files", fname)
    for k in ("structure", "records", "sfi"):
        if k in t:
            raise r.err((*where, k), f"the layout of {fname} is fixed; only read, write, size")
    if "size" in t and base.structure != "transparent":
        raise r.err((*where, "size"), "only transparent files have a size")
    size = r.get(t, where, "size", int, base.size)
    if base.structure == "transparent" and not 1 <= size <= MAX_TRANSPARENT:
        raise r.err((*where, "size"), "must be 1..32767")
    return EFDef(
        base.fid,
        base.sfi,
        base.structure,
        _access(r, t, where, "read", base.read),
        _access(r, t, where, "write", base.write),
        size,
        base.records,
    )


def _records(r: Reader, t: Mapping[str, Any], where: Where) -> tuple[RecordSpec, ...]:
    out: list[RecordSpec] = []
    for i, rec in enumerate(r.get(t, where, "records", list)):
        if (
            not isinstance(rec, list)
            or len(rec) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in rec)
            or not 1 <= rec[0] <= 0xFE
            or not 1 <= rec[1] <= 253
        ):
            raise r.err((*where, "records"), f"record {i + 1} must be [tag 01..FE, length 1..253]")
        out.append(RecordSpec(rec[0], rec[1]))
    if not out:
        raise r.err((*where, "records"), "needs at least one record")
    return tuple(out)
