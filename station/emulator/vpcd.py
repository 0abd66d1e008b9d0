"""Present a virtual card to real PC/SC through pcscd's vpcd driver.

vsmartcard's vpcd driver (inside pcscd) listens on TCP 127.0.0.1:35963 (slot 0, reader
"Virtual PCD 00 00") and 35964 (slot 1, "Virtual PCD 00 01").  Whoever connects *is* the
card: while the socket is open pcscd sees a card in that slot, closing it removes the card.
Frames are a 2-byte big-endian length and a payload; 1-byte payloads are control bytes
(0 power off, 1 power on, 2 reset, 4 ask for the ATR), anything longer is a command APDU to
be answered with the response APDU.

Latency matters: without TCP_NODELAY, and TCP_QUICKACK re-armed before every recv (Linux
clears it after each ACK), every exchange stalls ~40 ms on delayed ACKs.  The link also
survives pcscd restarts (it reconnects with a short back-off) and never exits the process.
"""

from __future__ import annotations

import logging
import socket
import struct
import threading
from collections.abc import Callable

from station.apdu.cardos import CardOS

log = logging.getLogger("station.vpcd")

VPCD_HOST = "127.0.0.1"
VPCD_PORT = 35963  # slot 0; slot n listens on VPCD_PORT + n
CTRL_OFF, CTRL_ON, CTRL_RESET, CTRL_ATR = 0, 1, 2, 4

_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


def slot_port(slot: int) -> int:
    if slot not in (0, 1):
        raise ValueError("vpcd slot must be 0 or 1")
    return VPCD_PORT + slot


def reader_name(slot: int) -> str:
    """The PC/SC reader name pcscd gives vpcd slot ``slot``."""
    return f"Virtual PCD 00 {slot:02d}"


class _Closed(Exception):
    """The peer closed the connection (pcscd stopped, or we removed the card)."""


def _recv_exact(sock: socket.socket, n: int, quickack: bool) -> bytes:
    """Read exactly ``n`` bytes: one recv may return part of a frame."""
    buf = bytearray()
    while len(buf) < n:
        if quickack and _QUICKACK is not None:
            sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise _Closed()
        buf += chunk
    return bytes(buf)


def serve_connection(sock: socket.socket, card: CardOS, *, tuned: bool = True) -> None:
    """Answer vpcd frames on a connected socket until it closes.

    ``tuned=False`` reproduces a naive client (no NODELAY/QUICKACK) for the benchmark.
    A card that raises is answered with 6F00 so pcscd never hangs on us.
    """
    if tuned:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    while True:
        (size,) = struct.unpack("!H", _recv_exact(sock, 2, tuned))
        payload = _recv_exact(sock, size, tuned) if size else b""
        reply: bytes | None
        if size == 1:
            ctrl = payload[0]
            reply = None
            if ctrl == CTRL_OFF:
                card.power_off()
            elif ctrl == CTRL_ON:
                card.power_on()
            elif ctrl == CTRL_RESET:
                card.reset()
            elif ctrl == CTRL_ATR:
                reply = card.atr
            else:
                log.warning("unknown vpcd control byte %02X", ctrl)
        else:
            try:
                reply = card.execute(payload)
            except Exception:  # a broken virtual card must not hang the reader
                log.exception("virtual card raised; answering 6F00")
                reply = b"\x6f\x00"
            if len(reply) < 2:
                reply = b"\x6f\x00"
        if reply is not None:
            sock.sendall(struct.pack("!H", len(reply)) + reply)


class VpcdLink:
    """One vpcd slot: a background thread that keeps ``card`` inserted while it is set.

    ``insert``/``remove`` model a card going in and out of the reader (the printer
    simulator moves blanks under the contacts this way).  ``on_state`` is called with
    ``True``/``False`` when the connection to pcscd comes up or goes down.
    """

    def __init__(
        self,
        card: CardOS | None = None,
        *,
        host: str = VPCD_HOST,
        port: int = VPCD_PORT,
        retry_interval: float = 0.2,
        on_state: Callable[[bool], None] | None = None,
        tuned: bool = True,
    ) -> None:
        self.host = host
        self.port = port
        self.retry_interval = retry_interval
        self.on_state = on_state
        self.tuned = tuned  # False only to measure what a naive client costs (bench)
        self._card = card
        self._cond = threading.Condition()
        self._stop = False
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._connected = threading.Event()
        self._generation = 0

    # -- public -----------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        """True while pcscd holds our connection (the card is in the reader)."""
        return self._connected.is_set()

    @property
    def card(self) -> CardOS | None:
        return self._card

    def start(self) -> VpcdLink:
        if self._thread is None or not self._thread.is_alive():
            self._stop = False
            self._thread = threading.Thread(target=self._run, name=f"vpcd-{self.port}", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stop = True
            self._drop_socket()
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    def insert(self, card: CardOS) -> None:
        with self._cond:
            self._card = card
            self._generation += 1
            self._drop_socket()
            self._cond.notify_all()

    def remove(self) -> None:
        with self._cond:
            self._card = None
            self._generation += 1
            self._drop_socket()
            self._cond.notify_all()

    def __enter__(self) -> VpcdLink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- thread -------------------------------------------------------------------------
    def _drop_socket(self) -> None:
        sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _set_connected(self, value: bool) -> None:
        if value == self._connected.is_set():
            return
        if value:
            self._connected.set()
        else:
            self._connected.clear()
        if self.on_state is not None:
            try:
                self.on_state(value)
            except Exception:
                log.exception("vpcd on_state callback failed")

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._stop and self._card is None:
                    self._cond.wait()
                if self._stop:
                    return
                card = self._card
                generation = self._generation
            assert card is not None
            try:
                sock = socket.create_connection((self.host, self.port), timeout=2.0)
            except OSError as exc:
                log.debug("vpcd %s:%d not reachable (%s); retrying", self.host, self.port, exc)
                with self._cond:
                    self._cond.wait(self.retry_interval)
                continue
            sock.settimeout(None)
            with self._cond:
                if self._stop or generation != self._generation:
                    sock.close()
                    continue
                self._sock = sock
            self._set_connected(True)
            try:
                serve_connection(sock, card, tuned=self.tuned)
            except (_Closed, OSError) as exc:
                log.debug("vpcd connection ended: %s", exc)
            finally:
                with self._cond:
                    self._sock = None
                sock.close()
                self._set_connected(False)
            with self._cond:
                if not self._stop and generation == self._generation:
                    # pcscd went away while the card was in: come back when it returns
                    self._cond.wait(self.retry_interval)
