"""The card-face layout model: where the photo, the chip window and each text line go,
in millimetres on the card.

Why a module of its own: ``FaceLayout`` is THE face layout model of the station, owned by
the printer.  Card profiles describe a face in their ``[face]`` table; the layout is built
from that table (``from_dict``, a plain-mapping reader) or from a profile object of the
same shape (``from_profile``, typed by the ``Profile*`` protocols below, so the printer
never imports the layer that reads profiles).  Geometry that can never print right is
refused here (``check``), before any blank is fed.

Coordinates are millimetres on the card as seen from the printed (contact) side with the
chip on the left; y grows downwards.  A text field's (x, y) is where the top-left of its
ink lands (the top of a CJK ideograph, the left edge of the first glyph), which is what
calibration on real card stock measures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from station.printer.errors import LayoutError
from station.printer.panels import mm

CARD_W_MM = 85.60
CARD_H_MM = 53.98


@dataclass(frozen=True)
class Box:
    """A rectangle in millimetres."""

    x: float
    y: float
    w: float
    h: float

    def px(self) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) in panel pixels, right/bottom exclusive."""
        return mm(self.x), mm(self.y), mm(self.x + self.w), mm(self.y + self.h)

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


@dataclass(frozen=True)
class TextField:
    """One text line at most ``width`` mm wide.  ``anchor="top"``: (x, y) is the top-left
    of the ink; ``anchor="baseline"``: y is the baseline (card profiles use that)."""

    x: float
    y: float
    width: float
    size_pt: float = 8.0
    label: str = ""
    anchor: str = "top"

    @property
    def em_mm(self) -> float:
        return self.size_pt / 72 * 25.4

    def top_mm(self) -> float:
        """Approximate ink top (CJK ink is ~0.88 em tall, sitting on the baseline)."""
        return self.y if self.anchor == "top" else self.y - 0.88 * self.em_mm

    def box(self) -> Box:
        return Box(self.x, self.top_mm(), self.width, self.em_mm)


TEXT_FIELDS = ("name", "ssn", "card_number", "issue_date")
PROFILE_KEYS = ("width", "height", "chip", "text", "photo")  # a card profile's [face] table
PROFILE_MARKERS = ("width", "height", "chip", "text")  # keys only that shape has
PROFILE_LINE_KEYS = ("field", "x", "y", "size", "label")  # one [[face.text]] line


def _default_field(y: float, label: str, width: float = 60.0) -> TextField:
    return TextField(x=7.0, y=y, width=width, size_pt=8.0, label=label)


@dataclass(frozen=True)
class FaceLayout:
    """Where everything goes on the face.  The default is our corrected version of the
    vendor template (docs/printer.md explains why the template itself cannot be used
    as is: its photo box lies on top of the chip window)."""

    photo: Box = Box(62.0, 8.0, 20.0, 25.0)
    chip_window: Box = Box(7.0, 16.0, 17.0, 16.0)
    name: TextField = field(default_factory=lambda: _default_field(35.5, "姓名"))
    ssn: TextField = field(default_factory=lambda: _default_field(40.0, "社会保障号码"))
    card_number: TextField = field(default_factory=lambda: _default_field(44.5, "社会保障卡号"))
    issue_date: TextField = field(default_factory=lambda: _default_field(49.0, "发卡日期"))
    font: str = ""  # a font file; "" = the first CJK font found
    rotate_180: bool = False  # printers that take the card upside down
    min_photo_scale: float = 0.75  # photo at least this fraction of the box's pixels
    child_age: int = 7  # below this age at issue the photo area stays empty

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FaceLayout:
        """Build from a profile's ``[face]`` table (missing keys keep the defaults; an
        unknown key is refused, because a misspelt key would silently print wrong)."""
        if any(key in data for key in PROFILE_MARKERS):
            return cls._from_profile_table(data)
        base = cls()
        _refuse_unknown("", data, {f.name for f in fields(cls)})
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            current = getattr(base, key)
            if isinstance(current, Box | TextField):
                if not isinstance(value, Mapping):
                    raise LayoutError(detail=f"face.{key} must be a table")
                _refuse_unknown(key, value, {f.name for f in fields(current)})
                for sub, item in value.items():
                    _check_type(f"face.{key}.{sub}", getattr(current, sub), item)
                kwargs[key] = replace(current, **dict(value))
            else:
                _check_type(f"face.{key}", current, value)
                kwargs[key] = value
        layout = replace(base, **kwargs)
        layout.check()
        return layout

    @classmethod
    def _from_profile_table(cls, data: Mapping[str, Any]) -> FaceLayout:
        """The ``[face]`` table of a card profile: ``width``, ``height``, ``photo``/``chip``
        boxes and ``[[face.text]]`` lines with a baseline ``y`` and no width of their own.
        A line may run to the card edge (less 3 mm), or to the photo when it is beside
        the photo."""
        unknown = sorted(set(data) - set(PROFILE_KEYS))
        if unknown:
            raise LayoutError(
                f"卡面版式中有未知字段：{', '.join(unknown)} (unknown layout field)",
                detail=f"unknown keys {unknown}",
            )
        w = float(data.get("width", CARD_W_MM))
        h = float(data.get("height", CARD_H_MM))
        if abs(w - CARD_W_MM) > 0.5 or abs(h - CARD_H_MM) > 0.5:
            raise LayoutError(detail=f"card size {w}x{h} mm is not CR80 (85.60x53.98)")
        photo, chip = _profile_box(data, "photo"), _profile_box(data, "chip")
        lines = _profile_lines(data.get("text", []), photo)
        layout = cls(
            photo=photo,
            chip_window=chip,
            name=lines["name"],
            ssn=lines["ssn"],
            card_number=lines["card_number"],
            issue_date=lines["issue_date"],
        )
        layout.check()
        return layout

    def fields_by_name(self) -> dict[str, TextField]:
        return {name: getattr(self, name) for name in TEXT_FIELDS}

    def check(self) -> None:
        """Geometry that can never print right is a configuration error."""
        problems: list[str] = []
        boxes: dict[str, Box] = {"photo": self.photo, "chip_window": self.chip_window}
        for name, tf in self.fields_by_name().items():
            if not isinstance(tf.label, str) or not 4 <= tf.size_pt <= 24 or tf.width <= 0:
                problems.append(f"{name}: bad size/width/label")
            if tf.anchor not in ("top", "baseline"):
                problems.append(f"{name}: anchor must be top or baseline")
            boxes[name] = tf.box()
        for name, b in boxes.items():
            if not all(isinstance(v, int | float) for v in (b.x, b.y, b.w, b.h)):
                problems.append(f"{name}: coordinates must be numbers")
                continue
            if (
                b.w <= 0
                or b.h <= 0
                or b.x < 0
                or b.y < 0
                or b.x + b.w > CARD_W_MM
                or (b.y + b.h > CARD_H_MM)
            ):
                problems.append(f"{name} {b} is not inside the {CARD_W_MM}x{CARD_H_MM} mm card")
        for name, b in boxes.items():
            if name != "chip_window" and b.overlaps(self.chip_window):
                problems.append(f"{name} overlaps the chip window")
        if not 0 < self.min_photo_scale <= 4:
            problems.append("min_photo_scale out of range")
        if problems:
            raise LayoutError(detail="; ".join(problems))


# -- small readers -------------------------------------------------------------------------
def _refuse_unknown(where: str, table: Mapping[str, Any], known: set[str]) -> None:
    """A misspelt layout key would silently print wrong: refuse it."""
    bad = sorted(set(table) - known)
    if not bad:
        return
    if where:
        raise LayoutError(
            f"卡面版式 {where} 中有未知字段：{', '.join(bad)} (unknown layout field)",
            detail=f"face.{where}: unknown keys {bad}",
        )
    raise LayoutError(
        f"卡面版式中有未知字段：{', '.join(bad)} (unknown layout field)",
        detail=f"unknown keys {bad}",
    )


def _profile_box(data: Mapping[str, Any], key: str) -> Box:
    raw = data.get(key)
    if not isinstance(raw, Mapping) or set(raw) != {"x", "y", "w", "h"}:
        raise LayoutError(detail=f"face.{key} must be a table of x, y, w, h")
    for k in "xywh":
        _check_type(f"face.{key}.{k}", 0.0, raw[k])
    return Box(float(raw["x"]), float(raw["y"]), float(raw["w"]), float(raw["h"]))


def _profile_lines(items: Any, photo: Box) -> dict[str, TextField]:
    """``[[face.text]]`` -> one ``TextField`` per data item, each exactly once."""
    lines: dict[str, TextField] = {}
    for i, item in enumerate(items):
        name, tf = _profile_line(i, item, photo)
        if name in lines:
            raise LayoutError(detail=f"face.text[{i}]: unknown or repeated field {name!r}")
        lines[name] = tf
    missing = [f for f in TEXT_FIELDS if f not in lines]
    if missing:
        raise LayoutError(detail=f"face.text lacks {missing}")
    return lines


def _profile_line(i: int, item: Any, photo: Box) -> tuple[str, TextField]:
    """One line: a baseline-anchored field as wide as the room to its right."""
    if not isinstance(item, Mapping):
        raise LayoutError(detail=f"face.text[{i}] must be a table")
    bad = sorted(set(item) - set(PROFILE_LINE_KEYS))
    if bad:
        raise LayoutError(
            f"卡面版式 text 中有未知字段：{', '.join(bad)} (unknown layout field)",
            detail=f"face.text[{i}]: unknown keys {bad}",
        )
    for k, default in (("x", 0.0), ("y", 0.0), ("size", 0.0), ("label", "")):
        if k in item:
            _check_type(f"face.text[{i}].{k}", default, item[k])
    if "x" not in item or "y" not in item:
        raise LayoutError(detail=f"face.text[{i}] needs x and y")
    name = str(item.get("field", ""))
    if name not in TEXT_FIELDS:
        raise LayoutError(detail=f"face.text[{i}]: unknown or repeated field {name!r}")
    x, y, size = float(item["x"]), float(item["y"]), float(item.get("size", 8.0))
    tf = TextField(x, y, 1.0, size, str(item.get("label", "")), "baseline")
    band = tf.box()
    beside_photo = band.y < photo.y + photo.h and photo.y < band.y + band.h
    right = photo.x - 1.0 if beside_photo and x < photo.x else CARD_W_MM - 3.0
    return name, replace(tf, width=max(0.1, right - x))


def _check_type(where: str, default: Any, value: Any) -> None:
    """A layout value must have the type of its default (ints are fine for floats)."""
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(default, bool) and isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise LayoutError(
            f"卡面版式字段类型错误：{where} (wrong type in layout)",
            detail=f"{where}={value!r}, expected {type(default).__name__}",
        )
