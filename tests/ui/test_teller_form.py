"""The applicant form's rules while typing (no devices): the same validators as the job."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from station.ui.teller import form_logic as F
from tests.issuance.job_rig import applicant

BANKS = {"ICBC": 3}
TODAY = dt.date(2026, 6, 1)


def _problems(**over: Any) -> dict[str, str]:
    return F.check_fields(applicant(1, **over), BANKS, TODAY)


def test_a_valid_application_has_no_problem_and_builds() -> None:
    assert not any(_problems().values())
    assert F.build_application(applicant(1)).bank == "ICBC"


def test_each_rule_speaks_at_its_own_field() -> None:
    good = applicant(1)["ssn"]
    bad_check = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert "校验" in _problems(ssn=bad_check)["ssn"]
    assert "出生日期" in _problems(birth_date="1999-01-01")["birth_date"]
    assert "性别" in _problems(sex="2")["sex"]
    assert _problems(name="张" * 26)["name"]  # 52 GBK bytes: over the 30 + 20
    assert "字形" in _problems(name="张[CHUI]")["name"]  # a rare character needs its glyph
    assert not _problems(name="张[CHUI]", glyphs={"CHUI": b"png"})["name"]
    assert "银行" in _problems(bank="BOC")["bank"]  # no blank of that bank in the drawer


def test_a_child_under_7_may_have_no_photo() -> None:
    born = dt.date(2022, 3, 4)
    first17 = f"440305{born:%Y%m%d}123"
    from station.codecs.validators import citizen_id_check

    child = {"ssn": first17 + citizen_id_check(first17), "birth_date": born.isoformat()}
    assert not _problems(photo=None, **child)["photo"]
    assert "照片" in _problems(photo=None)["photo"]  # an adult must have one


def test_rare_character_helper_inserts_pinyin_at_the_cursor() -> None:
    assert F.insert_rare("张明", 1, "chui") == ("张[CHUI]明", 7)


def test_photo_is_cropped_to_id_proportions(tmp_path: Path) -> None:
    wide = Image.new("RGB", (1200, 600), "white")
    buf = io.BytesIO()
    wide.save(buf, "JPEG")
    out = Image.open(io.BytesIO(F.crop_id_photo(buf.getvalue())))
    assert out.size == F.ID_PHOTO and out.format == "JPEG"


def test_kept_application_round_trip_is_private(tmp_path: Path) -> None:
    app = F.build_application(applicant(3))
    path = F.keep_application(tmp_path / "kept", app)
    assert path.stat().st_mode & 0o077 == 0
    assert F.kept_application(tmp_path / "kept", app.application_id) == app
    F.forget_application(tmp_path / "kept", app.application_id)
    assert F.kept_application(tmp_path / "kept", app.application_id) is None


def test_dropping_a_file_on_the_photo_box(qtbot: Any, tmp_path: Path) -> None:
    from station.ui.teller.form_view import ApplicantForm

    form = ApplicantForm()
    qtbot.addWidget(form)
    photo = tmp_path / "p.jpg"
    photo.write_bytes(applicant(1)["photo"])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo))])
    event = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    with qtbot.waitSignal(form.photo_file) as sig:
        form.photo_box.dropEvent(event)
    assert sig.args[0] == photo
