"""An application for an instant card (即时制卡申请), checked when it is built.

Everything the chip and the face need is validated here, before a blank is touched: the ID
number's check character, birth date and sex against the ID, the name in GBK within the
card's 30 + 20 bytes (``[PINYIN]`` for rare characters, each with the glyph image from the
ID document), the photo (JPEG; a child under 7 may have none).  The card codecs
(``station.codecs.records``) do the chip-side checks so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.codecs.records import HolderData
from station.codecs.validators import InvalidData
from station.errors import ErrorCode

MAX_PHOTO = 64 * 1024  # bytes: the chip's photo file and the face both take a small JPEG
MAX_GLYPH = 64 * 1024
CHILD_AGE = 7  # under 7 a card may be issued without a photo
_APP_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
_BANK = re.compile(r"[A-Z0-9]{2,16}")
_RARE = re.compile(r"\[([A-Z]+)\]")


class Reason(enum.Enum):
    FIRST = "first"  # 首次申领
    REPLACEMENT = "replacement"  # 补卡 (after a loss)
    EXCHANGE = "exchange"  # 换卡 (damaged, data changed, expired, bank changed)


class ApplicationError(InvalidData):
    default_message = "申请信息有误 (the application is not valid)"
    code = ErrorCode.APPLICATION_INVALID


def age_on(born: dt.date, day: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _is_jpeg(data: bytes) -> bool:
    return data[:3] == b"\xff\xd8\xff" and data[-2:] == b"\xff\xd9"


def _is_png(data: bytes) -> bool:
    return data[:8] == b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Application:
    """One applicant's request, bound to one bank; ``application_id`` makes it unique."""

    application_id: str
    holder: HolderData
    bank: str
    reason: Reason = Reason.FIRST
    photo: bytes | None = field(default=None, repr=False)
    # rare characters: pinyin (as written in the name, e.g. "CHUI") -> glyph image (PNG)
    glyphs: Mapping[str, bytes] = field(default_factory=dict, repr=False)
    received: dt.date = field(default_factory=dt.date.today)

    def __post_init__(self) -> None:
        if not _APP_ID.fullmatch(self.application_id):
            raise ApplicationError(
                "申请编号格式错误 (application id: letters, digits, - and _, up to 40)",
                detail="application_id",
            )
        if not _BANK.fullmatch(self.bank):
            raise ApplicationError("银行代码格式错误 (bank code is malformed)", detail="bank")
        if not self.holder.other_ssn:
            self._check_sex()
        self._check_photo()
        self._check_glyphs()

    def _check_sex(self) -> None:
        # GB 11643: the 17th character is odd for men, even for women; GB/T 2261.1: 1 / 2
        expected = "1" if int(self.holder.ssn[16]) % 2 else "2"
        if self.holder.sex != expected:
            raise ApplicationError(
                "性别与社会保障号码不一致 (sex does not match the ID number)",
                detail=f"sex {self.holder.sex}, ID says {expected}",
            )

    def _check_photo(self) -> None:
        if self.photo is None:
            if age_on(self.holder.birth_date, self.received) >= CHILD_AGE:
                raise ApplicationError(
                    "7周岁及以上须有照片 (a photo is required from the age of 7)",
                    detail="photo",
                )
            return
        if len(self.photo) > MAX_PHOTO:
            raise ApplicationError(
                f"照片过大，最大{MAX_PHOTO // 1024} KB (photo too large)",
                detail=f"{len(self.photo)} bytes",
            )
        if not _is_jpeg(self.photo):
            raise ApplicationError("照片须为JPEG格式 (the photo must be a JPEG)", detail="photo")

    def _check_glyphs(self) -> None:
        named = _RARE.findall(self.holder.name)
        missing = [p for p in named if p not in self.glyphs]
        if missing:
            raise ApplicationError(
                "生僻字缺少字形图片 (a rare character needs its glyph image)",
                detail=", ".join(f"[{p}]" for p in missing),
            )
        for pinyin, image in self.glyphs.items():
            if pinyin not in named:
                raise ApplicationError(
                    "字形图片与姓名中的生僻字不对应 (a glyph image names no character of the name)",
                    detail=f"[{pinyin}]",
                )
            if len(image) > MAX_GLYPH or not _is_png(image):
                raise ApplicationError(
                    "生僻字字形图片须为PNG且不超过64 KB (glyph image: PNG up to 64 KB)",
                    detail=f"[{pinyin}]",
                )

    @property
    def is_child_without_photo(self) -> bool:
        return self.photo is None


def application_from(values: Mapping[str, Any], *, received: dt.date | None = None) -> Application:
    """Build from plain values (a JSON object or a CSV row); every failure is typed.

    Keys: ``application_id``, ``ssn``, ``name``, ``sex``, ``ethnicity``, ``birthplace``,
    ``birth_date`` (YYYY-MM-DD), ``bank``, ``reason`` (first/replacement/exchange,
    default first), ``photo`` and ``glyphs`` as bytes (the loaders read the files).
    """

    def text(key: str, default: str | None = None) -> str:
        raw = values.get(key, default)
        if raw is None or (isinstance(raw, str) and not raw.strip() and default is None):
            raise ApplicationError(f"缺少{key} (missing {key})", detail=key)
        if not isinstance(raw, str):
            raise ApplicationError(f"{key}须为文字 ({key} must be text)", detail=key)
        return raw.strip()

    try:
        born = dt.date.fromisoformat(text("birth_date"))
    except ValueError:
        raise ApplicationError(
            "出生日期格式应为YYYY-MM-DD (birth date must be YYYY-MM-DD)", detail="birth_date"
        ) from None
    try:
        reason = Reason(text("reason", "first") or "first")
    except ValueError:
        raise ApplicationError(
            "申领原因应为 first / replacement / exchange (unknown reason)", detail="reason"
        ) from None
    try:
        holder = HolderData(
            ssn=text("ssn"),
            name=text("name"),
            sex=text("sex"),
            ethnicity=text("ethnicity"),
            birthplace=text("birthplace"),
            birth_date=born,
        )
    except InvalidData as exc:
        if isinstance(exc, ApplicationError):
            raise
        raise ApplicationError(exc.message, detail=exc.detail) from None
    photo = values.get("photo")
    glyphs = values.get("glyphs") or {}
    if photo is not None and not isinstance(photo, bytes):
        raise ApplicationError("照片数据无效 (photo data is invalid)", detail="photo")
    return Application(
        application_id=text("application_id"),
        holder=holder,
        bank=text("bank"),
        reason=reason,
        photo=photo,
        glyphs=dict(glyphs),
        received=received or dt.date.today(),
    )


# -- loading a batch from a file ----------------------------------------------------------

MAX_APPLICATION_FILE = 4 << 20  # bytes of JSON or CSV text (photos are files of their own)
MAX_APPLICATIONS = 2000  # one file is a day's batch at most
_FIELDS = (
    "application_id",
    "ssn",
    "name",
    "sex",
    "ethnicity",
    "birthplace",
    "birth_date",
    "bank",
    "reason",
    "photo",
    "glyphs",
)


def load_applications(path: str | Path, *, received: dt.date | None = None) -> list[Application]:
    """Every application in a JSON or CSV file, each checked; the first bad one refuses the
    whole file (nothing is issued from a half-valid batch), naming its line or entry.

    JSON: a list of objects, or ``{"applications": [...]}``, or one object.  CSV: a header
    row with the keys of ``application_from``.  ``photo`` is the path of a JPEG file and
    ``glyphs`` maps each rare character's pinyin to a PNG file (CSV:
    ``CHUI=glyphs/chui.png;XIN=glyphs/xin.png``); relative paths are taken from the
    application file's folder.  Every read is bounded (``station.textfile``)."""
    from station.textfile import decode_utf8, read_bytes

    p = Path(path)
    data = read_bytes(
        p, ApplicationError, "申请文件", "application file", max_bytes=MAX_APPLICATION_FILE
    )
    text = decode_utf8(data, p, ApplicationError, "申请文件", "application file")
    if p.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{"):
        entries = _json_entries(text, p)
    else:
        entries = _csv_entries(text)
    if not entries:
        raise ApplicationError(
            "申请文件中没有申请 (the application file holds no application)", detail=p.name
        )
    if len(entries) > MAX_APPLICATIONS:
        raise ApplicationError(
            f"申请过多，每个文件最多{MAX_APPLICATIONS}份 (too many applications in one file)",
            detail=f"{p.name}: {len(entries)}",
        )
    apps: list[Application] = []
    seen: set[str] = set()
    for where, raw in entries:
        try:
            app = application_from(_with_files(raw, p.parent), received=received)
        except ApplicationError as exc:
            raise ApplicationError(
                f"{where}: {exc.message}", detail=f"{p.name} {where}: {exc.detail or ''}"
            ) from None
        if app.application_id in seen:
            raise ApplicationError(
                f"{where}: 申请编号重复 (the application id appears twice)",
                detail=f"{p.name} {where}: {app.application_id}",
            )
        seen.add(app.application_id)
        apps.append(app)
    return apps


def _json_entries(text: str, p: Path) -> list[tuple[str, dict[str, Any]]]:
    from station.textfile import loads_json

    try:
        doc = loads_json(text, p, ApplicationError, "申请文件", "application file")
    except json.JSONDecodeError as exc:
        line = getattr(exc, "lineno", 0)
        raise ApplicationError(
            f"申请文件不是有效的JSON，第{line}行 (not valid JSON, line {line})",
            detail=f"{p.name}: line {line}",
        ) from None
    if isinstance(doc, dict) and "applications" in doc:
        doc = doc["applications"]
    items = doc if isinstance(doc, list) else [doc]
    out: list[tuple[str, dict[str, Any]]] = []
    for i, item in enumerate(items, 1):
        where = f"第{i}份 (entry {i})"
        if not isinstance(item, dict):
            raise ApplicationError(
                f"{where}: 每份申请须为一个对象 (each application must be an object)",
                detail=f"{p.name} entry {i}",
            )
        out.append((where, item))
    return out


def _csv_entries(text: str) -> list[tuple[str, dict[str, Any]]]:
    from station.textfile import csv_rows

    rows = csv_rows(text)
    if not rows:
        return []
    header = [h.strip().lower() for h in rows[0]]
    unknown = [h for h in header if h not in _FIELDS]
    if unknown:
        raise ApplicationError(
            "申请表格含未知列 (the CSV has unknown columns)", detail=", ".join(unknown[:5])
        )
    out: list[tuple[str, dict[str, Any]]] = []
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        if len(row) != len(header):
            raise ApplicationError(
                f"第{line}行列数不对 (line {line}: wrong number of columns)",
                detail=f"line {line}: {len(row)} of {len(header)}",
            )
        values: dict[str, Any] = dict(zip(header, row, strict=True))
        glyphs = str(values.get("glyphs") or "").strip()
        values["glyphs"] = _glyph_pairs(glyphs, line) if glyphs else {}
        out.append((f"第{line}行 (line {line})", values))
    return out


def _glyph_pairs(text: str, line: int) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ApplicationError(
                "生僻字字形应写作 PINYIN=文件 (glyphs: PINYIN=file;PINYIN=file)",
                detail=f"line {line}: glyphs",
            )
        pairs[key.strip().upper()] = value.strip()
    return pairs


def _with_files(raw: Mapping[str, Any], base: Path) -> dict[str, Any]:
    """``raw`` with the photo and glyph paths replaced by the files' bytes."""
    from station.textfile import MAX_IMAGE_BYTES, read_bytes

    values = dict(raw)
    for key, value in list(values.items()):
        if key != "glyphs" and isinstance(value, int | float) and not isinstance(value, bool):
            values[key] = str(value)  # JSON numbers for codes ("01", 440305) read as text
    photo = values.get("photo")
    if photo in (None, ""):
        values["photo"] = None
    elif isinstance(photo, str):
        values["photo"] = read_bytes(
            _relative(base, photo), ApplicationError, "照片", "photo", max_bytes=MAX_PHOTO + 1
        )
    else:
        raise ApplicationError("照片须为文件路径 (photo: give a file path)", detail="photo")
    glyphs = values.get("glyphs") or {}
    if not isinstance(glyphs, dict):
        raise ApplicationError(
            "生僻字字形须为 拼音→文件 的对象 (glyphs: an object of pinyin to file)",
            detail="glyphs",
        )
    images: dict[str, bytes] = {}
    for pinyin, file in glyphs.items():
        if not isinstance(file, str) or not file:
            raise ApplicationError("字形图片须为文件路径 (glyph: give a file path)", detail=pinyin)
        images[str(pinyin).upper()] = read_bytes(
            _relative(base, file),
            ApplicationError,
            "字形图片",
            "glyph image",
            max_bytes=min(MAX_GLYPH + 1, MAX_IMAGE_BYTES),
        )
    values["glyphs"] = images
    return values


def _relative(base: Path, name: str) -> Path:
    p = Path(name).expanduser()
    return p if p.is_absolute() else base / p
