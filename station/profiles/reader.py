"""Reading a profile's TOML with errors that name the file and the line.

tomllib reports the line of syntax errors itself; for schema errors the line of the
offending key is found by scanning the text (``LineMap``), so a technician is sent to the
exact line of a typo.  Every section reader in this package takes a ``Reader`` and raises
through ``Reader.err``.  Error texts never quote a PIN or key value.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.errors import ErrorCode, StationError

Where = tuple[str | int, ...]


class ProfileError(StationError):
    """A profile that cannot be used; ``detail`` is ``file:line: what``."""

    default_message = "卡片配置文件错误 (invalid card profile)"
    code = ErrorCode.PROFILE


@dataclass(frozen=True)
class Source:
    """A parsed profile document with what is needed to point at its lines again later
    (overrides and key loading re-validate against the same text)."""

    doc: Mapping[str, Any]
    text: str
    path: Path | None
    base_dir: Path


_BARE = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
_KEY_LINE = re.compile(rf"^\s*({_BARE}(?:\s*\.\s*{_BARE})*)\s*=")
_TABLE_LINE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$")
_ARRAY_LINE = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]\s*(#.*)?$")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_\-]+|"[^"]*"|'[^']*'""", text)
    return tuple(p.strip("\"'") for p in parts)


class LineMap:
    """Line numbers of keys and tables (paths with array indices), found by scanning."""

    def __init__(self, text: str) -> None:
        self.lines: dict[tuple[str | int, ...], int] = {}
        counts: dict[tuple[str, ...], int] = {}
        current: tuple[str | int, ...] = ()
        in_multiline = False
        for no, line in enumerate(text.splitlines(), start=1):
            if line.count('"""') % 2 or line.count("'''") % 2:
                in_multiline = not in_multiline
                if not in_multiline:
                    continue
            if in_multiline:
                continue
            m = _ARRAY_LINE.match(line)
            if m:
                key = _split_key(m.group(1))
                idx = counts.get(key, 0)
                counts[key] = idx + 1
                current = (*key, idx)
                self.lines.setdefault(current, no)
                self.lines.setdefault(key, no)
                continue
            m = _TABLE_LINE.match(line)
            if m:
                current = _split_key(m.group(1))
                self.lines.setdefault(current, no)
                continue
            m = _KEY_LINE.match(line)
            if m:
                self.lines.setdefault((*current, *_split_key(m.group(1))), no)

    def find(self, path: Sequence[str | int]) -> int | None:
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return None


class Reader:
    """Validation helpers that turn a path in the document into ``file:line`` errors."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.doc = source.doc
        self.name = source.path.name if source.path else "<profile>"
        self.lines = LineMap(source.text)

    def err(self, where: Sequence[str | int], what: str) -> ProfileError:
        line = self.lines.find(where)
        loc = f"{self.name}:{line}" if line else self.name
        dotted = ".".join(str(p) for p in where) or "(top level)"
        return ProfileError(
            f"卡片配置文件错误：{self.name} 第{line or '?'}行 {dotted} (invalid profile {loc})",
            detail=f"{loc}: {dotted}: {what}",
        )

    def table(self, where: Sequence[str | int], value: Any, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.err(where, "must be a table")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.err(
                (*where, unknown[0]),
                f"unknown field '{unknown[0]}' (known: {', '.join(sorted(allowed))})",
            )
        return value

    def open_table(self, where: Where, value: Any) -> dict[str, Any]:
        """A table whose keys are the data (``[key_versions]``, ``[files]``, …)."""
        return self.table(where, value, set(value) if isinstance(value, dict) else set())

    def get(
        self,
        tbl: Mapping[str, Any],
        where: Where,
        key: str,
        typ: type | tuple[type, ...],
        default: Any = ...,
        what: str = "",
    ) -> Any:
        if key not in tbl:
            if default is ...:
                raise self.err(where, f"missing required field '{key}'")
            return default
        value = tbl[key]
        if isinstance(value, bool) and typ is not bool and bool not in _as_tuple(typ):
            raise self.err((*where, key), f"must be {what or _typename(typ)}")
        if not isinstance(value, typ):
            raise self.err((*where, key), f"must be {what or _typename(typ)}")
        return value

    def number(self, tbl: Mapping[str, Any], where: Where, key: str, default: Any = ...) -> float:
        return float(self.get(tbl, where, key, (int, float), default))

    def hexbytes(self, tbl: Mapping[str, Any], where: Where, key: str, default: Any = ...) -> Any:
        value = self.get(tbl, where, key, str, default, "a hex string")
        if value is default and default is not ...:
            return default
        cleaned = value.replace(" ", "").replace(":", "")
        if not cleaned or len(cleaned) % 2 or not re.fullmatch(r"[0-9A-Fa-f]+", cleaned):
            raise self.err((*where, key), "is not valid hex (pairs of 0-9 A-F)")
        return bytes.fromhex(cleaned)

    def date(self, tbl: Mapping[str, Any], where: Where, key: str) -> _dt.date | None:
        value = tbl.get(key)
        if value is None:
            return None
        if isinstance(value, _dt.datetime):
            raise self.err((*where, key), "must be a date without a time (YYYY-MM-DD)")
        if isinstance(value, _dt.date):
            return value
        if isinstance(value, str):
            try:
                return _dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.err((*where, key), "must be a date (YYYY-MM-DD)")


def _as_tuple(t: type | tuple[type, ...]) -> tuple[type, ...]:
    return t if isinstance(t, tuple) else (t,)


def _typename(t: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        dict: "a table",
        list: "a list",
        _dt.date: "a date (YYYY-MM-DD)",
    }
    return " or ".join(names.get(x, x.__name__) for x in _as_tuple(t))
