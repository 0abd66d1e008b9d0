"""The applicant form: fields in tab order, a message under each field while typing, the
photo (file or drag-and-drop, cropped to ID-photo proportions) and the rare-character helper.

Layout only, plus the keyboard rules of the counter: Enter moves to the next field (the
rare-character button is skipped: it has Ctrl+G) and, on a button, presses it; the ID
number fills birth date, sex and birthplace the moment it is valid (the teller may still
change them, and the form says so when they disagree).  The file and pinyin dialogs are
opened with ``open()``, never ``exec()``: the event loop keeps running and the dialog
takes the keys (a path typed and Enter).  The rules themselves are
``form_logic``'s; combo boxes keep codes in item data, only labels are translated.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.errors import StationError
from station.ui.teller import form_logic

ETHNICITIES = (
    ("01", "Han"),
    ("02", "Mongol"),
    ("03", "Hui"),
    ("04", "Tibetan"),
    ("05", "Uyghur"),
    ("06", "Miao"),
    ("08", "Zhuang"),
    ("11", "Manchu"),
)


def _problem_label() -> QLabel:
    label = QLabel()
    label.setProperty("data", True)  # the rules' own bilingual words
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


class PhotoBox(QLabel):
    """Shows the cropped photo; takes a dropped image file."""

    dropped = Signal(object)  # Path

    def __init__(self) -> None:
        super().__init__()
        self.setAcceptDrops(True)
        self.setFixedSize(form_logic.ID_PHOTO[0] // 2 + 10, form_logic.ID_PHOTO[1] // 2 + 10)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("border: 1px dashed #888;")
        self.setWordWrap(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.dropped.emit(Path(urls[0].toLocalFile()))
            event.acceptProposedAction()


class ApplicantForm(QGroupBox):
    """The applicant's data; ``changed`` after every edit, ``photo_file`` when a file is
    chosen or dropped (the controller crops it off the UI thread)."""

    changed = Signal()
    photo_file = Signal(object)  # Path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("teller-form")
        self.photo: bytes | None = None
        self.glyphs: dict[str, bytes] = {}
        self.app_id, self.ssn, self.name = QLineEdit(), QLineEdit(), QLineEdit()
        self.birth_date, self.birthplace = QLineEdit(), QLineEdit()
        self.sex, self.ethnicity = QComboBox(), QComboBox()
        self.bank, self.reason = QComboBox(), QComboBox()
        self.ethnicity.setEditable(False)
        self.rare = QPushButton()
        self.choose_photo, self.no_photo = QPushButton(), QPushButton()
        for button in (self.rare, self.choose_photo, self.no_photo):
            button.setAutoDefault(True)  # Enter on the focused button presses it
        self.photo_box = PhotoBox()
        self.open_dialog: QDialog | None = None  # the photo / pinyin / glyph dialog shown
        self.labels: dict[str, QLabel] = {f: QLabel() for f in form_logic.FIELDS}
        self.problems: dict[str, QLabel] = {f: _problem_label() for f in form_logic.FIELDS}
        self.fields: dict[str, QWidget] = {
            "application_id": self.app_id,
            "ssn": self.ssn,
            "name": self.name,
            "sex": self.sex,
            "birth_date": self.birth_date,
            "ethnicity": self.ethnicity,
            "birthplace": self.birthplace,
            "bank": self.bank,
            "reason": self.reason,
            "photo": self.choose_photo,
        }
        self._lay_out()
        self._connect()
        self.retranslateUi()

    def _lay_out(self) -> None:
        form = QFormLayout()
        for key in form_logic.FIELDS:
            cell = QVBoxLayout()
            if key == "name":
                row = QHBoxLayout()
                row.addWidget(self.name, 1)
                row.addWidget(self.rare)
                cell.addLayout(row)
            elif key == "photo":
                row = QHBoxLayout()
                row.addWidget(self.photo_box, 0, Qt.AlignmentFlag.AlignTop)
                buttons = QVBoxLayout()
                buttons.addWidget(self.choose_photo)
                buttons.addWidget(self.no_photo)
                buttons.addStretch(1)
                row.addLayout(buttons)
                cell.addLayout(row)
            else:
                cell.addWidget(self.fields[key])
            cell.addWidget(self.problems[key])
            form.addRow(self.labels[key], cell)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addStretch(1)
        order = (
            [self.fields[k] for k in form_logic.FIELDS[:3]]
            + [self.rare]
            + [self.fields[k] for k in form_logic.FIELDS[3:]]
            + [self.no_photo]
        )
        for a, b in itertools.pairwise(order):
            QWidget.setTabOrder(a, b)

    def _connect(self) -> None:
        for edit in (self.app_id, self.ssn, self.name, self.birth_date, self.birthplace):
            edit.textChanged.connect(self._edited)
            edit.installEventFilter(self)
        for box in (self.sex, self.ethnicity, self.bank, self.reason):
            box.currentIndexChanged.connect(self._edited)
            box.installEventFilter(self)
        self.ssn.textEdited.connect(self._fill_from_id)
        self.choose_photo.clicked.connect(self._choose_photo)
        self.no_photo.clicked.connect(self.clear_photo)
        self.photo_box.dropped.connect(self.photo_file.emit)
        self.rare.clicked.connect(self._rare_character)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter (without Ctrl) moves to the next field, as on a paper form."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            if enter and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                order = list(self.fields.values())
                if watched in order and watched is not order[-1]:
                    order[order.index(watched) + 1].setFocus(Qt.FocusReason.TabFocusReason)
                else:
                    self.focusNextChild()
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslateUi()
        super().changeEvent(event)

    def retranslateUi(self) -> None:
        self.setTitle(self.tr("Applicant"))
        names = {
            "application_id": self.tr("Application no."),
            "ssn": self.tr("ID number"),
            "name": self.tr("Name"),
            "sex": self.tr("Sex"),
            "birth_date": self.tr("Birth date"),
            "ethnicity": self.tr("Ethnicity"),
            "birthplace": self.tr("Birthplace code"),
            "bank": self.tr("Bank"),
            "reason": self.tr("Reason"),
            "photo": self.tr("Photo"),
        }
        for key, label in self.labels.items():
            label.setText(names[key])
        self.birth_date.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.rare.setText(self.tr("Rare character… (Ctrl+G)"))
        self.choose_photo.setText(self.tr("Choose photo…"))
        self.no_photo.setText(self.tr("No photo (child under 7)"))
        self._fill_combo(self.sex, (("1", self.tr("Male")), ("2", self.tr("Female"))))
        self._fill_combo(
            self.reason,
            (
                ("first", self.tr("First card")),
                ("replacement", self.tr("Replacement (lost)")),
                ("exchange", self.tr("Exchange")),
            ),
        )
        eth = {
            "Han": self.tr("Han"),
            "Mongol": self.tr("Mongol"),
            "Hui": self.tr("Hui"),
            "Tibetan": self.tr("Tibetan"),
            "Uyghur": self.tr("Uyghur"),
            "Miao": self.tr("Miao"),
            "Zhuang": self.tr("Zhuang"),
            "Manchu": self.tr("Manchu"),
        }
        self._fill_combo(self.ethnicity, tuple((c, f"{c} {eth[n]}") for c, n in ETHNICITIES))
        if self.photo is None:
            self.photo_box.setText(self.tr("Drop a photo here"))

    @staticmethod
    def _fill_combo(box: QComboBox, items: tuple[tuple[str, str], ...]) -> None:
        keep = box.currentData()
        box.blockSignals(True)
        box.clear()
        for code, text in items:
            box.addItem(text, code)
        i = box.findData(keep)
        box.setCurrentIndex(max(0, i))
        box.blockSignals(False)

    # -- values ---------------------------------------------------------------------------
    def set_banks(self, banks: dict[str, int]) -> None:
        """The banks with blanks in this teller's drawer (the count shown with each)."""
        keep = self.bank.currentData()
        self.bank.blockSignals(True)
        self.bank.clear()
        for code in sorted(banks):
            self.bank.addItem(f"{code} ({banks[code]})", code)
        i = self.bank.findData(keep)
        self.bank.setCurrentIndex(i if i >= 0 else 0)
        self.bank.blockSignals(False)
        self.bank.setProperty("data", True)

    def values(self) -> dict[str, Any]:
        return {
            "application_id": self.app_id.text().strip(),
            "ssn": self.ssn.text().strip().upper(),
            "name": self.name.text(),
            "sex": self.sex.currentData() or "",
            "birth_date": self.birth_date.text().strip(),
            "ethnicity": self.ethnicity.currentData() or "",
            "birthplace": self.birthplace.text().strip(),
            "bank": self.bank.currentData() or "",
            "reason": self.reason.currentData() or "first",
            "photo": self.photo,
            "glyphs": {k: v for k, v in self.glyphs.items() if f"[{k}]" in self.name.text()},
        }

    def show_problems(self, problems: dict[str, str]) -> None:
        for key, label in self.problems.items():
            label.setText(problems.get(key, ""))
            label.setVisible(bool(problems.get(key)))

    def _edited(self) -> None:
        self.changed.emit()

    def _fill_from_id(self, text: str) -> None:
        told = form_logic.suggest_from_id(text)
        if told is None:
            return
        born, sex, place = told
        self.birth_date.setText(born.isoformat())
        self.sex.setCurrentIndex(max(0, self.sex.findData(sex)))
        if not self.birthplace.text().strip():
            self.birthplace.setText(place)
        self.changed.emit()

    def set_photo(self, data: bytes | None) -> None:
        self.photo = data
        if data is None:
            self.photo_box.clear()
            self.photo_box.setText(self.tr("Drop a photo here"))
        else:
            pix = QPixmap()
            pix.loadFromData(data)
            self.photo_box.setPixmap(
                pix.scaled(self.photo_box.size() * 0.95, Qt.AspectRatioMode.KeepAspectRatio)
            )
        self.changed.emit()

    def clear_photo(self) -> None:
        self.set_photo(None)

    def _file_dialog(self, title: str, kinds: str, done: Callable[[str], None]) -> QFileDialog:
        """An image file dialog, open without blocking; ``done`` gets the chosen path."""
        dialog = QFileDialog(self, title, "", kinds)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(done)
        return dialog

    def _show(self, dialog: QDialog) -> None:
        self.open_dialog = dialog
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        """The keys come back to the form (its field that had them), whether or not the
        window system gives the window back its activation by itself."""
        self.open_dialog = None
        self.window().activateWindow()

    def _choose_photo(self) -> None:
        """Ctrl+O, or Enter on the button: a file dialog where the path may be typed."""
        if self.open_dialog is None:
            self._show(
                self._file_dialog(
                    self.tr("Choose the applicant's photo"),
                    self.tr("Images (*.jpg *.jpeg *.png *.bmp)"),
                    self._photo_chosen,
                )
            )

    def _photo_chosen(self, name: str) -> None:
        if name:
            self.photo_file.emit(Path(name))

    def _rare_character(self) -> None:
        """Ask the pinyin, insert ``[PINYIN]`` at the cursor, then the glyph image."""
        if self.open_dialog is not None:
            return
        ask = QInputDialog(self)
        ask.setWindowTitle(self.tr("Rare character"))
        ask.setLabelText(self.tr("Pinyin of the character (capitals):"))
        ask.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ask.textValueSelected.connect(self._pinyin_given)
        self._show(ask)

    def _pinyin_given(self, pinyin: str) -> None:
        if not pinyin.strip():
            return
        dialog = self._file_dialog(
            self.tr("Glyph image of the character"),
            self.tr("Images (*.png *.jpg *.bmp)"),
            partial(self._glyph_chosen, pinyin),
        )
        dialog.rejected.connect(partial(self._glyph_chosen, pinyin, ""))  # no image yet
        QTimer.singleShot(0, partial(self._show, dialog))  # once the pinyin dialog is gone

    def _glyph_chosen(self, pinyin: str, glyph: str) -> None:
        try:
            self.add_rare(pinyin, Path(glyph) if glyph else None)
        except StationError as exc:  # a typed error: one line under the name
            self.problems["name"].setText(exc.message)
            self.problems["name"].setVisible(True)

    def add_rare(self, pinyin: str, glyph: Path | None) -> None:
        """Insert ``[PINYIN]`` at the name's cursor and attach the glyph image file."""
        name, cursor = form_logic.insert_rare(self.name.text(), self.name.cursorPosition(), pinyin)
        if glyph is not None:
            self.glyphs[pinyin.strip().upper()] = form_logic.glyph_from_file(glyph)
        self.name.setText(name)
        self.name.setCursorPosition(cursor)
        self.changed.emit()

    def reset(self, application_id: str) -> None:
        """An empty form for the next applicant (the bank stays)."""
        for edit in (self.ssn, self.name, self.birth_date, self.birthplace):
            edit.clear()
        self.app_id.setText(application_id)
        self.glyphs.clear()
        self.set_photo(None)
        self.ssn.setFocus()

    def fill(self, values: dict[str, Any]) -> None:
        """Put plain values in (tests, a loaded application)."""
        self.app_id.setText(str(values.get("application_id", "")))
        self.ssn.setText(str(values.get("ssn", "")))
        self._fill_from_id(self.ssn.text())
        self.name.setText(str(values.get("name", "")))
        if values.get("birth_date"):
            self.birth_date.setText(str(values["birth_date"]))
        for box, key in (
            (self.sex, "sex"),
            (self.ethnicity, "ethnicity"),
            (self.bank, "bank"),
            (self.reason, "reason"),
        ):
            i = box.findData(values.get(key))
            if i >= 0:
                box.setCurrentIndex(i)
        if values.get("birthplace"):
            self.birthplace.setText(str(values["birthplace"]))
        self.glyphs = dict(values.get("glyphs") or {})
        self.set_photo(values.get("photo"))


def today() -> dt.date:
    return dt.date.today()
