"""Card-face rendering: layout in millimetres -> YMC, K and O panels plus a preview.

Why three panels: the photo is dye-sublimated from YMC; text goes to the resin black (K)
panel as 1-bit so it stays sharp and scannable; the overlay (O) varnishes the card except
the chip window, because varnish over the contacts breaks the chip.

Everything that can make a print fail is checked in ``validate`` *before* a blank is
fed: an unusable photo, text wider than its field, a rare character without its glyph
image, an unknown layout key.  A spoiled blank is an accountable loss; a refused request
costs nothing.

The face is four jobs, one module each: the layout model (``face_layout``), the holder's
data (``face_data``), text and fonts (``face_text``) and pictures (``face_images``).  This
module draws the panels from them and keeps every name importable from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from PIL import Image, ImageDraw, ImageFont

from station.codecs.validators import birth_date_from_id, validate_card_number, validate_citizen_id
from station.printer.errors import BadPhoto
from station.printer.face_data import (
    FaceData,
    ImageSource,
    age_on,
    format_issue_date,
    name_segments,
)
from station.printer.face_images import fit_photo
from station.printer.face_layout import (
    CARD_H_MM,
    CARD_W_MM,
    TEXT_FIELDS,
    Box,
    FaceLayout,
    TextField,
)
from station.printer.face_text import (
    KNOWN_FONTS,
    PT_TO_PX,
    REF_IDEOGRAPH,
    TextLine,
    find_cjk_font,
    lay_out_line,
    load_font,
)
from station.printer.panels import HEIGHT, WIDTH, PanelSet, composite, mm

__all__ = [
    "CARD_H_MM",
    "CARD_W_MM",
    "KNOWN_FONTS",
    "PT_TO_PX",
    "REF_IDEOGRAPH",
    "TEXT_FIELDS",
    "Box",
    "FaceData",
    "FaceLayout",
    "FaceRenderer",
    "ImageSource",
    "RenderedFace",
    "TextField",
    "age_on",
    "find_cjk_font",
    "format_issue_date",
    "name_segments",
]


@dataclass(frozen=True)
class RenderedFace:
    """The panels to print and, drawn on first use only, the preview a person looks at
    (a job that saves no picture never pays for it: about 16 ms a card)."""

    panels: PanelSet
    draw_preview: Callable[[], Image.Image] = field(repr=False, compare=False)

    @cached_property
    def preview(self) -> Image.Image:
        return self.draw_preview()


class FaceRenderer:
    """Validates and renders faces for one layout (fonts are looked up once)."""

    def __init__(self, layout: FaceLayout | None = None) -> None:
        self.layout = layout or FaceLayout()
        self.layout.check()
        self.font_path, self.font_index = find_cjk_font(self.layout.font)

    def font_for(self, tf: TextField) -> ImageFont.FreeTypeFont:
        return load_font(self.font_path, self.font_index, round(tf.size_pt * PT_TO_PX))

    def texts(self, data: FaceData) -> dict[str, str]:
        """The text of each line, label included."""
        values = {
            "name": data.name.strip(),
            "ssn": data.ssn.strip().upper(),
            "card_number": data.card_number.strip().upper(),
            "issue_date": format_issue_date(data.issue_date),
        }
        out = {}
        for name, tf in self.layout.fields_by_name().items():
            out[name] = f"{tf.label} {values[name]}" if tf.label else values[name]
        return out

    def child(self, data: FaceData) -> bool:
        birth = data.birth_date or birth_date_from_id(data.ssn)
        return age_on(birth, data.issue_date) < self.layout.child_age

    def _lines(self, data: FaceData) -> dict[str, TextLine]:
        texts = self.texts(data)
        return {
            name: lay_out_line(name, tf, texts[name], data.glyphs, self.font_for(tf))
            for name, tf in self.layout.fields_by_name().items()
        }

    def _photo(self, data: FaceData) -> Image.Image | None:
        if self.child(data):
            return None  # children under 7: the photo area stays empty
        if data.photo is None:
            raise BadPhoto("缺少持卡人照片 (photo missing)", detail="no photo given")
        return fit_photo(data.photo, self.layout.photo.px(), self.layout.min_photo_scale)

    def validate(self, data: FaceData) -> None:
        """Everything ``render`` would refuse, without drawing: call before feeding."""
        validate_citizen_id(data.ssn)
        validate_card_number(data.card_number)
        self._lines(data)
        self._photo(data)

    def render(self, data: FaceData) -> RenderedFace:
        validate_citizen_id(data.ssn)
        validate_card_number(data.card_number)
        lines = self._lines(data)
        photo = self._photo(data)
        ymc = Image.new("RGB", (WIDTH, HEIGHT), "white")
        if photo is not None:
            left, top, _r, _b = self.layout.photo.px()
            ymc.paste(photo, (left, top))
        k_grey = Image.new("L", (WIDTH, HEIGHT), 255)
        for line in lines.values():
            line.draw(k_grey)
        k = k_grey.point(lambda v: 255 if v >= 128 else 0).convert("1", dither=Image.Dither.NONE)
        o = Image.new("1", (WIDTH, HEIGHT), 0)  # black = varnish everywhere...
        o.paste(255, self.layout.chip_window.px())  # ...except over the chip
        upright = (ymc, k)
        if self.layout.rotate_180:
            ymc, k, o = (img.rotate(180) for img in (ymc, k, o))
        return RenderedFace(PanelSet(ymc, k, o), lambda: self._preview(*upright))

    def _preview(self, ymc: Image.Image, k: Image.Image) -> Image.Image:
        """The card as the customer will see it: rounded CR80 outline, the contact
        plate drawn inside the chip window, colour and resin black."""
        face = composite(ymc, k)
        draw = ImageDraw.Draw(face)
        # contact plate at the ISO 7816-2 position, centred in the chip window
        cw = self.layout.chip_window
        cx, cy = cw.x + cw.w / 2, cw.y + cw.h / 2
        plate = (mm(cx - 6), mm(cy - 5), mm(cx + 6), mm(cy + 5))
        draw.rounded_rectangle(
            plate, radius=mm(1.2), fill=(214, 178, 92), outline=(150, 115, 40), width=2
        )
        px0, py0, px1, py1 = plate
        for i in (1, 2):
            x = px0 + (px1 - px0) * i // 3
            draw.line((x, py0, x, py1), fill=(150, 115, 40), width=2)
        draw.line((px0, (py0 + py1) // 2, px1, (py0 + py1) // 2), fill=(150, 115, 40), width=2)
        card = Image.new("RGB", (WIDTH + 40, HEIGHT + 40), (205, 208, 214))
        mask = Image.new("L", (WIDTH, HEIGHT), 0)
        ImageDraw.Draw(mask).rounded_rectangle(
            (0, 0, WIDTH - 1, HEIGHT - 1), radius=mm(3.18), fill=255
        )
        card.paste(face, (20, 20), mask)
        ImageDraw.Draw(card).rounded_rectangle(
            (20, 20, 20 + WIDTH - 1, 20 + HEIGHT - 1),
            radius=mm(3.18),
            outline=(120, 120, 120),
            width=2,
        )
        return card
