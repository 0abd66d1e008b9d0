"""Reading technicians' files (profiles, key files, face data, state files, manifests,
settings) with bounds and typed errors.

These files are edited by hand, copied from USB sticks and mailed around; the audit fed
the station a 100,000-deep TOML/JSON nesting (``RecursionError`` traceback), a CSV with a
20 MB field (``_csv.Error`` traceback) and a 144-megapixel PNG (885 MB of memory).  Every
reader goes through this module, which bounds

* the size of the file (read at most ``max_bytes + 1`` bytes, from a regular file only —
  never a FIFO or a device that would block or never end);
* the nesting depth of TOML and JSON, checked by scanning brackets *before* the parser
  recurses, and again on the parsed tree without recursion (dotted keys nest tables too);
  a ``RecursionError`` is converted as a last resort;
* the length of a CSV field;
* the pixel count of an image, checked from the header before anything is decoded.

Each failure is the caller's own typed error (``ProfileError``, ``KeyFileError``, …) with
one line naming the file; no message ever echoes file content (a key file holds key
material).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import tomllib
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.errors import ErrorCode, StationError

if TYPE_CHECKING:
    from PIL import Image

MAX_TEXT_BYTES = 1 << 20  # profiles, key files, face data, settings: a few KB in practice
MAX_STATE_BYTES = 8 << 20  # a virtual card's state (photo included)
MAX_MANIFEST_BYTES = 64 << 20  # a stock-in list: ~100 bytes a card
MAX_IMAGE_BYTES = 32 << 20  # a photo or glyph file
MAX_DEPTH = 32  # TOML/JSON nesting: real files use 3 or 4 levels
MAX_FIELD = 4096  # one CSV field: codes and numbers, never more than a few dozen chars
MAX_PIXELS = 20_000_000  # 20 megapixels: a 300 dpi card face is ~1 megapixel

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class FileBytes:
    """The bytes of a file read within bounds, and the permission bits of what was read
    (``fstat`` of the open file, so a key file's mode is that of the bytes we got)."""

    path: Path
    data: bytes
    mode: int


def _where(path: Path | str) -> str:
    return Path(path).name or str(path)


def read_file(
    path: Path | str,
    error: type[StationError],
    what_zh: str,
    what_en: str,
    *,
    max_bytes: int = MAX_TEXT_BYTES,
) -> FileBytes:
    """The file's bytes and mode, or ``error``: missing, not a regular file, too big."""
    p = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; we refuse it below anyway
        fd = os.open(p, os.O_RDONLY | _NONBLOCK | _CLOEXEC)
    except OSError as exc:
        raise error(
            f"无法读取{what_zh} {_where(p)} (cannot read {what_en})",
            detail=f"{p}: {exc.strerror or exc}",
        ) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise error(
                f"{what_zh}不是普通文件 {_where(p)} ({what_en} is not a regular file)",
                detail=f"{p}",
            )
        if st.st_size > max_bytes:
            raise _too_big(p, error, what_zh, what_en, st.st_size, max_bytes)
        os.set_blocking(fd, True)
        chunks: list[bytes] = []
        total = 0
        while total <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > max_bytes:  # the file grew while we read it
            raise _too_big(p, error, what_zh, what_en, total, max_bytes)
        return FileBytes(p, b"".join(chunks), stat.S_IMODE(st.st_mode))
    except OSError as exc:
        raise error(
            f"无法读取{what_zh} {_where(p)} (cannot read {what_en})",
            detail=f"{p}: {exc.strerror or exc}",
        ) from None
    finally:
        os.close(fd)


def _too_big(
    p: Path, error: type[StationError], what_zh: str, what_en: str, size: int, limit: int
) -> StationError:
    return error(
        f"{what_zh}过大 {_where(p)} ({what_en} is too large)",
        detail=f"{p}: {size} bytes, at most {limit}",
    )


def read_bytes(
    path: Path | str,
    error: type[StationError],
    what_zh: str,
    what_en: str,
    *,
    max_bytes: int = MAX_TEXT_BYTES,
) -> bytes:
    return read_file(path, error, what_zh, what_en, max_bytes=max_bytes).data


def decode_utf8(
    data: bytes, path: Path | str, error: type[StationError], what_zh: str, what_en: str
) -> str:
    """``data`` as text (a UTF-8 BOM is dropped), or ``error`` giving the bad byte."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise error(
            f"{what_zh}编码错误 {_where(path)} ({what_en} is not UTF-8)",
            detail=f"{path}: byte {exc.start}",
        ) from None


def read_utf8(
    path: Path,
    error: type[StationError],
    what_zh: str,
    what_en: str,
    *,
    max_bytes: int = MAX_TEXT_BYTES,
) -> str:
    """The file's text, or ``error``: unreadable, too big, not UTF-8."""
    data = read_bytes(path, error, what_zh, what_en, max_bytes=max_bytes)
    return decode_utf8(data, path, error, what_zh, what_en)


# -- nesting ------------------------------------------------------------------------------

# strings and comments hold brackets that are not nesting: skip them whole
_TOML_SKIP = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*'
)
_JSON_SKIP = re.compile(r'"(?:[^"\\]|\\.)*"')
_TOKENS = {
    "toml": re.compile(_TOML_SKIP.pattern + r"|[\[\]{}]"),
    "json": re.compile(_JSON_SKIP.pattern + r"|[\[\]{}]"),
}

_OPEN = frozenset("[{")
_CLOSE = frozenset("]}")


def _depth_error(
    where: Path | str, error: type[StationError], what_zh: str, what_en: str, limit: int
) -> StationError:
    return error(
        f"{what_zh}嵌套层数过多 {_where(where)} ({what_en} is nested too deeply)",
        detail=f"{where}: more than {limit} levels of nesting",
    )


def check_nesting(
    text: str,
    kind: str,
    where: Path | str,
    error: type[StationError],
    what_zh: str,
    what_en: str,
    *,
    max_depth: int = MAX_DEPTH,
) -> None:
    """Refuse ``text`` (``kind`` "toml" or "json") whose brackets nest deeper than
    ``max_depth``: a scan without recursion, done before a recursive parser sees it."""
    depth = 0
    for m in _TOKENS[kind].finditer(text):
        mark = m.group()
        if mark in _OPEN:
            depth += 1
            if depth > max_depth:
                raise _depth_error(where, error, what_zh, what_en, max_depth)
        elif mark in _CLOSE:
            depth = max(0, depth - 1)


def check_tree_depth(
    doc: Any,
    where: Path | str,
    error: type[StationError],
    what_zh: str,
    what_en: str,
    *,
    max_depth: int = MAX_DEPTH,
) -> None:
    """Refuse a parsed document nested deeper than ``max_depth`` (walked with a stack)."""
    stack: list[tuple[Any, int]] = [(doc, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            raise _depth_error(where, error, what_zh, what_en, max_depth)
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)


def loads_toml(
    text: str,
    where: Path | str,
    error: type[StationError],
    what_zh: str,
    what_en: str,
    *,
    max_depth: int = MAX_DEPTH,
) -> dict[str, Any]:
    """``tomllib.loads`` within the nesting bound.  ``TOMLDecodeError`` passes through so
    callers keep their own line-numbered messages."""
    check_nesting(text, "toml", where, error, what_zh, what_en, max_depth=max_depth)
    try:
        doc = tomllib.loads(text)
    except RecursionError:
        raise _depth_error(where, error, what_zh, what_en, max_depth) from None
    check_tree_depth(doc, where, error, what_zh, what_en, max_depth=max_depth)
    return doc


def loads_json(
    text: str,
    where: Path | str,
    error: type[StationError],
    what_zh: str,
    what_en: str,
    *,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """``json.loads`` within the nesting bound; ``JSONDecodeError`` passes through."""
    check_nesting(text, "json", where, error, what_zh, what_en, max_depth=max_depth)
    try:
        doc = json.loads(text)
    except RecursionError:
        raise _depth_error(where, error, what_zh, what_en, max_depth) from None
    check_tree_depth(doc, where, error, what_zh, what_en, max_depth=max_depth)
    return doc


# -- CSV ----------------------------------------------------------------------------------


class CsvFieldTooLong(StationError):
    """A CSV field longer than the bound (``line`` is the file's line number)."""

    default_message = "表格字段过长 (CSV field too long)"
    code = ErrorCode.CSV_FIELD_TOO_LONG

    def __init__(self, line: int, limit: int) -> None:
        self.line = line
        self.limit = limit
        super().__init__(
            f"第{line}行字段过长 (line {line}: a field is longer than {limit} characters)",
            detail=f"line {line}: field longer than {limit}",
        )


class CsvMalformed(StationError):
    default_message = "表格格式错误 (malformed CSV)"
    code = ErrorCode.CSV_MALFORMED

    def __init__(self, line: int, reason: str) -> None:
        self.line = line
        super().__init__(
            f"第{line}行格式错误 (line {line}: malformed CSV)", detail=f"line {line}: {reason}"
        )


def csv_rows(text: str, *, max_field: int = MAX_FIELD) -> list[list[str]]:
    """All rows of ``text``; ``CsvFieldTooLong``/``CsvMalformed`` carry the line number.

    The csv module's own limit (131072 by default, process-wide) stops a runaway field
    before it is buffered whole; ours is tighter and checked on every field.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise CsvFieldTooLong(reader.line_num, max_field) from None
            raise CsvMalformed(reader.line_num, str(exc)) from None
        if any(len(field) > max_field for field in row):
            raise CsvFieldTooLong(reader.line_num, max_field)
        rows.append(row)


# -- images -------------------------------------------------------------------------------


def open_image(
    data: bytes,
    where: str,
    error: type[StationError],
    *,
    max_pixels: int = MAX_PIXELS,
) -> Image.Image:
    """A decoded image, refused (``error``) when its header declares more than
    ``max_pixels`` — checked before any pixel is decoded, whatever Pillow's global
    decompression-bomb setting is."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # our bound below decides; Pillow's global warning must neither pass nor fail it
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError:
        raise _pixels_error(where, error, None, max_pixels) from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as exc:
        raise error(detail=f"{where}: not a readable image ({exc})") from None
    width, height = img.size
    if width * height > max_pixels:
        img.close()
        raise _pixels_error(where, error, (width, height), max_pixels)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img.load()
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise error(detail=f"{where}: not a readable image ({exc})") from None
    return img


def _pixels_error(
    where: str, error: type[StationError], size: tuple[int, int] | None, limit: int
) -> StationError:
    dims = f"{size[0]}x{size[1]}" if size else "too many"
    return error(
        f"图片像素过多 {where} (image too large: {dims} pixels)",
        detail=f"{where}: {dims} pixels, at most {limit // 1_000_000} megapixels",
    )
