"""Key files, key sets and card-key derivation."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.crypto.algorithms import Alg, diversify_path
from station.crypto.keys import (
    IRK,
    PUK,
    RK,
    STK,
    UK,
    KeyDerivationError,
    KeyFileError,
    KeyNotFound,
    KeySpec,
    card_factors,
    derive_card_key,
    load_keyset,
    parse_keyset,
)
from station.errors import StationError

KEYS = Path(__file__).resolve().parents[2] / "profiles" / "keys"
HIST = bytes.fromhex("0000000000") + bytes.fromhex("1122334455667788") + b"\x90\x00"
REGION = "650100"

GOOD = """\
format = 1
alg = "sm4"
label = "unit"
test_only = true

[keys.IRK]
id = 0x00
levels = 3
version = 2
master = "000102030405060708090A0B0C0D0E0F"

[keys.STK]
master = "101112131415161718191A1B1C1D1E1F"
"""

SECRET = "000102030405060708090A0B0C0D0E0F"


@pytest.mark.parametrize("name,alg", [("test-sm4.toml", Alg.SM4), ("test-3des.toml", Alg.DES3)])
def test_committed_test_key_files(name: str, alg: Alg) -> None:
    ks = load_keyset(KEYS / name)
    assert ks.alg is alg
    assert ks.test_only
    assert sorted(ks.keys) == [IRK, STK, UK, PUK, RK]
    # UK 2 levels: the PSAM key map of real PSAMs (usage 48), see test_psam_key_map.py
    assert [ks.keys[k].levels for k in (IRK, STK, UK, PUK, RK)] == [3, 1, 2, 1, 3]
    masters = {spec.master for spec in ks.keys.values()}
    assert len(masters) == 5  # all different
    assert "TEST" in (KEYS / name).read_text(encoding="utf-8").splitlines()[0]


def test_the_two_test_files_do_not_share_keys() -> None:
    a = load_keyset(KEYS / "test-sm4.toml")
    b = load_keyset(KEYS / "test-3des.toml")
    assert not {s.master for s in a.keys.values()} & {s.master for s in b.keys.values()}


def test_parse_defaults_for_standard_names() -> None:
    ks = parse_keyset(GOOD)
    assert ks.keys[IRK] == KeySpec(IRK, "IRK", 3, 2, bytes(range(16)))
    stk = ks.keys[STK]
    assert (stk.key_id, stk.levels, stk.version) == (STK, 1, 1)
    assert ks.label == "unit"


def test_reprs_never_show_masters() -> None:
    ks = parse_keyset(GOOD)
    for text in (repr(ks), str(ks), repr(ks.keys[IRK]), repr(ks.keys)):
        assert SECRET.lower() not in text.lower()
        assert "000102" not in text
    assert "IRK" in repr(ks)


def _error(text: str) -> KeyFileError:
    with pytest.raises(KeyFileError) as info:
        parse_keyset(text, "k.toml")
    assert isinstance(info.value, StationError)
    return info.value


def test_syntax_error_names_the_line() -> None:
    err = _error(GOOD.replace("levels = 3", "levels = = 3"))
    assert "line 8" in err.detail


def test_schema_errors_name_the_line() -> None:
    err = _error(GOOD.replace("levels = 3", 'levels = "three"'))
    assert "k.toml:8" in err.detail and "levels" in err.detail
    err = _error(GOOD.replace("id = 0x00", "id = 0x04"))
    assert "k.toml:7" in err.detail
    err = _error(GOOD.replace('alg = "sm4"', 'alg = "aes"'))
    assert "k.toml:2" in err.detail
    err = _error(GOOD.replace("version = 2", "version = 2\ncolour = 1"))
    assert "k.toml:10" in err.detail and "colour" in err.detail
    err = _error(GOOD.replace("levels = 3", "levels = 4"))
    assert "k.toml:6" in err.detail  # the table's header line


def test_bad_master_is_described_not_quoted() -> None:
    bad = "000102030405060708090A0B0C0D0E0G"
    err = _error(GOOD.replace(SECRET, bad))
    assert "k.toml:10" in err.detail
    assert bad not in str(err) and bad not in err.detail and "0001020304" not in err.message
    short = SECRET[:30]
    err = _error(GOOD.replace(SECRET, short))
    assert short not in str(err)


def test_3des_master_halves_must_differ() -> None:
    text = GOOD.replace('"sm4"', '"3des"').replace(SECRET, "0123456789ABCDEF" * 2)
    err = _error(text)
    assert "k.toml:10" in err.detail


def test_duplicate_and_missing() -> None:
    err = _error(GOOD + '\n[keys.EXTRA]\nid = 0x00\nlevels = 1\nmaster = "' + "11" * 16 + '"\n')
    assert "twice" in err.detail
    err = _error(GOOD + '\n[keys.EXTRA]\nlevels = 1\nmaster = "' + "11" * 16 + '"\n')
    assert "missing 'id'" in err.detail
    err = _error('format = 1\nalg = "sm4"\n')
    assert "no [keys" in err.detail


def test_load_errors(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError) as info:
        load_keyset(tmp_path / "absent.toml")
    assert "absent.toml" in info.value.message
    p = tmp_path / "gbk.toml"
    p.write_bytes("# 测试\n".encode("gbk"))
    with pytest.raises(KeyFileError):
        load_keyset(p)


def test_card_factors_order() -> None:
    ks = parse_keyset(GOOD)
    f3 = card_factors(ks.keys[IRK], REGION, HIST)
    assert f3 == [
        bytes.fromhex("3635303030307368"),
        bytes.fromhex("3635303130307378"),
        bytes.fromhex("1122334455667788"),
    ]
    assert card_factors(ks.keys[STK], REGION, HIST) == [bytes.fromhex("1122334455667788")]
    with pytest.raises(KeyDerivationError):
        card_factors(ks.keys[IRK], "65A100", HIST)
    with pytest.raises(KeyDerivationError):
        card_factors(ks.keys[STK], REGION, HIST[:10])


def test_derive_card_key() -> None:
    ks = parse_keyset(GOOD)
    irk = derive_card_key(ks, IRK, REGION, HIST)
    assert irk == diversify_path(
        Alg.SM4, ks.keys[IRK].master, card_factors(ks.keys[IRK], REGION, HIST)
    )
    assert len(irk) == 16
    # another card (different T6..TD) or region gets a different key
    other = HIST[:5] + bytes(8) + HIST[13:]
    assert derive_card_key(ks, IRK, REGION, other) != irk
    assert derive_card_key(ks, IRK, "650200", HIST) != irk
    # a city key ignores the region
    assert derive_card_key(ks, STK, REGION, HIST) == derive_card_key(ks, STK, "110000", HIST)
    with pytest.raises(KeyNotFound):
        derive_card_key(ks, UK, REGION, HIST)


def test_derive_card_key_used_only_by_the_emulator() -> None:
    """Station code must ask a provider; only virtual-card personalisation may derive keys."""
    root = Path(__file__).resolve().parents[2] / "station"
    users = sorted(
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if "derive_card_key" in p.read_text(encoding="utf-8")
    )
    allowed = [u for u in users if u.startswith("emulator/") or u == "crypto/keys.py"]
    assert users == allowed, f"derive_card_key used outside the emulator: {users}"


def test_every_key_file_in_the_repository_is_test_only() -> None:
    files = sorted(KEYS.glob("*.toml"))
    assert files
    for path in files:
        ks = load_keyset(path)
        assert ks.test_only, f"{path.name} is not marked test_only"
        assert "TEST" in ks.label.upper()
