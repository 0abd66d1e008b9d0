"""How a profile's file table becomes a virtual card's ``FileSystem``: MF, the SSSE
application (card-spec §1) and its EFs.

The reference layout and a profile's changes to it are described in
``station.profiles.files``; this module only builds the tree from that description.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from station.codecs.records import SSSE_AID
from station.crypto.algorithms import Alg
from station.emulator.fs import DF, EF, FileSystem, RecordEF, TransparentEF, tlv, with_paths
from station.profiles.files import SUBAPPS, EFDef

SSSE_SFI_DIR = 0x1E  # SFI of the SSSE directory file, announced in the FCI (tag 88)
RID = bytes.fromhex("D156000005")


def build_ef(d: EFDef) -> EF:
    """The file-tree node of one EF a profile describes."""
    name = f"{d.fid:04X}"
    if d.structure == "records":
        return RecordEF(d.fid, name, d.sfi, d.read, d.write, records=d.records)
    return TransparentEF(d.fid, name, d.sfi, d.read, d.write, size=d.size)


def ssse_fci_proprietary(alg: Alg) -> bytes:
    """``88 01 1E 9F0C 03 86 01 <alg>``: directory SFI and the algorithm identifier."""
    return tlv(0x88, bytes((SSSE_SFI_DIR,))) + tlv(0x9F0C, tlv(0x86, bytes((alg.fci_code,))))


def build_fs(alg: Alg, efs: Iterable[EFDef], subapps: Sequence[int] = ()) -> FileSystem:
    """MF → SSSE (by name) → the EFs, plus any requested empty sub-application DFs."""
    mf = DF(0x3F00, "MF")
    ssse = DF(None, "SSSE", SSSE_AID, ssse_fci_proprietary(alg), blockable=True)
    mf.add(ssse)
    for d in sorted(efs, key=lambda e: e.fid):
        ssse.add(build_ef(d))
    for fid in subapps:
        ssse.add(DF(fid, f"DF{fid & 0xFF:02X}", RID + bytes((SUBAPPS[fid],))))
    return FileSystem(with_paths(mf))


EF05_PATH = "MF/SSSE/EF05"
EF06_PATH = "MF/SSSE/EF06"
EF07_PATH = "MF/SSSE/EF07"
EF08_PATH = "MF/SSSE/EF08"
