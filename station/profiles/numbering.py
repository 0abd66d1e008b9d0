"""Numbers a card of a profile gets from its serial: the ATR serial bytes, the card
number with its check character and the card identification code.

Virtual blanks are made from these (``make-blanks``); a test that reads a card back
predicts its EF05 with the same rules.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from station.apdu.atr import historical_bytes, historical_span
from station.codecs.validators import card_number_check
from station.profiles.issuer import RID_HEX
from station.profiles.reader import ProfileError

if TYPE_CHECKING:
    from station.profiles.card import CardProfile


def with_serial(atr: bytes, serial: int) -> bytes:
    """The ATR with historical bytes TA..TD (the last four of T6..TD) set to ``serial``."""
    start, k = historical_span(atr)
    if k < 13 or len(atr) < start + 13:
        raise ProfileError(detail="ATR has fewer than 13 historical bytes")
    out = bytearray(atr)
    out[start + 9 : start + 13] = serial.to_bytes(4, "big")
    return bytes(out)


def serial_of(atr: bytes) -> int:
    hist = historical_bytes(atr)
    return int.from_bytes(hist[9:13], "big")


def card_number_for(prefix: str, serial: int) -> str:
    """8-character body ``prefix + serial digits`` and its check character."""
    digits = 8 - len(prefix)
    body = prefix + f"{serial % 10**digits:0{digits}d}"
    return body + card_number_check(body)


def card_id_code_for(region: str, serial: int, auth: bytes) -> str:
    return f"{region}{RID_HEX}{serial:08X}{auth.hex().upper()}"


def auth_code_for(region: str, serial: int, card_number: str) -> bytes:
    """A stable 4-byte authentication code for virtual cards (real ones come from the
    issuer); a hash so two virtual cards never share one by accident."""
    return hashlib.sha256(f"{region}|{serial:08X}|{card_number}".encode()).digest()[:4]


def issuer_data_for(profile: CardProfile, serial: int) -> dict[str, Any]:
    """The EF05 values of the card with ``serial`` (fixed values win unless the serial was
    asked for explicitly; see ``station.emulator.cards.make_card``)."""
    values = dict(profile.issuer)
    number = card_number_for(profile.card_number_prefix, serial)
    auth = profile.auth_code or auth_code_for(profile.region, serial, number)
    values["card_number"] = number
    values["card_id_code"] = card_id_code_for(profile.region, serial, auth)
    return values
