"""Watching PC/SC readers and cards: a supervised monitor and a wait for one card.

The monitor's loop survives PC/SC failures (service stopped, last reader unplugged) and
exceptions from its callback: it re-establishes its context with a back-off instead of dying
silently (pyscard's own monitor thread can die on Windows when the last reader goes).
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from smartcard import scard

from station.apdu.pcsc_base import PNP_NOTIFICATION, check, establish
from station.errors import NoCard, ReaderError

log = logging.getLogger("station.pcsc")


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
        hcontext = establish()
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


def card_events(reader: str) -> int:
    """pcscd's count of card events on ``reader`` (the high word of the reader state:
    pcsc-lite adds one for every insertion and removal it notices).

    Why: pcscd learns of a card by polling the driver (vpcd: every 0.4 s), so a card that
    left and a new one that arrived within one poll leave the reader state "present" and
    unchanged — a connect then reaches the gone card ("Transaction failed").  Taking this
    count *before* a card is moved to the reader and passing it to ``wait_for_card(after=)``
    waits for pcscd to have seen the move.
    """
    hcontext = establish()
    try:
        hresult, states = scard.SCardGetStatusChange(
            hcontext, 0, [(reader, scard.SCARD_STATE_UNAWARE)]
        )
        check(hresult, "SCardGetStatusChange", reader)
        return (int(states[0][1]) >> 16) & 0xFFFF
    finally:
        scard.SCardReleaseContext(hcontext)


def wait_for_card(
    reader: str, timeout: float, *, present: bool = True, after: int | None = None
) -> bytes:
    """Block until a card is present in (or absent from) ``reader``; return its ATR.

    Uses SCardGetStatusChange so it wakes on the event itself, not on a poll.
    ``after``: a ``card_events`` count taken before the card was moved; the wait then also
    needs pcscd to have counted an event since (the insertion of *this* card, not the
    stale state of the one before).
    Raises ``NoCard`` (or ``CardRemoved`` semantics for ``present=False``) on timeout.
    """
    hcontext = establish()
    try:
        deadline = time.monotonic() + timeout
        state = scard.SCARD_STATE_UNAWARE
        while True:
            left_ms = max(0, int((deadline - time.monotonic()) * 1000))
            hresult, states = scard.SCardGetStatusChange(hcontext, left_ms, [(reader, state)])
            if hresult == scard.SCARD_E_TIMEOUT:
                break
            check(hresult, "SCardGetStatusChange", reader)
            _name, event_state, atr = states[0]
            is_present = bool(event_state & scard.SCARD_STATE_PRESENT) and not bool(
                event_state & scard.SCARD_STATE_MUTE
            )
            seen = after is None or (int(event_state) >> 16) & 0xFFFF != after
            if is_present == present and seen:
                return bytes(atr) if present else b""
            state = event_state & ~scard.SCARD_STATE_CHANGED
            if time.monotonic() >= deadline:
                break
        if present:
            last = f"; reader state {int(state):#x}" if after is not None else ""
            raise NoCard(detail=f"no card in {reader} after {timeout:.1f} s{last}")
        raise ReaderError("请取走卡片 (card still in the reader)", detail=reader)
    finally:
        scard.SCardReleaseContext(hcontext)


ARRIVAL_SETTLE = 2.0  # s: five presence polls of pcscd (0.4 s each) of one unchanged card


def wait_for_arrival(
    reader: str, timeout: float, after: int | None, *, settle: float = ARRIVAL_SETTLE
) -> bytes:
    """Until the card just moved into ``reader`` is seen; ``after``: the ``card_events``
    count taken before it was moved (``None``: any card present will do).

    pcscd counts an arrival when its presence poll finds the old card's link dead and then
    the new one.  One case goes uncounted: when the old link broke during another driver
    call (pcscd powering an idle card down), the next poll simply takes the new link and
    the state stays "present".  So a reader that has shown a card for ``settle`` s without
    counting anything holds the new one: a stale link would have failed one of those polls
    and shown "absent".
    """
    if after is not None:
        first = min(timeout, settle)
        try:
            return wait_for_card(reader, first, after=after)
        except NoCard:
            timeout = max(0.1, timeout - first)
    return wait_for_card(reader, timeout)
