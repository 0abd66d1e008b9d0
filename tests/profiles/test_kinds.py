"""Card and PSAM profiles are two types; the face is the printer's one layout model; the
profiles directory comes from the settings; the room never imports the emulator."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from station.cli import main
from station.emulator.blanks import load_blank
from station.emulator.cards import make_card, make_psam
from station.printer.face import FaceLayout
from station.profiles import (
    CardProfile,
    PinInitial,
    ProfileError,
    ProfileKind,
    PsamProfile,
    load_card_profile,
    load_profile,
    load_psam_profile,
)

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "profiles"


def _copy(tmp_path: Path, base: str, name: str, edit: tuple[str, str] | None = None) -> Path:
    shutil.copytree(SHIPPED / "keys", tmp_path / "keys", dirs_exist_ok=True)
    text = (SHIPPED / f"{base}.toml").read_text(encoding="utf-8")
    text = text.replace(f'name = "{base}"', f'name = "{name}"')
    if edit is not None:
        assert edit[0] in text
        text = text.replace(edit[0], edit[1], 1)
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _line(path: Path, marker: str, last: bool = False) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [i for i, ln in enumerate(lines, 1) if marker in ln]
    return found[-1] if last else found[0]


def test_card_and_psam_profiles_are_different_types() -> None:
    card = load_profile("gen3-sm4-issued")
    psam = load_profile("psam-sm4")
    assert isinstance(card, CardProfile) and card.kind is ProfileKind.CARD
    assert isinstance(psam, PsamProfile) and psam.kind is ProfileKind.PSAM
    assert not hasattr(card, "terminal_number") and not hasattr(psam, "holder")
    assert load_card_profile("gen2-3des-issued").pin.initial is PinInitial.LAST6_SSN
    assert load_psam_profile("psam-3des").terminal_number.isdigit()


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: load_card_profile("psam-sm4"), "not a card profile"),
        (lambda: load_psam_profile("gen3-sm4-blank"), "not a PSAM profile"),
        (lambda: make_card("psam-sm4"), "not a card profile"),
        (lambda: make_psam("gen3-sm4-blank"), "not a PSAM profile"),
    ],
)
def test_the_wrong_kind_is_refused(call: object, text: str) -> None:
    with pytest.raises(ProfileError) as info:
        call()  # type: ignore[operator]
    assert text in info.value.message


def test_overrides_cannot_change_the_kind() -> None:
    with pytest.raises(ProfileError):
        load_card_profile("gen3-sm4-blank").with_overrides({"kind": "psam"})


def test_face_is_the_printers_layout_with_baselines_and_widths() -> None:
    face = load_card_profile("gen3-sm4-blank").face
    assert isinstance(face, FaceLayout)
    for tf in face.fields_by_name().values():
        assert tf.anchor == "baseline"
        assert tf.x + tf.width == pytest.approx(85.60 - 3.0)  # below the photo: to the edge
    assert face.chip_window.w == 17.0 and face.photo.x == 62.0


def test_face_line_beside_the_photo_stops_before_it(tmp_path: Path) -> None:
    path = _copy(tmp_path, "gen3-sm4-blank", "beside", ("x = 7.0\ny = 42.5", "x = 26.0\ny = 24.0"))
    face = load_card_profile(path).face
    assert face is not None
    assert face.ssn.x + face.ssn.width == pytest.approx(62.0 - 1.0)


@pytest.mark.parametrize(
    ("edit", "marker", "says"),
    [
        (('field = "issue_date"', 'field = "name"'), 'field = "name"', "placed twice"),
        (("width = 85.60", "width = 90.0"), "[face]", "ID-1"),
        (("size = 8.0", "size = 30.0"), "size = 30.0", "4..24"),
        (("x = 7.0\ny = 38.0", "x = 10.0\ny = 20.0"), "[[face.text]]", "chip window"),
    ],
)
def test_face_defects_name_their_line(
    tmp_path: Path, edit: tuple[str, str], marker: str, says: str
) -> None:
    path = _copy(tmp_path, "gen3-sm4-blank", "bad-face", edit)
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    line = _line(path, marker, last="twice" in says)
    assert f"bad-face.toml:{line}" in info.value.detail and says in info.value.detail
    assert f"第{line}行" in info.value.message


def test_face_without_a_field_is_refused_at_the_text_table(tmp_path: Path) -> None:
    text = (SHIPPED / "gen3-sm4-blank.toml").read_text(encoding="utf-8")
    last = text.rindex("[[face.text]]")
    path = _copy(tmp_path, "gen3-sm4-blank", "three-lines", (text[last:], ""))
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert "issue_date" in info.value.detail
    assert f"three-lines.toml:{_line(path, '[[face.text]]')}" in info.value.detail


def test_state_files_name_shipped_profiles_and_hold_paths_of_others(tmp_path: Path) -> None:
    assert load_profile("gen3-sm4-blank").ref == "gen3-sm4-blank"
    path = _copy(tmp_path / "city", "gen3-sm4-blank", "city-y")
    prof = load_card_profile("city-y", tmp_path / "city")
    assert prof.ref == str(path.resolve())
    state = tmp_path / "card.json"
    make_card(prof, state_path=state, serial=77)
    assert load_blank(state).atr == make_card(prof, serial=77).atr  # found without a directory


def test_cli_takes_the_profiles_dir_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _copy(tmp_path, "gen3-sm4-blank", "city-z")
    monkeypatch.setenv("STATION_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("STATION_PROFILES_DIR", str(tmp_path))
    assert main(["emulator", "list"]) == 0
    out = capsys.readouterr().out
    assert "city-z" in out and "gen3-sm4-issued" not in out
    assert main(["profile", "check", "city-z"]) == 0
    assert "city-z" in capsys.readouterr().out


def test_profiles_never_import_the_emulator_nor_read_the_environment() -> None:
    code = "import sys, station.profiles; print(sorted(m for m in sys.modules if 'emulator' in m))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    ).stdout
    assert out.strip() == "[]"
    for folder in ("profiles", "emulator"):
        for src in (REPO / "station" / folder).glob("*.py"):
            text = src.read_text(encoding="utf-8")
            assert not re.search(r"\bos\.environ|\bgetenv\(", text), src
