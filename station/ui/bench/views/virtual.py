"""Virtual cards tab layout: one box per vpcd slot with profile, serve, insert, remove."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.ui.bench.controllers.virtual import SLOTS, SlotState, VirtualCardsController
from station.ui.bench.views.base import BenchPage


class _SlotBox(QGroupBox):
    def __init__(self, slot: int, profiles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slot = slot
        self.setProperty("data", True)  # the title carries the slot number and reader name
        self.profile_label = QLabel()
        self.profile = QComboBox()
        self.profile.setProperty("data", True)  # profile names
        self.profile.addItems(profiles)
        default = "psam-sm4" if slot == 1 else "gen3-sm4-issued"
        if default in profiles:
            self.profile.setCurrentText(default)
        self.serve = QPushButton()
        self.insert = QPushButton()
        self.remove = QPushButton()
        self.state = QLabel()
        self.state.setObjectName(f"slotState{slot}")
        grid = QGridLayout(self)
        grid.addWidget(self.profile_label, 0, 0)
        grid.addWidget(self.profile, 0, 1, 1, 3)
        grid.addWidget(self.serve, 1, 1)
        grid.addWidget(self.insert, 1, 2)
        grid.addWidget(self.remove, 1, 3)
        grid.addWidget(self.state, 2, 0, 1, 4)


class VirtualCardsView(BenchPage):
    def __init__(self, controller: VirtualCardsController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        profiles = controller.profiles()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.boxes = {s: _SlotBox(s, profiles) for s in SLOTS}
        self.error = QLabel()
        self.error.setProperty("data", True)  # the core's own words (Chinese first)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        for box in self.boxes.values():
            box.serve.clicked.connect(self._serve)
            box.insert.clicked.connect(self._insert)
            box.remove.clicked.connect(self._remove)
            layout.addWidget(box)
        layout.addWidget(self.error)
        layout.addStretch(1)
        controller.slot_changed.connect(self.show_slot)
        controller.failed.connect(self.error.setText)
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(
            self.tr(
                "Serve a card or PSAM profile on a vpcd slot; pcscd then shows it in that "
                "reader. Insert and remove act like a hand at the reader."
            )
        )
        for slot, box in self.boxes.items():
            box.profile_label.setText(self.tr("Profile:"))
            box.serve.setText(self.tr("Serve"))
            box.insert.setText(self.tr("Insert"))
            box.remove.setText(self.tr("Remove"))
            self.show_slot(self.controller.state(slot))

    def _box_of_sender(self) -> _SlotBox | None:
        button = self.sender()
        for box in self.boxes.values():
            if button in (box.serve, box.insert, box.remove):
                return box
        return None

    @Slot()
    def _serve(self) -> None:
        box = self._box_of_sender()
        if box is not None and box.profile.currentText():
            self.error.clear()
            self.controller.serve(box.slot, box.profile.currentText())

    @Slot()
    def _insert(self) -> None:
        box = self._box_of_sender()
        if box is not None:
            self.error.clear()
            self.controller.insert(box.slot)

    @Slot()
    def _remove(self) -> None:
        box = self._box_of_sender()
        if box is not None:
            self.controller.remove(box.slot)

    @Slot(object)
    def show_slot(self, state: SlotState) -> None:
        box = self.boxes[state.slot]
        box.setTitle(self.tr("Slot {0} — reader “{1}”").format(state.slot, state.reader))
        if not state.profile:
            text = self.tr("nothing served")
        elif state.connected:
            text = self.tr("{0} ({1}) in the reader").format(state.profile, state.kind)
        elif state.inserted:
            text = self.tr("{0} ({1}) going in…").format(state.profile, state.kind)
        else:
            text = self.tr("{0} ({1}) removed").format(state.profile, state.kind)
        box.state.setText(text)
        box.insert.setEnabled(bool(state.profile) and not state.inserted)
        box.remove.setEnabled(state.inserted)
