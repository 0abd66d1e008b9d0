"""The applicant form's rules as plain functions: what each field says while the teller
types, the rare-character helper, the ID-photo crop, and the applications kept on disk.

Why no Qt here: the form must never disagree with the job, so every check calls the same
validators ``Application`` and ``HolderData`` use (``station.codecs`` and
``station.issuance.application``), one field at a time so the message lands next to the
field being typed.  Why keep applications: the journal stores only a digest of the
application, and a make-up after a crash needs the application itself — it is written
privately (0600) when a job starts and forgotten when the job is completed.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import re
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from station.card.personalise import PHOTO_MAX
from station.codecs.names import validate_name
from station.codecs.validators import InvalidData, birth_date_from_id, validate_citizen_id
from station.errors import ErrorCode, StationError
from station.issuance.application import (
    CHILD_AGE,
    MAX_GLYPH,
    MAX_PHOTO,
    Application,
    ApplicationError,
    age_on,
    application_from,
)
from station.textfile import MAX_IMAGE_BYTES, open_image, read_bytes

# the form's fields, in tab order
FIELDS = (
    "application_id",
    "ssn",
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "birthplace",
    "bank",
    "reason",
    "photo",
)
ID_PHOTO = (192, 236)  # px: 26 x 32 mm ID-photo proportions, enough for the face's photo box
_RARE = re.compile(r"\[([A-Z]+)\]")
_APP_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
_BIRTHPLACE = re.compile(r"\d{6}")
_ETHNICITY = re.compile(r"\d{2}")


class PhotoError(ApplicationError):
    default_message = "照片无法使用 (the photo cannot be used)"
    code = ErrorCode.UI_PHOTO_UNUSABLE


def new_application_id(today: dt.date | None = None) -> str:
    """A fresh application id for a walk-in applicant (the teller may type another)."""
    day = today or dt.date.today()
    return f"A{day:%Y%m%d}-{secrets.token_hex(3).upper()}"


def suggest_from_id(ssn: str) -> tuple[dt.date, str, str] | None:
    """Birth date, sex (GB/T 2261.1: 1 man, 2 woman) and birthplace the ID number names;
    ``None`` while the number is not a valid citizen ID."""
    try:
        ssn = validate_citizen_id(ssn.strip().upper())
        born = birth_date_from_id(ssn)
    except InvalidData:
        return None
    return born, ("1" if int(ssn[16]) % 2 else "2"), ssn[:6]


def _message(exc: StationError) -> str:
    return exc.message


def _check_ssn(v: Mapping[str, Any]) -> str:
    try:
        validate_citizen_id(str(v.get("ssn", "")).strip().upper())
    except InvalidData as exc:
        return _message(exc)
    return ""


def _check_name(v: Mapping[str, Any]) -> str:
    name = str(v.get("name", ""))
    try:
        validate_name(name)
    except InvalidData as exc:
        return _message(exc)
    glyphs: Mapping[str, bytes] = v.get("glyphs") or {}
    missing = [p for p in _RARE.findall(name) if p not in glyphs]
    if missing:
        return "生僻字缺少字形图片 (a rare character needs its glyph image): " + ", ".join(
            f"[{p}]" for p in missing
        )
    return ""


def _birth(v: Mapping[str, Any]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(v.get("birth_date", "")))
    except ValueError:
        return None


def _check_birth(v: Mapping[str, Any]) -> str:
    born = _birth(v)
    if born is None:
        return "出生日期格式应为YYYY-MM-DD (birth date must be YYYY-MM-DD)"
    told = suggest_from_id(str(v.get("ssn", "")))
    if told is not None and told[0] != born:
        return "出生日期与社会保障号码不一致 (birth date does not match the ID number)"
    return ""


def _check_sex(v: Mapping[str, Any]) -> str:
    sex = str(v.get("sex", ""))
    if sex not in ("1", "2"):
        return "请选择性别 (choose the sex)"
    told = suggest_from_id(str(v.get("ssn", "")))
    if told is not None and told[1] != sex:
        return "性别与社会保障号码不一致 (sex does not match the ID number)"
    return ""


def _check_photo(v: Mapping[str, Any], today: dt.date) -> str:
    photo = v.get("photo")
    if photo is None:
        born = _birth(v)
        if born is not None and age_on(born, today) < CHILD_AGE:
            return ""  # a child under 7 may have no photo
        return "7周岁及以上须有照片 (a photo is required from the age of 7)"
    if len(photo) > MAX_PHOTO:
        return f"照片过大，最大{MAX_PHOTO // 1024} KB (photo too large)"
    return ""


def check_fields(
    values: Mapping[str, Any], banks: Mapping[str, int], today: dt.date | None = None
) -> dict[str, str]:
    """What is wrong with each field (empty: nothing); ``banks``: blanks per bank in the
    teller's drawer — a bank without a blank cannot be chosen."""
    day = today or dt.date.today()
    bank = str(values.get("bank", ""))
    out = {
        "application_id": ""
        if _APP_ID.fullmatch(str(values.get("application_id", "")))
        else "申请编号格式错误 (application id: letters, digits, - and _, up to 40)",
        "ssn": _check_ssn(values),
        "name": _check_name(values),
        "sex": _check_sex(values),
        "birth_date": _check_birth(values),
        "ethnicity": ""
        if _ETHNICITY.fullmatch(str(values.get("ethnicity", "")))
        else "民族代码为两位数字 (ethnicity: a two-digit code)",
        "birthplace": ""
        if _BIRTHPLACE.fullmatch(str(values.get("birthplace", "")))
        else "出生地代码为六位数字 (birthplace: a six-digit region code)",
        "bank": ""
        if banks.get(bank, 0) > 0
        else "卡箱中没有该银行的预制卡 (no blank of this bank in the drawer)",
        "reason": "",
        "photo": _check_photo(values, day),
    }
    return out


def build_application(values: Mapping[str, Any], today: dt.date | None = None) -> Application:
    """The application, checked by ``application_from`` (the job's own rules)."""
    return application_from(values, received=today)


def insert_rare(name: str, cursor: int, pinyin: str) -> tuple[str, int]:
    """Put ``[PINYIN]`` for a rare character at ``cursor``; the new name and cursor."""
    pinyin = pinyin.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,6}", pinyin):
        raise ApplicationError(
            "生僻字拼音须为1到6个字母 (pinyin: one to six letters)", detail=repr(pinyin)
        )
    cursor = max(0, min(cursor, len(name)))
    token = f"[{pinyin}]"
    return name[:cursor] + token + name[cursor:], cursor + len(token)


def _image_file(path: Path, what: str) -> bytes:
    return read_bytes(path, PhotoError, what, what, max_bytes=MAX_IMAGE_BYTES)


def crop_id_photo(data: bytes) -> bytes:
    """A centred crop to ID-photo proportions (26:32), scaled to ``ID_PHOTO`` and saved
    as a JPEG small enough for the chip's photo file where possible (quality steps down)."""
    from PIL import Image

    img = open_image(data, "photo", PhotoError).convert("RGB")
    w, h = img.size
    want = ID_PHOTO[0] / ID_PHOTO[1]
    if w / h > want:  # too wide: cut the sides
        cw = round(h * want)
        box = ((w - cw) // 2, 0, (w - cw) // 2 + cw, h)
    else:  # too tall: keep the top (the face), cut the bottom
        ch = round(w / want)
        box = (0, 0, w, ch)
    img = img.crop(box).resize(ID_PHOTO, Image.Resampling.LANCZOS)
    best = b""
    for quality in (85, 70, 55, 40, 30):
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=quality)
        best = buf.getvalue()
        if len(best) <= PHOTO_MAX:
            break
    return best


def photo_from_file(path: Path) -> bytes:
    return crop_id_photo(_image_file(path, "photo"))


def glyph_from_file(path: Path) -> bytes:
    """The glyph image of a rare character, as a PNG (as the application requires)."""
    img = open_image(_image_file(path, "glyph"), "glyph", PhotoError)
    buf = io.BytesIO()
    img.convert("L").save(buf, "PNG")
    data = buf.getvalue()
    if len(data) > MAX_GLYPH:
        raise PhotoError("字形图片过大 (glyph image too large)", detail=f"{len(data)} bytes")
    return data


# -- applications kept for make-up -------------------------------------------------------


def _kept_path(folder: Path, application_id: str) -> Path:
    if not _APP_ID.fullmatch(application_id):
        raise ApplicationError(detail="application_id")
    return folder / f"{application_id}.json"


def keep_application(folder: Path, app: Application) -> Path:
    """Write ``app`` privately so a make-up after a crash can use it."""
    from station.fsutil import ensure_dir, write_file

    h = app.holder
    doc = {
        "application_id": app.application_id,
        "ssn": h.ssn,
        "name": h.name,
        "sex": h.sex,
        "ethnicity": h.ethnicity,
        "birthplace": h.birthplace,
        "birth_date": h.birth_date.isoformat(),
        "bank": app.bank,
        "reason": app.reason.value,
        "received": app.received.isoformat(),
        "photo": None if app.photo is None else base64.b64encode(app.photo).decode(),
        "glyphs": {k: base64.b64encode(v).decode() for k, v in app.glyphs.items()},
    }
    ensure_dir(folder, refuse_symlink=True)
    return write_file(_kept_path(folder, app.application_id), json.dumps(doc, ensure_ascii=False))


def kept_application(folder: Path, application_id: str) -> Application | None:
    """The application kept for ``application_id``; ``None`` when none was kept."""
    from station.textfile import decode_utf8, loads_json

    path = _kept_path(folder, application_id)
    if not path.exists():
        return None
    raw = read_bytes(path, ApplicationError, "申请", "application", max_bytes=1 << 20)
    doc = loads_json(
        decode_utf8(raw, path, ApplicationError, "申请", "application"),
        path,
        ApplicationError,
        "申请",
        "application",
    )
    if not isinstance(doc, dict):
        raise ApplicationError(detail=f"{path}: not an object")
    photo = doc.get("photo")
    doc["photo"] = None if photo is None else base64.b64decode(photo)
    doc["glyphs"] = {k: base64.b64decode(v) for k, v in (doc.get("glyphs") or {}).items()}
    received = dt.date.fromisoformat(str(doc.pop("received")))
    return application_from(doc, received=received)


def forget_application(folder: Path, application_id: str) -> None:
    """Drop a kept application once its job is completed (personal data at rest)."""
    try:
        _kept_path(folder, application_id).unlink(missing_ok=True)
    except OSError:
        pass
