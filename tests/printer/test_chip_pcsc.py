"""The chip at the contact station, read through real pcscd + vpcd.

The simulator gets slot 0's link; when the card reaches the contacts it appears in
reader "Virtual PCD 00 00", exactly as a real printer's built-in encoder would show it."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from station.apdu import Command
from station.apdu.pcsc import PcscTransport, wait_for_card
from station.errors import ReaderError
from station.printer.base import CardPosition
from station.printer.evolis import EvolisPrinter

from .printer_helpers import FAST, make_sim

READER = "Virtual PCD 00 00"
pytestmark = pytest.mark.pcsc


def _wait_state(reader: str, timeout: float, want: object) -> bool:
    """Follow the reader's state changes (event-driven, no sleeping) until ``want(state,
    atr)`` holds or the deadline passes."""
    from smartcard import scard

    _, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    try:
        state = scard.SCARD_STATE_UNAWARE
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            left = max(1, int((deadline - time.monotonic()) * 1000))
            hresult, states = scard.SCardGetStatusChange(ctx, left, [(reader, state)])
            if hresult != scard.SCARD_S_SUCCESS:
                return False
            event, atr = states[0][1], bytes(states[0][2])
            if want(event, atr):  # type: ignore[operator]
                return True
            state = event & ~scard.SCARD_STATE_CHANGED
        return False
    finally:
        scard.SCardReleaseContext(ctx)


def wait_atr(reader: str, atr: bytes, timeout: float) -> bool:
    """True once the card in ``reader`` has this ATR (a re-seat first shows the old one)."""
    from smartcard import scard

    return _wait_state(
        reader, timeout, lambda ev, a: bool(ev & scard.SCARD_STATE_PRESENT) and a == atr
    )


def wait_mute(reader: str, timeout: float) -> bool:
    """True once pcscd reports something in the slot whose reset answer is garbage (the
    vpcd driver shows a card that never answers reset this way)."""
    from smartcard import scard

    return _wait_state(
        reader,
        timeout,
        lambda ev, a: (
            bool(ev & scard.SCARD_STATE_PRESENT)
            and (bool(ev & scard.SCARD_STATE_MUTE) or a == b"\x00")
        ),
    )


def test_feed_to_contacts_and_read_the_chip(
    vpcd_slots: tuple[object, object], tmp_path: Path
) -> None:
    link0, _ = vpcd_slots
    sim = make_sim(tmp_path, chip_slot=link0)
    sim.serve_tcp()
    printer = EvolisPrinter(sim.url, **FAST)  # type: ignore[arg-type]
    try:
        printer.open()
        printer.feed()
        printer.to_contacts()
        assert printer.position() is CardPosition.CONTACT
        chip = sim.cards[0].chip
        assert wait_for_card(READER, 5.0) == chip.atr
        pcsc = PcscTransport(READER)
        try:
            rsp = pcsc.transmit(Command.from_hex("00A4040007A0000000031010"))
            assert rsp.sw == 0x9000
            assert pcsc.atr == chip.atr
        finally:
            pcsc.disconnect()
        assert chip.commands[-1] == bytes.fromhex("00A4040007A0000000031010")  # type: ignore[attr-defined]
        printer.to_print()  # the card leaves the contacts: gone from the reader
        assert wait_for_card(READER, 5.0, present=False) == b""
        printer.eject()
    finally:
        printer.close()
        sim.stop()


def test_chip_contact_failures_show_as_reader_errors(
    vpcd_slots: tuple[object, object], tmp_path: Path
) -> None:
    link0, _ = vpcd_slots
    sim = make_sim(tmp_path, chip_slot=link0)
    sim.serve_tcp()
    printer = EvolisPrinter(sim.url, **FAST)  # type: ignore[arg-type]
    try:
        printer.open()
        sim.inject("chip-absent")
        printer.to_contacts()
        assert printer.position() is CardPosition.CONTACT  # the printer says it is there...
        with pytest.raises(ReaderError):  # ...but the encoder sees no card
            PcscTransport(READER).connect()
        sim.inject("chip-mute")
        printer.to_contacts()  # re-seat; this time the chip does not answer reset
        assert wait_mute(READER, 5.0)
        with pytest.raises(ReaderError):
            PcscTransport(READER).connect()
        printer.to_contacts()  # re-seat again: contact made
        assert wait_atr(READER, sim.cards[0].chip.atr, 5.0)
        printer.reject()
        assert wait_for_card(READER, 5.0, present=False) == b""
    finally:
        printer.close()
        sim.stop()
