"""An in-process Transport over any ``CardOS``: fast tests and technician sessions that need
no reader at all."""

from __future__ import annotations

from station.apdu.cardos import CardOS
from station.apdu.trace import Tracer
from station.apdu.transport import Transport
from station.errors import NoCard


class VirtualTransport(Transport):
    """Talks to a virtual card directly.  ``connect`` powers the card on (a cold reset),
    ``reconnect`` warm-resets it, mirroring what a PC/SC reader does."""

    def __init__(self, card: CardOS, tracer: Tracer | None = None) -> None:
        super().__init__(tracer)
        self.card = card
        self._powered = False

    def connect(self) -> None:
        self.card.power_on()
        self._powered = True

    def reconnect(self) -> None:
        self.card.reset()
        self._powered = True

    def disconnect(self) -> None:
        if self._powered:
            self.card.power_off()
        self._powered = False

    @property
    def atr(self) -> bytes:
        return self.card.atr

    def _exchange(self, raw: bytes) -> bytes:
        if not self._powered:
            self.connect()
        if not self._powered:  # pragma: no cover - defensive
            raise NoCard()
        return self.card.execute(raw)
