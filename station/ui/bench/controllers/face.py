"""Face preview tab: a profile's face layout drawn with sample holder data.

The drawing (PIL, fonts, the photo fit: 50–70 ms measured here, more on the first call
while the CJK font loads) runs as a job on the printer worker — the face is what that
printer prints, and the window stays responsive.  The sample holder is the profile's own
fictional holder when it has one, else a fixed fictional one; the card number is the one
a virtual card of this profile carries, so its check character is right.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from station.errors import StationError
from station.ui.workers import UiContext

SAMPLE_NAME = "张样例"
SAMPLE_SSN = "11010519491231002X"  # fictional, valid check character


@dataclass(frozen=True, slots=True)
class FacePreview:
    """A rendered preview as PNG bytes (the view turns it into a pixmap) and the data
    drawn on it, so the tab can say what it shows."""

    profile: str
    png: bytes
    name: str
    ssn: str
    card_number: str


def sample_photo() -> bytes:
    """A stand-in portrait, drawn (no personal picture is shipped)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (358, 441), "white")
    d = ImageDraw.Draw(img)
    d.ellipse((112, 70, 246, 230), fill=(226, 188, 160))
    d.pieslice((54, 250, 304, 560), 180, 360, fill=(38, 62, 120))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def render_preview(profile: str, directory: str) -> FacePreview:
    """On a worker: the face of ``profile`` with sample data, as PNG."""
    from station.printer.errors import LayoutError
    from station.printer.face import FaceData, FaceRenderer
    from station.profiles import card_number_for, load_card_profile, serial_of

    prof = load_card_profile(profile, directory or None)
    if prof.face is None:
        raise LayoutError(
            f"{prof.name} 没有卡面版式 (the profile has no face layout)",
            detail=f"{prof.name}: no [face] table",
        )
    name, ssn = (prof.holder.name, prof.holder.ssn) if prof.holder else (SAMPLE_NAME, SAMPLE_SSN)
    number = card_number_for(prof.card_number_prefix, serial_of(prof.atr))
    data = FaceData(
        name=name, ssn=ssn, card_number=number, issue_date=dt.date.today(), photo=sample_photo()
    )
    rendered = FaceRenderer(prof.face).render(data)
    buf = io.BytesIO()
    rendered.preview.save(buf, "PNG")
    return FacePreview(prof.name, buf.getvalue(), name, ssn, number)


class FaceController(QObject):
    rendered = Signal(object)  # FacePreview
    failed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.last: FacePreview | None = None

    def profiles(self) -> list[str]:
        from station.profiles import list_profiles

        return list_profiles(self.ctx.settings.profiles_dir or None)

    def render(self, profile: str) -> None:
        directory = self.ctx.settings.profiles_dir
        self.ctx.workers.printer.submit(
            "bench.face", lambda: render_preview(profile, directory), self._on_done, self._on_error
        )

    def _on_done(self, preview: FacePreview) -> None:
        self.last = preview
        self.rendered.emit(preview)

    def _on_error(self, error: StationError) -> None:
        self.failed.emit(error.message)
