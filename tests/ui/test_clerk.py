"""Issue 12 acceptance, clerk: a PIN reset with receipt, a change, six wrong PINs then
unlock; the event loop never blocked > 100 ms; no PIN digit left anywhere afterwards.
Real widgets (offscreen), real pcscd + vpcd, the PSAM over PC/SC."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QWidget

from station.card.audit import Operation
from tests.ui.clerk_rig import NEW_PIN, NEW_PIN_2, WAIT_MS, WRONG_PIN, Rig, Watchdog, make_rig

pytestmark = pytest.mark.pcsc

PINS = ("123456", NEW_PIN, NEW_PIN_2, WRONG_PIN)


@pytest.fixture
def rig(qtbot: Any, app_ctx: Any, vpcd_slots: Any, caplog: Any) -> Iterator[Rig]:
    caplog.set_level(logging.DEBUG)
    yield from make_rig(qtbot, app_ctx, vpcd_slots)


def reset(rig: Rig, pin: str) -> Any:
    v = rig.view
    v.tabs.setCurrentWidget(v.reset_page)
    v.reset_id.setChecked(True)
    rig.qtbot.keyClicks(v.reset_new, pin)
    rig.qtbot.keyClicks(v.reset_again, pin)
    return rig.serve(v.reset_button.click)


def change(rig: Rig, old: str, new: str) -> Any:
    v = rig.view
    v.tabs.setCurrentWidget(v.change_page)
    rig.qtbot.keyClicks(v.old_pin, old)
    rig.qtbot.keyClicks(v.new_pin, new)
    rig.qtbot.keyClicks(v.new_again, new)
    return rig.serve(v.change_button.click)


def visible_texts(root: QWidget) -> list[str]:
    out = [root.windowTitle()]
    for w in root.findChildren(QWidget):
        if isinstance(w, QLineEdit | QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QPlainTextEdit):
            out.append(w.toPlainText())
    return out


def assert_no_pin(rig: Rig, caplog: Any, tmp_path: Path) -> None:
    """No PIN digits in the log, the trace, any widget, the clipboard or a file we wrote."""
    haystacks = {
        "log": caplog.text,
        "trace": rig.ctx.workers.tracer.text(),
        "widgets": "\n".join(visible_texts(rig.view)),
        "clipboard": QGuiApplication.clipboard().text(),
    }
    for f in tmp_path.rglob("*"):
        if f.is_file() and f.suffix != ".pdf":
            haystacks[str(f)] = f.read_text(errors="replace")
    for name, text in haystacks.items():
        for pin in PINS:
            assert pin not in text, f"a PIN is in the {name}"
    for field in rig.view.findChildren(QLineEdit):
        if field.property("pin"):
            assert field.text() == ""


def test_reset_with_receipt_then_change(rig: Rig, caplog: Any, tmp_path: Path) -> None:
    rig.insert()
    card = rig.view.controller.card
    assert card is not None and card.genuine and card.tries_left == 6
    assert "*" in card.masked_ssn and rig.view.values["ssn"].text() == card.masked_ssn
    assert rig.view.values["genuine"].text()  # shown in words

    receipt = reset(rig, NEW_PIN)
    assert receipt.success and receipt.operation is Operation.PIN_RESET
    assert receipt.operator == "clerk1" and receipt.outlet == "测试网点"
    assert rig.view.preview.toPlainText() == receipt.text()
    # print (QPrinter to a PDF file) and the reportlab PDF
    printed = tmp_path / "printed.pdf"
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    rig.view.print_to(printer)
    assert printed.read_bytes().startswith(b"%PDF")
    pdf = tmp_path / "receipt.pdf"
    rig.view.controller.save_pdf(receipt, pdf)
    assert pdf.read_bytes().startswith(b"%PDF") and (pdf.stat().st_mode & 0o077) == 0
    assert_no_pin(rig, caplog, tmp_path)

    receipt = change(rig, NEW_PIN, NEW_PIN_2)
    assert receipt.success and receipt.operation is Operation.PIN_CHANGE
    assert rig.view.day.rowCount() == 2  # the services of the day
    assert_no_pin(rig, caplog, tmp_path)


def test_six_wrong_pins_then_unlock(rig: Rig, caplog: Any, tmp_path: Path) -> None:
    rig.insert()
    for n in range(6):
        receipt = change(rig, WRONG_PIN, NEW_PIN)
        assert not receipt.success
        card = rig.view.controller.card
        assert card is not None and card.tries_left == 5 - n
        if card.tries_left <= 2 and not card.blocked:
            assert "2" in rig.view.values["tries"].text() or "1" in rig.view.values["tries"].text()
            assert rig.view.values["tries"].styleSheet()  # shown as a warning
    assert rig.view.controller.card is not None and rig.view.controller.card.blocked
    locked_text = rig.view.values["tries"].text()
    assert not locked_text.isdigit() and locked_text  # "locked" in words
    # the correct PIN no longer helps
    receipt = change(rig, "123456", NEW_PIN)
    assert not receipt.success
    # unlock needs the ID check
    rig.view.tabs.setCurrentWidget(rig.view.unlock_page)
    rig.view.unlock_button.click()
    assert rig.view.controller.card.blocked and not rig.view.controller.busy
    rig.view.unlock_id.setChecked(True)
    receipt = rig.serve(rig.view.unlock_button.click)
    assert receipt.success and receipt.operation is Operation.PIN_UNLOCK
    card = rig.view.controller.card
    assert not card.blocked and card.tries_left == 6
    # the old PIN works again
    assert change(rig, "123456", NEW_PIN).success
    assert_no_pin(rig, caplog, tmp_path)


def test_watchdog_read_reset_and_pulled_card(rig: Rig, qtbot: Any) -> None:
    dog = Watchdog()
    dog.start()
    rig.insert()
    read_ms = dog.stop()
    dog.start()
    assert reset(rig, NEW_PIN).success
    reset_ms = dog.stop()
    # a card pulled in the middle of a reset: an error, a failed receipt, no hang
    dog.start()
    v = rig.view
    v.reset_id.setChecked(True)
    qtbot.keyClicks(v.reset_new, NEW_PIN_2)
    qtbot.keyClicks(v.reset_again, NEW_PIN_2)
    with qtbot.waitSignal(v.controller.busy_changed, timeout=WAIT_MS):
        v.reset_button.click()
    rig.links[0].remove()
    qtbot.waitUntil(lambda: not v.controller.busy, timeout=WAIT_MS)
    pulled_ms = dog.stop()
    assert v.controller.card is None or v.status.text()
    assert read_ms < 100 and reset_ms < 100 and pulled_ms < 100, (read_ms, reset_ms, pulled_ms)
    assert dog.ticks > 0
