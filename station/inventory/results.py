"""What the stock book's operations return: plain frozen dataclasses, never dicts.

Why a module of its own: the CLI, the reports and the coming desktop app read these; they
should not have to import the service's machinery to name a result type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from station.inventory.models import CountStatus, LocationKind, Role, State


@dataclass(frozen=True, slots=True)
class BlankInfo:
    id: int
    card_number: str
    card_id_code: str
    bank: str
    manufacturer: str
    bank_account: str
    expiry: dt.date
    state: State
    location: str | None
    job_id: str | None
    reason: str | None

    @classmethod
    def of(cls, r: Any) -> BlankInfo:
        return cls(
            r.id,
            r.card_number,
            r.card_id_code,
            r.bank,
            r.manufacturer,
            r.bank_account,
            r.expiry,
            State(r.state),
            r.location,
            r.job_id,
            r.reason,
        )


@dataclass(frozen=True, slots=True)
class StockInResult:
    batch_id: int
    bank: str
    manufacturer: str
    count: int


@dataclass(frozen=True, slots=True)
class CountResult:
    count_id: int
    location: str
    status: CountStatus
    lines: tuple[tuple[str, int, int], ...]  # (bank, expected, counted)
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    in_jobs: int  # RESERVED blanks at the location: out in a job, not expected on the shelf

    @property
    def matched(self) -> bool:
        return self.status == CountStatus.MATCHED


@dataclass(frozen=True, slots=True)
class BalanceRow:
    """One line of the daily balance.  ``received`` counts everything that came in (stock-in,
    allocation, spoiled cards into the reject box); ``sent`` counts allocations out to another
    location.  The book balances when
    opening + received − sent − issued − spoiled − returned − destroyed − lost = closing."""

    day: dt.date
    location: str
    bank: str
    opening: int
    received: int
    sent: int
    issued: int
    spoiled: int
    returned: int
    destroyed: int
    lost: int
    closing: int

    @property
    def balanced(self) -> bool:
        out = self.sent + self.issued + self.spoiled + self.returned + self.destroyed + self.lost
        return self.opening + self.received - out == self.closing


@dataclass(frozen=True, slots=True)
class StockLine:
    location: str | None
    bank: str
    state: State
    count: int


@dataclass(frozen=True, slots=True)
class StockStatus:
    """What a supervisor looks at first (``Inventory.status``)."""

    stock: tuple[StockLine, ...]
    discrepancies: tuple[tuple[int, str], ...]  # (count id, location) still open
    count_missing_today: tuple[str, ...]  # desks not yet counted today
    require_daily_count: bool
    ledger_rows: int
    ledger_head: str  # hex SM3 of the chain's last row, as the head row holds it


@dataclass(frozen=True, slots=True)
class UserInfo:
    username: str
    role: Role
    display_name: str
    active: bool


@dataclass(frozen=True, slots=True)
class NamedCode:
    """A bank or a manufacturer."""

    code: str
    name: str


@dataclass(frozen=True, slots=True)
class LocationInfo:
    code: str
    kind: LocationKind
    owner: str | None
    name: str
