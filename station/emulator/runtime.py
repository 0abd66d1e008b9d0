"""What a virtual card currently holds and has granted, beside what it *is* (``fs``).

Following pySim's split of ``filesystem.py`` from ``runtime.py``: the file tree never
changes at run time; this module keeps the two kinds of changing state the command
handlers share — the non-volatile ``CardState`` (EEPROM, written before the status word)
and the volatile session (selected DF/EF, granted key rights, PIN verified, the current
challenge, a pending T=0 response) that power-off, reset and SELECT of a DF forget.

It also holds the status words the card answers, so the file commands
(``file_commands``) and the security commands (``security``) speak the same language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from station.apdu.command import Command
from station.emulator.fs import DF, EF, FileSystem
from station.emulator.state import CardState

# status words the card answers (card-spec §3 plus ISO basics)
OK = 0x9000
SW_WRONG_LENGTH = 0x6700
SW_SM_NOT_SUPPORTED = 0x6882
SW_INCOMPATIBLE = 0x6981
SW_SECURITY = 0x6982
SW_BLOCKED = 0x6983
SW_REF_INVALID = 0x6984
SW_CONDITIONS = 0x6985
SW_NO_CURRENT_EF = 0x6986
SW_BAD_DATA = 0x6A80
SW_FILE_NOT_FOUND = 0x6A82
SW_RECORD_NOT_FOUND = 0x6A83
SW_BAD_P1P2 = 0x6A86
SW_REF_NOT_FOUND = 0x6A88
SW_OFFSET = 0x6B00
SW_INS = 0x6D00
SW_CLA = 0x6E00
SW_INTERNAL = 0x6F00
SW_MEMORY = 0x6581
SW_EOF = 0x6282
SW_MAC = 0x9302
SW_APP_BLOCKED = 0x9303

Result = tuple[int, bytes]
Handler = Callable[[Command], Result]


def sw(status: int, data: bytes = b"") -> Result:
    return status, data


def le_zero(cmd: Command) -> bool:
    """Were the Le byte(s) zero?  That is how a host asks for "whatever the length is",
    and what ``6Cxx`` answers.  ``Command`` keeps Le 00 as 256 (0000 as 65536), the only
    values those encodings can stand for."""
    return cmd.le == (65536 if cmd.extended else 256)


@dataclass(frozen=True)
class CardOptions:
    """Behaviour switches a profile sets.

    ``pin_from_ssn``: the PIN rule "last 6 of the SSN" on a card still without a PIN —
    the PIN is set when the SSN record (EF06 tag 08) is first written.
    """

    t0_get_response: bool = False
    pin_from_ssn: bool = False


class Runtime:
    """The state every command handler of one card reads and changes."""

    def __init__(
        self,
        fs: FileSystem,
        state: CardState,
        options: CardOptions,
        state_path: Path | None,
    ) -> None:
        self.fs = fs
        self.state = state
        self.options = options
        self.state_path = state_path
        self.owner: dict[int, DF] = {}  # id(child) -> the DF that holds it
        for node in fs.mf.walk():
            if isinstance(node, DF):
                for c in node.children:
                    self.owner[id(c)] = node
        self.clear_volatile()

    def clear_volatile(self) -> None:
        """Power-off / reset: everything but the EEPROM is gone."""
        self.granted: set[int] = set()
        self.pin_ok = False
        self.challenge: bytes | None = None
        self.df: DF = self.fs.mf
        self.ef: EF | None = None
        self.pending = b""

    def clear_security(self) -> None:
        """SELECT of a DF: the key rights and the verified PIN vanish."""
        self.granted.clear()
        self.pin_ok = False

    def persist(self) -> None:
        """Write the EEPROM before the status word goes out."""
        if self.state_path is not None:
            self.state.save(self.state_path)

    def current_app(self) -> DF | None:
        """The blockable application (the SSSE) the current DF belongs to, if any."""
        node: DF | None = self.df
        while node is not None and not node.blockable:
            node = node.parent
        return node

    def app_blocked(self) -> bool:
        return self.state.app_blocked is not None and self.current_app() is not None
