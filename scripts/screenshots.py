"""Screenshots of the shell's screens into docs/screenshots/: sign-in, the clerk's PIN
services (Chinese and English), the settings dialog and the technician's bench.

Run under a real X server: ``xvfb-run -a .venv/bin/python scripts/screenshots.py`` (``make
screenshots`` does, holding the tests' vpcd lock; ``--out DIR`` writes elsewhere).
Training devices (virtual card + PSAM through pcscd + vpcd, printer simulator) stand in for
real ones, so the clerk screen shows a card read through the real code path.  ``HOOKS``
lists the screens; the bench tabs, the teller and the supervisor have scripts of their own
(``screenshots_bench.py``, ``screenshots_teller.py``, ``screenshots_supervisor.py``).
Waiting is ``scripts.shots.wait_until``: a state that never comes stops the script with a
message and a non-zero exit, never a screenshot of the wrong state.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from scripts.shots import wait_until  # noqa: E402
from station.config import Settings  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
HOOKS: list[tuple[str, str, Callable[[object], QWidget]]] = []  # (file, language, make)


class ShotFailed(Exception):
    """A screen never reached the state its screenshot is meant to show."""


def register(
    name: str, language: str = "zh_CN"
) -> Callable[[Callable[[object], QWidget]], Callable[[object], QWidget]]:
    def deco(fn: Callable[[object], QWidget]) -> Callable[[object], QWidget]:
        HOOKS.append((name, language, fn))
        return fn

    return deco


def need(ok: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Wait (the shared loop) until ``ok()``; stop the script saying ``what`` never came."""
    try:
        wait_until(ok, timeout)
    except TimeoutError:
        raise ShotFailed(f"{what}: not within {timeout:g} s") from None


def shown(widget: QWidget) -> None:
    """The widget's window is on screen and every posted event (a language change, a
    result from a worker) has been handled, so the grab shows the current texts."""
    widget.show()
    need(
        lambda: widget.windowHandle() is not None and widget.windowHandle().isExposed(),
        f"window {widget.objectName() or type(widget).__name__} never shown",
    )
    QCoreApplication.sendPostedEvents()
    QCoreApplication.processEvents()


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
    need(lambda: clerk.controller.card is not None, "the training card was never read")
    need(lambda: not clerk.controller.busy, "the card read never finished")
    return win  # type: ignore[return-value]


@register("clerk-en", "en")
def _clerk_en(win: object) -> QWidget:
    return _clerk(win)


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
    from PySide6.QtWidgets import QApplication

    from station.ui import i18n
    from station.ui.app import create_window, start_training
    from station.ui.workers import DeviceState

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    out = ap.parse_args().out
    app = QApplication(sys.argv[:1])
    data = Path(tempfile.mkdtemp(prefix="station-shots-"))
    settings, training = start_training(
        Settings(data_dir=str(data), db_url=f"sqlite:///{data / 'x.db'}", outlet="第一受理网点")
    )
    win = create_window(settings, training=True)
    win.resize(1100, 720)
    out.mkdir(parents=True, exist_ok=True)
    workers = win.ctx.workers
    try:
        shown(win)
        need(
            lambda: all(
                w.state is not DeviceState.CONNECTING
                for w in (workers.card, workers.psam, workers.printer)
            ),
            "a device state never came",
        )
        need(
            lambda: workers.card.state is DeviceState.CARD_PRESENT,
            "the training card is not in the card reader (is pcscd running?)",
        )
        for name, language, make in HOOKS:
            i18n.set_language(language)
            widget = make(win)
            shown(widget)
            widget.grab().save(str(out / f"{name}.png"))
            print(out / f"{name}.png")
            if widget is not win:
                widget.close()
    except ShotFailed as exc:
        print(f"screenshots: {exc}", file=sys.stderr)
        return 1
    finally:
        win.close()
        workers.stop_all()
        training.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
