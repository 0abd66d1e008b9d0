"""The Transport template: classify, trace, exchange, apply T=0 rules, check.

Back ends implement only ``_exchange(raw) -> raw`` (plus connect/disconnect); everything a
card protocol layer needs — GET RESPONSE on ``61xx``, resend on ``6Cxx``, typed errors on
failure, redacted tracing — lives here once, so the PC/SC and in-process back ends behave
identically.

The T=0 rules are bounded by the instruction table (``station.apdu.instructions``, the
same one the tracer redacts by): ``6Cxx`` resends a command only when it expects response
data (case 2/4) and carries no secret, ``61xx`` is fetched only for case 2/4.  So VERIFY,
CHANGE/RESET PIN (also ``84 24``), EXTERNAL AUTHENTICATE and the PSAM key commands go out
at most once, whatever a card answers; the caller gets the card's ``6Cxx``/``61xx`` as it
is and ``send`` turns it into a typed error.
"""

from __future__ import annotations

import abc
import time
from collections.abc import Callable

from station.apdu.command import Command, Response
from station.apdu.instructions import command_name, is_secret, may_fetch, may_resend
from station.apdu.status import StatusError, error_for
from station.apdu.trace import Tracer
from station.errors import ApduFormatError

SendFn = Callable[[Command], Response]

MAX_GET_RESPONSE = 64  # bounds a card that answers 61xx forever


class Transport(abc.ABC):
    """Base of every way to reach a card.

    ``transmit`` returns whatever the card finally answered (after T=0 handling);
    ``send`` additionally raises the typed ``StatusError`` unless the SW is 9000 (or in
    ``accept``).
    """

    def __init__(self, tracer: Tracer | None = None) -> None:
        self.tracer = tracer

    # -- back-end hooks -------------------------------------------------------------
    @abc.abstractmethod
    def _exchange(self, raw: bytes) -> bytes:
        """Send one command APDU's bytes, return the response bytes (data + SW)."""

    def connect(self) -> None:  # pragma: no cover - trivial default
        """Open the link; a no-op for back ends that are always connected."""

    def disconnect(self) -> None:  # pragma: no cover - trivial default
        """Close the link."""

    @property
    def atr(self) -> bytes:
        return b""

    # -- template ---------------------------------------------------------------------
    def _raw(self, cmd: Command, *, origin: Command | None = None) -> Response:
        start = time.perf_counter()
        rsp = Response.from_bytes(self._exchange(cmd.to_bytes()))
        if self.tracer is not None:
            self.tracer.record(cmd, rsp, time.perf_counter() - start, origin=origin)
        return rsp

    def transmit(self, cmd: Command, *, get_response: bool = True, fix_le: bool = True) -> Response:
        """Exchange one command with the T=0 rules applied (each can be opted out, and
        neither ever applies where the instruction table forbids it: see the module)."""
        rsp = self._raw(cmd)
        if fix_le and rsp.sw1 == 0x6C and may_resend(cmd):
            rsp = self._raw(cmd.with_le(rsp.sw2 or 256))
        if get_response and rsp.sw1 == 0x61 and may_fetch(cmd):
            data = bytearray(rsp.data)
            secret = is_secret(cmd)
            for _ in range(MAX_GET_RESPONSE):
                if rsp.sw1 != 0x61:
                    break
                rsp = self._raw(
                    Command(cmd.cla & 0x03, 0xC0, 0, 0, le=rsp.sw2 or 256, sensitive=secret),
                    origin=cmd,
                )
                data += rsp.data
            else:
                raise ApduFormatError(
                    "卡片应答异常 (endless GET RESPONSE chain)", detail=f"after {MAX_GET_RESPONSE}"
                )
            rsp = Response(bytes(data), rsp.sw1, rsp.sw2)
        return rsp

    def send(
        self,
        cmd: Command,
        *,
        accept: tuple[int, ...] = (0x9000,),
        name: str | None = None,
        get_response: bool = True,
        fix_le: bool = True,
    ) -> Response:
        """``transmit`` and raise the typed error for any SW not in ``accept``."""
        rsp = self.transmit(cmd, get_response=get_response, fix_le=fix_le)
        if rsp.sw not in accept:
            raise error_for(rsp.sw, command=name or command_name(cmd), ins=cmd.ins)
        return rsp

    def __enter__(self) -> Transport:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.disconnect()


__all__ = ["SendFn", "StatusError", "Transport"]
