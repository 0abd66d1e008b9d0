"""APDU console tab: send hex or named commands to a reader, keep the redacted trace.

One worker per device owns its connection, so the console opens none of its own for the
app's readers: a command for the card reader runs as a job on the card worker through
that worker's connection (``Workers.card_link``, the one the clerk's screen uses), one for
the PSAM reader on the PSAM worker through ``Workers.psam_link``.  A second connection
would be refused while the worker holds the reader exclusively (SCardConnect "sharing
violation").  Only a reader no worker owns (a third reader on the bench) gets a shared
connection of the console's own, kept on the card worker's thread.

What reaches the screen is the tracer's own redacted text (``TraceEntry.line``): a PIN
typed into a VERIFY is never shown, record contents are masked, and each answer carries
its status word's meaning.  Secret commands are not kept in the history either: recalling
them later would put the PIN back on screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from station.apdu.command import Command
from station.apdu.instructions import is_secret
from station.apdu.pcsc import PcscTransport
from station.apdu.status import describe
from station.apdu.trace import TraceEntry, Tracer
from station.card import commands
from station.codecs.records import SSSE_AID
from station.errors import StationError
from station.ui.bench.controllers.history import CommandHistory
from station.ui.workers import DeviceWorker, UiContext, Workers


@dataclass(frozen=True, slots=True)
class NamedCommand:
    """A menu entry: ``label`` is the English source text (views translate it)."""

    label: str
    command: Command


def named_commands() -> list[NamedCommand]:
    """The menu: built by the card's own command builders, so the bytes are exactly what
    the services send.  Nothing here carries a PIN: VERIFY is the tries probe."""
    return [
        NamedCommand("SELECT MF (3F00)", commands.select_file(0x3F00)),
        NamedCommand("SELECT SSSE application", commands.select_by_name(SSSE_AID)),
        NamedCommand("SELECT EF05 (issuer data)", commands.select_file(0xEF05)),
        NamedCommand("READ RECORD EF05 (all)", commands.read_records(0x05, 0)),
        NamedCommand("READ RECORD EF06 (all)", commands.read_records(0x06, 0)),
        NamedCommand("GET CHALLENGE (8)", commands.get_challenge(8)),
        NamedCommand("VERIFY (tries left, no PIN)", commands.verify_probe()),
    ]


class _Link:
    """Routes one console command to the right connection; runs on the owning worker's
    thread only (jobs on a worker run one after the other, so nothing interleaves)."""

    def __init__(self, workers: Workers, tracer: Tracer) -> None:
        self.workers = workers
        self.tracer = tracer
        self.reader = ""  # the reader of ``own`` (a reader no worker owns)
        self.own: PcscTransport | None = None

    def transport_for(self, reader: str) -> tuple[PcscTransport, bool]:
        """The connection for ``reader`` and whether it is the console's own."""
        s = self.workers.settings
        if reader == s.card_reader:
            return self.workers.card_link(), False
        if reader == s.psam_reader:
            return self.workers.psam_link(), False
        if self.own is None or self.reader != reader:
            self.close()
            self.own = PcscTransport(reader, shared=True, timeout=s.card_timeout)
            self.reader = reader
        return self.own, True

    def exchange(self, reader: str, cmd: Command) -> int:
        transport, own = self.transport_for(reader)
        # the console's trace gets this command's lines (and only this command's): the
        # worker's connection records into the console's tracer for the length of the job
        saved, transport.tracer = transport.tracer, self.tracer
        try:
            return transport.transmit(cmd).sw
        except StationError:
            if own:
                self.close()  # the next command connects afresh (card pulled, reset, …)
            # a worker's connection forgets a dead handle itself and reconnects next time
            raise
        finally:
            transport.tracer = saved

    def close(self) -> None:
        """Let go of the console's own connection (never a worker's)."""
        own, self.own = self.own, None
        if own is not None:
            own.disconnect()


class ConsoleController(QObject):
    """Sends one command at a time; ``traced`` carries the new trace lines of each one."""

    traced = Signal(list)  # list[str]: redacted trace lines, SW meaning included
    answered = Signal(str)  # the final status word and its meaning
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tracer = Tracer()
        self.history = CommandHistory()
        self.reader = ctx.settings.card_reader
        self._link = _Link(ctx.workers, self.tracer)
        self._worker: DeviceWorker | None = None
        self._shown = 0
        self._busy = False

    @property
    def busy(self) -> bool:
        return self._busy

    def worker_for(self, reader: str) -> DeviceWorker:
        """The PSAM reader belongs to the PSAM worker, every other reader to the card's."""
        if reader == self.ctx.settings.psam_reader:
            return self.ctx.workers.psam
        return self.ctx.workers.card

    def set_reader(self, reader: str) -> None:
        if reader != self.reader:
            self.close()
            self.reader = reader

    def send_text(self, text: str) -> None:
        """Parse hex (refused in words, nothing sent) and send it."""
        try:
            cmd = Command.from_hex(text)
        except StationError as exc:
            self.failed.emit(exc.message)
            return
        self.send(cmd)

    def send(self, cmd: Command) -> None:
        if self._busy:
            self.failed.emit(self.tr("A command is still running; wait for its answer."))
            return
        if not self.reader:
            self.failed.emit(self.tr("Choose a reader first."))
            return
        if not is_secret(cmd):
            self.history.add(cmd.to_bytes().hex().upper())
        else:
            self.history.add("")  # the cursor goes back to the end all the same
        self._set_busy(True)
        link, reader = self._link, self.reader
        self._worker = self.worker_for(reader)
        self._worker.submit(
            "bench.apdu", lambda: link.exchange(reader, cmd), self._on_answer, self._on_error
        )

    def _on_answer(self, sw: int) -> None:
        self._set_busy(False)
        self._emit_new_lines()
        self.answered.emit(describe(sw))

    def _on_error(self, error: StationError) -> None:
        self._set_busy(False)
        self._emit_new_lines()
        # a technician's screen: the technical detail too (it never carries a PIN or key)
        self.failed.emit(f"{error.message} — {error.detail}" if error.detail else error.message)

    def _emit_new_lines(self) -> None:
        entries: list[TraceEntry] = self.tracer.entries()
        new = entries[self._shown :] if self._shown <= len(entries) else entries
        self._shown = len(entries)
        if new:
            self.traced.emit([e.line() for e in new])

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_changed.emit(busy)

    def trace_text(self) -> str:
        return self.tracer.text() + "\n"

    def clear_trace(self) -> None:
        self.tracer.clear()
        self._shown = 0

    def save_trace(self, path: str | Path) -> Path:
        """Write the (already redacted) trace, private to the user; raises StationError."""
        from station.fsutil import write_file

        target = Path(path)
        write_file(target, self.trace_text())
        return target

    def close(self) -> None:
        """Let go of the console's own connection, if any (on the card worker, whose
        thread it lives on); the workers' connections stay theirs."""
        if self._worker is not None:  # something was sent since the last close
            self.ctx.workers.card.submit("bench.apdu.close", self._link.close)
            self._worker = None
