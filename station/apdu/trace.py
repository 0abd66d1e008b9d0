"""Exchange tracing with redaction.

Technicians need every APDU with its status word; nobody may ever see a PIN, a key or a
PIN block.  Redaction is decided here, in one place, from the command itself: commands
flagged ``sensitive`` and every instruction that can carry secrets lose their data (and
their response data) before anything is recorded or logged.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from station.apdu.command import Command, Response
from station.apdu.status import describe

log = logging.getLogger("station.apdu")

# (CLA & 0xF0 ignored for the SM bit) INS that may carry secrets in data or response
SECRET_INS: dict[int, str] = {
    0x20: "VERIFY",
    0x24: "RESET/UNBLOCK PIN",
    0x5E: "CHANGE PIN",
    0x82: "EXTERNAL AUTHENTICATE",
    0xDE: "DELIVERY SESSION KEY",
    0xFA: "CIPHER DATA",
    0xD4: "WRITE KEY",
    0xE3: "LOAD KEY",
}

INS_NAMES: dict[int, str] = {
    0xA4: "SELECT",
    0xB0: "READ BINARY",
    0xD6: "UPDATE BINARY",
    0xB2: "READ RECORD",
    0xDC: "UPDATE RECORD",
    0x84: "GET CHALLENGE",
    0x88: "INTERNAL AUTHENTICATE",
    0xC0: "GET RESPONSE",
    0x1E: "APPLICATION BLOCK",
    **SECRET_INS,
}


def command_name(cmd: Command) -> str:
    return INS_NAMES.get(cmd.ins, f"INS {cmd.ins:02X}")


def is_secret(cmd: Command) -> bool:
    return cmd.sensitive or cmd.ins in SECRET_INS


def redact_command(cmd: Command) -> str:
    """Hex of a command as it may be shown: header and lengths only for secret ones."""
    if not is_secret(cmd) or not cmd.data:
        return cmd.to_bytes().hex().upper()
    le = "" if cmd.le is None else f" Le={cmd.le % 256:02X}"
    return f"{cmd.header.hex().upper()} Lc={len(cmd.data):02X} <{len(cmd.data)} bytes redacted>{le}"


def redact_response(cmd: Command, rsp: Response) -> str:
    if rsp.data and is_secret(cmd):
        return f"<{len(rsp.data)} bytes redacted> {rsp.sw:04X}"
    return rsp.to_bytes().hex().upper()


@dataclass(frozen=True, slots=True)
class TraceEntry:
    """One exchange as recorded: already redacted, safe to show anywhere."""

    when: float
    name: str
    command: str
    response: str
    sw: int
    meaning: str
    elapsed_ms: float

    def line(self) -> str:
        stamp = time.strftime("%H:%M:%S", time.localtime(self.when))
        return (
            f"{stamp} {self.name:<22} > {self.command}\n"
            f"{'':9}{'':22} < {self.response}  [{self.meaning}] {self.elapsed_ms:.2f} ms"
        )


class Tracer:
    """Keeps the last ``maxlen`` exchanges (thread-safe) and mirrors them to logging."""

    def __init__(self, maxlen: int = 2000) -> None:
        self._entries: deque[TraceEntry] = deque(maxlen=maxlen)
        self._lock = threading.Lock()

    def record(self, cmd: Command, rsp: Response, elapsed_s: float) -> TraceEntry:
        entry = TraceEntry(
            when=time.time(),
            name=command_name(cmd),
            command=redact_command(cmd),
            response=redact_response(cmd, rsp),
            sw=rsp.sw,
            meaning=describe(rsp.sw),
            elapsed_ms=elapsed_s * 1000.0,
        )
        with self._lock:
            self._entries.append(entry)
        if log.isEnabledFor(logging.DEBUG):
            log.debug("%s > %s < %s", entry.name, entry.command, entry.response)
        return entry

    def entries(self) -> list[TraceEntry]:
        with self._lock:
            return list(self._entries)

    def __iter__(self) -> Iterator[TraceEntry]:
        return iter(self.entries())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def text(self) -> str:
        return "\n".join(e.line() for e in self.entries())
