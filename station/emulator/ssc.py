"""The virtual social security card: the SSSE application on an ISO 7816 file system.

It implements the card-spec reference model (REF flows) exactly, because every other part
of the station — the reader code, the key providers, the issuance job, the tests — is
checked against it before a real card is touched.  The card:

* answers SELECT by name with the SSSE FCI (algorithm tag ``86``), SELECT by FID/path;
* reads and writes records (modes 4, 0, 5; by SFI or the current EF) and binaries,
  insisting on the exact Le (``6Cxx``) like the chips the station meets;
* runs GET CHALLENGE, INTERNAL AUTH (IRK) and EXTERNAL AUTH with a right per key and a
  try counter per key; the rights vanish on SELECT of a DF, power-off and reset;
* runs VERIFY, CHANGE PIN, PIN UNBLOCK / RESET (MAC and PIN block under a session key
  from STK and the current challenge) and APPLICATION BLOCK / UNBLOCK;
* can behave as a T=0 card (``61xx`` + GET RESPONSE) when the profile asks for it.

This module is the command dispatch; the file commands live in ``file_commands``, the
security commands in ``security``, the state they share in ``runtime``.  Commands are
parsed by the host's own codec (``station.apdu.command``), so the two sides cannot read a
length differently.  It holds only its own diversified keys, never a master key.
``execute`` never raises: any byte string gets a well-formed response, because a reader
driver behind vpcd has no way to handle a Python exception.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from station.apdu.atr import historical_bytes
from station.apdu.command import Command
from station.apdu.instructions import Ins
from station.crypto.algorithms import Alg
from station.emulator.file_commands import FileCommands, fit_state
from station.emulator.fs import FileSystem
from station.emulator.runtime import (
    OK,
    SW_APP_BLOCKED,
    SW_BAD_P1P2,
    SW_CLA,
    SW_CONDITIONS,
    SW_INS,
    SW_INTERNAL,
    SW_MEMORY,
    SW_SM_NOT_SUPPORTED,
    SW_WRONG_LENGTH,
    CardOptions,
    Handler,
    Result,
    Runtime,
    le_zero,
    sw,
)
from station.emulator.security import CardKey, SecurityCommands, pin_from_ssn, valid_pin_bcd
from station.emulator.state import CardState, CardStateError
from station.errors import ApduFormatError

log = logging.getLogger(__name__)

_ISO = frozenset({0x00})
_PROPRIETARY = frozenset({0x80})
_SM = frozenset({0x84})
# what a blocked application still answers: SELECT, GET RESPONSE/CHALLENGE, UNBLOCK
_WHILE_BLOCKED = frozenset(
    {Ins.SELECT, Ins.GET_RESPONSE, Ins.GET_CHALLENGE, Ins.APPLICATION_UNBLOCK}
)


class VirtualSSCard:
    """A social security card (SSSE) implementing ``CardOS``.

    Built by ``station.emulator.cards.make_card``; ``state`` holds everything
    non-volatile, ``state_path`` (if given) receives every change atomically before
    the card answers, like EEPROM written before the status word.
    """

    def __init__(
        self,
        *,
        fs: FileSystem,
        alg: Alg,
        keys: Mapping[int, CardKey],
        state: CardState,
        options: CardOptions | None = None,
        state_path: Path | None = None,
        label: str = "",
    ) -> None:
        self.fs = fs
        self.alg = alg
        self.state = state
        self.options = options or CardOptions()
        self.state_path = Path(state_path) if state_path is not None else None
        self.label = label
        fit_state(fs, state)
        self._rt = Runtime(fs, state, self.options, self.state_path)
        files = FileCommands(self._rt)
        sec = SecurityCommands(self._rt, alg, keys)
        self._handlers: dict[int, tuple[frozenset[int], Handler]] = {
            Ins.SELECT: (_ISO, files.select),
            Ins.READ_BINARY: (_ISO, files.read_binary),
            Ins.UPDATE_BINARY: (_ISO, files.update_binary),
            Ins.READ_RECORD: (_ISO, files.read_record),
            Ins.UPDATE_RECORD: (_ISO, files.update_record),
            Ins.GET_CHALLENGE: (_ISO, sec.get_challenge),
            Ins.INTERNAL_AUTHENTICATE: (_ISO, sec.internal_auth),
            Ins.EXTERNAL_AUTHENTICATE: (_ISO, sec.external_auth),
            Ins.VERIFY: (_ISO, sec.verify),
            Ins.CHANGE_PIN: (_PROPRIETARY, sec.change_pin),
            Ins.PIN_UNBLOCK_RESET: (_SM, sec.pin_unblock_reset),
            Ins.APPLICATION_BLOCK: (_SM, sec.application_block),
            Ins.APPLICATION_UNBLOCK: (_SM, sec.application_unblock),
            Ins.GET_RESPONSE: (_ISO, self._get_response),
        }

    # -- CardOS ------------------------------------------------------------------------
    @property
    def atr(self) -> bytes:
        return self.state.atr

    @property
    def historical(self) -> bytes:
        """ATR historical bytes (T6..TD of them are the card's diversification factor)."""
        return historical_bytes(self.state.atr)

    def power_on(self) -> None:
        self._rt.clear_volatile()

    def power_off(self) -> None:
        self._rt.clear_volatile()

    def reset(self) -> None:
        self._rt.clear_volatile()

    def execute(self, apdu: bytes) -> bytes:
        try:
            status, data = self._execute(bytes(apdu))
        except CardStateError:
            log.error("virtual card %s: state file could not be written", self.label)
            status, data = SW_MEMORY, b""
        except Exception as exc:  # the reader must always get an answer
            log.error("virtual card %s: internal error %s", self.label, type(exc).__name__)
            status, data = SW_INTERNAL, b""
        return data + bytes((status >> 8 & 0xFF, status & 0xFF))

    # -- helpers for tests and tools -----------------------------------------------------
    @property
    def granted(self) -> frozenset[int]:
        """Key ids whose EXTERNAL AUTH right is currently held."""
        return frozenset(self._rt.granted)

    def snapshot(self) -> CardState:
        """A deep copy of the non-volatile state (for comparisons in tests)."""
        return self.state.copy()

    def records(self, path: str) -> list[bytes]:
        return list(self.state.records[path])

    def binary(self, path: str) -> bytes:
        return bytes(self.state.binary[path])

    def save(self, path: Path | None = None) -> None:
        target = path or self.state_path
        if target is not None:
            self.state.save(target)

    # -- dispatch ------------------------------------------------------------------------
    def _execute(self, raw: bytes) -> Result:
        rt = self._rt
        try:
            cmd = Command.from_bytes(raw)
        except ApduFormatError:  # the lengths do not add up
            rt.pending = b""
            return sw(SW_WRONG_LENGTH)
        if cmd.ins != Ins.GET_RESPONSE:
            rt.pending = b""
        entry = self._handlers.get(cmd.ins)
        if cmd.cla & 0x60 == 0x60 or cmd.cla == 0xFF:
            return sw(SW_CLA)
        if entry is None:
            return sw(SW_INS)
        clas, handler = entry
        if cmd.cla not in clas:
            if (cmd.cla & ~0x0C) in clas and cmd.cla & 0x0C:
                return sw(SW_SM_NOT_SUPPORTED)
            return sw(SW_CLA)
        if cmd.ins not in _WHILE_BLOCKED and rt.app_blocked():
            return sw(SW_APP_BLOCKED)
        status, data = handler(cmd)
        t0_case4 = self.options.t0_get_response and cmd.data and cmd.ins != Ins.GET_RESPONSE
        if data and status == OK and t0_case4:
            # T=0 case 4: data goes out only through GET RESPONSE
            rt.pending = data
            return sw(0x6100 | (len(data) & 0xFF))
        return status, data

    # -- T=0 -------------------------------------------------------------------------------------
    def _get_response(self, cmd: Command) -> Result:
        rt = self._rt
        if cmd.p1 or cmd.p2:
            rt.pending = b""
            return sw(SW_BAD_P1P2)
        if cmd.data or cmd.le is None:
            return sw(SW_WRONG_LENGTH)
        pending = rt.pending
        if not pending:
            return sw(SW_CONDITIONS)
        if cmd.le > len(pending) and not le_zero(cmd):
            return sw(0x6C00 | (len(pending) & 0xFF))
        out, rest = pending[: cmd.le], pending[cmd.le :]
        rt.pending = rest
        if rest:
            return sw(0x6100 | (min(len(rest), 256) & 0xFF), out)
        return sw(OK, out)


__all__ = [
    "CardKey",
    "CardOptions",
    "VirtualSSCard",
    "pin_from_ssn",
    "valid_pin_bcd",
]
