"""The small card-OS interface every virtual card implements.

The same object can run in-process (``VirtualTransport``) or behind pcscd through the
vpcd bridge, so a technician's card and a test's card are one implementation.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class CardOS(Protocol):
    """A card as the reader sees it: an ATR, power and reset, and APDU execution.

    ``execute`` must always return a well-formed response (at least the two SW bytes),
    whatever bytes it is given.
    """

    @property
    def atr(self) -> bytes: ...

    def power_on(self) -> None: ...

    def power_off(self) -> None: ...

    def reset(self) -> None: ...

    def execute(self, apdu: bytes) -> bytes: ...
