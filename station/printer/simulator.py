"""A simulated Evolis-protocol card printer, on a TCP socket or a pty.

Why: the issuance flow, its recovery paths and the chip encoding must be exercised end to
end without hardware.  The simulator speaks the same escape commands as the driver, moves
virtual blanks between a hopper, the print position, the contact station, the bezel and a
reject box, and when a card reaches the contacts it shows that card's chip to real PC/SC
through a vpcd slot (``VpcdLink.insert``), so encoding goes through pcscd exactly as with a
real printer's built-in encoder.  Printed panels are decoded and saved as PNG per card.

Faults are injected on demand with a private command on the same link,
``ESC Xsim;fault;<kind>[;N] CR`` (see ``Fault`` and docs/printer.md), and fixed the way an
operator would with ``ESC Xsim;remedy;<remedy>[;N] CR`` (see ``Remedy``).  Standing faults
(cover open, jam, reject box full, ribbon ended) are reported by ``Rst``.  All
protocol handling runs under one lock: several clients may connect, each with its own
thread, but the "mechanics" do one thing at a time, as a real printer does.
"""

from __future__ import annotations

import contextlib
import enum
import json
import logging
import os
import select
import socket
import threading
import tty
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

from PIL import Image

from station.apdu.cardos import CardOS
from station.errors import StationError
from station.printer.panels import (
    ALL_PANELS,
    BITS,
    HEIGHT,
    LEVELS,
    WIDTH,
    composite,
    decode_colour,
    decode_mono,
    panel_bytes,
)

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


class Where(enum.Enum):
    HOPPER = "hopper"
    PRINT = "print"
    CONTACT = "contact"
    BEZEL = "bezel"
    OUTPUT = "output"  # taken by the teller
    REJECT = "reject"
    WITHHELD = "withheld"  # taken out of the hopper by a feeder-empty fault
    REMOVED = "removed"  # pulled out by hand when a jam was cleared (spoiled)


POSITION_REPLY = {Where.PRINT: "CARD", Where.CONTACT: "SMART CARD"}


class ChipSlot(Protocol):
    """Where the chip at the contacts shows up: a ``VpcdLink`` (real PC/SC) or anything
    with the same two methods."""

    def insert(self, card: CardOS) -> None: ...

    def remove(self) -> None: ...


class BareChip:
    """A blank chip for demos without a blank set: an ATR and 9000 to every command."""

    def __init__(self, serial_no: int) -> None:
        self._atr = bytes.fromhex("3B6800000073C84013009000")[:-2] + serial_no.to_bytes(2, "big")

    @property
    def atr(self) -> bytes:
        return self._atr

    def power_on(self) -> None:
        pass

    def power_off(self) -> None:
        pass

    def reset(self) -> None:
        pass

    def execute(self, apdu: bytes) -> bytes:
        return b"\x90\x00"


class MuteCard(BareChip):
    """A card that sits under the contacts but does not answer reset properly: the reader
    sees something (the slot is occupied) but gets a meaningless one-byte ATR, so PC/SC
    cannot connect to it — what dirty contacts or a dead chip look like to the encoder."""

    def __init__(self) -> None:
        super().__init__(0)
        self._atr = b"\x00"

    def execute(self, apdu: bytes) -> bytes:
        return b"\x6f\x00"


@dataclass
class Timing:
    """Seconds per mechanical step at ``scale`` 1 (about 23 s for a YMCKO card with chip
    encoding: feed 2, to contacts 1.5, back 1, Y/M/C 4 each, K 2.5, O 2.5, eject 2)."""

    feed: float = 2.0
    to_contacts: float = 1.5
    to_print: float = 1.0
    panel_colour: float = 4.0
    panel_mono: float = 2.5
    eject: float = 2.0
    reject: float = 2.0
    reset: float = 3.0
    scale: float = 0.0

    def seconds(self, step: str) -> float:
        return float(getattr(self, step)) * self.scale


@dataclass
class SimCard:
    index: int
    name: str
    chip: CardOS
    where: Where = Where.HOPPER
    panels: dict[str, bytes] = field(default_factory=dict)
    printed: bool = False  # a complete sequence ended on this card

    def preview(self) -> Image.Image:
        """The card as printed so far (white where nothing was printed)."""
        k = (
            decode_mono(self.panels["k"])
            if "k" in self.panels
            else Image.new("1", (WIDTH, HEIGHT), 255)
        )
        return composite(decode_colour(self.panels), k)


@dataclass(frozen=True)
class SimState:
    """A snapshot of the simulated printer (``Xsim;state`` sends it as JSON)."""

    position: str
    inside: int | None
    hopper: int
    ribbon: int
    bezel: int | None
    reject_box: int
    printed: int
    cover_open: bool
    jammed: bool
    offline: bool
    chip: bool
    faults: dict[Fault, int]
    settings: dict[str, str]

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["faults"] = {kind.value: left for kind, left in self.faults.items()}
        return data


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


class PrinterSimulator:
    """The printer's state machine plus its servers.

    ``blanks`` fill the hopper (CardOS objects, or ``(name, CardOS)`` pairs).  ``chip_slot``
    receives the card under the contacts (a started ``VpcdLink`` for real PC/SC).
    ``out_dir`` receives ``card-NNNN.png`` (composite) and ``card-NNNN-<panel>.png`` for
    every card whose print ended (completed, interrupted or rejected).
    """

    firmware = f"{SIM_FIRMWARE} 1.0 (station printer simulator)"

    def __init__(
        self,
        blanks: Iterable[CardOS | tuple[str, CardOS]] = (),
        *,
        chip_slot: ChipSlot | None = None,
        out_dir: Path | None = None,
        ribbon: int = 250,
        reject_capacity: int = 20,
        timing: Timing | None = None,
        serial_no: str = "SIM000001",
    ) -> None:
        self.chip_slot = chip_slot
        self.out_dir = out_dir
        self.save_error: StationError | None = None  # a printed card that could not be saved
        self.ribbon_capacity = ribbon
        self.ribbon = ribbon
        self.reject_capacity = reject_capacity
        self.timing = timing or Timing()
        self.serial_no = serial_no
        self.cards: list[SimCard] = []
        self.hopper: deque[SimCard] = deque()
        self.load(blanks)
        self.inside: SimCard | None = None
        self.bezel: SimCard | None = None
        self.reject_box: list[SimCard] = []
        self.cover_open = False
        self.jammed = False
        self.rebooted = False
        self.offline = False
        self.faults: dict[Fault, int] = {}
        self.settings: dict[str, str] = {}
        self.sequence: dict[str, bytes] | None = None
        self.chip_present: CardOS | None = None  # what the contact station shows now
        self.commands = 0
        self._defaults()
        self._lock = threading.RLock()
        self._table = self._handlers()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._conns: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self._pty: tuple[int, int] | None = None
        self.url: str = ""

    # -- setup ---------------------------------------------------------------------------
    def load(self, blanks: Iterable[CardOS | tuple[str, CardOS]]) -> None:
        """Put more blanks in the hopper (the operator loading cards)."""
        for item in blanks:
            name, chip = item if isinstance(item, tuple) else (f"blank-{len(self.cards) + 1}", item)
            card = SimCard(len(self.cards) + 1, name, chip)
            self.cards.append(card)
            self.hopper.append(card)

    def _defaults(self) -> None:
        # factory settings: printer handles errors, ejects at the end of a print
        self.settings = {
            "Pem": "0",
            "Pneab": "D",
            "Pneab.allow": "1",
            "Pcrm": "",
            "Pcim": "F",
            "Pr": "ymcko",
        }

    # -- protocol core -------------------------------------------------------------------
    def handle(self, frame: Frame) -> str | None:
        """One command -> its reply (None: the printer says nothing)."""
        parts = frame.text.split(";")
        name, params = parts[0], parts[1:]
        if name == "Xsim":
            with self._lock:
                try:
                    return self._control(params)
                except (IndexError, ValueError):
                    return R_PARAM
        with self._lock:
            if self.offline:
                return None
            self.commands += 1
            if self._trip(Fault.POWER_LOSS):
                self._power_loss()
                return None
            if self.rebooted:
                self.rebooted = False
                return R_REBOOTED
            handler = self._table.get(name)
            if handler is None:
                return R_CMD
            try:
                return handler(params, frame.data)
            except (IndexError, ValueError):
                return R_PARAM

    def _handlers(self) -> dict[str, Callable[[list[str], bytes | None], str]]:
        return {
            "Rok": lambda p, d: R_OK,
            "Rfv": lambda p, d: self.firmware,
            "Rsn": lambda p, d: self.serial_no,
            "Rlr": self._c_rlr,
            "Rse": self._c_rse,
            "Rrt": self._c_rrt,
            "Rco": lambda p, d: str(sum(1 for c in self.cards if c.printed)),
            "Rst": self._c_rst,
            "Pem": _setting_handler(self, "Pem"),
            "Pneab": _setting_handler(self, "Pneab"),
            "Pcrm": _setting_handler(self, "Pcrm"),
            "Pcim": _setting_handler(self, "Pcim"),
            "Pcem": _setting_handler(self, "Pcem"),
            "Pr": _setting_handler(self, "Pr"),
            "Si": lambda p, d: self._move(Where.PRINT),
            "Sis": lambda p, d: self._move(Where.CONTACT),
            "Ss": self._c_ss,
            "Sr": lambda p, d: R_OK,
            "Db": self._c_db,
            "Se": self._c_se,
            "Ser": self._c_ser,
            "Srs": self._c_srs,
        }

    def _trip(self, kind: Fault) -> bool:
        """Count down an armed fault; True when it fires now."""
        left = self.faults.get(kind)
        if left is None:
            return False
        if left <= 1:
            del self.faults[kind]
            return True
        self.faults[kind] = left - 1
        return False

    def _sleep(self, step: str) -> None:
        seconds = self.timing.seconds(step)
        if seconds > 0:
            self._stop.wait(seconds)

    # queries
    def _c_rlr(self, params: list[str], data: bytes | None) -> str:
        if params[0] != "p":
            return R_PARAM
        if self.inside is None:
            return R_OK
        return POSITION_REPLY.get(self.inside.where, R_OK)

    def _c_rse(self, params: list[str], data: bytes | None) -> str:
        sensor = params[0]
        if sensor == "f":
            return "5,00 Volts" if self.hopper else "0,00 Volts"
        if sensor == "o":
            return "0,00 Volts" if self.cover_open else "5,00 Volts"
        if sensor == "b":
            return "4,90 Volts" if self.bezel is not None else "0,20 Volts"
        return R_PARAM

    def _c_rrt(self, params: list[str], data: bytes | None) -> str:
        if params[0] == "count":
            return str(self.ribbon)
        if params[0] == "qty":
            return str(self.ribbon_capacity)
        return R_PARAM

    def _c_rst(self, params: list[str], data: bytes | None) -> str:
        """Standing faults, each spelled as its error reply, or OK."""
        standing = [
            reply
            for reply, on in (
                (R_COVER, self.cover_open),
                (R_MECH, self.jammed),
                (R_REJECT_FULL, len(self.reject_box) >= self.reject_capacity),
                (R_RIBBON, self.ribbon <= 0),
            )
            if on
        ]
        return ",".join(standing) or R_OK

    # moves
    def _mech_check(self) -> str | None:
        if self.cover_open:
            return R_COVER
        if self.jammed:
            return R_MECH
        return None

    def _feed_one(self) -> SimCard | str:
        if not self.hopper:
            return R_FEEDER
        if self._trip(Fault.JAM):
            card = self.hopper.popleft()
            card.where = Where.PRINT  # half fed: stuck at the print path
            self.inside = card
            self.jammed = True
            return R_MECH
        card = self.hopper.popleft()
        self._sleep("feed")
        card.where = Where.PRINT
        self.inside = card
        return card

    def _ready_with_card(self) -> str | None:
        """Mechanics fine and a card inside (fed from the hopper if there was none), or
        the error reply to send instead."""
        problem = self._mech_check()
        if problem:
            return problem
        if self.inside is None:
            fed = self._feed_one()
            if isinstance(fed, str):
                return fed
        return None

    def _move(self, target: Where) -> str:
        problem = self._ready_with_card()
        if problem:
            return problem
        card = self.inside
        assert card is not None
        if card.where is target:
            if target is Where.CONTACT:  # re-seat: contacts lift and land again
                self._leave_contacts()
                self._arrive_contacts(card)
            return R_OK
        if self._trip(Fault.JAM):
            self.jammed = True
            return R_MECH
        if card.where is Where.CONTACT:
            self._leave_contacts()
        self._sleep("to_contacts" if target is Where.CONTACT else "to_print")
        card.where = target
        if target is Where.CONTACT:
            self._arrive_contacts(card)
        return R_OK

    def _arrive_contacts(self, card: SimCard) -> None:
        chip: CardOS | None = card.chip
        if self._trip(Fault.CHIP_ABSENT):
            chip = None
        elif self._trip(Fault.CHIP_MUTE):
            chip = MuteCard()
        self.chip_present = chip
        if self.chip_slot is not None:
            if chip is None:
                self.chip_slot.remove()
            else:
                self.chip_slot.insert(chip)

    def _leave_contacts(self) -> None:
        self.chip_present = None
        if self.chip_slot is not None:
            self.chip_slot.remove()

    def _to_print_position(self) -> str | None:
        card = self.inside
        if card is None:
            return R_NO_CARD
        if card.where is Where.CONTACT:
            if self._trip(Fault.JAM):
                self.jammed = True
                return R_MECH
            self._leave_contacts()
            self._sleep("to_print")
            card.where = Where.PRINT
        return None

    # printing
    def _c_ss(self, params: list[str], data: bytes | None) -> str:
        problem = self._ready_with_card()
        if problem:
            return problem
        self.sequence = {}
        return R_OK

    def _c_db(self, params: list[str], data: bytes | None) -> str:
        if len(params) < 2 or data is None:
            return R_PARAM
        panel, levels = params[0], int(params[1])
        if panel not in ALL_PANELS or LEVELS[panel] != levels or len(data) != panel_bytes(levels):
            return R_PARAM
        if self.sequence is None:
            return R_CMD
        problem = self._mech_check() or self._to_print_position()
        if problem:
            return problem
        if self.ribbon <= 0:
            return R_RIBBON
        card = self.inside
        assert card is not None
        if not self.sequence and not card.panels:
            self.ribbon -= 1  # one YMCKO frame per card, taken when printing starts
        if self._trip(Fault.RIBBON_END):
            self.ribbon = 0
            self.sequence = None
            self._save(card, "ribbon-ended")
            return R_RIBBON
        self._sleep("panel_colour" if levels == 32 else "panel_mono")
        self.sequence[panel] = data
        card.panels[panel] = data
        return R_OK

    def _c_se(self, params: list[str], data: bytes | None) -> str:
        card = self.inside
        if card is None:
            return R_NO_CARD
        if self.sequence is not None:
            self.sequence = None
            card.printed = True
            self._save(card, "printed")
        allowed = self.settings["Pneab"] == "D" or self.settings["Pneab.allow"] == "1"
        if not allowed:
            return R_OK  # ejection blocked: the card stays at the print position
        problem = self._mech_check()
        if problem:
            return problem
        if self._trip(Fault.JAM):
            self.jammed = True
            return R_MECH
        if card.where is Where.CONTACT:
            self._leave_contacts()
        self._sleep("eject")
        if self.bezel is not None:
            self.bezel.where = Where.OUTPUT  # the teller took the previous card
        card.where = Where.BEZEL
        self.bezel = card
        self.inside = None
        return R_OK

    def _c_ser(self, params: list[str], data: bytes | None) -> str:
        card = self.inside
        if card is None:
            return R_NO_CARD
        if len(self.reject_box) >= self.reject_capacity:
            return R_REJECT_FULL
        problem = self._mech_check()
        if problem:
            return problem
        if self._trip(Fault.JAM):
            self.jammed = True
            return R_MECH
        if self.sequence is not None:
            self.sequence = None
            if card.panels:
                self._save(card, "rejected")
        if card.where is Where.CONTACT:
            self._leave_contacts()
        self._sleep("reject")
        card.where = Where.REJECT
        self.reject_box.append(card)
        self.inside = None
        return R_OK

    def _c_srs(self, params: list[str], data: bytes | None) -> str:
        self._sleep("reset")
        self._defaults()
        self.sequence = None
        self.jammed = False  # the reset re-homes the mechanics; the card stays where it was
        return R_OK

    def _power_loss(self) -> None:
        """Power fails mid-command: nothing is answered, settings and the print job are
        lost, the card stays physically where it was (motors stop; the contact station's
        reader is powered by the PC, so a card under the contacts stays visible)."""
        log.info("simulated power loss after %d commands", self.commands)
        self._sleep("reset")
        self._defaults()
        self.sequence = None
        self.jammed = False
        self.rebooted = True

    def _save(self, card: SimCard, why: str) -> None:
        if self.out_dir is None:
            return
        from station.fsutil import ensure_dir, write_image

        # a printed face is personal data: 0600, atomic, never through a planted symlink.
        # A refused file is kept in ``save_error`` for the owner of the simulator to raise:
        # the printer's protocol thread must not die of it.
        stem = self.out_dir / f"card-{card.index:04d}"
        try:
            ensure_dir(self.out_dir, refuse_symlink=True)
            write_image(f"{stem}.png", card.preview())
            colour = {k: v for k, v in card.panels.items() if k in ("y", "m", "c")}
            if colour:
                write_image(f"{stem}-ymc.png", decode_colour(colour))
            for mono in ("k", "o"):
                if mono in card.panels:
                    write_image(f"{stem}-{mono}.png", decode_mono(card.panels[mono]))
        except StationError as exc:
            log.info("cannot save card %d: %s", card.index, exc)  # the owner reports it
            self.save_error = exc
            return
        log.info("card %d (%s) %s -> %s.png", card.index, card.name, why, stem)

    # -- control (Xsim) ------------------------------------------------------------------
    def _control(self, params: list[str]) -> str:
        if not params:
            return R_PARAM
        verb, args = params[0], params[1:]
        try:
            if verb == "fault" and args:
                return self.inject(Fault(args[0]), int(args[1]) if len(args) > 1 else 1)
            if verb == "remedy" and args:
                return self.remedy(Remedy(args[0]), int(args[1]) if len(args) > 1 else 0)
        except ValueError:  # an unknown word or a count that is not a number
            return R_PARAM
        if verb == "clear":
            self.clear()
            return R_OK
        if verb == "cover" and args and args[0] in ("open", "close"):
            self.cover_open = args[0] == "open"
            return R_OK
        if verb == "ribbon" and args:
            self.ribbon = self.ribbon_capacity = int(args[0])
            return R_OK
        if verb == "take":
            if self.bezel is not None:
                self.bezel.where = Where.OUTPUT
                self.bezel = None
            return R_OK
        if verb == "empty-reject":
            return self.remedy(Remedy.EMPTY_REJECT)
        if verb == "armed":
            return ",".join(self.armed()) or R_OK
        if verb == "state":
            return json.dumps(self.state().to_dict(), separators=(",", ":"))
        return R_PARAM

    def inject(self, kind: Fault | str, at: int = 1) -> str:
        """Arm or apply a fault (the same as ``ESC Xsim;fault;kind;at``)."""
        try:
            kind = Fault(kind)
        except ValueError:
            return R_PARAM
        if at < 1:
            return R_PARAM
        with self._lock:
            if kind is Fault.FEEDER_EMPTY:
                keep = at - 1
                while len(self.hopper) > keep:
                    card = self.hopper.pop()
                    card.where = Where.WITHHELD
            elif kind is Fault.COVER_OPEN:
                self.cover_open = True
            elif kind is Fault.REJECT_FULL:
                while len(self.reject_box) < self.reject_capacity:
                    filler = SimCard(0, "filler", BareChip(0), Where.REJECT)
                    self.reject_box.append(filler)
            elif kind is Fault.OFFLINE:
                self.offline = True
            else:
                self.faults[kind] = at
        return R_OK

    def remedy(self, what: Remedy | str, count: int = 0) -> str:
        """The operator's fix at the printer (the same as ``ESC Xsim;remedy;what;N``).

        ``count``: prints on the new ribbon (0 = the ribbon's capacity), or bare blanks
        added to the hopper besides the held-back ones."""
        try:
            what = Remedy(what)
        except ValueError:
            return R_PARAM
        if count < 0:
            return R_PARAM
        with self._lock:
            if what is Remedy.LOAD_RIBBON:
                if count:
                    self.ribbon_capacity = count
                self.ribbon = self.ribbon_capacity
                self.faults.pop(Fault.RIBBON_END, None)  # a new ribbon has no armed end
            elif what is Remedy.CLEAR_JAM:
                self.jammed = False
                stuck = self.inside
                if stuck is not None:  # pulled out by hand: it cannot be issued any more
                    if stuck.where is Where.CONTACT:
                        self._leave_contacts()
                    stuck.where = Where.REMOVED
                    self.inside = None
                    self.sequence = None
            elif what is Remedy.LOAD_CARDS:
                for card in self.cards:
                    if card.where is Where.WITHHELD:
                        card.where = Where.HOPPER
                        self.hopper.append(card)
                first = len(self.cards) + 1
                self.load((f"blank-{i}", BareChip(i)) for i in range(first, first + count))
            elif what is Remedy.EMPTY_REJECT:
                self.reject_box.clear()
            elif what is Remedy.CLOSE_COVER:
                self.cover_open = False
        return R_OK

    def clear(self) -> None:
        """Operator fixes everything fixable without a reset: armed faults disarmed, cover
        closed, printer back online, reject box emptied, withheld blanks back in.  A jam
        and an ended ribbon need their own remedy (or a reset for the jam)."""
        with self._lock:
            self.faults.clear()
            self.cover_open = False
            self.offline = False
            self.reject_box = [c for c in self.reject_box if c.index]
            for card in self.cards:
                if card.where is Where.WITHHELD:
                    card.where = Where.HOPPER
                    self.hopper.append(card)

    def armed(self) -> list[str]:
        """Armed faults as ``kind@N`` (N: fires at the Nth event from now)."""
        with self._lock:
            return [f"{kind.value}@{left}" for kind, left in self.faults.items()]

    def state(self) -> SimState:
        with self._lock:
            return SimState(
                position=self.inside.where.value if self.inside else "none",
                inside=self.inside.index if self.inside else None,
                hopper=len(self.hopper),
                ribbon=self.ribbon,
                bezel=self.bezel.index if self.bezel else None,
                reject_box=len(self.reject_box),
                printed=sum(1 for c in self.cards if c.printed),
                cover_open=self.cover_open,
                jammed=self.jammed,
                offline=self.offline,
                chip=self.chip_present is not None,
                faults=dict(self.faults),
                settings=dict(self.settings),
            )

    # -- servers -------------------------------------------------------------------------
    def serve_tcp(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on ``host:port`` (0 = any free port); return the ``socket://`` URL."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(4)
        listener.settimeout(0.2)
        self._listener = listener
        bound_host, bound_port = listener.getsockname()[:2]
        self.url = f"socket://{bound_host}:{bound_port}"
        self._spawn(self._accept_loop, "printer-sim-accept")
        return self.url

    def serve_pty(self) -> str:
        """Open a pseudo-terminal and serve on its master; return the slave path, which
        the driver opens like any serial device."""
        master, slave = os.openpty()
        tty.setraw(slave)
        self._pty = (master, slave)  # keep the slave open: the master then never sees EIO
        self.url = os.ttyname(slave)
        self._spawn(self._pty_loop, "printer-sim-pty")
        return self.url

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                self._conns.append(conn)
            self._spawn(lambda c=conn: self._client_loop(c), "printer-sim-client")  # type: ignore[misc]

    def _client_loop(self, conn: socket.socket) -> None:
        parser = FrameParser()
        try:
            while not self._stop.is_set():
                chunk = conn.recv(262144)
                if not chunk:
                    return
                for frame in parser.feed(chunk):
                    reply = self.handle(frame)
                    if reply is not None:
                        conn.sendall(reply.encode("ascii") + b"\r")
        except OSError as exc:
            log.debug("printer client gone: %s", exc)
        finally:
            with self._lock:
                if conn in self._conns:
                    self._conns.remove(conn)
            conn.close()

    def _pty_loop(self) -> None:
        assert self._pty is not None
        master = self._pty[0]
        parser = FrameParser()
        while not self._stop.is_set():
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                continue
            try:
                chunk = os.read(master, 262144)
            except OSError:
                return
            for frame in parser.feed(chunk):
                reply = self.handle(frame)
                if reply is not None:
                    os.write(master, reply.encode("ascii") + b"\r")

    def stop(self) -> None:
        """Stop serving (threads joined); the chip slot is left empty."""
        self._stop.set()
        if self._listener is not None:
            self._listener.close()
        with self._lock:
            conns = list(self._conns)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(5.0)
        self._threads.clear()
        if self._pty is not None:
            for fd in self._pty:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._pty = None
        if self.chip_slot is not None and self.chip_present is not None:
            self.chip_slot.remove()
        self.chip_present = None

    def __enter__(self) -> PrinterSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _setting_handler(sim: PrinterSimulator, name: str) -> Callable[[list[str], bytes | None], str]:
    def handler(params: list[str], data: bytes | None) -> str:
        if not params:
            return R_PARAM
        if name == "Pneab" and params[0] == "A":
            if params[1:2] not in (["0"], ["1"]):
                return R_PARAM
            sim.settings["Pneab.allow"] = params[1]
        elif name == "Pneab" and params[0] not in ("E", "D"):
            return R_PARAM
        else:
            sim.settings[name] = ";".join(params)
        return R_OK

    return handler


def load_hopper(directory: Path) -> list[tuple[str, CardOS]]:
    """A blank set written by ``station emulator make-blanks``: every ``*.json`` state file,
    in name order, loaded with the emulator's ``load_blank``."""
    import importlib

    load_blank: Callable[[Path], CardOS] | None = None
    for module in ("station.emulator.profiles", "station.emulator.blanks"):
        try:
            load_blank = getattr(importlib.import_module(module), "load_blank", None)
        except ImportError:
            continue
        if load_blank is not None:
            break
    if load_blank is None:
        raise StationError(
            "空白卡模拟器不可用 (blank-card loader not installed)",
            detail="station.emulator has no load_blank",
        )
    files = sorted(p for p in directory.glob("*.json") if not p.name.startswith("."))
    if not files:
        raise StationError(
            "空白卡目录中没有卡片 (no blank cards in the directory)", detail=str(directory)
        )
    return [(p.stem, load_blank(p)) for p in files]


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
