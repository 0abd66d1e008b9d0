"""The historical bytes of an ATR (ISO/IEC 7816-3 §8.2).

One copy for every side that needs them: a profile checks that its ATR carries the 13
historical bytes the social security card keeps its card factor in (T6..TD) and serial
(TA..TD); the virtual card answers with them; the host derives card keys from them.
"""

from __future__ import annotations


def historical_span(atr: bytes) -> tuple[int, int]:
    """(offset, count) of the ATR's historical bytes: T0's low nibble gives the count,
    the interface bytes announced by the Y nibbles are skipped."""
    if len(atr) < 2:
        return len(atr), 0
    t0 = atr[1]
    i = 2
    y = t0 >> 4
    while True:
        i += bin(y).count("1")
        if not y & 0x8 or i - 1 >= len(atr):
            break
        y = atr[i - 1] >> 4
    return i, t0 & 0x0F


def historical_bytes(atr: bytes) -> bytes:
    """The historical bytes of an ATR (T6..TD of them are the card factor)."""
    start, k = historical_span(atr)
    return atr[start : start + k]
