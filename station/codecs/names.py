"""Names on the card: GBK within 30 + 20 bytes, rare characters (生僻字) as ``[PINYIN]``."""

from __future__ import annotations

import re
from typing import Any

from station.codecs.validators import (
    InvalidData,
)
from station.codecs.values import ValueCodec, _pad_an
from station.text import TextFieldError, single_line

# -- names ----------------------------------------------------------------------------------

NAME_BYTES = 30
NAME_EXT_BYTES = 20
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_PINYIN = re.compile(r"[A-Z]{1,6}")  # the longest pinyin syllables (ZHUANG) have 6 letters


def validate_name(name: str) -> str:
    """Check a name for the card and return it unchanged.

    Characters GBK cannot encode (生僻字) must be given as their upper-case pinyin in
    half-width brackets, one bracket per character, e.g. ``张[CHUI]``.  The station's cards
    store GBK, so "outside GB 18030" in practice means "not encodable in GBK".
    """
    if not name or not name.strip():
        raise InvalidData("姓名不能为空 (name must not be empty)")
    try:  # the station-wide rule first: one printable line (no escape, bidi or break)
        single_line(name, "姓名 name", 64)
    except TextFieldError as exc:
        raise InvalidData(exc.message, detail=exc.detail) from None
    if name != name.strip():
        raise InvalidData("姓名首尾不能有空格 (no leading or trailing spaces in the name)")
    for bad in "【】［］":
        if bad in name:
            raise InvalidData(
                "生僻字请用半角方括号[ ]书写拼音，不能用全角括号 "
                "(use half-width brackets [ ] for rare characters)",
                detail=repr(bad),
            )
    outside = _BRACKET.sub("", name)
    if "[" in outside or "]" in outside:
        raise InvalidData(
            "姓名中的方括号不配对 (unbalanced brackets in the name)", detail=repr(name)
        )
    for inner in _BRACKET.findall(name):
        if not _PINYIN.fullmatch(inner):
            if inner.upper() != inner and _PINYIN.fullmatch(inner.upper()):
                reason = "生僻字拼音须为大写字母 (pinyin of a rare character must be upper case)"
            else:
                reason = (
                    "方括号内只能写一个生僻字的大写拼音（1-6个字母） "
                    "(one bracket holds the upper-case pinyin of exactly one character)"
                )
            raise InvalidData(reason, detail=repr(inner))
    for ch in outside:
        if ord(ch) < 0x20 or ch == "\x7f":
            raise InvalidData("姓名包含控制字符 (control character in the name)")
        try:
            ch.encode("gbk")
        except UnicodeEncodeError:
            raise InvalidData(
                f"字符“{ch}”无法写入卡片（不在GBK字符集中），生僻字请写作[大写拼音] "
                "(character not in GBK: write a rare character as [PINYIN])",
                detail=f"U+{ord(ch):04X}",
            ) from None
    encoded = name.encode("gbk")
    if len(encoded) > NAME_BYTES + NAME_EXT_BYTES:
        raise InvalidData(
            f"姓名过长：GBK编码{len(encoded)}字节，最多{NAME_BYTES + NAME_EXT_BYTES}字节 "
            f"(name too long for the card)",
            detail=f"{len(encoded)} bytes",
        )
    return name


def encode_name(text: str) -> bytes:
    """GBK bytes of (part of) a name; characters outside GBK are refused with the reason."""
    try:
        return text.encode("gbk")
    except UnicodeEncodeError as exc:
        ch = text[exc.start]
        raise InvalidData(
            f"字符“{ch}”不在GBK字符集中，生僻字请写作[大写拼音] "
            "(character not in GBK: write a rare character as [PINYIN])",
            detail=f"U+{ord(ch):04X}",
        ) from None


def split_name(name: str) -> tuple[str, str]:
    """Split a validated name into the 09 part (≤30 GBK bytes) and the 4E extension (≤20),
    at a character boundary so a reader that only knows record 09 still sees whole
    characters."""
    validate_name(name)
    head: list[str] = []
    used = 0
    for i, ch in enumerate(name):
        n = len(ch.encode("gbk"))
        if used + n > NAME_BYTES:
            return "".join(head), name[i:]
        head.append(ch)
        used += n
    return name, ""


def join_name(part09: bytes | None, part4e: bytes | None) -> str | None:
    """The name from the stripped value bytes of records 09 and 4E (joined as bytes first,
    so a writer that split inside a character is still read right)."""
    raw = (part09 or b"") + (part4e or b"")
    if not raw:
        return None
    return GbkText().decode(raw)


def has_rare_characters(name: str) -> bool:
    """True for names with ``[PINYIN]`` notation: those are exempt from name matching."""
    return bool(_BRACKET.search(name))


class GbkText(ValueCodec):
    """``an`` GBK text, 00-padded (one part of the name; see ``split_name``)."""

    def __init__(self, what: str = "姓名") -> None:
        self.what = what

    def encode(self, value: Any, length: int) -> bytes:
        return _pad_an(encode_name(str(value)), length, self.what)

    def decode(self, raw: bytes) -> str:
        try:
            return raw.decode("gbk")
        except UnicodeDecodeError:
            raise InvalidData(
                f"卡内{self.what}不是有效的GBK文本 (not valid GBK text)", detail=raw.hex()
            ) from None
