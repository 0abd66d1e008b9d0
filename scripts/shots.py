"""What the screenshot scripts share: waiting for a screen's state while Qt runs, and
the command line (``--lang``, ``--out``; one saved path printed per line)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wait_until(ok: Callable[[], bool], timeout: float = 15.0) -> None:
    """Run Qt's event loop in 50 ms slices until ``ok()``; ``TimeoutError`` at ``timeout``
    seconds (a script that hangs tells nobody what it waited for)."""
    from PySide6.QtCore import QEventLoop, QTimer

    deadline = time.monotonic() + timeout
    while not ok():
        if time.monotonic() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()


def main_for(screens: Callable[[Path, str], Iterable[Path]], description: str) -> int:
    """The script's command line: take the screenshots of ``screens`` and print each path."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--lang", default="zh_CN", choices=["zh_CN", "en"])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = ap.parse_args()
    for path in screens(args.out, args.lang):
        print(path)
    return 0
