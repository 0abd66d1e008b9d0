"""``station gui``: the QApplication, the translator, the device workers, the main window.

The settings are read once by the CLI and passed in.  With ``virtual=True`` (training
mode) a virtual card and a virtual PSAM are served through pcscd + vpcd on the configured
slots and the printer simulator listens on a free local port with blank cards in its
feeder (``TRAINING_BLANKS`` demo chips: the printer is ready, as at a counter), so a new
clerk or technician practises on the very code paths of real devices.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from station.config import Settings

log = logging.getLogger("station.ui")

TRAINING_CARD = "gen3-sm4-issued"
TRAINING_PSAM = "psam-sm4"
TRAINING_BLANKS = 20  # demo chips in the training printer's feeder


@dataclass
class Training:
    """The virtual devices of training mode; ``stop`` takes them away again."""

    links: list[Any] = field(default_factory=list)
    simulator: Any = None

    def stop(self) -> None:
        for link in self.links:
            link.stop()
        if self.simulator is not None:
            self.simulator.stop()


def start_training(settings: Settings) -> tuple[Settings, Training]:
    """Serve the training card (slot 0) and PSAM (slot 1) and the printer simulator."""
    from pathlib import Path

    from station.emulator.cards import make_card, make_psam
    from station.emulator.vpcd import VpcdLink, reader_name, slot_port
    from station.printer.simulator import BareChip, PrinterSimulator

    card_state = Path(settings.data_dir) / "training-card.json"
    card_state.parent.mkdir(parents=True, exist_ok=True)
    card = make_card(TRAINING_CARD, state_path=card_state, directory=settings.profiles_dir or None)
    psam = make_psam(TRAINING_PSAM, directory=settings.profiles_dir or None)
    t = Training()
    t.links = [VpcdLink(card, port=slot_port(0)).start(), VpcdLink(psam, port=slot_port(1)).start()]
    t.simulator = PrinterSimulator(
        [(f"training-{i}", BareChip(i)) for i in range(1, TRAINING_BLANKS + 1)]
    )
    url = t.simulator.serve_tcp("127.0.0.1", 0)
    return (
        settings.with_overrides(
            card_reader=reader_name(0),
            psam_reader=reader_name(1),
            printer_url=url,
            key_file="",
            outlet=settings.outlet or "培训网点 training",
        ),
        t,
    )


def create_window(settings: Settings, *, training: bool = False) -> Any:
    """The main window over started workers (the QApplication must exist)."""
    from station.ui import i18n
    from station.ui.shell import MainWindow
    from station.ui.workers import UiContext, Workers

    i18n.set_language(settings.language)
    workers = Workers(settings).start()
    return MainWindow(UiContext(settings, workers), training=training)


def main(
    argv: Sequence[str] | None = None,
    settings: Settings | None = None,
    *,
    virtual: bool = False,
    for_seconds: float | None = None,
) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from station.config import load_settings
    from station.ui.collector import UiThreadCollector

    settings = settings or load_settings()
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    collector = UiThreadCollector(app)  # cycles die on this thread, never a device's
    training: Training | None = None
    window: Any = None
    try:
        if virtual:
            settings, training = start_training(settings)
        window = create_window(settings, training=virtual)
        window.resize(1100, 720)
        window.show()
        if for_seconds is not None:  # a bounded run: close the window as a user would
            QTimer.singleShot(int(for_seconds * 1000), window, window.close)
        return int(app.exec())
    finally:
        if window is not None:
            window.ctx.workers.stop_all()
        if training is not None:  # the virtual devices go, even when the window never came
            training.stop()
        collector.stop()
