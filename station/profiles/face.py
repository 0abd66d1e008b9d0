"""A card profile's ``[face]`` table, read into the printer's face layout.

There is one face layout model, the printer's ``FaceLayout``: the profile only says where
things go.  This reader checks the table line by line (so a technician is sent to the
line of a misplaced box) and then lets the layout check its own geometry; a defect found
there is reported at the ``[face]`` line.

Coordinates are millimetres from the top-left corner of the card front, y downwards; a
text line's ``y`` is its baseline.  A line runs to the card edge (less 3 mm), or to the
photo when it is beside the photo: that is the width the printer refuses text beyond.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from station.printer.errors import LayoutError
from station.printer.face_layout import (
    CARD_H_MM,
    CARD_W_MM,
    TEXT_FIELDS,
    Box,
    FaceLayout,
    TextField,
)
from station.profiles.reader import Reader, Where

FACE_FIELDS = TEXT_FIELDS
SIZE_TOLERANCE_MM = 0.5  # a card is ISO 7810 ID-1; the printer takes nothing else
PT_MM = 0.3528  # one typographic point in millimetres
EDGE_MM = 3.0  # text stops this far from the right edge of the card
PHOTO_GAP_MM = 1.0  # ... or this far before the photo when beside it
_WHERE: Where = ("face",)


def read_face(r: Reader, face: Any) -> FaceLayout:
    """The ``[face]`` table as the printer's layout (every text field placed once)."""
    t = r.table(_WHERE, face, {"width", "height", "photo", "chip", "text"})
    width = r.number(t, _WHERE, "width", CARD_W_MM)
    height = r.number(t, _WHERE, "height", CARD_H_MM)
    if abs(width - CARD_W_MM) > SIZE_TOLERANCE_MM or abs(height - CARD_H_MM) > SIZE_TOLERANCE_MM:
        raise r.err(_WHERE, "card size must be about ID-1 (85.60 x 53.98 mm)")
    photo = _box(r, t, "photo")
    chip = _box(r, t, "chip")
    if photo.overlaps(chip):
        raise r.err((*_WHERE, "photo"), "the photo box overlaps the chip window")
    lines = _text_lines(r, t, photo, chip)
    try:
        layout = FaceLayout(
            photo=photo,
            chip_window=chip,
            name=lines["name"],
            ssn=lines["ssn"],
            card_number=lines["card_number"],
            issue_date=lines["issue_date"],
        )
        layout.check()
    except LayoutError as exc:
        raise r.err(_WHERE, exc.detail or exc.message) from None
    return layout


def _box(r: Reader, t: dict[str, Any], key: str) -> Box:
    where = (*_WHERE, key)
    b = r.table(where, r.get(t, _WHERE, key, dict), {"x", "y", "w", "h"})
    box = Box(*(r.number(b, where, k) for k in ("x", "y", "w", "h")))
    if box.w <= 0 or box.h <= 0 or box.x < 0 or box.y < 0:
        raise r.err(where, "x, y must be >= 0 and w, h > 0 (mm)")
    if box.x + box.w > CARD_W_MM or box.y + box.h > CARD_H_MM:
        raise r.err(where, "lies outside the card")
    return box


def _text_lines(r: Reader, t: dict[str, Any], photo: Box, chip: Box) -> dict[str, TextField]:
    """``[[face.text]]``: each of ``FACE_FIELDS`` exactly once."""
    lines: dict[str, TextField] = {}
    for i, item in enumerate(r.get(t, _WHERE, "text", list)):
        where = (*_WHERE, "text", i)
        lt = r.table(where, item, {"field", "x", "y", "size", "label"})
        name = r.get(lt, where, "field", str)
        if name not in FACE_FIELDS:
            raise r.err(
                (*where, "field"), f"unknown field {name!r} (known: {', '.join(FACE_FIELDS)})"
            )
        if name in lines:
            raise r.err((*where, "field"), f"field {name!r} is placed twice")
        x, y, size = (r.number(lt, where, k) for k in ("x", "y", "size"))
        if not (0 <= x < CARD_W_MM and 0 < y <= CARD_H_MM):
            raise r.err(where, "the text position lies outside the card")
        if not 4 <= size <= 24:
            raise r.err((*where, "size"), "font size must be 4..24 pt")
        if chip.overlaps(Box(x, y - size * PT_MM, 0.1, size * PT_MM)):
            raise r.err(where, "the text starts inside the chip window")
        label = r.get(lt, where, "label", str, "")
        lines[name] = _fit(TextField(x, y, 1.0, size, label, "baseline"), photo)
    missing = [f for f in FACE_FIELDS if f not in lines]
    if missing:
        raise r.err((*_WHERE, "text"), f"needs a line for {', '.join(missing)}")
    return lines


def _fit(tf: TextField, photo: Box) -> TextField:
    """The line's width: to the photo when the line is beside it, else to the edge."""
    band = tf.box()
    beside_photo = band.y < photo.y + photo.h and photo.y < band.y + band.h
    right = photo.x - PHOTO_GAP_MM if beside_photo and tf.x < photo.x else CARD_W_MM - EDGE_MM
    return replace(tf, width=max(0.1, right - tf.x))
