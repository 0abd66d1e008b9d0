"""Face rendering: positions measured on the panels, the photo box, the chip window, and
bad input refused with typed errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from station.card.validators import InvalidData, card_number_check, citizen_id_check
from station.printer.errors import (
    BadPhoto,
    FaceError,
    FontNotFound,
    LayoutError,
    MissingGlyph,
    TextTooLong,
)
from station.printer.face import (
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


def make_glyph(path: Path, char: str = "䶮") -> Path:
    font_path, index = find_cjk_font()
    font = ImageFont.truetype(font_path, 160, index=index)
    img = Image.new("L", (220, 220), 255)
    ImageDraw.Draw(img).text((20, 0), char, font=font, fill=0)
    img.save(path)
    return path


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


def test_text_lands_within_half_a_millimetre(data: FaceData) -> None:
    layout = FaceLayout()
    face = FaceRenderer(layout).render(data)
    k = face.panels.k
    for name, tf in layout.fields_by_name().items():
        height = tf.size_pt / 72 * 25.4
        band = (mm(tf.x - 2), mm(tf.y - 1), mm(tf.x + tf.width + 2), mm(tf.y + height + 1))
        left, top, right, bottom = black_bbox(k, band)
        assert abs(left - tf.x * PX_PER_MM) <= TOL_PX, name
        assert abs(top - tf.y * PX_PER_MM) <= TOL_PX, name
        # the ink is one line of 8 pt text: about 2.5 mm tall
        assert abs((bottom - top) - 0.88 * height * PX_PER_MM) <= TOL_PX * 2, name
        assert right - left > 10 * PX_PER_MM, name
    # nothing on K outside the four text fields
    k_ink = k.convert("L").point(lambda v: 255 if v == 0 else 0).getbbox()
    assert k_ink is not None
    assert k_ink[1] >= mm(layout.name.y) - TOL_PX


def test_layout_from_dict_moves_text(data: FaceData) -> None:
    layout = FaceLayout.from_dict({"name": {"x": 30.0, "y": 5.0, "width": 28.0}})
    assert layout.name.x == 30.0 and layout.ssn == FaceLayout().ssn
    k = FaceRenderer(layout).render(data).panels.k
    left, top, _r, _b = black_bbox(k, (mm(28), mm(4), mm(60), mm(9)))
    assert abs(left - 30 * PX_PER_MM) <= TOL_PX and abs(top - 5 * PX_PER_MM) <= TOL_PX


def test_rare_character_drawn_from_its_glyph_image(data: FaceData) -> None:
    assert name_segments("刘[yan]明") == [("text", "刘"), ("glyph", "YAN"), ("text", "明")]
    with_glyph = FaceRenderer().render(data).panels.k
    plain = FaceRenderer().render(dataclasses.replace(data, name="刘")).panels.k
    band = (mm(5), mm(34.5), mm(70), mm(39))
    # the glyph adds ink to the right of 刘, about one character wide
    extra = black_bbox(with_glyph, band)[2] - black_bbox(plain, band)[2]
    assert 1.8 * PX_PER_MM < extra < 4.0 * PX_PER_MM


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


def test_name_too_long(data: FaceData) -> None:
    with pytest.raises(TextTooLong) as exc:
        FaceRenderer().validate(dataclasses.replace(data, name="买买提" * 10))
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


PROFILE_FACE = {  # the shape of a card profile's [face] table (station.emulator.profiles)
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


def test_profile_shaped_layout_puts_text_on_its_baseline(data: FaceData) -> None:
    layout = FaceLayout.from_dict(PROFILE_FACE)
    assert layout.chip_window.w == 12.0 and layout.name.anchor == "baseline"
    k = FaceRenderer(layout).render(data).panels.k
    for line in PROFILE_FACE["text"]:
        assert isinstance(line, dict)
        x, y = float(line["x"]), float(line["y"])
        left, _top, _right, bottom = black_bbox(k, (mm(x - 2), mm(y - 4), mm(84), mm(y + 0.6)))
        assert abs(left - x * PX_PER_MM) <= TOL_PX
        assert abs(bottom - y * PX_PER_MM) <= TOL_PX  # CJK ink sits on the baseline


def test_profile_shaped_layout_rejects_unknown_keys_and_text_over_the_photo(
    data: FaceData,
) -> None:
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({**PROFILE_FACE, "colour": "red"})
    beside = dict(PROFILE_FACE)
    beside["text"] = [dict(t) for t in PROFILE_FACE["text"]]  # type: ignore[union-attr]
    beside["text"][1].update(x=26.0, y=24.0)  # type: ignore[index]
    layout = FaceLayout.from_dict(beside)
    assert layout.ssn.x + layout.ssn.width <= 62.0  # the field ends before the photo
    with pytest.raises(TextTooLong):  # 18 digits and the label do not fit in 35 mm
        FaceRenderer(layout).validate(data)


def test_wrong_types_in_a_layout_are_refused() -> None:
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({"name": {"x": "seven"}})
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({"rotate_180": "yes"})
    with pytest.raises(LayoutError):
        FaceLayout.from_dict({**PROFILE_FACE, "photo": {"x": "a", "y": 8, "w": 20, "h": 25}})
    assert FaceLayout.from_dict({"name": {"x": 8}}).name.x == 8  # an int is a fine float
