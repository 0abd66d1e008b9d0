"""Reading the station's own text files (profiles, key files) with typed errors.

Profiles and key files are edited by technicians; an unreadable or mis-encoded file must
give one clear message naming the file, never a traceback, and never echo its content
(a key file holds key material).
"""

from __future__ import annotations

from pathlib import Path

from station.errors import StationError


def read_utf8(path: Path, error: type[StationError], what_zh: str, what_en: str) -> str:
    """The file's text, or ``error`` saying the file cannot be read or is not UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(
            f"无法读取{what_zh} {path.name} (cannot read {what_en})",
            detail=f"{path}: {exc.strerror or exc}",
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(
            f"{what_zh}编码错误 {path.name} ({what_en} is not UTF-8)",
            detail=f"{path}: byte {exc.start}",
        ) from None
