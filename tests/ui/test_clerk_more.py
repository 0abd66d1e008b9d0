"""Issue 12 #3, the clerk's screen beyond the acceptance path: a PIN pad in place of the
on-screen fields (a second ``PinEntry``), reprint from the services of the day, the
expired-card warning on read, and the weak-PIN reasons as the clerk types (the PIN never
shown).  Real widgets (offscreen), real pcscd + vpcd, the PSAM over PC/SC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from station.card.audit import Operation
from station.crypto.algorithms import pin_bcd
from station.ui.pin_entry import PinField
from tests.ui.clerk_rig import (
    INITIAL_PIN,
    NEW_PIN,
    NEW_PIN_2,
    WAIT_MS,
    WRONG_PIN,
    Rig,
    make_rig,
    pdf_text,
)

pytestmark = pytest.mark.pcsc

T = TypeVar("T")


class ScriptedPad:
    """A ``PinEntry`` that is no line edit: what a PIN pad is to the screen.  The holder's
    keys arrive through ``press`` and ``ok`` (a real pad: from its own device); the screen
    shows only a dot per digit."""

    def __init__(self) -> None:
        self._digits = ""
        self._echo = QLabel()
        self._echo.setProperty("data", True)
        self._changed: list[Callable[[], None]] = []
        self._entered: list[Callable[[], None]] = []

    def press(self, keys: str) -> None:
        for key in keys:
            self._digits += key
            self._notify()

    def ok(self) -> None:
        for slot in self._entered:
            slot()

    def _notify(self) -> None:
        self._echo.setText("●" * len(self._digits))
        for slot in self._changed:
            slot()

    # -- PinEntry ---------------------------------------------------------------------------
    def widget(self) -> QWidget:
        return self._echo

    def take(self) -> str:
        pin, self._digits = self._digits, ""
        self._notify()
        return pin

    def peek_length(self) -> int:
        return len(self._digits)

    def check(self, rule: Callable[[str], T]) -> T:
        return rule(self._digits)

    def clear(self) -> None:
        self._digits = ""
        self._notify()

    def on_changed(self, slot: Callable[[], None]) -> None:
        self._changed.append(slot)

    def on_entered(self, slot: Callable[[], None]) -> None:
        self._entered.append(slot)


@pytest.fixture
def pad_rig(qtbot: Any, app_ctx: Any, vpcd_slots: Any) -> Iterator[Rig]:
    yield from make_rig(qtbot, app_ctx, vpcd_slots, app=False, pin_entry=ScriptedPad)


EXPIRED = dt.date(2021, 5, 1)


@pytest.fixture
def expired_rig(qtbot: Any, app_ctx: Any, vpcd_slots: Any) -> Iterator[Rig]:
    expired = {"issuer": {"issue_date": dt.date(2011, 5, 1), "expiry": EXPIRED}}
    yield from make_rig(qtbot, app_ctx, vpcd_slots, app=False, overrides=expired)


def test_pin_pad_changes_the_pin_then_reprint_from_the_day(
    pad_rig: Rig, qtbot: Any, tmp_path: Path
) -> None:
    """The screen unchanged, its entries pads: the weak-PIN hint and the mismatch hint
    follow the pad, OK on the last pad runs the change, the card's PIN is the new one and
    the pads are empty.  Then a reprint of the first service of the day, through the
    print dialog, prints that receipt and not the last one."""
    rig, v = pad_rig, pad_rig.view
    assert v.findChildren(PinField) == [] and isinstance(v.new_again, ScriptedPad)
    rig.insert()
    assert not v.values["expiry"].styleSheet()  # a valid card: no expiry warning

    v.tabs.setCurrentWidget(v.change_page)
    v.new_pin.press("5555")
    assert "all digits the same" in v.change_hint.text()
    v.new_pin.clear()
    v.old_pin.press(INITIAL_PIN)
    v.new_pin.press(NEW_PIN)
    assert v.change_hint.text() == ""
    v.new_again.press(NEW_PIN_2[:3])
    assert v.change_hint.text() == v.tr("The two new PINs differ")
    v.new_again.clear()
    v.new_again.press(NEW_PIN)
    assert v.change_hint.text() == "" and v.new_again.widget().text() == "●" * len(NEW_PIN)
    with qtbot.waitSignal(v.controller.service_done, timeout=WAIT_MS) as done:
        v.new_again.ok()  # the pad's OK key, as Enter in the last field
    first = done.args[0]
    assert first.success and first.operation is Operation.PIN_CHANGE
    assert rig.card.state.pin == pin_bcd(NEW_PIN)
    assert [p.peek_length() for p in (v.old_pin, v.new_pin, v.new_again)] == [0, 0, 0]

    # a second service (a wrong old PIN): the day has two rows, the preview the last
    for pad, pin in ((v.old_pin, WRONG_PIN), (v.new_pin, NEW_PIN_2), (v.new_again, NEW_PIN_2)):
        pad.press(pin)
    last = rig.serve(v.new_again.ok)
    assert not last.success and v.day.rowCount() == 2
    assert v.preview.toPlainText() == last.text()

    # reprint the first: select its row, Reprint, the print dialog prints it (to a PDF)
    out = tmp_path / "reprint.pdf"
    v.printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    v.printer.setOutputFileName(str(out))
    v.day.setCurrentCell(0, 0)
    assert v.day.item(0, 3).text() == first.serial
    v.reprint_button.click()
    dialog = next(d for d in v.findChildren(QPrintDialog) if d.isVisible())
    assert dialog.windowModality() is not Qt.WindowModality.NonModal
    assert v.preview.toPlainText() == first.text()  # what is about to print is shown
    dialog.accept()
    qtbot.waitUntil(lambda: out.is_file() and out.stat().st_size > 0, timeout=WAIT_MS)
    text, _raw = pdf_text(out.read_bytes())
    assert first.serial in text and last.serial not in text
    assert first.result_line in text.replace("\n", "")


def test_expired_card_warned_and_weak_pin_reasons_as_you_type(expired_rig: Rig, qtbot: Any) -> None:
    """Reading an expired card warns (in words, in red); typing a new PIN shows why it
    would be refused after each key, and the PIN itself is shown nowhere."""
    rig, v = expired_rig, expired_rig.view
    rig.insert()
    card = v.controller.card
    assert card is not None and card.expired and card.expiry == EXPIRED
    expiry = v.values["expiry"]
    assert expiry.text() == v.tr("EXPIRED on %1").replace("%1", EXPIRED.isoformat())
    assert "#b00020" in expiry.styleSheet()

    v.tabs.setCurrentWidget(v.reset_page)
    new, again, hint = v.reset_new.widget(), v.reset_again.widget(), v.reset_hint
    assert isinstance(new, QLineEdit) and isinstance(again, QLineEdit)

    def typed(field: QLineEdit, keys: str) -> list[str]:
        """Type ``keys`` one by one: the hint after each key (the field shows dots only,
        and no hint quotes what was typed)."""
        field.clear()
        hints = []
        for n, key in enumerate(keys, 1):
            qtbot.keyClick(field, key)
            shown = field.displayText()
            masked = len(shown) == n and not set(shown) & set("0123456789")
            quoted = n >= 3 and keys[:n] in hint.text()
            assert masked and not quoted, "the PIN shows on the screen"
            hints.append(hint.text())
        return hints

    hints = typed(new, "8888")
    assert "4 to 12 digits" in hints[2] and "all digits the same" in hints[3]
    assert "#b00020" in hint.styleSheet()  # in red
    assert "ascending" in typed(new, "567890")[-1]
    assert "descending" in typed(new, "876543")[-1]
    hints = typed(new, "19900307")  # the holder's birth date, known from the card
    assert "birth date" in hints[-1] and "birth date" not in hints[-2]
    assert typed(new, NEW_PIN)[-1] == ""  # a good PIN: no reason, no red
    assert not hint.styleSheet()
    hints = typed(again, NEW_PIN_2[:4])
    assert hints[-1] == v.tr("The two new PINs differ") and "#b00020" in hint.styleSheet()
    assert typed(again, NEW_PIN)[-1] == ""
    # used: the fields are cleared and the hint with them, whatever the outcome
    v.reset_button.click()  # ID not checked: refused, and the PINs are taken all the same
    assert new.text() == "" and again.text() == "" and hint.text() == ""
    assert "ID" in v.status.text() and not v.controller.busy
