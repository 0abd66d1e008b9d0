"""Text on the face: finding a CJK font, and laying out one line of text and rare-character
glyph images in panel pixels so its ink lands where the layout says.

Why a module of its own: where ink lands depends on the font's metrics, not on the layout's
numbers alone — the top of a CJK ideograph, the first glyph's side bearing, the advance of
each piece.  Keeping those measurements here lets the tests check them against whichever
CJK font a machine has.
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Mapping
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from station.printer.errors import FontNotFound, MissingGlyph, TextTooLong
from station.printer.face_data import ImageSource, name_segments
from station.printer.face_images import glyph_image
from station.printer.face_layout import TextField
from station.printer.panels import PX_PER_MM, mm

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

FIELD_NAMES = {  # how a teller calls each line, for the too-long message
    "name": "姓名",
    "ssn": "社会保障号码",
    "card_number": "社会保障卡号",
    "issue_date": "发卡日期",
}


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
def load_font(path: str, index: int, size_px: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size_px, index=index)
    except OSError as exc:
        raise FontNotFound(detail=f"{path}#{index}: {exc}") from exc


# -- one line -----------------------------------------------------------------------------
class TextLine:
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


def lay_out_line(
    name: str,
    tf: TextField,
    text: str,
    glyphs: Mapping[str, ImageSource],
    font: ImageFont.FreeTypeFont,
) -> TextLine:
    """The line for field ``name``; ``MissingGlyph`` for a rare character without its
    image, ``TextTooLong`` when the ink is wider than the field."""
    ref = font.getbbox(REF_IDEOGRAPH)
    segments = name_segments(text) if name == "name" else [("text", text)]
    images: dict[str, Image.Image] = {}
    for kind, key in segments:
        if kind == "glyph":
            if key not in glyphs:
                raise MissingGlyph(
                    f"生僻字[{key}]缺少字形图片 (no glyph image for [{key}])",
                    detail=f"glyph {key} not supplied",
                )
            images[key] = glyph_image(glyphs[key], key, int(ref[3] - ref[1]))
    line = TextLine(tf, segments, images, font)
    if line.ink_width > mm(tf.width):
        raise TextTooLong(
            f"{FIELD_NAMES[name]}过长，超出卡面区域 ({name} too long for its field)",
            detail=f"{name}: {line.ink_width / PX_PER_MM:.1f} mm > {tf.width} mm",
        )
    return line
