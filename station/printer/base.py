"""The brand-neutral card printer interface the issuance flow drives.

Only what every desktop card printer with a contact station can do is here: supplies and
status, feed, park the card under the contacts (the chip is then encoded over PC/SC by
someone else), print a front from three panels, eject, reject, reset, and "where is the
card".  Evolis speaks escape commands; Zebra, Entrust and Fargo need their vendor SDKs —
either becomes one more subclass, and the issuance flow does not change.
"""

from __future__ import annotations

import abc
import enum
from dataclasses import dataclass
from types import TracebackType

from station.printer.errors import (
    CoverOpen,
    FeederEmpty,
    Jam,
    PrinterFault,
    RejectBoxFull,
    RibbonOut,
)
from station.printer.panels import PanelSet


class CardPosition(enum.Enum):
    """Where a card is inside the printer (recovery decides from this after a fault)."""

    NONE = "none"  # no card inside
    PRINT = "print"  # print position (also where a card rests after printing)
    CONTACT = "contact"  # under the chip contacts: encode over PC/SC now
    CONTACTLESS = "contactless"
    UNKNOWN = "unknown"


class ActiveFault(enum.StrEnum):
    """A fault the printer reports as standing now (not a failed command: a state that
    makes every card move fail until the operator or a reset fixes it)."""

    COVER_OPEN = "cover-open"
    JAM = "jam"
    REJECT_FULL = "reject-full"
    RIBBON_END = "ribbon-end"
    FEEDER_EMPTY = "feeder-empty"

    def error(self) -> type[PrinterFault]:
        """The typed error a teller sees for this fault."""
        return _FAULT_ERRORS[self]


_FAULT_ERRORS: dict[ActiveFault, type[PrinterFault]] = {
    ActiveFault.COVER_OPEN: CoverOpen,
    ActiveFault.JAM: Jam,
    ActiveFault.REJECT_FULL: RejectBoxFull,
    ActiveFault.RIBBON_END: RibbonOut,
    ActiveFault.FEEDER_EMPTY: FeederEmpty,
}


@dataclass(frozen=True)
class PrinterStatus:
    """A snapshot of supplies and the card; ``ribbon_left`` is prints left (0 = none).

    ``faults`` are the faults the printer reports as standing; ``armed`` is filled only
    for the simulator (faults injected to fire later, as "kind@N"), so a technician sees
    what is about to happen.  ``ready`` is false while any fault stands: status must never
    say "ready" when the next move is certain to fail.
    """

    position: CardPosition
    feeder_loaded: bool
    cover_open: bool
    ribbon_left: int
    card_in_bezel: bool = False
    model: str = ""
    serial: str = ""
    firmware: str = ""
    faults: tuple[ActiveFault, ...] = ()
    armed: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return (
            not self.faults
            and not self.cover_open
            and self.ribbon_left > 0
            and (self.feeder_loaded or self.position is not CardPosition.NONE)
        )

    def to_dict(self) -> dict[str, object]:
        """Plain JSON-able data (``station printer status --json``)."""
        return {
            "position": self.position.value,
            "feeder_loaded": self.feeder_loaded,
            "cover_open": self.cover_open,
            "ribbon_left": self.ribbon_left,
            "card_in_bezel": self.card_in_bezel,
            "model": self.model,
            "serial": self.serial,
            "firmware": self.firmware,
            "faults": [f.value for f in self.faults],
            "armed": list(self.armed),
            "ready": self.ready,
        }

    def lines(self) -> list[str]:
        """Human-readable summary for the CLI and the technician screen."""
        yes_no = {True: "是 yes", False: "否 no"}
        out = [
            f"型号 model:           {self.model or '-'}",
            f"序列号 serial:        {self.serial or '-'}",
            f"固件 firmware:        {self.firmware or '-'}",
            f"卡片位置 card:        {self.position.value}",
            f"进卡箱有卡 feeder:    {yes_no[self.feeder_loaded]}",
            f"上盖打开 cover open:  {yes_no[self.cover_open]}",
            f"色带余量 ribbon left: {self.ribbon_left}",
            f"出卡口有卡 bezel:     {yes_no[self.card_in_bezel]}",
            f"当前故障 faults:      {', '.join(f.value for f in self.faults) or '-'}",
        ]
        if self.armed:
            out.append(f"预设故障 armed (sim):  {', '.join(self.armed)}")
        out.append(f"可以制卡 ready:       {yes_no[self.ready]}")
        return out


class Printer(abc.ABC):
    """A card printer with a contact station.

    Moves keep the card inside the printer until ``eject`` or ``reject`` is called, so a
    card whose chip or print failed can never reach the customer by accident.
    Every method raises a ``PrinterFault`` subclass on failure.
    """

    @abc.abstractmethod
    def open(self) -> None:
        """Connect and apply the settings the station relies on."""

    @abc.abstractmethod
    def close(self) -> None: ...

    @abc.abstractmethod
    def status(self) -> PrinterStatus: ...

    @abc.abstractmethod
    def position(self) -> CardPosition: ...

    @abc.abstractmethod
    def feed(self) -> None:
        """Take a blank from the feeder to the print position."""

    @abc.abstractmethod
    def to_contacts(self) -> None:
        """Park the card under the chip contacts (feeding one first if none is inside)."""

    @abc.abstractmethod
    def to_print(self) -> None:
        """Bring the card back from the contacts to the print position."""

    @abc.abstractmethod
    def print_panels(self, panels: PanelSet) -> None:
        """Print the front; the card stays inside afterwards."""

    @abc.abstractmethod
    def eject(self) -> None:
        """Hand the card to the teller (bezel/output)."""

    @abc.abstractmethod
    def reject(self) -> None:
        """Put the card in the reject box (spoiled: chip or print failed)."""

    @abc.abstractmethod
    def reset(self) -> CardPosition:
        """Software reset, wait until alive, re-apply settings; return where the card is."""

    def check_ready(self) -> PrinterStatus:
        """Supplies check before taking a card: raise the fault the teller must fix first."""
        st = self.status()
        if st.faults:
            raise st.faults[0].error()(detail=f"printer reports {', '.join(st.faults)}")
        if st.cover_open:
            raise CoverOpen()
        if st.ribbon_left <= 0:
            raise RibbonOut(detail=f"ribbon left {st.ribbon_left}")
        if not st.feeder_loaded and st.position is CardPosition.NONE:
            raise FeederEmpty()
        return st

    def __enter__(self) -> Printer:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
