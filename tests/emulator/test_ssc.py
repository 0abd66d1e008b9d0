"""The virtual social security card, APDU by APDU, in-process (card-spec §1-§4 REF)."""

from __future__ import annotations

import pytest

from station.apdu.command import Command
from station.apdu.status import describe
from station.codecs.records import EF05_FIELDS, HolderData
from station.crypto.algorithms import Alg, auth_data, pin_bcd, session_key
from station.crypto.keys import IRK
from station.emulator.cards import make_card
from station.profiles import Profile, load_profile

from .helpers import PUK, RK, SSSE_AID, SSSE_SELECT, UK, Host

ISSUED = "gen3-sm4-issued"
GEN2 = "gen2-3des-issued"
BLANK = "gen3-sm4-blank"


@pytest.fixture(scope="module")
def profiles() -> dict[str, Profile]:
    return {n: load_profile(n) for n in (ISSUED, GEN2, BLANK)}


@pytest.fixture
def host(profiles: dict[str, Profile]) -> Host:
    h = Host(profiles[ISSUED])
    assert h.select() == 0x9000
    return h


@pytest.fixture
def host2(profiles: dict[str, Profile]) -> Host:
    h = Host(profiles[GEN2])
    assert h.select() == 0x9000
    return h


CARD_NO_REC = bytes.fromhex("0709") + b"A00000011"


# -- SELECT and FCI --------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "alg_code"), [(ISSUED, 0x03), (GEN2, 0x01)])
def test_select_ssse_fci(profiles: dict[str, Profile], name: str, alg_code: int) -> None:
    h = Host(profiles[name])
    data, sw = h.raw(SSSE_SELECT)
    if sw >> 8 == 0x61:  # the gen-2 profile behaves like a T=0 card
        assert sw == 0x611E
        data, sw = h.raw("00C000001E")
    assert sw == 0x9000
    expected = (
        bytes.fromhex("6F1C840F") + SSSE_AID + bytes.fromhex("A50988011E9F0C038601")
        + bytes((alg_code,))
    )  # fmt: skip
    assert data == expected
    assert Alg.from_fci(data[-1]) is profiles[name].alg


def test_select_variants(host: Host) -> None:
    assert host.raw("00A4040C0F7378312E73682EC9E7BBE1B1A3D5CF") == (b"", 0x9000)  # no FCI
    assert host.sw("00A404000E315041592E5359532E4444463031") == 0x6A82  # 1PAY.SYS.DDF01
    assert host.sw("00A4020002EF05") == 0x9000
    assert host.sw("00A4020002EF09") == 0x6A82
    assert host.sw("00A40000023F00") == 0x9000  # MF
    assert host.sw("00A4020002EF05") == 0x6A82  # EF05 is not under the MF
    assert host.sw("00A4000000") == 0x9000  # MF by empty data
    assert host.sw("00A4050000") == 0x6A86
    assert host.sw("00A40400") == 0x6700
    assert host.sw("00A4020003EF0500") == 0x6700


def test_select_ef_then_current_ef_addressing(host: Host) -> None:
    assert host.sw("00A4020002EF05") == 0x9000
    assert host.raw("00B207040B") == (CARD_NO_REC, 0x9000)  # record 7 of the current EF
    assert host.raw("00B207000B") == (CARD_NO_REC, 0x9000)  # identifier 07, current EF
    assert host.sw("00A40300") == 0x9000  # parent DF (the SSSE), security cleared
    assert host.sw("00B2070400") == 0x6986  # no current EF any more


def test_select_by_path(host: Host) -> None:
    assert host.sw("00A4090002EF05") == 0x9000
    assert host.raw("00B207040B")[1] == 0x9000


# -- records ---------------------------------------------------------------------------------

RECORD_SWEEP = [
    # (id, rights, apdu, sw, data-or-None)
    ("ef05-rec7-exact", [], "00B2072C0B", 0x9000, CARD_NO_REC),
    ("ef05-id07-exact", [], "00B207280B", 0x9000, CARD_NO_REC),
    ("ef05-le00-6C", [], "00B2072C00", 0x6C0B, b""),
    ("ef05-le-short-6C", [], "00B2072C05", 0x6C0B, b""),
    ("ef05-le-long-6C", [], "00B2072C20", 0x6C0B, b""),
    ("ef05-no-le-6C", [], "00B2072C", 0x6C0B, b""),
    ("ef05-all-le00", [], "00B2012D00", 0x6C40, b""),
    ("ef05-rec8", [], "00B2082C00", 0x6A83, b""),
    ("ef05-rec0", [], "00B2002C00", 0x6A83, b""),
    ("ef05-id-missing", [], "00B2422800", 0x6A83, b""),
    ("ef05-mode2", [], "00B2012A00", 0x6A86, b""),
    ("sfi-absent", [], "00B2014C00", 0x6A82, b""),
    ("sfi-transparent", [], "00B2013C00", 0x6981, b""),
    ("ef06-needs-rk", [], "00B2013400", 0x6982, b""),
    ("ef06-with-uk-only", [UK], "00B2013400", 0x6982, b""),
    ("ef06-with-rk", [RK], "00B2013414", 0x9000, None),
    ("ef06-all-with-rk", [RK], "00B2013500", 0x6C5B, b""),
    ("update-no-right", [], "00DC072C0B0709413030303030303131", 0x6982, b""),
    ("update-rk-not-enough", [RK], "00DC072C0B0709413030303030303131", 0x6982, b""),
    ("update-with-uk", [UK], "00DC072C0B0709423030303030303237", 0x9000, b""),
    ("update-by-id", [UK], "00DC07280B0709423030303030303237", 0x9000, b""),
    ("update-wrong-tag", [UK], "00DC072C0B0609423030303030303237", 0x6A80, b""),
    ("update-too-long", [UK], "00DC072C0C070A42303030303030323737", 0x6700, b""),
    ("update-len-mismatch", [UK], "00DC072C0B0708423030303030303237", 0x6700, b""),
    ("update-mode5", [UK], "00DC072D0B0709423030303030303237", 0x6A86, b""),
    ("update-rec9", [UK], "00DC092C0B0709423030303030303237", 0x6A83, b""),
    ("lc-mismatch", [UK], "00DC072C0C0709423030303030303237", 0x6700, b""),
]


@pytest.mark.parametrize(
    ("rights", "apdu", "sw", "data"),
    [c[1:] for c in RECORD_SWEEP],
    ids=[c[0] for c in RECORD_SWEEP],
)
def test_record_sweep(
    host: Host, rights: list[int], apdu: str, sw: int, data: bytes | None
) -> None:
    for key_id in rights:
        assert host.ext_auth(key_id) == 0x9000
    got, got_sw = host.raw(apdu)
    assert got_sw == sw, describe(got_sw)
    if data is not None:
        assert got == data
    if sw == 0x9000 and apdu.startswith("00DC"):
        # the write really happened and reads back
        written = bytes.fromhex(apdu)[5:]
        assert host.raw("00B207280B") == (written, 0x9000)


def test_ef06_holder_reads_back(host: Host) -> None:
    assert host.ext_auth(RK) == 0x9000
    data, sw = host.raw("00B2013500")
    assert sw >> 8 == 0x6C
    data, sw = host.raw(bytes.fromhex("00B20135") + bytes((sw & 0xFF,)))
    assert sw == 0x9000
    from station.codecs.records import parse_records

    holder = HolderData.from_records(parse_records(data))
    assert holder == host.profile.holder


def test_gen2_ef06_is_free(host2: Host) -> None:
    data, sw = host2.raw("00B2013414")
    assert sw == 0x9000 and data[:2] == b"\x08\x12"


def test_blank_has_factory_items_only(profiles: dict[str, Profile]) -> None:
    card = make_card(profiles[BLANK])
    ef05 = card.records("MF/SSSE/EF05")
    tags_written = {r[0] for r, f in zip(ef05, EF05_FIELDS, strict=True) if r != f.blank()}
    assert tags_written == {0x01, 0x02, 0x03, 0x04, 0x07}
    assert all(r[2:] == b"\xff" * (len(r) - 2) for r in card.records("MF/SSSE/EF06"))


# -- binaries --------------------------------------------------------------------------------


def test_binary_photo(host: Host) -> None:
    assert host.sw("00B0880010") == 0x6982  # EF08 needs RK
    assert host.sw("00D6880004CAFEBABE") == 0x6982  # and UK to write
    assert host.ext_auth(UK) == 0x9000
    assert host.ext_auth(RK) == 0x9000
    assert host.sw("00D6880004FFD8FFE0") == 0x9000  # SFI 8, offset 0
    assert host.sw("00D60FFE0401020304") == 0x6700  # past the end (current EF, offset FFE)
    assert host.sw("00D6100001AA") == 0x6B00  # offset = size
    assert host.raw("00B0880004") == (bytes.fromhex("FFD8FFE0"), 0x9000)
    assert host.raw("00B0000204") == (bytes.fromhex("FFE0FFFF"), 0x9000)  # current EF
    assert host.raw("00B00FF000")[1] == 0x6C10  # 16 bytes left, Le=00
    assert host.raw("00B00FF020")[1] == 0x6C10
    assert len(host.raw("00B00FF010")[0]) == 16
    assert host.raw("00B0000000")[1] == 0x9000  # 256 bytes available
    assert host.sw("00B0100001") == 0x6B00
    assert host.sw("00B0850001") == 0x6981  # SFI 5 is a record file
    data, sw = host.raw("00B0880000" + "0100")  # extended Le = 256
    assert sw == 0x9000 and len(data) == 256
    assert host.sw("00B08800") == 0x6700  # no Le at all


# -- challenge and authentication ------------------------------------------------------------


@pytest.mark.parametrize(("le", "sw"), [(4, 0x9000), (8, 0x9000), (16, 0x9000), (5, 0x6700)])
def test_get_challenge_lengths(host: Host, le: int, sw: int) -> None:
    data, got = host.raw(bytes((0, 0x84, 0, 0, le)))
    assert got == sw
    assert len(data) == (le if sw == 0x9000 else 0)


def test_challenges_are_fresh(host: Host) -> None:
    assert len({host.challenge() for _ in range(20)}) == 20


def test_internal_auth_matches_irk(host: Host, host2: Host) -> None:
    for h in (host, host2):
        pf, orig = bytes(range(8)), bytes(range(8, 16))
        apdu = bytes.fromhex("0088000010") + pf + orig
        data, sw = h.raw(apdu)
        if sw >> 8 == 0x61:
            data, sw = h.raw("00C0000008")
        assert sw == 0x9000
        sk = session_key(h.alg, h.key(IRK), pf)
        assert data == auth_data(h.alg, sk, orig)
    assert host.sw("0088000410" + "00" * 16) == 0x6A88  # only the IRK
    assert host.sw("008800000F" + "00" * 15) == 0x6700
    assert host.sw("0088000011" + "00" * 16 + "07") == 0x6A88  # wrong key version
    assert host.raw("0088000011" + "00" * 16 + "01")[1] == 0x9000  # right key version


@pytest.mark.parametrize("key_id", [UK, PUK, RK, 0x02, IRK])
def test_external_auth_grants_right(host: Host, key_id: int) -> None:
    assert host.ext_auth(key_id) == 0x9000
    assert key_id in host.card.granted


def test_external_auth_counter_and_block(host: Host) -> None:
    host.card.reset()
    assert host.select() == 0x9000
    assert host.sw("0082000410" + "00" * 16) == 0x6985  # no challenge since reset
    assert host.sw("0082000910" + "00" * 16) == 0x6A88  # no such key
    for left in range(14, -1, -1):
        assert host.ext_auth(UK, good=False) == 0x63C0 | left
    assert host.ext_auth(UK) == 0x6983  # blocked: even the right answer
    assert UK not in host.card.granted
    assert host.card.state.key_tries[UK] == 0
    assert host.ext_auth(RK) == 0x9000  # other keys are unaffected


def test_external_auth_success_restores_counter(host: Host) -> None:
    assert host.ext_auth(UK, good=False) == 0x63CE
    assert host.ext_auth(UK) == 0x9000
    assert host.card.state.key_tries[UK] == 15


def test_external_auth_key_version(host: Host) -> None:
    apdu = host.ext_auth_apdu(UK)
    with_version = apdu[:4] + b"\x11" + apdu[5:] + b"\x01"
    assert host.sw(with_version) == 0x9000
    apdu = host.ext_auth_apdu(UK)
    assert host.sw(apdu[:4] + b"\x11" + apdu[5:] + b"\x02") == 0x6A88


@pytest.mark.parametrize("clear", ["select-df", "reset", "power-off"])
def test_rights_cleared(host: Host, clear: str) -> None:
    assert host.ext_auth(UK) == 0x9000
    assert host.verify("123456") == 0x9000
    if clear == "select-df":
        assert host.select() == 0x9000
    elif clear == "reset":
        host.card.reset()
        assert host.select() == 0x9000
    else:
        host.card.power_off()
        host.card.power_on()
        assert host.select() == 0x9000
    assert host.card.granted == frozenset()
    assert host.sw("00DC072C0B0709423030303030303237") == 0x6982


def test_challenge_does_not_clear_rights(host: Host) -> None:
    assert host.ext_auth(UK) == 0x9000
    host.challenge()
    assert host.sw("00DC072C0B0709423030303030303237") == 0x9000


def test_selecting_an_ef_keeps_rights(host: Host) -> None:
    assert host.ext_auth(UK) == 0x9000
    assert host.sw("00A4020002EF05") == 0x9000
    assert host.sw("00DC07040B0709423030303030303237") == 0x9000


# -- PIN ---------------------------------------------------------------------------------


def test_verify_counter_and_lock(host: Host) -> None:
    assert host.sw("0020000000") == 0x63C6  # probe (Lc = 00)
    assert host.sw("00200000") == 0x63C6  # probe without Lc
    assert host.verify("654321") == 0x63C5
    assert host.verify("123456") == 0x9000  # the right PIN restores the tries
    assert host.sw("0020000000") == 0x63C6
    for left in range(5, -1, -1):
        assert host.verify("000000") == 0x63C0 | left
    assert host.verify("123456") == 0x6983
    assert host.sw("0020000000") == 0x6983
    assert host.card.state.pin_tries == 0


def test_verify_formats(host: Host) -> None:
    assert host.sw("00200000011F") == 0x6700  # one byte is no PIN
    assert host.sw("0020000009" + "11" * 9) == 0x6700
    assert host.sw("0020000103123456") == 0x6A88  # unknown reference
    assert host.sw("0020010003123456") == 0x6A86
    assert host.verify("12345") == 0x63C5  # wrong length is a wrong PIN


def test_change_pin(host: Host) -> None:
    cmd = "805E010007" + "123456" + "FF" + "135790"
    assert host.sw(cmd) == 0x9000
    assert host.verify("123456") == 0x63C5
    assert host.verify("135790") == 0x9000
    assert host.sw("805E010007" + "123456FF246801") == 0x63C5  # wrong old PIN
    assert host.sw("805E010006" + "135790" + "12345F") == 0x6A80  # no FF separator
    assert host.sw("805E010006" + "135790FF" + "1A34") == 0x6A80  # new PIN not BCD
    assert host.sw("805E000007" + "135790FF246801") == 0x6A86
    assert host.sw("005E010007" + "135790FF246801") == 0x6E00  # CLA must be 80
    assert host.sw("805E010008" + "135790FF2468013F") == 0x9000  # odd-length new PIN
    assert host.verify("2468013") == 0x9000


def test_unblock(host: Host) -> None:
    for _ in range(6):
        host.verify("000000")
    assert host.verify("123456") == 0x6983
    unblock = host.mac_apdu(bytes.fromhex("84240000"), b"")
    assert host.sw(unblock) == 0x6982  # no PUK right yet
    assert host.ext_auth(PUK) == 0x9000
    before = host.card.snapshot()
    assert host.sw(host.mac_apdu(bytes.fromhex("84240000"), b"", good=False)) == 0x9302
    assert host.card.snapshot() == before  # a wrong MAC changes nothing
    assert host.sw(host.mac_apdu(bytes.fromhex("84240000"), b"")) == 0x9000
    assert host.card.state.pin_tries == 6
    assert host.verify("123456") == 0x9000  # PIN unchanged


def test_reset_pin(host: Host, host2: Host) -> None:
    for h, lc in ((host, 0x14), (host2, 0x0C)):
        assert h.sw(h.reset_pin_apdu("864209")) == 0x6982
        assert h.ext_auth(PUK) == 0x9000
        before = h.card.snapshot()
        assert h.sw(h.reset_pin_apdu("864209", good=False)) == 0x9302
        assert h.card.snapshot() == before
        apdu = h.reset_pin_apdu("864209")
        assert apdu[4] == lc
        assert h.sw(apdu) == 0x9000
        assert h.card.state.pin == pin_bcd("864209")
        assert h.verify("864209") == 0x9000
        assert h.sw(apdu[:4] + bytes((apdu[4] + 1,)) + apdu[5:] + b"\x00") == 0x6700


def test_reset_needs_a_challenge(host: Host) -> None:
    assert host.ext_auth(PUK) == 0x9000
    apdu = host.reset_pin_apdu("864209")
    host.card.reset()  # drops the challenge and the right
    assert host.select() == 0x9000
    assert host.sw(apdu) == 0x6982
    assert host.ext_auth(PUK) == 0x9000
    assert host.sw(apdu) == 0x9302  # MAC made for an older challenge


def test_pin_last6_of_ssn(profiles: dict[str, Profile]) -> None:
    h = Host(profiles[GEN2])
    h.select()
    assert h.verify("200020") == 0x9000  # 110105198511200020 → 200020
    # an override of None removes the key (TOML has no null)
    blank = profiles[BLANK].with_overrides({"pin": {"initial": "last6-ssn", "value": None}})
    assert blank.pin.initial == "last6-ssn" and blank.pin.value is None


def test_blank_last6_pin_set_when_ssn_written(profiles: dict[str, Profile]) -> None:
    from station.profiles import parse_profile

    prof = parse_profile(
        profiles[BLANK].text.replace(
            'initial = "fixed"\nvalue = "123456"', 'initial = "last6-ssn"'
        ),
        profiles[BLANK].path,
    )
    h = Host(prof)
    h.select()
    assert h.sw("0020000000") == 0x9000  # no PIN yet
    assert h.verify("123456") == 0x6984
    assert h.ext_auth(UK) == 0x9000
    ssn = b"44030419900307123X"
    assert h.sw(bytes.fromhex("00DC013412") + b"\x08\x12" + ssn[:16]) == 0x6700
    assert h.sw(bytes.fromhex("00DC013414") + b"\x08\x12" + ssn) == 0x9000
    assert h.verify("071230") == 0x9000  # X counts as 0


# -- application block, T=0, odd input -------------------------------------------------------


def test_application_block(host: Host) -> None:
    assert host.sw(host.mac_apdu(bytes.fromhex("841E0000"), b"", good=False)) == 0x9302
    assert host.card.state.app_blocked is None
    assert host.sw(host.mac_apdu(bytes.fromhex("841E0000"), b"")) == 0x9000
    assert host.sw("00B2072C0B") == 0x9303
    assert host.verify("123456") == 0x9303
    assert host.select() == 0x9303
    assert host.sw(host.mac_apdu(bytes.fromhex("84180000"), b"")) == 0x9000
    assert host.raw("00B2072C0B") == (CARD_NO_REC, 0x9000)
    assert host.sw(host.mac_apdu(bytes.fromhex("841E0001"), b"")) == 0x9000
    assert host.sw(host.mac_apdu(bytes.fromhex("84180000"), b"")) == 0x9303  # permanent


def test_t0_get_response(host2: Host) -> None:
    assert host2.sw("00C0000008") == 0x6985  # nothing pending
    data, sw = host2.raw(SSSE_SELECT)
    assert (data, sw) == (b"", 0x611E)
    part, sw = host2.raw("00C0000010")
    assert sw == 0x610E and len(part) == 16
    rest, sw = host2.raw("00C0000020")
    assert sw == 0x6C0E
    rest, sw = host2.raw("00C000000E")
    assert sw == 0x9000 and (part + rest)[4:19] == SSSE_AID
    # case 2 commands answer directly; the Transport hides 61xx for callers of case 4
    # (Le 00, as the station's own SELECT is built: a case 3 command never fetches)
    assert host2.raw("0084000008")[1] == 0x9000
    assert host2.send("00A404000F7378312E73682EC9E7BBE1B1A3D5CF00").data[:2] == b"\x6f\x1c"
    assert host2.send("00B2072C00").data[:2] == b"\x07\x09"


def test_pending_response_dropped_by_other_command(host2: Host) -> None:
    assert host2.raw(SSSE_SELECT)[1] == 0x611E
    host2.challenge()
    assert host2.sw("00C000001E") == 0x6985


@pytest.mark.parametrize(
    ("apdu", "sw"),
    [
        ("", 0x6700),
        ("00", 0x6700),
        ("00B207", 0x6700),
        ("00FF0000", 0x6D00),
        ("FFB2072C0B", 0x6E00),
        ("90B2072C0B", 0x6E00),
        ("04DC072C0B0709423030303030303237", 0x6882),
        ("0020000005123456", 0x6700),
        ("00A4040000000F7378312E73682EC9E7BBE1B1A3D5CF", 0x9000),  # extended Lc
    ],
)
def test_odd_input(host: Host, apdu: str, sw: int) -> None:
    assert host.sw(apdu) == sw


def test_transport_sees_the_card(host: Host) -> None:
    rsp = host.t.transmit(Command.from_hex("00B2072C00"))  # Transport fixes Le on 6Cxx
    assert rsp.ok and rsp.data == CARD_NO_REC
