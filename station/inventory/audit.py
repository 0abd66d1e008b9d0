"""Verifying the book: the hash chain walked from the start, the ledger replayed into the
expected state of every blank it names, and the witnessed heads found again in the chain.

Why all three:

* the chain shows that no ledger row was edited or removed behind the software's back —
  unless the editor re-hashed everything after the edit and fixed the head row;
* the replay compares both ways with ``inv_blanks``: a blank the ledger names but the table
  lacks (a deleted row), a row the ledger never named (a forged card), and a row whose
  number, bank, state, place or job differs.  It also checks that each movement starts from
  the state the previous one left and is one ``rules.TRANSITIONS`` allows, so a re-hashed
  edit that breaks the story of a card is still found;
* the witness (``witness.py``) holds heads copied outside the database: a cut tail with a
  fixed head, or a ledger re-hashed from any row at or before a witnessed head, no longer
  has the witnessed hash at the witnessed row.
"""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.inventory.ledger import GENESIS, LedgerReport, chain_hash
from station.inventory.models import Action, Blank, LedgerHead, LedgerRow, State
from station.inventory.rules import TRANSITIONS
from station.inventory.witness import Witnessed

if TYPE_CHECKING:
    from station.inventory.service import Inventory

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Expected:
    """A blank as the ledger says it must be now."""

    card_number: str
    bank: str
    state: str
    location: str | None
    job_id: str | None


def _follows(prev: Expected | None, r: Any) -> bool:
    """Does ledger row ``r`` start where the blank's previous row left it, by a rule?"""
    if r.action == Action.STOCK_IN.value:
        return prev is None and r.from_state is None and r.to_state == State.IN_VAULT.value
    if prev is None or r.from_state != prev.state or r.from_location != prev.location:
        return False
    starts, to_state = TRANSITIONS[Action(r.action)]
    return State(r.from_state) in starts and r.to_state == to_state.value


def _replay_row(replay: dict[int, Expected], r: Any, rep: LedgerReport) -> None:
    prev = replay.get(r.blank_id)
    if not _follows(prev, r):
        was = "nothing" if prev is None else f"{prev.state} at {prev.location}"
        rep.mismatches.append(
            f"ledger row {r.seq}: {r.card_number} {r.action} {r.from_state}->{r.to_state} "
            f"does not follow from {was}"
        )
    job = prev.job_id if prev is not None else None
    if r.action == Action.RESERVE.value:
        job = r.job_id
    elif r.action == Action.RELEASE.value:
        job = None
    replay[r.blank_id] = Expected(r.card_number, r.bank, r.to_state, r.to_location, job)


def _walk(s: Session, rep: LedgerReport) -> tuple[bytes, dict[int, Expected]] | None:
    """Walk and replay the chain; ``None`` (and ``rep`` says why) at the first broken row."""
    prev, expected_seq = GENESIS, 1
    replay: dict[int, Expected] = {}
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
        _replay_row(replay, r, rep)
    return prev, replay


def _check_head(s: Session, rep: LedgerReport, last: bytes) -> bool:
    head = s.get(LedgerHead, 1)
    if (
        head is None
        or head.last_seq != rep.rows
        or not hmac.compare_digest(bytes(head.last_hash), last)
    ):
        rep.first_bad_seq = min(rep.rows, head.last_seq if head else 0) + 1
        rep.problem = (
            f"账尾不符：账本有{rep.rows}行，账头记录{head.last_seq if head else '?'}行 "
            f"(ledger tail does not match its head: rows deleted or added)"
        )
        return False
    rep.head = last.hex()
    return True


def _compare_blanks(s: Session, replay: dict[int, Expected], rep: LedgerReport) -> None:
    """Both ways: every blank the ledger names against every row of ``inv_blanks``."""
    left = dict(replay)
    cols = (Blank.id, Blank.card_number, Blank.bank, Blank.state, Blank.location, Blank.job_id)
    for b in s.execute(select(*cols).order_by(Blank.id)):
        want = left.pop(b.id, None)
        have = Expected(b.card_number, b.bank, b.state, b.location, b.job_id)
        if want is None:
            rep.mismatches.append(
                f"{b.card_number}: extra row in inv_blanks (id {b.id}), never in the ledger"
            )
        elif want != have:
            rep.mismatches.append(f"{b.card_number}: differs: book {have}, ledger {want}")
    for blank_id, want in sorted(left.items()):
        rep.mismatches.append(
            f"{want.card_number}: missing from inv_blanks (id {blank_id}); "
            f"ledger says {want.state} at {want.location}"
        )


def _check_witness(
    s: Session, rep: LedgerReport, witnessed: Sequence[Witnessed], book: str
) -> None:
    """Every witnessed head must still be row ``rows``'s hash.  Lines naming another book
    are checked too (fail closed: a URL is no proof of identity; one witness file per book),
    and a mismatch on such a line says which book it named."""
    mine = list(witnessed)
    rep.witnessed = len(mine)
    last = s.execute(select(LedgerRow.seq).order_by(LedgerRow.seq.desc()).limit(1)).scalar()
    seqs = sorted({w.rows for w in mine if w.rows > 0})
    hashes: dict[int, bytes] = {}
    for i in range(0, len(seqs), _CHUNK):
        q = select(LedgerRow.seq, LedgerRow.hash).where(LedgerRow.seq.in_(seqs[i : i + _CHUNK]))
        hashes.update((n, bytes(h)) for n, h in s.execute(q))
    for w in mine:
        if w.rows == 0:
            continue
        got = hashes.get(w.rows)
        if got is None:
            rep.witness_problems.append(
                f"witness line {w.line} ({w.at}): row {w.rows} is gone; "
                f"the ledger ends at row {last or 0} (tail cut){_other(w, book)}"
            )
        elif not hmac.compare_digest(got.hex(), w.head):
            rep.witness_problems.append(
                f"witness line {w.line} ({w.at}): row {w.rows} no longer has the witnessed "
                f"hash {w.head[:16]}… (ledger rewritten){_other(w, book)}"
            )


def _other(w: Witnessed, book: str) -> str:
    return "" if w.book == book else f"; the line was written for {w.book}"


def verify_ledger(
    inv: Inventory, witnessed: Sequence[Witnessed] | None = None, book: str = ""
) -> LedgerReport:
    def work(s: Session) -> LedgerReport:
        rep = LedgerReport()
        walked = _walk(s, rep)
        if walked is not None and _check_head(s, rep, walked[0]):
            _compare_blanks(s, walked[1], rep)
        if witnessed is not None:
            _check_witness(s, rep, witnessed, book)
        return rep

    return inv.read(work)
