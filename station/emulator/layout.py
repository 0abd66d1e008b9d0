"""The reference SSSE file layout (card-spec §1) and how a profile's file table becomes a
``FileSystem``.

Record layouts come from the card side's codec tables (``station.card.records``): the
reader and the virtual card then cannot disagree about a tag, a length or a record
number.  A profile may override any file's access rules or add files of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from station.card.records import EF05_FIELDS, EF06_FIELDS
from station.crypto.algorithms import Alg
from station.crypto.keys import RK, UK
from station.emulator.fs import (
    DF,
    EF,
    FREE,
    Access,
    FileSystem,
    RecordEF,
    RecordSpec,
    TransparentEF,
    key_access,
    tlv,
    with_paths,
)

# ASCII "sx1.sh." + GBK "社会保障": the SSSE application's DF name
SSSE_AID = bytes.fromhex("7378312E73682EC9E7BBE1B1A3D5CF")
SSSE_SFI_DIR = 0x1E  # SFI of the SSSE directory file, announced in the FCI (tag 88)
RID = bytes.fromhex("D156000005")
# sub-application DFs: FID -> AID suffix (card-spec §1; DF07 is the fifth one)
SUBAPPS: dict[int, int] = {0xDF01: 0x00, 0xDF02: 0x01, 0xDF03: 0x02, 0xDF04: 0x03, 0xDF07: 0x04}


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

    def build(self) -> EF:
        name = f"{self.fid:04X}"
        if self.structure == "records":
            return RecordEF(self.fid, name, self.sfi, self.read, self.write, records=self.records)
        return TransparentEF(self.fid, name, self.sfi, self.read, self.write, size=self.size)


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


def ssse_fci_proprietary(alg: Alg) -> bytes:
    """``88 01 1E 9F0C 03 86 01 <alg>``: directory SFI and the algorithm identifier."""
    return tlv(0x88, bytes((SSSE_SFI_DIR,))) + tlv(0x9F0C, tlv(0x86, bytes((alg.fci_code,))))


def build_fs(alg: Alg, efs: Iterable[EFDef], subapps: Sequence[int] = ()) -> FileSystem:
    """MF → SSSE (by name) → the EFs, plus any requested empty sub-application DFs."""
    mf = DF(0x3F00, "MF")
    ssse = DF(None, "SSSE", SSSE_AID, ssse_fci_proprietary(alg), blockable=True)
    mf.add(ssse)
    for d in sorted(efs, key=lambda e: e.fid):
        ssse.add(d.build())
    for fid in subapps:
        ssse.add(DF(fid, f"DF{fid & 0xFF:02X}", RID + bytes((SUBAPPS[fid],))))
    return FileSystem(with_paths(mf))


EF05_PATH = "MF/SSSE/EF05"
EF06_PATH = "MF/SSSE/EF06"
EF07_PATH = "MF/SSSE/EF07"
EF08_PATH = "MF/SSSE/EF08"
