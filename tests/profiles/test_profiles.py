"""Profiles: the shipped ones load and are consistent; broken ones are refused with the
file and line of the defect.  (Moved from tests/emulator with station.profiles.)"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from station.cli import main
from station.codecs.validators import validate_card_number, validate_citizen_id
from station.config import load_settings
from station.crypto.algorithms import Alg
from station.emulator.cards import make_card, make_psam
from station.printer.face import FaceLayout
from station.profiles import FACE_FIELDS, ProfileError, list_profiles, load_profile, profiles_dir

REPO_PROFILES = Path(__file__).resolve().parents[2] / "profiles"
SHIPPED = ["gen2-3des-issued", "gen3-sm4-blank", "gen3-sm4-issued", "psam-3des", "psam-sm4"]


def test_shipped_profiles_listed() -> None:
    assert profiles_dir().resolve() == REPO_PROFILES
    assert set(SHIPPED) <= set(list_profiles())


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_profiles_load(name: str) -> None:
    p = load_profile(name)
    assert p.name == name
    if p.kind == "card":
        card = make_card(p)
        assert card.atr == p.atr
        assert len(p.historical) == 13
        assert p.face is not None or name.startswith("gen2")
    else:
        psam = make_psam(p)
        assert psam.atr
        assert p.alg is psam.alg


def test_issued_holders_are_valid() -> None:
    for name in ("gen3-sm4-issued", "gen2-3des-issued"):
        p = load_profile(name)
        assert p.holder is not None
        assert validate_citizen_id(p.holder.ssn) == p.holder.ssn
        validate_card_number(p.issuer["card_number"])
    assert load_profile("gen3-sm4-issued").generation == 3
    assert load_profile("gen2-3des-issued").alg is Alg.DES3


def test_face_layout_shape() -> None:
    face = load_profile("gen3-sm4-blank").face
    assert isinstance(face, FaceLayout)  # the printer's one face layout model
    assert set(face.fields_by_name()) == set(FACE_FIELDS)
    assert not face.photo.overlaps(face.chip_window)
    for tf in face.fields_by_name().values():  # every line fits the ID-1 card
        assert tf.x + tf.width <= 85.6 and tf.top_mm() >= 0 and tf.y <= 53.98


def test_profiles_dir_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO_PROFILES / "keys", tmp_path / "keys")
    text = (REPO_PROFILES / "gen3-sm4-blank.toml").read_text(encoding="utf-8")
    (tmp_path / "city-x.toml").write_text(
        text.replace('name = "gen3-sm4-blank"', 'name = "city-x"'), encoding="utf-8"
    )
    monkeypatch.setenv("STATION_PROFILES_DIR", str(tmp_path))
    directory = load_settings(tmp_path / "absent.toml").profiles_dir  # read by config only
    assert list_profiles(directory) == ["city-x"]
    assert load_profile("city-x", directory).name == "city-x"
    with pytest.raises(ProfileError) as info:
        load_profile("gen3-sm4-blank", directory)
    assert "city-x" in info.value.detail  # says what is available


def _line_of(text: str, marker: str) -> int:
    for no, line in enumerate(text.splitlines(), start=1):
        if marker in line:
            return no
    raise AssertionError(marker)


def _sub(old: str, new: str) -> Callable[[str], str]:
    def f(text: str) -> str:
        assert old in text
        return text.replace(old, new, 1)

    return f


# (id, base profile, mutation, marker of the line the error must name)
BROKEN: list[tuple[str, str, Callable[[str], str], str]] = [
    ("bad-hex-atr", "gen3-sm4-blank",
     _sub('atr = "3B6D0000 00814A4446', 'atr = "3B6D00ZZ 00814A4446'), "atr = "),
    ("short-atr", "gen3-sm4-blank",
     _sub('atr = "3B6D0000 00814A4446 8660 4403 00000001"', 'atr = "3B6500008146"'), "atr = "),
    ("unknown-key", "gen3-sm4-blank",
     _sub("[pin]", "[key_versions]\nUK = 1\nXK = 2\n\n[pin]"), "XK = 2"),
    ("key-not-in-file", "gen3-sm4-blank",
     _sub("[pin]", "[key_versions]\n0x0D = 1\n\n[pin]"), "0x0D = 1"),
    ("missing-key-file", "gen3-sm4-blank",
     _sub('key_file = "keys/test-sm4.toml"', 'key_file = "keys/nope.toml"'), "key_file"),
    ("wrong-alg-key-file", "gen3-sm4-blank",
     _sub('key_file = "keys/test-sm4.toml"', 'key_file = "keys/test-3des.toml"'), "key_file"),
    ("unknown-field", "gen3-sm4-blank", _sub("region = ", 'colour = "red"\nregion = '), "colour"),
    ("toml-syntax", "gen3-sm4-blank", _sub('region = "440300"', 'region = "440300'), "region = "),
    ("gen3-3des", "gen3-sm4-blank", _sub('algorithm = "sm4"', 'algorithm = "3des"'), "algorithm"),
    ("bad-region", "gen3-sm4-blank", _sub('region = "440300"', 'region = "4403"'), "region = "),
    ("bad-ssn", "gen3-sm4-issued",
     _sub('ssn = "44030419900307123X"', 'ssn = "440304199003071231"'), "ssn = "),
    ("bad-sex", "gen3-sm4-issued", _sub('sex = "1"', 'sex = "5"'), "sex = "),
    ("bad-card-number", "gen3-sm4-issued",
     _sub('card_number = "A00000011"', 'card_number = "A00000012"'), 'card_number = "'),
    ("face-unknown-field", "gen3-sm4-blank",
     _sub('field = "ssn"', 'field = "salary"'), 'field = "salary"'),
    ("face-overlap", "gen3-sm4-blank",
     _sub("photo = { x = 62.0", "photo = { x = 8.0"), "photo = "),
    ("pin-not-digits", "gen3-sm4-blank", _sub('value = "123456"', 'value = "12ab56"'), "value = "),
    ("pin-tries", "gen3-sm4-blank", _sub("tries = 6", "tries = 0"), "tries = "),
    ("access-rule", "gen3-sm4-blank",
     _sub("[pin]", '[files.EF08]\nread = "KK"\n\n[pin]'), 'read = "KK"'),
    ("file-layout-fixed", "gen3-sm4-blank",
     _sub("[pin]", "[files.EF05]\nsfi = 9\n\n[pin]"), "sfi = 9"),
    ("factory-item", "gen3-sm4-blank",
     _sub('"init_org", "card_number"]', '"init_org", "photo"]'), "factory_items"),
    ("name-vs-file", "gen3-sm4-blank",
     _sub('name = "gen3-sm4-blank"', 'name = "other"'), 'name = "other"'),
    ("bad-date", "gen3-sm4-issued", _sub("expiry = 2034-05-01", 'expiry = "soon"'), "expiry = "),
]  # fmt: skip


@pytest.mark.parametrize(
    ("base", "mutate", "marker"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_profile_names_the_line(
    tmp_path: Path, base: str, mutate: Callable[[str], str], marker: str
) -> None:
    shutil.copytree(REPO_PROFILES / "keys", tmp_path / "keys")
    text = mutate((REPO_PROFILES / f"{base}.toml").read_text(encoding="utf-8"))
    path = tmp_path / f"{base}.toml"
    path.write_text(text, encoding="utf-8")
    line = _line_of(text, marker)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    err = info.value
    assert f"{path.name}:{line}" in err.detail or f"line {line}" in err.detail, err.detail
    assert f"第{line}行" in err.message
    assert "123456" not in str(err) and "12ab56" not in str(err)  # never echo a PIN


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profile", "check", str(REPO_PROFILES / "gen3-sm4-issued.toml")]) == 0
    assert "gen3-sm4-issued" in capsys.readouterr().out
    shutil.copytree(REPO_PROFILES / "keys", tmp_path / "keys")
    text = (REPO_PROFILES / "gen3-sm4-blank.toml").read_text(encoding="utf-8")
    bad = tmp_path / "gen3-sm4-blank.toml"
    bad.write_text(text.replace("tries = 6", "tries = 99"), encoding="utf-8")
    assert main(["profile", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"gen3-sm4-blank.toml:{_line_of(text, 'tries = 6')}" in err


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as info:
        load_profile(tmp_path / "absent.toml")
    assert "absent.toml" in info.value.detail


def test_overrides_are_validated() -> None:
    p = load_profile("gen3-sm4-blank")
    assert p.with_overrides({"options": {"t0_get_response": True}}).t0_get_response
    with pytest.raises(ProfileError):
        p.with_overrides({"pin": {"tries": 40}})
    assert make_card(p, overrides={"pin": {"value": "987654"}}).state.pin == bytes.fromhex("987654")


def test_custom_file(tmp_path: Path) -> None:
    shutil.copytree(REPO_PROFILES / "keys", tmp_path / "keys")
    text = (REPO_PROFILES / "gen3-sm4-blank.toml").read_text(encoding="utf-8")
    text = text.replace(
        "[pin]",
        '[files.EF0D]\nsfi = 13\nstructure = "records"\nrecords = [[0xEA, 12], [0xEB, 3]]\n'
        'read = "free"\nwrite = "0D"\n\n[files.EF06]\nread = "free"\n\n[pin]',
    )
    path = tmp_path / "gen3-sm4-blank.toml"
    path.write_text(text, encoding="utf-8")
    card = make_card(load_profile(path))
    card.execute(bytes.fromhex("00A404000F7378312E73682EC9E7BBE1B1A3D5CF"))
    out = card.execute(bytes.fromhex("00B2016C0E"))
    assert out == bytes.fromhex("EA0C") + b"\xff" * 12 + b"\x90\x00"
    assert card.execute(bytes.fromhex("00B2013414"))[-2:] == b"\x90\x00"  # EF06 made free
