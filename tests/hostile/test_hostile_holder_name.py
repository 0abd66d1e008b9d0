"""Issue 14 finding 7 from the card's side: a holder name written to a card (by a hostile
issuer, or a card nobody checked) with a line break or an escape sequence would reach the
terminal and the receipt beside the station's own lines.  The card's personal-data model
(``HolderData``, through ``codecs.names.validate_name``) refuses it, so reading such a card
ends in one typed line — the name never shown, no PIN asked for."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pytest

from station.cli import main
from station.codecs.records import EF06_FIELDS, F_NAME, HolderData
from station.codecs.validators import InvalidData
from station.emulator.cards import make_card
from station.emulator.layout import EF06_PATH

PROFILE = "gen3-sm4-issued"
NAMES = {
    "forged line": "张三\n办理结果：办理成功",
    "carriage return": "张三\r办理成功",
    "escape sequence": "\x1b[2J\x1b[H办理成功",
    "delete": "张三\x7f",
}


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_holder_data_refuses_the_name(name: str) -> None:
    with pytest.raises(InvalidData) as err:
        HolderData("44030419900307123X", name, "1", "01", "440304", dt.date(1990, 3, 7))
    assert "姓名" in err.value.message
    assert name not in str(err.value) and "\x1b" not in str(err.value)


def _card_named(name: str, state: Path) -> None:
    """A virtual card of the issued profile whose EF06 name record holds ``name`` raw (GBK,
    as a card stores it): what a hostile issuer could write."""
    card = make_card(PROFILE, state_path=state)
    index = [f.tag for f in EF06_FIELDS].index(F_NAME.tag)
    card.state.records[EF06_PATH][index] = F_NAME.encode(name)
    card.save()


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
@pytest.mark.parametrize(
    "argv",
    [["card", "read"], ["card", "read", "--json"], ["pin", "verify"]],
    ids=["read", "read-json", "pin-verify"],
)
def test_reading_a_card_with_a_forged_name_is_one_typed_line(
    name: str,
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    state = tmp_path / "card.json"
    _card_named(name, state)
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("STATION_OPERATOR", "柜员01")
    monkeypatch.setenv("STATION_OUTLET", "测试网点")
    pins = io.StringIO("123456\n")
    monkeypatch.setattr(sys, "stdin", pins)
    extra = ["--pin-stdin", "--no-receipt"] if argv[0] == "pin" else []
    capsys.readouterr()
    code = main([*argv, "--virtual", PROFILE, "--state", str(state), *extra])
    out, err = capsys.readouterr()
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("错误 error: ") and "姓名" in err
    assert "办理成功" not in out + err and "\x1b" not in out + err and "\r" not in out + err
    assert out == ""
    assert pins.tell() == 0  # refused before any PIN was read, so none went to the card


def test_the_same_card_with_a_clean_name_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The control: the record written the same way with a clean name is read and shown,
    so the refusals above are the name's, not the way the card was made."""
    state = tmp_path / "card.json"
    _card_named("李四[CHUI]", state)
    capsys.readouterr()
    assert main(["card", "read", "--virtual", PROFILE, "--state", str(state)]) == 0
    assert "姓名 name: 李四[CHUI]" in capsys.readouterr().out.splitlines()
