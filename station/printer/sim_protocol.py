"""The simulator's words on the wire: its reply spellings, its fault and remedy words, the
byte-stream framing, and the client side of its private ``Xsim`` control command.

Why a module of its own: these are what the driver, the CLI and the tests talk to the
simulator in.  The mechanics (``sim_mechanics``) and the command table (``simulator``) use
them; ``station printer fault`` and the status command only need this module.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from station.printer.panels import BITS, panel_bytes

log = logging.getLogger("station.printer.sim")

ESC = 0x1B
CR = 0x0D
MAX_TEXT_FRAME = 4096  # a text command longer than this is garbage; drop it
SIM_FIRMWARE = "SIM"  # how the simulator's Rfv reply starts

# what the firmware says (the simulator is "the printer": its own spellings, which the
# driver's REPLIES table must understand — the tests check that they agree)
R_OK = "OK"
R_CMD = "ERR CMD"
R_PARAM = "ERR PARAM"
R_FEEDER = "ERR FEEDER EMPTY"
R_RIBBON = "ERR RIBBON ENDED"
R_COVER = "ERR COVER OPEN"
R_MECH = "ERR MECHANICAL"
R_REJECT_FULL = "ERR REJECT BOX FULL"
R_NO_CARD = "ERR NO CARD"
R_REBOOTED = "ERR REBOOTED"


class Fault(enum.StrEnum):
    """Faults the simulator can inject (the value is the CLI word and the Xsim word)."""

    FEEDER_EMPTY = "feeder-empty"  # N: the hopper runs dry at the Nth card fed from now
    JAM = "jam"  # N: the Nth card move from now jams (until clear-jam or Srs)
    RIBBON_END = "ribbon-end"  # N: the ribbon ends during the Nth panel printed from now
    COVER_OPEN = "cover-open"  # the cover is opened now (remedy: close-cover)
    CHIP_ABSENT = "chip-absent"  # N: at the Nth arrival at the contacts, the reader sees no card
    CHIP_MUTE = "chip-mute"  # N: at the Nth arrival at the contacts, the card does not answer
    POWER_LOSS = "power-loss"  # N: power fails during the Nth command from now (no reply)
    REJECT_FULL = "reject-full"  # the reject box is full now (remedy: empty-reject)
    OFFLINE = "offline"  # the printer stops answering until Xsim;clear


FAULT_KINDS = tuple(f.value for f in Fault)  # the CLI's choices


class Remedy(enum.StrEnum):
    """What the operator does at the printer to fix a fault (``Xsim;remedy;<word>``)."""

    LOAD_RIBBON = "load-ribbon"  # a new ribbon: full capacity again (or N prints)
    CLEAR_JAM = "clear-jam"  # open, pull the stuck card out (spoiled), close
    LOAD_CARDS = "load-cards"  # refill the hopper: held-back blanks back, plus N bare blanks
    EMPTY_REJECT = "empty-reject"  # empty the reject box
    CLOSE_COVER = "close-cover"  # close the cover


REMEDIES = tuple(r.value for r in Remedy)


# -- framing ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Frame:
    text: str
    data: bytes | None = None


_WAIT = (-1, "", 0)  # a Db header not complete yet


class FrameParser:
    """Turns the byte stream into frames.  ``Db`` carries raw panel bytes that may contain
    CR, so its length comes from the levels (a full panel), not from a terminator."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def feed(self, chunk: bytes) -> list[Frame]:
        self.buf += chunk
        frames: list[Frame] = []
        while True:
            frame = self._next()
            if frame is None:
                return frames
            frames.append(frame)

    def _next(self) -> Frame | None:
        buf = self.buf
        start = buf.find(ESC)
        if start < 0:
            if buf:
                log.debug("discarding %d bytes outside a frame", len(buf))
            buf.clear()
            return None
        if start:
            del buf[:start]
        if buf[1:4] == b"Db;":
            head = self._panel_header()
            if head is _WAIT:
                return None
            if head is not None:
                hdr_end, text, size = head
                if len(buf) < hdr_end + size + 1:
                    return None
                data = bytes(buf[hdr_end : hdr_end + size])
                ok = buf[hdr_end + size] == CR
                del buf[: hdr_end + size + 1]
                return Frame(text, data) if ok else Frame("Db;bad-length", b"")
        cr = buf.find(CR)
        if cr < 0:
            if len(buf) > MAX_TEXT_FRAME:
                log.warning("dropping an unterminated %d-byte frame", len(buf))
                buf.clear()
            return None
        text = buf[1:cr].decode("ascii", "replace")
        del buf[: cr + 1]
        return Frame(text)

    def _panel_header(self) -> tuple[int, str, int] | None:
        """(header end, "Db;p;levels", data size), ``_WAIT`` for more bytes, or None when
        the header is not a full-panel download we know (handled as a text command)."""
        buf = self.buf
        window = bytes(buf[:24])
        parts: list[int] = [i for i, b in enumerate(window) if b == ord(";")]
        cr = window.find(b"\r")
        if len(parts) < 3:
            if cr < 0 and len(window) < 24:
                return _WAIT
            return None
        third = parts[2]
        if 0 <= cr < third:
            return None
        text = window[1:third].decode("ascii", "replace")
        try:
            levels = int(text.split(";")[2])
        except ValueError:
            return None
        if levels not in BITS:
            return None
        return third + 1, text, panel_bytes(levels)


# -- the Xsim client ----------------------------------------------------------------------
def sim_control(url: str, *words: str, timeout: float = 5.0) -> str:
    """Send one ``Xsim`` control command to a running simulator; return its reply."""
    import serial

    try:
        port = serial.serial_for_url(url, timeout=timeout)
    except (serial.SerialException, OSError, ValueError) as exc:
        from station.printer.errors import PrinterOffline

        raise PrinterOffline(detail=f"{url}: {exc}") from exc
    try:
        port.write(b"\x1b" + ";".join(("Xsim", *words)).encode("ascii") + b"\r")
        port.flush()
        reply: bytes = port.read_until(b"\r", 65536)  # bounded in time and size
    finally:
        port.close()
    return reply.decode("ascii", "replace").strip()


def sim_armed(url: str, *, timeout: float = 5.0) -> list[str]:
    """The simulator's armed faults as ``kind@N`` (empty when none are armed)."""
    reply = sim_control(url, "armed", timeout=timeout)
    if reply == R_OK:
        return []
    items = reply.split(",")
    kinds = set(FAULT_KINDS)
    if not all(item.partition("@")[0] in kinds for item in items):
        from station.printer.errors import UnexpectedReply

        raise UnexpectedReply(detail=f"Xsim;armed: {reply[:60]!r}")
    return items
