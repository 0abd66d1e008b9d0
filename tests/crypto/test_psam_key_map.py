"""The PSAM key map: the default is the published map of real social-security PSAMs, the
virtual PSAM and the shipped profiles carry it, the depths agree with the key files, and a
PSAM profile's ``[key_map]`` changes which PSAM key the provider asks for (seen in the P1/P2
bytes of the DELIVERY SESSION KEY commands a tracer records)."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from station.apdu import Tracer, VirtualTransport
from station.crypto import algorithms as A
from station.crypto import psam as P
from station.crypto.keys import (
    IRK,
    KEY_NAMES,
    PUK,
    RK,
    STANDARD_KEYS,
    STK,
    UK,
    load_keyset,
    parse_keyset,
)
from station.crypto.provider import CardKeyContext, PsamError, PsamKeyProvider, SoftKeyStore
from station.emulator.cards import make_psam
from station.emulator.psam import VirtualPsam, VirtualPsamError
from station.profiles import ProfileError, load_profile, parse_profile

REPO = Path(__file__).resolve().parents[2]
KEYS = REPO / "profiles" / "keys"
TERMINAL = "510100000009"
REGION = "510100"

# The published table, stated once.  card key -> (PSAM key number, key type, levels).
# PSAM key numbers and types: Sichuan reader specification (四川省社会保障卡读写机具规范 V2.0),
# appendix B key table: IRK 08 type 07, STKSSSE 09 type 08, RKSSSE 0A type 07, PUK 10
# type 08, UKSSSE 12 type 08.  Levels: public PSAM code sends BF DE 67 08 with card, city
# and province factors for IRK (3 levels) and, in a 3rd-generation personalisation,
# BF DE 48 12 <card factor> <city factor> for UK (2 levels).  STK's and PUK's depth is
# not published: the card specification's 1 level.
PUBLISHED: dict[int, tuple[int, int, int]] = {
    IRK: (0x08, 0x07, 3),
    STK: (0x09, 0x08, 1),
    RK: (0x0A, 0x07, 3),
    PUK: (0x10, 0x08, 1),
    UK: (0x12, 0x08, 2),
}


def _as_table(slots: dict[int, P.PsamSlot]) -> dict[int, tuple[int, int, int]]:
    return {k: (s.psam_key_id, s.key_type, s.levels) for k, s in slots.items()}


def _hist() -> bytes:
    return bytes(5) + secrets.token_bytes(8) + b"\x90\x00"


def _deliveries(tracer: Tracer) -> list[bytes]:
    """The headers (CLA INS P1 P2) of the DELIVERY SESSION KEY commands recorded; the
    tracer redacts the data, never the header."""
    return [
        bytes.fromhex(e.command.split()[0])
        for e in tracer.entries()
        if e.name == "DELIVERY SESSION KEY"
    ]


# -- the default is the published map -----------------------------------------------------------


def test_default_map_is_the_published_table() -> None:
    assert _as_table(dict(P.DEFAULT_KEY_MAP)) == PUBLISHED
    # the usage bytes seen in the public trace, spelled out
    assert P.DEFAULT_KEY_MAP[IRK].usage == 0x67
    assert P.DEFAULT_KEY_MAP[UK].usage == 0x48
    assert dict(P.DEFAULT_LEVELS) == {k: levels for k, (_, _, levels) in PUBLISHED.items()}


@pytest.mark.parametrize("name", ["psam-sm4", "psam-3des"])
def test_shipped_psams_hold_the_published_slots(name: str) -> None:
    prof = load_profile(name)
    assert _as_table(dict(prof.key_map)) == PUBLISHED
    assert _as_table(make_psam(prof).key_slots) == PUBLISHED


@pytest.mark.parametrize("name", ["test-sm4.toml", "test-3des.toml"])
def test_test_key_sets_have_the_published_depths(name: str) -> None:
    ks = load_keyset(KEYS / name)
    assert {k: s.levels for k, s in ks.keys.items()} == {k: v[2] for k, v in PUBLISHED.items()}
    assert _as_table(VirtualPsam(ks, TERMINAL).key_slots) == PUBLISHED


def test_standard_key_defaults_have_the_published_depths() -> None:
    assert {num: levels for num, levels in STANDARD_KEYS.values()} == {
        k: v[2] for k, v in PUBLISHED.items()
    }


@pytest.mark.parametrize("name", ["sm4", "3des"])
def test_provider_asks_for_the_published_keys(name: str) -> None:
    """Over the wire: each card key's BF DE carries the published usage and PSAM key, and
    as many 8-byte factors as its levels; the answers equal the software store's."""
    ks = load_keyset(KEYS / f"test-{name}.toml")
    tracer = Tracer()
    psam = PsamKeyProvider(VirtualTransport(VirtualPsam(ks, TERMINAL), tracer=tracer))
    soft = SoftKeyStore(ks, TERMINAL)
    ctx = CardKeyContext(ks.alg, REGION, _hist())
    r, orig = secrets.token_bytes(8), secrets.token_bytes(8)
    for key_id, (psam_key, key_type, levels) in PUBLISHED.items():
        tracer.clear()
        assert psam.external_auth_data(ctx, key_id, r, orig) == soft.external_auth_data(
            ctx, key_id, r, orig
        )
        (header,) = _deliveries(tracer)
        assert header == bytes((0xBF, 0xDE, levels << 5 | key_type, psam_key)), KEY_NAMES[key_id]
        (entry,) = [e for e in tracer.entries() if e.name == "DELIVERY SESSION KEY"]
        assert f"Lc={8 * levels + ks.alg.block:02X}" in entry.command


def test_uk_factors_are_card_then_city() -> None:
    """BF DE 48 12 <card factor> <city factor> <session factor> (the trace's order) gives
    the UK a card personalised from the same key file holds: master -> city -> card."""
    ks = load_keyset(KEYS / "test-sm4.toml")
    c = VirtualPsam(ks, TERMINAL)
    c.power_on()
    assert c.execute(bytes.fromhex("00A4040006") + P.PSAM_AID)[-2:] == b"\x90\x00"
    hist = _hist()
    card, city = A.card_factor(hist), A.city_factor(REGION)
    r = secrets.token_bytes(8)
    data = card + city + A.session_factor(ks.alg, r)
    assert c.execute(bytes.fromhex("BFDE4812") + bytes((len(data),)) + data) == b"\x90\x00"
    card_uk = A.diversify_path(ks.alg, ks.keys[UK].master, [city, card])
    sk = A.session_key(ks.alg, card_uk, r)
    block = secrets.token_bytes(16)
    out = c.execute(bytes.fromhex("80FA000010") + block + b"\x00")
    assert out == A.ecb_encrypt(ks.alg, sk, block) + b"\x90\x00"


# -- a profile overrides the map ------------------------------------------------------------------


def _psam_profile(tmp_path: Path, key_map: str, key_file: Path = KEYS / "test-sm4.toml") -> Path:
    path = tmp_path / "psam-city.toml"
    path.write_text(
        'kind = "psam"\n'
        'name = "psam-city"\n'
        'algorithm = "sm4"\n'
        f'key_file = "{key_file}"\n'
        'terminal_number = "510100000010"\n'
        "\n"
        "[key_map]\n" + key_map,
        encoding="utf-8",
    )
    return path


def test_profile_override_changes_the_map(tmp_path: Path) -> None:
    prof = load_profile(
        _psam_profile(
            tmp_path, 'UK = { psam_key = 0x13 }\nPUK = { psam_key = "11", usage = "28" }\n'
        )
    )
    assert prof.key_map[UK] == P.PsamSlot(usage=0x48, psam_key_id=0x13)  # usage kept
    assert prof.key_map[PUK] == P.PsamSlot(usage=0x28, psam_key_id=0x11)
    for key_id in (IRK, STK, RK):  # the others keep the published map
        assert prof.key_map[key_id] == P.DEFAULT_KEY_MAP[key_id]
    assert make_psam(prof).key_slots == dict(prof.key_map)


def test_override_seen_in_the_apdus(tmp_path: Path) -> None:
    prof = load_profile(_psam_profile(tmp_path, "UK = { psam_key = 0x13 }\n"))
    ks = prof.keyset()
    soft = SoftKeyStore(ks, prof.terminal_number)
    ctx = CardKeyContext(ks.alg, REGION, _hist())
    r, orig = secrets.token_bytes(8), secrets.token_bytes(8)

    tracer = Tracer()
    psam = PsamKeyProvider(VirtualTransport(make_psam(prof), tracer=tracer), key_map=prof.key_map)
    assert psam.external_auth_data(ctx, UK, r, orig) == soft.external_auth_data(ctx, UK, r, orig)
    assert _deliveries(tracer) == [bytes.fromhex("BFDE4813")]
    tracer.clear()
    psam.external_auth_data(ctx, IRK, r, orig)
    assert _deliveries(tracer) == [bytes.fromhex("BFDE6708")]

    # the default map asks this PSAM for key 12, which it does not have
    tracer.clear()
    default = PsamKeyProvider(VirtualTransport(make_psam(prof), tracer=tracer))
    with pytest.raises(PsamError) as info:
        default.external_auth_data(ctx, UK, r, orig)
    assert info.value.sw == 0x9403
    assert _deliveries(tracer) == [bytes.fromhex("BFDE4812")]


BAD_MAPS = [
    ("XK = { psam_key = 0x13 }\n", "unknown key 'XK'"),
    ("0D = { psam_key = 0x13 }\n", "no such key in the key file"),
    ("UK = 0x13\n", "must be a table"),
    ("UK = { usage = 0x48 }\n", "missing required field 'psam_key'"),
    ("UK = { psam_key = 0x13, level = 2 }\n", "unknown field 'level'"),
    ('UK = { psam_key = "zz" }\n', "psam_key must be a byte"),
    ("UK = { psam_key = 300 }\n", "psam_key must be a byte"),
    ("UK = { psam_key = 0x00 }\n", "PSAM key number must be 01..FF"),
    ("UK = { psam_key = 0x13, usage = 0x49 }\n", "key type 09"),
    ("UK = { psam_key = 0x13, usage = 0x88 }\n", "4 levels"),
    ("UK = { psam_key = 0x13, usage = 0x28 }\n", "1 levels but the key file gives 2"),
    ("UK = { psam_key = 0x08 }\n", "PSAM key 08 is mapped to card keys 00 and 04"),
]


@pytest.mark.parametrize("entry,why", BAD_MAPS)
def test_bad_key_map_is_refused_at_its_line(tmp_path: Path, entry: str, why: str) -> None:
    path = _psam_profile(tmp_path, "# comment\n" + entry)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert "psam-city.toml:9" in info.value.detail, info.value.detail  # the entry's line
    assert why in info.value.detail
    assert "第9行" in info.value.message


def test_key_map_must_be_a_table(tmp_path: Path) -> None:
    text = _psam_profile(tmp_path, "").read_text(encoding="utf-8").replace("[key_map]\n", "")
    with pytest.raises(ProfileError) as info:
        parse_profile(text + 'key_map = "UK=13"\n', tmp_path / "psam-city.toml")
    assert "psam-city.toml:7" in info.value.detail and "must be a table" in info.value.detail


def test_a_key_file_of_other_depth_is_refused(tmp_path: Path) -> None:
    """A key file personalising UK at 1 level cannot sit behind the published usage 48:
    the profile is refused at its key_file line, the bare VirtualPsam with a typed error."""
    text = (KEYS / "test-sm4.toml").read_text(encoding="utf-8")
    old = text.replace("[keys.UK]\nid = 0x04\nlevels = 2", "[keys.UK]\nid = 0x04\nlevels = 1")
    assert old != text
    key_file = tmp_path / "old-uk.toml"
    key_file.write_text(old, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(_psam_profile(tmp_path, "", key_file))
    assert "psam-city.toml:4" in info.value.detail and "key_file" in info.value.detail
    assert "2 levels but the key file gives 1" in info.value.detail
    ks = parse_keyset(old)
    with pytest.raises(VirtualPsamError) as err:
        VirtualPsam(ks, TERMINAL)
    assert "UK" in err.value.message
    # ... unless the map says so (a province whose UK is a city key)
    ok = load_profile(_psam_profile(tmp_path, "UK = { psam_key = 0x12, usage = 0x28 }\n", key_file))
    assert ok.key_map[UK] == P.PsamSlot(0x28, 0x12)
    assert VirtualPsam(ks, TERMINAL, key_map={UK: P.PsamSlot(0x28, 0x12)}).key_slots[UK].levels == 1


def test_virtual_psam_refuses_a_bad_map() -> None:
    ks = load_keyset(KEYS / "test-sm4.toml")
    with pytest.raises(VirtualPsamError):
        VirtualPsam(ks, TERMINAL, key_map={UK: P.PsamSlot(0x48, 0x08)})  # IRK's number
    with pytest.raises(VirtualPsamError):
        VirtualPsam(ks, TERMINAL, key_map={UK: P.PsamSlot(0x4C, 0x12)})  # TAC type
