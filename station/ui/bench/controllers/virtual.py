"""Virtual cards and PSAMs tab: serve a profile's card on vpcd slot 0 or 1, insert, remove.

A ``VpcdLink`` is not a device connection of the station — it *is* the card, talking to
pcscd — so this controller owns one link per slot itself.  Building the virtual card
from a profile (TOML, key derivation, the first import of the emulator) runs on the PSAM
worker so the window never waits for it; the link's own thread reports "in the reader"
through ``_Bridge``'s signal, which Qt delivers on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal, Slot

from station.apdu.cardos import CardOS
from station.emulator.vpcd import VpcdLink, reader_name, slot_port
from station.errors import StationError
from station.ui.workers import UiContext

SLOTS = (0, 1)


@dataclass(frozen=True, slots=True)
class SlotState:
    """What one vpcd slot holds: the profile served (empty = none), whether the card is
    in the reader right now, and the reader name pcscd shows it as."""

    slot: int
    reader: str
    profile: str = ""
    kind: str = ""
    inserted: bool = False
    connected: bool = False


@dataclass(frozen=True, slots=True)
class _Made:
    slot: int
    profile: str
    kind: str
    card: CardOS


class _Bridge(QObject):
    """Carries ``VpcdLink.on_state`` (called on the link's thread) to the UI thread."""

    # (slot, 1/0): no ``bool`` in a signal crossing threads — PySide6 6.x miscounts the
    # references of a queued ``bool`` argument (Fatal Python error: bool_dealloc at exit)
    state = Signal(int, int)

    def __init__(self, slot: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.slot = slot

    def report(self, connected: bool) -> None:
        self.state.emit(self.slot, int(connected))


def _make(slot: int, profile: str, directory: str) -> _Made:
    """On a worker: the virtual card (or PSAM) a profile describes."""
    from station.emulator.cards import make_card, make_psam
    from station.profiles import CardProfile, load_profile

    prof = load_profile(profile, directory or None)
    if isinstance(prof, CardProfile):
        return _Made(slot, prof.name, "card", make_card(prof))
    return _Made(slot, prof.name, "psam", make_psam(prof))


class VirtualCardsController(QObject):
    slot_changed = Signal(object)  # SlotState
    failed = Signal(str)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._links: dict[int, VpcdLink] = {}
        self._cards: dict[int, CardOS] = {}
        self._state = {s: SlotState(s, reader_name(s)) for s in SLOTS}
        self._bridges = {s: _Bridge(s, self) for s in SLOTS}
        for bridge in self._bridges.values():
            bridge.state.connect(self._on_link_state)

    def profiles(self) -> list[str]:
        from station.profiles import list_profiles

        return list_profiles(self.ctx.settings.profiles_dir or None)

    def state(self, slot: int) -> SlotState:
        return self._state[slot]

    def serve(self, slot: int, profile: str) -> None:
        """Build ``profile``'s card and put it in slot ``slot`` (replacing what was there)."""
        if slot not in SLOTS:
            raise ValueError(f"vpcd slot must be 0 or 1, got {slot}")
        directory = self.ctx.settings.profiles_dir
        self.ctx.workers.psam.submit(
            "bench.virtual.make", lambda: _make(slot, profile, directory), self._on_made, self._fail
        )

    def _on_made(self, made: _Made) -> None:
        self._cards[made.slot] = made.card
        self._update(made.slot, profile=made.profile, kind=made.kind)
        self.insert(made.slot)

    def insert(self, slot: int) -> None:
        card = self._cards.get(slot)
        if card is None:
            self.failed.emit(self.tr("Serve a profile on this slot first."))
            return
        self._link(slot).insert(card)
        self._update(slot, inserted=True)

    def remove(self, slot: int) -> None:
        link = self._links.get(slot)
        if link is None:
            return
        link.remove()
        self._update(slot, inserted=False)

    def shutdown(self) -> None:
        """Stop every link (the cards leave the readers)."""
        for slot in list(self._links):
            self._links.pop(slot).stop()
            self._update(slot, inserted=False, connected=False)

    def _link(self, slot: int) -> VpcdLink:
        link = self._links.get(slot)
        if link is None:
            link = VpcdLink(port=slot_port(slot), on_state=self._bridges[slot].report).start()
            self._links[slot] = link
        return link

    @Slot(int, int)
    def _on_link_state(self, slot: int, connected: int) -> None:
        self._update(slot, connected=bool(connected))

    def _update(self, slot: int, **changes: object) -> None:
        self._state[slot] = replace(self._state[slot], **changes)  # type: ignore[arg-type]
        self.slot_changed.emit(self._state[slot])

    def _fail(self, error: StationError) -> None:
        self.failed.emit(error.message)


__all__ = ["SLOTS", "SlotState", "VirtualCardsController"]
