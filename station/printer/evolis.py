"""Evolis escape-command driver over pyserial URLs.

One code path for a serial port, a device path (``/dev/usb/lp0``, a pty) and
``socket://host:port``: ``serial.serial_for_url`` gives the same read/write object for all.

Frame: ``ESC`` + command (``;``-separated parameters) + ``CR``.  Replies are ASCII text.
Our simulator ends each reply with CR; real firmware may not, so a reply also ends when the
printer has been quiet for ``quiet`` seconds after its first byte.

What this driver promises:
- every reply spelling the station understands is in ONE table (``REPLIES``); firmware
  variants are added there, nowhere else;
- only idempotent status queries (``R…``) are retried, on a timeout or a garbled reply
  (``Rrt;count`` is known to answer ``OK`` spuriously now and then); a mechanical or print
  command is never re-sent, because sending ``Sis`` twice could move a second blank;
- after a command timed out, one ``Rok`` probe tells "rebooted" (``PrinterRebooted``)
  from "gone" (``PrinterOffline``);
- every exchange is traced with panel data abbreviated to its length.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import serial

from station.printer.base import CardPosition, Printer, PrinterStatus
from station.printer.errors import (
    CoverOpen,
    FeederEmpty,
    Jam,
    NoCardInside,
    PrinterFault,
    PrinterOffline,
    PrinterRebooted,
    ProtocolError,
    RejectBoxFull,
    RibbonOut,
)
from station.printer.panels import PanelSet, encode_panels

log = logging.getLogger("station.printer")

ESC = b"\x1b"
CR = b"\r"

# -- THE table of reply spellings ---------------------------------------------------------
# value: a CardPosition (position replies), a PrinterFault subclass (error replies), or
# "ok".  Error replies are matched exactly first, then by the longest matching prefix, so
# "ERR MECHANICAL 12" still reads as a jam.  Unknown "ERR …" replies are ProtocolError.
ReplyMeaning = CardPosition | type[PrinterFault] | str
REPLIES: dict[str, ReplyMeaning] = {
    "OK": "ok",
    "ACK": "ok",
    # Rlr;p (newer firmware, and the older "NO CARD")
    "CARD": CardPosition.PRINT,
    "SMART CARD": CardPosition.CONTACT,
    "CONTACTLESS CARD": CardPosition.CONTACTLESS,
    "NO CARD": CardPosition.NONE,
    # errors
    "ERR CMD": ProtocolError,
    "ERR PARAM": ProtocolError,
    "ERR TIMEOUT": ProtocolError,
    "ERR FEEDER EMPTY": FeederEmpty,
    "ERR FEEDER": FeederEmpty,
    "ERR RIBBON ENDED": RibbonOut,
    "ERR RIBBON": RibbonOut,
    "ERR RIB DETECTION": RibbonOut,
    "ERR NO RIBBON": RibbonOut,
    "ERR COVER OPEN": CoverOpen,
    "ERR MECHANICAL": Jam,
    "ERR CARD JAM": Jam,
    "ERR REJECT BOX FULL": RejectBoxFull,
    "ERR NO CARD": NoCardInside,
    "ERR CARD": NoCardInside,
    "ERR REBOOTED": PrinterRebooted,
    "ERR POWER": PrinterRebooted,
    "NACK 1": ProtocolError,
    "NACK 2": ProtocolError,
    "NACK T": Jam,
    "NACK C": CoverOpen,
    "NACK F": FeederEmpty,
    "NACK R": RibbonOut,
}

# settings re-applied after every open and reset (a rebooted printer forgets them)
SETTINGS = (
    "Pem;2",  # the host owns error handling
    "Pneab;E",  # never eject at the end of a print
    "Pneab;A;0",  # ...and block ejection until we allow it
    "Pcrm;D",  # the reject box receives spoiled cards
    "Pcim;F",  # cards come from the feeder
    "Pr;ymcko",  # ribbon type
)


def fault_for(reply: str) -> type[PrinterFault] | None:
    """The fault class an error reply stands for (None when it is not an error)."""
    meaning = REPLIES.get(reply)
    if isinstance(meaning, type):
        return meaning
    if not (reply.startswith("ERR") or reply.startswith("NACK")):
        return None
    best: type[PrinterFault] = ProtocolError
    best_len = 0
    for spelling, m in REPLIES.items():
        if isinstance(m, type) and reply.startswith(spelling) and len(spelling) > best_len:
            best, best_len = m, len(spelling)
    return best


def parse_volts(reply: str) -> float:
    """``5,00 Volts`` (decimal comma, as the firmware writes it) -> 5.0."""
    head = reply.strip().split()[0] if reply.strip() else ""
    try:
        return float(head.replace(",", "."))
    except ValueError:
        raise ProtocolError(detail=f"not a voltage: {reply!r}") from None


def parse_count(reply: str) -> int:
    try:
        return int(reply.strip())
    except ValueError:
        raise ProtocolError(detail=f"not a count: {reply!r}") from None


def parse_position(reply: str) -> CardPosition:
    meaning = REPLIES.get(reply.strip())
    if isinstance(meaning, CardPosition):
        return meaning
    if reply.strip() == "OK":  # newer firmware: "OK" = no card inside
        return CardPosition.NONE
    raise ProtocolError(detail=f"unknown card position reply {reply!r}")


# -- trace --------------------------------------------------------------------------------
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


class _Timeout(Exception):
    """No (complete) reply within the deadline."""


T = TypeVar("T")


class EvolisPrinter(Printer):
    """An Evolis-protocol printer (or the simulator) at a pyserial URL.

    ``timeout`` bounds replies to queries and settings, ``move_timeout`` card moves,
    ``print_timeout`` one panel download (the printer answers after printing it), and
    ``reset_timeout`` the wait for ``Rok`` after ``Srs``.
    """

    model = "Evolis (escape commands)"

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 5.0,
        move_timeout: float = 60.0,
        print_timeout: float = 120.0,
        reset_timeout: float = 30.0,
        quiet: float = 0.3,
        query_retries: int = 2,
        baudrate: int = 115200,
        trace: PrinterTrace | None = None,
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.move_timeout = move_timeout
        self.print_timeout = print_timeout
        self.reset_timeout = reset_timeout
        self.quiet = quiet
        self.query_retries = query_retries
        self.baudrate = baudrate
        self.trace = trace if trace is not None else PrinterTrace()
        self._port: serial.SerialBase | None = None
        self._lock = threading.RLock()

    # -- link ---------------------------------------------------------------------------
    def _connect(self) -> serial.SerialBase:
        if self._port is not None:
            return self._port
        try:
            port = serial.serial_for_url(self.url, baudrate=self.baudrate, timeout=0.05)
        except (serial.SerialException, OSError, ValueError) as exc:
            raise PrinterOffline(detail=f"{self.url}: {exc}") from exc
        self._port = port
        return port

    def open(self) -> None:
        with self._lock:
            self._connect()
            self._apply_settings()

    def close(self) -> None:
        with self._lock:
            if self._port is not None:
                try:
                    self._port.close()
                finally:
                    self._port = None

    def _drop(self) -> None:
        try:
            self.close()
        except Exception:  # the link is already broken; nothing useful to report
            log.debug("closing a broken printer link failed", exc_info=True)

    def _apply_settings(self) -> None:
        for setting in SETTINGS:
            self._action(setting, self.timeout)

    # -- one exchange --------------------------------------------------------------------
    def _read_reply(self, port: serial.SerialBase, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        buf = bytearray()
        last = 0.0
        while True:
            chunk = port.read(max(1, port.in_waiting))
            now = time.monotonic()
            if chunk:
                buf += chunk
                last = now
                end = buf.find(CR)
                if end >= 0:
                    if end + 1 < len(buf):
                        log.debug("discarding %d bytes after a reply", len(buf) - end - 1)
                    return buf[:end].decode("ascii", "replace").strip()
            elif buf and now - last >= self.quiet:
                return buf.decode("ascii", "replace").strip()
            if now >= deadline:
                if buf:
                    return buf.decode("ascii", "replace").strip()
                raise _Timeout()

    def _exchange(
        self, command: str, timeout: float, data: bytes | None = None, attempt: int = 1
    ) -> str:
        port = self._connect()
        frame = ESC + command.encode("ascii")
        if data is not None:
            frame += b";" + data
        frame += CR
        start = time.perf_counter()
        shown = describe_command(command, data)
        try:
            port.reset_input_buffer()  # a late reply to an earlier try must not pair with this
            port.write(frame)
            port.flush()
            reply = self._read_reply(port, timeout)
        except _Timeout:
            self.trace.record(
                PrinterTraceEntry(
                    time.time(), shown, "<no reply>", (time.perf_counter() - start) * 1000, attempt
                )
            )
            raise
        except (serial.SerialException, OSError) as exc:
            self._drop()
            raise PrinterOffline(detail=f"{self.url}: {exc}") from exc
        self.trace.record(
            PrinterTraceEntry(
                time.time(), shown, reply, (time.perf_counter() - start) * 1000, attempt
            )
        )
        return reply

    @staticmethod
    def _raise_for(command: str, reply: str) -> None:
        fault = fault_for(reply)
        if fault is not None:
            raise fault(detail=f"{command.split(';')[0]}: {reply}")

    def _probe_after_timeout(self, command: str, timeout: float) -> PrinterFault:
        """A command went unanswered: was the printer rebooted, or is it gone?"""
        try:
            reply = self._exchange("Rok", self.timeout)
        except _Timeout:
            return PrinterOffline(detail=f"no reply to {command} within {timeout:.1f} s")
        except PrinterOffline as exc:
            return exc
        fault = fault_for(reply)
        if fault is PrinterRebooted:
            return PrinterRebooted(detail=f"while waiting for {command}: {reply}")
        return PrinterOffline(
            "打印机未按时完成操作，请查询卡片位置 (printer did not finish in time)",
            detail=f"no reply to {command} within {timeout:.1f} s; Rok -> {reply}",
        )

    def _action(self, command: str, timeout: float, data: bytes | None = None) -> str:
        """A command with an effect: sent once, never retried."""
        with self._lock:
            try:
                reply = self._exchange(command, timeout, data)
            except _Timeout:
                raise self._probe_after_timeout(command, timeout) from None
            self._raise_for(command, reply)
            return reply

    def _query(self, command: str, parse: Callable[[str], T]) -> T:
        """An idempotent query: retried on timeout or an unparsable reply."""
        with self._lock:
            last: PrinterFault = PrinterOffline(detail=f"no reply to {command}")
            for attempt in range(1, self.query_retries + 2):
                try:
                    reply = self._exchange(command, self.timeout, attempt=attempt)
                except _Timeout:
                    last = PrinterOffline(
                        detail=f"no reply to {command} within {self.timeout:.1f} s"
                    )
                    continue
                fault = fault_for(reply)
                if fault is not None and fault is not ProtocolError:
                    raise fault(detail=f"{command}: {reply}")
                if fault is None:
                    try:
                        return parse(reply)
                    except ProtocolError as exc:
                        last = exc
                        continue
                last = ProtocolError(detail=f"{command}: {reply}")
            raise last

    def command(self, text: str) -> str:
        """Technician escape hatch: send one command, return the raw reply (no retry)."""
        with self._lock:
            try:
                return self._exchange(text, self.move_timeout)
            except _Timeout:
                raise self._probe_after_timeout(text, self.move_timeout) from None

    # -- Printer ------------------------------------------------------------------------
    def position(self) -> CardPosition:
        return self._query("Rlr;p", parse_position)

    def ribbon_left(self) -> int:
        def parse(reply: str) -> int:
            if fault_for(reply) is RibbonOut:
                return 0
            return parse_count(reply)

        with self._lock:
            # "ERR RIB DETECTION" means no ribbon: that is a status here, not a fault
            for attempt in range(1, self.query_retries + 2):
                try:
                    reply = self._exchange("Rrt;count", self.timeout, attempt=attempt)
                except _Timeout:
                    continue
                if fault_for(reply) is RibbonOut:
                    return 0
                if fault_for(reply) not in (None, ProtocolError):
                    self._raise_for("Rrt;count", reply)
                try:
                    return parse(reply)
                except ProtocolError:
                    continue
            raise PrinterOffline(detail="no usable reply to Rrt;count")

    def status(self) -> PrinterStatus:
        with self._lock:
            position = self.position()
            return PrinterStatus(
                position=position,
                feeder_loaded=self._query("Rse;f", parse_volts) > 2.5,
                cover_open=self._query("Rse;o", parse_volts) < 2.5,
                ribbon_left=self.ribbon_left(),
                card_in_bezel=self._query("Rse;b", parse_volts) > 2.5,
                model=self.model,
                serial=self._query("Rsn", str.strip),
                firmware=self._query("Rfv", str.strip),
            )

    def feed(self) -> None:
        self._action("Si", self.move_timeout)

    def to_contacts(self) -> None:
        self._action("Sis", self.move_timeout)

    def to_print(self) -> None:
        self._action("Si", self.move_timeout)

    def print_panels(self, panels: PanelSet) -> None:
        downloads = encode_panels(panels)  # encode first: a bad image must fail before Ss
        with self._lock:
            self._action("Ss", self.move_timeout)
            self._action("Sr", self.timeout)
            for name, levels, data in downloads:
                self._action(f"Db;{name};{levels}", self.print_timeout, data)
            self._action("Se", self.move_timeout)  # ends the sequence; ejection is blocked

    def eject(self) -> None:
        with self._lock:
            self._action("Pneab;A;1", self.timeout)
            try:
                self._action("Se", self.move_timeout)
            finally:
                try:
                    self._action("Pneab;A;0", self.timeout)
                except PrinterFault:
                    log.warning("could not re-block ejection after eject", exc_info=True)

    def reject(self) -> None:
        self._action("Ser", self.move_timeout)

    def reset(self) -> CardPosition:
        with self._lock:
            if self._port is None:
                self._connect()
            reply = self._send_reset()
            if fault_for(reply) is PrinterRebooted:  # flag consumed; reset for real now
                reply = self._send_reset()
            self._raise_for("Srs", reply)
            deadline = time.monotonic() + self.reset_timeout
            while True:
                try:
                    alive = self._exchange("Rok", self.timeout)
                    if fault_for(alive) is None:
                        break
                except _Timeout:
                    pass
                if time.monotonic() >= deadline:
                    raise PrinterOffline(detail=f"no Rok within {self.reset_timeout:.0f} s of Srs")
            self._apply_settings()
            return self.position()

    def _send_reset(self) -> str:
        try:
            return self._exchange("Srs", self.reset_timeout)
        except _Timeout:
            raise PrinterOffline(detail="no reply to Srs") from None
