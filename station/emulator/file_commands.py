"""The virtual card's file commands: SELECT, READ/UPDATE BINARY, READ/UPDATE RECORD.

Records are read by number (mode 4), from a number to the end (mode 5) or by identifier
(mode 0, the tag), by SFI or on the current EF; the exact Le is insisted on (``6Cxx``)
like the chips the station meets.  Access rules come from the file tree (``fs``), the
contents from the card's EEPROM (``CardState``); every write is persisted before the
status word.
"""

from __future__ import annotations

from station.apdu.command import Command
from station.emulator.fs import DF, EF, FileSystem, RecordEF, TransparentEF
from station.emulator.runtime import (
    OK,
    SW_APP_BLOCKED,
    SW_BAD_DATA,
    SW_BAD_P1P2,
    SW_EOF,
    SW_FILE_NOT_FOUND,
    SW_INCOMPATIBLE,
    SW_NO_CURRENT_EF,
    SW_OFFSET,
    SW_RECORD_NOT_FOUND,
    SW_SECURITY,
    SW_WRONG_LENGTH,
    Result,
    Runtime,
    le_zero,
    sw,
)
from station.emulator.security import pin_from_ssn
from station.emulator.state import CardState


def fit_state(fs: FileSystem, state: CardState) -> None:
    """Give every EF of the tree its contents in ``state``: blank for a new file, and
    stored contents fitted to the layout (a profile may have gained records since)."""
    for path, ef in fs.efs.items():
        if isinstance(ef, RecordEF):
            recs = state.records.get(path)
            if recs is None or len(recs) != len(ef.records):
                fresh = ef.blank()
                for i, r in enumerate((recs or [])[: len(fresh)]):
                    fresh[i] = r
                state.records[path] = fresh
        elif isinstance(ef, TransparentEF):
            data = state.binary.get(path)
            if data is None or len(data) != ef.size:
                blank = ef.blank()
                if data is not None:
                    blank[: min(len(data), ef.size)] = data[: ef.size]
                state.binary[path] = blank


def _record_by_id(recs: list[bytes], ident: int) -> int | None:
    if ident == 0:
        return 0 if recs else None
    for i, r in enumerate(recs):
        if r and r[0] == ident:
            return i
    return None


class FileCommands:
    """The handlers of the file commands of one card."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt

    # -- SELECT ----------------------------------------------------------------------------
    def _select_by_fid(self, p1: int, data: bytes) -> DF | EF | int | None:
        rt = self.rt
        if p1 == 0x00 and not data:
            return rt.fs.mf
        if len(data) != 2:
            return SW_WRONG_LENGTH
        fid = int.from_bytes(data, "big")
        if p1 == 0x00:
            return rt.fs.find_fid(rt.df, fid)
        node = rt.df.child_by_fid(fid)
        return node if isinstance(node, DF if p1 == 0x01 else EF) else None

    def _select_by_path(self, p1: int, data: bytes) -> DF | EF | int | None:
        if not data or len(data) % 2:
            return SW_WRONG_LENGTH
        fids = [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
        start = self.rt.fs.mf if p1 == 0x08 else self.rt.df
        if p1 == 0x08 and fids[0] == 0x3F00:
            fids = fids[1:]
        return self.rt.fs.find_path(fids, start)

    def _find(self, p1: int, data: bytes) -> DF | EF | int | None:
        """The node SELECT names, ``None`` if there is none, or a status word."""
        if p1 == 0x04:
            if not 1 <= len(data) <= 16:
                return SW_WRONG_LENGTH
            return self.rt.fs.find_name(data)
        if p1 in (0x00, 0x01, 0x02):
            return self._select_by_fid(p1, data)
        if p1 == 0x03:
            return SW_WRONG_LENGTH if data else self.rt.df.parent
        if p1 in (0x08, 0x09):
            return self._select_by_path(p1, data)
        return SW_BAD_P1P2

    def select(self, cmd: Command) -> Result:
        rt, p2 = self.rt, cmd.p2
        if p2 & 0x03:  # next/last occurrence: every name here is unique
            return sw(SW_FILE_NOT_FOUND) if p2 & 0x03 == 0x02 else sw(SW_BAD_P1P2)
        if p2 & ~0x0F:
            return sw(SW_BAD_P1P2)
        node = self._find(cmd.p1, cmd.data)
        if isinstance(node, int):
            return sw(node)
        if node is None:
            return sw(SW_FILE_NOT_FOUND)
        if isinstance(node, DF):
            rt.df = node
            rt.ef = None
            rt.clear_security()
            if rt.app_blocked():
                return sw(SW_APP_BLOCKED)
            return sw(OK, b"" if p2 & 0x0C == 0x0C else node.fci())
        rt.df = rt.owner[id(node)]
        rt.ef = node
        return sw(OK)

    # -- file addressing -------------------------------------------------------------------
    def _ef_by_sfi(self, sfi: int) -> EF | int:
        """The EF addressed by an SFI (0 = current EF), made current; or a status word."""
        rt = self.rt
        if sfi == 0:
            return rt.ef if rt.ef is not None else SW_NO_CURRENT_EF
        ef = rt.df.ef_by_sfi(sfi)
        if ef is None:
            return SW_FILE_NOT_FOUND
        rt.ef = ef
        return ef

    # -- binaries ----------------------------------------------------------------------------
    def _binary_target(self, cmd: Command) -> tuple[TransparentEF, int] | int:
        found: EF | int
        if cmd.p1 & 0x80:
            if cmd.p1 & 0x60:
                return SW_BAD_P1P2
            found = self._ef_by_sfi(cmd.p1 & 0x1F)
            offset = cmd.p2
        else:
            found = self.rt.ef if self.rt.ef is not None else SW_NO_CURRENT_EF
            offset = (cmd.p1 << 8) | cmd.p2
        if isinstance(found, int):
            return found
        if not isinstance(found, TransparentEF):
            return SW_INCOMPATIBLE
        return found, offset

    def read_binary(self, cmd: Command) -> Result:
        if cmd.data:
            return sw(SW_WRONG_LENGTH)
        target = self._binary_target(cmd)
        if isinstance(target, int):
            return sw(target)
        ef, offset = target
        if not ef.read.allows(self.rt.granted):
            return sw(SW_SECURITY)
        if cmd.le is None:
            return sw(SW_WRONG_LENGTH)
        if offset >= ef.size:
            return sw(SW_OFFSET)
        content = self.rt.state.binary[ef.path]
        avail = ef.size - offset
        if cmd.le <= avail:
            return sw(OK, bytes(content[offset : offset + cmd.le]))
        if avail < 256:
            return sw(0x6C00 | avail)
        return sw(SW_EOF, bytes(content[offset:]))

    def update_binary(self, cmd: Command) -> Result:
        if not cmd.data:
            return sw(SW_WRONG_LENGTH)
        target = self._binary_target(cmd)
        if isinstance(target, int):
            return sw(target)
        ef, offset = target
        if not ef.write.allows(self.rt.granted):
            return sw(SW_SECURITY)
        if offset >= ef.size:
            return sw(SW_OFFSET)
        if offset + len(cmd.data) > ef.size:
            return sw(SW_WRONG_LENGTH)
        content = self.rt.state.binary[ef.path]
        content[offset : offset + len(cmd.data)] = cmd.data
        self.rt.persist()
        return sw(OK)

    # -- records -----------------------------------------------------------------------------
    def _record_target(self, cmd: Command) -> RecordEF | int:
        """The record EF of a record command (SFI in P2's high bits), made current."""
        found = self._ef_by_sfi(cmd.p2 >> 3)
        if isinstance(found, int):
            return found
        if not isinstance(found, RecordEF):
            return SW_INCOMPATIBLE
        return found

    def read_record(self, cmd: Command) -> Result:
        if cmd.data:
            return sw(SW_WRONG_LENGTH)
        if cmd.p2 & 0x07 not in (0, 4, 5):
            return sw(SW_BAD_P1P2)
        ef = self._record_target(cmd)
        if isinstance(ef, int):
            return sw(ef)
        if not ef.read.allows(self.rt.granted):
            return sw(SW_SECURITY)
        recs = self.rt.state.records[ef.path]
        mode, p1 = cmd.p2 & 0x07, cmd.p1
        if mode in (4, 5):
            if not 1 <= p1 <= len(recs):
                return sw(SW_RECORD_NOT_FOUND)
            out = recs[p1 - 1] if mode == 4 else b"".join(recs[p1 - 1 :])
        else:
            hit = _record_by_id(recs, p1)
            if hit is None:
                return sw(SW_RECORD_NOT_FOUND)
            out = recs[hit]
        # the exact Le is required; Le = 00 asks for the length (6Cxx), except for the one
        # length a short 6Cxx cannot name differently (256)
        if cmd.le == len(out) and (not le_zero(cmd) or len(out) >= 256):
            return sw(OK, out)
        if len(out) < 256:
            return sw(0x6C00 | len(out))
        if cmd.le is not None and cmd.le >= len(out):  # extended Le
            return sw(OK, out)
        return sw(SW_WRONG_LENGTH)

    def update_record(self, cmd: Command) -> Result:
        if cmd.p2 & 0x07 not in (0, 4):
            return sw(SW_BAD_P1P2)
        if len(cmd.data) < 2:
            return sw(SW_WRONG_LENGTH)
        ef = self._record_target(cmd)
        if isinstance(ef, int):
            return sw(ef)
        if not ef.write.allows(self.rt.granted):
            return sw(SW_SECURITY)
        recs = self.rt.state.records[ef.path]
        if cmd.p2 & 0x07 == 4:
            index = cmd.p1 - 1 if 1 <= cmd.p1 <= len(recs) else None
        else:
            index = _record_by_id(recs, cmd.p1)
        if index is None:
            return sw(SW_RECORD_NOT_FOUND)
        spec, data = ef.records[index], cmd.data
        if data[1] != len(data) - 2 or len(data) > spec.size:
            return sw(SW_WRONG_LENGTH)
        if data[0] != spec.tag:
            return sw(SW_BAD_DATA)
        recs[index] = bytes(data)
        if spec.tag == 0x08 and ef.name == "EF06":
            self._pin_from_ssn(data[2:])
        self.rt.persist()
        return sw(OK)

    def _pin_from_ssn(self, ssn: bytes) -> None:
        """The "last 6 of the SSN" rule: the first SSN written gives a PIN-less card its
        PIN (when the profile asks for it)."""
        state = self.rt.state
        if not self.rt.options.pin_from_ssn or state.pin is not None:
            return
        pin = pin_from_ssn(ssn)
        if pin is not None:
            state.pin = pin
            state.pin_tries = state.pin_max
