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
- every exchange is traced with panel data abbreviated to its length (``trace``).

The reply tables and their parsers live in ``evolis_replies``; this module sends, waits,
retries and keeps the deadlines.  Their names stay importable from here.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import serial

from station.printer.base import ActiveFault, CardPosition, Printer, PrinterStatus
from station.printer.errors import (
    PrinterFault,
    PrinterOffline,
    PrinterRebooted,
    PrinterTimeout,
    ProtocolError,
    RibbonOut,
    SettingsNotApplied,
    UnexpectedReply,
)
from station.printer.evolis_replies import (
    EXPECTED,
    REPLIES,
    STANDING,
    Expect,
    ReplyMeaning,
    expected_reply,
    fault_for,
    parse_count,
    parse_faults,
    parse_position,
    parse_volts,
    shown_reply,
)
from station.printer.panels import PanelSet, encode_panels
from station.printer.trace import PrinterTrace, PrinterTraceEntry, describe_command

__all__ = [
    "EXPECTED",
    "REPLIES",
    "SETTINGS",
    "STANDING",
    "EvolisPrinter",
    "Expect",
    "PrinterTrace",
    "PrinterTraceEntry",
    "ReplyMeaning",
    "describe_command",
    "expected_reply",
    "fault_for",
    "parse_count",
    "parse_faults",
    "parse_position",
    "parse_volts",
]

log = logging.getLogger("station.printer")

ESC = b"\x1b"
CR = b"\r"

# settings re-applied after every open and reset (a rebooted printer forgets them)
SETTINGS = (
    "Pem;2",  # the host owns error handling
    "Pneab;E",  # never eject at the end of a print
    "Pneab;A;0",  # ...and block ejection until we allow it
    "Pcrm;D",  # the reject box receives spoiled cards
    "Pcim;F",  # cards come from the feeder
    "Pr;ymcko",  # ribbon type
)


class _Timeout(Exception):
    """No complete reply before the wait ended; ``partial`` holds whatever did arrive."""

    def __init__(self, partial: bytes = b"") -> None:
        super().__init__("no complete reply")
        self.partial = partial


T = TypeVar("T")
MAX_REPLY = 4096  # a "reply" longer than this is garbage; stop reading it


class EvolisPrinter(Printer):
    """An Evolis-protocol printer (or the simulator) at a pyserial URL.

    Time: every public call has ONE deadline, fixed when it starts — ``timeout`` for a
    query, the status or the settings (retries included: a retry only gets the time that
    is left), ``move_timeout`` for a card move, ``print_timeout`` for the whole print
    sequence, ``reset_timeout`` for a reset with its wait for ``Rok``.  ``within(s)``
    puts several calls under one deadline (the CLI's ``--timeout``).  A printer that
    drip-feeds bytes cannot stretch any of these: reading stops at the deadline.

    Safety: moves are refused (``SettingsNotApplied``) until every setting in
    ``SETTINGS`` was answered as expected since the last open, reset or reboot.
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
        probe_reserve: float = 1.0,
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
        self.probe_reserve = probe_reserve
        self.baudrate = baudrate
        self.trace = trace if trace is not None else PrinterTrace()
        self._port: serial.SerialBase | None = None
        self._lock = threading.RLock()
        self._deadline: float | None = None
        self._span = 0.0  # the seconds the current deadline was set for (error texts)
        self._settings_ok = False

    @property
    def settings_applied(self) -> bool:
        """True when the printer confirmed every safety setting since open/reset/reboot."""
        return self._settings_ok

    # -- deadlines ----------------------------------------------------------------------
    @contextlib.contextmanager
    def within(self, seconds: float) -> Iterator[None]:
        """Everything in the block shares one deadline ``seconds`` from now.  Nested
        deadlines only ever shrink it, so an outer bound always holds."""
        with self._lock:
            outer, outer_span = self._deadline, self._span
            mine = time.monotonic() + max(0.0, seconds)
            if outer is None or mine < outer:
                self._deadline, self._span = mine, seconds
            try:
                yield
            finally:
                self._deadline, self._span = outer, outer_span

    def _left(self, command: str) -> float:
        """Seconds left before the deadline; ``PrinterTimeout`` when none are."""
        if self._deadline is None:  # only reachable through a private call
            return self.timeout
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise PrinterTimeout(detail=f"{command}: time limit of {self._span:.1f} s reached")
        return left

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
            self._settings_ok = False
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
        """All settings under one ``timeout``; each must be answered as expected."""
        self._settings_ok = False
        with self.within(self.timeout):
            for setting in SETTINGS:
                self._action(setting, self.timeout)
        self._settings_ok = True

    def _require_settings(self, command: str) -> None:
        if not self._settings_ok:
            raise SettingsNotApplied(detail=f"{command} refused: settings not confirmed")

    # -- one exchange --------------------------------------------------------------------
    def _read_reply(self, port: serial.SerialBase, until: float) -> str:
        """One reply: up to CR, or the printer quiet for ``quiet`` s after its first byte.
        ``_Timeout`` at ``until`` however the bytes trickle in."""
        buf = bytearray()
        last = 0.0
        while True:
            if time.monotonic() >= until:
                raise _Timeout(bytes(buf))
            chunk = port.read(max(1, min(port.in_waiting, MAX_REPLY)))
            now = time.monotonic()
            if chunk:
                buf += chunk
                last = now
                end = buf.find(CR)
                if end >= 0:
                    if end + 1 < len(buf):
                        log.debug("discarding %d bytes after a reply", len(buf) - end - 1)
                    return buf[:end].decode("ascii", "replace").strip()
                if len(buf) > MAX_REPLY:
                    return buf[:MAX_REPLY].decode("ascii", "replace").strip()
            elif buf and now - last >= self.quiet:
                return buf.decode("ascii", "replace").strip()

    def _exchange(
        self, command: str, until: float, data: bytes | None = None, attempt: int = 1
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
            reply = self._read_reply(port, until)
        except _Timeout as timeout:
            got = f"<no reply> {timeout.partial[:40]!r}" if timeout.partial else "<no reply>"
            self.trace.record(
                PrinterTraceEntry(
                    time.time(), shown, got, (time.perf_counter() - start) * 1000, attempt
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

    def _fault(self, fault: type[PrinterFault], detail: str) -> PrinterFault:
        """The typed error for a reply; a reboot also means our settings are gone."""
        if issubclass(fault, PrinterRebooted):
            self._settings_ok = False
        return fault(detail=detail)

    def _check(self, command: str, reply: str) -> None:
        """An error reply raises its fault; anything but the expected reply is
        ``UnexpectedReply`` — never success."""
        name = command.split(";")[0] if command.startswith("D") else command
        fault = fault_for(reply)
        if fault is not None:
            raise self._fault(fault, f"{name}: {reply[:60]}")
        expect = expected_reply(command)
        if not expect.accepts(reply):
            raise UnexpectedReply(
                detail=f"{name}: expected {expect.what}, got {shown_reply(reply)}"
            )

    def _after_timeout(self, command: str, partial: bytes) -> PrinterFault:
        """A command went unanswered: was the printer rebooted, or is it gone?  The probe
        only uses what is left of the deadline."""
        name = command.split(";")[0] if command.startswith("D") else command
        got = f"; got only {shown_reply(partial.decode('ascii', 'replace'))}" if partial else ""
        limit = f"no complete reply to {name} within {self._span:.1f} s{got}"
        try:
            left = self._left("Rok")
            reply = self._exchange("Rok", time.monotonic() + left)
        except (_Timeout, PrinterTimeout):
            return PrinterTimeout(detail=limit)
        except PrinterOffline as exc:
            return exc
        if fault_for(reply) is PrinterRebooted:
            return self._fault(PrinterRebooted, f"while waiting for {name}: {reply}")
        return PrinterTimeout(
            "打印机未按时完成操作，请查询卡片位置 (printer did not finish in time)",
            detail=f"{limit}; Rok -> {shown_reply(reply)}",
        )

    def _action(self, command: str, timeout: float, data: bytes | None = None) -> str:
        """A command with an effect: sent once, never retried, its reply checked against
        ``EXPECTED``.  Part of the time is kept for the ``Rok`` probe after silence."""
        with self._lock, self.within(timeout):
            left = self._left(command)
            reserve = min(self.probe_reserve, left / 4)
            try:
                reply = self._exchange(command, time.monotonic() + left - reserve, data)
            except _Timeout as exc:
                raise self._after_timeout(command, exc.partial) from None
            self._check(command, reply)
            return reply

    def _query(
        self,
        command: str,
        parse: Callable[[str], T],
        allow: tuple[type[PrinterFault], ...] = (),
    ) -> T:
        """An idempotent query: retried on silence or a reply it cannot have, every try
        sharing one ``timeout``.  Error replies of a class in ``allow`` are data."""
        with self._lock, self.within(self.timeout):
            tries = self.query_retries + 1
            last: PrinterFault = PrinterTimeout(detail=f"no time left for {command}")
            for attempt in range(1, tries + 1):
                try:
                    left = self._left(command)
                except PrinterTimeout:
                    break
                until = time.monotonic() + left / (tries - attempt + 1)
                try:
                    reply = self._exchange(command, until, attempt=attempt)
                except _Timeout as exc:
                    got = f"; got only {shown_reply(exc.partial.decode('ascii', 'replace'))}"
                    last = PrinterTimeout(
                        detail=f"no complete reply to {command} within {self._span:.1f} s"
                        + (got if exc.partial else "")
                    )
                    continue
                fault = fault_for(reply)
                if fault is not None and not issubclass(fault, allow):
                    if fault is ProtocolError:
                        last = ProtocolError(detail=f"{command}: {reply[:60]}")
                        continue
                    raise self._fault(fault, f"{command}: {reply[:60]}")
                expect = expected_reply(command)
                if fault is None and not expect.accepts(reply):
                    last = UnexpectedReply(
                        detail=f"{command}: expected {expect.what}, got {shown_reply(reply)}"
                    )
                    continue
                try:
                    return parse(reply)
                except UnexpectedReply as exc:
                    last = exc
            raise last

    def command(self, text: str) -> str:
        """Technician escape hatch: send one command, return the raw reply (no retry, no
        expectation).  A raw setting or reset voids the confirmed settings."""
        with self._lock, self.within(self.move_timeout):
            if text.startswith(("P", "Srs")):
                self._settings_ok = False
            try:
                return self._exchange(text, time.monotonic() + self._left(text))
            except _Timeout as exc:
                raise self._after_timeout(text, exc.partial) from None

    # -- Printer ------------------------------------------------------------------------
    def position(self) -> CardPosition:
        return self._query("Rlr;p", parse_position)

    def ribbon_left(self) -> int:
        """Prints left; ``ERR RIB DETECTION`` (no ribbon) is a status here: 0."""

        def parse(reply: str) -> int:
            return 0 if fault_for(reply) is RibbonOut else parse_count(reply)

        return self._query("Rrt;count", parse, allow=(RibbonOut,))

    def faults(self) -> tuple[ActiveFault, ...]:
        """The faults the printer reports as standing now (``Rst``)."""
        return self._query("Rst", parse_faults, allow=STANDING)

    def status(self) -> PrinterStatus:
        """All queries under one ``timeout``."""
        with self._lock, self.within(self.timeout):
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
                faults=self.faults(),
            )

    def _move(self, command: str) -> None:
        with self._lock:
            self._require_settings(command)
            self._action(command, self.move_timeout)

    def feed(self) -> None:
        self._move("Si")

    def to_contacts(self) -> None:
        self._move("Sis")

    def to_print(self) -> None:
        self._move("Si")

    def print_panels(self, panels: PanelSet) -> None:
        """The whole sequence under one ``print_timeout``."""
        downloads = encode_panels(panels)  # encode first: a bad image must fail before Ss
        with self._lock, self.within(self.print_timeout):
            self._require_settings("Ss")
            self._action("Ss", self.move_timeout)
            self._action("Sr", self.timeout)
            for name, levels, data in downloads:
                self._action(f"Db;{name};{levels}", self.print_timeout, data)
            self._action("Se", self.move_timeout)  # ends the sequence; ejection is blocked

    def eject(self) -> None:
        with self._lock:
            self._require_settings("Se")
            try:
                with self.within(self.move_timeout):
                    self._action("Pneab;A;1", self.timeout)
                    self._action("Se", self.move_timeout)
            finally:
                try:
                    self._action("Pneab;A;0", self.timeout)
                except PrinterFault:
                    self._settings_ok = False  # ejection may still be allowed: no moves
                    log.warning("could not re-block ejection after eject", exc_info=True)

    def reject(self) -> None:
        self._move("Ser")

    def reset(self) -> CardPosition:
        """Srs, wait for Rok, re-apply the settings, ask where the card is — all under
        one ``reset_timeout``."""
        with self._lock, self.within(self.reset_timeout):
            self._settings_ok = False
            self._connect()
            reply = self._send_reset()
            if fault_for(reply) is PrinterRebooted:  # flag consumed; reset for real now
                reply = self._send_reset()
            self._check("Srs", reply)
            while True:
                left = self._left("Rok")  # PrinterTimeout when the printer never comes back
                try:
                    alive = self._exchange("Rok", time.monotonic() + min(left, self.timeout))
                    if alive == "OK":
                        break
                except _Timeout:
                    continue
                time.sleep(min(0.1, left))  # answered, but not alive yet: ask again shortly
            self._apply_settings()
            return self.position()

    def _send_reset(self) -> str:
        try:
            return self._exchange("Srs", time.monotonic() + self._left("Srs"))
        except _Timeout:
            raise PrinterTimeout(detail=f"no reply to Srs within {self._span:.1f} s") from None
