"""Screenshots of the teller's issuance screen into docs/screenshots/.

Run under a virtual display, with pcscd + vpcd running:
    xvfb-run -a .venv/bin/python scripts/screenshots_teller.py [--lang zh_CN|en] [--out DIR]
It builds the issuance tests' counter in a temporary folder (a demo stock book, virtual
blanks, the printer simulator over TCP, the virtual PSAM through pcscd), fills the form
(face preview), issues a card (progress and receipt), then arms a ribbon end mid-print (the
failure dialog).  ``teller_screens(out_dir, language)`` is the hook for the app's script.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.shots import main_for, wait_until  # noqa: E402


class Bot:
    """The two things ``open_teller`` asks of pytest-qt's ``qtbot``, for a script."""

    def __init__(self) -> None:
        self.widgets: list[Any] = []

    def addWidget(self, widget: Any) -> None:
        self.widgets.append(widget)

    def waitUntil(self, ok: Callable[[], bool], timeout: int = 15_000) -> None:
        wait_until(ok, timeout / 1000)


def _shoot(widget: Any, path: Path, shots: list[Path]) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    widget.grab().save(str(path))
    shots.append(path)


def teller_screens(out_dir: Path, language: str = "zh_CN") -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from station.config import Settings
    from station.emulator.vpcd import VpcdLink, slot_port
    from station.printer.simulator import Fault
    from station.ui import i18n
    from tests.issuance.job_rig import applicant
    from tests.ui.teller_rig import make_counter, open_teller

    _app = QApplication.instance() or QApplication(sys.argv)
    out_dir.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    bot = Bot()
    links = (VpcdLink(port=slot_port(0)).start(), VpcdLink(port=slot_port(1)).start())
    with tempfile.TemporaryDirectory() as tmp:
        counter = make_counter(Path(tmp), links, {"ICBC": 3, "CCB": 2})
        teller = open_teller(bot, Settings(card_timeout=5.0), counter)
        i18n.set_language(language)
        s = teller.screen
        s.resize(1500, 980)
        try:
            s.form.fill(applicant(21, name="李明华"))
            bot.waitUntil(lambda: s.face.shown is not None and s.issue_button.isEnabled())
            _shoot(s, out_dir / f"teller-form-{language}.png", shots)
            s.issue()
            bot.waitUntil(lambda: s.last is not None or s.dialog is not None, 60_000)
            if s.dialog is not None:
                raise RuntimeError(s.dialog.what.text())
            _shoot(s, out_dir / f"teller-progress-{language}.png", shots)
            s.print_receipt()
            s.form.fill(applicant(22, name="王刚"))
            bot.waitUntil(lambda: s.issue_button.isEnabled())
            counter.sim.inject(Fault.RIBBON_END, 2)
            s.issue()
            bot.waitUntil(lambda: s.dialog is not None, 60_000)
            assert s.dialog is not None
            s.dialog.resize(640, 300)
            _shoot(s.dialog, out_dir / f"teller-failure-{language}.png", shots)
        finally:
            teller.close()
            counter.close()
            for link in links:
                link.stop()
    return shots


def main() -> int:
    return main_for(teller_screens, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
