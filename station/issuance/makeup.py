"""Make-up registration (制卡补登): finish a job whose face is printed but not booked.

Part of the job runner, in a file of its own: ``IssuanceJob.makeup`` calls ``makeup`` here,
which uses the runner's own step helpers (progress, the identification read, the issuer
data, the move to the contacts).  The rules: the chip is re-read (at the printer's contacts
or in a desktop reader), compared with the application, and only what it lacks is written;
a chip of someone else, or one that cannot be read, is refused with ``MakeupMismatch`` and
nothing is booked.  Never prints: the face exists already.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from station.apdu.pcsc import PcscTransport
from station.card.personalise import personalise
from station.issuance.application import Application
from station.issuance.journal import ChipData, Issue, JobInfo
from station.issuance.outcome import MakeupMismatch, Outcome, classify_chip
from station.issuance.readiness import settled_position
from station.issuance.recovery import Chip
from station.issuance.states import FACE_DONE, JobState, Step
from station.printer.base import CardPosition
from station.printer.errors import PrinterFault

if TYPE_CHECKING:
    from station.issuance.job import IssuanceJob

S = JobState


def makeup(
    runner: IssuanceJob, job_id: str, application: Application, reader: str | None = None
) -> Outcome:
    """Finish a job whose face is printed: re-read the chip (at the contacts, or in
    ``reader``), compare it with the application, write only what is missing, book
    ISSUED and register.  Never prints."""
    runner._t0 = time.monotonic()
    runner._job_id = job_id
    info = runner.journal.job(job_id)
    if info.state in FACE_DONE:
        info = runner.journal.advance(job_id, Step.MAKEUP_NEEDED, by=runner.operator)
    if info.state is not S.MAKEUP_PENDING:
        raise MakeupMismatch(
            "任务不需要制卡补登 (the job is not waiting for make-up)",
            detail=f"{job_id}: {info.state.value}",
        )
    if not runner.journal.matches(job_id, application):
        raise MakeupMismatch(
            "申请与任务不符 (the application is not the one the job was made for)",
            detail=job_id,
        )
    runner._emit("makeup")
    inside = False
    if reader is None:
        reader = runner.card_reader
        try:
            pos = settled_position(runner.printer)  # reset first if it lost power meanwhile
        except PrinterFault as exc:
            raise MakeupMismatch(exc.message, detail=exc.detail) from None
        if pos in (CardPosition.PRINT, CardPosition.CONTACTLESS):
            runner._to_contacts()
        inside = pos is not CardPosition.NONE
    elif reader == runner.card_reader:
        runner.contacts.arrival = None  # the teller put the card in: no move of ours
    _makeup_chip(runner, reader, info, application)
    if inside:
        runner.printer.eject()
    chip_hist = runner._atr_hist
    assert info.card_number is not None and info.card_id_code is not None
    data = ChipData(info.card_number, info.card_id_code, chip_hist)
    info = runner.journal.advance(
        job_id, Step.ISSUE, inventory_action=Issue(data), by=runner.operator, detail="make-up"
    )
    info = runner.journal.advance(job_id, Step.REGISTER, by=runner.operator)
    receipt = runner._receipt(info)
    runner._emit("done")
    return Outcome(info, None, receipt)


def _makeup_chip(runner: IssuanceJob, reader: str, info: JobInfo, application: Application) -> None:
    """Read the job's card, write what it lacks, prove it holds the application.  Only the
    first read is retried on a fresh link (``ContactStation.identify_read``); a write is
    never repeated here."""
    job_id = info.job_id
    chip = runner.contacts.identify_read(reader)
    found = classify_chip(chip, info)
    if found is Chip.FOREIGN or found is Chip.NOT_READ:
        raise MakeupMismatch(detail=f"{job_id}: chip {chip.card_number or '-'}")
    if chip.issuer.card_id_code != info.card_id_code:
        raise MakeupMismatch(detail=f"{job_id}: card id code differs")
    missing = chip.holder != application.holder or chip.issuer.issue_date is None
    if missing:  # write only what the chip lacks; personalise refuses a conflict
        with PcscTransport(reader, timeout=runner.card_timeout) as card:
            chip = personalise(
                card,
                runner.provider,
                application.holder,
                issuer=runner._issuer() if chip.issuer.issue_date is None else None,
                check_genuineness=False,
            )
    if chip.holder != application.holder:
        raise MakeupMismatch(detail=f"{job_id}: holder data differs")
    runner._atr_hist = chip.historical


__all__ = ["makeup"]
