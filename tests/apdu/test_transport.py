import logging

import pytest

from station.apdu import (
    AuthFailed,
    Command,
    FileNotFound,
    PinBlocked,
    PinWrong,
    Response,
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


# -- issue 14 finding 3: T=0 rules never send a secret twice ------------------------------------

SECRET_COMMANDS = [
    ("VERIFY", "0020000003918273"),
    ("CHANGE PIN", "805E010007123456FF654321"),
    ("RESET PIN under SM", "84240001080102030405060708"),
    ("ISO RESET RETRY COUNTER", "002C000006123456654321"),
    ("EXTERNAL AUTHENTICATE", "0082000410" + "11" * 16),
    ("DELIVERY SESSION KEY", "BFDE670810" + "22" * 16),
    ("CIPHER DATA (case 4)", "80FA000008" + "33" * 8 + "00"),
]


@pytest.mark.parametrize("answer", ["6C08", "6C00", "6110"])
@pytest.mark.parametrize(("label", "apdu"), SECRET_COMMANDS, ids=[c[0] for c in SECRET_COMMANDS])
def test_secret_is_never_resent(label, apdu, answer):
    """Whatever the card answers, a secret command goes out once; a 61xx to a secret
    case-4 command may be fetched (GET RESPONSE resends nothing), never the command."""
    cmd = Command.from_hex(apdu)
    script = [(apdu, answer)]
    fetches = answer.startswith("61") and cmd.le is not None
    if fetches:
        script.append(("00C0000010", "00" * 16 + "9000"))
    t = Scripted(script)
    if fetches:
        assert t.send(cmd).data == bytes(16)
    else:
        with pytest.raises(StatusError) as err:
            t.send(cmd)
        assert err.value.sw == int(answer, 16)
    assert [raw for raw in t.sent if raw[1] == cmd.ins] == [cmd.to_bytes()]
    assert not t.script


def test_flagged_sensitive_is_never_resent_whatever_its_ins():
    cmd = Command(0x80, 0xCA, 0, 0, b"\x01\x02", le=0, sensitive=True)
    t = Scripted([(cmd.to_bytes().hex().upper(), "6C04")])
    assert t.transmit(cmd).sw == 0x6C04
    assert len(t.sent) == 1


def test_t0_rules_only_for_commands_expecting_data():
    """Case 1/3 commands get the card's 6Cxx/61xx back as is; case 2/4 still get both."""
    t = Scripted([("00D6000002AABB", "6C02")])
    assert t.transmit(Command.from_hex("00D6000002AABB")).sw == 0x6C02
    t = Scripted([("00A4020002EF05", "6112")])
    assert t.transmit(Command.from_hex("00A4020002EF05")).sw == 0x6112
    t = Scripted([("00A4040002AABB00", "6102"), ("00C0000002", "12349000")])
    assert t.transmit(Command.from_hex("00A4040002AABB00")).data == b"\x12\x34"


# -- issue 14 finding 10: personal data masked in traces ---------------------------------------

SSN = "44030419900307123X"
SSN_RECORD = bytes((0x08, 18)) + SSN.encode()


def _leaks(text: str) -> list[str]:
    forms = [SSN, SSN.encode().hex().upper(), SSN.encode().hex()]
    return [f for f in forms if f in text]


def test_record_reads_are_masked_by_default_and_raw_says_so():
    for raw in (False, True):
        tracer = Tracer(raw=raw)
        t = Scripted(
            [
                ("00B2013400", "6114"),  # the record comes back through GET RESPONSE
                ("00C0000014", SSN_RECORD.hex() + "9000"),
                ("00B0000004", "FFD8FFE09000"),
            ],
            tracer=tracer,
        )
        assert t.transmit(Command.from_hex("00B2013400")).data == SSN_RECORD
        t.transmit(Command.from_hex("00B0000004"))
        text = tracer.text()
        if raw:
            assert text.splitlines()[0].startswith("# APDU trace") and "RAW" in text.splitlines()[0]
            assert SSN_RECORD.hex().upper() in text and "FFD8FFE0" in text
        else:
            assert "masked" in text.splitlines()[0] and "RAW" not in text
            assert not _leaks(text)
            assert "08 12 <18 bytes masked>" in text  # structure kept: tag and length
            assert "FFD8FFE0" not in text and "<4 bytes masked>" in text


def test_record_writes_are_masked_and_secrets_stay_redacted_in_raw():
    tracer = Tracer()
    raw_tracer = Tracer(raw=True)
    write = Command(0x00, 0xDC, 0x01, 0x34, SSN_RECORD)
    photo = Command(0x00, 0xD6, 0x00, 0x00, b"\xff\xd8\xff\xe0" * 8)
    verify = Command.from_hex("0020000003918273")
    for tr in (tracer, raw_tracer):
        for cmd in (write, photo, verify):
            tr.record(cmd, Response.of(0x9000), 0.0)
    masked = tracer.text()
    assert not _leaks(masked) and "FFD8FFE0" not in masked
    assert "00DC0134 Lc=14 08 12 <18 bytes masked>" in masked
    raw = raw_tracer.text()
    assert SSN_RECORD.hex().upper() in raw
    for text in (masked, raw):
        assert "918273" not in text and "<3 bytes redacted>" in text
