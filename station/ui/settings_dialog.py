"""The settings dialog: database URL, readers, printer URL, outlet, idle lock.

The readers are PC/SC names: the card reader (the printer's contact station), the PSAM
reader and the desktop reader at the counter, where a printed card that left the printer
is made up (制卡补登); an empty desktop reader means there is none.  Names are checked
as the settings file's are (``config.reader_name_from``: one printable line, bounded).

Saving writes the TOML settings file (``station.fsutil.write_file``: 0600, atomic, never
through a symlink), keeping the keys it does not show; the idle lock takes effect at once,
the other values at the next start, when the settings are read once again (the dialog says
so).  The idle lock is in minutes; fractions are allowed (0.5 = 30 s).
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from station.config import (
    READER_FIELDS,
    READER_NAME_MAX,
    Settings,
    config_path,
    db_url_from,
    reader_name_from,
)
from station.errors import StationError
from station.fsutil import write_file

FIELDS = ("db_url", "card_reader", "psam_reader", "desk_reader", "printer_url", "outlet")


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return str(v)
    s = str(v).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{s}"'


def save_settings(path: Path, values: dict[str, Any]) -> None:
    """Merge ``values`` into the TOML file at ``path`` and write it privately."""
    current: dict[str, Any] = {}
    if path.is_file():
        try:
            current = tomllib.loads(path.read_text(encoding="utf-8")[:1_000_000])
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            current = {}
    current.update(values)
    text = "".join(f"{k} = {_toml_value(v)}\n" for k, v in sorted(current.items()))
    write_file(path, text.encode("utf-8"))


class SettingsDialog(QDialog):
    def __init__(
        self, settings: Settings, path: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.path = path or config_path()
        form = QFormLayout(self)
        self.edits: dict[str, QLineEdit] = {}
        self.labels: dict[str, QLabel] = {}
        for name in FIELDS:
            self.labels[name] = QLabel()
            self.edits[name] = QLineEdit(str(getattr(settings, name)))
            if name in READER_FIELDS:
                self.edits[name].setMaxLength(READER_NAME_MAX)
            form.addRow(self.labels[name], self.edits[name])
        self.labels["idle"] = QLabel()
        self.idle = QDoubleSpinBox()
        self.idle.setDecimals(1)
        self.idle.setRange(0.5, 240.0)
        self.idle.setSingleStep(1.0)
        self.idle.setValue(settings.idle_lock_minutes)
        form.addRow(self.labels["idle"], self.idle)
        self.note = QLabel()
        self.note.setWordWrap(True)
        form.addRow(self.note)
        self.error = QLabel()  # the core's own words (Chinese first), or empty
        self.error.setProperty("data", True)
        form.addRow(self.error)
        # our own buttons: a standard button re-reads Qt's catalogue on a language change
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.retranslateUi()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.setWindowTitle(self.tr("Settings"))
        self.save_button.setText(self.tr("Save"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.note.setText(
            self.tr(
                "The idle lock changes at once; the database, readers, printer and outlet "
                "at the next start."
            )
        )
        for name, text in (
            ("db_url", self.tr("Database URL")),
            ("card_reader", self.tr("Card reader")),
            ("psam_reader", self.tr("PSAM reader")),
            ("desk_reader", self.tr("Desktop reader at the counter (empty: none)")),
            ("printer_url", self.tr("Card printer URL")),
            ("outlet", self.tr("Outlet")),
            ("idle", self.tr("Lock after idle minutes")),
        ):
            self.labels[name].setText(text)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {n: self.edits[n].text().strip() for n in FIELDS}
        out["db_url"] = db_url_from(out["db_url"])
        for name in READER_FIELDS:
            out[name] = reader_name_from(out[name])
        out["idle_lock_minutes"] = self.idle.value()
        return out

    def save(self) -> None:
        try:
            values = self.values()
            save_settings(self.path, values)
        except StationError as exc:
            self.error.setText(exc.message)
            return
        self.settings = replace(self.settings, **values)
        self.accept()
