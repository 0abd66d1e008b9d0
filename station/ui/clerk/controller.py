"""The clerk's PIN services as logic without a window: read, change, unlock, reset,
receipts and the services of the day.

Every card exchange is a job on the card worker (``ctx.workers.card``); this object only
keeps what came back and says so through signals.  The service functions of
``station.card.pin`` check genuineness themselves; the weak-PIN rules are theirs too —
``weak_reason`` asks the same function while the clerk types, so the screen and the card
service can never disagree.  PINs arrive only as ``PinEntry`` objects (on-screen fields or a
PIN pad): a service takes their digits (clearing them) at once, even when it is refused;
the digits then live only in the arguments of one job and are never stored here, logged,
or put into an error text.
"""

from __future__ import annotations

import datetime as _dt
import enum
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from station.apdu.pcsc import wait_for_card
from station.apdu.status import PinBlocked, PinWrong
from station.card import pin as P
from station.card.audit import Operation, mask_ssn
from station.card.errors import BlankCard
from station.card.reader import CardInfo, read_card
from station.card.receipt import Receipt, check_staff
from station.card.serial import ReceiptSerials
from station.card.ssse import select_ssse
from station.crypto.algorithms import Alg
from station.errors import StationError
from station.fsutil import write_file
from station.ui.pin_entry import PinEntry
from station.ui.workers import UiContext

log = logging.getLogger("station.ui.clerk")

WARN_TRIES = 2  # tries left at or below this are shown as a warning


class Service(enum.Enum):
    CHANGE = "change"
    UNLOCK = "unlock"
    RESET = "reset"

    @property
    def operation(self) -> Operation:
        return {
            Service.CHANGE: Operation.PIN_CHANGE,
            Service.UNLOCK: Operation.PIN_UNLOCK,
            Service.RESET: Operation.PIN_RESET,
        }[self]


@dataclass(frozen=True)
class CardView:
    """What the screen shows about the card: no full SSN, nothing secret."""

    holder: str
    masked_ssn: str
    card_number: str
    generation: int
    algorithm: str
    expiry: _dt.date | None
    expired: bool
    genuine: bool
    tries_left: int | None
    blocked: bool
    blank: bool

    @property
    def warn_tries(self) -> bool:
        return self.tries_left is not None and not self.blocked and self.tries_left <= WARN_TRIES


@dataclass(frozen=True)
class _Read:
    info: CardInfo
    tries: P.PinState


@dataclass(frozen=True)
class _Done:
    receipt: Receipt
    tries: P.PinState | None
    error: StationError | None


def card_view(info: CardInfo, tries: P.PinState) -> CardView:
    expiry = info.issuer.expiry
    return CardView(
        holder=info.name,
        masked_ssn=mask_ssn(info.ssn) if info.ssn else "",
        card_number=info.card_number,
        generation=3 if info.alg is Alg.SM4 else 2,
        algorithm=info.alg.value,
        expiry=expiry,
        expired=expiry is not None and expiry < _dt.date.today(),
        genuine=bool(info.genuine),
        tries_left=tries.tries_left,
        blocked=tries.blocked,
        blank=info.blank,
    )


class ClerkController(QObject):
    """The clerk screen's logic; signals carry results to whichever view listens."""

    card_shown = Signal(object)  # CardView
    card_cleared = Signal()
    busy_changed = Signal(bool)
    message = Signal(str, bool)  # text, is_error
    service_done = Signal(object)  # Receipt (success or failure: every service has one)
    day_changed = Signal()

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._info: CardInfo | None = None
        self.card: CardView | None = None
        self.busy = False
        self.receipts: list[Receipt] = []  # the services of the day, in order
        self.last_receipt: Receipt | None = None
        w = ctx.workers
        w.card_inserted.connect(self._on_inserted)
        w.card_removed.connect(self._on_removed)

    # -- card presence ----------------------------------------------------------------
    def _on_inserted(self, reader: str) -> None:
        if reader == self.ctx.settings.card_reader:
            self.read()

    def _on_removed(self, reader: str) -> None:
        if reader == self.ctx.settings.card_reader:
            self._info = None
            self.card = None
            self.card_cleared.emit()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.busy_changed.emit(busy)

    # -- read -------------------------------------------------------------------------
    def read(self) -> None:
        """Read the card at once (on the card worker): data, genuineness, tries left."""
        self._set_busy(True)
        self.ctx.workers.card.submit("card read", self._read_job, self._read_done, self._failed)

    def _read_job(self) -> _Read:
        w = self.ctx.workers
        link = w.card_link()
        link.disconnect()  # a new card: a fresh connection (leaves the card powered)
        # the insert event can come before the reader has powered the card: wait (bounded)
        wait_for_card(self.ctx.settings.card_reader, self.ctx.settings.card_timeout)
        link.connect()
        info = read_card(link, w.key_provider(), check_genuineness=True)
        return _Read(info, P.pin_tries(link))

    def _read_done(self, got: _Read) -> None:
        self._set_busy(False)
        self._info = got.info
        self.card = card_view(got.info, got.tries)
        self.card_shown.emit(self.card)

    def _failed(self, exc: StationError) -> None:
        self._set_busy(False)
        log.info("card job failed: %s [%s]", exc.message, exc.detail)
        self.message.emit(exc.message, True)

    # -- the rules while typing ---------------------------------------------------------
    def weak_reason(self, new: PinEntry) -> str | None:
        """Why the PIN in ``new`` would be refused (format or weakness), never quoting it;
        the entry keeps its digits."""
        return new.check(self._weak_reason)

    def _weak_reason(self, new: str) -> str | None:
        if not new:
            return None
        if not 4 <= len(new) <= 12 or not new.isdigit():
            return "新密码必须是4至12位数字 (4 to 12 digits)"
        info = self._info
        born = info.holder.birth_date if info is not None and info.holder is not None else None
        ssn = info.ssn if info is not None else None
        return P.weak_pin_reason(new, ssn=ssn or None, birth_date=born)

    # -- services ------------------------------------------------------------------------
    def change(self, old: PinEntry, new: PinEntry, again: PinEntry) -> None:
        """Change the PIN: the three entries are taken (and cleared) now."""
        pins = old.take(), new.take(), again.take()
        self._service(Service.CHANGE, old=pins[0], new=pins[1], again=pins[2])

    def unlock(self, id_checked: bool) -> None:
        if not id_checked:
            self.message.emit("请先核验持卡人身份证件 (check the holder's ID first)", True)
            return
        self._service(Service.UNLOCK)

    def reset(self, id_checked: bool, new_entry: PinEntry, again_entry: PinEntry) -> None:
        """Reset the PIN (ID checked): the two entries are taken (and cleared) now."""
        new, again = new_entry.take(), again_entry.take()
        if not id_checked:
            self.message.emit("请先核验持卡人身份证件 (check the holder's ID first)", True)
            return
        self._service(Service.RESET, new=new, again=again)

    def _service(self, service: Service, *, old: str = "", new: str = "", again: str = "") -> None:
        info = self._info
        if info is None or self.card is None:
            self.message.emit("请插入社会保障卡 (insert the card)", True)
            return
        operator = self.ctx.operator or ""
        try:
            check_staff(outlet=self.ctx.settings.outlet, operator=operator)
            if info.blank:
                raise BlankCard()
            if not self.card.genuine:
                raise StationError("卡片未通过真伪校验 (the card is not genuine)")
        except StationError as exc:
            self.message.emit(exc.message, True)
            return
        self._set_busy(True)
        job = _ServiceJob(self.ctx, info, service, old, new, again)
        self.ctx.workers.card.submit(f"pin {service.value}", job, self._service_done, self._failed)

    def _service_done(self, done: _Done) -> None:
        self._set_busy(False)
        if done.tries is not None and self.card is not None:
            from dataclasses import replace

            self.card = replace(
                self.card, tries_left=done.tries.tries_left, blocked=done.tries.blocked
            )
            self.card_shown.emit(self.card)
        self.receipts.append(done.receipt)
        self.last_receipt = done.receipt
        self.day_changed.emit()
        self.service_done.emit(done.receipt)
        if done.error is None:
            self.message.emit("办理成功 (done)", False)
        else:
            self.message.emit(done.error.message, True)

    # -- receipts ---------------------------------------------------------------------------
    def today(self) -> list[Receipt]:
        day = _dt.date.today()
        return [r for r in self.receipts if r.time.date() == day]

    def save_pdf(self, receipt: Receipt, path: Path) -> None:
        """The receipt as PDF (reportlab, CJK font embedded), written 0600."""
        write_file(path, receipt.pdf())


class _ServiceJob:
    """One PIN service on the card thread: select, service (genuineness checked inside),
    tries left, receipt.  Holds the PINs only until it has run."""

    def __init__(
        self,
        ctx: UiContext,
        info: CardInfo,
        service: Service,
        old: str,
        new: str,
        again: str,
    ) -> None:
        self.ctx, self.info, self.service = ctx, info, service
        self._pins = [old, new, again]

    def __call__(self) -> _Done:
        w = self.ctx.workers
        link = w.card_link()
        info = self.info
        old, new, again = self._pins
        self._pins = []
        error: StationError | None = None
        tries: P.PinState | None = None
        try:
            select_ssse(link)
            provider = w.key_provider()
            ctx = info.key_context
            born = info.holder.birth_date if info.holder is not None else None
            ssn = info.ssn or None
            if self.service is Service.CHANGE:
                P.change_pin(link, provider, ctx, old, new, again, ssn=ssn, birth_date=born)
                result = "密码已修改"
            elif self.service is Service.UNLOCK:
                P.unlock_pin(link, provider, ctx)
                result = "密码已解锁"
            else:
                P.reset_pin(link, provider, ctx, new, again, ssn=ssn, birth_date=born)
                result = "密码已重置"
        except StationError as exc:
            error = exc
            result = exc.message
            if isinstance(exc, PinWrong):
                tries = P.PinState(exc.tries_left, exc.tries_left == 0)
            elif isinstance(exc, PinBlocked):
                tries = P.PinState(0, True)
        finally:
            del old, new, again
        if tries is None:
            try:
                tries = P.pin_tries(link)
            except StationError:
                tries = None  # the card went away after the service: the receipt still comes
        now = _dt.datetime.now().astimezone()
        s = self.ctx.settings
        receipt = Receipt(
            outlet=s.outlet,
            operator=self.ctx.operator or "",
            time=now,
            operation=self.service.operation,
            card_number=info.card_number,
            masked_ssn=info.ssn,
            name=info.name,
            success=error is None,
            serial=ReceiptSerials(s.data_dir, s.station_id).next(now.date()),
            result_text=result[:200],
        )
        return _Done(receipt, tries, error)
