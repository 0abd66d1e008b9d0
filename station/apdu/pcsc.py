"""PC/SC back end (pyscard's low-level ``scard`` API).

Why the low-level API: it makes the two kinds of reset explicit.  ``reconnect()`` is a
warm reset that keeps the connection (SCardReconnect with SCARD_LEAVE_CARD), while
``disconnect(cold=True)`` resets the card and so drops every security state — something a
PIN service must never do by accident in the middle of a flow.

One thread owns a reader connection; ``PcscTransport`` is not shared between threads.
Errors are mapped to typed ``ReaderError`` subclasses so the UI and CLI can say exactly
what is wrong (service down, no reader, no card, card pulled).

Every call that waits for the card has a deadline (``PcscTransport(timeout=...)``, the
CLI's ``Settings.card_timeout``): a card that never answers gives ``CardTimeout`` after the
deadline instead of a hang, and Ctrl-C stops a blocked exchange at once (``bounded``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from smartcard import scard

from station.apdu.monitor import CardMonitor as CardMonitor
from station.apdu.monitor import Event as Event
from station.apdu.monitor import MonitorEvent as MonitorEvent
from station.apdu.monitor import card_events as card_events
from station.apdu.monitor import wait_for_arrival as wait_for_arrival
from station.apdu.monitor import wait_for_card as wait_for_card
from station.apdu.pcsc_base import (
    PNP_NOTIFICATION as PNP_NOTIFICATION,
)
from station.apdu.pcsc_base import (
    ReaderStatus as ReaderStatus,
)
from station.apdu.pcsc_base import (
    check as check,
)
from station.apdu.pcsc_base import (
    establish,
)
from station.apdu.pcsc_base import (
    list_readers as list_readers,
)
from station.apdu.pcsc_base import (
    reader_status as reader_status,
)
from station.apdu.trace import Tracer
from station.apdu.transport import Transport
from station.errors import (
    CardTimeout,
    ReaderError,
)

log = logging.getLogger("station.pcsc")

T = TypeVar("T")

DEFAULT_TIMEOUT = 5.0  # s; the CLI passes Settings.card_timeout
_POLL_S = 0.1  # longest single wait: Ctrl-C is handled between waits


@dataclass(frozen=True, slots=True)
class _Link:
    """What one successful connect produced (owned by whoever holds it)."""

    hcontext: Any
    hcard: Any
    protocol: int
    atr: bytes


def _drop(hcontext: Any, hcard: Any, disposition: int) -> None:
    """Disconnect ``hcard`` with ``disposition`` and release ``hcontext``, best effort:
    used on links whose owner has already let go (the card may be gone, pcscd too)."""
    try:
        if hcard is not None:
            scard.SCardDisconnect(hcard, disposition)
    except Exception:  # pragma: no cover - best effort on a dead link
        log.debug("disconnecting an abandoned PC/SC link failed", exc_info=True)
    try:
        if hcontext is not None:
            scard.SCardReleaseContext(hcontext)
    except Exception:  # pragma: no cover - best effort on a dead link
        log.debug("releasing an abandoned PC/SC context failed", exc_info=True)


def wait_event(event: threading.Event, timeout: float) -> bool:
    """``event.wait(timeout)`` as short waits, so a signal (Ctrl-C) is handled within
    ``_POLL_S`` on the main thread whatever the timeout."""
    deadline = time.monotonic() + timeout
    while not event.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        event.wait(min(_POLL_S, left))
    return True


def _disposition_after(result: object) -> int:
    """How to let go of a link whose call was abandoned: reset the card if the call came
    back with an answer (an hresult of success and, for a transmit, at least a status
    word), leave it otherwise."""
    if isinstance(result, tuple | list) and result and result[0] == scard.SCARD_S_SUCCESS:
        rest = result[1] if len(result) > 1 else None
        if not isinstance(rest, list) or len(rest) >= 2:
            return int(scard.SCARD_RESET_CARD)
    return int(scard.SCARD_LEAVE_CARD)


class _Failed:
    __slots__ = ("exc",)

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def bounded(
    fn: Callable[[], T],
    *,
    timeout: float,
    what: str,
    on_abandon: Callable[[T | None], None],
) -> T:
    """Run one blocking PC/SC call on a worker thread and wait at most ``timeout`` s.

    Why a worker: nothing else unblocks ``SCardTransmit``.  Measured with pcsc-lite 1.9.9 and
    vpcd (tests/apdu/test_deadline.py): against a card that never answers, ``SCardCancel``
    returns at once but leaves the transmit blocked, and ``SCardDisconnect`` (same context),
    ``SCardReleaseContext`` and a second context's ``SCardConnect`` to the same reader all
    block too — pcscd holds the reader while its driver waits, and vpcd waits on its socket
    with no time limit of its own.  So the caller stops waiting instead: the worker is
    abandoned (a daemon thread, it never holds the process open) and ``on_abandon`` runs on
    a reaper thread once the worker returns — the card answered late or was pulled — with
    the worker's result (``None`` if it failed), to reset the card and release the handles.

    The wait is a loop of short waits, so Ctrl-C reaches the main thread within ~0.1 s even
    while a transmit is blocked; the worker is abandoned the same way and the
    ``KeyboardInterrupt`` goes on to the CLI, which exits 130.
    """
    done = threading.Event()
    box: list[Any] = []

    def work() -> None:
        try:
            box.append(fn())
        except BaseException as exc:  # handed to the waiting thread, or to the reaper
            box.append(_Failed(exc))
        finally:
            done.set()

    def reap() -> None:
        done.wait()
        result = box[0] if box else None
        try:
            on_abandon(None if isinstance(result, _Failed) else result)
        except Exception:  # pragma: no cover - cleanup is best effort
            log.debug("cleanup after an abandoned %s failed", what, exc_info=True)

    threading.Thread(target=work, name=f"pcsc {what}", daemon=True).start()
    try:
        wait_event(done, timeout)
    except BaseException:  # KeyboardInterrupt while waiting: let go of the worker
        threading.Thread(target=reap, name=f"pcsc reap {what}", daemon=True).start()
        raise
    if not done.is_set():
        threading.Thread(target=reap, name=f"pcsc reap {what}", daemon=True).start()
        raise CardTimeout(detail=f"{what}: no answer within {timeout:g} s; connection dropped")
    result = box[0]
    if isinstance(result, _Failed):
        raise result.exc
    return cast(T, result)


class PcscTransport(Transport):
    """An exclusive connection to one named reader.

    ``shared=True`` allows other applications on the same reader (for read-only
    technician commands); services use the default exclusive mode so nobody interleaves
    APDUs with a PIN flow.

    ``timeout`` bounds every call that waits for the card (connect, status, reconnect,
    transmit, disconnect).  A call that misses it raises ``CardTimeout``; the handle is
    forgotten at once and released as soon as pcscd lets go of it; a card that answers late
    is reset then (``SCARD_RESET_CARD``), so a late answer never leaves a verified PIN or an
    authenticated key behind.  The next exchange connects afresh (after that release).
    """

    def __init__(
        self,
        reader: str,
        *,
        tracer: Tracer | None = None,
        shared: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(tracer)
        if not timeout > 0:
            raise ValueError(f"card timeout must be positive, got {timeout!r}")
        self.reader = reader
        self.timeout = float(timeout)
        self.share = scard.SCARD_SHARE_SHARED if shared else scard.SCARD_SHARE_EXCLUSIVE
        self._hcontext: Any = None
        self._hcard: Any = None
        self._protocol: int = 0
        self._atr = b""
        # set once an abandoned link of ours has been reset and released by its reaper
        self._released: threading.Event | None = None

    @property
    def atr(self) -> bytes:
        return self._atr

    @property
    def connected(self) -> bool:
        return self._hcard is not None

    def _bounded(self, what: str, fn: Callable[[], T]) -> T:
        """``bounded`` for a call on the current handle: on abandonment the handle is
        forgotten here and released by the reaper — with a card reset when the card did
        answer late (it is there, and may hold a state the late command set), without one
        when the call failed (the card is gone: resetting an ejected vpcd card was measured
        to wedge the slot until the process exits)."""
        hcontext, hcard = self._hcontext, self._hcard
        released = threading.Event()

        def reset_and_release(result: object) -> None:
            try:
                _drop(hcontext, hcard, _disposition_after(result))
            finally:
                released.set()

        try:
            return bounded(
                fn,
                timeout=self.timeout,
                what=f"{what} on {self.reader}",
                on_abandon=reset_and_release,
            )
        except (CardTimeout, KeyboardInterrupt):
            self._hcard = self._hcontext = None  # the reaper owns them now
            self._released = released
            raise

    def _settle(self) -> None:
        """Before connecting again, wait (within the deadline) until the link abandoned
        last time has been reset and released: otherwise our own old handle could refuse
        the new exclusive connection, or the card could be reset under it."""
        released = self._released
        if released is None:
            return
        if not wait_event(released, self.timeout):
            raise CardTimeout(
                "读卡器仍在等待上一条指令的应答，请取出卡片 (the reader is still waiting for the "
                "card's answer to an earlier command)",
                detail=f"{self.reader}: earlier link not released within {self.timeout:g} s",
            )
        self._released = None

    def connect(self) -> None:
        if self._hcard is not None:
            return
        self._settle()
        reader, share = self.reader, self.share

        def open_link() -> _Link:
            hcontext = establish()
            try:
                hresult, hcard, protocol = scard.SCardConnect(
                    hcontext, reader, share, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
                )
                check(hresult, "SCardConnect", reader)
                try:
                    hresult, _reader, _state, _protocol, atr = scard.SCardStatus(hcard)
                    check(hresult, "SCardStatus", reader)
                except BaseException:
                    scard.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD)
                    raise
            except BaseException:
                scard.SCardReleaseContext(hcontext)
                raise
            return _Link(hcontext, hcard, protocol, bytes(atr))

        released = threading.Event()

        def release(got: _Link | None) -> None:
            try:
                if got is not None:  # connected late: nothing was sent, just let go
                    _drop(got.hcontext, got.hcard, scard.SCARD_LEAVE_CARD)
            finally:
                released.set()

        try:
            link = bounded(
                open_link,
                timeout=self.timeout,
                what=f"SCardConnect on {reader}",
                on_abandon=release,
            )
        except (CardTimeout, KeyboardInterrupt):
            self._released = released
            raise
        self._hcontext, self._hcard = link.hcontext, link.hcard
        self._protocol, self._atr = link.protocol, link.atr

    def _read_atr(self) -> None:
        hcard = self._hcard
        hresult, _reader, _state, _protocol, atr = self._bounded(
            "SCardStatus", lambda: scard.SCardStatus(hcard)
        )
        check(hresult, "SCardStatus", self.reader)
        self._atr = bytes(atr)

    def reconnect(self, *, cold: bool = False) -> None:
        """Warm reset by default (security state kept by the reader link, card re-ATRs);
        ``cold=True`` power-cycles the card and drops all its security states."""
        if self._hcard is None:
            self.connect()
            return
        disposition = scard.SCARD_UNPOWER_CARD if cold else scard.SCARD_RESET_CARD
        hcard, share = self._hcard, self.share
        hresult, protocol = self._bounded(
            "SCardReconnect",
            lambda: scard.SCardReconnect(
                hcard, share, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1, disposition
            ),
        )
        check(hresult, "SCardReconnect", self.reader)
        self._protocol = protocol
        self._read_atr()

    def disconnect(self, *, cold: bool = False) -> None:
        """Release the reader.  Leaves the card powered unless ``cold`` (which resets it).

        Never raises for a reader that does not let go in time: the handle is forgotten
        and released in the background (a warning is logged)."""
        self._release(scard.SCARD_UNPOWER_CARD if cold else scard.SCARD_LEAVE_CARD)

    def _release(self, disposition: int) -> None:
        """Disconnect with ``disposition`` and release the context, within the deadline."""
        hcontext, hcard = self._hcontext, self._hcard
        self._hcard = self._hcontext = None
        if hcontext is None and hcard is None:
            return
        released = threading.Event()
        try:
            bounded(
                lambda: _drop(hcontext, hcard, disposition),
                timeout=self.timeout,
                what=f"SCardDisconnect on {self.reader}",
                on_abandon=lambda _result: released.set(),  # the worker did the release
            )
        except CardTimeout as exc:
            self._released = released
            log.warning("%s", exc)
        except KeyboardInterrupt:
            self._released = released
            raise

    def _exchange(self, raw: bytes) -> bytes:
        if self._hcard is None:
            self.connect()
        hcard, protocol, apdu = self._hcard, self._protocol, list(raw)
        hresult, response = self._bounded(
            "SCardTransmit", lambda: scard.SCardTransmit(hcard, protocol, apdu)
        )
        if hresult != scard.SCARD_S_SUCCESS:
            # the link is unusable after removal or a service stop: forget the handle
            try:
                check(hresult, "SCardTransmit", self.reader)
            except ReaderError:
                self._forget()
                raise
        if len(response) < 2:
            # "success" without even a status word: vpcd does this when the card's
            # connection drops mid-command; nothing more will come over this link (and the
            # card is gone: no reset, see _bounded)
            self._release(scard.SCARD_LEAVE_CARD)
            raise ReaderError(
                "卡片无应答或已被拔出，请重新插卡 (the card gave no answer or was pulled out)",
                detail=f"SCardTransmit on {self.reader}: {len(response)} response bytes",
            )
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
