"""The one instruction table: what each INS is called and what its data may carry.

The tracer (what may be shown), the transport (what may be sent again under the T=0
rules) and the status mapping (which ``63Cx`` is a PIN try) all ask this table, so they
cannot disagree about which commands are secret.  The CLA is ignored on purpose: ``84 24``
(PIN reset under secure messaging) is as secret as ``00 24``, and a hostile card cannot
make a command "not secret" by answering a different class.

Three kinds of data:

* ``SECRET`` — PINs, PIN blocks, keys, key-derived authenticators.  Never shown, and the
  command is sent at most once (no ``6Cxx`` resend).
* ``PERSONAL`` — record and binary file content (READ/UPDATE RECORD, READ/UPDATE BINARY and
  their write/append relatives).  On a social security card these files are the holder's
  SSN, name, birth date and photo; the tracer masks them unless a technician asked for raw.
* ``PLAIN`` — headers, challenges, FCI, status: safe to show.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from station.apdu.command import Command


class Carries(enum.Enum):
    """What the data of a command (and of its response) may contain."""

    PLAIN = "plain"
    SECRET = "secret"  # noqa: S105 - a kind of data, not a password
    PERSONAL = "personal"


@dataclass(frozen=True, slots=True)
class Instruction:
    """One INS: its name, what it carries, whether ``63Cx`` counts PIN tries, and whether
    its data are ``tag len value`` records (so a masked trace can still show the tags)."""

    ins: int
    name: str
    carries: Carries = Carries.PLAIN
    pin: bool = False
    records: bool = False


class Ins(enum.IntEnum):
    """The instructions the station builds by name.  The command builders
    (``station.card.commands``, ``station.crypto.psam``) and the virtual cards take their
    INS from here, the tracer its names and secrecy from the table below, which lists
    every member: one table for both."""

    SELECT = 0xA4
    GET_RESPONSE = 0xC0
    GET_CHALLENGE = 0x84
    INTERNAL_AUTHENTICATE = 0x88
    EXTERNAL_AUTHENTICATE = 0x82
    APPLICATION_BLOCK = 0x1E
    APPLICATION_UNBLOCK = 0x18
    READ_BINARY = 0xB0
    UPDATE_BINARY = 0xD6
    READ_RECORD = 0xB2
    UPDATE_RECORD = 0xDC
    VERIFY = 0x20
    PIN_UNBLOCK_RESET = 0x24
    CHANGE_PIN = 0x5E
    DELIVERY_SESSION_KEY = 0xDE
    CIPHER_DATA = 0xFA


_TABLE = (
    Instruction(Ins.SELECT, "SELECT"),
    Instruction(Ins.GET_RESPONSE, "GET RESPONSE"),
    Instruction(Ins.GET_CHALLENGE, "GET CHALLENGE"),
    Instruction(Ins.INTERNAL_AUTHENTICATE, "INTERNAL AUTHENTICATE"),
    Instruction(Ins.APPLICATION_BLOCK, "APPLICATION BLOCK"),
    Instruction(Ins.APPLICATION_UNBLOCK, "APPLICATION UNBLOCK"),
    # holder data: record and binary files
    Instruction(Ins.READ_BINARY, "READ BINARY", Carries.PERSONAL),
    Instruction(0xB1, "READ BINARY", Carries.PERSONAL),
    Instruction(0xD0, "WRITE BINARY", Carries.PERSONAL),
    Instruction(Ins.UPDATE_BINARY, "UPDATE BINARY", Carries.PERSONAL),
    Instruction(0xD7, "UPDATE BINARY", Carries.PERSONAL),
    Instruction(Ins.READ_RECORD, "READ RECORD", Carries.PERSONAL, records=True),
    Instruction(0xB3, "READ RECORD", Carries.PERSONAL, records=True),
    Instruction(0xD2, "WRITE RECORD", Carries.PERSONAL, records=True),
    Instruction(Ins.UPDATE_RECORD, "UPDATE RECORD", Carries.PERSONAL, records=True),
    Instruction(0xDD, "UPDATE RECORD", Carries.PERSONAL, records=True),
    Instruction(0xE2, "APPEND RECORD", Carries.PERSONAL, records=True),
    # secrets: PINs, PIN blocks, keys and what is computed from them
    Instruction(Ins.VERIFY, "VERIFY", Carries.SECRET, pin=True),
    Instruction(Ins.PIN_UNBLOCK_RESET, "RESET/UNBLOCK PIN", Carries.SECRET, pin=True),
    Instruction(0x2C, "RESET RETRY COUNTER", Carries.SECRET, pin=True),
    Instruction(Ins.CHANGE_PIN, "CHANGE PIN", Carries.SECRET, pin=True),
    Instruction(Ins.EXTERNAL_AUTHENTICATE, "EXTERNAL AUTHENTICATE", Carries.SECRET),
    Instruction(Ins.DELIVERY_SESSION_KEY, "DELIVERY SESSION KEY", Carries.SECRET),
    Instruction(Ins.CIPHER_DATA, "CIPHER DATA", Carries.SECRET),
    Instruction(0xD4, "WRITE KEY", Carries.SECRET),
    Instruction(0xE3, "LOAD KEY", Carries.SECRET),
)

INSTRUCTIONS: dict[int, Instruction] = {i.ins: i for i in _TABLE}

SECRET_INS: frozenset[int] = frozenset(i.ins for i in _TABLE if i.carries is Carries.SECRET)
PERSONAL_INS: frozenset[int] = frozenset(i.ins for i in _TABLE if i.carries is Carries.PERSONAL)
PIN_INS: frozenset[int] = frozenset(i.ins for i in _TABLE if i.pin)


def instruction(cmd: Command) -> Instruction:
    """The table entry for ``cmd`` (an unnamed, plain entry for unknown instructions)."""
    return INSTRUCTIONS.get(cmd.ins) or Instruction(cmd.ins, f"INS {cmd.ins:02X}")


def command_name(cmd: Command) -> str:
    return instruction(cmd).name


def is_secret(cmd: Command) -> bool:
    """Flagged by its sender, or secret by instruction (whatever the CLA)."""
    return cmd.sensitive or cmd.ins in SECRET_INS


def is_personal(cmd: Command) -> bool:
    return cmd.ins in PERSONAL_INS


def may_resend(cmd: Command) -> bool:
    """May ``cmd`` be sent again with a corrected Le (``6Cxx``)?  Only a command that
    expects response data (case 2/4) and carries no secret: a secret goes out at most once."""
    return cmd.le is not None and not is_secret(cmd)


def may_fetch(cmd: Command) -> bool:
    """May a ``61xx`` answer to ``cmd`` be fetched with GET RESPONSE?  Only when the command
    expects response data (case 2/4).  GET RESPONSE sends nothing of the command again, so
    a secret case-4 command (CIPHER DATA on a T=0 PSAM) may still collect its answer;
    a secret case-3 command (VERIFY, CHANGE PIN, EXTERNAL AUTHENTICATE) never does."""
    return cmd.le is not None


__all__ = [
    "INSTRUCTIONS",
    "PERSONAL_INS",
    "PIN_INS",
    "SECRET_INS",
    "Carries",
    "Ins",
    "Instruction",
    "command_name",
    "instruction",
    "is_personal",
    "is_secret",
    "may_fetch",
    "may_resend",
]
