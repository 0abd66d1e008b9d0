"""Screenshots of the supervisor's count wizard and report, into docs/screenshots/.

Run under a virtual display:
    xvfb-run -a .venv/bin/python scripts/screenshots_supervisor.py [--lang zh_CN|en] [--out DIR]
It builds a demo stock book in a temporary SQLite file (sample cards, never real stock),
drives the count to a discrepancy and shows the day's balance, then grabs the window.
``supervisor_screens(out_dir, language)`` is the hook the app's screenshot script calls.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.shots import main_for, wait_until  # noqa: E402


def _demo_book(folder: Path) -> object:
    from argon2 import PasswordHasher

    from station.inventory import Inventory, LocationKind, Role, make_engine, migrate
    from station.inventory.samples import sample_manifest

    engine = make_engine(f"sqlite:///{folder / 'demo.sqlite3'}")
    migrate(engine)
    inv = Inventory(engine, tz=dt.UTC, password_hasher=PasswordHasher(1, 1024, 1))
    inv.auth.bootstrap("sup", secrets.token_urlsafe(12))  # a throw-away demo book
    code = inv.add_user("t1", Role.TELLER, by="sup")
    inv.auth.sign_in("t1", code, new_password=secrets.token_urlsafe(12))
    inv.add_bank("ICBC", "工商银行", by="sup")
    inv.add_manufacturer("M01", by="sup")
    inv.add_location("D1", LocationKind.DRAWER, owner="t1", by="sup", name="一号窗口")
    inv.stock_in(sample_manifest(40, prefix="A1"), by="sup")
    inv.allocate("D1", 6, bank="ICBC", by="sup")
    inv.count("D1", by="t1", counted={"ICBC": 6})
    for job in ("job-1", "job-2"):
        b = inv.reserve("D1", "ICBC", job, by="t1")
        inv.spoil(b.card_number, "print_fault", by="t1", job_id=job)
    b = inv.reserve("D1", "ICBC", "job-3", by="t1")
    inv.issue(b.card_number, "job-3", by="t1")
    return inv


def supervisor_screens(out_dir: Path, language: str = "zh_CN") -> list[Path]:
    from PySide6.QtWidgets import QApplication

    from station.config import Settings
    from station.inventory import State
    from station.ui.i18n import set_language
    from station.ui.supervisor import Book, Supervisor
    from station.ui.supervisor.controllers.books import ReportKind
    from station.ui.workers import DeviceWorker

    app = QApplication.instance() or QApplication(sys.argv)
    set_language(language)
    out_dir.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        inv = _demo_book(Path(tmp))
        settings = dataclasses.replace(Settings(), data_dir=tmp, station_id="ST01")
        worker = DeviceWorker("database")
        sup = Supervisor(Book(inv, "sup", worker, settings))  # type: ignore[arg-type]
        sup.resize(1100, 700)
        sup.show()
        try:
            wait_until(lambda: not worker.busy)
            page = sup.counting
            sup.setCurrentWidget(page)
            page.location.setCurrentText("D1")
            page.start()
            wait_until(lambda: page.pages.currentIndex() == 1)
            shelf = [b.card_number for b in inv.blanks(location="D1", state=State.IN_DRAWER)]  # type: ignore[attr-defined]
            page.scan.setText(" ".join(shelf[:-1]))
            page.add_scanned()
            page.ctl.submit()
            wait_until(lambda: page.pages.currentIndex() == 2 and not worker.busy)
            page.missing.model.set_all_checked(True)
            page.note.setText("柜员已查找，未找到")
            path = out_dir / f"supervisor-count-{language}.png"
            app.processEvents()
            sup.grab().save(str(path))
            shots.append(path)
            rep = sup.reports
            sup.setCurrentWidget(rep)
            rep.kind.setCurrentIndex(rep.kind.findData(ReportKind.BALANCE))
            rep.make()
            wait_until(lambda: rep.ctl.report is not None and not worker.busy)
            path = out_dir / f"supervisor-report-{language}.png"
            app.processEvents()
            sup.grab().save(str(path))
            shots.append(path)
        finally:
            worker.stop()
    return shots


def main() -> int:
    return main_for(supervisor_screens, __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
