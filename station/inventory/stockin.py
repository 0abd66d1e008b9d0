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
    cards = parse_manifest(raw, today=inv.today())  # the manifest names bank and maker

    def work(s: Session) -> StockInResult:
        inv._user(s, by, Duty.STOCK_IN)
        line = cards[0].line
        problems: list[tuple[int, str]] = []
        b = _party(s, Bank, cards[0].bank, bank, line, problems, "银行", "bank")
        m = _party(
            s, Manufacturer, cards[0].manufacturer, manufacturer, line, problems, "制卡商",
            "manufacturer",
        )  # fmt: skip
        problems.extend(_already_in_stock(inv, s, cards))
        if problems or b is None or m is None:
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
        s.execute(insert(Blank), [_blank_row(c, batch.id, b, m, now) for c in cards])
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


def _party(
    s: Session,
    model: type[Bank] | type[Manufacturer],
    named: str,
    given: str | None,
    line: int,
    problems: list[tuple[int, str]],
    zh: str,
    en: str,
) -> str | None:
    """The registered code of the bank (or maker) the manifest names — by code or by its
    registered name; ``given`` (``--bank``), when there, must be the same one."""
    code = _registered(s, model, named)
    if code is None:
        problems.append(
            (
                line,
                f"未登记的{zh} {named}，请先登记 (unknown {en}: register it first with "
                f"`station inventory {en} add CODE '{named}'`)",
            )
        )
        return None
    if given is not None and _registered(s, model, given) != code:
        problems.append(
            (line, f"清单中的{zh}是 {named}，不是 {given} (manifest names {en} {named})")
        )
        return None
    return code


def _registered(s: Session, model: type[Bank] | type[Manufacturer], text: str) -> str | None:
    if len(text) <= 16 and s.get(model, text) is not None:
        return text
    codes = list(s.execute(select(model.code).where(model.name == text).limit(2)).scalars())
    return codes[0] if len(codes) == 1 else None


def _blank_row(c: ManifestCard, batch_id: int, bank: str, maker: str, now: Any) -> dict[str, Any]:
    return {
        "batch_id": batch_id,
        "bank": bank,
        "manufacturer": maker,
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
