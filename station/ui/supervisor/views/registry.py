"""Registers page: users, banks, manufacturers and locations, each a table with its add form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.inventory.models import LocationKind, Role
from station.ui.supervisor import words
from station.ui.supervisor.controllers.books import RegistryController
from station.ui.supervisor.models import FilterTable
from station.ui.supervisor.views.common import Page, StatusLine


class _Register(QWidget):
    """One register: its table and an add form of named fields."""

    def __init__(
        self,
        headers: Callable[[], list[str]],
        fields: dict[str, QWidget],
        shown: dict[int, words.Words] | None = None,
    ) -> None:
        super().__init__()
        self.table = FilterTable(headers, words=shown)
        self.fields = fields
        self.labels = {k: QLabel() for k in fields}
        self.add_button = QPushButton()
        self.form_box = QGroupBox()
        form = QFormLayout(self.form_box)
        for k, w in fields.items():
            form.addRow(self.labels[k], w)
        form.addRow("", self.add_button)
        box = QHBoxLayout(self)
        box.addWidget(self.table, 2)
        box.addWidget(self.form_box, 1)

    def text(self, key: str) -> str:
        w = self.fields[key]
        return w.text().strip() if isinstance(w, QLineEdit) else ""

    def choice(self, key: str) -> Any:
        w = self.fields[key]
        return w.currentData() if isinstance(w, QComboBox) else None

    def clear(self) -> None:
        for w in self.fields.values():
            if isinstance(w, QLineEdit):
                w.clear()


def _combo(values: list[Any]) -> QComboBox:
    c = QComboBox()
    for v in values:
        c.addItem("", v)
    return c


class RegistryView(Page):
    def __init__(self, ctl: RegistryController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctl = ctl
        self.users = _Register(
            self._user_headers,
            {"name": QLineEdit(), "role": _combo(list(Role)), "display": QLineEdit()},
            {1: words.role, 3: words.yes_no},
        )
        self.banks = _Register(self._named_headers, {"code": QLineEdit(), "name": QLineEdit()})
        self.makers = _Register(self._named_headers, {"code": QLineEdit(), "name": QLineEdit()})
        self.locations = _Register(
            self._location_headers,
            {
                "code": QLineEdit(),
                "kind": _combo(list(LocationKind)),
                "owner": QLineEdit(),
                "name": QLineEdit(),
            },
            {1: words.kind},
        )
        self.tabs = QTabWidget()
        for reg in (self.users, self.banks, self.makers, self.locations):
            self.tabs.addTab(reg, "")
        self.status = StatusLine()
        box = QVBoxLayout(self)
        box.addWidget(self.tabs, 1)
        box.addWidget(self.status)
        self.users.add_button.clicked.connect(self.add_user)
        self.banks.add_button.clicked.connect(self.add_bank)
        self.makers.add_button.clicked.connect(self.add_maker)
        self.locations.add_button.clicked.connect(self.add_location)
        ctl.loaded.connect(self.show_lists)
        ctl.user_added.connect(self.show_code)
        ctl.failed.connect(self.show_failed)
        self.retranslate()

    def _user_headers(self) -> list[str]:
        return [self.tr("Operator ID"), self.tr("Role"), self.tr("Name"), self.tr("Active")]

    def _named_headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Name")]

    def _location_headers(self) -> list[str]:
        return [self.tr("Code"), self.tr("Kind"), self.tr("Owner"), self.tr("Name")]

    def retranslate(self) -> None:
        tabs = (self.tr("Users"), self.tr("Banks"), self.tr("Manufacturers"), self.tr("Locations"))
        for i, t in enumerate(tabs):
            self.tabs.setTabText(i, t)
        words = {
            "name": self.tr("Name"),
            "role": self.tr("Role"),
            "display": self.tr("Full name"),
            "code": self.tr("Code"),
            "kind": self.tr("Kind"),
            "owner": self.tr("Owner (teller)"),
        }
        self.users.labels["name"].setText(self.tr("Operator ID"))
        for reg in (self.users, self.banks, self.makers, self.locations):
            for k, label in reg.labels.items():
                if not (reg is self.users and k == "name"):
                    label.setText(words[k])
            reg.add_button.setText(self.tr("&Add"))
            reg.form_box.setTitle(self.tr("New entry"))
            reg.table.retranslate()
        roles = {
            Role.TELLER: self.tr("Teller"),
            Role.SUPERVISOR: self.tr("Supervisor"),
            Role.AUDITOR: self.tr("Auditor"),
            Role.TECHNICIAN: self.tr("Technician"),
        }
        kinds = {
            LocationKind.DRAWER: self.tr("Teller's drawer"),
            LocationKind.STATION: self.tr("Station hopper"),
            LocationKind.VAULT: self.tr("Vault"),
            LocationKind.REJECT: self.tr("Reject box"),
        }
        for combo, names in (
            (self.users.fields["role"], roles),
            (self.locations.fields["kind"], kinds),
        ):
            assert isinstance(combo, QComboBox)
            for i in range(combo.count()):
                combo.setItemText(i, names.get(combo.itemData(i), str(combo.itemData(i))))

    def show_lists(self, lists: dict[str, list[tuple[Any, ...]]]) -> None:
        self.users.table.set_rows(lists["users"])
        self.banks.table.set_rows(lists["banks"])
        self.makers.table.set_rows(lists["makers"])
        self.locations.table.set_rows(lists["locations"])

    def add_user(self) -> None:
        u = self.users
        if u.text("name"):
            self.ctl.add_user(u.text("name"), u.choice("role"), u.text("display"))

    def show_code(self, name: str, code: str) -> None:
        self.users.clear()
        self.status.say(
            self.tr("User %1 added. One-time code (shown once, hand it over privately): %2")
            .replace("%1", name)
            .replace("%2", code)
        )

    def add_bank(self) -> None:
        if self.banks.text("code"):
            self.ctl.add_bank(self.banks.text("code"), self.banks.text("name"))
            self.banks.clear()

    def add_maker(self) -> None:
        if self.makers.text("code"):
            self.ctl.add_manufacturer(self.makers.text("code"), self.makers.text("name"))
            self.makers.clear()

    def add_location(self) -> None:
        x = self.locations
        if x.text("code"):
            self.ctl.add_location(x.text("code"), x.choice("kind"), x.text("owner"), x.text("name"))
            x.clear()

    def show_failed(self, _job: str, message: str) -> None:
        self.status.say(message, ok=False)
