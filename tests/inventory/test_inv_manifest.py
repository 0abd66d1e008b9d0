"""Manifests are taken whole or refused whole, with a line-numbered report."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from station.inventory import Inventory, ManifestError
from station.inventory.manifest import HEADER, format_manifest, parse_manifest
from station.inventory.samples import sample_cards, sample_manifest

from .conftest import ledger_len

TODAY = dt.date(2030, 3, 10)


def _lines(exc: ManifestError) -> dict[int, str]:
    out: dict[int, str] = {}
    for n, p in exc.lines:
        out[n] = out.get(n, "") + p
    return out


def test_good_manifest_parses() -> None:
    cards = parse_manifest(sample_manifest(5), today=TODAY)
    assert [c.line for c in cards] == [2, 3, 4, 5, 6]
    assert all(len(c.card_id_code) == 32 for c in cards)


def test_header_must_match_exactly() -> None:
    text = sample_manifest(2).replace("card_number", "cardno", 1)
    with pytest.raises(ManifestError) as ei:
        parse_manifest(text, today=TODAY)
    assert ei.value.lines[0][0] == 1
    assert ",".join(HEADER) in ei.value.lines[0][1]


def test_every_problem_is_reported_with_its_line() -> None:
    cards = sample_cards(6)
    bad_check = cards[1].card_number[:8] + ("0" if cards[1].card_number[8] != "0" else "1")
    rows = [
        cards[0],
        dataclasses.replace(cards[1], card_number=bad_check),  # line 3: check character
        dataclasses.replace(cards[2], card_number=cards[0].card_number),  # line 4: duplicate
        dataclasses.replace(cards[3], bank="CCB"),  # line 5: foreign bank
        dataclasses.replace(cards[4], bank_account="6222021234567890123"),  # line 6: unmasked
        dataclasses.replace(cards[5], card_id_code="XYZ"),  # line 7: not 32 hex
    ]
    with pytest.raises(ManifestError) as ei:
        parse_manifest(format_manifest(rows), today=TODAY)
    by_line = _lines(ei.value)
    assert set(by_line) == {3, 4, 5, 6, 7}
    assert "校验位" in by_line[3]
    assert "duplicate card number" in by_line[4] and "line 2" in by_line[4]
    assert "foreign bank" in by_line[5]
    assert "masked" in by_line[6]
    assert "32 hex" in by_line[7]
    assert "line 3:" in ei.value.report() and "line 7:" in ei.value.report()


def test_batch_never_mixes_manufacturers_and_options_set_the_batch() -> None:
    cards = sample_cards(2)
    rows = [cards[0], dataclasses.replace(cards[1], manufacturer="M02")]
    with pytest.raises(ManifestError) as ei:
        parse_manifest(format_manifest(rows), today=TODAY)
    assert [n for n, _ in ei.value.lines] == [3]
    with pytest.raises(ManifestError) as ei:
        parse_manifest(sample_manifest(2), bank="CCB", today=TODAY)
    assert [n for n, _ in ei.value.lines] == [2, 3]


def test_expired_and_bad_dates_are_refused() -> None:
    cards = sample_cards(2)
    rows = [
        dataclasses.replace(cards[0], expiry=TODAY - dt.timedelta(days=1)),
        cards[1],
    ]
    text = format_manifest(rows).replace(cards[1].expiry.isoformat(), "2031/01/01")
    with pytest.raises(ManifestError) as ei:
        parse_manifest(text, today=TODAY)
    assert [n for n, _ in ei.value.lines] == [2, 3]


def test_not_utf8_is_refused() -> None:
    with pytest.raises(ManifestError):
        parse_manifest(sample_manifest(1).encode() + b"\xff\xfe", today=TODAY)


def test_refused_manifest_imports_nothing(stocked: Inventory) -> None:
    before_rows = ledger_len(stocked)
    before = len(stocked.blanks())
    cards = sample_cards(4, prefix="C3")
    rows = [*cards[:3], dataclasses.replace(cards[3], card_number=cards[0].card_number)]
    with pytest.raises(ManifestError) as ei:
        stocked.stock_in(format_manifest(rows), by="sup")
    assert [n for n, _ in ei.value.lines] == [5]
    assert len(stocked.blanks()) == before
    assert ledger_len(stocked) == before_rows


def test_cards_already_in_stock_are_refused_by_line(stocked: Inventory) -> None:
    before = len(stocked.blanks())
    old = sample_cards(20, prefix="A1")  # what `stocked` put in
    new = sample_cards(3, prefix="C3")
    with pytest.raises(ManifestError) as ei:
        stocked.stock_in(format_manifest([new[0], old[7], new[1]]), by="sup")
    assert {n for n, _ in ei.value.lines} == {3}
    assert len(stocked.blanks()) == before


def test_unknown_bank_in_database_is_refused(inv: Inventory) -> None:
    with pytest.raises(ManifestError) as ei:
        inv.stock_in(sample_manifest(3, bank="BOC"), by="sup")
    assert "unknown bank" in ei.value.report()
    assert inv.blanks() == []


def test_stock_in_books_every_card_in_the_vault(inv: Inventory) -> None:
    r = inv.stock_in(sample_manifest(7, prefix="Z9"), by="sup")
    assert (r.count, r.bank, r.manufacturer) == (7, "ICBC", "M01")
    blanks = inv.blanks(location="VAULT")
    assert len(blanks) == 7 and {b.state.value for b in blanks} == {"IN_VAULT"}
    assert all("*" in b.bank_account for b in blanks)
    assert ledger_len(inv) == 7
