"""Technician bench against real pcscd + vpcd: virtual cards served from the bench show in
the readers list as they go in and out, and the APDU console does a real round trip.

The bench serves its virtual cards on the vpcd slots itself, so these tests take the
cross-process vpcd lock (not ``vpcd_slots``, whose links would hold the same ports) and
wait until pcscd sees both readers empty again afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from station.apdu.pcsc import wait_for_card
from station.emulator.vpcd import reader_name
from station.ui.bench import Bench
from station.ui.bench.controllers.history import CommandHistory
from station.ui.bench.controllers.profiles import error_line
from station.ui.workers import UiContext

CARD = "gen3-sm4-blank"
SLOT0 = reader_name(0)
WAIT_MS = 15000


@pytest.fixture
def bench(qtbot, app_ctx: UiContext, pcscd: list[str], vpcd_lock: None) -> Iterator[Bench]:  # type: ignore[no-untyped-def]
    widget = Bench(app_ctx)
    qtbot.addWidget(widget)
    widget.show()
    try:
        yield widget
    finally:
        widget.shutdown()
        for slot in (0, 1):
            wait_for_card(reader_name(slot), 5.0, present=False)


def serve_slot0(qtbot, bench: Bench) -> None:  # type: ignore[no-untyped-def]
    box = bench.virtual_view.boxes[0]
    box.profile.setCurrentText(CARD)
    qtbot.mouseClick(box.serve, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bench.virtual_ctl.state(0).connected, timeout=WAIT_MS)
    # as a technician would: use the card once pcscd shows it (it powers it up first)
    present = bench.readers_view.tr("card present")
    qtbot.waitUntil(
        lambda: bench.readers_view.row_texts().get(SLOT0, ("", ""))[0] == present,
        timeout=WAIT_MS,
    )


def test_insert_and_remove_shown_in_readers_list(qtbot, bench: Bench) -> None:  # type: ignore[no-untyped-def]
    present = bench.readers_view.tr("card present")
    absent = bench.readers_view.tr("no card")
    qtbot.waitUntil(lambda: SLOT0 in bench.readers_view.row_texts(), timeout=WAIT_MS)
    assert bench.readers_view.row_texts()[SLOT0][0] == absent

    serve_slot0(qtbot, bench)
    qtbot.waitUntil(lambda: bench.readers_view.row_texts()[SLOT0][0] == present, timeout=WAIT_MS)
    # the ATR fills in from the poll: the served card's own ATR
    card = bench.virtual_ctl._cards[0]
    qtbot.waitUntil(
        lambda: bench.readers_view.row_texts()[SLOT0][1] == card.atr.hex(" ").upper(),
        timeout=WAIT_MS,
    )
    assert "Virtual PCD 00 00" in bench.readers_view.log.toPlainText()

    box = bench.virtual_view.boxes[0]
    qtbot.mouseClick(box.remove, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bench.readers_view.row_texts()[SLOT0][0] == absent, timeout=WAIT_MS)
    assert bench.readers_view.row_texts()[SLOT0][1] == ""
    assert not bench.virtual_ctl.state(0).connected

    qtbot.mouseClick(box.insert, Qt.MouseButton.LeftButton)  # the same card goes back in
    qtbot.waitUntil(lambda: bench.readers_view.row_texts()[SLOT0][0] == present, timeout=WAIT_MS)


def test_apdu_round_trip_select_ssse(qtbot, bench: Bench) -> None:  # type: ignore[no-untyped-def]
    serve_slot0(qtbot, bench)
    view = bench.console_view
    view.reader.setCurrentText(SLOT0)
    select = next(a for a in view.command_actions if "SSSE" in str(a.property("source_label")))
    select.trigger()
    assert view.entry.text().startswith("00A40400")
    with qtbot.waitSignal(bench.console_ctl.answered, timeout=WAIT_MS) as answered:
        qtbot.keyClick(view.entry, Qt.Key.Key_Return)
    assert answered.args == ["9000 成功 (success)"], view.result.text()
    assert view.result.text() == "9000 成功 (success)"
    trace = view.trace.toPlainText()
    assert "SELECT" in trace and "00A40400" in trace
    assert "[9000 成功 (success)]" in trace
    # the history gives the command back
    qtbot.keyClick(view.entry, Qt.Key.Key_Up)
    assert view.entry.text().startswith("00A40400")

    # an unknown file answers with its meaning, not a crash
    view.entry.setText("00A4000002 1234")
    with qtbot.waitSignal(bench.console_ctl.answered, timeout=WAIT_MS) as answered:
        qtbot.keyClick(view.entry, Qt.Key.Key_Return)
    assert answered.args[0].startswith("6A82")
    assert "文件未找到 (file not found)" in view.trace.toPlainText()


def test_console_never_shows_a_typed_pin(qtbot, bench: Bench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    serve_slot0(qtbot, bench)
    view = bench.console_view
    view.reader.setCurrentText(SLOT0)
    pin = "739146"
    view.entry.setText(f"0020000003{pin}")
    with qtbot.waitSignal(bench.console_ctl.answered, timeout=WAIT_MS):
        qtbot.keyClick(view.entry, Qt.Key.Key_Return)
    assert view.entry.text() == ""  # gone from the entry at once
    assert pin not in view.trace.toPlainText()
    assert "<3 bytes redacted>" in view.trace.toPlainText()
    assert all(pin not in item for item in bench.console_ctl.history.items)
    saved = tmp_path / "trace.txt"
    view.save_to(str(saved))
    text = saved.read_text(encoding="utf-8")
    assert "VERIFY" in text and pin not in text
    assert saved.stat().st_mode & 0o077 == 0  # private to the user


def test_console_refuses_bad_hex_in_words(qtbot, bench: Bench) -> None:  # type: ignore[no-untyped-def]
    view = bench.console_view
    view.entry.setText("00A4 0G")
    with qtbot.waitSignal(bench.console_ctl.failed, timeout=1000) as failed:
        qtbot.keyClick(view.entry, Qt.Key.Key_Return)
    assert "not hexadecimal" in failed.args[0]
    assert view.trace.toPlainText() == ""


def test_profile_checker_names_the_line(qtbot, bench: Bench, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from station.profiles import SHIPPED_DIR

    good = SHIPPED_DIR / f"{CARD}.toml"
    result = bench.profile_ctl.check(good)
    assert result.ok, result.message
    assert CARD in bench.profile_view.verdict.text()

    lines = good.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("generation"))
    lines.insert(at + 1, "colour = 3")  # an unknown field on line at + 2
    bad = tmp_path / "bad.toml"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "keys").symlink_to(SHIPPED_DIR / "keys")
    result = bench.profile_ctl.check(bad)
    assert not result.ok
    assert result.line == at + 2
    assert "colour" in result.detail
    assert bench.profile_view.tr("Line {0}: {1}").format(at + 2, result.message) == (
        bench.profile_view.verdict.text()
    )
    marked = bench.profile_view.text.extraSelections()
    assert len(marked) == 1 and marked[0].cursor.blockNumber() == at + 1


def test_error_line_forms() -> None:
    assert error_line("bad.toml:12: generation: must be 2 or 3") == 12
    assert error_line("bad.toml: Expected '=' after a key (at line 7, column 3)") == 7
    assert error_line("bad.toml: cannot read") == 0


def test_history_walks_and_bounds() -> None:
    h = CommandHistory(limit=3)
    for text in ("A", "B", "B", "C", "D"):
        h.add(text)
    assert h.items == ["B", "C", "D"]
    assert [h.previous(), h.previous(), h.previous(), h.previous()] == ["D", "C", "B", None]
    assert [h.next(), h.next(), h.next(), h.next()] == ["C", "D", "", None]
