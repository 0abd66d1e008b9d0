"""``station printer …`` and ``station face render`` end to end (real sockets, a real
simulator subprocess for ``simulate``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from station.cli import main
from station.printer.simulator import Fault, PrinterSimulator

from .printer_helpers import make_sim
from .test_face import CARD_NO, make_glyph, make_photo


@pytest.fixture
def tcp_sim(tmp_path: Path) -> Iterator[PrinterSimulator]:
    sim = make_sim(tmp_path)
    sim.serve_tcp()
    yield sim
    sim.stop()


def face_file(tmp_path: Path, **changes: str) -> Path:
    make_photo(tmp_path / "photo.jpg")
    make_glyph(tmp_path / "yan.png")
    data = {
        "name": "刘[YAN]",
        "ssn": "11010519491231002X",
        "card_number": CARD_NO,
        "issue_date": "2026-03-05",
        "photo": "photo.jpg",
        "glyphs": {"YAN": "yan.png"},
        **changes,
    }
    path = tmp_path / "face.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_face_render(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out" / "face.png"
    code = main(
        [
            "face",
            "render",
            "--data",
            str(face_file(tmp_path)),
            "--out",
            str(out),
            "--panels",
            str(tmp_path / "panels"),
        ]
    )
    assert code == 0
    assert Image.open(out).size == (1056, 688)
    assert Image.open(tmp_path / "panels" / "k.png").mode == "1"
    assert "preview" in capsys.readouterr().out


def test_face_render_refuses_unknown_layout_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = tmp_path / "profile.toml"
    layout.write_text("[face.photo]\nx = 62.0\nwidth = 20\n", encoding="utf-8")
    code = main(
        [
            "face",
            "render",
            "--data",
            str(face_file(tmp_path)),
            "--out",
            str(tmp_path / "f.png"),
            "--layout",
            str(layout),
        ]
    )
    assert code == 2
    assert "未知字段" in capsys.readouterr().err
    assert not (tmp_path / "f.png").exists()


def test_status_and_moves(tcp_sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["printer", "status", "--url", tcp_sim.url, "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["ready"] is True and status["position"] == "none"
    assert main(["printer", "move", "--url", tcp_sim.url, "contacts"]) == 0
    assert "contact" in capsys.readouterr().out
    assert main(["printer", "move", "--url", tcp_sim.url, "reject", "--trace"]) == 0
    out = capsys.readouterr().out
    assert "none" in out and "> Ser" in out
    assert len(tcp_sim.reject_box) == 1


def test_fault_command(tcp_sim: PrinterSimulator, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["printer", "fault", "--url", tcp_sim.url, "cover-open"]) == 0
    assert tcp_sim.cover_open
    assert main(["printer", "move", "--url", tcp_sim.url, "feed"]) == 2
    assert "上盖" in capsys.readouterr().err
    assert main(["printer", "fault", "--url", tcp_sim.url, "jam", "--at", "2"]) == 0
    assert tcp_sim.faults[Fault.JAM] == 2
    assert main(["printer", "fault", "--url", tcp_sim.url, "clear"]) == 0
    assert not tcp_sim.cover_open and not tcp_sim.faults


def test_print_command_and_bad_input_refused_before_feeding(
    tcp_sim: PrinterSimulator, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "junk.jpg").write_text("not an image")
    bad_photo = face_file(tmp_path, photo="junk.jpg")
    assert main(["printer", "print", "--url", tcp_sim.url, "--data", str(bad_photo)]) == 2
    assert "照片" in capsys.readouterr().err
    too_long = face_file(tmp_path, name="欧阳" * 14)
    assert main(["printer", "print", "--url", tcp_sim.url, "--data", str(too_long)]) == 2
    assert tcp_sim.commands == 0  # the printer was never even spoken to
    assert len(tcp_sim.hopper) == 3
    good = face_file(tmp_path)
    assert main(["printer", "print", "--url", tcp_sim.url, "--data", str(good), "--eject"]) == 0
    assert tcp_sim.cards[0].printed and tcp_sim.bezel is tcp_sim.cards[0]
    assert tcp_sim.out_dir is not None and (tcp_sim.out_dir / "card-0001.png").is_file()


def test_simulate_subprocess_on_a_pty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "station",
            "printer",
            "simulate",
            "--pty",
            "--no-vpcd",
            "--time-scale",
            "0",
            "--blanks",
            "2",
            "--out",
            str(tmp_path / "out"),
            "--for",
            "60",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        proc.stdout.readline()  # banner
        url = proc.stdout.readline().strip()
        assert url.startswith("/dev/pts/")
        assert main(["printer", "status", "--url", url, "--json"]) == 0
        status = json.loads(capsys.readouterr().out)
        assert status["feeder_loaded"] and status["ribbon_left"] == 250
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
    assert proc.returncode == 0
