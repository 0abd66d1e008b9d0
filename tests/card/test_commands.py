"""The named APDU builders: exact bytes for the card-spec examples, and every command that
carries a PIN or an authenticator marked sensitive by construction."""

from __future__ import annotations

from station.apdu.instructions import is_secret
from station.card import commands as C


def test_bytes_match_the_spec() -> None:
    assert C.read_records(0x05, 0x3A).to_bytes().hex().upper() == "00B201" + "2D" + "3A"
    assert C.read_record(0x06, 0x08, 0x14).to_bytes().hex().upper() == "00B20830" + "14"
    assert C.update_record(0x06, 2, b"\x08\x01\x31").to_bytes().hex().upper() == "00DC023403080131"
    assert C.select_file(0x0008).to_bytes().hex().upper() == "00A40200020008"
    assert C.update_binary(0x0123, b"\xaa").to_bytes().hex().upper() == "00D6012301AA"
    assert C.read_binary(0x0200, 0x80).to_bytes().hex().upper() == "00B0020080"
    assert C.verify_probe().to_bytes().hex().upper() == "0020000000"
    assert C.verify(bytes.fromhex("123456")).to_bytes().hex().upper() == "0020000003123456"
    assert C.change_pin(b"\x12\x34", b"\x56\x78").data == bytes.fromhex("1234FF5678")
    assert C.pin_reset().to_bytes().hex().upper() == "84240001"


def test_secret_commands_are_sensitive() -> None:
    built = [
        C.verify(b"\x12\x34"),
        C.change_pin(b"\x12\x34", b"\x56\x78"),
        C.external_authenticate(0x06, bytes(16)),
        C.pin_unblock(),
        C.pin_reset(),
    ]
    for cmd in built:
        assert cmd.sensitive and is_secret(cmd), cmd.header.hex()
        assert "1234" not in repr(cmd).replace(" ", "")
    plain = [C.get_challenge(), C.internal_authenticate(0, bytes(16)), C.verify_probe()]
    assert not any(c.sensitive and c.data for c in plain)
