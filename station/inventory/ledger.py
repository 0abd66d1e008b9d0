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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from station.crypto.algorithms import sm3

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


@dataclass
class LedgerReport:
    """Outcome of ``Inventory.verify_ledger``.

    ``first_bad_seq`` names the first ledger row that fails its hash (or a gap in the
    sequence); ``problem`` says what is wrong in one line; ``mismatches`` lists blanks whose
    stored state differs from a replay of the ledger.
    """

    rows: int = 0
    first_bad_seq: int | None = None
    problem: str = ""
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None and not self.problem and not self.mismatches
