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

from station.printer.errors import CoverOpen, FeederEmpty, RibbonOut
from station.printer.panels import PanelSet


class CardPosition(enum.Enum):
    """Where a card is inside the printer (recovery decides from this after a fault)."""

    NONE = "none"  # no card inside
    PRINT = "print"  # print position (also where a card rests after printing)
    CONTACT = "contact"  # under the chip contacts: encode over PC/SC now
    CONTACTLESS = "contactless"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrinterStatus:
    """A snapshot of supplies and the card; ``ribbon_left`` is prints left (0 = none)."""

    position: CardPosition
    feeder_loaded: bool
    cover_open: bool
    ribbon_left: int
    card_in_bezel: bool = False
    model: str = ""
    serial: str = ""
    firmware: str = ""

    @property
    def ready(self) -> bool:
        return (
            not self.cover_open
            and self.ribbon_left > 0
            and (self.feeder_loaded or self.position is not CardPosition.NONE)
        )

    def lines(self) -> list[str]:
        """Human-readable summary for the CLI and the technician screen."""
        yes_no = {True: "是 yes", False: "否 no"}
        return [
            f"型号 model:           {self.model or '-'}",
            f"序列号 serial:        {self.serial or '-'}",
            f"固件 firmware:        {self.firmware or '-'}",
            f"卡片位置 card:        {self.position.value}",
            f"进卡箱有卡 feeder:    {yes_no[self.feeder_loaded]}",
            f"上盖打开 cover open:  {yes_no[self.cover_open]}",
            f"色带余量 ribbon left: {self.ribbon_left}",
            f"出卡口有卡 bezel:     {yes_no[self.card_in_bezel]}",
            f"可以制卡 ready:       {yes_no[self.ready]}",
        ]


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
