"""A scripted hostile card behind real pcscd, speaking the vpcd protocol itself.

Unlike ``station.emulator.vpcd.VpcdLink`` (which serves a well-behaved ``CardOS``), this
card does what an attacker's or a broken card does, per APDU: answer anything, never
answer, answer late, hang up mid-command.  Everything the reader sent is recorded so a
test can count what went out (``apdus()``, ``controls()``).

Use it inside a test holding the ``vpcd_slots`` fixture (the cross-process vpcd lock, and
the readers seen empty at the end); remove it before the test ends::

    with HostileCard(slot=0).on("0020", Reply.sw(0x6C08)) as card:
        ...  # card.apdus() lists every command APDU pcscd passed on

Rules are tried in the order given, the first match wins; ``times`` limits how often a
rule applies.  Without a matching rule the card answers ``default`` (9000).

Protocol (see ``station/emulator/vpcd.py``): frames of a 2-byte big-endian length and a
payload; a 1-byte payload is a control byte (0 off, 1 on, 2 reset, 4 ATR request), and
only the ATR request is answered.  Anything longer is a command APDU.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass

from station.apdu.pcsc import wait_for_card
from station.emulator.vpcd import CTRL_ATR, VPCD_HOST, reader_name, slot_port

ATR = bytes.fromhex("3B6D000000814A444686605199000001AC")
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


@dataclass(frozen=True, slots=True)
class Reply:
    """Answer ``raw`` (data + SW), after ``delay`` seconds (cut short by removal)."""

    raw: bytes
    delay: float = 0.0

    @classmethod
    def sw(cls, sw: int, data: bytes = b"", *, delay: float = 0.0) -> Reply:
        return cls(bytes(data) + sw.to_bytes(2, "big"), delay)


@dataclass(frozen=True, slots=True)
class Mute:
    """Never answer; the reader waits until the card is removed."""


@dataclass(frozen=True, slots=True)
class Hangup:
    """Close the connection instead of answering: the card pulled mid-command."""


Behaviour = Reply | Mute | Hangup
OK = Reply.sw(0x9000)
Matcher = Callable[[bytes], bool]


def _matcher(match: str | int | Matcher) -> Matcher:
    """A hex prefix (``"0020"``, ``"8424"``), an INS number, or any predicate."""
    if isinstance(match, str):
        prefix = bytes.fromhex(match)
        return lambda apdu: apdu.startswith(prefix)
    if isinstance(match, int):
        ins = match
        return lambda apdu: len(apdu) > 1 and apdu[1] == ins
    return match


@dataclass
class _Rule:
    matches: Matcher
    behaviour: Behaviour | Callable[[bytes], Behaviour]
    times: int | None


class HostileCard:
    """One scripted card in vpcd slot ``slot``; ``insert()`` connects it to pcscd."""

    def __init__(self, slot: int = 0, *, atr: bytes = ATR, default: Behaviour = OK) -> None:
        self.slot = slot
        self.reader = reader_name(slot)
        self.atr = atr
        self.default = default
        self._rules: list[_Rule] = []
        self._apdus: list[bytes] = []
        self._controls: list[int] = []
        self._cond = threading.Condition()
        self._gone = threading.Event()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    # -- script -------------------------------------------------------------------------------
    def on(
        self,
        match: str | int | Matcher,
        behaviour: Behaviour | Callable[[bytes], Behaviour],
        *,
        times: int | None = None,
    ) -> HostileCard:
        """Add a rule: APDUs matching ``match`` get ``behaviour`` (or ``behaviour(apdu)``)."""
        with self._cond:
            self._rules.append(_Rule(_matcher(match), behaviour, times))
        return self

    def _behaviour(self, apdu: bytes) -> Behaviour:
        with self._cond:
            for rule in self._rules:
                if rule.times == 0 or not rule.matches(apdu):
                    continue
                if rule.times is not None:
                    rule.times -= 1
                chosen = rule.behaviour
                break
            else:
                chosen = self.default
        return chosen(apdu) if callable(chosen) else chosen

    # -- what the reader sent --------------------------------------------------------------
    def apdus(self, match: str | int | Matcher | None = None) -> list[bytes]:
        """Every command APDU received so far (those matching ``match``)."""
        with self._cond:
            got = list(self._apdus)
        return got if match is None else [a for a in got if _matcher(match)(a)]

    def controls(self) -> list[int]:
        with self._cond:
            return list(self._controls)

    def wait_apdus(self, count: int, timeout: float, match: str | int | None = None) -> bool:
        """Wait until ``count`` APDUs (matching ``match``) have arrived."""
        with self._cond:
            return self._cond.wait_for(lambda: len(self.apdus(match)) >= count, timeout)

    def wait_control(self, ctrl: int, timeout: float, *, after: int = 0) -> bool:
        """Wait until control byte ``ctrl`` arrives at index ``after`` or later."""
        with self._cond:
            return self._cond.wait_for(lambda: ctrl in self._controls[after:], timeout)

    # -- presence -------------------------------------------------------------------------------
    def insert(self, timeout: float = 10.0) -> HostileCard:
        """Connect to vpcd and wait until pcscd reports the card present."""
        if self._thread is not None:
            return self
        self._gone.clear()
        sock = socket.create_connection((VPCD_HOST, slot_port(self.slot)), timeout=timeout)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, name="hostile-card", daemon=True)
        self._thread.start()
        wait_for_card(self.reader, timeout)
        return self

    def remove(self, timeout: float = 10.0) -> None:
        """Pull the card: close the connection (a blocked reader gets an error) and wait
        until pcscd reports the slot empty."""
        self._gone.set()
        sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self._sock = None
        wait_for_card(self.reader, timeout, present=False)

    def __enter__(self) -> HostileCard:
        return self.insert()

    def __exit__(self, *exc: object) -> None:
        self.remove()

    # -- the card's side of the socket --------------------------------------------------------
    def _recv(self, sock: socket.socket, n: int) -> bytes | None:
        buf = bytearray()
        while len(buf) < n:
            if _QUICKACK is not None:  # as VpcdLink: no 40 ms delayed-ACK stall per APDU
                sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
            chunk = sock.recv(n - len(buf))
            if not chunk:
                return None
            buf += chunk
        return bytes(buf)

    def _send(self, sock: socket.socket, payload: bytes) -> None:
        sock.sendall(struct.pack("!H", len(payload)) + payload)

    def _serve(self) -> None:
        sock = self._sock
        assert sock is not None
        try:
            while not self._gone.is_set():
                head = self._recv(sock, 2)
                if head is None:
                    return
                (size,) = struct.unpack("!H", head)
                payload = self._recv(sock, size) if size else b""
                if payload is None:
                    return
                if size == 1:
                    with self._cond:
                        self._controls.append(payload[0])
                        self._cond.notify_all()
                    if payload[0] == CTRL_ATR:
                        self._send(sock, self.atr)
                    continue
                with self._cond:
                    self._apdus.append(payload)
                    self._cond.notify_all()
                behaviour = self._behaviour(payload)
                if isinstance(behaviour, Mute):
                    self._gone.wait()
                    return
                if isinstance(behaviour, Hangup):
                    return
                if behaviour.delay and self._gone.wait(behaviour.delay):
                    return
                self._send(sock, behaviour.raw)
        except OSError:
            return
        finally:
            sock.close()


__all__ = ["ATR", "OK", "Behaviour", "Hangup", "HostileCard", "Mute", "Reply"]
