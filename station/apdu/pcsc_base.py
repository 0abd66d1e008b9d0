"""PC/SC essentials shared by the transport and the monitor: typed errors for result codes,
a context, the readers and their card presence (no connection made)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from smartcard import scard

from station.errors import CardRemoved, NoCard, NoReader, PcscUnavailable, ReaderError

_SERVICE_DOWN = {scard.SCARD_E_NO_SERVICE, scard.SCARD_E_SERVICE_STOPPED}
_NO_READER = {
    scard.SCARD_E_UNKNOWN_READER,
    scard.SCARD_E_READER_UNAVAILABLE,
    scard.SCARD_E_NO_READERS_AVAILABLE,
}
_NO_CARD = {
    scard.SCARD_E_NO_SMARTCARD,
    scard.SCARD_W_UNRESPONSIVE_CARD,
    scard.SCARD_W_UNPOWERED_CARD,
}
_REMOVED = {scard.SCARD_W_REMOVED_CARD, scard.SCARD_W_RESET_CARD}

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"


def _message(hresult: int) -> str:
    try:
        return str(scard.SCardGetErrorMessage(hresult))
    except Exception:  # pragma: no cover - message lookup is best effort
        return f"0x{hresult & 0xFFFFFFFF:08X}"


def check(hresult: int, what: str, reader: str = "") -> None:
    """Raise the typed error for a PC/SC result code."""
    if hresult == scard.SCARD_S_SUCCESS:
        return
    detail = f"{what}{' on ' + reader if reader else ''}: {_message(hresult)}"
    if hresult in _SERVICE_DOWN:
        raise PcscUnavailable(detail=detail)
    if hresult in _NO_READER:
        raise NoReader(
            f"读卡器不可用：{reader} (reader not available)" if reader else None, detail=detail
        )
    if hresult in _NO_CARD:
        raise NoCard(detail=detail)
    if hresult in _REMOVED:
        raise CardRemoved(detail=detail)
    raise ReaderError(detail=detail)


def establish() -> Any:
    hresult, hcontext = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    check(hresult, "SCardEstablishContext")
    return hcontext


def list_readers() -> list[str]:
    """Names of the readers pcscd knows; ``[]`` when there are none."""
    hcontext = establish()
    try:
        hresult, readers = scard.SCardListReaders(hcontext, [])
        if hresult in (scard.SCARD_E_NO_READERS_AVAILABLE,):
            return []
        check(hresult, "SCardListReaders")
        return list(readers)
    finally:
        scard.SCardReleaseContext(hcontext)


@dataclass(frozen=True, slots=True)
class ReaderStatus:
    name: str
    card_present: bool
    atr: bytes


def reader_status() -> list[ReaderStatus]:
    """Every reader with whether a card is present and its ATR (no connection made)."""
    hcontext = establish()
    try:
        hresult, readers = scard.SCardListReaders(hcontext, [])
        if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        check(hresult, "SCardListReaders")
        states = [(r, scard.SCARD_STATE_UNAWARE) for r in readers]
        hresult, new_states = scard.SCardGetStatusChange(hcontext, 0, states)
        if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT):
            check(hresult, "SCardGetStatusChange")
        out = []
        for name, state, atr in new_states:
            present = bool(state & scard.SCARD_STATE_PRESENT) and not bool(
                state & scard.SCARD_STATE_MUTE
            )
            out.append(ReaderStatus(name, present, bytes(atr) if present else b""))
        return out
    finally:
        scard.SCardReleaseContext(hcontext)
