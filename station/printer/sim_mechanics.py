"""The simulated printer's mechanics: where every blank is, what the ribbon and the reject
box hold, which faults are armed, and what each card move does.

Why a module of its own: this is "the machine" — the same whichever link drives it.  The
escape-command table (``simulator``) turns commands into these moves and their results
into replies; the servers (``sim_serving``) only carry bytes.  Every move answers with the
firmware's reply word (``sim_protocol.R_*``): that is what a real printer's mechanics
report, and it keeps the command table a plain mapping.

All state changes run under one lock: several clients may connect, each with its own
thread, but the mechanics do one thing at a time, as a real printer does.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PIL import Image

from station.apdu.cardos import CardOS
from station.errors import StationError
from station.printer.panels import HEIGHT, WIDTH, composite, decode_colour, decode_mono
from station.printer.sim_chips import BareChip, ChipSlot, MuteCard
from station.printer.sim_protocol import (
    R_COVER,
    R_FEEDER,
    R_MECH,
    R_NO_CARD,
    R_OK,
    R_PARAM,
    R_REJECT_FULL,
    R_RIBBON,
    Fault,
    Remedy,
)

log = logging.getLogger("station.printer.sim")


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


class SimMechanics:
    """The machine: hopper, print position, contact station, bezel, reject box, ribbon,
    cover, armed faults and the printer's settings.

    ``blanks`` fill the hopper (CardOS objects, or ``(name, CardOS)`` pairs).  ``chip_slot``
    receives the card under the contacts (a started ``VpcdLink`` for real PC/SC).
    ``out_dir`` receives ``card-NNNN.png`` (composite) and ``card-NNNN-<panel>.png`` for
    every card whose print ended (completed, interrupted or rejected).
    """

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
        self._stop = threading.Event()  # set when the simulator stops: no more waiting

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

    # -- moves ---------------------------------------------------------------------------
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

    # -- printing, ejecting, rejecting -----------------------------------------------------
    def _start_sequence(self) -> str:
        problem = self._ready_with_card()
        if problem:
            return problem
        self.sequence = {}
        return R_OK

    def _print_panel(self, panel: str, levels: int, data: bytes) -> str:
        """One panel of the running sequence (``sequence`` is not None), already checked
        for its name, levels and size."""
        assert self.sequence is not None
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

    def _end_sequence_or_eject(self) -> str:
        """``Se``: ends a print sequence, then ejects unless ejection is blocked."""
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

    def _reject_card(self) -> str:
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

    def _soft_reset(self) -> str:
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

    # -- faults and the operator ---------------------------------------------------------
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
                self._clear_jam()
            elif what is Remedy.LOAD_CARDS:
                self._return_withheld()
                first = len(self.cards) + 1
                self.load((f"blank-{i}", BareChip(i)) for i in range(first, first + count))
            elif what is Remedy.EMPTY_REJECT:
                self.reject_box.clear()
            elif what is Remedy.CLOSE_COVER:
                self.cover_open = False
        return R_OK

    def _clear_jam(self) -> None:
        self.jammed = False
        stuck = self.inside
        if stuck is not None:  # pulled out by hand: it cannot be issued any more
            if stuck.where is Where.CONTACT:
                self._leave_contacts()
            stuck.where = Where.REMOVED
            self.inside = None
            self.sequence = None

    def _return_withheld(self) -> None:
        """Blanks a feeder-empty fault held back go back into the hopper."""
        for card in self.cards:
            if card.where is Where.WITHHELD:
                card.where = Where.HOPPER
                self.hopper.append(card)

    def clear(self) -> None:
        """Operator fixes everything fixable without a reset: armed faults disarmed, cover
        closed, printer back online, reject box emptied, withheld blanks back in.  A jam
        and an ended ribbon need their own remedy (or a reset for the jam)."""
        with self._lock:
            self.faults.clear()
            self.cover_open = False
            self.offline = False
            self.reject_box = [c for c in self.reject_box if c.index]
            self._return_withheld()

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
