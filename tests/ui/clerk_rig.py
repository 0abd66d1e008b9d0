"""The clerk screen over real pcscd + vpcd: the virtual card in slot 0, the virtual PSAM in
slot 1 (PsamKeyProvider over PC/SC on the PSAM worker), workers started, a clerk signed in."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QElapsedTimer, QObject, QTimer, Slot

from station.emulator.cards import make_card, make_psam
from station.profiles import load_profile
from station.ui.clerk.view import ClerkView

CARD = "gen3-sm4-issued"
PSAM = "psam-sm4"
NEW_PIN = "358024"
NEW_PIN_2 = "917364"
WRONG_PIN = "404040"
WAIT_MS = 30_000


class Watchdog(QObject):
    """A 10 ms timer on the UI thread; the largest gap between its ticks is how long the
    event loop was blocked (plus at most one interval)."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self.tick)
        self.clock = QElapsedTimer()
        self.largest_ms = 0
        self.ticks = 0

    def start(self) -> None:
        self.largest_ms = 0
        self.ticks = 0
        self.clock.start()
        self.timer.start()

    @Slot()
    def tick(self) -> None:
        self.largest_ms = max(self.largest_ms, self.clock.restart())
        self.ticks += 1

    def stop(self) -> int:
        self.timer.stop()
        self.largest_ms = max(self.largest_ms, self.clock.elapsed())
        return self.largest_ms


@dataclass
class Rig:
    view: ClerkView
    ctx: Any
    links: Any
    qtbot: Any

    def insert(self) -> None:
        c = self.view.controller
        self.links[0].insert(self.card)
        self.qtbot.waitUntil(
            lambda: (
                c.card is not None
                or (not c.busy and self.view.status.text() not in ("", "Working with the card…"))
            ),
            timeout=WAIT_MS,
        )
        assert c.card is not None, self.view.status.text()

    def serve(self, op: Any) -> Any:
        """Run one service (``op`` clicks) and wait for its receipt."""
        with self.qtbot.waitSignal(self.view.controller.service_done, timeout=WAIT_MS) as sig:
            op()
        return sig.args[0]

    card: Any = None


def make_rig(qtbot: Any, app_ctx: Any, vpcd_slots: Any) -> Iterator[Rig]:
    from station.apdu.pcsc import wait_for_card
    from station.emulator.vpcd import reader_name

    app_ctx.operator = "clerk1"
    vpcd_slots[1].insert(make_psam(load_profile(PSAM)))
    wait_for_card(reader_name(1), 10)
    view = ClerkView(app_ctx)
    qtbot.addWidget(view)
    rig = Rig(view, app_ctx, vpcd_slots, qtbot, card=make_card(load_profile(CARD)))
    yield rig


def deadline(seconds: float) -> float:
    return time.monotonic() + seconds
