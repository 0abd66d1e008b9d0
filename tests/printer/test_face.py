"""Face rendering: positions measured on the panels, the photo box, the chip window, and
bad input refused with typed errors.

Text measurements are relative to the font the renderer actually loaded (its CJK ink
height and advance), and run once per CJK font installed here — the renderer's preferred
one first, then each other known font forced through ``FaceLayout.font`` — so they hold
for whichever CJK font a machine has."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from station.codecs.validators import InvalidData, card_number_check, citizen_id_check
from station.printer.errors import (
    BadPhoto,
    FaceError,
    FontNotFound,
    LayoutError,
    MissingGlyph,
    TextTooLong,
)
from station.printer.face import (
    KNOWN_FONTS,
    REF_IDEOGRAPH,
    FaceData,
    FaceLayout,
    FaceRenderer,
    find_cjk_font,
    format_issue_date,
    name_segments,
)
from station.printer.panels import PX_PER_MM, mm

TOL_PX = 0.5 * PX_PER_MM  # ±0.5 mm
CARD_NO = "A0000001" + card_number_check("A0000001")


def make_photo(path: Path, size: tuple[int, int] = (358, 441)) -> Path:
    """A portrait with no white pixel anywhere, so "fills its box" is measurable."""
    img = Image.new("RGB", size, (180, 200, 230))
    d = ImageDraw.Draw(img)
    w, h = size
    d.ellipse((w * 0.3, h * 0.15, w * 0.7, h * 0.55), fill=(224, 186, 160))
    d.ellipse((w * 0.1, h * 0.55, w * 0.9, h * 1.3), fill=(40, 60, 110))
    img.save(path, "JPEG", quality=90)
    return path


GLYPH_ASPECT = 0.9  # ink width / ink height of the glyph image below


def make_glyph(path: Path) -> Path:
    """A rare character's glyph image as an operator supplies it (a scan).  Drawn, not
    taken from a font: a font that lacks the character would draw its "missing" box."""
    img = Image.new("L", (240, 240), 255)
    d = ImageDraw.Draw(img)
    box = (30, 20, 30 + round(200 * GLYPH_ASPECT), 220)  # ink 180 x 200 px
    d.rectangle(box, outline=0, width=16)
    d.line((box[0], 120, box[2], 120), fill=0, width=14)
    d.line(((box[0] + box[2]) // 2, box[1], (box[0] + box[2]) // 2, box[3]), fill=0, width=14)
    img.save(path)
    return path


def installed_cjk_fonts() -> list[str]:
    """The renderer's preferred CJK font, then every other known one installed here."""
    preferred = find_cjk_font()[0]
    return [preferred, *(p for p in KNOWN_FONTS if p != preferred and Path(p).is_file())]


@pytest.fixture(params=installed_cjk_fonts(), ids=lambda p: Path(p).stem)
def font(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def renderer(font: str, layout: FaceLayout | None = None) -> FaceRenderer:
    """A renderer forced to ``font``; it reports what it loaded in ``font_path``."""
    r = FaceRenderer(dataclasses.replace(layout or FaceLayout(), font=font))
    assert r.font_path == font
    return r


def ink_height(r: FaceRenderer, size_of: str = "name") -> int:
    """Height in pixels of CJK ink in the loaded font at a field's size."""
    box = r.font_for(r.layout.fields_by_name()[size_of]).getbbox(REF_IDEOGRAPH)
    return int(box[3] - box[1])


@pytest.fixture
def data(tmp_path: Path) -> FaceData:
    return FaceData(
        name="刘[YAN]",
        ssn="11010519491231002X",
        card_number=CARD_NO,
        issue_date=dt.date(2026, 3, 5),
        photo=make_photo(tmp_path / "photo.jpg"),
        glyphs={"YAN": make_glyph(tmp_path / "yan.png")},
    )


def black_bbox(k: Image.Image, band: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    region = k.crop(band).convert("L").point(lambda v: 255 if v == 0 else 0)
    box = region.getbbox()
    assert box is not None, f"no ink in {band}"
    return box[0] + band[0], box[1] + band[1], box[2] + band[0], box[3] + band[1]


def test_text_lands_within_half_a_millimetre(data: FaceData, font: str) -> None:
    layout = FaceLayout()
    r = renderer(font, layout)
    k = r.render(data).panels.k
    for name, tf in layout.fields_by_name().items():
        height = tf.size_pt / 72 * 25.4
        band = (mm(tf.x - 2), mm(tf.y - 1), mm(tf.x + tf.width + 2), mm(tf.y + height + 1))
        left, top, right, bottom = black_bbox(k, band)
        assert abs(left - tf.x * PX_PER_MM) <= TOL_PX, name
        assert abs(top - tf.y * PX_PER_MM) <= TOL_PX, name
        # one line of text: as tall as the loaded font's CJK ink (a label leads each line)
        assert abs((bottom - top) - ink_height(r, name)) <= 3, name
        assert right - left > 10 * PX_PER_MM, name
    # nothing on K outside the four text fields
    k_ink = k.convert("L").point(lambda v: 255 if v == 0 else 0).getbbox()
    assert k_ink is not None
    assert k_ink[1] >= mm(layout.name.y) - TOL_PX


def test_layout_from_dict_moves_text(data: FaceData, font: str) -> None:
    layout = FaceLayout.from_dict({"name": {"x": 30.0, "y": 5.0, "width": 28.0}})
    assert layout.name.x == 30.0 and layout.ssn == FaceLayout().ssn
    k = renderer(font, layout).render(data).panels.k
    left, top, _r, _b = black_bbox(k, (mm(28), mm(4), mm(60), mm(9)))
    assert abs(left - 30 * PX_PER_MM) <= TOL_PX and abs(top - 5 * PX_PER_MM) <= TOL_PX


def test_rare_character_drawn_from_its_glyph_image(data: FaceData, font: str) -> None:
    assert name_segments("刘[yan]明") == [("text", "刘"), ("glyph", "YAN"), ("text", "明")]
    r = renderer(font)
    with_glyph = r.render(data).panels.k
    plain = r.render(dataclasses.replace(data, name="刘")).panels.k
    band = (mm(5), mm(34.5), mm(70), mm(39))
    text = black_bbox(plain, band)
    glyph = black_bbox(with_glyph, (text[2], band[1], band[2], band[3]))
    # everything left of the glyph is the same as without it
    assert black_bbox(with_glyph, (band[0], band[1], text[2], band[3])) == text
    # the glyph image is scaled to the loaded font's CJK ink height, on the same line
    ink_h = ink_height(r)
    assert abs((glyph[3] - glyph[1]) - ink_h) <= 2
    assert abs((glyph[2] - glyph[0]) - ink_h * GLYPH_ASPECT) <= 2
    assert abs(glyph[1] - text[1]) <= 2
    # right after 刘, about one character of this font wide
    advance = r.font_for(r.layout.name).getlength(REF_IDEOGRAPH)
    assert 0 <= glyph[0] - text[2] <= 0.25 * advance
    assert 0.7 * advance < glyph[2] - text[2] < 1.3 * advance


def test_photo_fills_its_box(data: FaceData) -> None:
    layout = FaceLayout()
    ymc = FaceRenderer(layout).render(data).panels.ymc
    left, top, right, bottom = layout.photo.px()
    non_white = ymc.convert("L").point(lambda v: 255 if v < 250 else 0)
    assert non_white.getbbox() == (left, top, right, bottom)
    inside = non_white.crop((left, top, right, bottom))
    assert inside.getextrema() == (255, 255)  # every pixel of the box has photo


def test_chip_window_clear_on_overlay(data: FaceData) -> None:
    layout = FaceLayout()
    o = FaceRenderer(layout).render(data).panels.o
    window = layout.chip_window.px()
    assert o.crop(window).getextrema() == (255, 255)  # no varnish at all over the chip
    # varnish everywhere else
    outside = o.copy()
    outside.paste(0, window)
    assert outside.getextrema() == (0, 0)


def test_child_under_seven_gets_no_photo(data: FaceData) -> None:
    child_id = "11010520200101001" + citizen_id_check("11010520200101001")
    child = dataclasses.replace(data, ssn=child_id, birth_date=None, photo=None)
    face = FaceRenderer().render(child)
    assert face.panels.ymc.convert("L").getextrema() == (255, 255)
    seven_id = "11010520190305001" + citizen_id_check("11010520190305001")
    seven = dataclasses.replace(data, ssn=seven_id)  # 7 on the issue date
    assert FaceRenderer().child(seven) is False
    assert FaceRenderer().child(dataclasses.replace(seven, birth_date=dt.date(2019, 3, 6)))


def test_issue_date_format() -> None:
    assert format_issue_date(dt.date(2026, 3, 5)) == "2026年3月5日"
    assert format_issue_date(dt.date(2026, 11, 23)) == "2026年11月23日"


def test_rotate_180_turns_every_panel(data: FaceData) -> None:
    plain = FaceRenderer().render(data).panels
    turned = FaceRenderer(FaceLayout.from_dict({"rotate_180": True})).render(data).panels
    assert turned.k.rotate(180).tobytes() == plain.k.tobytes()
    assert turned.o.rotate(180).tobytes() == plain.o.tobytes()


# -- refusals ------------------------------------------------------------------------------
def test_photo_not_an_image(data: FaceData, tmp_path: Path) -> None:
    bogus = tmp_path / "photo.jpg"
    bogus.write_text("not a jpeg")
    with pytest.raises(BadPhoto):
        FaceRenderer().validate(dataclasses.replace(data, photo=bogus))


def test_photo_too_small(data: FaceData, tmp_path: Path) -> None:
    small = make_photo(tmp_path / "small.jpg", (120, 150))
    with pytest.raises(BadPhoto) as exc:
        FaceRenderer().validate(dataclasses.replace(data, photo=small))
    assert "120x150" in exc.value.detail


def test_photo_missing_for_an_adult(data: FaceData) -> None:
    with pytest.raises(BadPhoto):
        FaceRenderer().validate(dataclasses.replace(data, photo=None))


def test_name_too_long(data: FaceData, font: str) -> None:
    with pytest.raises(TextTooLong) as exc:
        renderer(font).validate(dataclasses.replace(data, name="买买提" * 10))
    assert "姓名" in exc.value.message


def test_missing_glyph_image(data: FaceData) -> None:
    with pytest.raises(MissingGlyph):
        FaceRenderer().validate(dataclasses.replace(data, name="张[XIAO]"))


def test_bad_ssn_and_card_number(data: FaceData) -> None:
    with pytest.raises(InvalidData):
        FaceRenderer().validate(dataclasses.replace(data, ssn="110105194912310021"))
    with pytest.raises(InvalidData):
        FaceRenderer().validate(dataclasses.replace(data, card_number="A00000010"))


def test_unknown_layout_fields() -> None:
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({"photograph": {"x": 1}})
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({"name": {"x": 30, "colour": "red"}})


def test_vendor_template_photo_over_chip_window_is_refused() -> None:
    with pytest.raises(LayoutError) as exc:
        FaceLayout.from_dict({"photo": {"x": 4, "y": 11, "w": 20, "h": 25}})
    assert "chip window" in exc.value.detail


def test_box_outside_the_card_is_refused() -> None:
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({"photo": {"x": 70, "y": 8, "w": 20, "h": 25}})


def test_data_files(tmp_path: Path, data: FaceData) -> None:
    toml = tmp_path / "face.toml"
    toml.write_text(
        'name = "刘[YAN]"\nssn = "11010519491231002X"\n'
        f'card_number = "{CARD_NO}"\nissue_date = 2026-03-05\nphoto = "photo.jpg"\n'
        '[glyphs]\nYAN = "yan.png"\n',
        encoding="utf-8",
    )
    loaded = FaceData.load(toml)
    assert loaded.issue_date == dt.date(2026, 3, 5)
    assert loaded.photo == tmp_path / "photo.jpg"
    FaceRenderer().validate(loaded)
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"name": "x", "ssn": "1", "card_number": "2", "issue_date": "2026-01-01",'
        ' "nickname": "y"}',
        encoding="utf-8",
    )
    with pytest.raises(FaceError):
        FaceData.load(bad)


def test_missing_font_is_a_clear_error() -> None:
    with pytest.raises(FontNotFound) as exc:
        find_cjk_font("/nonexistent/font.ttc")
    assert "fonts-wqy-microhei" in exc.value.message


# the shape of a card profile's [face] table (station.profiles)
PROFILE_FACE: dict[str, Any] = {
    "width": 85.60,
    "height": 53.98,
    "photo": {"x": 62.0, "y": 8.0, "w": 20.0, "h": 25.0},
    "chip": {"x": 7.5, "y": 18.0, "w": 12.0, "h": 10.0},
    "text": [
        {"field": "name", "label": "姓名", "x": 7.0, "y": 38.0, "size": 9.0},
        {"field": "ssn", "label": "社会保障号码", "x": 7.0, "y": 42.5, "size": 8.0},
        {"field": "card_number", "label": "社会保障卡号", "x": 7.0, "y": 47.0, "size": 8.0},
        {"field": "issue_date", "label": "发卡日期", "x": 7.0, "y": 51.5, "size": 8.0},
    ],
}


def test_profile_shaped_layout_puts_text_on_its_baseline(data: FaceData, font: str) -> None:
    layout = FaceLayout.from_dict(PROFILE_FACE)
    assert layout.chip_window.w == 12.0 and layout.name.anchor == "baseline"
    k = renderer(font, layout).render(data).panels.k
    for line in PROFILE_FACE["text"]:
        assert isinstance(line, dict)
        x, y = float(line["x"]), float(line["y"])
        left, _top, _right, bottom = black_bbox(k, (mm(x - 2), mm(y - 4), mm(84), mm(y + 0.6)))
        assert abs(left - x * PX_PER_MM) <= TOL_PX
        assert abs(bottom - y * PX_PER_MM) <= TOL_PX  # CJK ink sits on the baseline


def test_profile_shaped_layout_rejects_unknown_keys_and_text_over_the_photo(
    data: FaceData, font: str
) -> None:
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({**PROFILE_FACE, "colour": "red"})
    beside = dict(PROFILE_FACE)
    beside["text"] = [dict(t) for t in PROFILE_FACE["text"]]
    beside["text"][1].update(x=26.0, y=24.0)
    layout = FaceLayout.from_dict(beside)
    assert layout.ssn.x + layout.ssn.width <= 62.0  # the field ends before the photo
    with pytest.raises(TextTooLong):  # 18 digits and the label do not fit in 35 mm
        renderer(font, layout).validate(data)


def test_wrong_types_in_a_layout_are_refused() -> None:
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({"name": {"x": "seven"}})
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({"rotate_180": "yes"})
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({**PROFILE_FACE, "photo": {"x": "a", "y": 8, "w": 20, "h": 25}})
    assert FaceLayout.from_dict({"name": {"x": 8}}).name.x == 8  # an int is a fine float
