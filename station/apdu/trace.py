"""Exchange tracing with redaction and masking.

Technicians need every APDU with its status word; nobody may ever see a PIN, a key or a
PIN block, and a trace handed to support must not carry a holder's personal data.  What a
command may carry is decided by the one instruction table (``station.apdu.instructions``,
also used by the transport), and what may be *shown* is decided here, by the functions
``shown_command`` / ``shown_data`` / ``shown_response`` — the tracer and the ``station
apdu`` console output both use them, so the screen and the trace cannot differ.

Rules:

* **Secrets** (commands flagged ``sensitive`` and every secret instruction: VERIFY,
  CHANGE/RESET PIN in any class, EXTERNAL AUTHENTICATE, the PSAM key commands) lose their
  data and their response data: header, lengths and SW only.  Always, raw or not.
* **Personal data**: the content of record and binary files (READ/UPDATE RECORD,
  READ/UPDATE BINARY and relatives, including the GET RESPONSE that fetched such an answer)
  is masked by default.  The simplest rule that cannot miss a field: *all* record/binary
  content is masked, whatever file it comes from — the tracer does not try to know which
  EF is selected.  Records keep their structure, ``tag length`` and then
  ``<n bytes masked>`` (``08 12 <18 bytes masked>`` for an SSN record), so a technician can
  still see which record came back and how long it was; binary data keep only their
  length.  SSN, name, birth date, photo all live in those files.
* ``raw=True`` (CLI ``--raw-trace``) is the technician's explicit choice to see record and
  binary content unmasked; secrets stay redacted even then.  The trace's header line states
  which of the two a trace is.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

from station.apdu.command import Command, Response
from station.apdu.instructions import (
    INSTRUCTIONS,
    SECRET_INS,
    command_name,
    instruction,
    is_personal,
    is_secret,
)
from station.apdu.status import describe

log = logging.getLogger("station.apdu")

# names by INS, kept for callers that looked names up here
INS_NAMES: dict[int, str] = {ins: i.name for ins, i in INSTRUCTIONS.items()}

HEADER_MASKED = (
    "# APDU trace: secrets redacted; personal data masked "
    "(record/binary content shown as tags and lengths only)"
)
HEADER_RAW = (
    "# APDU trace: secrets redacted; RAW record/binary content (personal data shown, "
    "technician --raw-trace)"
)


def _masked_records(data: bytes) -> str:
    """``tag len <n bytes masked>`` for each record of a ``tag len value`` sequence; just
    the length when the bytes are not such a sequence."""
    parts: list[str] = []
    i = 0
    while i < len(data):
        if i + 2 > len(data) or i + 2 + data[i + 1] > len(data):
            return f"<{len(data)} bytes masked>"
        tag, n = data[i], data[i + 1]
        parts.append(f"{tag:02X} {n:02X} <{n} bytes masked>" if n else f"{tag:02X} 00")
        i += 2 + n
    return " ".join(parts)


def _conceal(kind: Command, data: bytes, raw: bool) -> str | None:
    """How ``data`` travelling with a ``kind`` command may be shown; ``None`` = as hex."""
    if not data:
        return None
    if is_secret(kind):
        return f"<{len(data)} bytes redacted>"
    if is_personal(kind) and not raw:
        if instruction(kind).records:
            return _masked_records(data)
        return f"<{len(data)} bytes masked>"
    return None


def shown_command(cmd: Command, *, raw: bool = False) -> str:
    """A command as it may be shown: the header and lengths always, the data only when it
    is neither secret nor (unless ``raw``) personal."""
    hidden = _conceal(cmd, cmd.data, raw)
    if hidden is None:
        return cmd.to_bytes().hex().upper()
    le = "" if cmd.le is None else f" Le={cmd.le % 256:02X}"
    return f"{cmd.header.hex().upper()} Lc={len(cmd.data):02X} {hidden}{le}"


def shown_data(
    cmd: Command, data: bytes, *, raw: bool = False, origin: Command | None = None
) -> str:
    """Response data as it may be shown.  ``origin`` is the command a GET RESPONSE fetched
    for: the fetched bytes are classified by what they answer, not by GET RESPONSE."""
    hidden = _conceal(cmd, data, raw)
    if hidden is None and origin is not None:
        hidden = _conceal(origin, data, raw)
    return data.hex().upper() if hidden is None else hidden


def shown_response(
    cmd: Command, rsp: Response, *, raw: bool = False, origin: Command | None = None
) -> str:
    """Response data (as ``shown_data``) and the status word."""
    if not rsp.data:
        return f"{rsp.sw:04X}"
    return f"{shown_data(cmd, rsp.data, raw=raw, origin=origin)} {rsp.sw:04X}"


# the names this module had before the table moved out; same behaviour (masking on)
def redact_command(cmd: Command) -> str:
    return shown_command(cmd)


def redact_response(cmd: Command, rsp: Response) -> str:
    return shown_response(cmd, rsp)


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
    """Keeps the last ``maxlen`` exchanges (thread-safe) and mirrors them to logging.

    ``raw=True`` is the technician's flag for unmasked record/binary content; it is fixed
    for the tracer's life so one trace is never half masked, and ``header`` says which.
    """

    def __init__(self, maxlen: int = 2000, *, raw: bool = False) -> None:
        self.raw = raw
        self._entries: deque[TraceEntry] = deque(maxlen=maxlen)
        self._lock = threading.Lock()

    @property
    def header(self) -> str:
        return HEADER_RAW if self.raw else HEADER_MASKED

    def record(
        self, cmd: Command, rsp: Response, elapsed_s: float, *, origin: Command | None = None
    ) -> TraceEntry:
        """Record one exchange; ``origin`` is the command a GET RESPONSE fetched for."""
        entry = TraceEntry(
            when=time.time(),
            name=command_name(cmd),
            command=shown_command(cmd, raw=self.raw),
            response=shown_response(cmd, rsp, raw=self.raw, origin=origin),
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
        """The header line, then every entry."""
        return "\n".join([self.header, *(e.line() for e in self.entries())])


__all__ = [
    "HEADER_MASKED",
    "HEADER_RAW",
    "INS_NAMES",
    "SECRET_INS",
    "TraceEntry",
    "Tracer",
    "command_name",
    "is_secret",
    "redact_command",
    "redact_response",
    "shown_command",
    "shown_data",
    "shown_response",
]
