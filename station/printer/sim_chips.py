"""The chips in the simulated printer's hopper, and where the one under the contacts shows.

Why a module of its own: this is the glue between the simulated printer and the chip
world.  A blank's chip is a ``CardOS`` (a virtual card from ``station emulator
make-blanks``, or a ``BareChip`` for demos); when a card reaches the contact station the
simulator hands that chip to a ``ChipSlot`` — a started ``VpcdLink`` — so pcscd sees it
exactly as it would see a real printer's built-in encoder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from station.apdu.cardos import CardOS
from station.errors import StationError


class ChipSlot(Protocol):
    """Where the chip at the contacts shows up: a ``VpcdLink`` (real PC/SC) or anything
    with the same two methods."""

    def insert(self, card: CardOS) -> None: ...

    def remove(self) -> None: ...


class BareChip:
    """A blank chip for demos without a blank set: an ATR and 9000 to every command."""

    def __init__(self, serial_no: int) -> None:
        self._atr = bytes.fromhex("3B6800000073C84013009000")[:-2] + serial_no.to_bytes(2, "big")

    @property
    def atr(self) -> bytes:
        return self._atr

    def power_on(self) -> None:
        pass

    def power_off(self) -> None:
        pass

    def reset(self) -> None:
        pass

    def execute(self, apdu: bytes) -> bytes:
        return b"\x90\x00"


class MuteCard(BareChip):
    """A card that sits under the contacts but does not answer reset properly: the reader
    sees something (the slot is occupied) but gets a meaningless one-byte ATR, so PC/SC
    cannot connect to it — what dirty contacts or a dead chip look like to the encoder."""

    def __init__(self) -> None:
        super().__init__(0)
        self._atr = b"\x00"

    def execute(self, apdu: bytes) -> bytes:
        return b"\x6f\x00"


def load_hopper(directory: Path, load_blank: Callable[[Path], CardOS]) -> list[tuple[str, CardOS]]:
    """A blank set written by ``station emulator make-blanks``: every ``*.json`` state file,
    in name order, loaded with ``load_blank``.  The caller passes the emulator's loader: the
    printer layer must not import the emulator (the layering contract)."""
    files = sorted(p for p in directory.glob("*.json") if not p.name.startswith("."))
    if not files:
        raise StationError(
            "空白卡目录中没有卡片 (no blank cards in the directory)", detail=str(directory)
        )
    return [(p.stem, load_blank(p)) for p in files]
