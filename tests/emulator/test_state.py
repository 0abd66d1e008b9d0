"""A technician's card survives restarts: the state file round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from station.crypto.algorithms import pin_bcd
from station.emulator.cards import make_card
from station.emulator.state import CardState, CardStateError
from station.profiles import load_profile

from .helpers import PUK, UK, Host


def test_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    prof = load_profile("gen3-sm4-issued")
    h = Host(prof, make_card(prof, state_path=path))
    assert path.exists()  # created at once
    h.select()
    assert h.ext_auth(UK) == 0x9000
    assert h.sw("00DC072C0B0709423030303030303237") == 0x9000
    assert h.sw("00D6880004FFD8FFE0") == 0x9000
    assert h.sw("805E010007123456FF135790") == 0x9000
    assert h.verify("000000") == 0x63C5
    assert h.ext_auth(PUK, good=False) == 0x63CE
    before = h.card.snapshot()

    again = make_card(prof, state_path=path)
    assert again.snapshot() == before
    assert again.atr == h.card.atr
    h2 = Host(prof, again)
    h2.select()
    assert h2.raw("00B207280B")[0] == bytes.fromhex("0709") + b"B00000027"
    assert h2.sw("0020000000") == 0x63C5
    assert h2.verify("135790") == 0x9000
    assert again.state.key_tries[PUK] == 14
    assert again.granted == frozenset()  # rights are volatile
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "card.json"]
    assert leftovers == []  # atomic writes leave no temp files


def test_pin_stored_as_bcd_and_counters(tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    make_card("gen3-sm4-issued", state_path=path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert bytes.fromhex(doc["pin"]) == pin_bcd("123456")
    assert doc["pin_tries"] == 6 and doc["key_tries"]["04"] == 15


def test_serial_ignored_for_existing_state(tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    first = make_card("gen3-sm4-blank", state_path=path, serial=77)
    assert make_card("gen3-sm4-blank", state_path=path, serial=78).atr == first.atr


def test_overrides_persist(tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    make_card("gen3-sm4-issued", state_path=path, overrides={"options": {"t0_get_response": True}})
    card = make_card("gen3-sm4-issued", state_path=path)
    assert card.options.t0_get_response


@pytest.mark.parametrize(
    ("mutate", "needle"),
    [
        (lambda d: d.update(format=9), "format"),
        (lambda d: d.update(atr="XYZ"), "atr"),
        (lambda d: d.update(pin_tries=99), "pin_tries"),
        (lambda d: d.update(records=[]), "records"),
        (lambda d: d.update(app_blocked="maybe"), "app_blocked"),
    ],
)
def test_bad_state_files(tmp_path: Path, mutate: object, needle: str) -> None:
    path = tmp_path / "card.json"
    make_card("gen3-sm4-issued", state_path=path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    mutate(doc)  # type: ignore[operator]
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(CardStateError) as info:
        make_card("gen3-sm4-issued", state_path=path)
    assert needle in info.value.detail
    assert "123456" not in str(info.value)


def test_corrupt_json(tmp_path: Path) -> None:
    path = tmp_path / "card.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CardStateError) as info:
        CardState.load(path)
    assert "line 1" in info.value.detail


def test_unwritable_state_answers_memory_failure(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "card.json"
    prof = load_profile("gen3-sm4-issued")
    h = Host(prof, make_card(prof, state_path=path))
    h.select()
    path.unlink()
    path.parent.rmdir()
    path.parent.write_text("a file where the folder was")  # fails even for root
    assert h.verify("000000") == 0x6581
    assert h.verify("123456") == 0x6581  # the card still answers, never raises
