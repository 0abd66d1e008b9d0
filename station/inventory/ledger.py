"""The movement ledger's hash chain.

Each row's hash is ``SM3(previous row's hash || canonical content)``; the first row chains
from 32 zero bytes.  The canonical content is a compact JSON array of every column except the
hash, so no two different rows encode alike (JSON keeps ``null`` apart from ``""``).  Editing
any column of row *n* breaks row *n*'s hash; recomputing that hash as well breaks row *n+1*;
deleting rows from the end no longer matches the head row.  The first failing row is the one
reported.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from station.crypto.algorithms import sm3
from station.inventory.models import Action, LedgerHead, LedgerRow, State

GENESIS = bytes(32)
CONTENT_FIELDS = (
    "seq",
    "ts",
    "blank_id",
    "card_number",
    "bank",
    "action",
    "from_state",
    "to_state",
    "from_location",
    "to_location",
    "actor",
    "witness",
    "job_id",
    "reason",
    "ref",
)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(timespec="microseconds")
    return value


def content_bytes(row: Mapping[str, Any]) -> bytes:
    return json.dumps(
        [_plain(row[k]) for k in CONTENT_FIELDS], ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def chain_hash(prev: bytes, row: Mapping[str, Any]) -> bytes:
    return sm3(prev + content_bytes(row))


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One movement of one blank, before it gets its place in the chain (seq, time, hash).

    The one type every job builds ledger rows from, so a row's columns are named once."""

    blank_id: int
    card_number: str
    bank: str
    action: Action
    to_state: State
    actor: str
    from_state: State | None = None
    from_location: str | None = None
    to_location: str | None = None
    witness: str | None = None
    job_id: str | None = None
    reason: str | None = None
    ref: str | None = None

    def row(self, seq: int, ts: dt.datetime) -> dict[str, Any]:
        """The table row's values (without the hash)."""
        return {
            "seq": seq,
            "ts": ts,
            "blank_id": self.blank_id,
            "card_number": self.card_number,
            "bank": self.bank,
            "action": self.action.value,
            "from_state": None if self.from_state is None else self.from_state.value,
            "to_state": self.to_state.value,
            "from_location": self.from_location,
            "to_location": self.to_location,
            "actor": self.actor,
            "witness": self.witness,
            "job_id": self.job_id,
            "reason": self.reason,
            "ref": self.ref,
        }


_L: Table = LedgerRow.__table__  # type: ignore[assignment]
_H: Table = LedgerHead.__table__  # type: ignore[assignment]
_HEAD_LOCK = select(_H.c.last_seq, _H.c.last_hash).where(_H.c.id == 1).with_for_update()
_HEAD_SET = (
    update(_H)
    .where(_H.c.id == 1)
    .values(last_seq=bindparam("p_seq"), last_hash=bindparam("p_hash"))
)
_INSERT_BATCH = 5000


def append(s: Session, entries: Sequence[LedgerEntry], ts: dt.datetime) -> None:
    """Append ``entries`` to the hash chain under the head-row lock (callers have already
    locked the blanks: the lock order is always blanks first, then the head row)."""
    if not entries:
        return
    conn = s.connection()
    head = conn.execute(_HEAD_LOCK).one()
    seq, prev = head.last_seq, bytes(head.last_hash)
    rows = []
    for e in entries:
        seq += 1
        row = e.row(seq, ts)
        prev = chain_hash(prev, row)
        row["hash"] = prev
        rows.append(row)
    for i in range(0, len(rows), _INSERT_BATCH):
        conn.execute(insert(_L), rows[i : i + _INSERT_BATCH])
    conn.execute(_HEAD_SET, {"p_seq": seq, "p_hash": prev})


@dataclass
class LedgerReport:
    """Outcome of ``Inventory.verify_ledger``.

    ``first_bad_seq`` names the first ledger row that fails its hash (or a gap in the
    sequence); ``problem`` says what is wrong in one line; ``mismatches`` lists blanks whose
    stored state differs from a replay of the ledger (missing, extra or different);
    ``witness_problems`` lists witnessed heads the chain no longer contains.  ``head`` is
    the hex SM3 of the last row (what a witness file records).
    """

    rows: int = 0
    first_bad_seq: int | None = None
    problem: str = ""
    mismatches: list[str] = field(default_factory=list)
    witness_problems: list[str] = field(default_factory=list)
    witnessed: int = 0
    head: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.first_bad_seq is None
            and not self.problem
            and not self.mismatches
            and not self.witness_problems
        )
