"""What is printed for one holder: ``FaceData``, read from JSON/TOML or built by the
caller, and the small text rules of the face (the issue date's spelling, the ``[PINYIN]``
rare-character mark, age at issue).

Why a module of its own: the data is the caller's, the layout the profile's, the drawing
the renderer's; each changes for its own reasons.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image

from station.printer.errors import FaceError
from station.textfile import loads_json, loads_toml, read_utf8

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
