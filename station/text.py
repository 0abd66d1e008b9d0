"""One rule for free text that reaches a receipt, a report or the terminal.

An operator name, an outlet, a holder's name read from a card or a note typed by a clerk is
printed beside the station's own words.  A line break inside it can add a line that looks
like the station's (``x\\n办理结果：办理成功`` forges a result), and an escape sequence can
rewrite what the terminal shows.  ``single_line`` is the one check: printable characters
only, no line or paragraph separators, no control, format (bidi override, zero-width) or
private-use characters, and a bounded length.  It refuses rather than cleans, so what is
printed is exactly what was given; the error names the field and the offending code point,
never the value (which may be junk or an attack).

It lives at the bottom layer so card services, inventory and reports can all use it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from station.errors import ErrorCode, StationError

DEFAULT_MAX_LEN = 64

# Unicode general categories refused anywhere in a field: controls (Cc: \n \r \t ESC DEL
# C1), format characters (Cf: bidi overrides, zero-width joiners, soft hyphen), surrogates,
# private use and unassigned code points, and the line / paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class TextFieldError(StationError, ValueError):
    """A text field that could forge or garble what is printed or shown."""

    default_message = "文本内容无效 (invalid text)"
    code = ErrorCode.TEXT_FIELD


def single_line(value: object, field: str, max_len: int = DEFAULT_MAX_LEN) -> str:
    """Return ``value`` unchanged if it is one printable line of at most ``max_len``
    characters; raise ``TextFieldError`` naming ``field`` otherwise.

    ``field`` is the station's own label (e.g. ``"经办人 operator"``), never user text.
    Empty text passes: whether a field is required is the caller's rule.
    """
    if not isinstance(value, str):
        raise TextFieldError(
            f"{field}必须是文本 ({field}: must be text)", detail=type(value).__name__
        )
    for i, ch in enumerate(value):
        category = unicodedata.category(ch)
        if category in _REFUSED_CATEGORIES:
            what = (
                "换行 (line break)"
                if ch in "\n\r\v\f\x85\u2028\u2029"
                else "转义序列 (escape sequence)"
                if ch == "\x1b" or ch == "\x9b"
                else "不可打印字符 (non-printable character)"
            )
            raise TextFieldError(
                f"{field}不能包含{what.split(' ')[0]}，只能是一行可打印文字 "
                f"({field}: {what.split(' ', 1)[1].strip('()')} refused; one printable line only)",
                detail=f"U+{ord(ch):04X} at position {i}",
            )
    if len(value) > max_len:
        raise TextFieldError(
            f"{field}过长：最多{max_len}个字符 ({field}: at most {max_len} characters)",
            detail=f"{len(value)} characters",
        )
    return value


def escaped(value: object) -> str:
    """``value`` as text safe to put on a terminal line or in a tab-separated cell: every
    character ``single_line`` would refuse (tab, line break, ESC, bidi override, ...) is
    shown as its escape (``\\x1b``, ``\\n``, ``\\u202e``) instead of acting.  For showing
    what is already stored (a row written before the check existed, or by hand); new text
    is refused at entry, not cleaned."""
    text = str(value)
    if not any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in text):
        return text
    return "".join(
        repr(ch)[1:-1] if unicodedata.category(ch) in _REFUSED_CATEGORIES else ch for ch in text
    )


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def _is_opening(ch: str) -> bool:
    return unicodedata.category(ch) in ("Ps", "Pi")


def columns(text: str) -> int:
    """Display width: East Asian wide and full-width characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _through_opening(text: str, i: int) -> int:
    """The end of the opening brackets at ``i``, the character they open, and any closing
    punctuation right after it (an over-long line, when nothing can move down instead)."""
    while i < len(text) and _is_opening(text[i]):
        while i < len(text) and _is_opening(text[i]):
            i += 1
        i = min(i + 1, len(text))
        while i < len(text) and (
            text[i] == " " or (_is_punct(text[i]) and not _is_opening(text[i]))
        ):
            i += 1
    return i


def wrap(text: str, width: int, measure: Callable[[str], float] = columns) -> list[str]:
    """Break one line of mixed Chinese/Latin text into lines of at most ``width`` (as
    ``measure`` counts) such that no line starts with punctuation (the Chinese line-breaking
    rule, 避头尾): closing punctuation (，。、：；？！）」 …) that would begin a line is moved
    up to the end of the previous one, which may then exceed ``width`` by that much; an
    opening bracket that would begin a line takes the character before it along.  Spaces at
    a break are dropped.  Empty text gives one empty line.
    """
    lines: list[str] = []
    rest = text
    while rest:
        if measure(rest) <= width:
            lines.append(rest)
            break
        cut = 1
        while cut < len(rest) and measure(rest[: cut + 1]) <= width:
            cut += 1
        # closing punctuation (and Latin marks) never starts a line: pull it up
        while cut < len(rest) and (
            rest[cut] == " " or (_is_punct(rest[cut]) and not _is_opening(rest[cut]))
        ):
            cut += 1
        # an opening bracket never ends a line, and never starts one: it moves down with
        # the character before it
        while cut > 1 and _is_opening(rest[cut - 1]):
            cut -= 1
        if _is_opening(rest[0]) and _is_opening(rest[cut - 1]):
            cut = _through_opening(rest, 0)
        elif cut < len(rest) and _is_opening(rest[cut]):
            back = cut - 1
            while back > 0 and (_is_punct(rest[back]) or rest[back] == " "):
                back -= 1
            lead = 0
            while _is_opening(rest[lead]):
                lead += 1
            if back > lead:
                cut = back
            else:  # nothing to move down: keep the bracket and what it opens up here
                cut = _through_opening(rest, cut)
        head, rest = rest[:cut].rstrip(" "), rest[cut:].lstrip(" ")
        lines.append(head)
    return lines or [""]
