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
(cover open, jam, reject box full, ribbon ended) are reported by ``Rst``.

The simulator is four jobs, one module each: the words on the wire (``sim_protocol``),
the chips and their contact station (``sim_chips``), the machine (``sim_mechanics``) and
the links (``sim_serving``).  This module is the firmware between them — the table from
escape command to move or query — and keeps every name importable from here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from station.apdu.cardos import CardOS
from station.printer.panels import ALL_PANELS, LEVELS, panel_bytes
from station.printer.sim_chips import BareChip, ChipSlot, MuteCard, load_hopper
from station.printer.sim_mechanics import (
    POSITION_REPLY,
    SimCard,
    SimMechanics,
    SimState,
    Timing,
    Where,
)
from station.printer.sim_protocol import (
    CR,
    ESC,
    FAULT_KINDS,
    MAX_TEXT_FRAME,
    R_CMD,
    R_COVER,
    R_FEEDER,
    R_MECH,
    R_NO_CARD,
    R_OK,
    R_PARAM,
    R_REBOOTED,
    R_REJECT_FULL,
    R_RIBBON,
    REMEDIES,
    SIM_FIRMWARE,
    Fault,
    Frame,
    FrameParser,
    Remedy,
    sim_armed,
    sim_control,
)
from station.printer.sim_serving import SimServer

__all__ = [
    "CR",
    "ESC",
    "FAULT_KINDS",
    "MAX_TEXT_FRAME",
    "POSITION_REPLY",
    "REMEDIES",
    "R_CMD",
    "R_COVER",
    "R_FEEDER",
    "R_MECH",
    "R_NO_CARD",
    "R_OK",
    "R_PARAM",
    "R_REBOOTED",
    "R_REJECT_FULL",
    "R_RIBBON",
    "SIM_FIRMWARE",
    "BareChip",
    "ChipSlot",
    "Fault",
    "Frame",
    "FrameParser",
    "MuteCard",
    "PrinterSimulator",
    "Remedy",
    "SimCard",
    "SimState",
    "Timing",
    "Where",
    "load_hopper",
    "sim_armed",
    "sim_control",
]

CommandHandler = Callable[[list[str], bytes | None], str]
SETTING_COMMANDS = ("Pem", "Pneab", "Pcrm", "Pcim", "Pcem", "Pr")


class PrinterSimulator(SimMechanics):
    """The printer's firmware (command table and ``Xsim`` control) on top of its
    mechanics, plus its servers.  Constructor arguments: see ``SimMechanics``."""

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
        super().__init__(
            blanks,
            chip_slot=chip_slot,
            out_dir=out_dir,
            ribbon=ribbon,
            reject_capacity=reject_capacity,
            timing=timing,
            serial_no=serial_no,
        )
        self._table = self._handlers()
        self._server = SimServer(self.handle, self._stop)

    @property
    def url(self) -> str:
        """Where the simulator serves (empty until ``serve_tcp`` or ``serve_pty``)."""
        return self._server.url

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

    def _handlers(self) -> dict[str, CommandHandler]:
        table: dict[str, CommandHandler] = {
            "Rok": lambda p, d: R_OK,
            "Rfv": lambda p, d: self.firmware,
            "Rsn": lambda p, d: self.serial_no,
            "Rlr": self._c_rlr,
            "Rse": self._c_rse,
            "Rrt": self._c_rrt,
            "Rco": lambda p, d: str(sum(1 for c in self.cards if c.printed)),
            "Rst": self._c_rst,
            "Si": lambda p, d: self._move(Where.PRINT),
            "Sis": lambda p, d: self._move(Where.CONTACT),
            "Ss": lambda p, d: self._start_sequence(),
            "Sr": lambda p, d: R_OK,
            "Db": self._c_db,
            "Se": lambda p, d: self._end_sequence_or_eject(),
            "Ser": lambda p, d: self._reject_card(),
            "Srs": lambda p, d: self._soft_reset(),
        }
        for name in SETTING_COMMANDS:
            table[name] = _setting_handler(self, name)
        return table

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

    # printing
    def _c_db(self, params: list[str], data: bytes | None) -> str:
        if len(params) < 2 or data is None:
            return R_PARAM
        panel, levels = params[0], int(params[1])
        if panel not in ALL_PANELS or LEVELS[panel] != levels or len(data) != panel_bytes(levels):
            return R_PARAM
        if self.sequence is None:
            return R_CMD
        return self._print_panel(panel, levels, data)

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

    # -- servers -------------------------------------------------------------------------
    def serve_tcp(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on ``host:port`` (0 = any free port); return the ``socket://`` URL."""
        return self._server.serve_tcp(host, port)

    def serve_pty(self) -> str:
        """Open a pseudo-terminal and serve on it; return the slave path, which the driver
        opens like any serial device."""
        return self._server.serve_pty()

    def stop(self) -> None:
        """Stop serving (threads joined); the chip slot is left empty."""
        self._server.stop()
        if self.chip_slot is not None and self.chip_present is not None:
            self.chip_slot.remove()
        self.chip_present = None

    def __enter__(self) -> PrinterSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _setting_handler(sim: PrinterSimulator, name: str) -> CommandHandler:
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
