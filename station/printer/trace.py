"""The printer's command/reply trace: the last exchanges, for the technician and the CLI's
``--trace``.

Why a module of its own: any driver records into it, and what it may show is a rule of its
own — panel data never appears, only its size (a face is personal data).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass

log = logging.getLogger("station.printer")


@dataclass(frozen=True, slots=True)
class PrinterTraceEntry:
    when: float
    command: str
    reply: str
    elapsed_ms: float
    attempt: int = 1

    def line(self) -> str:
        stamp = time.strftime("%H:%M:%S", time.localtime(self.when))
        again = f" (try {self.attempt})" if self.attempt > 1 else ""
        return f"{stamp} > {self.command}{again}\n{'':9}< {self.reply}  {self.elapsed_ms:.1f} ms"


class PrinterTrace:
    """Last ``maxlen`` exchanges (thread-safe), mirrored to the ``station.printer`` log."""

    def __init__(self, maxlen: int = 1000) -> None:
        self._entries: deque[PrinterTraceEntry] = deque(maxlen=maxlen)
        self._lock = threading.Lock()

    def record(self, entry: PrinterTraceEntry) -> None:
        with self._lock:
            self._entries.append(entry)
        log.debug("> %s < %s (%.1f ms)", entry.command, entry.reply, entry.elapsed_ms)

    def entries(self) -> list[PrinterTraceEntry]:
        with self._lock:
            return list(self._entries)

    def commands(self) -> list[str]:
        return [e.command for e in self.entries()]

    def text(self) -> str:
        return "\n".join(e.line() for e in self.entries())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def describe_command(command: str, data: bytes | None) -> str:
    """The command as traced: panel data never appears, only its size."""
    return command if data is None else f"{command};<{len(data)} bytes>"
