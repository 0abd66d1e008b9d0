"""Issue 12 #5: every visible string of every screen exists in Chinese and English.

Each screen is built, then walked in both languages (switched at run time, the way the
language menu does it); every text that is not card data must be, piece by piece, a
translation from ``station_en.ts`` in English and the translation of the *same* source from
``station_zh_CN.ts`` in Chinese — so a string without ``tr()`` or missing from a .ts fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QMainWindow,
    QTabBar,
    QTableWidget,
    QWidget,
)

from station.ui import i18n

SPLIT = re.compile(r": | — ")


def texts(root: QWidget) -> dict[str, str]:
    """Visible texts keyed by a stable path (widget identity + part)."""
    out: dict[str, str] = {}
    widgets = [root, *root.findChildren(QWidget)]
    for n, w in enumerate(widgets):
        if w.property("data") or w.property("pin"):
            continue
        key = f"{n}:{type(w).__name__}"
        if w.isWindow() and w.windowTitle():
            out[key + ":title"] = w.windowTitle()
        if isinstance(w, QLabel | QAbstractButton) and w.text():
            out[key] = w.text()
        if isinstance(w, QGroupBox) and w.title():
            out[key + ":box"] = w.title()
        if isinstance(w, QTabBar):
            for i in range(w.count()):
                out[f"{key}:tab{i}"] = w.tabText(i)
        if isinstance(w, QTableWidget):
            for i in range(w.columnCount()):
                item = w.horizontalHeaderItem(i)
                if item is not None:
                    out[f"{key}:col{i}"] = item.text()
        if isinstance(w, QMainWindow):
            for i, act in enumerate(w.menuBar().actions()):
                out[f"{key}:menu{i}"] = act.text()
    return out


def native(text: str) -> bool:
    """Language names are shown in their own language on purpose."""
    return text in ("中文", "English")


def check_screen(qtbot: Any, build: Callable[[], QWidget]) -> int:
    en_all = i18n.read_ts(i18n.ts_path("en"))
    zh_all = i18n.read_ts(i18n.ts_path("zh_CN"))
    en_ts = {src: tr for (_ctx, src), tr in en_all.items()}
    zh_of: dict[str, set[str]] = {}  # one source may sit in several contexts
    for (_ctx, src), tr in zh_all.items():
        zh_of.setdefault(src, set()).add(tr)
    i18n.set_language("en")
    widget = build()
    qtbot.addWidget(widget)
    english = texts(widget)
    i18n.set_language("zh_CN")
    QApplication.sendPostedEvents(None, QEvent.Type.LanguageChange.value)  # delivered now
    QApplication.processEvents()
    chinese = texts(widget)
    assert english.keys() == chinese.keys()
    checked = 0
    for key, en in english.items():
        if native(en) or en in ("-", ""):
            continue
        zh = chinese[key]
        whole = any(t.replace("&", "") == en.replace("&", "") for t in en_ts.values())
        en_parts, zh_parts = ([en], [zh]) if whole else (SPLIT.split(en), SPLIT.split(zh))
        assert len(en_parts) == len(zh_parts), (en, zh)
        for e, z in zip(en_parts, zh_parts, strict=True):
            e_plain, z_plain = e.replace("&", ""), z
            source = next((s for s, t in en_ts.items() if t.replace("&", "") == e_plain), None)
            assert source is not None, f"not in station_en.ts: {e!r}"
            assert all(zh_of.get(source, {""})), f"no Chinese for {source!r}"
            if "DeviceLabel" in key:  # live: the state may change between the two walks
                assert any(z_plain in t for t in zh_of.values()), (source, z)
            else:
                assert z_plain in zh_of[source], (source, z)
            checked += 1
    return checked


def test_ts_files_are_complete() -> None:
    en = i18n.read_ts(i18n.ts_path("en"))
    zh = i18n.read_ts(i18n.ts_path("zh_CN"))
    assert en.keys() == zh.keys() and len(en) > 50
    assert all(en.values()) and all(zh.values())
    assert all(re.search(r"[\u4e00-\u9fff]", t) or t in ("PSAM",) for t in zh.values())


def test_sign_in_and_status_bar(qtbot, app_ctx) -> None:
    from station.ui.shell import MainWindow

    assert check_screen(qtbot, lambda: MainWindow(app_ctx, training=True)) > 10


@pytest.mark.parametrize("role", ["teller", "supervisor"])
def test_role_screens(qtbot, app_ctx, role: str) -> None:
    from station.inventory.models import Role
    from station.ui.shell import MainWindow

    def build() -> QWidget:
        w = MainWindow(app_ctx)
        w.enter("someone", Role(role))
        return w

    assert check_screen(qtbot, build) > 5


def test_clerk_screen(qtbot, app_ctx) -> None:
    from station.ui.clerk.view import ClerkView

    assert check_screen(qtbot, lambda: ClerkView(app_ctx)) > 25


def test_settings_dialog(qtbot, app_ctx, tmp_path) -> None:
    from station.ui.settings_dialog import SettingsDialog

    assert check_screen(qtbot, lambda: SettingsDialog(app_ctx.settings, tmp_path / "s.toml")) > 5


def test_bench_screens(qtbot, app_ctx) -> None:
    """The technician's bench, every tab, with the printer tab showing a status."""
    import dataclasses

    from station.printer.simulator import BareChip, PrinterSimulator, Timing
    from station.ui.bench import Bench
    from station.ui.workers import UiContext, Workers

    sim = PrinterSimulator([("demo-1", BareChip(1))], timing=Timing(0))
    settings = dataclasses.replace(app_ctx.settings, printer_url=sim.serve_tcp("127.0.0.1", 0))
    workers = Workers(settings).start()
    bench: Bench | None = None

    def build() -> QWidget:
        nonlocal bench
        bench = Bench(UiContext(settings, workers))
        bench.printer_ctl.refresh()
        qtbot.waitUntil(lambda: bench is not None and bench.printer_ctl.last is not None)
        return bench

    try:
        assert check_screen(qtbot, build) > 60
    finally:
        if bench is not None:
            bench.shutdown()
        workers.stop_all()
        sim.stop()
