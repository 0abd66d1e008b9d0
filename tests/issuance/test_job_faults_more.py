"""Fault-matrix rows of issue 11 not covered elsewhere, through real pcscd + vpcd and the
printer simulator over TCP: the printer's power failing with the card at each position
(feeder, contacts, print, eject), and a MAC error on a secure-messaging write.

The other rows live in ``test_job.py`` (feeder, jams, ribbon end, chip mute, wrong
blank), ``test_job_recover.py`` (a crash at every journal step), ``test_cli_sigkill.py``
(SIGKILL at every journal step) and ``test_cli_issue.py``.

A fault is armed from the job's own progress callback, at the moment a journal step has
been written and before its device action: the test knows exactly which printer command
the power fails in, whatever the readiness checks sent before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from station.apdu.cardos import CardOS
from station.apdu.command import Command
from station.apdu.instructions import Ins
from station.apdu.status import MacInvalid
from station.emulator.ssc import VirtualSSCard
from station.inventory import State
from station.issuance.progress import ProgressEvent
from station.issuance.recover import recover
from station.issuance.states import JobState, WasteCause
from station.printer.errors import PrinterRebooted
from station.printer.simulator import Fault, SimCard, Where
from tests.issuance.cli_desk import invariants
from tests.issuance.job_rig import Rig, application, make_rig

pytestmark = pytest.mark.pcsc
S = JobState
# a power loss is noticed by a reply that never comes: short timeouts keep the wait short
QUICK = {"timeout": 2.0, "move_timeout": 2.0, "print_timeout": 4.0, "reset_timeout": 5.0}
HOLDER_PIN = "246810"


@pytest.fixture
def rig(vpcd_slots: tuple[object, object], tmp_path: Path) -> Iterator[Rig]:
    r = make_rig(tmp_path, vpcd_slots, {"ICBC": 3}, printer_timeouts=QUICK)
    try:
        yield r
    finally:
        r.close()


def arm_at(rig: Rig, step: str, fault: Fault, nth: int) -> Callable[[ProgressEvent], None]:
    """A progress callback arming ``fault`` (at the ``nth`` event from then) as soon as the
    job announces ``step``, once."""
    armed: list[str] = []

    def progress(event: ProgressEvent) -> None:
        rig.events.append(event)
        if event.step == step and not armed:
            armed.append(step)
            rig.sim.inject(fault, nth)

    return progress


def card_of(rig: Rig, number: str | None) -> SimCard:
    assert number is not None
    return next(c for c in rig.sim.cards if c.name == number)


def settle_and_check(rig: Rig, app_id: str, app: object) -> None:
    """What the station and the teller do next — ``recover``, then a retry for a failed
    application — and the fault matrix's invariants over the whole book."""
    recover(rig.job(), {app_id: app})  # type: ignore[dict-item]
    jobs = rig.journal.jobs(application_id=app_id)
    if all(j.state is S.FAILED for j in jobs):
        again = rig.job().run(app)  # type: ignore[arg-type]
        assert again.ok, again.error
        assert again.job.retry_of == jobs[-1].job_id
    invariants(rig.inv, rig.journal, len(rig.blanks), [app_id])
    assert all(row.balanced for row in rig.inv.balance()), rig.inv.balance()


# -- printer power loss at each position ----------------------------------------------------


@dataclass(frozen=True)
class PowerRow:
    step: str  # the journal step after which the fault is armed
    nth: int  # the printer command, counted from then, during which the power fails
    failed_in: JobState  # the journal state the job fails from
    where: Where  # where the card is when the power comes back


POWER_ROWS = {
    # the feed (Sis: from the feeder to the contacts) never happens: the card stays put
    "feed": PowerRow("feed", 1, S.FEEDING, Where.HOPPER),
    # the chip is written and the PIN set with the card under the contacts; the power
    # fails in the next printer command (Si, leaving the contacts for the print head)
    "contacts": PowerRow("feed", 2, S.PRINTING, Where.CONTACT),
    # Si, Ss, Sr, Db y, then the power fails during Db m: a partial face
    "print": PowerRow("print", 5, S.PRINTING, Where.PRINT),
    # Pneab;A;1, then the power fails during the eject move (Se): the face is complete
    "eject": PowerRow("eject", 2, S.EJECTING, Where.PRINT),
}


@pytest.mark.parametrize("position", list(POWER_ROWS))
def test_power_loss_at_each_position(rig: Rig, position: str) -> None:
    row = POWER_ROWS[position]
    app = application(21)
    hopper = rig.sim.state().hopper
    printed = rig.sim.state().printed
    out = rig.job(progress=arm_at(rig, row.step, Fault.POWER_LOSS, row.nth)).run(app)
    job = out.job
    assert isinstance(out.error, PrinterRebooted), out.error
    entries = rig.journal.entries(job.job_id)
    fail_at = next(i for i, e in enumerate(entries) if e.step in ("fail", "makeup_needed"))
    assert entries[fail_at - 1].state is row.failed_in, entries
    if job.card_number is not None:
        assert card_of(rig, job.card_number).where in (row.where, Where.REJECT)

    if row.failed_in is S.EJECTING:  # the face is complete: make-up, never a second print
        assert job.state is S.MAKEUP_PENDING and job.cause is None
        assert card_of(rig, job.card_number).where is Where.PRINT
        assert rig.inv.blank(job.card_number or "").state is State.RESERVED
    else:  # before the face is complete: FAILED, cause POWER_LOSS
        assert job.state is S.FAILED and job.cause is WasteCause.POWER_LOSS
        if row.where is Where.HOPPER:  # nothing was fed, nothing identified or booked
            assert job.card_number is None
            assert rig.sim.state().hopper == hopper and rig.sim.state().reject_box == 0
            assert {b.state for b in rig.inv.blanks()} == {State.IN_DRAWER}
        else:  # personal data on the chip (and perhaps half a face): spoiled, rejected
            card = card_of(rig, job.card_number)
            assert isinstance(card.chip, VirtualSSCard) and holder_data_on(card.chip)
            assert (len(card.panels) == 1) is (position == "print") and not card.printed
            assert rig.inv.blank(job.card_number or "").state is State.SPOILED
            assert card.where is Where.REJECT
    assert rig.sim.state().printed == printed + (1 if position == "eject" else 0)

    settle_and_check(rig, app.application_id, app)
    if position == "eject":  # recovery made it up in the printer: no second face
        made = rig.journal.job(job.job_id)
        assert made.state is S.COMPLETED and made.made_up
        assert rig.sim.state().printed == printed + 1
        assert card_of(rig, job.card_number).where is Where.BEZEL


# -- MAC error on a secure-messaging write -------------------------------------------------


class FaultyLine:
    """A blank's real virtual chip behind a faulty line (or an attacker): every command is
    recorded; with ``flip_mac`` one bit of the MAC of each secure-messaging command (CLA 84)
    is flipped on the way in and the chip itself checks it (9302); with ``refuse_write``
    the first UPDATE RECORD is answered 9302 without reaching the chip (a chip demanding
    line protection on its writes).  Test-only: it wraps the chip the simulator's hopper
    shows at the contacts."""

    def __init__(self, chip: CardOS, *, flip_mac: bool = False, refuse_write: bool = False):
        self.chip = chip
        self.flip_mac = flip_mac
        self.refuse_write = refuse_write
        self.seen: list[Command] = []

    @property
    def atr(self) -> bytes:
        return self.chip.atr

    def power_on(self) -> None:
        self.chip.power_on()

    def power_off(self) -> None:
        self.chip.power_off()

    def reset(self) -> None:
        self.chip.reset()

    def execute(self, apdu: bytes) -> bytes:
        cmd = Command.from_bytes(apdu)
        self.seen.append(cmd)
        if self.refuse_write and cmd.ins == Ins.UPDATE_RECORD:
            self.refuse_write = False
            return b"\x93\x02"
        if self.flip_mac and cmd.cla == 0x84 and len(cmd.data) >= 4:
            cmd = cmd.with_data(cmd.data[:-1] + bytes((cmd.data[-1] ^ 0x01,)))
        return self.chip.execute(cmd.to_bytes())

    def sent(self, ins: int) -> list[Command]:
        return [c for c in self.seen if c.ins == ins]


def faulty_next_blank(rig: Rig, **how: bool) -> tuple[SimCard, FaultyLine, VirtualSSCard]:
    card = rig.sim.hopper[0]
    chip = card.chip
    assert isinstance(chip, VirtualSSCard)
    line = FaultyLine(chip, **how)
    card.chip = line
    return card, line, chip


def holder_data_on(chip: VirtualSSCard) -> bool:
    path = "MF/SSSE/EF06"
    return chip.state.records[path] != chip.fs.efs[path].blank()  # type: ignore[union-attr]


def test_mac_error_on_the_pin_write_spoils_the_written_blank(rig: Rig) -> None:
    """The holder keys the initial PIN: RESET PIN goes as secure messaging.  Its MAC
    arrives corrupted, the chip answers 9302: FAILED (CHIP_WRITE_FAULT), the blank — whose
    chip already holds the holder's data — SPOILED, the command never resent (neither
    again nor in plain), the chip's PIN unchanged."""
    app = application(22)
    card, line, chip = faulty_next_blank(rig, flip_mac=True)
    factory_pin = chip.state.pin
    out = rig.job(holder_pin=lambda: HOLDER_PIN).run(app)
    assert out.job.state is S.FAILED and out.job.cause is WasteCause.CHIP_WRITE_FAULT
    assert isinstance(out.error, MacInvalid) and out.error.sw == 0x9302
    assert rig.journal.entries(out.job.job_id)[-2].state is S.WRITTEN
    resets = line.sent(Ins.PIN_UNBLOCK_RESET)
    assert [c.cla for c in resets] == [0x84]  # once, as secure messaging: nothing resent
    assert chip.state.pin == factory_pin  # the chip refused it: nothing changed
    assert holder_data_on(chip)
    assert rig.inv.blank(card.name).state is State.SPOILED
    assert card.where is Where.REJECT and not card.panels  # no ribbon spent on it

    retry = rig.job(holder_pin=lambda: HOLDER_PIN).run(app)  # a new blank, a good line
    assert retry.ok, retry.error
    assert retry.job.retry_of == out.job.job_id and retry.job.card_number != card.name
    good = card_of(rig, retry.job.card_number).chip
    assert isinstance(good, VirtualSSCard) and good.state.pin == bytes.fromhex(HOLDER_PIN)
    settle_and_check(rig, app.application_id, app)


def test_mac_error_on_the_first_write_releases_the_untouched_blank(rig: Rig) -> None:
    """The chip answers its first data write with 9302, before any personal data lands:
    FAILED (CHIP_WRITE_FAULT), the blank released to the drawer (its chip read again
    proves it blank), the write never resent."""
    app = application(23)
    card, line, chip = faulty_next_blank(rig, refuse_write=True)
    out = rig.job().run(app)
    assert out.job.state is S.FAILED and out.job.cause is WasteCause.CHIP_WRITE_FAULT
    assert isinstance(out.error, MacInvalid)
    assert rig.journal.entries(out.job.job_id)[-2].state is S.WRITING
    assert len(line.sent(Ins.UPDATE_RECORD)) == 1  # the refused write, and nothing after
    assert not holder_data_on(chip)
    assert rig.inv.blank(card.name).state is State.IN_DRAWER
    assert card.where is Where.REJECT  # physically out of the way for the teller
    settle_and_check(rig, app.application_id, app)
