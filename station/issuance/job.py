"""The instant-issue job runner (即时制卡): drives the printer, the chip and the journal.

Why it is built like this:

* **Write-ahead, one step at a time.**  Every device step is announced in the journal
  (``Journal.advance`` with the intent step) before the device is touched and confirmed
  after it; the stock movement a step implies commits with its journal row.  A crash at any
  point leaves a last journal row that says how far the card got, and ``recover`` finishes
  from there.
* **Chip before face.**  The blank is identified by its chip (card number and card
  identification code must be a blank of *this teller's drawer* and of the applicant's
  bank), written, read back and given its initial PIN before any ribbon is spent.
* **Failures are booked, never hidden.**  Before the face is complete a failure ends the
  job FAILED with a ``WasteCause``: the blank is released when its chip holds no personal
  data (read again to know), spoiled otherwise, and the card goes to the reject box.  Once
  the face is complete the job becomes MAKEUP_PENDING (制卡补登): never a second print.
* **No Qt, no printing of text.**  The runner emits ``ProgressEvent``s through a callback;
  the CLI and the desktop show them.  Cancellation is honoured only at safe points.

The devices are passed in: a ``Printer`` (the simulator over TCP in tests), the PC/SC name
of the reader that is the printer's contact station, and a ``KeyProvider`` (PSAM or soft
key store).  Nothing here reads the environment.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from pathlib import Path

from station.apdu.pcsc import PcscTransport, wait_for_card
from station.card.personalise import PHOTO_MAX, WrongBlank, personalise
from station.card.pin import pin_tries, reset_pin
from station.card.reader import CardInfo, HolderAuth, read_card
from station.codecs.records import IssuerData
from station.crypto.keys import RK
from station.crypto.provider import KeyProvider
from station.errors import CardError, ReaderError, StationError
from station.inventory.service import Inventory
from station.issuance.application import Application
from station.issuance.contacts import CARD_WAIT, ContactStation
from station.issuance.journal import (
    ChipData,
    InventoryAction,
    Issue,
    JobInfo,
    JobInProgress,
    Journal,
    Release,
    Reserve,
    Spoil,
    Then,
)
from station.issuance.makeup import makeup
from station.issuance.outcome import (
    Cancelled,
    MakeupMismatch,
    NotReady,
    Outcome,
    StepFailed,
    cause_of,
    classify_chip,
    failure_detail,
    teller_drawer,
)
from station.issuance.progress import (
    MESSAGES,
    CancelToken,
    ProgressCallback,
    ProgressEvent,
    percent_of,
)
from station.issuance.readiness import check_printer, check_stock
from station.issuance.receipt import write_receipt
from station.issuance.states import BEFORE_FACE, FACE_DONE, JobState, Step, WasteCause
from station.printer.base import CardPosition, Printer
from station.printer.errors import (
    PrinterFault,
)
from station.printer.face import FaceData, FaceRenderer, RenderedFace
from station.profiles import CardProfile, PinInitial
from station.profiles.files import key_access

log = logging.getLogger("station.issuance")
S = JobState
EF08_FID = 0xEF08


class IssuanceJob:
    """Runs instant-issue jobs for one teller at one printer.

    ``card_reader``: the PC/SC reader of the printer's contact station.  ``profile``: the
    blank's card profile (face layout, PIN rule, validity).  ``holder_pin``: asked for the
    PIN when the holder keys it (else the profile's rule).  ``out_dir``: where faces and
    receipts go (none written when ``None``).
    """

    def __init__(
        self,
        journal: Journal,
        printer: Printer,
        card_reader: str,
        key_provider: KeyProvider,
        profile: CardProfile,
        operator: str,
        *,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        drawer: str | None = None,
        out_dir: Path | None = None,
        outlet: str = "",
        card_timeout: float = 5.0,
        holder_pin: Callable[[], str] | None = None,
    ) -> None:
        if profile.face is None:
            raise NotReady("卡片配置缺少卡面版式 (the card profile has no face layout)")
        self.journal = journal
        self.inv: Inventory = journal.inv
        self.printer = printer
        self.card_reader = card_reader
        self.provider = key_provider
        self.profile = profile
        self.renderer = FaceRenderer(profile.face)
        self.operator = operator
        self.progress = progress
        self.cancel = cancel or CancelToken()
        self._drawer = drawer
        self.out_dir = out_dir
        self.outlet = outlet
        self.card_timeout = card_timeout
        self.holder_pin = holder_pin
        self._t0 = time.monotonic()
        self._job_id = ""
        ef06 = profile.files.get(0xEF06)
        holder_auth = (
            HolderAuth.ALWAYS
            if ef06 is not None and ef06.read == key_access(RK)
            else HolderAuth.AUTO
        )
        # the chip under the contacts: arrival count, the link kept from identification
        # to the PIN and the chip last read on it
        self.contacts = ContactStation(card_reader, key_provider, card_timeout, holder_auth)

    # -- progress ---------------------------------------------------------------------
    def _emit(self, step: str) -> None:
        if self.progress is None:
            return
        zh, en = MESSAGES.get(step, (step, step))
        self.progress(
            ProgressEvent(self._job_id, step, percent_of(step), zh, en, time.monotonic() - self._t0)
        )

    def _advance(
        self,
        job_id: str,
        step: Step,
        *,
        detail: str = "",
        inventory_action: InventoryAction | None = None,
        then: tuple[Then, ...] = (),
    ) -> JobInfo:
        """One journal transaction: ``step`` and any ``then`` steps (``Journal.advance``)."""
        info = self.journal.advance(
            job_id,
            step,
            detail=detail,
            inventory_action=inventory_action,
            by=self.operator,
            then=then,
        )
        for s in (step, *(t.step for t in then)):
            self._emit(s.value)
        return info

    @property
    def drawer(self) -> str:
        if self._drawer is None:
            self._drawer = teller_drawer(self.inv, self.operator)
        return self._drawer

    # -- readiness --------------------------------------------------------------------
    def check_ready(self, application: Application, *, stock: bool = True) -> None:
        """Refuse to start a job the printer or the stock cannot finish (never feed and
        hope): faults, cover, ribbon, feeder, reject box, the day's count, a blank of the
        applicant's bank in the teller's drawer (``stock=False``: the caller checks the
        stock itself — ``run`` does, in the transaction that creates the job)."""
        self._emit("check")
        check_printer(self.printer)
        try:  # the last card's chip must be gone from the reader before the next arrives
            wait_for_card(self.card_reader, CARD_WAIT, present=False)
        except ReaderError as exc:
            raise NotReady(
                "芯片位读卡器仍有卡 (the contact station's reader still sees a card)",
                detail=exc.detail,
            ) from None
        if stock:
            check_stock(self.inv, self.drawer, application.bank)

    # -- the run ----------------------------------------------------------------------
    def run(self, application: Application) -> Outcome:
        """Issue one card for ``application``.  Refusals before anything is fed raise
        (``NotReady``, ``AlreadyIssued``/``JobInProgress``, ``Cancelled``); a device fault
        after that ends the job FAILED or MAKEUP_PENDING and is returned in ``Outcome``."""
        self._t0 = time.monotonic()
        self._job_id = ""
        self.check_ready(application, stock=False)
        job = self._create(application)
        self._job_id = job.job_id
        if self.cancel.cancelled:  # safe point: nothing fed yet
            self.journal.advance(job.job_id, Step.CANCEL, by=self.operator, detail="teller")
            self._emit(Step.CANCEL.value)
            raise Cancelled(detail=job.job_id)
        # the job was made from this very application (or ``_create`` matched it)
        return self._continue(job, application)

    def _create(self, application: Application) -> JobInfo:
        """A new job, or the application's job still CREATED (a run that stopped before
        feeding: recovery's "ready")."""
        drawer = self.drawer

        def stock(_s: object) -> None:  # joins the create's transaction (Inventory.read)
            check_stock(self.inv, drawer, application.bank)

        try:
            return self.journal.create(application, self.operator, precheck=stock)
        except JobInProgress:
            for j in self.journal.jobs(application_id=application.application_id):
                if j.state is S.CREATED and self.journal.matches(j.job_id, application):
                    return j
            raise

    def continue_job(self, job_id: str, application: Application) -> Outcome:
        """Drive ``job_id`` from its journal state to the end (a new job starts at
        CREATED; recovery resumes one whose card is still at the contacts)."""
        self._job_id = job_id
        if not self.journal.matches(job_id, application):
            raise MakeupMismatch(
                "申请与任务不符 (the application is not the one the job was made for)",
                detail=job_id,
            )
        return self._continue(self.journal.job(job_id), application)

    def _continue(self, info: JobInfo, application: Application) -> Outcome:
        job_id = self._job_id = info.job_id
        try:
            info = self._drive(info, application)
        except StepFailed as f:
            self.contacts.drop()  # the failure path reads the chip on a link of its own
            return self._fail(job_id, f.error, f.cause)
        finally:
            self.contacts.drop()
        face = self._face_path(job_id)
        receipt = self._receipt(info)
        self._emit("done")
        return Outcome(info, None, receipt, face if face and face.exists() else None)

    def _drive(self, info: JobInfo, app: Application) -> JobInfo:
        """From the journal state to COMPLETED.  Where no device action lies between a
        result and the next intent (or between results) they share one transaction
        (``then``); an intent state met on resume (PRINTING, EJECTING) is never acted on
        here again: recovery decides those."""
        jid = info.job_id
        if info.state is S.CREATED:
            info = self._device(jid, Step.FEED, self._to_contacts, WasteCause.JAM)
        if info.state is S.FEEDING:  # fed now, or recovery: the card is at the contacts
            info = self._advance(jid, Step.AT_CONTACTS)
        if info.state is S.AT_CONTACTS:
            info = self._identify_and_reserve(info, app)  # RESERVE + WRITE intent
        elif info.state is S.RESERVED:
            self._render(info, app)
            info = self._advance(jid, Step.WRITE)
        if info.state is S.WRITING:
            info = self._write(info, app)
        if info.state is S.WRITTEN:
            info = self._set_pin(info, app)  # SET_PIN + PRINT intent
            info = self._print(info, app)
        elif info.state is S.PIN_SET:
            self._render(info, app)
            info = self._print(self._advance(jid, Step.PRINT), app)
        elif info.state is S.PRINTED:
            info = self._eject(self._advance(jid, Step.EJECT))
        elif info.state is S.EJECTED:
            info = self._issue(info)
        elif info.state is S.ISSUED:
            info = self._advance(jid, Step.REGISTER)
        return info

    _atr_hist: bytes = b""

    def _device(
        self, job_id: str, step: Step, action: Callable[[], None], cause: WasteCause
    ) -> JobInfo:
        """An intent row, the device action, and the result row the table names next."""
        info = self._advance(job_id, step)
        try:
            action()
        except PrinterFault as exc:
            raise StepFailed(exc, cause_of(exc, cause)) from None
        return info

    def _to_contacts(self) -> None:
        """Move the card to the contact station, pcscd's card-event count noted first
        (``ContactStation.note_arrival``: a connect must reach the card that arrives)."""
        self.contacts.note_arrival()
        self.printer.to_contacts()

    def _identify_and_reserve(self, info: JobInfo, app: Application) -> JobInfo:
        self._emit("identify")
        try:
            chip = self.contacts.identify_read(self.card_reader, keep=True)
        except (CardError, ReaderError) as exc:
            raise StepFailed(exc, WasteCause.DAMAGED_BLANK) from None
        self._atr_hist = chip.historical
        number = chip.card_number.strip().upper()
        if not number or not chip.issuer.card_id_code:
            raise StepFailed(
                StationError(
                    "芯片未写入卡号或卡识别码，不是本站预制卡 (the chip names no blank)",
                    detail="EF05 card number / card id code missing",
                ),
                WasteCause.WRONG_BLANK,
            )
        if not chip.blank and (chip.holder is None or chip.holder != app.holder):
            wrong = WrongBlank(detail=f"{number}: the chip holds another person's data")
            self._refuse(info.job_id, wrong)
            raise StepFailed(wrong, WasteCause.WRONG_BLANK)
        # the face before the blank is booked: bad face input fails the job before the
        # chip is touched, and the WRITE intent can commit with the RESERVE
        self._render(info, app, card_number=number)
        try:
            return self._advance(
                info.job_id,
                Step.RESERVE,
                # the stock book checks, in this transaction, that the chip's number and
                # card id code name one blank of this teller's drawer and the right bank
                inventory_action=Reserve(
                    number, location=self.drawer, card_id_code=chip.issuer.card_id_code
                ),
                detail=f"chip {number}",
                then=(Then(Step.WRITE),),
            )
        except StationError as exc:  # the journal booked a ``refused`` row
            raise StepFailed(exc, WasteCause.WRONG_BLANK) from None

    def _refuse(self, job_id: str, exc: StationError) -> None:
        """Book why a blank was refused, with a RESERVE the stock book turns down."""
        self.journal.refuse(job_id, Step.RESERVE, exc, by=self.operator)

    def _issuer(self) -> IssuerData:
        today = self.inv.today()
        years = self.profile.blanks.validity_years
        try:
            expiry = today.replace(year=today.year + years)
        except ValueError:  # 29 February
            expiry = today.replace(year=today.year + years, day=28)
        return IssuerData(issue_date=today, expiry=expiry)

    def _chip_photo(self, app: Application) -> bytes | None:
        has_ef08 = EF08_FID in self.profile.files
        if app.photo is not None and has_ef08 and len(app.photo) <= PHOTO_MAX:
            return app.photo
        return None

    def _write(self, info: JobInfo, app: Application) -> JobInfo:
        """Write and read back (the WRITE intent is committed: state WRITING).  On the
        identification link the chip just read (genuineness checked) is not read again;
        the read-back compares everything written."""
        jid = info.job_id
        with self.contacts.card() as card:
            try:
                back = personalise(
                    card,
                    self.provider,
                    app.holder,
                    issuer=self._issuer(),
                    photo=self._chip_photo(app),
                    check_genuineness=True,
                    current=self.contacts.chip if self.contacts.kept(card) else None,
                )
            except WrongBlank as exc:
                raise StepFailed(exc, WasteCause.WRONG_BLANK) from None
            except (CardError, ReaderError) as exc:
                raise StepFailed(exc, WasteCause.CHIP_WRITE_FAULT) from None
            self._atr_hist = back.historical
            if self.contacts.kept(card):
                self.contacts.chip = back
        if back.card_number.strip().upper() != info.card_number or back.holder != app.holder:
            raise StepFailed(
                StationError("回读数据与申请不符 (read-back differs from the application)"),
                WasteCause.CHIP_WRITE_FAULT,
            )
        return self._advance(jid, Step.WRITTEN, detail=f"chip {info.card_number} read back")

    def _set_pin(self, info: JobInfo, app: Application) -> JobInfo:
        """The initial PIN: keyed by the holder, else the profile's rule (the factory PIN
        stays; or the last six of the SSN).  The PIN is never logged or shown."""
        rule = self.profile.pin.initial
        self._render(info, app)  # the PRINT intent commits with SET_PIN: the face is ready
        with self.contacts.card() as card:
            try:
                # on the write's link the read-back just made is the chip: not read again
                chip = self.contacts.chip if self.contacts.kept(card) else None
                if chip is None:
                    chip = read_card(card, self.provider)
                self._atr_hist = chip.historical
                if self.holder_pin is not None:
                    pin = self.holder_pin()
                    reset_pin(card, self.provider, chip.key_context, pin, pin, ssn=app.holder.ssn)
                    how = "holder"
                elif rule is PinInitial.LAST6_SSN:
                    pin = app.holder.ssn[-6:].replace("X", "0")
                    reset_pin(card, self.provider, chip.key_context, pin, pin)
                    how = rule.value
                else:
                    state = pin_tries(card)
                    if state.blocked:
                        raise CardError("初始密码已锁定 (the initial PIN is blocked)")
                    how = rule.value
            except (CardError, ReaderError) as exc:
                raise StepFailed(exc, WasteCause.CHIP_WRITE_FAULT) from None
        self.contacts.drop()  # the printer moves the card next
        return self._advance(
            info.job_id, Step.SET_PIN, detail=f"initial PIN: {how}", then=(Then(Step.PRINT),)
        )

    def _face_path(self, job_id: str) -> Path | None:
        return None if self.out_dir is None else self.out_dir / "faces" / f"{job_id}.png"

    def _render(
        self, info: JobInfo, app: Application, *, card_number: str | None = None
    ) -> RenderedFace:
        """The job's face, rendered once per job and card (the check before the chip is
        written and the print use the same picture; a resumed job renders again).
        ``card_number``: the blank's, before the journal has booked it."""
        from station.printer.errors import FaceError

        number = card_number or info.card_number
        assert number is not None
        today = self.inv.today()
        key = (info.job_id, number, today)
        if self._rendered is not None and self._rendered[0] == key:
            return self._rendered[1]
        data = FaceData(
            name=app.holder.name,
            ssn=app.holder.ssn,
            card_number=number,
            issue_date=today,
            photo=app.photo,
            glyphs=dict(app.glyphs),
            birth_date=app.holder.birth_date,
        )
        try:
            rendered = self.renderer.render(data)
        except FaceError as exc:
            raise StepFailed(exc, WasteCause.PRINT_FAULT) from None
        path = self._face_path(info.job_id)
        if path is not None:
            from station.fsutil import ensure_dir, write_image

            ensure_dir(path.parent, refuse_symlink=True)
            write_image(path, rendered.preview)
        self._rendered = (key, rendered)
        return rendered

    _rendered: tuple[tuple[str, str, dt.date], RenderedFace] | None = None

    def _print(self, info: JobInfo, app: Application) -> JobInfo:
        """Print (the PRINT intent is committed: state PRINTING), then PRINTED, the EJECT
        intent, eject, and book the card."""
        panels = self._render(info, app).panels
        try:
            self.printer.to_print()
            self.printer.print_panels(panels)
        except PrinterFault as exc:
            raise StepFailed(exc, cause_of(exc, WasteCause.PRINT_FAULT)) from None
        # PRINTED commits on its own: its progress event means "the face is done and the
        # card not yet ejected" (make-up after a crash there is what the teller's tests
        # rely on); the EJECT intent follows in its own transaction
        self._advance(info.job_id, Step.PRINTED)
        return self._eject(self._advance(info.job_id, Step.EJECT))

    def _eject(self, info: JobInfo) -> JobInfo:
        """Eject (the EJECT intent is committed: state EJECTING), then EJECTED, ISSUE and
        REGISTER in one transaction: no device acts between them."""
        try:
            self.printer.eject()
        except PrinterFault as exc:
            raise StepFailed(exc, cause_of(exc, WasteCause.JAM)) from None
        return self._issue(info, ejected=True)

    def _issue(self, info: JobInfo, *, ejected: bool = False) -> JobInfo:
        """ISSUE (the card's chip data) and REGISTER, after EJECTED when ``ejected``."""
        assert info.card_number is not None and info.card_id_code is not None
        chip = ChipData(info.card_number, info.card_id_code, self._atr_hist)
        steps = (Then(Step.ISSUE, inventory_action=Issue(chip)), Then(Step.REGISTER))
        if ejected:
            return self._advance(info.job_id, Step.EJECTED, then=steps)
        first, *rest = steps
        return self._advance(
            info.job_id, first.step, inventory_action=first.inventory_action, then=tuple(rest)
        )

    # -- failure ----------------------------------------------------------------------
    def _read_chip_quietly(self) -> CardInfo | None:
        """The chip at the contacts, if a card is there and answers (else ``None``)."""
        try:
            if self.printer.position() is not CardPosition.CONTACT:
                return None
            self.contacts.wait_arrival(self.card_reader, 1.0)
            with PcscTransport(self.card_reader, timeout=self.card_timeout) as t:
                return read_card(t, self.provider)
        except StationError:
            return None

    def _fail(self, job_id: str, error: StationError, cause: WasteCause) -> Outcome:
        """Book the failure by the journal state; then get the card to the reject box."""
        info = self.journal.job(job_id)
        state = info.state
        if state in FACE_DONE:
            info = self.journal.advance(
                job_id, Step.MAKEUP_NEEDED, by=self.operator, detail=failure_detail(error)
            )
            self._emit("makeup")
            return Outcome(info, error)
        self._settle_printer()
        action: Release | Spoil
        if state in (S.CREATED, S.FEEDING, S.AT_CONTACTS, S.RESERVED):
            action = Release(cause)
        elif state is S.PRINTING:
            action = Spoil(cause)
        else:  # WRITING, WRITTEN, PIN_SET: personal data may be on the chip
            chip = self._read_chip_quietly()
            untouched = chip is not None and chip.blank and state is S.WRITING
            action = Release(cause) if untouched else Spoil(cause)
        if state in BEFORE_FACE or state is S.PRINTING:
            info = self.journal.advance(
                job_id,
                Step.FAIL,
                inventory_action=action,
                by=self.operator,
                detail=failure_detail(error),
            )
        self._reject_card()
        self._emit("failed")
        return Outcome(info, error)

    def _settle_printer(self) -> None:
        """After a power loss the printer refuses moves until reset: reset it.  The failure
        path's best effort, so unlike ``readiness.settled_position`` any fault of the
        position query is followed by a reset, and nothing raises."""
        try:
            self.printer.position()
            if getattr(self.printer, "settings_applied", True):
                return
        except PrinterFault:
            pass
        try:
            self.printer.reset()
        except PrinterFault:
            pass

    def _reject_card(self) -> None:
        try:
            if self.printer.position() is not CardPosition.NONE:
                self.printer.reject()
        except PrinterFault:
            pass  # jammed: the teller clears it and finds the card in the printer

    # -- make-up (制卡补登) and the receipt ----------------------------------------------
    def makeup(self, job_id: str, application: Application, reader: str | None = None) -> Outcome:
        """Finish a job whose face is printed: re-read the chip (at the contacts, or in
        ``reader``), compare it with the application, write only what is missing, book
        ISSUED and register.  Never prints.  (``station.issuance.makeup``.)"""
        return makeup(self, job_id, application, reader)

    def _receipt(self, info: JobInfo) -> Path | None:
        path = write_receipt(self.out_dir, self.outlet, info)
        if path is not None:
            self._emit("receipt")
        return path


__all__ = [
    "Cancelled",
    "IssuanceJob",
    "MakeupMismatch",
    "NotReady",
    "Outcome",
    "cause_of",
    "classify_chip",
    "teller_drawer",
]
