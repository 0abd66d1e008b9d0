"""Issue 12 #1 and #6, the shell, with real widgets (offscreen): training mode (``station gui
--virtual``) serves a virtual card and PSAM through real pcscd + vpcd and the printer
simulator, and the status bar shows them; the status bar says "connecting…" until a
device's state is known, then the real state, live; the idle lock after the configured idle
time, opened again only with the password; a technician without an account; the settings
dialog writes the settings file privately and shows the saved values again.

Texts are compared in Chinese (the counter's language) with the exact words of
``station_zh_CN.ts``, so a missing translation fails here as well.
"""

from __future__ import annotations

import dataclasses
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from station.config import Settings, load_settings
from station.inventory import Inventory, make_engine, migrate
from station.inventory.models import Role
from station.ui import i18n
from station.ui.shell import MainWindow
from station.ui.workers import DeviceState, UiContext, Workers
from tests.inventory.conftest import FAST_HASHER, PASSWORDS, setup_book

WAIT_MS = 15_000
ROOT = Path(__file__).resolve().parents[2]


def bar(window: MainWindow) -> dict[str, str]:
    return {label.which: label.text() for label in window.device_labels}


@pytest.fixture(autouse=True)
def chinese(qapp: object) -> Iterator[None]:
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("zh_CN")


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Inventory]:
    """A stock book with a user of every role, nobody signed in."""
    engine = make_engine(f"sqlite:///{tmp_path / 'book.db'}")
    migrate(engine)
    inv = Inventory(engine, password_hasher=FAST_HASHER)
    setup_book(inv)
    for name in PASSWORDS:
        inv.auth.sign_out(name)
    try:
        yield inv
    finally:
        engine.dispose()


# -- training mode ---------------------------------------------------------------------------


# ``station gui --virtual`` in a process of its own (the app's event loop runs until its
# window closes; a test process must not quit its shared QApplication): a timer inside it
# reads the status bar as a user would and closes the window once the training devices show
GUI_CHILD = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from station.cli import main
from station.ui.shell import MainWindow

app = QApplication(sys.argv[:1])
want = json.loads(sys.argv[1])
seen = {}

def look():
    for w in app.topLevelWidgets():
        if isinstance(w, MainWindow) and w.isVisible():
            seen["bar"] = {label.which: label.text() for label in w.device_labels}
            seen["title"] = w.windowTitle()
            seen["readers"] = [w.ctx.settings.card_reader, w.ctx.settings.psam_reader]
            if seen["bar"] == want:
                w.close()

poll = QTimer()
poll.timeout.connect(look)
poll.start(50)
rc = main(["gui", "--virtual", "--for", "30"])
print(json.dumps({"rc": rc, **seen}, ensure_ascii=False))
"""


@pytest.mark.pcsc
def test_station_gui_virtual_serves_card_psam_and_printer(
    pcscd: list[str], vpcd_lock: None, tmp_path: Path
) -> None:
    """``station gui --virtual`` end to end (the command line, ``main``, the event loop):
    the status bar shows the training card, PSAM and printer; afterwards nothing is left
    in the vpcd readers."""
    import json
    import os
    import subprocess
    import sys

    from station.apdu.pcsc import wait_for_card
    from station.emulator.vpcd import reader_name

    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "STATION_CONFIG": str(tmp_path / "none.toml"),
        "STATION_DATA_DIR": str(tmp_path / "data"),
        "STATION_DB_URL": f"sqlite:///{tmp_path / 'book.db'}",
        "STATION_LANGUAGE": "zh_CN",
    }
    want = {"card": "读卡器: 已插卡", "psam": "PSAM卡: PSAM已插入", "printer": "制卡机: 就绪"}
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-c", GUI_CHILD, json.dumps(want)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["rc"] == 0
    assert seen["bar"] == want
    assert "培训模式" in seen["title"]
    assert seen["readers"] == [reader_name(0), reader_name(1)]
    assert time.monotonic() - started < 25  # closed on the states, not by --for
    for slot in (0, 1):  # training.stop() took the virtual card and PSAM out again
        wait_for_card(reader_name(slot), 5.0, present=False)


# -- the status bar ----------------------------------------------------------------------------


@pytest.mark.pcsc
def test_status_bar_connecting_until_known_then_live(
    qtbot: Any, pcscd: list[str], ui_settings: Settings
) -> None:
    """No device attached: "连接中…" before any state arrives (never a guess), then "not
    connected"; a printer appearing at the URL turns it ready, and its loss is shown."""
    from station.printer.simulator import BareChip, PrinterSimulator, Timing

    settings = dataclasses.replace(
        ui_settings, card_reader="No Such Reader 00 00", psam_reader="No Such Reader 00 01"
    )
    workers = Workers(settings).start()  # the probes are already running
    sim: PrinterSimulator | None = None
    try:
        window = MainWindow(UiContext(settings, workers))
        qtbot.addWidget(window)
        window.show()
        assert bar(window) == {
            "card": "读卡器: 连接中…",
            "psam": "PSAM卡: 连接中…",
            "printer": "制卡机: 连接中…",
        }
        absent = {"card": "读卡器: 未连接", "psam": "PSAM卡: 未连接", "printer": "制卡机: 未连接"}
        qtbot.waitUntil(lambda: bar(window) == absent, timeout=WAIT_MS)
        assert all(w.state is DeviceState.ABSENT for w in (workers.card, workers.psam))

        sim = PrinterSimulator([("s-1", BareChip(1))], timing=Timing(0))
        port = int(settings.printer_url.rsplit(":", 1)[1])
        sim.serve_tcp("127.0.0.1", port)
        workers.probe_all()
        qtbot.waitUntil(lambda: bar(window)["printer"] == "制卡机: 就绪", timeout=WAIT_MS)
        sim.stop()
        sim = None
        workers.probe_all()
        qtbot.waitUntil(lambda: bar(window)["printer"] == "制卡机: 未连接", timeout=WAIT_MS)
    finally:
        if sim is not None:
            sim.stop()
        workers.stop_all()


# -- idle lock and sign-in ---------------------------------------------------------------------


def sign_in(qtbot: Any, window: MainWindow, user: str, password: str) -> None:
    page = window.signin
    page.user.setText(user)
    page.password.clear()
    qtbot.keyClicks(page.password, password)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)  # Enter signs in


def test_idle_lock_after_the_set_time_and_unlock_needs_the_password(
    qtbot: Any, app_ctx: UiContext, book: Inventory
) -> None:
    idle_ms = 600
    ctx = dataclasses.replace(
        app_ctx, settings=dataclasses.replace(app_ctx.settings, idle_lock_minutes=idle_ms / 60_000)
    )
    window = MainWindow(ctx, inventory_factory=lambda: book)
    qtbot.addWidget(window)
    window.show()
    assert window.idle.interval() == idle_ms
    sign_in(qtbot, window, "t1", PASSWORDS["t1"])
    qtbot.waitUntil(lambda: not window.locked, timeout=WAIT_MS)
    assert set(window.screens) == {"clerk", "issuance"}
    assert (window.who.text(), window.role_label.text()) == ("t1", "柜员")

    # a key press restarts the countdown
    running = idle_ms * 3 // 4  # a quarter gone: the rest is slack for a busy machine
    qtbot.waitUntil(lambda: 0 <= window.idle.remainingTime() < running, timeout=WAIT_MS)
    assert not window.locked
    qtbot.keyClick(window.screens["clerk"], Qt.Key.Key_Shift)
    assert window.idle.remainingTime() > running
    pressed = time.monotonic()

    qtbot.waitUntil(lambda: window.locked, timeout=WAIT_MS)
    # not before the idle time after the key press (QTimer's coarse timers: within 5 %);
    # without the restart it would have locked at most three quarters of it after the press
    assert time.monotonic() - pressed >= idle_ms / 1000 * 0.9
    assert window.tabs.count() == 0 and window.screens == {}  # PIN fields dropped with them
    assert window.ctx.operator is None and window.ctx.role is None
    assert (window.who.text(), window.role_label.text()) == ("", "未登录")
    assert window.signin.user.text() == "t1" and window.signin.password.text() == ""

    # the wrong password keeps it locked, and is not shown anywhere
    sign_in(qtbot, window, "t1", "not-the-Pw-1")
    qtbot.waitUntil(lambda: window.signin.error.text() != "", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.signin.sign_in.isEnabled(), timeout=WAIT_MS)
    assert window.locked and window.tabs.count() == 0
    assert "not-the-Pw-1" not in window.signin.error.text()
    assert window.signin.password.text() == ""
    # nothing typed: refused at once, without asking the book
    window.signin.sign_in.click()
    assert window.signin.error.text() == "请输入工号和密码" and window.locked

    sign_in(qtbot, window, "t1", PASSWORDS["t1"])
    qtbot.waitUntil(lambda: not window.locked, timeout=WAIT_MS)
    assert set(window.screens) == {"clerk", "issuance"} and window.ctx.operator == "t1"
    assert window.idle.isActive()


def test_technician_works_without_an_account(qtbot: Any, app_ctx: UiContext) -> None:
    from station.profiles import SHIPPED_DIR

    opened: list[int] = []
    window = MainWindow(app_ctx, inventory_factory=lambda: opened.append(1))
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(window.signin.technician, Qt.MouseButton.LeftButton)
    assert not window.locked and list(window.screens) == ["bench"]
    assert window.ctx.operator is None and window.ctx.role is Role.TECHNICIAN
    assert (window.who.text(), window.role_label.text()) == ("", "技术员（未登录）")
    assert window.tabs.tabText(0) == "技术员工作台"

    bench = window.screens["bench"]
    result = bench.profile_ctl.check(SHIPPED_DIR / "gen3-sm4-issued.toml")
    assert result.ok, result.message
    bench.face_ctl.render("gen3-sm4-issued")  # a job on the printer worker
    qtbot.waitUntil(lambda: bench.face_ctl.last is not None, timeout=WAIT_MS)
    assert bench.face_ctl.last.png.startswith(b"\x89PNG")
    assert opened == []  # no stock book was opened, no password asked

    window.lock()  # locked: the bench is shut down and dropped, and comes back the same way
    assert window.locked and window.screens == {} and bench._stopped
    qtbot.mouseClick(window.signin.technician, Qt.MouseButton.LeftButton)
    assert list(window.screens) == ["bench"] and window.screens["bench"] is not bench


# -- settings ------------------------------------------------------------------------------


def test_settings_dialog_saves_privately_and_shows_them_again(
    qtbot: Any, app_ctx: UiContext, tmp_path: Path, monkeypatch: Any
) -> None:
    path = tmp_path / "config" / "station.toml"
    path.parent.mkdir()
    path.write_text('station_id = "counter-7"\n', encoding="utf-8")  # a key the dialog keeps
    monkeypatch.setenv("STATION_CONFIG", str(path))
    window = MainWindow(app_ctx)
    qtbot.addWidget(window)
    window.show()
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert dialog is not None and dialog.isVisible() and dialog.path == path
    typed = {
        "db_url": str(tmp_path / "other.db"),  # a plain path: saved as a SQLite URL
        "card_reader": "ACS ACR39U 00 00",
        "psam_reader": "ACS ACR39U 01 00",
        "desk_reader": "ACS ACR39U 02 00",  # the desktop reader at the counter
        "printer_url": "socket://192.0.2.7:9100",
    }
    for name, text in typed.items():
        dialog.edits[name].clear()
        qtbot.keyClicks(dialog.edits[name], text)
    dialog.edits["outlet"].setText("第二受理网点")  # an input method commits it at once
    dialog.idle.setValue(2.5)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.settings_dialog is None, timeout=WAIT_MS)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    saved = load_settings(path, environ={})
    want = {**typed, "db_url": f"sqlite:///{tmp_path / 'other.db'}", "outlet": "第二受理网点"}
    assert {k: getattr(saved, k) for k in want} == want
    assert saved.idle_lock_minutes == 2.5 and saved.station_id == "counter-7"
    assert window.idle.interval() == 150_000  # the idle lock applies at once
    assert window.ctx.settings.card_reader == app_ctx.settings.card_reader  # the rest: next start

    window.settings_action.trigger()  # opened again: the saved values
    again = window.settings_dialog
    assert again is not None and again is not dialog
    assert {k: again.edits[k].text() for k in want} == want
    assert again.idle.value() == 2.5
    before = path.read_bytes()
    again.edits["outlet"].setText("不保存")
    qtbot.mouseClick(again.cancel_button, Qt.MouseButton.LeftButton)  # cancel writes nothing
    qtbot.waitUntil(lambda: window.settings_dialog is None, timeout=WAIT_MS)
    assert path.read_bytes() == before


def test_auditor_locks_without_a_crash(qtbot: Any, app_ctx: UiContext, book: Inventory) -> None:
    """The auditor's stock screen keeps the pages it does not show inside it: dropped at the
    lock, they go with it (a page without a parent outlived its controllers and the next
    collection crashed the process)."""
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    window = MainWindow(app_ctx, inventory_factory=lambda: book)
    qtbot.addWidget(window)
    window.show()
    sign_in(qtbot, window, "aud", PASSWORDS["aud"])
    qtbot.waitUntil(lambda: not window.locked, timeout=WAIT_MS)
    stock = window.screens["stock"]
    assert stock.count() == 3  # count, reports, ledger
    assert all(page.parent() is not None for page in stock.pages.values())
    qtbot.waitUntil(lambda: not window.db.busy, timeout=WAIT_MS)
    window.lock()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert gc.collect() >= 0  # the process is still here
    assert window.locked and window.screens == {}


def test_ctrl_tab_puts_the_keyboard_in_the_screen_shown(
    qtbot: Any, app_ctx: UiContext, book: Inventory
) -> None:
    """After sign-in and after each Ctrl+Tab the focus is inside the screen shown, so its
    own shortcuts (Ctrl+Enter: issue) work without a click; never left on the tab bar."""
    window = MainWindow(app_ctx, inventory_factory=lambda: book)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    sign_in(qtbot, window, "t1", PASSWORDS["t1"])
    qtbot.waitUntil(lambda: not window.locked, timeout=WAIT_MS)

    def focus_in(name: str) -> bool:
        focused = QApplication.focusWidget()
        return focused is not None and window.screens[name].isAncestorOf(focused)

    qtbot.waitUntil(lambda: focus_in("clerk"), timeout=WAIT_MS)
    for shown in ("issuance", "clerk"):
        qtbot.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier
        )
        assert window.tabs.currentWidget() is window.screens[shown]
        assert focus_in(shown), QApplication.focusWidget()
