"""The PSAM's named command builders: the bytes the PSAM documentation gives, secrets
marked sensitive, and every INS named by the one instruction table the tracer reads."""

from __future__ import annotations

import pytest

from station.apdu.command import Command
from station.apdu.instructions import INSTRUCTIONS, Ins, command_name, is_secret
from station.card import commands as C
from station.crypto import psam as P


def test_every_named_instruction_is_in_the_tracers_table() -> None:
    for ins in Ins:
        assert ins in INSTRUCTIONS, ins.name
        assert INSTRUCTIONS[ins].ins == ins


def test_psam_builders_encode_as_documented() -> None:
    env = "sx3.sh.社会保障".encode("gbk")
    slot = P.PsamSlot(usage=0x48, psam_key_id=0x12)
    factors = bytes(range(24))
    assert P.select_environment(env).to_bytes() == bytes.fromhex("00A404000F") + env + b"\x00"
    assert P.read_terminal_by_sfi().to_bytes() == bytes.fromhex("00B0960006")
    assert P.select_terminal_file().to_bytes() == bytes.fromhex("00A40000020016")
    assert P.read_terminal().to_bytes() == bytes.fromhex("00B0000006")
    assert P.delivery_session_key(slot, factors).to_bytes() == (
        bytes.fromhex("BFDE481218") + factors
    )
    assert P.cipher_data(P.P1_MAC_SINGLE, b"\x11" * 16, expect_data=True).to_bytes() == (
        bytes.fromhex("80FA050010") + b"\x11" * 16 + b"\x00"
    )
    assert P.cipher_data(P.P1_ENCRYPT_MORE, b"\x22" * 16, expect_data=False).le is None


@pytest.mark.parametrize(
    ("cmd", "name", "secret"),
    [
        (P.select_environment(b"x"), "SELECT", False),
        (P.read_terminal(), "READ BINARY", False),
        (P.delivery_session_key(P.PsamSlot(0x28, 0x09), bytes(16)), "DELIVERY SESSION KEY", True),
        (P.cipher_data(P.P1_ENCRYPT, bytes(16), expect_data=True), "CIPHER DATA", True),
        (C.verify(bytes.fromhex("123456")), "VERIFY", True),
        (C.read_records(0x06, 0), "READ RECORD", False),
        (C.pin_reset(), "RESET/UNBLOCK PIN", True),
    ],
)
def test_builders_and_tracer_agree(cmd: Command, name: str, secret: bool) -> None:
    assert command_name(cmd) == name
    assert is_secret(cmd) is secret
    if secret:  # marked by its builder too, not only by the table
        assert cmd.sensitive
