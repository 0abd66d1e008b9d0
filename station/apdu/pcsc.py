"""PC/SC back end (pyscard's low-level ``scard`` API).

Why the low-level API: it makes the two kinds of reset explicit.  ``reconnect()`` is a
warm reset that keeps the connection (SCardReconnect with SCARD_LEAVE_CARD), while
``disconnect(cold=True)`` resets the card and so drops every security state — something a
PIN service must never do by accident in the middle of a flow.

One thread owns a reader connection; ``PcscTransport`` is not shared between threads.
Errors are mapped to typed ``ReaderError`` subclasses so the UI and CLI can say exactly
what is wrong (service down, no reader, no card, card pulled).
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from smartcard import scard

from station.apdu.trace import Tracer
from station.apdu.transport import Transport
from station.errors import CardRemoved, NoCard, NoReader, PcscUnavailable, ReaderError

log = logging.getLogger("station.pcsc")

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


def _establish() -> Any:
    hresult, hcontext = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    check(hresult, "SCardEstablishContext")
    return hcontext


def list_readers() -> list[str]:
    """Names of the readers pcscd knows; ``[]`` when there are none."""
    hcontext = _establish()
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
    hcontext = _establish()
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


class PcscTransport(Transport):
    """An exclusive connection to one named reader.

    ``shared=True`` allows other applications on the same reader (for read-only
    technician commands); services use the default exclusive mode so nobody interleaves
    APDUs with a PIN flow.
    """

    def __init__(self, reader: str, *, tracer: Tracer | None = None, shared: bool = False) -> None:
        super().__init__(tracer)
        self.reader = reader
        self.share = scard.SCARD_SHARE_SHARED if shared else scard.SCARD_SHARE_EXCLUSIVE
        self._hcontext: Any = None
        self._hcard: Any = None
        self._protocol: int = 0
        self._atr = b""

    @property
    def atr(self) -> bytes:
        return self._atr

    @property
    def connected(self) -> bool:
        return self._hcard is not None

    def connect(self) -> None:
        if self._hcard is not None:
            return
        self._hcontext = _establish()
        try:
            hresult, hcard, protocol = scard.SCardConnect(
                self._hcontext,
                self.reader,
                self.share,
                scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1,
            )
            check(hresult, "SCardConnect", self.reader)
        except ReaderError:
            self._forget()
            raise
        self._hcard, self._protocol = hcard, protocol
        self._read_atr()

    def _read_atr(self) -> None:
        hresult, _reader, _state, _protocol, atr = scard.SCardStatus(self._hcard)
        check(hresult, "SCardStatus", self.reader)
        self._atr = bytes(atr)

    def reconnect(self, *, cold: bool = False) -> None:
        """Warm reset by default (security state kept by the reader link, card re-ATRs);
        ``cold=True`` power-cycles the card and drops all its security states."""
        if self._hcard is None:
            self.connect()
            return
        disposition = scard.SCARD_UNPOWER_CARD if cold else scard.SCARD_RESET_CARD
        hresult, protocol = scard.SCardReconnect(
            self._hcard, self.share, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1, disposition
        )
        check(hresult, "SCardReconnect", self.reader)
        self._protocol = protocol
        self._read_atr()

    def disconnect(self, *, cold: bool = False) -> None:
        """Release the reader.  Leaves the card powered unless ``cold`` (which resets it)."""
        try:
            if self._hcard is not None:
                disposition = scard.SCARD_UNPOWER_CARD if cold else scard.SCARD_LEAVE_CARD
                scard.SCardDisconnect(self._hcard, disposition)
        finally:
            self._forget()

    def _exchange(self, raw: bytes) -> bytes:
        if self._hcard is None:
            self.connect()
        hresult, response = scard.SCardTransmit(self._hcard, self._protocol, list(raw))
        if hresult != scard.SCARD_S_SUCCESS:
            # the link is unusable after removal or a service stop: forget the handle
            try:
                check(hresult, "SCardTransmit", self.reader)
            except ReaderError:
                self._forget()
                raise
        return bytes(response)

    def _forget(self) -> None:
        """Drop the card handle and release the context (also when the service is gone)."""
        self._hcard = None
        if self._hcontext is not None:
            try:
                scard.SCardReleaseContext(self._hcontext)
            except Exception:  # pragma: no cover - the service may already be gone
                log.debug("releasing a dead PC/SC context failed", exc_info=True)
            self._hcontext = None


# -- monitoring ------------------------------------------------------------------------------


class Event(enum.Enum):
    SERVICE_UP = "service_up"
    SERVICE_DOWN = "service_down"
    READER_ADDED = "reader_added"
    READER_REMOVED = "reader_removed"
    CARD_INSERTED = "card_inserted"
    CARD_REMOVED = "card_removed"


@dataclass(frozen=True, slots=True)
class MonitorEvent:
    kind: Event
    reader: str = ""
    atr: bytes = b""


class CardMonitor:
    """Watches readers and cards and calls ``callback(MonitorEvent)``.

    The loop is supervised: PC/SC failures (service stopped, last reader unplugged) and
    even exceptions from the callback are caught and the loop re-establishes its context
    with a back-off instead of dying silently.
    """

    def __init__(
        self,
        callback: Callable[[MonitorEvent], None],
        *,
        poll_ms: int = 250,
        retry_s: float = 0.5,
    ) -> None:
        self.callback = callback
        self.poll_ms = poll_ms
        self.retry_s = retry_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._known: dict[str, tuple[bool, bytes]] = {}
        self._service_up: bool | None = None
        self.restarts = 0

    def start(self) -> CardMonitor:
        self._stop.clear()
        self._thread = threading.Thread(target=self._supervise, name="pcsc-monitor", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _emit(self, event: MonitorEvent) -> None:
        try:
            self.callback(event)
        except Exception:
            log.exception("card monitor callback failed")

    def _set_service(self, up: bool) -> None:
        if self._service_up is not up:
            self._service_up = up
            self._emit(MonitorEvent(Event.SERVICE_UP if up else Event.SERVICE_DOWN))
            if not up:
                for name, (present, _atr) in list(self._known.items()):
                    if present:
                        self._emit(MonitorEvent(Event.CARD_REMOVED, name))
                    self._emit(MonitorEvent(Event.READER_REMOVED, name))
                self._known.clear()

    def _supervise(self) -> None:
        while not self._stop.is_set():
            try:
                self._loop()
            except ReaderError as exc:
                log.debug("monitor: %s", exc)
                self._set_service(False)
            except Exception:
                log.exception("card monitor loop failed; restarting")
            if not self._stop.is_set():
                self.restarts += 1
                self._stop.wait(self.retry_s)

    def _loop(self) -> None:
        hcontext = _establish()
        try:
            self._set_service(True)
            while not self._stop.is_set():
                hresult, readers = scard.SCardListReaders(hcontext, [])
                if hresult == scard.SCARD_E_NO_READERS_AVAILABLE:
                    readers = []
                else:
                    check(hresult, "SCardListReaders")
                self._diff_readers(list(readers))
                states = [(r, scard.SCARD_STATE_UNAWARE) for r in readers]
                states.append((PNP_NOTIFICATION, scard.SCARD_STATE_UNAWARE))
                hresult, new_states = scard.SCardGetStatusChange(hcontext, 0, states)
                if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT):
                    check(hresult, "SCardGetStatusChange")
                    continue
                current = [(r, s) for r, s, _ in new_states]
                self._diff_cards(new_states)
                # now block until something changes (or poll time passes)
                hresult, _ = scard.SCardGetStatusChange(hcontext, self.poll_ms, current)
                if hresult not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT):
                    check(hresult, "SCardGetStatusChange")
        finally:
            try:
                scard.SCardReleaseContext(hcontext)
            except Exception:  # pragma: no cover - the service may already be gone
                log.debug("releasing a dead PC/SC context failed", exc_info=True)

    def _diff_readers(self, readers: list[str]) -> None:
        for name in readers:
            if name not in self._known:
                self._known[name] = (False, b"")
                self._emit(MonitorEvent(Event.READER_ADDED, name))
        for name in list(self._known):
            if name not in readers:
                present, _ = self._known.pop(name)
                if present:
                    self._emit(MonitorEvent(Event.CARD_REMOVED, name))
                self._emit(MonitorEvent(Event.READER_REMOVED, name))

    def _diff_cards(self, states: list[tuple[str, int, list[int]]]) -> None:
        for name, state, atr in states:
            if name == PNP_NOTIFICATION or name not in self._known:
                continue
            present = bool(state & scard.SCARD_STATE_PRESENT) and not bool(
                state & scard.SCARD_STATE_MUTE
            )
            was_present, _ = self._known[name]
            if present and not was_present:
                self._known[name] = (True, bytes(atr))
                self._emit(MonitorEvent(Event.CARD_INSERTED, name, bytes(atr)))
            elif was_present and not present:
                self._known[name] = (False, b"")
                self._emit(MonitorEvent(Event.CARD_REMOVED, name))


def wait_for_card(reader: str, timeout: float, *, present: bool = True) -> bytes:
    """Block until a card is present in (or absent from) ``reader``; return its ATR.

    Uses SCardGetStatusChange so it wakes on the event itself, not on a poll.
    Raises ``NoCard`` (or ``CardRemoved`` semantics for ``present=False``) on timeout.
    """
    import time as _time

    hcontext = _establish()
    try:
        deadline = _time.monotonic() + timeout
        state = scard.SCARD_STATE_UNAWARE
        while True:
            left_ms = max(0, int((deadline - _time.monotonic()) * 1000))
            hresult, states = scard.SCardGetStatusChange(hcontext, left_ms, [(reader, state)])
            if hresult == scard.SCARD_E_TIMEOUT:
                break
            check(hresult, "SCardGetStatusChange", reader)
            _name, event_state, atr = states[0]
            is_present = bool(event_state & scard.SCARD_STATE_PRESENT) and not bool(
                event_state & scard.SCARD_STATE_MUTE
            )
            if is_present == present:
                return bytes(atr) if present else b""
            state = event_state & ~scard.SCARD_STATE_CHANGED
            if _time.monotonic() >= deadline:
                break
        if present:
            raise NoCard(detail=f"no card in {reader} after {timeout:.1f} s")
        raise ReaderError("请取走卡片 (card still in the reader)", detail=reader)
    finally:
        scard.SCardReleaseContext(hcontext)
