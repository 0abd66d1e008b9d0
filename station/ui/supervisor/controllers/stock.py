"""Movements a supervisor makes: stock-in, allocation, the daily count, destruction.

Why each is shaped so:

* **Stock-in imports exactly what was previewed.**  The file is read once (bounded) and
  checked whole with the service's own parser; the bytes kept from the preview are what
  ``stock_in`` receives, so a file changed on disk after the preview cannot slip in.  Any
  problem — in the file or against the stock — comes back as line-numbered rows and nothing
  is imported (the service refuses the whole batch).
* **The count is a wizard over one count id**: start (the book notes who and when), the
  card numbers typed or scanned (a scanner is a keyboard that ends with Enter), submit, and
  — when it differs — the resolution with the cards declared lost.
* **Destruction needs a second person**: the witness signs in inside the dialog with their
  own password; the session is ended again right after the act, whatever happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal

from station.errors import StationError
from station.inventory.errors import InventoryError, ManifestError
from station.inventory.manifest import ManifestCard, parse_manifest
from station.inventory.models import LocationKind, State
from station.inventory.results import BlankInfo, CountResult, StockInResult, StockLine
from station.textfile import MAX_MANIFEST_BYTES, read_bytes
from station.ui.supervisor.controllers.base import Controller


@dataclass(frozen=True, slots=True)
class Preview:
    """A manifest read and checked: its cards, or its problems (line, text)."""

    path: Path
    data: bytes
    cards: tuple[ManifestCard, ...]
    problems: tuple[tuple[int, str], ...]

    @property
    def ok(self) -> bool:
        return bool(self.cards) and not self.problems


class StockInController(Controller):
    previewed = Signal(object)  # Preview
    imported = Signal(object)  # StockInResult
    refused = Signal(object)  # tuple of (line, problem): nothing was imported

    def __init__(self, *args: object, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.preview: Preview | None = None

    def load(self, path: str) -> None:
        """Read and check ``path`` off the UI thread; ``previewed`` says what it holds."""
        self.preview = None
        today = self.book.inv.today()

        def job() -> Preview:
            p = Path(path)
            data = read_bytes(
                p, ManifestError, "入库清单", "manifest", max_bytes=MAX_MANIFEST_BYTES
            )
            try:
                cards = parse_manifest(data, today=today)
            except ManifestError as exc:
                return Preview(p, data, (), tuple(exc.lines))
            return Preview(p, data, tuple(cards), ())

        self.run("stock-in preview", job, self._previewed, self._unreadable)

    def _previewed(self, preview: Preview) -> None:
        self.preview = preview
        self.previewed.emit(preview)

    def _unreadable(self, exc: StationError) -> None:
        self.refused.emit(((0, f"{exc.message} {exc.detail or ''}".strip()),))

    def commit(self) -> None:
        """Import the previewed batch (all of it, or nothing)."""
        p = self.preview
        if p is None or not p.ok:
            return
        inv, by = self.book.inv, self.book.operator
        self.run(
            "stock-in", lambda: inv.stock_in(p.data, by=by, name=p.path.name), self._done, self._no
        )

    def _done(self, result: StockInResult) -> None:
        self.preview = None
        self.imported.emit(result)

    def _no(self, exc: StationError) -> None:
        lines = tuple(exc.lines) if isinstance(exc, ManifestError) else ((0, exc.message),)
        self.refused.emit(lines)


class AllocateController(Controller):
    """The vault's stock, the places to send it, and the allocation itself."""

    loaded = Signal(object, object, object)  # stock lines, location codes, bank codes
    allocated = Signal(str, object)  # location, card numbers

    def refresh(self) -> None:
        inv = self.book.inv

        def job() -> tuple[tuple[StockLine, ...], list[str], list[str]]:
            places = [
                x.code
                for x in inv.locations()
                if x.kind in (LocationKind.DRAWER, LocationKind.STATION)
            ]
            return inv.status().stock, places, [b.code for b in inv.banks()]

        self.run("stock overview", job, self._loaded)

    def _loaded(self, got: tuple[tuple[StockLine, ...], list[str], list[str]]) -> None:
        self.loaded.emit(*got)

    def allocate(self, location: str, bank: str, count: int) -> None:
        inv, by = self.book.inv, self.book.operator
        self.run(
            "allocate",
            lambda: (location, inv.allocate(location, count, bank=bank, by=by)),
            self._allocated,
        )

    def _allocated(self, got: tuple[str, list[str]]) -> None:
        self.allocated.emit(*got)
        self.refresh()


def parse_scanned(text: str) -> list[str]:
    """Card numbers from what was typed, pasted or scanned: one or more per line,
    separated by spaces, commas or semicolons; upper-cased; duplicates dropped in order."""
    out: list[str] = []
    for token in text.replace(",", " ").replace(";", " ").split():
        number = token.strip().upper()
        if number and number not in out:
            out.append(number)
    return out


class CountController(Controller):
    """One count at a time: start → cards seen → submit → (resolve)."""

    places = Signal(object, object)  # location codes, open discrepancies [(id, location)]
    started = Signal(int, str)  # count id, location
    submitted = Signal(object)  # CountResult
    resolved = Signal(object)  # CountResult

    def __init__(self, *args: object, **kw: object) -> None:
        super().__init__(*args, **kw)  # type: ignore[arg-type]
        self.count_id: int | None = None
        self.location = ""
        self.seen: list[str] = []
        self.result: CountResult | None = None

    def refresh(self) -> None:
        inv = self.book.inv

        def job() -> tuple[list[str], tuple[tuple[int, str], ...]]:
            return [x.code for x in inv.locations()], inv.status().discrepancies

        self.run("count places", job, self._places)

    def _places(self, got: tuple[list[str], tuple[tuple[int, str], ...]]) -> None:
        self.places.emit(*got)

    def start(self, location: str) -> None:
        inv, by = self.book.inv, self.book.operator
        self.seen, self.result = [], None
        self.run("start count", lambda: (inv.start_count(location, by=by), location), self._go)

    def _go(self, got: tuple[int, str]) -> None:
        self.count_id, self.location = got
        self.started.emit(*got)

    def add(self, text: str) -> list[str]:
        """Add typed or scanned numbers; returns the ones that were new."""
        new = [n for n in parse_scanned(text) if n not in self.seen]
        self.seen.extend(new)
        return new

    def remove(self, numbers: Sequence[str]) -> None:
        self.seen = [n for n in self.seen if n not in set(numbers)]

    def submit(self) -> None:
        if self.count_id is None:
            return
        inv, by, cid, seen = self.book.inv, self.book.operator, self.count_id, list(self.seen)
        self.run("submit count", lambda: inv.submit_count(cid, by=by, seen=seen), self._sub)

    def _sub(self, result: CountResult) -> None:
        self.result = result
        self.submitted.emit(result)

    def resolve(self, note: str, lost: Sequence[str]) -> None:
        r = self.result
        if r is None:
            return
        inv, by, lost_list = self.book.inv, self.book.operator, list(lost)
        self.run(
            "resolve count",
            lambda: inv.resolve(r.count_id, by=by, note=note, lost=lost_list),
            self._res,
        )

    def _res(self, result: CountResult) -> None:
        self.result = result
        self.resolved.emit(result)


class DestroyController(Controller):
    """Spoiled blanks, and their destruction signed by two different people."""

    loaded = Signal(object)  # list[BlankInfo] — the SPOILED blanks
    destroyed = Signal(int, int)  # destruction id, cards

    def refresh(self) -> None:
        inv = self.book.inv
        self.run("spoiled blanks", lambda: inv.blanks(state=State.SPOILED), self._loaded)

    def _loaded(self, blanks: list[BlankInfo]) -> None:
        self.loaded.emit(blanks)

    def check_witness(self, witness: str) -> str:
        """Refuse at once what the service would refuse: no name, or the operator."""
        if not witness.strip():
            return "empty"
        if witness.strip() == self.book.operator:
            return "same"
        return ""

    def destroy(self, cards: Sequence[str], witness: str, password: str, reason: str) -> None:
        """The witness signs in on the worker, the destruction is booked with both names,
        the witness is signed out again (also when the act was refused)."""
        inv, by = self.book.inv, self.book.operator
        card_list, who = list(cards), witness.strip()
        why = reason.strip() or "销毁 destroyed"
        if not card_list:
            raise InventoryError("没有要销毁的卡 (no cards to destroy)")

        def job() -> tuple[int, int]:
            inv.auth.sign_in(who, password)
            try:
                return inv.destroy(card_list, by=by, witness=who, reason=why), len(card_list)
            finally:
                inv.auth.sign_out(who)

        self.run("destroy", job, self._done)

    def _done(self, got: tuple[int, int]) -> None:
        self.destroyed.emit(*got)
        self.refresh()
