"""Printer tab layout: URL, the status in words, moves, simulator faults and remedies."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.printer.sim_protocol import Fault, Remedy
from station.ui.bench.controllers.printer import Move, PrinterController, PrinterReport
from station.ui.bench.views.base import BenchPage


def _noop(marked: object) -> str:
    """What ``QT_TRANSLATE_NOOP`` (which marks a string for lupdate) returns, typed as
    ``str``; the view translates it when shown."""
    return str(marked)


# labels by value; the value stays the data, only the label is translated
MOVE_LABELS = {
    Move.FEED: _noop(QT_TRANSLATE_NOOP("PrinterView", "Feed a card")),
    Move.CONTACTS: _noop(QT_TRANSLATE_NOOP("PrinterView", "To contacts")),
    Move.PRINT: _noop(QT_TRANSLATE_NOOP("PrinterView", "To print position")),
    Move.EJECT: _noop(QT_TRANSLATE_NOOP("PrinterView", "Eject")),
    Move.REJECT: _noop(QT_TRANSLATE_NOOP("PrinterView", "Reject")),
    Move.RESET: _noop(QT_TRANSLATE_NOOP("PrinterView", "Reset")),
}
FAULT_LABELS = {
    Fault.JAM: _noop(QT_TRANSLATE_NOOP("PrinterView", "Jam")),
    Fault.RIBBON_END: _noop(QT_TRANSLATE_NOOP("PrinterView", "Ribbon end")),
    Fault.COVER_OPEN: _noop(QT_TRANSLATE_NOOP("PrinterView", "Cover open")),
    Fault.FEEDER_EMPTY: _noop(QT_TRANSLATE_NOOP("PrinterView", "Feeder empty")),
    Fault.REJECT_FULL: _noop(QT_TRANSLATE_NOOP("PrinterView", "Reject box full")),
    Fault.CHIP_ABSENT: _noop(QT_TRANSLATE_NOOP("PrinterView", "Chip absent")),
    Fault.CHIP_MUTE: _noop(QT_TRANSLATE_NOOP("PrinterView", "Chip mute")),
    Fault.POWER_LOSS: _noop(QT_TRANSLATE_NOOP("PrinterView", "Power loss")),
    Fault.OFFLINE: _noop(QT_TRANSLATE_NOOP("PrinterView", "Offline")),
}
REMEDY_LABELS = {
    Remedy.LOAD_RIBBON: _noop(QT_TRANSLATE_NOOP("PrinterView", "Load ribbon")),
    Remedy.CLEAR_JAM: _noop(QT_TRANSLATE_NOOP("PrinterView", "Clear jam")),
    Remedy.LOAD_CARDS: _noop(QT_TRANSLATE_NOOP("PrinterView", "Load cards")),
    Remedy.EMPTY_REJECT: _noop(QT_TRANSLATE_NOOP("PrinterView", "Empty reject box")),
    Remedy.CLOSE_COVER: _noop(QT_TRANSLATE_NOOP("PrinterView", "Close cover")),
}
FAULT_WORDS = {
    "jam": _noop(QT_TRANSLATE_NOOP("PrinterView", "card jam")),
    "ribbon-end": _noop(QT_TRANSLATE_NOOP("PrinterView", "ribbon ended")),
    "cover-open": _noop(QT_TRANSLATE_NOOP("PrinterView", "cover open")),
    "feeder-empty": _noop(QT_TRANSLATE_NOOP("PrinterView", "feeder empty")),
    "reject-full": _noop(QT_TRANSLATE_NOOP("PrinterView", "reject box full")),
}
POSITION_WORDS = {
    "none": _noop(QT_TRANSLATE_NOOP("PrinterView", "no card inside")),
    "print": _noop(QT_TRANSLATE_NOOP("PrinterView", "print position")),
    "contact": _noop(QT_TRANSLATE_NOOP("PrinterView", "under the contacts")),
    "contactless": _noop(QT_TRANSLATE_NOOP("PrinterView", "contactless station")),
    "unknown": _noop(QT_TRANSLATE_NOOP("PrinterView", "unknown")),
}


class PrinterView(BenchPage):
    def __init__(self, controller: PrinterController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.url_label = QLabel()
        self.url = QLineEdit(controller.url)
        self.url.setObjectName("printerUrl")
        self.url.returnPressed.connect(self.connect_url)
        self.connect_button = QPushButton()
        self.connect_button.clicked.connect(self.connect_url)

        self.status_box = QGroupBox()
        self.form = QFormLayout(self.status_box)
        self.fields: dict[str, tuple[QLabel, QLabel]] = {}
        for key in ("ready", "faults", "armed", "ribbon", "position", "feeder", "model"):
            name, value = QLabel(), QLabel()
            value.setObjectName(f"printer_{key}")
            # counts, event numbers and the model's own name are data, not our wording
            value.setProperty("data", key in ("armed", "ribbon", "model"))
            value.setWordWrap(True)
            self.form.addRow(name, value)
            self.fields[key] = (name, value)

        self.moves_box = QGroupBox()
        moves = QHBoxLayout(self.moves_box)
        self.move_buttons: dict[Move, QPushButton] = {}
        for move in Move:
            button = QPushButton()
            button.setProperty("move", move.value)
            button.clicked.connect(self._move)
            moves.addWidget(button)
            self.move_buttons[move] = button

        self.sim_box = QGroupBox()
        sim = QGridLayout(self.sim_box)
        self.fault_label, self.remedy_label = QLabel(), QLabel()
        sim.addWidget(self.fault_label, 0, 0)
        sim.addWidget(self.remedy_label, 2, 0)
        self.fault_buttons: dict[Fault, QPushButton] = {}
        for i, fault in enumerate(FAULT_LABELS):
            button = QPushButton()
            button.setProperty("fault", fault.value)
            button.clicked.connect(self._fault)
            sim.addWidget(button, i // 5, 1 + i % 5)
            self.fault_buttons[fault] = button
        self.remedy_buttons: dict[Remedy, QPushButton] = {}
        for i, remedy in enumerate(REMEDY_LABELS):
            button = QPushButton()
            button.setProperty("remedy", remedy.value)
            button.clicked.connect(self._remedy)
            sim.addWidget(button, 2, 1 + i)
            self.remedy_buttons[remedy] = button

        self.message = QLabel()
        self.message.setObjectName("printerMessage")
        self.message.setProperty("data", True)  # the printer's or the core's own words
        self.message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.url_label)
        top.addWidget(self.url, 1)
        top.addWidget(self.connect_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status_box)
        layout.addWidget(self.moves_box)
        layout.addWidget(self.sim_box)
        layout.addWidget(self.message)
        layout.addStretch(1)

        controller.report_ready.connect(self.show_report)
        controller.failed.connect(self.show_error)
        controller.busy_changed.connect(self.set_busy)
        self.retranslate()

    def retranslate(self) -> None:
        self.url_label.setText(self.tr("Printer URL:"))
        self.connect_button.setText(self.tr("Connect / &refresh"))
        self.status_box.setTitle(self.tr("Status"))
        labels = {
            "ready": self.tr("Ready"),
            "faults": self.tr("Faults now"),
            "armed": self.tr("Armed faults (simulator)"),
            "ribbon": self.tr("Ribbon left"),
            "position": self.tr("Card position"),
            "feeder": self.tr("Feeder"),
            "model": self.tr("Model / firmware"),
        }
        for key, (name, _value) in self.fields.items():
            name.setText(labels[key])
        self.moves_box.setTitle(self.tr("Moves"))
        for move, button in self.move_buttons.items():
            button.setText(self.tr(MOVE_LABELS[move]))
        self.sim_box.setTitle(self.tr("Simulator"))
        self.fault_label.setText(self.tr("Faults:"))
        self.remedy_label.setText(self.tr("Remedies:"))
        for fault, button in self.fault_buttons.items():
            button.setText(self.tr(FAULT_LABELS[fault]))
        for remedy, button in self.remedy_buttons.items():
            button.setText(self.tr(REMEDY_LABELS[remedy]))
        if self.controller.last is not None:
            self.show_report(self.controller.last)
        else:
            for _name, value in self.fields.values():
                value.setText(self.tr("connecting…"))

    @Slot()
    def connect_url(self) -> None:
        self.message.clear()
        if self.url.text().strip() == self.controller.url:
            self.controller.refresh()
        else:
            self.controller.set_url(self.url.text())

    def _sender_value(self, name: str) -> str:
        sender = self.sender()
        return str(sender.property(name)) if sender is not None else ""

    @Slot()
    def _move(self) -> None:
        self.message.clear()
        self.controller.move(Move(self._sender_value("move")))

    @Slot()
    def _fault(self) -> None:
        self.message.clear()
        self.controller.fault(self._sender_value("fault"))

    @Slot()
    def _remedy(self) -> None:
        self.message.clear()
        self.controller.remedy(self._sender_value("remedy"))

    def fault_words(self, values: tuple[str, ...]) -> str:
        return "、".join(self.tr(FAULT_WORDS.get(v, v)) for v in values) or self.tr("none")

    @Slot(object)
    def show_report(self, report: PrinterReport) -> None:
        st = report.status
        if st is None:
            return
        v = {key: value for key, (_n, value) in self.fields.items()}
        v["ready"].setText(self.tr("yes") if st.ready else self.tr("no"))
        v["ready"].setStyleSheet("color: #1b5e20" if st.ready else "color: #b00020")
        faults = tuple(f.value for f in st.faults)
        if st.cover_open and "cover-open" not in faults:
            faults += ("cover-open",)
        if st.ribbon_left <= 0 and "ribbon-end" not in faults:
            faults += ("ribbon-end",)
        v["faults"].setText(self.fault_words(faults))
        if report.simulator:
            armed = [
                self.tr("{0} at the {1}th event").format(
                    self.tr(FAULT_LABELS.get(Fault(k), k)) if k in set(Fault) else k, n
                )
                for k, _sep, n in (a.partition("@") for a in st.armed)
            ]
            v["armed"].setText("、".join(armed) or self.tr("none"))
        else:
            v["armed"].setText(self.tr("not a simulator"))
        v["ribbon"].setText(self.tr("{0} prints").format(st.ribbon_left))
        v["position"].setText(self.tr(POSITION_WORDS.get(st.position.value, st.position.value)))
        v["feeder"].setText(self.tr("loaded") if st.feeder_loaded else self.tr("empty"))
        v["model"].setText(f"{st.model} · {st.firmware} · {st.serial}")
        for button in self.fault_buttons.values():
            button.setEnabled(report.simulator)
        for button in self.remedy_buttons.values():
            button.setEnabled(report.simulator)

    @Slot(str)
    def show_error(self, message: str) -> None:
        self.message.setStyleSheet("color: #b00020")
        self.message.setText(message)

    @Slot(bool)
    def set_busy(self, busy: bool) -> None:
        for button in (*self.move_buttons.values(), self.connect_button):
            button.setEnabled(not busy)
