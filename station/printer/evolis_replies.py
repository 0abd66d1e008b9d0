"""What an Evolis-protocol printer may answer, and what each answer means.

Why a module of its own: every reply spelling the station understands is in ONE table
(``REPLIES``), and every command's acceptable reply in another (``EXPECTED``); firmware
variants are added here, nowhere else.  The driver (``evolis``) only sends, waits and asks
these tables; the simulator's own spellings are checked against them by the tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from station.printer.base import ActiveFault, CardPosition
from station.printer.errors import (
    CoverOpen,
    FeederEmpty,
    Jam,
    NoCardInside,
    PrinterFault,
    PrinterRebooted,
    ProtocolError,
    RejectBoxFull,
    RibbonOut,
    UnexpectedReply,
)

# -- THE table of reply spellings ---------------------------------------------------------
# value: a CardPosition (position replies), a PrinterFault subclass (error replies), or
# "ok".  Error replies are matched exactly first, then by the longest matching prefix, so
# "ERR MECHANICAL 12" still reads as a jam.  Unknown "ERR …" replies are ProtocolError.
ReplyMeaning = CardPosition | type[PrinterFault] | str
REPLIES: dict[str, ReplyMeaning] = {
    "OK": "ok",
    "ACK": "ok",
    # Rlr;p (newer firmware, and the older "NO CARD")
    "CARD": CardPosition.PRINT,
    "SMART CARD": CardPosition.CONTACT,
    "CONTACTLESS CARD": CardPosition.CONTACTLESS,
    "NO CARD": CardPosition.NONE,
    # errors
    "ERR CMD": ProtocolError,
    "ERR PARAM": ProtocolError,
    "ERR TIMEOUT": ProtocolError,
    "ERR FEEDER EMPTY": FeederEmpty,
    "ERR FEEDER": FeederEmpty,
    "ERR RIBBON ENDED": RibbonOut,
    "ERR RIBBON": RibbonOut,
    "ERR RIB DETECTION": RibbonOut,
    "ERR NO RIBBON": RibbonOut,
    "ERR COVER OPEN": CoverOpen,
    "ERR MECHANICAL": Jam,
    "ERR CARD JAM": Jam,
    "ERR REJECT BOX FULL": RejectBoxFull,
    "ERR NO CARD": NoCardInside,
    "ERR CARD": NoCardInside,
    "ERR REBOOTED": PrinterRebooted,
    "ERR POWER": PrinterRebooted,
    "NACK 1": ProtocolError,
    "NACK 2": ProtocolError,
    "NACK T": Jam,
    "NACK C": CoverOpen,
    "NACK F": FeederEmpty,
    "NACK R": RibbonOut,
}


# -- THE table of expected replies ---------------------------------------------------------
@dataclass(frozen=True)
class Expect:
    """What a command may answer when it worked (error replies are read from ``REPLIES``
    first).  ``what`` names it in the error detail."""

    what: str
    pattern: re.Pattern[str]

    def accepts(self, reply: str) -> bool:
        return self.pattern.fullmatch(reply) is not None


_OK = Expect("OK", re.compile(r"OK|ACK"))
_TEXT = Expect("a line of text", re.compile(r"[\x21-\x7e][\x20-\x7e]{0,63}"))
_VOLTS = Expect("a voltage", re.compile(r"\d{1,2}[,.]\d{1,3} ?Volts?"))
# key: the full command, else its name (the text before the first ";")
EXPECTED: dict[str, Expect] = {
    **{name: _OK for name in ("Pem", "Pneab", "Pcrm", "Pcim", "Pcem", "Pr")},
    **{name: _OK for name in ("Si", "Sis", "Ss", "Sr", "Db", "Se", "Ser", "Srs", "Rok")},
    "Rlr;p": Expect("a card position", re.compile(r"OK|CARD|SMART CARD|CONTACTLESS CARD|NO CARD")),
    "Rse;f": _VOLTS,
    "Rse;o": _VOLTS,
    "Rse;b": _VOLTS,
    "Rrt;count": Expect("a print count", re.compile(r"\d{1,6}")),
    # standing faults: OK, or the error spellings of REPLIES joined by ","
    "Rst": Expect("OK or standing faults", re.compile(r"OK|ERR [A-Z ]{1,40}(,ERR [A-Z ]{1,40})*")),
    "Rsn": _TEXT,
    "Rfv": _TEXT,
}


def expected_reply(command: str) -> Expect:
    """The expectation for a command; a command missing from the table may answer only OK."""
    return EXPECTED.get(command) or EXPECTED.get(command.split(";", 1)[0]) or _OK


def fault_for(reply: str) -> type[PrinterFault] | None:
    """The fault class an error reply stands for (None when it is not an error)."""
    meaning = REPLIES.get(reply)
    if isinstance(meaning, type):
        return meaning
    if not (reply.startswith("ERR") or reply.startswith("NACK")):
        return None
    best: type[PrinterFault] = ProtocolError
    best_len = 0
    for spelling, m in REPLIES.items():
        if isinstance(m, type) and reply.startswith(spelling) and len(spelling) > best_len:
            best, best_len = m, len(spelling)
    return best


def shown_reply(reply: str) -> str:
    """A reply as quoted in an error detail: bounded, so garbage cannot flood a log line."""
    return repr(reply[:60] + ("…" if len(reply) > 60 else ""))


def parse_volts(reply: str) -> float:
    """``5,00 Volts`` (decimal comma, as the firmware writes it) -> 5.0."""
    head = reply.strip().split()[0] if reply.strip() else ""
    try:
        return float(head.replace(",", "."))
    except ValueError:
        raise UnexpectedReply(detail=f"not a voltage: {shown_reply(reply)}") from None


def parse_count(reply: str) -> int:
    try:
        return int(reply.strip())
    except ValueError:
        raise UnexpectedReply(detail=f"not a count: {shown_reply(reply)}") from None


def parse_position(reply: str) -> CardPosition:
    meaning = REPLIES.get(reply.strip())
    if isinstance(meaning, CardPosition):
        return meaning
    if reply.strip() == "OK":  # newer firmware: "OK" = no card inside
        return CardPosition.NONE
    raise UnexpectedReply(detail=f"unknown card position reply {shown_reply(reply)}")


_ACTIVE: dict[type[PrinterFault], ActiveFault] = {
    CoverOpen: ActiveFault.COVER_OPEN,
    Jam: ActiveFault.JAM,
    RejectBoxFull: ActiveFault.REJECT_FULL,
    RibbonOut: ActiveFault.RIBBON_END,
    FeederEmpty: ActiveFault.FEEDER_EMPTY,
}


def parse_faults(reply: str) -> tuple[ActiveFault, ...]:
    """``Rst``: ``OK`` or standing faults spelled as error replies, joined by ``,``."""
    if reply == "OK":
        return ()
    found: set[ActiveFault] = set()
    for item in reply.split(","):
        fault = fault_for(item.strip())
        if fault not in _ACTIVE:
            raise UnexpectedReply(detail=f"Rst: not a standing fault: {shown_reply(item)}")
        found.add(_ACTIVE[fault])
    return tuple(f for f in ActiveFault if f in found)  # a fixed order: cover first


STANDING = (CoverOpen, Jam, RejectBoxFull, RibbonOut, FeederEmpty)  # Rst reports these
