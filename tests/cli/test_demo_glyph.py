"""The demo's stand-in glyph scan prints as a character, not as a black bar.

The face scales a glyph image's ink to the height of the font's CJK ink; a stand-in that
was one horizontal stroke came out as a bar eight characters wide.  The stand-in must look
like a scanned character: about square, with paper between its strokes.
"""

from __future__ import annotations

from PIL import ImageOps

from station.cli.demo_issue import glyph_png
from station.printer.face_images import glyph_image


def test_the_demo_glyph_is_shaped_like_a_character() -> None:
    img = glyph_image(glyph_png(), "CHUI", 60)
    assert img.height == 60
    assert 0.6 <= img.width / img.height <= 1.4, img.size
    histogram = ImageOps.invert(img).histogram()  # 256 bins of ink darkness
    inked = sum(histogram[128:]) / (img.width * img.height)
    assert 0.05 < inked < 0.6, inked  # strokes and paper, neither blank nor a block
