"""Technicians' files that used to crash the reader (issue 14, finding 8), fed to each real
reader: deep nesting, oversized files, a 20 MB CSV field, a 144-megapixel PNG.  Each must
give the caller's typed error naming the file — never RecursionError, _csv.Error, a hang
or hundreds of MB of memory."""

from __future__ import annotations

import json
import logging
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from station.cli import main
from station.config import SettingsError, load_settings
from station.crypto.keys import KeyFileError, load_keyset
from station.emulator.cards import make_card
from station.emulator.state import CardState, CardStateError
from station.errors import StationError
from station.inventory.errors import ManifestError
from station.inventory.manifest import HEADER, parse_manifest
from station.printer.errors import BadPhoto, FaceError, LayoutError
from station.printer.face import FaceData, FaceRenderer
from station.profiles import ProfileError, load_profile
from station.textfile import MAX_DEPTH, check_nesting, csv_rows, loads_toml

REPO = Path(__file__).resolve().parents[2]
DEEP = 100_000
KEY_TEXT = """\
format = 1
alg = "sm4"
label = "real-looking"
test_only = {test_only}

[keys.IRK]
master = "000102030405060708090A0B0C0D0E0F"
"""


def deep_toml(key: str = "x") -> str:
    return f"{key} = " + "[" * DEEP + "]" * DEEP + "\n"


def deep_json() -> str:
    return "[" * DEEP + "]" * DEEP


def one_line(exc: StationError) -> str:
    text = str(exc)
    assert "\n" not in text
    return text


# -- nesting, through each real reader ---------------------------------------------------


def test_deep_profile(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text('name = "x"\n' + deep_toml("kind"))
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert "deep.toml" in one_line(info.value)
    assert "nest" in info.value.message


def test_deep_dotted_keys_are_refused_too(tmp_path: Path) -> None:
    """Dotted keys nest tables without a bracket: the parsed tree is checked as well."""
    path = tmp_path / "dotted.toml"
    path.write_text(".".join(f"k{i}" for i in range(200)) + " = 1\n")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert "dotted.toml" in info.value.message


def test_deep_key_file(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    path.write_text(KEY_TEXT.format(test_only="true") + deep_toml("label2"))
    with pytest.raises(KeyFileError) as info:
        load_keyset(path)
    assert "keys.toml" in one_line(info.value)
    assert "0001020304" not in str(info.value)  # never key material


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_deep_face_data(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"face{suffix}"
    path.write_text(deep_toml("name") if suffix == ".toml" else '{"name": ' + deep_json() + "}")
    with pytest.raises(FaceError) as info:
        FaceData.load(path)
    assert path.name in one_line(info.value)


def test_deep_face_data_through_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "face.json"
    path.write_text(deep_json())
    rc = main(["face", "render", "--data", str(path), "--out", str(tmp_path / "p.png")])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and "face.json" in err and "Traceback" not in err
    assert not (tmp_path / "p.png").exists()


def test_deep_layout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layout = tmp_path / "layout.toml"
    layout.write_text(deep_toml("face"))
    data = tmp_path / "face.json"
    data.write_text("{}")
    rc = main(["face", "render", "--data", str(data), "--layout", str(layout), "--out", "x.png"])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "layout.toml" in err


def test_deep_state_file(tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    path.write_text('{"format": 1, "records": ' + deep_json() + "}")
    with pytest.raises(CardStateError) as info:
        CardState.load(path)
    assert "card.json" in one_line(info.value)


def test_deep_overrides_stored_in_a_state_file(tmp_path: Path) -> None:
    """A state file keeps the overrides it was made with as a JSON string: that string is
    a second document inside the first and is bounded the same way."""
    path = tmp_path / "card.json"
    make_card(load_profile("gen3-sm4-issued"), state_path=path)
    doc = json.loads(path.read_text())
    doc.setdefault("extra", {})["overrides"] = deep_json()
    path.write_text(json.dumps(doc))
    with pytest.raises(ProfileError) as info:
        make_card(load_profile("gen3-sm4-issued"), state_path=path)
    assert "card.json" in one_line(info.value)


def test_deep_settings_file(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text(deep_toml("operator"))
    with pytest.raises(SettingsError) as info:
        load_settings(path, environ={})
    assert "station.toml" in one_line(info.value)


def test_real_files_are_well_inside_the_depth_bound() -> None:
    for path in [*REPO.glob("profiles/*.toml"), *REPO.glob("profiles/keys/*.toml")]:
        check_nesting(path.read_text(encoding="utf-8"), "toml", path, StationError, "", "")
    # brackets inside strings and comments are not nesting
    text = 'a = "' + "[" * 100 + '"  # ' + "{" * 100 + "\nb = '''" + "[" * 100 + "'''\n"
    assert loads_toml(text, "t.toml", StationError, "", "") == {
        "a": "[" * 100,
        "b": "[" * 100,
    }
    exact = "a = " + "[" * MAX_DEPTH + "]" * MAX_DEPTH
    assert loads_toml(exact, "t.toml", StationError, "", "")["a"]  # the bound itself passes


# -- size and file kind ------------------------------------------------------------------


def test_oversized_profile(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text("# " + "x" * (2 << 20) + "\n")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    assert "big.toml" in one_line(info.value) and "too large" in info.value.message


def test_fifo_as_a_key_file_does_not_hang(tmp_path: Path) -> None:
    path = tmp_path / "keys.toml"
    os.mkfifo(path)  # nobody will ever write: a blocking open would wait forever
    with pytest.raises(KeyFileError) as info:
        load_keyset(path)
    assert "regular file" in info.value.message


# -- CSV ---------------------------------------------------------------------------------


def test_20_mb_csv_field_in_a_manifest() -> None:
    header = ",".join(HEADER) + "\n"
    text = header + "ICBC,M01," + "A" * (20 << 20) + ",x,y,2030-01-01\n"
    with pytest.raises(ManifestError) as info:
        parse_manifest(text.encode())
    assert info.value.lines[0][0] == 2  # the line of the field, as a spreadsheet counts
    assert "longer than" in info.value.lines[0][1]


def test_long_field_below_csvs_own_limit_is_still_refused() -> None:
    with pytest.raises(Exception) as info:
        csv_rows("a,b\n" + "c," + "d" * 10_000 + "\n")
    assert type(info.value).__name__ == "CsvFieldTooLong"
    assert getattr(info.value, "line", None) == 2


def test_oversized_manifest_file_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from station.textfile import MAX_MANIFEST_BYTES

    path = tmp_path / "manifest.csv"
    with path.open("wb") as fh:
        fh.truncate(MAX_MANIFEST_BYTES + 1)  # sparse: no disk used
    from station.cli.inventory import _read_text

    with pytest.raises(StationError) as info:
        _read_text(str(path))
    assert "manifest.csv" in one_line(info.value)


# -- images ------------------------------------------------------------------------------


def huge_png(path: Path, side: int = 12_000) -> Path:
    """A valid 1-bit PNG of side × side pixels (144 megapixels at 12000) in a few KB,
    written row by row so making it costs no memory either."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    comp = zlib.compressobj(9)
    row = b"\x00" * (1 + (side + 7) // 8)
    idat = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
    return path


def face_data(tmp_path: Path, photo: Path) -> Path:
    from station.codecs.validators import card_number_check

    data = tmp_path / "face.toml"
    number = "A0000001" + card_number_check("A0000001")
    data.write_text(
        f'name = "张三"\nssn = "11010519491231002X"\ncard_number = "{number}"\n'
        f'issue_date = "2026-03-05"\nphoto = "{photo.name}"\n',
        encoding="utf-8",
    )
    return data


def test_144_megapixel_photo_is_refused_by_the_renderer(tmp_path: Path) -> None:
    photo = huge_png(tmp_path / "photo.png")
    assert photo.stat().st_size < 100_000
    with pytest.raises(BadPhoto) as info:
        FaceRenderer().render(FaceData.load(face_data(tmp_path, photo)))
    assert "12000x12000" in one_line(info.value)


def test_144_megapixel_photo_through_the_cli_uses_little_memory(tmp_path: Path) -> None:
    """Measured in a fresh process: peak RSS stays far below the 885 MB the audit saw."""
    photo = huge_png(tmp_path / "photo.png")
    data = face_data(tmp_path, photo)
    out = tmp_path / "preview.png"
    code = (
        "import re\n"
        "from pathlib import Path\n"
        "from station.cli import main\n"
        f"rc = main(['face', 'render', '--data', {str(data)!r}, '--out', {str(out)!r}])\n"
        # VmHWM: this process's own peak (ru_maxrss would include the forked pytest's)
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text())\n"
        "print(rc, int(hwm.group(1)) // 1024)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, timeout=120
    )
    rc, peak_mb = (int(v) for v in proc.stdout.split())
    assert rc == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and "12000x12000" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert peak_mb < 200, f"peak {peak_mb} MB"
    assert not out.exists()


def test_a_photo_under_the_bound_still_renders(tmp_path: Path) -> None:
    from PIL import Image

    photo = tmp_path / "photo.png"
    Image.new("RGB", (358, 441), (180, 200, 230)).save(photo)
    face = FaceRenderer().render(FaceData.load(face_data(tmp_path, photo)))
    assert face.preview.size[0] > 0


# -- key-file permissions (finding 6, on the reading side) -------------------------------


def test_real_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "real.toml"
    path.write_text(KEY_TEXT.format(test_only="false"))
    for mode in (0o644, 0o640, 0o604):
        path.chmod(mode)
        with pytest.raises(KeyFileError) as info:
            load_keyset(path)
        assert "chmod 600" in one_line(info.value) and "real.toml" in info.value.message


def test_real_key_file_0600_loads_with_a_loud_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "real.toml"
    path.write_text(KEY_TEXT.format(test_only="false"))
    path.chmod(0o600)
    with caplog.at_level(logging.WARNING, logger="station.crypto.keys"):
        ks = load_keyset(path)
    assert not ks.test_only
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    text = warnings[0].getMessage()
    assert "test_only" in text and "PSAM" in text and "正式" in text
    assert "000102" not in caplog.text


def test_real_key_file_warning_reaches_stderr_through_the_cli(tmp_path: Path) -> None:
    """The key file a profile names is loaded by ``profile check``; the warning is on
    stderr, the master key nowhere."""
    keys = tmp_path / "real.toml"
    keys.write_text(KEY_TEXT.format(test_only="false"))
    keys.chmod(0o600)
    src = (REPO / "profiles" / "psam-sm4.toml").read_text(encoding="utf-8")
    prof = tmp_path / "psam-sm4.toml"  # a profile's name is its file's
    lines = [ln for ln in src.splitlines() if not ln.startswith("key_file")]
    prof.write_text("\n".join(['key_file = "real.toml"', *lines]) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "station", "profile", "check", str(prof)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert "not marked test_only" in proc.stderr, (proc.stdout, proc.stderr)
    assert "000102" not in proc.stdout + proc.stderr


def test_shipped_test_key_files_load_at_git_modes(tmp_path: Path) -> None:
    """Git stores 0644: the repository's test_only key sets must load at that mode."""
    for src in sorted((REPO / "profiles" / "keys").glob("*.toml")):
        copy = tmp_path / src.name
        shutil.copy(src, copy)
        copy.chmod(0o644)
        assert load_keyset(copy).test_only


def test_layout_error_type(tmp_path: Path) -> None:
    # the layout reader's own error type, not a generic one
    from station.cli.printer import load_layout

    path = tmp_path / "l.toml"
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(LayoutError):
        load_layout(path)
