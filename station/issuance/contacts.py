"""The printer's contact station as the job runner sees it: one PC/SC reader, one link.

Why a class of its own: three facts about the chip under the contacts travel together and
outlive a single step.  pcscd's card-event count taken before the printer moves a card
there (a connect must reach *that* card, not the one that just left: pcscd polls vpcd
every 0.4 s, so a quick swap leaves the reader state "present" and unchanged); the
exclusive link kept from the identification read to the initial PIN (one connection per
card instead of three); and the chip as last read on that link (the write and the PIN
step do not read again what was just read).  Make-up uses the same identification read
in a desktop reader.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from station.apdu.pcsc import PcscTransport, card_events, wait_for_arrival
from station.apdu.transport import Transport
from station.card.reader import CardInfo, HolderAuth, read_card
from station.crypto.provider import KeyProvider
from station.errors import CardTimeout, NoCard, ReaderError, StationError
from station.issuance.outcome import StepFailed
from station.issuance.states import WasteCause

log = logging.getLogger("station.issuance")

CARD_WAIT = 10.0  # seconds for the contact station's reader to see a card that arrived
# the identification read of a card that has just arrived is tried this often (a fresh
# link each time) before the card counts as unreadable: see ``identify_read``
IDENTIFY_TRIES = 3
IDENTIFY_PAUSE = 0.25  # s between tries: about one pcscd poll of the vpcd driver


class ContactStation:
    """The contact reader ``reader``: arrival count, kept link and last chip read."""

    def __init__(
        self,
        reader: str,
        provider: KeyProvider,
        card_timeout: float,
        holder_auth: HolderAuth = HolderAuth.AUTO,
    ) -> None:
        self.reader = reader
        self.provider = provider
        self.card_timeout = card_timeout
        self.holder_auth = holder_auth
        self.arrival: int | None = None  # pcscd's event count before the last move here
        self.link: PcscTransport | None = None  # kept from identification to the PIN
        self.chip: CardInfo | None = None  # the chip as last read on ``link``

    def note_arrival(self) -> None:
        """Before the printer moves a card here: take pcscd's card-event count, so that
        ``wait_arrival`` waits for pcscd to have counted *this* card's arrival."""
        try:
            self.arrival = card_events(self.reader)
        except ReaderError:
            self.arrival = None  # no count, no stale state to tell apart: plain wait

    def wait_arrival(self, reader: str, timeout: float = CARD_WAIT) -> None:
        """Until pcscd sees the card in ``reader``: the one the printer moved here last
        (``wait_for_arrival``), or any card in a reader the teller filled."""
        after = self.arrival if reader == self.reader else None
        wait_for_arrival(reader, timeout, after)

    @contextmanager
    def card(self) -> Iterator[Transport]:
        """The chip under the contacts with the card timeout: the kept link if there is
        one (until ``drop``), else a link of its own for this step."""
        if self.link is not None:
            yield self.link
            return
        try:
            self.wait_arrival(self.reader)
            t = PcscTransport(self.reader, timeout=self.card_timeout)
            t.connect()
        except ReaderError as exc:
            raise StepFailed(exc, WasteCause.DAMAGED_BLANK) from None
        try:
            yield t
        finally:
            try:
                t.disconnect()
            except StationError:
                pass

    def kept(self, card: Transport) -> bool:
        """Whether ``card`` is the link the identification read kept (``chip`` is its)."""
        return card is self.link

    def drop(self) -> None:
        """Let go of the kept link (before the printer moves the card, and on failure)."""
        link, self.link, self.chip = self.link, None, None
        if link is not None:
            try:
                link.disconnect()
            except StationError:
                pass

    def identify_read(self, reader: str, *, keep: bool = False) -> CardInfo:
        """Read the chip that has just arrived in ``reader``, to learn which card it is.

        A link to a vpcd card that has just landed can still fail once at the reader level
        (pcscd's reader state lags the card by up to one poll: "Transaction failed",
        "sharing violation" from a link still being released).  This read — and only this
        one: it writes nothing, sends no PIN or key, and a retry starts a fresh
        genuineness challenge — is tried again on a fresh link, at most
        ``IDENTIFY_TRIES`` times within ``CARD_WAIT``.  A card that answers wrongly
        (``CardError``) or never answers (``CardTimeout``, ``NoCard``) is not retried.
        ``keep``: the link stays open as ``link`` (with the chip read, ``chip``) for
        the write and the PIN that follow."""
        deadline = time.monotonic() + CARD_WAIT
        tries = 0
        while True:
            tries += 1
            try:
                self.wait_arrival(reader, max(0.1, deadline - time.monotonic()))
                t = PcscTransport(reader, timeout=self.card_timeout)
                try:
                    t.connect()
                    chip = read_card(
                        t, self.provider, holder_auth=self.holder_auth, check_genuineness=True
                    )
                except BaseException:
                    t.disconnect()
                    raise
                if keep:
                    self.drop()
                    self.link, self.chip = t, chip
                else:
                    t.disconnect()
                return chip
            except (CardTimeout, NoCard):
                raise
            except ReaderError as exc:
                if tries >= IDENTIFY_TRIES or time.monotonic() >= deadline:
                    raise
                log.info("identification read on a fresh link (try %d): %s", tries + 1, exc.detail)
            threading.Event().wait(IDENTIFY_PAUSE)


__all__ = ["CARD_WAIT", "IDENTIFY_PAUSE", "IDENTIFY_TRIES", "ContactStation"]
