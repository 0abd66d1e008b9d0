"""Applications are checked when built: every rule refuses with a typed error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from station.codecs.validators import citizen_id_check
from station.issuance.application import (
    Application,
    ApplicationError,
    Reason,
    age_on,
    application_from,
)

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 100 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 50
TODAY = dt.date(2026, 12, 1)


def ssn(born: dt.date, serial: str = "123") -> str:
    first17 = f"440305{born:%Y%m%d}{serial}"
    return first17 + citizen_id_check(first17)


def values(**over: Any) -> dict[str, Any]:
    born = dt.date(1988, 5, 12)
    base: dict[str, Any] = {
        "application_id": "APP-0001",
        "ssn": ssn(born, "123"),  # 3: odd, a man
        "name": "欧阳示例",
        "sex": "1",
        "ethnicity": "01",
        "birthplace": "440305",
        "birth_date": born.isoformat(),
        "bank": "ICBC",
        "photo": JPEG,
    }
    base.update(over)
    return base


def test_a_valid_application_builds() -> None:
    app = application_from(values(), received=TODAY)
    assert isinstance(app, Application)
    assert app.reason is Reason.FIRST
    assert app.holder.name == "欧阳示例"


@pytest.mark.parametrize(
    ("over", "fragment"),
    [
        ({"ssn": ssn(dt.date(1988, 5, 12))[:-1] + "0"}, "校验位"),
        ({"sex": "2"}, "性别"),
        ({"birth_date": "1988-05-13"}, "出生日期"),
        ({"birth_date": "12/05/1988"}, "YYYY-MM-DD"),
        ({"name": "很" * 26}, ""),  # 52 GBK bytes > 30 + 20
        ({"name": "张[CHUI]"}, "生僻字"),
        ({"photo": None}, "照片"),
        ({"photo": b"GIF89a" + b"\x00" * 10}, "JPEG"),
        ({"photo": JPEG + b"\x00" * 70_000}, "过大"),
        ({"bank": "icbc bank"}, "银行"),
        ({"application_id": "x\ny"}, "申请编号"),
        ({"reason": "gift"}, "first"),
        ({"ssn": ""}, "ssn"),
    ],
)
def test_each_rule_refuses(over: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ApplicationError) as err:
        application_from(values(**over), received=TODAY)
    assert fragment in err.value.message + err.value.detail
    assert "\n" not in str(err.value)


def test_rare_character_needs_its_glyph_and_nothing_else() -> None:
    app = application_from(values(name="张[CHUI]", glyphs={"CHUI": PNG}), received=TODAY)
    assert app.holder.has_rare_characters
    with pytest.raises(ApplicationError, match="字形"):
        application_from(values(name="张[CHUI]", glyphs={"XIAN": PNG}), received=TODAY)
    with pytest.raises(ApplicationError, match="PNG"):
        application_from(values(name="张[CHUI]", glyphs={"CHUI": JPEG}), received=TODAY)


def test_a_child_under_seven_may_have_no_photo_but_a_seven_year_old_must() -> None:
    six = dt.date(2020, 12, 2)  # turns 7 tomorrow
    kid = application_from(
        values(ssn=ssn(six, "124"), sex="2", birth_date=six.isoformat(), photo=None),
        received=TODAY,
    )
    assert kid.is_child_without_photo
    seven = dt.date(2019, 12, 1)
    assert age_on(seven, TODAY) == 7
    with pytest.raises(ApplicationError, match="7"):
        application_from(
            values(ssn=ssn(seven, "124"), sex="2", birth_date=seven.isoformat(), photo=None),
            received=TODAY,
        )


# -- loading a batch from a file ------------------------------------------------------------


def _files(tmp_path: Any) -> None:
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a.jpg").write_bytes(JPEG)
    (tmp_path / "glyphs").mkdir()
    (tmp_path / "glyphs" / "chui.png").write_bytes(PNG)


def test_json_batch_with_paths_relative_to_the_file(tmp_path: Any) -> None:
    import json

    from station.issuance.application import load_applications

    _files(tmp_path)
    one = {k: v for k, v in values().items() if k != "photo"} | {"photo": "photos/a.jpg"}
    two = one | {
        "application_id": "APP-0002",
        "name": "张[CHUI]",
        "glyphs": {"chui": "glyphs/chui.png"},
    }
    path = tmp_path / "apps.json"
    path.write_text(json.dumps({"applications": [one, two]}, ensure_ascii=False), "utf-8")
    apps = load_applications(path, received=TODAY)
    assert [a.application_id for a in apps] == ["APP-0001", "APP-0002"]
    assert apps[0].photo == JPEG and apps[1].glyphs == {"CHUI": PNG}


def test_csv_batch_and_errors_name_the_line(tmp_path: Any) -> None:
    from station.issuance.application import load_applications

    _files(tmp_path)
    v = values()
    head = "application_id,ssn,name,sex,ethnicity,birthplace,birth_date,bank,photo,glyphs"
    files = "photos/a.jpg,CHUI=glyphs/chui.png"
    row = f"APP-0001,{v['ssn']},张[CHUI],1,01,440305,1988-05-12,ICBC,{files}"
    path = tmp_path / "apps.csv"
    path.write_text(f"{head}\n{row}\n", "utf-8")
    (app,) = load_applications(path, received=TODAY)
    assert app.holder.name == "张[CHUI]" and app.glyphs == {"CHUI": PNG}
    bad = row.replace("APP-0001", "APP-0002").replace(",1,01,", ",2,01,")  # sex vs ID
    path.write_text(f"{head}\n{row}\n{bad}\n", "utf-8")
    with pytest.raises(ApplicationError, match="line 3"):
        load_applications(path, received=TODAY)
    path.write_text(f"{head}\n{row}\n{row}\n", "utf-8")
    with pytest.raises(ApplicationError, match="twice"):
        load_applications(path, received=TODAY)
    path.write_text(f"{head}\n{row.replace('photos/a.jpg', 'photos/none.jpg')}\n", "utf-8")
    with pytest.raises(ApplicationError, match="photo"):
        load_applications(path, received=TODAY)


def test_oversized_or_broken_files_are_refused(tmp_path: Any) -> None:
    from station.issuance.application import MAX_APPLICATION_FILE, load_applications

    big = tmp_path / "big.csv"
    big.write_bytes(b"a" * (MAX_APPLICATION_FILE + 1))
    with pytest.raises(ApplicationError, match="too large"):
        load_applications(big)
    broken = tmp_path / "broken.json"
    broken.write_text('[{"application_id": "A"', "utf-8")
    with pytest.raises(ApplicationError, match="JSON"):
        load_applications(broken)
    empty = tmp_path / "empty.csv"
    empty.write_text("", "utf-8")
    with pytest.raises(ApplicationError, match="no application"):
        load_applications(empty)
