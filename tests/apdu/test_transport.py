import logging

import pytest

from station.apdu import (
    AuthFailed,
    Command,
    FileNotFound,
    PinBlocked,
    PinWrong,
    SecurityNotSatisfied,
    StatusError,
    Tracer,
    Transport,
    describe,
    tries_left,
)
from station.apdu.status import national_code


class Scripted(Transport):
    """A fake transport answering from a script, recording what it was sent."""

    def __init__(self, script, tracer=None):
        super().__init__(tracer)
        self.script = list(script)
        self.sent: list[bytes] = []

    def _exchange(self, raw: bytes) -> bytes:
        self.sent.append(raw)
        expected, answer = self.script.pop(0)
        assert raw.hex().upper() == expected
        return bytes.fromhex(answer)


def test_get_response_chain():
    t = Scripted(
        [
            ("00B2010400", "6110"),
            ("00C0000010", "00" * 16 + "6104"),
            ("00C0000004", "AABBCCDD9000"),
        ]
    )
    rsp = t.transmit(Command.from_hex("00B2010400"))
    assert rsp.ok and rsp.data == bytes(16) + bytes.fromhex("AABBCCDD")
    assert not t.script


def test_wrong_le_is_resent():
    t = Scripted([("00B2010400", "6C05"), ("00B2010405", "01020304059000")])
    assert t.transmit(Command.from_hex("00B2010400")).data == bytes.fromhex("0102030405")


def test_opt_outs_return_the_raw_status():
    t = Scripted([("00B2010400", "6C05")])
    assert t.transmit(Command.from_hex("00B2010400"), fix_le=False).sw == 0x6C05
    t = Scripted([("00B2010400", "6110")])
    assert t.transmit(Command.from_hex("00B2010400"), get_response=False).sw == 0x6110


def test_endless_get_response_is_bounded():
    from station.errors import ApduFormatError

    t = Scripted([("00B0000000", "6101")] + [("00C0000001", "006101")] * 64)
    with pytest.raises(ApduFormatError, match="endless"):
        t.transmit(Command.from_hex("00B0000000"))


def test_tries_left_is_hex_nibble():
    assert tries_left(0x63CA) == 10
    assert tries_left(0x63C5) == 5
    assert tries_left(0x6A82) is None
    assert "5 tries left" in describe(0x63C5)


@pytest.mark.parametrize(
    ("apdu", "sw", "cls", "code"),
    [
        ("0020000003123456", "63C1", PinWrong, -51),
        ("0020000003123456", "6983", PinBlocked, -52),
        ("00820004100000000000000000000000000000000000", "63C2", AuthFailed, -0x63C2),
        ("00A4020002EF09", "6A82", FileNotFound, -27266),
        ("00DC01040308010A", "6982", SecurityNotSatisfied, -0x6982),
    ],
)
def test_send_raises_typed_errors(apdu, sw, cls, code):
    t = Scripted([(apdu, sw)])
    with pytest.raises(cls) as err:
        t.send(Command.from_hex(apdu))
    assert err.value.sw == int(sw, 16)
    assert err.value.code == code
    assert national_code(0x6A82) == -27266


def test_pin_wrong_message_says_tries_left():
    t = Scripted([("0020000003123456", "63C1")])
    with pytest.raises(PinWrong) as err:
        t.send(Command.from_hex("0020000003123456"))
    assert err.value.tries_left == 1
    assert "1 try left" in err.value.message and "还剩1次" in err.value.message


def test_unknown_sw_is_plain_status_error():
    t = Scripted([("00CA000000", "6F00")])
    with pytest.raises(StatusError) as err:
        t.send(Command.from_hex("00CA000000"))
    assert type(err.value) is StatusError


def test_verify_pin_never_traced_or_logged(caplog):
    """A VERIFY with PIN 123456 leaves no 123456 in traces, logs or errors."""
    caplog.set_level(logging.DEBUG)
    tracer = Tracer()
    pin = "123456"
    apdu = "0020000003" + pin
    t = Scripted([(apdu, "63C5"), (apdu, "9000")], tracer=tracer)
    cmd = Command.from_hex(apdu)  # not flagged: VERIFY is redacted by instruction
    with pytest.raises(PinWrong) as err:
        t.send(cmd)
    t.send(cmd)
    text = tracer.text()
    assert "VERIFY" in text and "63C5" in text and "redacted" in text
    for blob in (text, caplog.text, str(err.value), repr(err.value), repr(tracer.entries())):
        assert pin not in blob
