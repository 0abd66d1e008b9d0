"""What a supervisor reads and keeps: reports, the ledger check, the registers, the outbox.

Why the reports are computed here from the service's own reports: the stock book already
gives the daily balance, the spoiled and destroyed movements and the idle blanks; "spoiled
by cause" and the waste rate are sums over those (a SPOIL's reason is its ``WasteCause``
value when the issuance journal booked it), so no new query can disagree with the CLI.
Exports go through ``station.fsutil`` (0600, atomic, never through a symlink); a balance
report witnesses the ledger head in the station's witness file, as ``station inventory
report`` does.
"""

from __future__ import annotations

import datetime as dt
import enum
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal

from station.errors import StationError
from station.fsutil import ensure_dir, write_file
from station.inventory import reports
from station.inventory.ledger import LedgerReport
from station.inventory.models import Action, LocationKind, Role
from station.inventory.service import Inventory
from station.inventory.witness import Witnessed
from station.ui.supervisor.controllers.base import Controller

MAX_DAYS = 92  # a report's range: a quarter at most (one balance query per day)


class ReportKind(enum.Enum):
    BALANCE = "balance"
    SPOILED_BY_CAUSE = "spoiled_by_cause"
    WASTE_RATE = "waste_rate"
    DESTROYED = "destroyed"
    IDLE = "idle"


@dataclass(frozen=True, slots=True)
class Report:
    """Rows for the screen and the export; ``header`` is the file's (bilingual, fixed)."""

    kind: ReportKind
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    footer: str = ""


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    if last < first:
        first, last = last, first
    n = min((last - first).days + 1, MAX_DAYS)
    return [first + dt.timedelta(days=i) for i in range(n)]


def spoiled_by_cause(lines: Sequence[reports.MovementLine]) -> list[tuple[str, int, str]]:
    """(cause, cards, share) over the SPOIL movements, most frequent first."""
    causes = Counter(m.reason or "other" for m in lines if m.action == Action.SPOIL.value)
    total = sum(causes.values())
    return [(c, n, f"{100 * n / total:.1f}%") for c, n in causes.most_common()]


def waste_rate(balance: Sequence[Any]) -> list[tuple[str, int, int, str]]:
    """(bank, issued, spoiled, waste rate) summed over balance rows; a spoiled card counts
    where it was spoiled (the reject box's intake is not counted again)."""
    issued: Counter[str] = Counter()
    spoiled: Counter[str] = Counter()
    for r in balance:
        issued[r.bank] += r.issued
        spoiled[r.bank] += r.spoiled
    out = []
    for bank in sorted(set(issued) | set(spoiled)):
        used = issued[bank] + spoiled[bank]
        rate = f"{100 * spoiled[bank] / used:.1f}%" if used else "-"
        out.append((bank, issued[bank], spoiled[bank], rate))
    return out


def build_report(
    inv: Inventory, kind: ReportKind, first: dt.date, last: dt.date, idle_days: int
) -> Report:
    """One report over the local days ``first``..``last`` (runs on the database worker)."""
    days = _days(first, last)
    span = f"{days[0]}..{days[-1]}" if len(days) > 1 else str(days[0])
    if kind is ReportKind.BALANCE:
        rows = [r for d in days for r in inv.balance(d)]
        return Report(
            kind,
            f"预制卡日结表 daily balance {span}",
            reports.BALANCE_HEADER,
            tuple(reports.balance_table(rows)),
        )
    head: tuple[str, ...]
    if kind is ReportKind.WASTE_RATE:
        rows = [r for d in days for r in inv.balance(d)]
        head = ("银行 bank", "发卡 issued", "废卡 spoiled", "废卡率 waste rate")
        return Report(kind, f"废卡率 waste rate {span}", head, tuple(waste_rate(rows)))
    if kind is ReportKind.IDLE:
        head, idle = reports.dataclass_table(reports.idle_in_drawers(inv, idle_days))
        head = head or ("card_number", "bank", "location", "since", "days")
        title = f"超过{idle_days}天未动的预制卡 blanks idle > {idle_days} days"
        return Report(kind, title, head, tuple(idle))
    moves = reports.spoiled_and_destroyed(inv, days[0], days[-1])
    if kind is ReportKind.SPOILED_BY_CAUSE:
        head = ("原因 cause", "张数 cards", "占比 share")
        return Report(
            kind, f"废卡原因 spoiled by cause {span}", head, tuple(spoiled_by_cause(moves))
        )
    gone = [m for m in moves if m.action == Action.DESTROY.value]
    head, rows_d = reports.dataclass_table(gone)
    head = head or ("at", "action", "card_number", "bank", "location", "actor", "witness")
    return Report(kind, f"已销毁 destroyed {span}", head, tuple(rows_d))


class ReportsController(Controller):
    shown = Signal(object)  # Report
    exported = Signal(str)  # the file written

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.report: Report | None = None

    def make(self, kind: ReportKind, first: dt.date, last: dt.date, idle_days: int) -> None:
        inv = self.book.inv
        self.run("report", lambda: build_report(inv, kind, first, last, idle_days), self._shown)

    def _shown(self, report: Report) -> None:
        self.report = report
        self.shown.emit(report)

    def export(self, path: str, fmt: str) -> None:
        """Write the report shown as ``csv`` or ``pdf`` to ``path``."""
        r = self.report
        if r is None or not path.strip():
            return
        inv, witness = self.book.inv, self.book.settings.witness_path()

        def job() -> str:
            footer = ""
            if r.kind is ReportKind.BALANCE:  # the paper copy names the chain's head
                w = inv.witness(witness)
                footer = f"账头 ledger head: {w.rows} rows, SM3 {w.head} ({w.at})"
            if fmt == "pdf":
                reports.write_pdf(path, r.title, r.header, r.rows, footer=footer)
            else:
                buf = io.StringIO()
                reports.write_csv(buf, r.header, r.rows)
                write_file(path, buf.getvalue())
            return path

        self.run("export report", job, self.exported.emit)


@dataclass(frozen=True, slots=True)
class LedgerCheck:
    report: LedgerReport
    witnessed: Witnessed | None  # the head appended to the witness file (when clean)
    witness_file: Path


class LedgerController(Controller):
    checked = Signal(object)  # LedgerCheck

    def verify(self) -> None:
        """Walk and replay the chain, check the heads in the witness file; when all is well,
        witness today's head there."""
        inv, path = self.book.inv, self.book.settings.witness_path()

        def job() -> LedgerCheck:
            rep = inv.verify_ledger(witness=path if path.exists() else None)
            clean = rep.ok and not rep.mismatches and not rep.witness_problems
            return LedgerCheck(rep, inv.witness(path) if clean else None, path)

        self.run("verify ledger", job, self.checked.emit)


class RegistryController(Controller):
    """Users, banks, manufacturers, locations: the lists and their ``add``."""

    loaded = Signal(object)  # dict: "users" | "banks" | "makers" | "locations" -> rows
    user_added = Signal(str, str)  # username, one-time code (shown once)

    def refresh(self) -> None:
        inv = self.book.inv

        def job() -> dict[str, list[tuple[Any, ...]]]:
            return {
                "users": [
                    (u.username, u.role.value, u.display_name, u.active) for u in inv.users()
                ],
                "banks": [(b.code, b.name) for b in inv.banks()],
                "makers": [(m.code, m.name) for m in inv.manufacturers()],
                "locations": [
                    (x.code, x.kind.value, x.owner or "", x.name) for x in inv.locations()
                ],
            }

        self.run("registers", job, self.loaded.emit)

    def add_user(self, name: str, role: Role, display: str) -> None:
        inv, by = self.book.inv, self.book.operator
        self.run(
            "add user",
            lambda: (name, inv.add_user(name, role, display_name=display, by=by)),
            self._user_added,
        )

    def _user_added(self, got: tuple[str, str]) -> None:
        self.user_added.emit(*got)
        self.refresh()

    def add_bank(self, code: str, name: str) -> None:
        inv, by = self.book.inv, self.book.operator
        self.run("add bank", lambda: inv.add_bank(code, name, by=by), self._added)

    def add_manufacturer(self, code: str, name: str) -> None:
        inv, by = self.book.inv, self.book.operator
        self.run("add maker", lambda: inv.add_manufacturer(code, name, by=by), self._added)

    def add_location(self, code: str, kind: LocationKind, owner: str, name: str) -> None:
        inv, by = self.book.inv, self.book.operator
        self.run(
            "add location",
            lambda: inv.add_location(code, kind, by=by, owner=owner or None, name=name),
            self._added,
        )

    def _added(self, _: object) -> None:
        self.refresh()


def mask_ssn(ssn: Any) -> str:
    """A registration's ID number on screen: the region and the last four only."""
    s = str(ssn or "")
    return s if len(s) < 10 else f"{s[:6]}{'*' * (len(s) - 10)}{s[-4:]}"


def record_row(r: dict[str, Any]) -> tuple[Any, ...]:
    return (
        r.get("job_id", ""),
        r.get("result", ""),
        r.get("name", ""),
        mask_ssn(r.get("ssn")),
        r.get("card_number") or "",
        r.get("bank", ""),
        r.get("operator", ""),
        r.get("finished") or "",
    )


class OutboxController(Controller):
    """This station's registrations: pending ones, exported batches, a new batch."""

    loaded = Signal(object, object)  # pending rows, batch ids
    batch_loaded = Signal(str, object)  # batch id, rows
    exported = Signal(object)  # BatchInfo | None (nothing pending)

    def _outbox(self) -> Any:
        from station.issuance.outbox import Outbox

        return Outbox(self.book.inv, station=self.book.settings.station_id or "station")

    def refresh(self) -> None:
        box = self._outbox()
        self.run("outbox", lambda: ([record_row(r) for r in box.records()], box.batches()), self._l)

    def _l(self, got: tuple[list[tuple[Any, ...]], list[str]]) -> None:
        self.loaded.emit(*got)

    def show_batch(self, batch_id: str) -> None:
        box = self._outbox()
        self.run(
            "outbox batch",
            lambda: (batch_id, [record_row(r) for r in box.records(batch_id)]),
            self._b,
        )

    def _b(self, got: tuple[str, list[tuple[Any, ...]]]) -> None:
        self.batch_loaded.emit(*got)

    def export(self, directory: str, batch_id: str | None = None) -> None:
        """A new batch of every pending record (or ``batch_id`` again) into ``directory``."""
        box = self._outbox()

        def job() -> Any:
            folder = ensure_dir(Path(directory))
            return box.export_batch(folder, batch_id=batch_id)  # named after its batch

        self.run("export outbox", job, self._exported)

    def _exported(self, info: Any) -> None:
        self.exported.emit(info)
        self.refresh()


def describe(exc: StationError) -> str:
    """One line for the screen: the message and, when it helps, the technical fact."""
    return f"{exc.message} — {exc.detail}" if exc.detail else exc.message
