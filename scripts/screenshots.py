"""Screenshots of every screen into docs/screenshots/ (Chinese, plus one in English).

Run under a real X server: ``xvfb-run -a .venv/bin/python scripts/screenshots.py``.
Training devices (virtual card + PSAM through pcscd + vpcd, printer simulator) stand in for
real ones, so the clerk screen shows a card read through the real code path.  ``HOOKS``
lists the screens; the technician bench adds its own with ``register``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from station.config import Settings  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
HOOKS: list[tuple[str, str, Callable[[object], QWidget]]] = []  # (file, language, make)


def register(
    name: str, language: str = "zh_CN"
) -> Callable[[Callable[[object], QWidget]], Callable[[object], QWidget]]:
    def deco(fn: Callable[[object], QWidget]) -> Callable[[object], QWidget]:
        HOOKS.append((name, language, fn))
        return fn

    return deco


def settle(app: QApplication, until: Callable[[], bool], seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


@register("signin")
def _signin(win: object) -> QWidget:
    win.lock()  # type: ignore[attr-defined]
    return win  # type: ignore[return-value]


@register("clerk")
def _clerk(win: object) -> QWidget:
    from station.inventory.models import Role

    win.enter("clerk1", Role.TELLER)  # type: ignore[attr-defined]
    clerk = win.screens["clerk"]  # type: ignore[attr-defined]
    clerk.controller.read()
    app = QApplication.instance()
    settle(app, lambda: clerk.controller.card is not None)  # type: ignore[arg-type]
    return win  # type: ignore[return-value]


@register("clerk-en", "en")
def _clerk_en(win: object) -> QWidget:
    return _clerk(win)


@register("placeholder")
def _placeholder(win: object) -> QWidget:
    from station.inventory.models import Role

    win.enter("sup1", Role.SUPERVISOR)  # type: ignore[attr-defined]
    return win  # type: ignore[return-value]


@register("settings")
def _settings(win: object) -> QWidget:
    from station.ui.settings_dialog import SettingsDialog

    d = SettingsDialog(win.ctx.settings, Path(tempfile.mkdtemp()) / "s.toml")  # type: ignore[attr-defined]
    d.resize(560, 300)
    return d


@register("bench")
def _bench(win: object) -> QWidget:
    from station.inventory.models import Role

    win.enter(None, Role.TECHNICIAN)  # type: ignore[attr-defined]
    return win  # type: ignore[return-value]


def main() -> int:
    from station.ui import i18n
    from station.ui.app import create_window, start_training

    app = QApplication(sys.argv[:1])
    data = Path(tempfile.mkdtemp(prefix="station-shots-"))
    settings, training = start_training(
        Settings(data_dir=str(data), db_url=f"sqlite:///{data / 'x.db'}", outlet="第一受理网点")
    )
    win = create_window(settings, training=True)
    win.resize(1100, 720)
    win.show()
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        settle(
            app,
            lambda: all(
                w.state.value != "connecting"
                for w in (win.ctx.workers.card, win.ctx.workers.psam, win.ctx.workers.printer)
            ),
        )
        for name, language, make in HOOKS:
            i18n.set_language(language)
            widget = make(win)
            widget.show()
            settle(app, lambda: False, 1.0)
            widget.grab().save(str(OUT / f"{name}.png"))
            print(OUT / f"{name}.png")
            if widget is not win:
                widget.close()
    finally:
        win.close()
        win.ctx.workers.stop_all()
        training.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
