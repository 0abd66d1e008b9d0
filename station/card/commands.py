"""The SSSE commands the card services send, one small named builder each (card-spec §3-§6).

Why: hand-built ``Command(0x00, 0xB2, 0x01, (sfi << 3) | 0x05, le=…)`` literals spread over
every service hid what each byte meant and let a PIN command go out without its
``sensitive`` flag.  Here each command is built once, its P1/P2 coding named, and every
command that carries a PIN, a PIN block or an authenticator is marked ``sensitive`` by
construction.  Builders only build: sending and status handling stay with the services.
"""

from __future__ import annotations

from station.apdu.command import Command
from station.apdu.instructions import Ins

# READ/UPDATE RECORD P2 low bits (ISO 7816-4): how P1 names the record
_RECORD_BY_ID = 0x00  # P1 = record identifier (first occurrence)
_RECORD_BY_NUMBER = 0x04  # P1 = record number
_RECORDS_FROM = 0x05  # P1 = first record number; all records from P1 to the last


def select_by_name(aid: bytes) -> Command:
    """SELECT an application by name (DF name / AID), FCI expected."""
    return Command(0x00, Ins.SELECT, 0x04, 0x00, aid, le=0)


def select_file(fid: int) -> Command:
    """SELECT an EF by its 2-byte file identifier under the current DF."""
    return Command(0x00, Ins.SELECT, 0x02, 0x00, fid.to_bytes(2, "big"))


def get_challenge(length: int = 8) -> Command:
    return Command(0x00, Ins.GET_CHALLENGE, 0x00, 0x00, le=length)


def internal_authenticate(key_id: int, data: bytes, length: int = 8) -> Command:
    """INTERNAL AUTHENTICATE with the card key ``key_id`` over ``data``."""
    return Command(0x00, Ins.INTERNAL_AUTHENTICATE, 0x00, key_id, data, le=length)


def external_authenticate(key_id: int, auth_and_random: bytes) -> Command:
    """EXTERNAL AUTHENTICATE with ``key_id``: the authenticator is secret."""
    return Command(0x00, Ins.EXTERNAL_AUTHENTICATE, 0x00, key_id, auth_and_random, sensitive=True)


def read_records(sfi: int, expected: int, first: int = 1) -> Command:
    """READ RECORD mode 5: records ``first`` .. last of file ``sfi`` concatenated."""
    return Command(0x00, Ins.READ_RECORD, first, (sfi << 3) | _RECORDS_FROM, le=expected)


def read_record(sfi: int, tag: int, expected: int) -> Command:
    """READ RECORD by identifier (the tag doubles as the record identifier)."""
    return Command(0x00, Ins.READ_RECORD, tag, (sfi << 3) | _RECORD_BY_ID, le=expected)


def update_record(sfi: int, number: int, record: bytes) -> Command:
    """UPDATE RECORD by record number."""
    return Command(0x00, Ins.UPDATE_RECORD, number, (sfi << 3) | _RECORD_BY_NUMBER, record)


def update_binary(offset: int, chunk: bytes) -> Command:
    """UPDATE BINARY of the selected EF at ``offset`` (15 bits)."""
    return Command(0x00, Ins.UPDATE_BINARY, offset >> 8, offset & 0xFF, chunk)


def read_binary(offset: int, length: int) -> Command:
    """READ BINARY of the selected EF from ``offset`` (15 bits)."""
    return Command(0x00, Ins.READ_BINARY, offset >> 8, offset & 0xFF, le=length)


def verify_probe() -> Command:
    """VERIFY with Lc = 00: asks for the tries left, carries no PIN."""
    return Command(0x00, Ins.VERIFY, 0x00, 0x00, le=0)


def verify(pin_bcd: bytes) -> Command:
    """VERIFY the holder's PIN (BCD, F-padded)."""
    return Command(0x00, Ins.VERIFY, 0x00, 0x00, pin_bcd, sensitive=True)


def change_pin(old_bcd: bytes, new_bcd: bytes) -> Command:
    """CHANGE PIN (the holder's own): ``old FF new``."""
    return Command(0x80, Ins.CHANGE_PIN, 0x01, 0x00, old_bcd + b"\xff" + new_bcd, sensitive=True)


def pin_unblock() -> Command:
    """PIN UNBLOCK under secure messaging (the channel adds the MAC): counter only."""
    return Command(0x84, Ins.PIN_UNBLOCK_RESET, 0x00, 0x00, sensitive=True)


def pin_reset() -> Command:
    """PIN RESET under secure messaging (the channel adds the encrypted PIN block)."""
    return Command(0x84, Ins.PIN_UNBLOCK_RESET, 0x00, 0x01, sensitive=True)
