"""Verifying the book: the hash chain walked from the start, then the ledger replayed and
compared with the blank rows.

Why both: the chain shows that no ledger row was edited or removed behind the software's
back; the replay shows that the blank rows (where cards are *now*) are what the ledger says.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.inventory.ledger import GENESIS, LedgerReport, chain_hash
from station.inventory.models import Action, Blank, LedgerHead, LedgerRow

if TYPE_CHECKING:
    from station.inventory.service import Inventory

Replayed = tuple[str, str | None, str | None]  # (state, location, job id)


def _walk(s: Session, rep: LedgerReport) -> tuple[bytes, dict[int, Replayed]] | None:
    """Walk the chain; ``None`` (and ``rep`` says why) at the first broken row."""
    prev, expected_seq = GENESIS, 1
    replay: dict[int, Replayed] = {}
    q = select(LedgerRow.__table__).order_by(LedgerRow.seq)
    for r in s.execute(q.execution_options(yield_per=5000)):
        if r.seq != expected_seq:
            rep.first_bad_seq = expected_seq
            rep.problem = f"第{expected_seq}行缺失 (ledger row {expected_seq} is missing)"
            return None
        if not hmac.compare_digest(chain_hash(prev, dict(r._mapping)), bytes(r.hash)):
            rep.first_bad_seq = r.seq
            rep.problem = f"第{r.seq}行哈希不符，记录被改动 (ledger row {r.seq}: hash mismatch)"
            return None
        prev = bytes(r.hash)
        expected_seq += 1
        rep.rows += 1
        job = replay.get(r.blank_id, (None, None, None))[2]
        if r.action == Action.RESERVE.value:
            job = r.job_id
        elif r.action == Action.RELEASE.value:
            job = None
        replay[r.blank_id] = (r.to_state, r.to_location, job)
    return prev, replay


def verify_ledger(inv: Inventory) -> LedgerReport:
    def work(s: Session) -> LedgerReport:
        rep = LedgerReport()
        walked = _walk(s, rep)
        if walked is None:
            return rep
        prev, replay = walked
        head = s.get(LedgerHead, 1)
        if (
            head is None
            or head.last_seq != rep.rows
            or not hmac.compare_digest(bytes(head.last_hash), prev)
        ):
            rep.first_bad_seq = min(rep.rows, head.last_seq if head else 0) + 1
            rep.problem = (
                f"账尾不符：账本有{rep.rows}行，账头记录{head.last_seq if head else '?'}行 "
                f"(ledger tail does not match its head: rows deleted or added)"
            )
            return rep
        for b in s.execute(
            select(Blank.id, Blank.card_number, Blank.state, Blank.location, Blank.job_id)
        ):
            want = replay.get(b.id)
            have = (b.state, b.location, b.job_id)
            if want != have:
                rep.mismatches.append(f"{b.card_number}: book {have}, ledger {want}")
        return rep

    return inv.read(work)
