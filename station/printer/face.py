"""Card-face rendering: layout in millimetres -> YMC, K and O panels plus a preview.

Why three panels: the photo is dye-sublimated from YMC; text goes to the resin black (K)
panel as 1-bit so it stays sharp and scannable; the overlay (O) varnishes the card except
the chip window, because varnish over the contacts breaks the chip.

Everything that can make a print fail is checked in ``validate`` *before* a blank is
fed: an unusable photo, text wider than its field, a rare character without its glyph
image, an unknown layout key.  A spoiled blank is an accountable loss; a refused request
costs nothing.

Coordinates are millimetres on the card as seen from the printed (contact) side with the
chip on the left; y grows downwards.  A text field's (x, y) is where the top-left of its
ink lands (the top of a CJK ideograph, the left edge of the first glyph), which is what
calibration on real card stock measures.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import subprocess
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont, ImageOps

from station.card.validators import birth_date_from_id, validate_card_number, validate_citizen_id
from station.printer.errors import (
    BadPhoto,
    FaceError,
    FontNotFound,
    LayoutError,
    MissingGlyph,
    TextTooLong,
)
from station.printer.panels import HEIGHT, PX_PER_MM, WIDTH, PanelSet, composite, mm
from station.textfile import (
    MAX_IMAGE_BYTES,
    loads_json,
    loads_toml,
    open_image,
    read_bytes,
    read_utf8,
)

CARD_W_MM = 85.60
CARD_H_MM = 53.98
PT_TO_PX = 300 / 72  # 1 pt = 1/72 inch at 300 dpi
REF_IDEOGRAPH = "国"  # the top and height of CJK ink are measured on this character

# CJK fonts looked for in this order.  A Song (serif) face first: the vendor template
# prints in 宋体.  Then fc-match for anything covering zh-cn.
KNOWN_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


# -- layout -------------------------------------------------------------------------------
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
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise LayoutError(
                f"卡面版式中有未知字段：{', '.join(unknown)} (unknown layout field)",
                detail=f"unknown keys {unknown}",
            )
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            current = getattr(base, key)
            if isinstance(current, Box | TextField):
                if not isinstance(value, Mapping):
                    raise LayoutError(detail=f"face.{key} must be a table")
                sub_known = {f.name for f in fields(current)}
                bad = sorted(set(value) - sub_known)
                if bad:
                    raise LayoutError(
                        f"卡面版式 {key} 中有未知字段：{', '.join(bad)} (unknown layout field)",
                        detail=f"face.{key}: unknown keys {bad}",
                    )
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
        """The ``[face]`` table of a card profile (station.emulator.profiles): ``width``,
        ``height``, ``photo``/``chip`` boxes and ``[[face.text]]`` lines with a baseline
        ``y`` and no width of their own.  A line may run to the card edge (less 3 mm), or
        to the photo when it is beside the photo."""
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

        def box(key: str) -> Box:
            raw = data.get(key)
            if not isinstance(raw, Mapping) or set(raw) != {"x", "y", "w", "h"}:
                raise LayoutError(detail=f"face.{key} must be a table of x, y, w, h")
            for k in "xywh":
                _check_type(f"face.{key}.{k}", 0.0, raw[k])
            return Box(float(raw["x"]), float(raw["y"]), float(raw["w"]), float(raw["h"]))

        photo, chip = box("photo"), box("chip")
        lines: dict[str, TextField] = {}
        for i, item in enumerate(data.get("text", [])):
            if not isinstance(item, Mapping):
                raise LayoutError(detail=f"face.text[{i}] must be a table")
            bad = sorted(set(item) - {"field", "x", "y", "size", "label"})
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
            if name not in TEXT_FIELDS or name in lines:
                raise LayoutError(detail=f"face.text[{i}]: unknown or repeated field {name!r}")
            x, y, size = float(item["x"]), float(item["y"]), float(item.get("size", 8.0))
            tf = TextField(x, y, 1.0, size, str(item.get("label", "")), "baseline")
            band = tf.box()
            beside_photo = band.y < photo.y + photo.h and photo.y < band.y + band.h
            right = photo.x - 1.0 if beside_photo and x < photo.x else CARD_W_MM - 3.0
            lines[name] = replace(tf, width=max(0.1, right - x))
        missing = [f for f in TEXT_FIELDS if f not in lines]
        if missing:
            raise LayoutError(detail=f"face.text lacks {missing}")
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

    @classmethod
    def from_profile(cls, face: Any) -> FaceLayout:
        """From the emulator profile's own ``FaceLayout`` dataclass (same data as its
        ``[face]`` table)."""
        text = [asdict(t) for t in face.text]
        return cls._from_profile_table(
            {
                "width": face.width,
                "height": face.height,
                "photo": asdict(face.photo),
                "chip": asdict(face.chip),
                "text": text,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

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


# -- data ---------------------------------------------------------------------------------
ImageSource = Path | bytes | Image.Image


@dataclass(frozen=True)
class FaceData:
    """What is printed for one holder.  ``name`` may contain ``[PINYIN]`` for a rare
    character the font lacks; ``glyphs["PINYIN"]`` is then an image of that character."""

    name: str
    ssn: str
    card_number: str
    issue_date: dt.date
    photo: ImageSource | None = None
    glyphs: Mapping[str, ImageSource] = field(default_factory=dict)
    birth_date: dt.date | None = None

    KEYS = ("name", "ssn", "card_number", "issue_date", "photo", "glyphs", "birth_date")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], base_dir: Path | None = None) -> FaceData:
        """From JSON/TOML-shaped data; relative paths are taken from ``base_dir``."""
        unknown = sorted(set(data) - set(cls.KEYS))
        if unknown:
            raise FaceError(
                f"卡面数据中有未知字段：{', '.join(unknown)} (unknown field)",
                detail=f"unknown keys {unknown}",
            )
        missing = [k for k in ("name", "ssn", "card_number", "issue_date") if not data.get(k)]
        if missing:
            raise FaceError(
                f"卡面数据缺少：{', '.join(missing)} (missing field)", detail=f"missing {missing}"
            )
        root = base_dir or Path.cwd()

        def path(value: Any) -> Path:
            p = Path(str(value))
            return p if p.is_absolute() else root / p

        glyphs = data.get("glyphs") or {}
        if not isinstance(glyphs, Mapping):
            raise FaceError(detail="glyphs must be a table of PINYIN = image path")
        return cls(
            name=str(data["name"]),
            ssn=str(data["ssn"]),
            card_number=str(data["card_number"]),
            issue_date=_date(data["issue_date"], "issue_date"),
            photo=path(data["photo"]) if data.get("photo") else None,
            glyphs={str(k).upper(): path(v) for k, v in glyphs.items()},
            birth_date=_date(data["birth_date"], "birth_date") if data.get("birth_date") else None,
        )

    @classmethod
    def load(cls, file: Path) -> FaceData:
        """A ``.json`` or ``.toml`` file."""
        what = ("卡面数据文件", "face data file")
        text = read_utf8(file, FaceError, *what)  # bounded size, nesting checked below
        try:
            if file.suffix.lower() == ".toml":
                data: Any = loads_toml(text, file, FaceError, *what)
            else:
                data = loads_json(text, file, FaceError, *what)
        except ValueError as exc:
            raise FaceError(
                "无法读取卡面数据文件 (cannot read face data file)", detail=f"{file}: {exc}"
            ) from None
        if not isinstance(data, Mapping):
            raise FaceError(detail=f"{file}: top level must be a table")
        return cls.from_dict(data, file.parent)


def _date(value: Any, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise FaceError(
            f"日期格式错误：{what} (date must be YYYY-MM-DD)", detail=f"{what}={value!r}"
        ) from None


def format_issue_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


_RARE = re.compile(r"\[([A-Za-z]+[0-9]?)\]")


def name_segments(name: str) -> list[tuple[str, str]]:
    """``张[YAN]华`` -> [("text", "张"), ("glyph", "YAN"), ("text", "华")]."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _RARE.finditer(name):
        if m.start() > pos:
            out.append(("text", name[pos : m.start()]))
        out.append(("glyph", m.group(1).upper()))
        pos = m.end()
    if pos < len(name):
        out.append(("text", name[pos:]))
    if any(kind == "text" and ("[" in s or "]" in s) for kind, s in out):
        raise FaceError(
            "姓名中的生僻字标记格式错误，应为[拼音] (rare-character mark malformed)",
            detail=f"name {name!r}",
        )
    return out


# -- fonts --------------------------------------------------------------------------------
def _fc_match() -> str | None:
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{lang}", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    file, _, langs = out.partition("|")
    if file and "zh-cn" in langs.split("|"):
        return file
    return None


@functools.lru_cache(maxsize=8)
def find_cjk_font(preferred: str = "") -> tuple[str, int]:
    """(font file, face index) of a CJK font; ``FontNotFound`` when there is none."""
    candidates = [preferred] if preferred else [*KNOWN_FONTS]
    for path in candidates:
        if path and Path(path).is_file():
            return path, _face_index(path)
    if preferred:
        raise FontNotFound(detail=f"font file not found: {preferred}")
    found = _fc_match()
    if found and Path(found).is_file():
        return found, _face_index(found)
    raise FontNotFound(detail=f"looked in {', '.join(KNOWN_FONTS)} and fc-match :lang=zh-cn")


def _face_index(path: str) -> int:
    """In a collection, the Simplified Chinese face ("… SC"); else the first face."""
    if not path.lower().endswith(".ttc"):
        return 0
    for index in range(12):
        try:
            family = ImageFont.truetype(path, 10, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith(" SC"):
            return index
    return 0


@functools.lru_cache(maxsize=16)
def _font(path: str, index: int, size_px: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size_px, index=index)
    except OSError as exc:
        raise FontNotFound(detail=f"{path}#{index}: {exc}") from exc


# -- rendering ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RenderedFace:
    panels: PanelSet
    preview: Image.Image


def _open_image(src: ImageSource, what: str, error: type[FaceError]) -> Image.Image:
    if isinstance(src, Image.Image):
        return src
    if isinstance(src, bytes):
        raw = src
    else:
        raw = read_bytes(Path(src), error, "图片文件", "image file", max_bytes=MAX_IMAGE_BYTES)
    # the pixel count is checked from the header before decoding (a 144-megapixel PNG of a
    # few KB would otherwise take ~900 MB)
    return open_image(raw, what, error)


class _Line:
    """A text line laid out in pixels: pieces of text and glyph images on one baseline."""

    def __init__(
        self,
        tf: TextField,
        segments: list[tuple[str, str]],
        glyphs: Mapping[str, Image.Image],
        font: ImageFont.FreeTypeFont,
    ) -> None:
        self.tf = tf
        self.font = font
        ref = font.getbbox(REF_IDEOGRAPH)
        self.ink_top, self.ink_h = ref[1], ref[3] - ref[1]
        self.items: list[tuple[int, str | Image.Image]] = []  # (pen x offset, text | glyph)
        pen = 0.0
        first = True
        self.lead = 0  # left side bearing of the first ink, removed so ink starts at x
        for kind, value in segments:
            if kind == "text":
                if first:
                    self.lead = int(font.getbbox(value)[0])
                self.items.append((round(pen), value))
                pen += font.getlength(value)
            else:
                glyph = glyphs[value]
                self.items.append((round(pen), glyph))
                pen += glyph.width + max(1, round(self.ink_h * 0.08))
            first = False
        self.ink_width = self._ink_right()

    def _ink_right(self) -> int:
        right = 0
        for offset, item in self.items:
            if isinstance(item, str):
                right = max(right, offset + int(self.font.getbbox(item)[2]))
            else:
                right = max(right, offset + item.width)
        return right - self.lead

    def draw(self, img: Image.Image) -> None:
        draw = ImageDraw.Draw(img)
        x0 = mm(self.tf.x) - self.lead
        top = self.top_px()
        y0 = top - self.ink_top
        for offset, item in self.items:
            if isinstance(item, str):
                draw.text((x0 + offset, y0), item, font=self.font, fill=0)
            else:
                # black where the glyph image is dark
                mask = item.point(lambda v: 255 if v < 128 else 0)
                img.paste(0, (x0 + offset, top), mask)

    def top_px(self) -> int:
        """Where the top of the CJK ink goes, in panel pixels."""
        if self.tf.anchor == "baseline":
            return mm(self.tf.y) + int(self.font.getbbox(REF_IDEOGRAPH, anchor="ls")[1])
        return mm(self.tf.y)


def _glyph_image(src: ImageSource, key: str, ink_h: int) -> Image.Image:
    img = _open_image(src, f"glyph {key}", MissingGlyph)
    rgba = img.convert("RGBA")  # transparent parts count as paper
    paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    grey = Image.alpha_composite(paper, rgba).convert("L")
    ink = ImageOps.invert(grey).getbbox()
    if ink is None:
        raise MissingGlyph(detail=f"glyph {key}: image is blank")
    grey = grey.crop(ink)
    scale = ink_h / grey.height
    size = (max(1, round(grey.width * scale)), ink_h)
    return grey.resize(size, Image.Resampling.LANCZOS)


class FaceRenderer:
    """Validates and renders faces for one layout (fonts are looked up once)."""

    def __init__(self, layout: FaceLayout | None = None) -> None:
        self.layout = layout or FaceLayout()
        self.layout.check()
        self.font_path, self.font_index = find_cjk_font(self.layout.font)

    def font_for(self, tf: TextField) -> ImageFont.FreeTypeFont:
        return _font(self.font_path, self.font_index, round(tf.size_pt * PT_TO_PX))

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

    def _lines(self, data: FaceData) -> dict[str, _Line]:
        lines: dict[str, _Line] = {}
        texts = self.texts(data)
        for name, tf in self.layout.fields_by_name().items():
            font = self.font_for(tf)
            ref = font.getbbox(REF_IDEOGRAPH)
            segments = name_segments(texts[name]) if name == "name" else [("text", texts[name])]
            glyphs: dict[str, Image.Image] = {}
            for kind, key in segments:
                if kind == "glyph":
                    if key not in data.glyphs:
                        raise MissingGlyph(
                            f"生僻字[{key}]缺少字形图片 (no glyph image for [{key}])",
                            detail=f"glyph {key} not supplied",
                        )
                    glyphs[key] = _glyph_image(data.glyphs[key], key, int(ref[3] - ref[1]))
            line = _Line(tf, segments, glyphs, font)
            limit = mm(tf.width)
            if line.ink_width > limit:
                what = {
                    "name": "姓名",
                    "ssn": "社会保障号码",
                    "card_number": "社会保障卡号",
                    "issue_date": "发卡日期",
                }[name]
                raise TextTooLong(
                    f"{what}过长，超出卡面区域 ({name} too long for its field)",
                    detail=f"{name}: {line.ink_width / PX_PER_MM:.1f} mm > {tf.width} mm",
                )
            lines[name] = line
        return lines

    def _photo(self, data: FaceData) -> Image.Image | None:
        if self.child(data):
            return None  # children under 7: the photo area stays empty
        if data.photo is None:
            raise BadPhoto("缺少持卡人照片 (photo missing)", detail="no photo given")
        img = _open_image(data.photo, "photo", BadPhoto)
        left, top, right, bottom = self.layout.photo.px()
        need_w = round((right - left) * self.layout.min_photo_scale)
        need_h = round((bottom - top) * self.layout.min_photo_scale)
        if img.width < need_w or img.height < need_h:
            raise BadPhoto(
                "照片分辨率太低，请重新采集 (photo resolution too low)",
                detail=f"photo {img.width}x{img.height} px, need at least {need_w}x{need_h}",
            )
        img = ImageOps.exif_transpose(img).convert("RGB")
        return ImageOps.fit(
            img, (right - left, bottom - top), Image.Resampling.LANCZOS, centering=(0.5, 0.5)
        )

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
        preview = self._preview(ymc, k)
        if self.layout.rotate_180:
            ymc, k, o = (img.rotate(180) for img in (ymc, k, o))
        return RenderedFace(PanelSet(ymc, k, o), preview)

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


def render_face(data: FaceData, layout: FaceLayout | None = None) -> RenderedFace:
    return FaceRenderer(layout).render(data)
