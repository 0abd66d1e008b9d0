"""One thread and one job queue per device; results come back to the UI thread as signals.

Why: a real card answers in 20–200 ms per command and a pulled card can hang a call until
its deadline, so the UI thread never calls a device.  Each device (card reader, PSAM
reader, card printer) has a ``DeviceWorker``: a ``QThread`` that owns that device's
connection and runs submitted jobs one after the other.  A job is a plain callable; its
result or typed error is handed back through a queued signal to a slot of the worker
object, which lives on the UI thread and calls the job's ``on_done``/``on_error`` there —
never a lambda connected to a signal emitted from another thread (Vorta's per-repository
queue, Anki's ``QueryOp``).

Card code needs a key provider while it runs on the card thread.  With a PSAM the provider
must talk to the PSAM reader, which the PSAM worker owns: ``PsamProxy`` forwards each
provider call to the PSAM thread and waits for it (with a deadline) — the card thread
blocks, the UI thread never does, and still exactly one thread touches each reader.

Device states for the status bar start as ``CONNECTING`` and are refreshed by a probe job
on each worker every ``PROBE_MS`` plus at once on every PC/SC monitor event, so the state
shown is never older than one probe.
"""

from __future__ import annotations

import atexit
import enum
import logging
import queue
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from station.apdu.pcsc import CardMonitor, Event, MonitorEvent, PcscTransport, reader_status
from station.apdu.trace import Tracer
from station.config import Settings
from station.crypto.algorithms import Alg
from station.crypto.provider import CardKeyContext, KeyProvider, PsamKeyProvider
from station.errors import CardTimeout, ErrorCode, StationError
from station.printer.base import ActiveFault

if TYPE_CHECKING:  # the stock book (SQLAlchemy, Alembic) loads only when someone signs in
    from station.inventory.models import Role

log = logging.getLogger("station.ui.workers")

T = TypeVar("T")

PROBE_MS = 2000  # how often each device's state is asked again


class WorkerStopped(StationError):
    default_message = "设备工作线程已停止 (the device worker has stopped)"
    code = ErrorCode.UI_WORKER_STOPPED


class UnexpectedError(StationError):
    """A bug in a job (not a device fault): shown as one line, logged with the type only."""

    default_message = "内部错误，请报告 (internal error, please report)"
    code = ErrorCode.UI_JOB_FAILED


class DeviceState(enum.Enum):
    """What the status bar says about one device."""

    CONNECTING = "connecting"  # not known yet: never show a guess
    READY = "ready"  # reader present, no card / printer ready
    CARD_PRESENT = "card_present"  # a card (or PSAM) is in the reader
    ABSENT = "absent"  # no such reader / printer unreachable
    FAULT = "fault"  # the device answers but reports a fault
    SERVICE_DOWN = "service_down"  # pcscd is not running


@dataclass(frozen=True)
class _Job:
    name: str
    fn: Callable[[], Any]
    on_done: Callable[[Any], None] | None
    on_error: Callable[[StationError], None] | None


@dataclass
class _Outcome:
    job: _Job
    value: Any = None
    error: StationError | None = None


_STOP = object()


def _alive(callback: Callable[..., None] | None) -> bool:
    """False when ``callback`` is a method of a Qt object already deleted."""
    owner = getattr(callback, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


class _Loop(QThread):
    """The device thread: takes jobs from the queue until the stop marker."""

    def __init__(self, worker: DeviceWorker) -> None:
        super().__init__()
        self._worker = worker
        self._queue = worker._queue  # its own reference: see _StopWhenOwnerGone
        self._device = worker.device
        self.setObjectName(f"device-{worker.device}")

    def run(self) -> None:
        w, jobs = self._worker, self._queue
        while True:
            item = jobs.get()
            if item is _STOP:
                return
            if callable(item) and not isinstance(item, _Job):  # a blocking cross-thread call
                item()
                continue
            assert isinstance(item, _Job)
            w._current = item.name
            try:
                outcome = _Outcome(item, value=item.fn())
            except StationError as exc:
                outcome = _Outcome(item, error=exc)
            except Exception as exc:  # a bug: one line for the user, the type for the log
                log.error("job %s on %s failed: %s", item.name, self._device, type(exc).__name__)
                outcome = _Outcome(item, error=UnexpectedError(detail=type(exc).__name__))
            finally:
                w._current = None
            w._finished.emit(outcome)


_LIVE: weakref.WeakSet[DeviceWorker] = weakref.WeakSet()


class _StopWhenOwnerGone:
    """Connected to the owner's ``destroyed``: stops the device thread before Qt deletes it
    with its owner (a running ``QThread`` destroyed aborts the process).

    Why not a method of the worker: when the owner and its worker die together in a
    garbage cycle, the cycle collector first clears the worker's Python attributes, and
    only then is the owner's C++ side destroyed — a method would find no queue and no
    thread.  This object keeps its own references to both."""

    def __init__(self, worker: DeviceWorker) -> None:
        self.worker = weakref.ref(worker)
        self.queue = worker._queue
        self.loop = worker._loop

    def __call__(self, *_args: object) -> None:
        worker = self.worker()
        if worker is not None and "_stopped" in vars(worker):
            worker._owner_gone()
            return
        with self.queue.mutex:  # the worker is being collected: nobody awaits its results
            self.queue.queue.clear()
        self.queue.put(_STOP)
        if not self.loop.wait(15_000):  # pragma: no cover - every device call has a deadline
            log.error("a device thread did not stop in 15 s")


@atexit.register
def _stop_live_workers() -> None:
    for worker in list(_LIVE):
        try:
            worker.stop(timeout_s=5.0)
        except RuntimeError:  # its C++ side is already gone (and so is its thread)
            pass


class DeviceWorker(QObject):
    """Owns one device connection in its own ``QThread``; jobs run there in order."""

    failed = Signal(str, object)  # (job name, StationError), on the UI thread
    state_changed = Signal(object)  # DeviceState, on the UI thread
    busy_changed = Signal(bool)
    _finished = Signal(object)  # emitted on the device thread, delivered queued
    _state_from_thread = Signal(object)

    def __init__(self, device: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.device = device
        self._queue: queue.Queue[object] = queue.Queue()
        self._pending = 0
        self._current: str | None = None
        self._stopped = False
        self.state = DeviceState.CONNECTING
        self.detail = ""  # the last state's wording (a fault's message)
        self._finished.connect(self._deliver)
        self._state_from_thread.connect(self._apply_state)
        self._loop = _Loop(self)
        self._loop.start()
        # a window destroyed without being closed (or the app quitting) must not leave
        # its thread running: Qt aborts when a running QThread is destroyed
        if parent is not None:
            parent.destroyed.connect(_StopWhenOwnerGone(self))
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._owner_gone)
        _LIVE.add(self)  # and a script that simply ends: stopped at interpreter exit

    @Slot()
    def _owner_gone(self) -> None:
        self.blockSignals(True)  # its listeners are being destroyed with it: tell nobody
        self.stop()

    # -- UI thread ----------------------------------------------------------------------
    def submit(
        self,
        name: str,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[StationError], None] | None = None,
    ) -> None:
        """Queue ``fn`` for the device thread; ``on_done``/``on_error`` run on the UI
        thread afterwards (``failed`` is emitted too when there is no ``on_error``)."""
        if self._stopped:
            err = WorkerStopped(detail=self.device)
            if on_error is not None:
                on_error(err)
            else:
                self.failed.emit(name, err)
            return
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._queue.put(_Job(name, fn, on_done, on_error))

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def pending_names(self) -> list[str]:
        with self._queue.mutex:
            return [j.name for j in self._queue.queue if isinstance(j, _Job)]

    def cancel_pending(self) -> int:
        """Drop queued jobs that have not started (a safe point: nothing was sent)."""
        dropped = 0
        with self._queue.mutex:
            keep = [j for j in self._queue.queue if not isinstance(j, _Job)]
            dropped = len(self._queue.queue) - len(keep)
            self._queue.queue.clear()
            self._queue.queue.extend(keep)
        self._pending -= dropped
        if dropped and self._pending == 0:
            self.busy_changed.emit(False)
        return dropped

    def stop(self, timeout_s: float = 15.0, *, drain: bool = False) -> None:
        """Finish the running job (every device call has a deadline), drop the rest —
        or, with ``drain``, run what is queued first (the close jobs of ``stop_all``)."""
        if self._stopped:
            return
        self._stopped = True
        if not drain:
            self.cancel_pending()
        self._queue.put(_STOP)
        if not self._loop.wait(int(timeout_s * 1000)):  # pragma: no cover - deadline bug
            log.error("device thread %s did not stop in %.0f s", self.device, timeout_s)

    @Slot(object)
    def _deliver(self, outcome: _Outcome) -> None:
        self._pending = max(0, self._pending - 1)
        job = outcome.job
        try:
            if not _alive(job.on_done) or not _alive(job.on_error):
                return  # the screen that asked has been closed meanwhile
            if outcome.error is None:
                if job.on_done is not None:
                    job.on_done(outcome.value)
            elif job.on_error is not None:
                job.on_error(outcome.error)
            else:
                self.failed.emit(job.name, outcome.error)
        finally:
            if self._pending == 0:
                self.busy_changed.emit(False)

    @Slot(object)
    def _apply_state(self, state_detail: tuple[DeviceState, str]) -> None:
        state, detail = state_detail
        if (state, detail) != (self.state, self.detail):
            self.state, self.detail = state, detail
            self.state_changed.emit(state)

    # -- any thread ---------------------------------------------------------------------
    def report_state(self, state: DeviceState, detail: str = "") -> None:
        """Called by jobs on the device thread (or the UI thread): queued to the UI."""
        self._state_from_thread.emit((state, detail))

    def call(self, fn: Callable[[], T], timeout_s: float) -> T:
        """Run ``fn`` on this device's thread and wait for it — for another *device*
        thread only (the card thread asking the PSAM); the UI thread must use ``submit``."""
        if QThread.currentThread() is self._loop:
            return fn()
        done = threading.Event()
        box: list[Any] = []

        def run() -> None:
            try:
                box.append(("ok", fn()))
            except BaseException as exc:  # handed back to the waiting thread
                box.append(("err", exc))
            finally:
                done.set()

        if self._stopped:
            raise WorkerStopped(detail=self.device)
        self._queue.put(run)
        if not done.wait(timeout_s):
            raise CardTimeout(detail=f"{self.device}: no answer within {timeout_s:g} s")
        kind, value = box[0]
        if kind == "err":
            raise value
        return value  # type: ignore[no-any-return]


class PsamProxy(KeyProvider):
    """A key provider for the card thread that runs every PSAM call on the PSAM thread."""

    def __init__(self, worker: DeviceWorker, provider: PsamKeyProvider, timeout_s: float) -> None:
        self._w = worker
        self._p = provider
        self._timeout = timeout_s

    def _on_psam(self, fn: Callable[[], T]) -> T:
        return self._w.call(fn, self._timeout)

    @property
    def alg(self) -> Alg:
        return self._on_psam(lambda: self._p.alg)

    def terminal_number(self) -> str:
        return self._on_psam(self._p.terminal_number)

    def _auth(self, ctx: CardKeyContext, key_id: int, factor8: bytes, orig8: bytes) -> bytes:
        return self._on_psam(lambda: self._p._auth(ctx, key_id, factor8, orig8))

    def mac(self, ctx: CardKeyContext, key_id: int, challenge8: bytes, message: bytes) -> bytes:
        return self._on_psam(lambda: self._p.mac(ctx, key_id, challenge8, message))

    def encrypt(self, ctx: CardKeyContext, key_id: int, challenge8: bytes, data: bytes) -> bytes:
        return self._on_psam(lambda: self._p.encrypt(ctx, key_id, challenge8, data))


class Workers(QObject):
    """The app's three device workers and the supervised PC/SC monitor."""

    card_inserted = Signal(str)  # reader name
    card_removed = Signal(str)
    readers_changed = Signal()
    _monitor_event = Signal(object)  # emitted on the monitor thread, delivered queued

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.card = DeviceWorker("card", self)
        self.psam = DeviceWorker("psam", self)
        self.printer = DeviceWorker("printer", self)
        # the redacted trace of the card reader: PINs never appear in it (tracer rules)
        self.tracer = Tracer()
        self._card_link: PcscTransport | None = None
        self._psam_link: PcscTransport | None = None
        self._psam_provider: PsamKeyProvider | None = None
        self._soft: KeyProvider | None = None
        self._printer_obj: Any = None
        self.readers: dict[str, bool] = {}  # reader -> card present (from the monitor)
        self._monitor_event.connect(self._on_monitor)
        self._monitor = CardMonitor(self._monitor_event.emit, poll_ms=250)
        self._probe = QTimer(self)
        self._probe.setInterval(PROBE_MS)
        self._probe.timeout.connect(self.probe_all)
        self._started = False

    def start(self) -> Workers:
        """Start watching: the monitor thread and the periodic probes."""
        if not self._started:
            self._started = True
            self._monitor.start()
            self._probe.start()
            self.probe_all()
        return self

    # -- device connections (each used only on its own worker's thread) ---------------------
    def card_link(self) -> PcscTransport:
        """The card reader connection; call only inside a job of ``self.card``."""
        if self._card_link is None:
            self._card_link = PcscTransport(
                self.settings.card_reader, timeout=self.settings.card_timeout, tracer=self.tracer
            )
        return self._card_link

    def psam_link(self) -> PcscTransport:
        """The PSAM reader connection; call only inside a job of ``self.psam``."""
        if self._psam_link is None:
            self._psam_link = PcscTransport(
                self.settings.psam_reader, timeout=self.settings.card_timeout
            )
        return self._psam_link

    def key_provider(self) -> KeyProvider:
        """The provider card jobs use: the soft key store of ``key_file`` (technicians,
        tests), else the PSAM through ``PsamProxy``."""
        if self.settings.key_file:
            if self._soft is None:
                from station.crypto.keys import load_keyset
                from station.crypto.provider import SoftKeyStore

                self._soft = SoftKeyStore(load_keyset(self.settings.key_file))
            return self._soft
        if self._psam_provider is None:
            # built here, used only on the PSAM thread (construction touches no device)
            self._psam_provider = PsamKeyProvider(self.psam_link())
        return PsamProxy(self.psam, self._psam_provider, self.settings.card_timeout * 4)

    def printer_device(self) -> Any:
        """The card printer connection; call only inside a job of ``self.printer``."""
        if self._printer_obj is None:
            from station.printer.evolis import EvolisPrinter

            t = self.settings.printer_timeout
            self._printer_obj = EvolisPrinter(
                self.settings.printer_url, timeout=t, move_timeout=t, reset_timeout=t
            )
        return self._printer_obj

    # -- state probes ---------------------------------------------------------------------
    @Slot()
    def probe_all(self) -> None:
        """Ask every idle device for its state (a busy device is reporting by working)."""
        if not self.card.busy:
            self.card.submit("probe", self._probe_card, on_error=self._probe_failed_card)
        if not self.psam.busy:
            self.psam.submit("probe", self._probe_psam, on_error=self._probe_failed_psam)
        if not self.printer.busy:
            self.printer.submit("probe", self._probe_printer, on_error=self._probe_failed_printer)

    def _reader_state(self, reader: str) -> tuple[DeviceState, str]:
        for st in reader_status():
            if st.name == reader:
                return (DeviceState.CARD_PRESENT if st.card_present else DeviceState.READY), ""
        return DeviceState.ABSENT, reader

    def _probe_card(self) -> None:
        self.card.report_state(*self._reader_state(self.settings.card_reader))

    def _probe_psam(self) -> None:
        self.psam.report_state(*self._reader_state(self.settings.psam_reader))

    def _probe_printer(self) -> None:
        printer = self.printer_device()
        try:
            status = printer.status()
        except StationError:
            printer._drop()  # reconnect on the next probe (the simulator may be back)
            raise
        if status.ready:
            self.printer.report_state(DeviceState.READY)
        else:
            # the detail names faults by their ActiveFault values; the status bar words them
            faults = list(status.faults)
            if status.cover_open:
                faults.append(ActiveFault.COVER_OPEN)
            if not status.feeder_loaded and status.position.value == "none":
                faults.append(ActiveFault.FEEDER_EMPTY)
            if status.ribbon_left <= 0:
                faults.append(ActiveFault.RIBBON_END)
            named = ",".join(dict.fromkeys(f.value for f in faults))
            self.printer.report_state(DeviceState.FAULT, named)

    def _probe_failed(self, worker: DeviceWorker, exc: StationError) -> None:
        from station.errors import PcscUnavailable

        if isinstance(exc, PcscUnavailable):
            worker._apply_state((DeviceState.SERVICE_DOWN, exc.message))
        else:
            worker._apply_state((DeviceState.ABSENT, exc.message))

    def _probe_failed_card(self, exc: StationError) -> None:
        self._probe_failed(self.card, exc)

    def _probe_failed_psam(self, exc: StationError) -> None:
        self._probe_failed(self.psam, exc)

    def _probe_failed_printer(self, exc: StationError) -> None:
        self._probe_failed(self.printer, exc)

    @Slot(object)
    def _on_monitor(self, event: MonitorEvent) -> None:
        s = self.settings
        if event.kind is Event.CARD_INSERTED:
            self.readers[event.reader] = True
            self.card_inserted.emit(event.reader)
        elif event.kind is Event.CARD_REMOVED:
            self.readers[event.reader] = False
            self.card_removed.emit(event.reader)
        elif event.kind is Event.READER_ADDED:
            self.readers.setdefault(event.reader, False)
            self.readers_changed.emit()
        elif event.kind is Event.READER_REMOVED:
            self.readers.pop(event.reader, None)
            self.readers_changed.emit()
        elif event.kind is Event.SERVICE_DOWN:
            self.readers.clear()
            self.readers_changed.emit()
        if event.reader in (s.card_reader, "") and not self.card.busy:
            self.card.submit("probe", self._probe_card, on_error=self._probe_failed_card)
        if event.reader in (s.psam_reader, "") and not self.psam.busy:
            self.psam.submit("probe", self._probe_psam, on_error=self._probe_failed_psam)

    def stop_all(self) -> None:
        """Stop probes, the monitor and every device thread; release the connections."""
        self._probe.stop()
        self._monitor.stop()
        for worker, close in (
            (self.card, self._close_card),
            (self.psam, self._close_psam),
            (self.printer, self._close_printer),
        ):
            worker.cancel_pending()
            worker.submit("close", close)
            worker.stop(drain=True)

    def _close_card(self) -> None:
        if self._card_link is not None:
            self._card_link.disconnect()

    def _close_psam(self) -> None:
        if self._psam_link is not None:
            self._psam_link.disconnect()

    def _close_printer(self) -> None:
        if self._printer_obj is not None:
            self._printer_obj._drop()


@dataclass
class UiContext:
    """What every screen gets: the settings read once, the device workers, who is signed
    in (``operator`` ``None`` = a technician working without one) and their role."""

    settings: Settings
    workers: Workers
    operator: str | None = None
    role: Role | None = None
    inventory: Any = None  # station.inventory.Inventory when a database is configured
    extras: dict[str, Any] = field(default_factory=dict)
