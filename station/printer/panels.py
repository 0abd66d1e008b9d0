"""Panel bitmaps and their wire packing for ``Db;<panel>;<levels>;<data>``.

One module owns the packing so the driver (encode) and the simulator (decode) cannot drift.

Packing (documented in docs/printer.md):
- every panel is 1016 x 648 px (CR80 at 300 dpi with the printer's overscan), rows top to
  bottom, pixels left to right, no row padding (both 1016 x 5 and 1016 x 1 bits end on a
  byte boundary);
- Y, M, C at 32 levels: one 5-bit value per pixel, 0 = no dye, 31 = full dye, written as
  one continuous big-endian bit stream (the first pixel's most significant bit is bit 7 of
  byte 0; 8 pixels fill exactly 5 bytes), 411,480 bytes per panel;
- K and O at 2 levels: one bit per pixel, 1 = lay resin / varnish, most significant bit
  first, 82,296 bytes per panel.

No numpy below ui/: the 5-bit packing works on 8 strided byte planes with
``bytes.translate`` and big-integer OR, which keeps it in C (about 10 ms per panel).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

WIDTH = 1016
HEIGHT = 648
DPI = 300
PX_PER_MM = DPI / 25.4
PIXELS = WIDTH * HEIGHT

COLOUR_PANELS = ("y", "m", "c")
MONO_PANELS = ("k", "o")
ALL_PANELS = COLOUR_PANELS + MONO_PANELS
LEVELS = {"y": 32, "m": 32, "c": 32, "k": 2, "o": 2}
BITS = {32: 5, 2: 1}


def panel_bytes(levels: int) -> int:
    """Size of a full panel download at ``levels`` (the receiver's only framing)."""
    return PIXELS * BITS[levels] // 8


def mm(value: float) -> int:
    """Millimetres on the card to whole panel pixels."""
    return round(value * PX_PER_MM)


@dataclass(frozen=True)
class PanelSet:
    """What one front side needs: colour (RGB, photo), resin black (1-bit, text) and the
    overlay (1-bit).  In the 1-bit images black (0) means "lay resin/varnish here", so
    they look right when opened in an image viewer."""

    ymc: Image.Image
    k: Image.Image
    o: Image.Image

    def __post_init__(self) -> None:
        for name, img, mode in (("ymc", self.ymc, "RGB"), ("k", self.k, "1"), ("o", self.o, "1")):
            if img.size != (WIDTH, HEIGHT) or img.mode != mode:
                raise ValueError(
                    f"panel {name}: need {mode} {WIDTH}x{HEIGHT}, got {img.mode} {img.size}"
                )


_INVERT = bytes(255 - i for i in range(256))


def _table(fn: Callable[[int], int]) -> bytes:
    """A 256-entry ``bytes.translate`` table applying ``fn`` to every byte value."""
    return bytes(fn(i) & 0xFF for i in range(256))


def _or(a: bytes, b: bytes) -> bytes:
    """Bytewise OR of equal-length strings (bits never overlap here, so OR is exact)."""
    n = len(a)
    return (int.from_bytes(a, "big") | int.from_bytes(b, "big")).to_bytes(n, "big")


# encode: group of 8 values p0..p7 (5 bits each) -> bytes b0..b4
_E = {
    "p0<<3": _table(lambda v: (v & 31) << 3),
    "p1>>2": _table(lambda v: (v & 31) >> 2),
    "p1<<6": _table(lambda v: (v & 3) << 6),
    "p2<<1": _table(lambda v: (v & 31) << 1),
    "p3>>4": _table(lambda v: (v & 31) >> 4),
    "p3<<4": _table(lambda v: (v & 15) << 4),
    "p4>>1": _table(lambda v: (v & 31) >> 1),
    "p4<<7": _table(lambda v: (v & 1) << 7),
    "p5<<2": _table(lambda v: (v & 31) << 2),
    "p6>>3": _table(lambda v: (v & 31) >> 3),
    "p6<<5": _table(lambda v: (v & 7) << 5),
    "p7": _table(lambda v: v & 31),
}
# decode: bytes b0..b4 -> p0..p7
_D = {
    "b0>>3": _table(lambda b: b >> 3),
    "b0&7<<2": _table(lambda b: (b & 7) << 2),
    "b1>>6": _table(lambda b: b >> 6),
    "b1>>1&31": _table(lambda b: (b >> 1) & 31),
    "b1&1<<4": _table(lambda b: (b & 1) << 4),
    "b2>>4": _table(lambda b: b >> 4),
    "b2&15<<1": _table(lambda b: (b & 15) << 1),
    "b3>>7": _table(lambda b: b >> 7),
    "b3>>2&31": _table(lambda b: (b >> 2) & 31),
    "b3&3<<3": _table(lambda b: (b & 3) << 3),
    "b4>>5": _table(lambda b: b >> 5),
    "b4&31": _table(lambda b: b & 31),
}


def pack5(values: bytes) -> bytes:
    """Pack bytes holding 0..31 into a 5-bit big-endian stream (len must be a multiple of 8)."""
    if len(values) % 8:
        raise ValueError("pack5 needs a multiple of 8 values")
    p = [values[i::8] for i in range(8)]
    e = _E
    out = bytearray(len(values) * 5 // 8)
    out[0::5] = _or(p[0].translate(e["p0<<3"]), p[1].translate(e["p1>>2"]))
    out[1::5] = _or(
        _or(p[1].translate(e["p1<<6"]), p[2].translate(e["p2<<1"])), p[3].translate(e["p3>>4"])
    )
    out[2::5] = _or(p[3].translate(e["p3<<4"]), p[4].translate(e["p4>>1"]))
    out[3::5] = _or(
        _or(p[4].translate(e["p4<<7"]), p[5].translate(e["p5<<2"])), p[6].translate(e["p6>>3"])
    )
    out[4::5] = _or(p[6].translate(e["p6<<5"]), p[7].translate(e["p7"]))
    return bytes(out)


def unpack5(data: bytes) -> bytes:
    """Inverse of ``pack5``: one byte (0..31) per pixel."""
    if len(data) % 5:
        raise ValueError("unpack5 needs a multiple of 5 bytes")
    b = [data[i::5] for i in range(5)]
    d = _D
    out = bytearray(len(data) * 8 // 5)
    out[0::8] = b[0].translate(d["b0>>3"])
    out[1::8] = _or(b[0].translate(d["b0&7<<2"]), b[1].translate(d["b1>>6"]))
    out[2::8] = b[1].translate(d["b1>>1&31"])
    out[3::8] = _or(b[1].translate(d["b1&1<<4"]), b[2].translate(d["b2>>4"]))
    out[4::8] = _or(b[2].translate(d["b2&15<<1"]), b[3].translate(d["b3>>7"]))
    out[5::8] = b[3].translate(d["b3>>2&31"])
    out[6::8] = _or(b[3].translate(d["b3&3<<3"]), b[4].translate(d["b4>>5"]))
    out[7::8] = b[4].translate(d["b4&31"])
    return bytes(out)


_TO_LEVEL = [round(v * 31 / 255) for v in range(256)]
_FROM_LEVEL = [round(v * 255 / 31) for v in range(32)]


def encode_colour(ymc: Image.Image) -> dict[str, bytes]:
    """RGB panel -> Y, M, C downloads (dye amount = 255 - the complementary channel)."""
    r, g, b = ymc.convert("RGB").split()
    out: dict[str, bytes] = {}
    for name, channel in (("y", b), ("m", g), ("c", r)):
        dye = channel.point([_TO_LEVEL[255 - v] for v in range(256)])
        out[name] = pack5(dye.tobytes())
    return out


def decode_colour(panels: dict[str, bytes]) -> Image.Image:
    """Y, M, C downloads -> the RGB image they print (white where a panel is missing)."""
    lut = [255 - _FROM_LEVEL[v] if v < 32 else 0 for v in range(256)]
    chans = {}
    for name in COLOUR_PANELS:
        data = panels.get(name)
        if data is None:
            chans[name] = Image.new("L", (WIDTH, HEIGHT), 255)
        else:
            chans[name] = Image.frombytes("L", (WIDTH, HEIGHT), unpack5(data)).point(lut)
    return Image.merge("RGB", (chans["c"], chans["m"], chans["y"]))


def encode_mono(img: Image.Image) -> bytes:
    """1-bit panel (black = apply) -> 1 bit per pixel, 1 = apply, MSB first."""
    return img.convert("1").tobytes().translate(_INVERT)


def decode_mono(data: bytes) -> Image.Image:
    return Image.frombytes("1", (WIDTH, HEIGHT), data.translate(_INVERT))


def encode_panels(panels: PanelSet) -> list[tuple[str, int, bytes]]:
    """The five downloads of a YMCKO front, in printing order."""
    colour = encode_colour(panels.ymc)
    return [
        ("y", 32, colour["y"]),
        ("m", 32, colour["m"]),
        ("c", 32, colour["c"]),
        ("k", 2, encode_mono(panels.k)),
        ("o", 2, encode_mono(panels.o)),
    ]


def composite(ymc: Image.Image, k: Image.Image) -> Image.Image:
    """What the printed card looks like: colour with resin black on top."""
    out = ymc.convert("RGB").copy()
    black = Image.new("RGB", out.size, (0, 0, 0))
    mask = k.convert("L").point(lambda v: 255 if v == 0 else 0)
    out.paste(black, (0, 0), mask)
    return out
