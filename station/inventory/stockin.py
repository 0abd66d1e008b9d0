"""Stock-in: one manufacturer's delivery for one bank, into the vault, whole or not at all.

Why apart from the other movements: it is the only job that creates blanks, and the only
one that reads a file.  The manifest is checked whole (format, check characters, one bank
and maker, duplicates in the file and against the stock) before anything is written, so a
refused batch leaves no trace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import ARRAY, String, any_, bindparam, insert, select
from sqlalchemy.orm import Session

from station.inventory import ledger
from station.inventory.errors import ManifestError
from station.inventory.ledger import LedgerEntry
from station.inventory.manifest import ManifestCard, parse_manifest
from station.inventory.models import VAULT, Action, Bank, Batch, Blank, Manufacturer, State
from station.inventory.results import StockInResult
from station.inventory.rules import Duty

if TYPE_CHECKING:
    from station.inventory.service import Inventory

_CHUNK = 500
_PG_CHUNK = 20_000


def stock_in(
    inv: Inventory,
    manifest: bytes | str,
    *,
    by: str,
    bank: str | None,
    manufacturer: str | None,
    name: str,
) -> StockInResult:
    raw = manifest.encode("utf-8") if isinstance(manifest, str) else manifest
    digest = hashlib.sha256(raw).hexdigest()  # identifies the file; not a security hash
    cards = parse_manifest(raw, bank=bank, manufacturer=manufacturer, today=inv.today())

    def work(s: Session) -> StockInResult:
        inv._user(s, by, Duty.STOCK_IN)
        b, m = cards[0].bank, cards[0].manufacturer
        problems: list[tuple[int, str]] = []
        if s.get(Bank, b) is None:
            problems.append((cards[0].line, f"未登记的银行 {b} (unknown bank)"))
        if s.get(Manufacturer, m) is None:
            problems.append((cards[0].line, f"未登记的制卡商 {m} (unknown manufacturer)"))
        problems.extend(_already_in_stock(inv, s, cards))
        if problems:
            raise ManifestError(sorted(problems))
        now = inv.now()
        batch = Batch(
            bank=b,
            manufacturer=m,
            received_at=now,
            received_by=by,
            manifest_name=name[:255],
            manifest_sm3=digest,
            card_count=len(cards),
        )
        s.add(batch)
        s.flush()
        s.execute(insert(Blank), [_blank_row(c, batch.id, now) for c in cards])
        new = s.execute(
            select(Blank.id, Blank.card_number).where(Blank.batch_id == batch.id).order_by(Blank.id)
        ).all()
        entries = [
            LedgerEntry(
                blank_id=r.id,
                card_number=r.card_number,
                bank=b,
                action=Action.STOCK_IN,
                to_state=State.IN_VAULT,
                to_location=VAULT,
                actor=by,
                ref=f"batch:{batch.id}",
            )
            for r in new
        ]
        ledger.append(s, entries, inv.now())
        return StockInResult(batch.id, b, m, len(cards))

    return inv._run(work)


def _blank_row(c: ManifestCard, batch_id: int, now: Any) -> dict[str, Any]:
    return {
        "batch_id": batch_id,
        "bank": c.bank,
        "manufacturer": c.manufacturer,
        "card_id_code": c.card_id_code,
        "card_number": c.card_number,
        "bank_account": c.bank_account,
        "expiry": c.expiry,
        "state": State.IN_VAULT.value,
        "location": VAULT,
        "job_id": None,
        "reason": None,
        "moved_at": now,
        "destruction_id": None,
    }


def _already_in_stock(
    inv: Inventory, s: Session, cards: Sequence[ManifestCard]
) -> list[tuple[int, str]]:
    by_number = {c.card_number: c.line for c in cards}
    by_code = {c.card_id_code: c.line for c in cards}
    problems: list[tuple[int, str]] = []
    for col, lines, what in (
        (Blank.card_number, by_number, "社保卡号{}已在库存中 (card number already in stock)"),
        (Blank.card_id_code, by_code, "卡识别码{}已在库存中 (card id code already in stock)"),
    ):
        for value in _existing(inv, s, col, list(lines)):
            problems.append((lines[value], what.format(value)))
    return problems


def _existing(inv: Inventory, s: Session, col: Any, values: list[str]) -> list[str]:
    """Which of ``values`` already exist in ``col`` (a unique column).  PostgreSQL gets
    one array parameter per chunk: a long ``IN (…)`` list is slow to plan there."""
    found: list[str] = []
    if inv.engine.dialect.name == "postgresql":
        for i in range(0, len(values), _PG_CHUNK):
            arr = bindparam("vals", values[i : i + _PG_CHUNK], type_=ARRAY(String()))
            found += [v for (v,) in s.execute(select(col).where(col == any_(arr)))]
    else:
        for i in range(0, len(values), _CHUNK):
            found += [v for (v,) in s.execute(select(col).where(col.in_(values[i : i + _CHUNK])))]
    return found
