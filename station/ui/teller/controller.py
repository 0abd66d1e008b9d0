"""The teller's issuance as logic without a window: readiness, issue, failure, make-up,
recovery at sign-in, the day's count and the face preview.

Threads: the job drives the chip at the printer's contact station, so it runs as one job on
the **card** worker (which gives up its own reader connection first).  Every printer call
the job makes is forwarded to the **printer** worker (``PrinterProxy``), and every PSAM
call to the PSAM worker (``Workers.key_provider``), so each device is still touched by one
thread.  Stock-book queries run on the database worker; the face preview and the photo crop
on a worker of their own.  The UI thread only receives results: progress events cross
threads through a signal of a bridge object, never a lambda.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from station.codecs.validators import card_number_check
from station.errors import StationError
from station.inventory import State
from station.issuance.application import Application
from station.issuance.job import IssuanceJob, Outcome, teller_drawer
from station.issuance.journal import JobInfo, Journal
from station.issuance.progress import CancelToken, ProgressEvent
from station.issuance.states import JobState
from station.printer.base import ActiveFault, CardPosition
from station.ui.teller import form_logic
from station.ui.workers import DeviceWorker, UiContext

log = logging.getLogger("station.ui.teller")
T = TypeVar("T")
S = JobState
# the preview shows where the card number goes; the real one is known after the chip is read
SAMPLE_CARD = "A0000000" + card_number_check("A0000000")


class PrinterProxy:
    """The printer as the job sees it, every call run on the printer worker's thread.

    Why: the printer worker owns the link (its status probes share it); the job runs on the
    card thread.  Attributes are read and methods called there, each with a deadline above
    the printer's own move deadlines, so a silent printer ends in a typed error."""

    def __init__(self, worker: DeviceWorker, device: Callable[[], Any], timeout_s: float) -> None:
        self._worker = worker
        self._device = device
        self._timeout = timeout_s

    def __getattr__(self, name: str) -> Any:
        value = self._worker.call(lambda: getattr(self._device(), name), self._timeout)
        if not callable(value):
            return value

        def forward(*args: Any, **kw: Any) -> Any:
            return self._worker.call(lambda: value(*args, **kw), self._timeout)

        return forward


@dataclass(frozen=True)
class PrinterReadiness:
    known: bool  # False: the printer did not answer
    ready: bool
    ribbon_left: int
    faults: str  # words of the standing faults (data)


@dataclass(frozen=True)
class StockReadiness:
    drawer: str
    banks: dict[str, int]  # blanks in the drawer per bank
    count_done: bool
    problem: str = ""  # why issuance is refused at this drawer (data), or ""


@dataclass(frozen=True)
class Failure:
    """What the failure dialog says: what happened, where the card is, what to do."""

    outcome: Outcome | None
    error: StationError
    position: str | None  # CardPosition value, None when the printer did not answer
    application: Application | None
    blank_state: State | None = None
    jammed: bool = False  # the printer reports a jam: the card comes out by hand
    desk_reader: str = ""  # the desktop reader at the counter (settings), "" = none


@dataclass
class Unfinished:
    job: JobInfo
    why: str = ""  # the recovery decision in words
    action: str = ""  # recovery.Action value
    out_of_printer: bool = False  # the printer has no card: a make-up needs the desk reader


@dataclass
class Recovery:
    """One job after ``recover``: as booked, the note, whether make-up is still owed."""

    job: JobInfo
    note: str
    needs_reader: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class _Bridge(QObject):
    """Emitted on the card thread; delivered queued to the controller's slot."""

    happened = Signal(object)


class TellerController(QObject):
    progress = Signal(object)  # ProgressEvent
    printer_ready = Signal(object)  # PrinterReadiness
    stock_ready = Signal(object)  # StockReadiness
    issued = Signal(object)  # Outcome (COMPLETED)
    failed = Signal(object)  # Failure (FAILED / MAKEUP_PENDING / refused before feeding)
    unfinished = Signal(list)  # [Unfinished]
    unfinished_problem = Signal(str)  # why an unfinished job's make-up cannot start (core words)
    recovered = Signal(list)  # [Recovery]
    day = Signal(object)  # DayReport
    face = Signal(object)  # QImage
    face_problem = Signal(str)
    photo = Signal(object)  # bytes (cropped JPEG)
    photo_problem = Signal(str)
    busy_changed = Signal(bool)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = ctx.settings
        self.operator = ctx.operator or ""
        self.inv = ctx.inventory
        self.journal = Journal(self.inv, station=self.settings.station_id)
        db = ctx.extras.get("database")
        self._own: list[DeviceWorker] = []
        if not isinstance(db, DeviceWorker):
            db = DeviceWorker("database", self)
            self._own.append(db)
        self.db = db
        self.media = DeviceWorker("media", self)  # face preview, photo crop
        self._own.append(self.media)
        self._bridge = _Bridge(self)
        self._bridge.happened.connect(self._on_event)
        self._runner: IssuanceJob | None = None
        self._cancel = CancelToken()
        self._face_gen = 0
        self._face_out = False
        self._face_next: Callable[[], QImage] | None = None
        self.running = False
        self.kept_dir = Path(self.settings.data_dir) / "applications"
        self.out_dir = Path(self.settings.data_dir) / "issuance"

    # -- plumbing -----------------------------------------------------------------------
    def _alive(self) -> bool:
        return shiboken6.isValid(self)

    def _set_running(self, on: bool) -> None:
        self.running = on
        self.busy_changed.emit(on)

    def runner(self) -> IssuanceJob:
        """The job runner (built once, on the card thread: profile and fonts load here)."""
        if self._runner is None:
            from station.profiles import load_card_profile

            w = self.ctx.workers
            profile = load_card_profile(
                self.settings.blank_profile, self.settings.profiles_dir or None
            )
            printer = PrinterProxy(w.printer, w.printer_device, self._printer_deadline())
            self._runner = IssuanceJob(
                self.journal,
                printer,  # type: ignore[arg-type]
                self.settings.card_reader,
                w.key_provider(),
                profile,
                self.operator,
                progress=self._bridge.happened.emit,
                out_dir=self.out_dir,
                outlet=self.settings.outlet,
                card_timeout=self.settings.card_timeout,
            )
        return self._runner

    def _on_card(
        self,
        name: str,
        fn: Callable[[], T],
        done: Callable[[T], None],
        error: Callable[[StationError], None],
    ) -> None:
        """A job on the card worker: the worker's own reader link is let go first (the
        job opens the contact station's reader itself)."""

        def work() -> T:
            self.ctx.workers._close_card()
            try:  # the probes only ask the status: moves need the safety settings applied
                self.ctx.workers.printer.call(self._open_printer, self._printer_deadline())
            except StationError as exc:  # the job's readiness check says it in words
                log.info("printer not opened: %s", exc.message)
            return fn()

        self.ctx.workers.card.submit(name, work, done, error)

    def _printer_deadline(self) -> float:
        return max(60.0, 6 * self.settings.printer_timeout)

    def _open_printer(self) -> None:
        device = self.ctx.workers.printer_device()
        if not getattr(device, "settings_applied", True):
            device.open()

    @Slot(object)
    def _on_event(self, event: ProgressEvent) -> None:
        self.progress.emit(event)

    # -- readiness ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Readiness (printer, drawer stock, daily count) and the day's count."""
        w = self.ctx.workers
        w.printer.submit(
            "teller readiness", self._printer_status, self._printer_done, self._printer_silent
        )
        self.db.submit("teller stock", self._stock, self._stock_done, self._stock_failed)
        self.db.submit("teller day", self.journal.day_report, self._day_done, self._quiet)

    def _printer_status(self) -> PrinterReadiness:
        st = self.ctx.workers.printer_device().status()
        words = [f.value for f in st.faults]
        if st.cover_open:
            words.append("cover_open")
        if not st.feeder_loaded:
            words.append("feeder_empty")
        return PrinterReadiness(True, st.ready, st.ribbon_left, ", ".join(words))

    def _printer_done(self, r: PrinterReadiness) -> None:
        if self._alive():
            self.printer_ready.emit(r)

    def _printer_silent(self, exc: StationError) -> None:
        if self._alive():
            self.printer_ready.emit(PrinterReadiness(False, False, 0, exc.message))

    def _stock(self) -> StockReadiness:
        from station.inventory import custody
        from station.inventory.errors import CountRequired, InventoryError

        try:
            drawer = teller_drawer(self.inv, self.operator)
        except StationError as exc:
            return StockReadiness("", {}, False, exc.message)
        banks: dict[str, int] = {}
        for b in self.inv.blanks(location=drawer, state=State.IN_DRAWER):
            banks[b.bank] = banks.get(b.bank, 0) + 1
        try:
            self.inv.read(lambda s: custody.check_issuance(self.inv, s, drawer))
        except CountRequired as exc:
            return StockReadiness(drawer, banks, False, exc.message)
        except InventoryError as exc:
            return StockReadiness(drawer, banks, True, exc.message)
        return StockReadiness(drawer, banks, True)

    def _stock_done(self, r: StockReadiness) -> None:
        if self._alive():
            self.stock_ready.emit(r)

    def _stock_failed(self, exc: StationError) -> None:
        if self._alive():
            self.stock_ready.emit(StockReadiness("", {}, False, exc.message))

    def _day_done(self, report: Any) -> None:
        if self._alive():
            self.day.emit(report)

    def _quiet(self, exc: StationError) -> None:
        log.warning("teller query failed: %s", exc.message)

    # -- the face preview ---------------------------------------------------------------
    def preview(self, app: Application) -> None:
        """Render the face for ``app`` off the UI thread; only the latest request counts
        (a render in flight is followed by the newest one, never by a queue)."""
        self._face_gen += 1
        self._face_next = partial(self._render, app)
        if not self._face_out:
            self._next_face()

    def _next_face(self) -> None:
        fn, self._face_next = self._face_next, None
        if fn is None:
            return
        self._face_out = True
        self.media.submit(
            "face",
            fn,
            partial(self._face_done, self._face_gen),
            partial(self._face_failed, self._face_gen),
        )

    def _render(self, app: Application) -> QImage:
        import io

        from station.printer.face import FaceData, FaceRenderer
        from station.profiles import load_card_profile

        if not hasattr(self, "_renderer"):
            profile = load_card_profile(
                self.settings.blank_profile, self.settings.profiles_dir or None
            )
            self._renderer = FaceRenderer(profile.face)
        data = FaceData(
            name=app.holder.name,
            ssn=app.holder.ssn,
            card_number=SAMPLE_CARD,
            issue_date=dt.date.today(),
            photo=app.photo,
            glyphs=dict(app.glyphs),
            birth_date=app.holder.birth_date,
        )
        img = self._renderer.render(data).preview
        buf = io.BytesIO()
        img.save(buf, "PNG")
        return QImage.fromData(buf.getvalue())

    def _face_done(self, gen: int, image: QImage) -> None:
        if not self._alive():
            return
        self._face_out = False
        if gen == self._face_gen:
            self.face.emit(image)
        self._next_face()

    def _face_failed(self, gen: int, exc: StationError) -> None:
        if not self._alive():
            return
        self._face_out = False
        if gen == self._face_gen:
            self.face_problem.emit(exc.message)
        self._next_face()

    def crop_photo(self, path: Path) -> None:
        self.media.submit(
            "photo", partial(form_logic.photo_from_file, path), self._photo_done, self._photo_failed
        )

    def _photo_done(self, data: bytes) -> None:
        if self._alive():
            self.photo.emit(data)

    def _photo_failed(self, exc: StationError) -> None:
        if self._alive():
            self.photo_problem.emit(exc.message)

    # -- issue --------------------------------------------------------------------------
    def issue(self, app: Application) -> None:
        """Issue one card for ``app`` (a retry after a failure is the same call: the
        journal links the new job to the failed one)."""
        if self.running:
            return
        self._set_running(True)
        self._cancel = CancelToken()
        token = self._cancel

        def work() -> Outcome:
            form_logic.keep_application(self.kept_dir, app)
            runner = self.runner()
            runner.cancel = token
            out = runner.run(app)
            if out.ok:
                form_logic.forget_application(self.kept_dir, app.application_id)
            return out

        self._on_card("issue", work, partial(self._issue_done, app), partial(self._refused, app))

    def cancel(self) -> None:
        """Honoured at the job's safe points only (before feeding)."""
        self._cancel.cancel()

    def _issue_done(self, app: Application, out: Outcome) -> None:
        if not self._alive():
            return
        self._set_running(False)
        if out.ok:
            self.issued.emit(out)
            self.refresh()
            return
        self._where(out, app, out.error or StationError("制卡未完成 (the job did not complete)"))

    def _refused(self, app: Application, exc: StationError) -> None:
        if not self._alive():
            return
        self._set_running(False)
        self.failed.emit(Failure(None, exc, "none", app))
        self.refresh()

    def _where(self, out: Outcome, app: Application, error: StationError) -> None:
        """Ask the printer where the card is, then tell the teller."""

        def ask() -> tuple[str | None, bool]:
            device = self.ctx.workers.printer_device()
            try:
                st = device.status()
                return st.position.value, ActiveFault.JAM in st.faults
            except StationError:
                pass
            try:  # a status query refused: the position alone still says where
                return device.position().value, False
            except StationError:
                return None, False

        def blank() -> State | None:
            number = out.job.card_number
            return None if number is None else self.inv.blank(number).state

        def told(where: tuple[str | None, bool]) -> None:
            pos, jammed = where
            self.db.submit(
                "blank state",
                blank,
                partial(self._told, out, app, error, pos, jammed),
                partial(self._told_unknown, out, app, error, pos, jammed),
            )

        self.ctx.workers.printer.submit(
            "where is the card",
            ask,
            told,
            partial(self._told_unknown, out, app, error, None, False),
        )

    def _told(
        self,
        out: Outcome,
        app: Application,
        error: StationError,
        pos: str | None,
        jammed: bool,
        state: State | None,
    ) -> None:
        if self._alive():
            desk = self.settings.desk_reader
            self.failed.emit(Failure(out, error, pos, app, state, jammed, desk))
            self.refresh()

    def _told_unknown(
        self,
        out: Outcome,
        app: Application,
        error: StationError,
        pos: str | None,
        jammed: bool,
        _exc: StationError,
    ) -> None:
        self._told(out, app, error, pos, jammed, None)

    # -- make-up and recovery -------------------------------------------------------------
    def makeup(self, job_id: str, app: Application, reader: str | None = None) -> None:
        """制卡补登: re-read the chip (in the printer, or in ``reader``), finish, never print."""
        if self.running:
            return
        self._set_running(True)

        def work() -> Outcome:
            out = self.runner().makeup(job_id, app, reader=reader)
            if out.ok:
                form_logic.forget_application(self.kept_dir, app.application_id)
            return out

        self._on_card(
            "make-up",
            work,
            partial(self._issue_done, app),
            partial(self._makeup_refused, job_id, app),
        )

    def _makeup_refused(self, job_id: str, app: Application, exc: StationError) -> None:
        """A refused make-up (a jam, the cover open, the wrong card) leaves the job as it
        was — printed, make-up still owed: the failure says so, and where the printer has
        the card, never "no card was fed"."""
        if not self._alive():
            return
        self._set_running(False)

        def job() -> Outcome:
            return Outcome(self.journal.job(job_id), exc)

        self.db.submit(
            "job after make-up",
            job,
            partial(self._job_refused, app, exc),
            partial(self._refused, app),
        )

    def _job_refused(self, app: Application, exc: StationError, out: Outcome) -> None:
        if self._alive():
            self._where(out, app, exc)

    def makeup_unfinished(self, job: JobInfo) -> None:
        """制卡补登 of an unfinished job found at sign-in whose printed card is out of the
        printer: its kept application, then the make-up in the desktop reader."""
        if self.running:
            return
        reader = self.settings.desk_reader
        if not reader:  # the screen offers no such make-up; said all the same
            self.unfinished_problem.emit(
                "未设置桌面读卡器，请在“设置”中填写 (no desktop reader is set: set one in Settings)"
            )
            return

        def kept() -> Application:
            app = self.application_of(job.application_id)
            if app is None:
                raise StationError(
                    "申请未保存在本机，请用命令 station makeup 补登 "
                    "(the application is not kept here: make up with station makeup)",
                    detail=job.application_id,
                )
            return app

        def got(app: Application) -> None:
            if self._alive():
                self.makeup(job.job_id, app, reader=reader)

        self.db.submit("kept application", kept, got, self._unfinished_refused)

    def _unfinished_refused(self, exc: StationError) -> None:
        if self._alive():
            self.unfinished_problem.emit(exc.message)

    def application_of(self, application_id: str) -> Application | None:
        try:
            return form_logic.kept_application(self.kept_dir, application_id)
        except StationError:
            return None

    def load_unfinished(self) -> None:
        """At sign-in: this station's unfinished jobs and what recovery would do."""
        from station.issuance.recover import chip_finding, printer_position
        from station.issuance.recovery import decide

        def work() -> list[Unfinished]:
            jobs = self.journal.jobs(unfinished=True)
            if not jobs:
                return []
            runner = self.runner()
            position = printer_position(runner)
            out = []
            empty = position is CardPosition.NONE
            for job in jobs:
                d = decide(job.state, position, chip_finding(runner, job, position))
                out.append(Unfinished(job, d.why, d.action.value, empty))
            return out

        self._on_card("unfinished jobs", work, self._unfinished_done, self._recover_failed)

    def _unfinished_done(self, jobs: list[Unfinished]) -> None:
        if self._alive():
            self.unfinished.emit(jobs)

    def recover(self) -> None:
        """Finish every unfinished job as the recovery table decides (kept applications
        let it resume, make up and retry without the teller typing again)."""
        from station.issuance.recover import recover

        if self.running:
            return
        self._set_running(True)

        def work() -> list[Recovery]:
            runner = self.runner()
            apps: dict[str, Application] = {}
            for job in self.journal.jobs(unfinished=True):
                app = self.application_of(job.application_id)
                if app is not None:
                    apps[job.application_id] = app
            done = []
            for r in recover(runner, apps):
                job = r.retry.job if r.retry is not None else r.job
                if job.state is S.COMPLETED:
                    form_logic.forget_application(self.kept_dir, job.application_id)
                done.append(Recovery(job, r.note, job.state is S.MAKEUP_PENDING))
            return done

        self._on_card("recover", work, self._recover_done, self._recover_failed)

    def _recover_done(self, done: list[Recovery]) -> None:
        if not self._alive():
            return
        self._set_running(False)
        self.recovered.emit(done)
        self.refresh()

    def _recover_failed(self, exc: StationError) -> None:
        if not self._alive():
            return
        self._set_running(False)
        self.failed.emit(Failure(None, exc, None, None))

    def shutdown(self) -> None:
        for w in self._own:
            w.stop()
        self._own.clear()
