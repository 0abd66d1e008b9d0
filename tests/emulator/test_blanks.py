"""Virtual pre-made card sets and their stock-in manifest."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from station.cli import main
from station.codecs.records import F_CARD_ID, F_CARD_NUMBER
from station.codecs.validators import validate_card_number
from station.emulator.blanks import (
    MANIFEST_HEADER,
    BlankSetError,
    load_blank,
    luhn_digit,
    make_blanks,
)
from station.emulator.layout import EF05_PATH
from station.profiles import load_profile

from .helpers import UK, Host

TODAY = dt.date(2024, 2, 29)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_make_blanks(tmp_path: Path) -> None:
    infos = make_blanks(
        "gen3-sm4-blank", 6, tmp_path, bank="工商银行", manufacturer="M01",
        first_serial=1000, today=TODAY,
    )  # fmt: skip
    manifest = tmp_path / "manifest.csv"
    header = manifest.read_text(encoding="utf-8").splitlines()[0]
    assert (
        header
        == ",".join(MANIFEST_HEADER)
        == ("bank,manufacturer,card_id_code,card_number,bank_account,expiry")
    )
    rows = _rows(manifest)
    assert len(rows) == 6 == len(infos)
    assert len({r["card_number"] for r in rows}) == 6
    assert len({r["card_id_code"] for r in rows}) == 6
    for r in rows:
        assert r["bank"] == "工商银行" and r["manufacturer"] == "M01"
        validate_card_number(r["card_number"])
        assert re.fullmatch(r"440300D156000005[0-9A-F]{16}", r["card_id_code"])
        assert re.fullmatch(r"\d{4}\*{8}\d{4}", r["bank_account"])
        assert r["expiry"] == "2034-02-28"  # 10 years from 29 Feb
    atrs = set()
    for info, r in zip(infos, rows, strict=True):
        card = load_blank(info.path)
        atrs.add(card.atr)
        ef05 = card.records(EF05_PATH)
        assert F_CARD_NUMBER.decode(ef05[6]) == r["card_number"]
        assert F_CARD_ID.decode(ef05[0]) == r["card_id_code"]
        # the serial inside the card id code is the ATR's TA..TD
        assert r["card_id_code"][16:24] == card.historical[9:13].hex().upper()
        account = card.state.extra["bank_account"]
        assert account[:4] + "********" + account[-4:] == r["bank_account"]
        assert luhn_digit(account[:-1]) == account[-1]
    assert len(atrs) == 6


def test_blank_is_a_working_card_and_keeps_writes(tmp_path: Path) -> None:
    (info,) = make_blanks("gen3-sm4-blank", 1, tmp_path, bank="B", manufacturer="M")
    card = load_blank(info.path)
    h = Host(load_profile("gen3-sm4-blank"), card)  # keys follow the blank's own ATR
    h.select()
    assert h.ext_auth(UK) == 0x9000
    ssn = b"44030419900307123X"
    assert h.sw(bytes.fromhex("00DC013414") + b"\x08\x12" + ssn) == 0x9000
    again = load_blank(info.path)  # the hopper picks it up later: the write is there
    assert again.records("MF/SSSE/EF06")[0] == b"\x08\x12" + ssn


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    make_blanks("gen3-sm4-blank", 2, tmp_path, bank="B", manufacturer="M", first_serial=5)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(BlankSetError):
        make_blanks("gen3-sm4-blank", 2, tmp_path, bank="B", manufacturer="M", first_serial=9)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(BlankSetError):
        make_blanks("gen3-sm4-blank", 0, tmp_path)
    with pytest.raises(BlankSetError):
        make_blanks("gen3-sm4-blank", 3, tmp_path, first_serial=9_999_999)


def test_cli_make_blanks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "set"
    code = main(["emulator", "make-blanks", "--profile", "gen3-sm4-blank", "--count", "3",
                 "--out", str(out), "--bank", "建设银行", "--manufacturer", "M02"])  # fmt: skip
    assert code == 0
    assert "3" in capsys.readouterr().out
    rows = _rows(out / "manifest.csv")
    assert [r["bank"] for r in rows] == ["建设银行"] * 3
    assert len(list(out.glob("blank-*.json"))) == 3


def test_cli_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["emulator", "list"]) == 0
    out = capsys.readouterr().out
    assert "gen3-sm4-issued" in out and "psam-sm4" in out


def test_inventory_accepts_the_manifest(tmp_path: Path) -> None:
    """The stock-in side reads our manifest as it is (the format is a contract)."""
    from station.inventory.manifest import parse_manifest

    make_blanks("gen3-sm4-blank", 4, tmp_path, bank="B", manufacturer="M", today=TODAY)
    cards = parse_manifest((tmp_path / "manifest.csv").read_bytes(), today=TODAY)
    assert len(cards) == 4
