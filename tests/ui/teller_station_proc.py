"""The station's desktop app in a process of its own, to be SIGKILLed by a test mid-issuance.

The app is ``station gui`` itself (``station.cli.main(["gui"])``: settings from the
``STATION_*`` variables the test sets, the offscreen QApplication, the UI-thread collector,
``create_window`` with its device workers).  A driver, run by the app's own event loop,
does what the teller does: signs in through the sign-in page with the keyboard, opens the
Issuance tab (Ctrl+Tab), fills the applicant form once the drawer's stock is known and
presses Issue (Ctrl+Enter) — TellerScreen, TellerController and its workers do the rest
against the test's stock book, pcscd + vpcd and the printer simulator over TCP.

Test-only and harmless: ``Journal.advance`` is wrapped *in this process* so that every
journal step, once committed, is written as one line to the report pipe (fd ``REPORT_FD``,
inherited from the test); after ``STEP`` the job's thread stops right there — it reads
stdin, where the test writes nothing after the password line — until the test SIGKILLs
the process (end of input, the test gone, ends it too).  Lines besides the steps:
``signed-in``, ``issuing``, ``error …`` and ``ended …`` (the job finished before
``STEP``: the test fails on those).

Usage: ``python -m tests.ui.teller_station_proc STEP REPORT_FD VALUES_JSON OPERATOR``, the
operator's password on the first line of stdin; the application's values as JSON (the
photo in base64).
"""

from __future__ import annotations

import base64
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from station.issuance.journal import Journal


class Report:
    """One line per event on the inherited pipe (short lines: each write is atomic)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.lock = threading.Lock()

    def __call__(self, line: str) -> None:
        with self.lock:
            os.write(self.fd, (line.replace("\n", " ") + "\n").encode("utf-8"))


def hold_at(step: str, report: Report) -> None:
    """Report every committed journal step; after ``step``, stop the job's thread there."""
    advance = Journal.advance

    def advance_then_report(self: Journal, job_id: str, s: Any, **kw: Any) -> Any:
        info = advance(self, job_id, s, **kw)
        # ``then``: further steps committed in the same transaction (Journal.advance)
        steps = [s.value, *(t.step.value for t in kw.get("then", ()))]
        for name in steps:
            report(name)
        if step in steps:
            sys.stdin.buffer.read()  # blocks until the SIGKILL (or the test is gone)
            os._exit(3)
        return info

    Journal.advance = advance_then_report  # type: ignore[method-assign]


class Teller(QObject):
    """What the teller does at the counter, driven by the app's own signals."""

    def __init__(self, report: Report, values: dict[str, Any], operator: str, password: str):
        super().__init__()
        self.report = report
        self.values = values
        self.operator = operator
        self.password = password
        self.window: Any = None
        self.screen: Any = None

    def fail(self, text: str) -> None:
        self.report(f"error {text}")
        QApplication.exit(2)

    def sign_in(self) -> None:
        from station.ui.shell import MainWindow

        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if len(windows) != 1:
            self.fail(f"{len(windows)} main windows")
            return
        self.window = w = windows[0]
        w.stack.currentChanged.connect(self.signed_in)
        w.signin.sign_in.installEventFilter(self)  # enabled again: signed in, or refused
        QTest.keyClicks(w.signin.user, self.operator)
        QTest.keyClick(w.signin.user, Qt.Key.Key_Return)  # Enter moves to the password
        QTest.keyClicks(w.signin.password, self.password)
        self.password = ""
        QTest.keyClick(w.signin.password, Qt.Key.Key_Return)  # Enter signs in

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.EnabledChange and self.window.signin.sign_in.isEnabled():
            QTimer.singleShot(0, self, self.refused)  # after the window's own slot ends
        return False

    def refused(self) -> None:
        w = self.window
        if w.stack.currentWidget() is w.signin and w.signin.error.text():
            self.fail(f"sign-in refused: {w.signin.error.text()}")

    def signed_in(self, _index: int) -> None:
        from station.ui.teller import TellerScreen

        w = self.window
        if w.stack.currentWidget() is not w.tabs:
            return
        self.report("signed-in")
        self.screen = s = w.screens.get("issuance")
        if not isinstance(s, TellerScreen):
            self.fail(f"no teller screen: {type(s).__name__}")
            return
        QTest.keyClick(w.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
        if w.tabs.currentWidget() is not s:
            self.fail("Ctrl+Tab did not open the issuance tab")
            return
        # after the screen's own slot: the form's banks are the drawer's when this runs
        s.ctl.stock_ready.connect(self.issue, Qt.ConnectionType.SingleShotConnection)
        s.ctl.issued.connect(self.ended)
        s.ctl.failed.connect(self.ended)

    def issue(self, stock: Any) -> None:
        s = self.screen
        if stock.problem:
            self.fail(f"stock: {stock.problem}")
            return
        s.form.fill(self.values)
        if s.validate() is None or not s.issue_button.isEnabled():
            problems = {k: v.text() for k, v in s.form.problems.items() if v.text()}
            self.fail(f"the form is not ready: {problems} {s.message.text()}")
            return
        self.report("issuing")
        s.form.name.setFocus()  # the teller is in the form (the screen's keys work there)
        QTest.keyClick(s.form.name, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        if not s.ctl.running:
            self.fail("Ctrl+Enter did not start the job")

    def ended(self, what: Any) -> None:
        outcome = getattr(what, "outcome", what)
        job = getattr(outcome, "job", None)
        self.report(f"ended {job.state.value if job else getattr(what, 'error', what)}")
        QApplication.exit(4)


def main(step: str, report_fd: str, values_json: str, operator: str) -> int:
    from station.cli import main as station

    report = Report(int(report_fd))
    password = sys.stdin.buffer.readline().decode("utf-8").rstrip("\n")
    values = json.loads(Path(values_json).read_text("utf-8"))
    if values.get("photo"):
        values["photo"] = base64.b64decode(values["photo"])
    hold_at(step, report)
    app = QApplication(sys.argv[:1])  # ``station gui`` takes this one (instance())
    teller = Teller(report, values, operator, password)
    QTimer.singleShot(0, app, teller.sign_in)  # once the window is up and the loop runs
    return station(["gui"])


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
