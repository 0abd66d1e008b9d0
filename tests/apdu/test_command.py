import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.apdu import Case, Command, Response, parse_hex
from station.errors import ApduFormatError


@pytest.mark.parametrize(
    ("hexstr", "case", "data", "le"),
    [
        ("00A40000", Case.CASE1, b"", None),
        ("0084000008", Case.CASE2, b"", 8),
        ("00B2010400", Case.CASE2, b"", 256),
        ("00A4040002AABB", Case.CASE3, b"\xaa\xbb", None),
        ("00A4040002AABB00", Case.CASE4, b"\xaa\xbb", 256),
        ("00B0000000 0100", Case.CASE2, b"", 256),  # extended Le
        ("00D60000000003AABBCC", Case.CASE3, b"\xaa\xbb\xcc", None),
        ("00D60000000003AABBCC0000", Case.CASE4, b"\xaa\xbb\xcc", 65536),
    ],
)
def test_parse_cases(hexstr, case, data, le):
    cmd = Command.from_hex(hexstr)
    assert cmd.case is case
    assert cmd.data == data
    assert cmd.le == le
    assert Command.from_bytes(cmd.to_bytes()) == cmd


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("00A4", "shorter than 4"),
        ("00A4040005AABB", "Lc does not match"),
        ("00A40400 02 AABBCCDD", "Lc does not match"),
        ("zz", "not hexadecimal"),
        ("00A404000", "odd number"),
        ("00D600000000", "truncated"),
    ],
)
def test_malformed_commands_are_typed(text, fragment):
    with pytest.raises(ApduFormatError) as err:
        Command.from_hex(text)
    assert fragment in str(err.value)


def test_short_response_is_typed():
    with pytest.raises(ApduFormatError, match="shorter than 2"):
        Response.from_bytes(b"\x90")
    rsp = Response.from_bytes(bytes.fromhex("0102039000"))
    assert rsp.ok and rsp.data == b"\x01\x02\x03" and rsp.sw == 0x9000


def test_field_validation():
    with pytest.raises(ApduFormatError):
        Command(0x100, 0, 0, 0)
    with pytest.raises(ApduFormatError):
        Command(0, 0, 0, 0, bytes(256))
    assert Command(0, 0, 0, 0, bytes(256), extended=True).to_bytes()[4:7] == b"\x00\x01\x00"


def test_sensitive_repr_hides_data():
    cmd = Command(0, 0x20, 0, 0, bytes.fromhex("123456"), sensitive=True)
    assert "123456" not in repr(cmd)


def test_parse_hex_ignores_separators():
    assert parse_hex("00:a4 04\n00") == b"\x00\xa4\x04\x00"


@given(
    cla=st.integers(0, 255),
    ins=st.integers(0, 255),
    data=st.binary(max_size=300),
    le=st.one_of(st.none(), st.integers(1, 65536)),
)
def test_roundtrip_any_command(cla, ins, data, le):
    extended = len(data) > 255 or (le is not None and le > 256)
    cmd = Command(cla, ins, 1, 2, data, le, extended)
    assert Command.from_bytes(cmd.to_bytes()) == cmd


@given(st.binary(max_size=40))
def test_parser_never_crashes(raw):
    try:
        Command.from_bytes(raw)
    except ApduFormatError:
        pass
