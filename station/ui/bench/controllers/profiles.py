"""Profile loader and checker tab: open a profile TOML, validate it, point at the line.

Checking is the same call ``station profile check`` makes (``load_profile``), so the tab
and the CLI cannot disagree.  A profile error carries ``file:line: what`` in its detail
(schema errors) or "line N" (TOML syntax errors); the line number is picked out so the
view can mark that line in the file's text.  Reading is bounded by ``read_utf8`` and
takes no device: it runs where it is asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from station.errors import StationError

_LINE_IN_DETAIL = re.compile(r"^[^:\n]*:(\d+):")
_TOML_LINE = re.compile(r"line (\d+)")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check: ``ok`` with a summary, or the error with its line (0 = not known)."""

    path: Path
    text: str
    ok: bool
    summary: str = ""
    message: str = ""
    detail: str = ""
    line: int = 0


def error_line(detail: str) -> int:
    """The line a profile error names, 0 when it names none."""
    m = _LINE_IN_DETAIL.match(detail) or _TOML_LINE.search(detail)
    return int(m.group(1)) if m else 0


def check_profile(path: Path) -> CheckResult:
    """Load ``path`` as a profile and say what it is, or exactly what is wrong where."""
    from station.profiles import CardProfile, ProfileError, load_profile
    from station.textfile import read_utf8

    try:
        text = read_utf8(path, ProfileError, "卡片配置文件", "profile")
    except StationError as exc:
        return CheckResult(path, "", False, message=exc.message, detail=exc.detail or "")
    try:
        p = load_profile(path)
    except StationError as exc:
        detail = exc.detail or ""
        return CheckResult(
            path, text, False, message=exc.message, detail=detail, line=error_line(detail)
        )
    parts = [p.name, str(p.kind), p.alg.value]
    if isinstance(p, CardProfile):
        parts += [
            f"generation {p.generation}",
            f"region {p.region}",
            "issued" if p.issued else "blank",
            "face" if p.face else "no face",
        ]
    return CheckResult(path, text, True, summary=" · ".join(parts))


class ProfileController(QObject):
    checked = Signal(object)  # CheckResult

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.last: CheckResult | None = None

    def check(self, path: str | Path) -> CheckResult:
        result = check_profile(Path(path))
        self.last = result
        self.checked.emit(result)
        return result
