"""Readiness before a job feeds a card (never feed and hope).

The printer: no fault, cover closed, ribbon for at least one card, nothing inside, a card in
the feeder.  The stock: the day's count done (custody rules) and a blank of the applicant's
bank in the teller's drawer.  Each refusal is a ``NotReady`` saying what to do.
"""

from __future__ import annotations

from station.inventory import State
from station.inventory.errors import InventoryError
from station.inventory.service import Inventory
from station.issuance.outcome import NotReady
from station.printer.base import CardPosition, Printer
from station.printer.errors import (
    CoverOpen,
    FeederEmpty,
    PrinterFault,
    PrinterRebooted,
    RibbonOut,
    SettingsNotApplied,
)


def check_printer(printer: Printer) -> None:
    """Refuse a printer that cannot take a card through now."""
    try:
        st = printer.status()
    except PrinterFault as exc:
        raise NotReady(exc.message, detail=exc.detail) from None
    if st.faults:
        fault = st.faults[0].error()
        raise NotReady(fault.default_message, detail=", ".join(st.faults))
    if st.cover_open:
        raise NotReady(CoverOpen.default_message)
    if st.ribbon_left < 1:
        raise NotReady(RibbonOut.default_message, detail=f"ribbon left {st.ribbon_left}")
    if st.position is not CardPosition.NONE:
        raise NotReady(
            "打印机内有卡，请先恢复或取出 (a card is inside the printer: recover first)",
            detail=st.position.value,
        )
    if not st.feeder_loaded:
        raise NotReady(FeederEmpty.default_message)
    if not st.ready:
        raise NotReady(detail="printer status not ready")


def settled_position(printer: Printer) -> CardPosition:
    """Where the printer says the card is, after a reset if it lost power: a reboot is
    reported once (``PrinterRebooted``), and the failed job's last probe may already have
    taken that reply, so a printer whose safety settings are no longer applied is reset
    too, though its status query answers — otherwise its first move refuses.  Any other
    ``PrinterFault`` (it does not answer, the reset fails) is the caller's to word."""
    try:
        position = printer.position()
        if getattr(printer, "settings_applied", True):
            return position
    except (PrinterRebooted, SettingsNotApplied):
        pass
    return printer.reset()


def check_stock(inv: Inventory, drawer: str, bank: str) -> None:
    """Refuse when the day's count is missing or the drawer holds no blank of ``bank``."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from station.inventory import custody
    from station.inventory.models import Blank

    def work(s: Session) -> bool:
        """One read: the count rule, then whether one such blank exists (not all of them)."""
        custody.check_issuance(inv, s, drawer)
        one = select(Blank.id).where(
            Blank.location == drawer, Blank.state == State.IN_DRAWER.value, Blank.bank == bank
        )
        return s.execute(one.limit(1)).first() is not None

    try:
        stocked = inv.read(work)
    except InventoryError as exc:
        raise NotReady(exc.message, detail=exc.detail) from None
    if not stocked:
        raise NotReady(
            f"卡箱{drawer}中没有{bank}的预制卡 (no blank of the applicant's bank in the drawer)",
            detail=f"{drawer}/{bank}",
        )


__all__ = ["check_printer", "check_stock", "settled_position"]
