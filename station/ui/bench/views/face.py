"""Face preview tab layout: choose a profile, see its face with sample data."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station.ui.bench.controllers.face import FaceController, FacePreview
from station.ui.bench.views.base import BenchPage


class FaceView(BenchPage):
    def __init__(self, controller: FaceController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.profile = QComboBox()
        self.profile.setProperty("data", True)  # profile names
        self.profile.addItems(controller.profiles())
        if "gen3-sm4-issued" in controller.profiles():
            self.profile.setCurrentText("gen3-sm4-issued")
        self.render_button = QPushButton()
        self.render_button.clicked.connect(self.render_chosen)
        self.image = QLabel()
        self.image.setObjectName("facePreview")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(428, 280)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.error = QLabel()
        self.error.setProperty("data", True)  # the core's own words (Chinese first)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        row = QHBoxLayout()
        row.addWidget(self.profile, 1)
        row.addWidget(self.render_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.error)
        controller.rendered.connect(self.show_preview)
        controller.failed.connect(self.show_error)
        self.retranslate()

    def retranslate(self) -> None:
        self.render_button.setText(self.tr("&Preview face"))
        if self.controller.last is not None:
            self.show_preview(self.controller.last)
        else:
            self.caption.setText(self.tr("Sample data only: a fictional holder."))

    @Slot()
    def render_chosen(self) -> None:
        self.error.clear()
        self.controller.render(self.profile.currentText())

    @Slot(object)
    def show_preview(self, preview: FacePreview) -> None:
        pixmap = QPixmap()
        pixmap.loadFromData(preview.png, "PNG")
        self.image.setPixmap(
            pixmap.scaled(
                self.image.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.caption.setText(
            self.tr("{0}: sample holder {1}, card number {2} (fictional)").format(
                preview.profile, preview.name, preview.card_number
            )
        )

    @Slot(str)
    def show_error(self, message: str) -> None:
        self.image.clear()
        self.error.setText(message)
