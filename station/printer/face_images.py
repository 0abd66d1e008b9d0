"""Pictures on the face: the holder's photo and the rare-character glyph images.

Why a module of its own: images come from outside (a camera, an operator's scan) and are
the part of a face most likely to be unusable.  Every image is read with a size bound and
its pixel count checked from the header before decoding; a photo too small for its box and
a blank glyph scan are refused with a typed error before any card is fed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageOps

from station.printer.errors import BadPhoto, FaceError, MissingGlyph
from station.printer.face_data import ImageSource
from station.textfile import MAX_IMAGE_BYTES, open_image, read_bytes


def load_image(src: ImageSource, what: str, error: type[FaceError]) -> Image.Image:
    """An image from a path, bytes or an image; ``error`` when it cannot be one."""
    if isinstance(src, Image.Image):
        return src
    if isinstance(src, bytes):
        raw = src
    else:
        raw = read_bytes(Path(src), error, "图片文件", "image file", max_bytes=MAX_IMAGE_BYTES)
    # the pixel count is checked from the header before decoding (a 144-megapixel PNG of a
    # few KB would otherwise take ~900 MB)
    return open_image(raw, what, error)


def glyph_image(src: ImageSource, key: str, ink_h: int) -> Image.Image:
    """A rare character's scan as greyscale, cropped to its ink and scaled to the height of
    the font's CJK ink, so it sits in the line like a printed character."""
    img = load_image(src, f"glyph {key}", MissingGlyph)
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


def fit_photo(src: ImageSource, box_px: tuple[int, int, int, int], min_scale: float) -> Image.Image:
    """The photo cropped and scaled to fill ``box_px`` (left, top, right, bottom); refused
    when it has fewer than ``min_scale`` of the box's pixels each way (it would print
    blurred)."""
    img = load_image(src, "photo", BadPhoto)
    left, top, right, bottom = box_px
    need_w = round((right - left) * min_scale)
    need_h = round((bottom - top) * min_scale)
    if img.width < need_w or img.height < need_h:
        raise BadPhoto(
            "照片分辨率太低，请重新采集 (photo resolution too low)",
            detail=f"photo {img.width}x{img.height} px, need at least {need_w}x{need_h}",
        )
    img = ImageOps.exif_transpose(img).convert("RGB")
    return ImageOps.fit(
        img, (right - left, bottom - top), Image.Resampling.LANCZOS, centering=(0.5, 0.5)
    )
