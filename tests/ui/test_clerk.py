"""Issue 12 acceptance, clerk: a PIN reset with receipt, a change, six wrong PINs then
unlock; the event loop never blocked > 100 ms, also with a card pulled in the middle of a
reset; no PIN digit left anywhere afterwards (the PIN-leak check, ``assert_no_pin``).
Real widgets (offscreen) in the app's own main window, real pcscd + vpcd, the PSAM over
PC/SC, the settings file where the app keeps it (``STATION_CONFIG``)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
)

from station.card.audit import Operation
from station.config import config_path, load_settings
from station.crypto.algorithms import pin_bcd
from station.ui.settings_dialog import SettingsDialog
from tests.ui.clerk_rig import (
    INITIAL_PIN,
    NEW_PIN,
    NEW_PIN_2,
    PINS,
    WAIT_MS,
    WRONG_PIN,
    PullOn,
    Rig,
    Watchdog,
    make_rig,
    pdf_text,
)

pytestmark = pytest.mark.pcsc

SENTINEL = "clipboard before the copy attempts"


@pytest.fixture
def rig(
    qtbot: Any, app_ctx: Any, vpcd_slots: Any, caplog: Any, tmp_path: Path, monkeypatch: Any
) -> Iterator[Rig]:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("STATION_CONFIG", str(tmp_path / "config" / "station.toml"))
    yield from make_rig(qtbot, app_ctx, vpcd_slots)


# -- typing PINs, and trying to get them out again --------------------------------------------
def try_to_copy(qtbot: Any, field: QLineEdit) -> None:
    """Every way a user copies or cuts a line edit's text, on a PIN field holding a PIN:
    select all + Ctrl+C / Ctrl+Insert / Ctrl+X / Shift+Delete, copy() and cut(), Qt's own
    copy slot (what a context menu's Copy calls), right-click, and the standard context
    menu's Copy and Cut.  The clipboard keeps what it held; the field keeps its digits.
    (Assertions compare into a bool first: a failing one must not print the PIN.)"""
    clipboard = QGuiApplication.clipboard()
    control = QLineEdit("control text")  # the same moves do copy a plain field's text
    qtbot.addWidget(control)
    control.selectAll()
    qtbot.keyClick(control, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == "control text"
    control.deleteLater()

    clipboard.setText(SENTINEL)
    held = field.text()  # (read here only to compare; never printed)
    field.setFocus()
    for key, mod in (
        (Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Insert, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_Delete, Qt.KeyboardModifier.ShiftModifier),
    ):
        qtbot.keyClick(field, key, mod)
    field.selectAll()
    field.copy()
    field.cut()
    QLineEdit.copy(field)  # Qt's own slot, as a context menu's Copy calls it
    kept = field.text() == held
    assert kept, "the copy keys took digits out of the PIN field"

    popups: list[str] = []

    def close_popup() -> None:  # a context menu would block in exec(): note it, close it
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popups.append(type(popup).__name__)
            popup.close()

    QTimer.singleShot(0, close_popup)
    qtbot.mouseClick(field, Qt.MouseButton.RightButton, pos=QPoint(4, 4))
    close_popup()
    assert popups == []  # no context menu on a PIN field
    menu = field.createStandardContextMenu()  # and its Copy/Cut, were it shown
    actions = {a.objectName(): a for a in menu.actions()}
    assert {"edit-copy", "edit-cut"} <= actions.keys()
    for name in ("edit-copy", "edit-cut"):
        assert not actions[name].isEnabled()  # Qt's own menu refuses a Password field
        actions[name].trigger()
    menu.deleteLater()
    assert clipboard.text() == SENTINEL
    leaked = clipboard.supportsSelection() and clipboard.text(QClipboard.Mode.Selection) == held
    assert not leaked, "the PIN is in the selection clipboard"
    kept = field.text() == held and field.peek_length() == len(held)
    assert kept, "the PIN field lost its digits"


def type_pin(rig: Rig, entry: Any, pin: str) -> None:
    field = entry.widget()
    rig.qtbot.keyClicks(field, pin)
    shown = field.displayText()
    masked = len(shown) == len(pin) and not set(shown) & set("0123456789")
    assert masked, "the PIN field shows digits"
    try_to_copy(rig.qtbot, field)


def reset(rig: Rig, pin: str) -> Any:
    v = rig.view
    v.tabs.setCurrentWidget(v.reset_page)
    v.reset_id.setChecked(True)
    type_pin(rig, v.reset_new, pin)
    type_pin(rig, v.reset_again, pin)
    return rig.serve(v.reset_button.click)


def change(rig: Rig, old: str, new: str, *, copy: bool = True) -> Any:
    v = rig.view
    v.tabs.setCurrentWidget(v.change_page)
    for entry, pin in ((v.old_pin, old), (v.new_pin, new), (v.new_again, new)):
        if copy:
            type_pin(rig, entry, pin)
        else:
            rig.qtbot.keyClicks(entry.widget(), pin)
    return rig.serve(v.change_button.click)


# -- the PIN-leak check ------------------------------------------------------------------------
def _model_texts(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    """Header and item texts (display and tool tip) of an item model, children too."""
    parent = parent or QModelIndex()
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    rows, cols = model.rowCount(parent), model.columnCount(parent)
    out: list[str] = []
    if not parent.isValid():
        for orient, n in ((Qt.Orientation.Horizontal, cols), (Qt.Orientation.Vertical, rows)):
            out += [
                str(model.headerData(i, orient, role) or "") for i in range(n) for role in roles
            ]
    for r in range(rows):
        for c in range(cols):
            index = model.index(r, c, parent)
            out += [str(model.data(index, role) or "") for role in roles]
            if c == 0 and model.rowCount(index):
                out += _model_texts(model, index)
    return out


def app_texts() -> list[str]:
    """Every text of every widget of the application, shown or not."""
    out: list[str] = []
    for w in QApplication.allWidgets():
        out += [w.windowTitle(), w.toolTip(), w.statusTip(), w.whatsThis()]
        out += [w.accessibleName(), w.accessibleDescription()]
        if isinstance(w, QLineEdit):
            out += [w.text(), w.displayText(), w.placeholderText()]
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QPlainTextEdit | QTextEdit):
            out += [w.toPlainText(), w.placeholderText()]
        if isinstance(w, QGroupBox):
            out.append(w.title())
        if isinstance(w, QTabBar):
            out += [w.tabText(i) + w.tabToolTip(i) for i in range(w.count())]
        if isinstance(w, QAbstractItemView | QComboBox):
            out += _model_texts(w.model())
        if isinstance(w, QComboBox):
            out += [w.currentText(), w.placeholderText()]
        for act in w.actions():  # menus' and menu bars' entries, shortcuts' actions
            out += [act.text(), act.toolTip(), act.statusTip()]
    return out


def save_settings_through_the_app(rig: Rig) -> str:
    """Open Settings from the main window's menu as the clerk would, press Save, and read
    the file the app reads its settings from (``STATION_CONFIG``, in this test's folder)."""
    saved: list[bool] = []

    def press_save() -> None:  # once the dialog is up (modal or not)
        shown = [d for d in rig.window.findChildren(SettingsDialog) if d.isVisible()]
        if not shown:
            QTimer.singleShot(5, press_save)
            return
        shown[0].save_button.click()
        saved.append(True)

    QTimer.singleShot(0, press_save)
    rig.window.settings_action.trigger()
    rig.qtbot.waitUntil(lambda: bool(saved), timeout=WAIT_MS)
    path = config_path()
    assert path.is_file() and Path(rig.ctx.settings.data_dir).parent in path.parents
    text = path.read_text(encoding="utf-8")
    assert load_settings().outlet == rig.ctx.settings.outlet  # the app reads it back
    return text


def receipt_pdfs(rig: Rig, tmp_path: Path) -> dict[str, str]:
    """The receipts of the day: the text each is printed from, and, for each kind of
    receipt (service, success) not read before, both PDFs the app writes (reportlab, and
    QPrinter to PDF) — the text drawn on the page and every stream decompressed.  The
    serial must be found in the drawn text, so the reading is known to work."""
    out: dict[str, str] = {}
    folder = tmp_path / "pdf"
    folder.mkdir(exist_ok=True)
    for receipt in rig.view.controller.today():
        out[receipt.serial] = receipt.text() + "\n".join(v for _k, v in receipt.lines())
        kind = (receipt.operation, receipt.success)
        if kind in rig.pdf_kinds:
            continue
        rig.pdf_kinds.add(kind)
        saved = folder / f"{receipt.serial}.pdf"
        rig.view.controller.save_pdf(receipt, saved)
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printed = folder / f"{receipt.serial}-printed.pdf"
        printer.setOutputFileName(str(printed))
        rig.view.print_to(printer, receipt)
        for path in (saved, printed):
            text, raw = pdf_text(path.read_bytes())
            assert receipt.serial in text and receipt.operation.zh in text
            out[path.name] = text + "\n" + raw.decode("latin-1")
    return out


def assert_no_pin(rig: Rig, caplog: Any, tmp_path: Path) -> None:
    """No PIN digits in the log, the trace, any widget of the app, the clipboard, the
    settings file, the receipt PDFs or any file the test's app wrote."""
    clipboard = QGuiApplication.clipboard()
    haystacks = {
        "log": caplog.text,
        "trace": rig.ctx.workers.tracer.text(),
        "widgets": "\n".join(app_texts()),
        "clipboard": clipboard.text(),
        "selection": clipboard.text(QClipboard.Mode.Selection),
        "settings": save_settings_through_the_app(rig),
        **receipt_pdfs(rig, tmp_path),
    }
    assert rig.view.controller.today() and "clerk1" in haystacks["widgets"]
    assert rig.ctx.settings.outlet in haystacks["settings"]
    for f in tmp_path.rglob("*"):
        if f.is_file() and f.suffix != ".pdf":
            haystacks[str(f.relative_to(tmp_path))] = f.read_bytes().decode("latin-1")
    leaks = sorted(name for name, text in haystacks.items() if any(p in text for p in PINS))
    assert leaks == [], "a PIN is in these"  # names only: the PIN never reaches the output
    pin_fields = [w for w in QApplication.allWidgets() if w.property("pin")]
    assert pin_fields and all(isinstance(w, QLineEdit) and w.text() == "" for w in pin_fields)


# -- the services ------------------------------------------------------------------------------
def test_reset_with_receipt_then_change(rig: Rig, caplog: Any, tmp_path: Path) -> None:
    rig.insert()
    card = rig.view.controller.card
    assert card is not None and card.genuine and card.tries_left == 6
    assert "*" in card.masked_ssn and rig.view.values["ssn"].text() == card.masked_ssn
    assert rig.view.values["genuine"].text()  # shown in words
    assert not card.expired and not rig.view.values["expiry"].styleSheet()

    receipt = reset(rig, NEW_PIN)
    assert receipt.success and receipt.operation is Operation.PIN_RESET
    assert receipt.operator == "clerk1" and receipt.outlet == "测试网点"
    assert rig.view.preview.toPlainText() == receipt.text()
    assert rig.card.state.pin == pin_bcd(NEW_PIN)
    assert_no_pin(rig, caplog, tmp_path)

    receipt = change(rig, NEW_PIN, NEW_PIN_2)
    assert receipt.success and receipt.operation is Operation.PIN_CHANGE
    assert rig.card.state.pin == pin_bcd(NEW_PIN_2)
    assert rig.view.day.rowCount() == 2  # the services of the day
    assert_no_pin(rig, caplog, tmp_path)


def test_six_wrong_pins_then_unlock(rig: Rig, caplog: Any, tmp_path: Path) -> None:
    rig.insert()
    for n in range(6):
        receipt = change(rig, WRONG_PIN, NEW_PIN, copy=n == 0)
        assert not receipt.success
        card = rig.view.controller.card
        assert card is not None and card.tries_left == 5 - n
        if card.tries_left <= 2 and not card.blocked:
            assert str(card.tries_left) in rig.view.values["tries"].text()
            assert rig.view.values["tries"].styleSheet()  # shown as a warning
    assert rig.view.controller.card is not None and rig.view.controller.card.blocked
    locked_text = rig.view.values["tries"].text()
    assert not locked_text.isdigit() and locked_text  # "locked" in words
    # the correct PIN no longer helps
    receipt = change(rig, INITIAL_PIN, NEW_PIN, copy=False)
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
    assert change(rig, INITIAL_PIN, NEW_PIN, copy=False).success
    assert_no_pin(rig, caplog, tmp_path)


def test_watchdog_read_reset_and_pulled_card(
    rig: Rig, qtbot: Any, caplog: Any, tmp_path: Path
) -> None:
    """Read, reset, then the card pulled while the reset's PIN RESET command is on its way
    (after the genuineness check and the PUK authentication): the clerk sees the failure
    in words, a failed receipt, a failed entry in the services of the day and the card
    gone; the PIN on the card is the one before; the event loop never waits > 100 ms."""
    pull = PullOn(rig.card, rig.links[0])
    dog = Watchdog()
    dog.start()
    rig.insert(pull)
    read_ms = dog.stop()
    dog.start()
    assert reset(rig, NEW_PIN).success
    reset_ms = dog.stop()

    pull.arm(lambda apdu: apdu[1] == 0x24 and apdu[3] == 0x01)  # PIN RESET (P2 = 01)
    v = rig.view
    v.reset_id.setChecked(True)
    type_pin(rig, v.reset_new, NEW_PIN_2)
    type_pin(rig, v.reset_again, NEW_PIN_2)
    dog.start()
    receipt = rig.serve(v.reset_button.click)
    qtbot.waitUntil(lambda: v.controller.card is None, timeout=WAIT_MS)  # the removal shown
    pulled_ms = dog.stop()

    assert pull.pulled.is_set() and pull.apdus_after == 0
    assert rig.card.state.pin == pin_bcd(NEW_PIN)  # the reset never reached the card
    assert not receipt.success and receipt.operation is Operation.PIN_RESET
    assert v.status.text() == receipt.result_text and v.status.styleSheet()  # in red
    assert v.preview.toPlainText() == receipt.text()
    last = v.day.rowCount() - 1
    assert last == 1 and v.day.item(last, 2).text() == receipt.result_line
    assert receipt.result_line.startswith("办理失败")
    assert v.values["holder"].text() == v.tr("Insert the card")  # the card is gone
    assert read_ms < 100 and reset_ms < 100 and pulled_ms < 100, (read_ms, reset_ms, pulled_ms)
    assert dog.ticks > 0
    assert_no_pin(rig, caplog, tmp_path)  # also after the failed reset
