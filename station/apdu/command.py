"""Command and response APDUs as immutable ``bytes``-based values (ISO/IEC 7816-3/-4).

Hex appears only at the edges (CLI, traces, profiles); inside, everything is ``bytes``.
"""

from __future__ import annotations

import enum
import string
from dataclasses import dataclass, field

from station.errors import ApduFormatError

_HEX = set(string.hexdigits)


def parse_hex(text: str) -> bytes:
    """Hex text (spaces, colons and newlines ignored) to bytes, with a clear error."""
    cleaned = "".join(ch for ch in text if ch not in " \t\r\n:")
    if cleaned.lower().startswith("0x"):
        cleaned = cleaned[2:]
    bad = [ch for ch in cleaned if ch not in _HEX]
    if bad:
        raise ApduFormatError(
            "十六进制格式错误 (not hexadecimal)", detail=f"unexpected character {bad[0]!r}"
        )
    if len(cleaned) % 2:
        raise ApduFormatError(
            "十六进制格式错误 (odd number of hex digits)", detail=f"{len(cleaned)} digits"
        )
    return bytes.fromhex(cleaned)


class Case(enum.IntEnum):
    """ISO 7816-3 command cases: whether data goes in (Lc) and/or out (Le)."""

    CASE1 = 1  # no data, no Le
    CASE2 = 2  # Le only
    CASE3 = 3  # Lc + data
    CASE4 = 4  # Lc + data + Le


@dataclass(frozen=True, slots=True)
class Command:
    """One command APDU.

    ``le`` is ``None`` when no response data is expected; ``le=0`` in a short APDU means
    "up to 256" (and up to 65536 when extended).  ``sensitive`` marks commands whose data
    must never be traced (VERIFY, CHANGE/RESET PIN, EXTERNAL AUTH, key loads).
    """

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None
    extended: bool = False
    sensitive: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            value = getattr(self, name)
            if not 0 <= value <= 0xFF:
                raise ApduFormatError(detail=f"{name}={value} is not a byte")
        if not isinstance(self.data, bytes):
            object.__setattr__(self, "data", bytes(self.data))
        max_lc = 65535 if self.extended else 255
        if len(self.data) > max_lc:
            raise ApduFormatError(detail=f"{len(self.data)} data bytes exceed Lc maximum {max_lc}")
        if self.le is not None:
            max_le = 65536 if self.extended else 256
            if not 0 <= self.le <= max_le:
                raise ApduFormatError(detail=f"Le={self.le} outside 0..{max_le}")

    @property
    def case(self) -> Case:
        if self.data:
            return Case.CASE4 if self.le is not None else Case.CASE3
        return Case.CASE2 if self.le is not None else Case.CASE1

    @property
    def header(self) -> bytes:
        return bytes((self.cla, self.ins, self.p1, self.p2))

    def to_bytes(self) -> bytes:
        """Encode; short form unless ``extended`` (Le 256 short / 65536 extended -> 00)."""
        out = bytearray(self.header)
        if self.extended:
            if self.data:
                out += b"\x00" + len(self.data).to_bytes(2, "big") + self.data
                if self.le is not None:
                    out += (self.le % 65536).to_bytes(2, "big")
            elif self.le is not None:
                out += b"\x00" + (self.le % 65536).to_bytes(2, "big")
        else:
            if self.data:
                out += bytes((len(self.data),)) + self.data
            if self.le is not None:
                out.append(self.le % 256)
        return bytes(out)

    def with_le(self, le: int | None) -> Command:
        return Command(
            self.cla, self.ins, self.p1, self.p2, self.data, le, self.extended, self.sensitive
        )

    def with_data(self, data: bytes) -> Command:
        return Command(
            self.cla, self.ins, self.p1, self.p2, data, self.le, self.extended, self.sensitive
        )

    @classmethod
    def from_bytes(cls, raw: bytes, *, sensitive: bool = False) -> Command:
        """Parse and validate a command APDU in any of the ISO cases, short or extended."""
        raw = bytes(raw)
        n = len(raw)
        if n < 4:
            raise ApduFormatError("指令太短 (command shorter than 4 bytes)", detail=f"{n} bytes")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2, sensitive=sensitive)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or 256, sensitive=sensitive)
        if body[0] != 0:
            lc = body[0]
            rest = body[1:]
            if len(rest) == lc:
                return cls(cla, ins, p1, p2, rest, sensitive=sensitive)
            if len(rest) == lc + 1:
                return cls(cla, ins, p1, p2, rest[:lc], rest[lc] or 256, sensitive=sensitive)
            raise ApduFormatError(
                "指令长度与数据不符 (Lc does not match the data)",
                detail=f"Lc={lc} but {len(rest)} bytes follow",
            )
        # body[0] == 0 and len(body) >= 2: extended form
        if len(body) == 3:
            le = int.from_bytes(body[1:3], "big") or 65536
            return cls(cla, ins, p1, p2, le=le, extended=True, sensitive=sensitive)
        if len(body) < 3:
            raise ApduFormatError("指令格式错误 (truncated extended length)", detail=body.hex())
        lc = int.from_bytes(body[1:3], "big")
        rest = body[3:]
        if lc == 0:
            raise ApduFormatError("指令格式错误 (extended Lc of zero)", detail=body.hex())
        if len(rest) == lc:
            return cls(cla, ins, p1, p2, rest, extended=True, sensitive=sensitive)
        if len(rest) == lc + 2:
            le = int.from_bytes(rest[lc:], "big") or 65536
            return cls(cla, ins, p1, p2, rest[:lc], le, extended=True, sensitive=sensitive)
        raise ApduFormatError(
            "指令长度与数据不符 (Lc does not match the data)",
            detail=f"extended Lc={lc} but {len(rest)} bytes follow",
        )

    @classmethod
    def from_hex(cls, text: str, *, sensitive: bool = False) -> Command:
        return cls.from_bytes(parse_hex(text), sensitive=sensitive)

    def __repr__(self) -> str:  # never show data of sensitive commands
        shown = "<redacted>" if self.sensitive and self.data else self.data.hex().upper()
        return f"Command({self.header.hex().upper()} data={shown} le={self.le})"


@dataclass(frozen=True, slots=True)
class Response:
    """One response APDU: data followed by the two status bytes."""

    data: bytes
    sw1: int
    sw2: int

    @property
    def sw(self) -> int:
        return (self.sw1 << 8) | self.sw2

    @property
    def ok(self) -> bool:
        return self.sw == 0x9000

    def to_bytes(self) -> bytes:
        return self.data + bytes((self.sw1, self.sw2))

    @classmethod
    def from_bytes(cls, raw: bytes) -> Response:
        raw = bytes(raw)
        if len(raw) < 2:
            raise ApduFormatError(
                "卡片应答不完整 (response shorter than 2 bytes)",
                detail=f"got {raw.hex() or 'nothing'}",
            )
        return cls(raw[:-2], raw[-2], raw[-1])

    @classmethod
    def of(cls, sw: int, data: bytes = b"") -> Response:
        return cls(bytes(data), (sw >> 8) & 0xFF, sw & 0xFF)

    def __repr__(self) -> str:
        return f"Response(data={self.data.hex().upper()} sw={self.sw:04X})"
