"""Any sequence of stock operations keeps the book whole (hypothesis state machine).

After every step: each blank is in exactly one known state, held blanks have a place and
others none, a replay of the ledger equals the blank rows (``verify_ledger``), the daily
balance equation holds for every location and bank and its closing equals what is held,
and the book agrees with the test's own model.  A refused step changes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import Engine, delete, insert

from station.inventory import (
    TRANSITIONS,
    Action,
    InvalidTransition,
    Inventory,
    InventoryError,
    State,
)
from station.inventory.models import (
    Bank,
    Batch,
    Blank,
    CountDifference,
    CountLine,
    CountSession,
    Destruction,
    LedgerHead,
    LedgerRow,
    Location,
    Manufacturer,
    Setting,
    User,
)
from station.inventory.samples import sample_manifest

from .conftest import Clock, Db, setup_book

HELD = {State.IN_VAULT, State.IN_DRAWER, State.RESERVED, State.SPOILED}
DESKS = ("D1", "S1")
BANKS = ("ICBC", "CCB")


def reset(engine: Engine) -> None:
    """Empty the book back to what the migration leaves (fast per-example clean slate)."""
    with engine.begin() as c:
        for model in (
            CountDifference,
            CountLine,
            CountSession,
            LedgerRow,
            Blank,
            Destruction,
            Batch,
            Location,
            User,
            Bank,
            Manufacturer,
            Setting,
            LedgerHead,
        ):
            c.execute(delete(model))
        c.execute(insert(LedgerHead).values(id=1, last_seq=0, last_hash=bytes(32)))
        c.execute(
            insert(Location),
            [
                {"code": "VAULT", "kind": "vault", "owner": None, "name": ""},
                {"code": "REJECT", "kind": "reject", "owner": None, "name": ""},
            ],
        )
        c.execute(insert(Setting).values(key="require_daily_count", value="true"))


def make_machine(db: Db) -> type[RuleBasedStateMachine]:
    prefixes = (f"{a}{b}" for a, b in itertools.product("CDEFGHJKLMNPQRSTUVWXYZ", "0123456789"))

    class Book(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            reset(db.engine)
            self.clock = Clock()
            self.inv = Inventory(db.engine, clock=self.clock, tz=dt.UTC)
            setup_book(self.inv)
            self.model: dict[str, tuple[State, str | None, str]] = {}  # card -> state, loc, bank
            self.jobs = itertools.count()

        # -- helpers
        def cards(self, *states: State) -> list[str]:
            return sorted(c for c, (s, _, _) in self.model.items() if s in states)

        def attempt(self, fn: object, *args: object, **kw: object) -> object | None:
            """Run an operation; a refusal must leave the book exactly as it was."""
            before = self.inv.status().ledger_rows
            try:
                return fn(*args, **kw)  # type: ignore[operator]
            except InventoryError:
                assert self.inv.status().ledger_rows == before
                return None

        def sync(self, card: str) -> None:
            b = self.inv.blank(card)
            old = self.model[card][0]
            if b.state != old:
                assert (old, b.state) in {(f, t) for a, (fs, t) in TRANSITIONS.items() for f in fs}
            self.model[card] = (b.state, b.location, b.bank)

        # -- rules
        @rule(bank=st.sampled_from(BANKS), n=st.integers(1, 4))
        def stock_in(self, bank: str, n: int) -> None:
            self.inv.stock_in(sample_manifest(n, bank=bank, prefix=next(prefixes)), by="sup")
            for b in self.inv.blanks(state=State.IN_VAULT):
                self.model.setdefault(b.card_number, (b.state, b.location, b.bank))

        @rule(loc=st.sampled_from(DESKS), bank=st.sampled_from(BANKS), n=st.integers(1, 3))
        def allocate(self, loc: str, bank: str, n: int) -> None:
            got = self.attempt(self.inv.allocate, loc, n, bank=bank, by="sup")
            vault = [c for c in self.cards(State.IN_VAULT) if self.model[c][2] == bank]
            if got is None:
                assert len(vault) < n
            else:
                for c in got:  # type: ignore[attr-defined]
                    self.sync(c)

        @rule(loc=st.sampled_from(DESKS))
        def count_all_present(self, loc: str) -> None:
            seen = [c for c, (s, where, _) in self.model.items() if where == loc]
            r = self.inv.count(loc, by="sup", seen=seen)
            assert r.matched and not r.missing and not r.extra, r

        @rule(loc=st.sampled_from(DESKS), data=st.data())
        def count_one_missing_then_resolve(self, loc: str, data: st.DataObject) -> None:
            here = sorted(
                c for c, (s, where, _) in self.model.items() if where == loc and s != State.RESERVED
            )
            if not here:
                return
            gone = data.draw(st.sampled_from(here))
            r = self.inv.count(loc, by="t1", seen=[c for c in here if c != gone])
            assert r.missing == (gone,)
            lose = data.draw(st.booleans())
            self.inv.resolve(r.count_id, by="sup", note="n", lost=[gone] if lose else [])
            self.sync(gone)
            assert self.model[gone][0] == (State.LOST if lose else self.model[gone][0])

        @rule(loc=st.sampled_from(DESKS), bank=st.sampled_from(BANKS))
        def reserve(self, loc: str, bank: str) -> None:
            b = self.attempt(self.inv.reserve, loc, bank, f"job{next(self.jobs)}", by="t1")
            if b is not None:
                self.sync(b.card_number)  # type: ignore[attr-defined]

        @rule(data=st.data(), what=st.sampled_from(["issue", "spoil", "release"]))
        def finish_job(self, data: st.DataObject, what: str) -> None:
            reserved = self.cards(State.RESERVED)
            if not reserved:
                return
            card = data.draw(st.sampled_from(reserved))
            job = self.inv.blank(card).job_id
            assert job is not None
            if what == "issue":
                self.attempt(self.inv.issue, card, job, by="t1")
            elif what == "spoil":
                self.inv.spoil(card, "print failed", by="t1", job_id=job)
            else:
                self.inv.release(card, by="t1", job_id=job)
            self.sync(card)

        @rule(data=st.data())
        def return_one(self, data: st.DataObject) -> None:
            cands = self.cards(State.IN_VAULT, State.IN_DRAWER)
            if cands:
                card = data.draw(st.sampled_from(cands))
                self.inv.return_([card], "defect", by="sup")
                self.sync(card)

        @rule()
        def destroy_spoiled(self) -> None:
            spoiled = self.cards(State.SPOILED)
            if spoiled:
                self.inv.destroy(spoiled, by="sup", witness="aud")
                for c in spoiled:
                    self.sync(c)

        @rule(data=st.data(), action=st.sampled_from(list(Action)))
        def anything_else_raises(self, data: st.DataObject, action: Action) -> None:
            if not self.model or action in (Action.STOCK_IN, Action.LOST):
                return
            card = data.draw(st.sampled_from(sorted(self.model)))
            state = self.model[card][0]
            if state in TRANSITIONS[action][0]:
                return
            op = {
                Action.ALLOCATE: lambda: self.inv.release(card, by="sup"),
                Action.RESERVE: lambda: self.inv.reserve_card(
                    card, self.model[card][2], "x", by="sup"
                ),
                Action.RELEASE: lambda: self.inv.release(card, by="sup"),
                Action.ISSUE: lambda: self.inv.issue(card, "x", by="sup"),
                Action.SPOIL: lambda: self.inv.spoil(card, "x", by="sup"),
                Action.RETURN: lambda: self.inv.return_([card], "x", by="sup"),
                Action.DESTROY: lambda: self.inv.destroy([card], by="sup", witness="aud"),
            }[action]
            if action == Action.ALLOCATE and state == State.RESERVED:
                return  # release is the one legal way back to the drawer
            before = self.inv.status().ledger_rows
            with pytest.raises(InvalidTransition):
                op()
            assert self.inv.status().ledger_rows == before

        @rule()
        def next_day(self) -> None:
            self.clock.advance(days=1)

        # -- invariants
        @invariant()
        def book_is_whole(self) -> None:
            blanks = self.inv.blanks()
            assert len({b.card_number for b in blanks}) == len(blanks)
            for b in blanks:
                assert b.state in State
                assert (b.location is not None) == (b.state in HELD)
                if b.state == State.RESERVED:
                    assert b.job_id
                assert self.model[b.card_number] == (b.state, b.location, b.bank)
            assert len(blanks) == len(self.model)
            rep = self.inv.verify_ledger()
            assert rep.ok, (rep.problem, rep.mismatches[:3])
            rows = self.inv.balance()
            assert all(r.balanced for r in rows)
            closing = {(r.location, r.bank): r.closing for r in rows if r.closing}
            assert closing == self.inv.held()

    return Book


def test_any_sequence_keeps_the_book_whole(db: Db) -> None:
    examples, steps = (20, 25) if db.kind == "sqlite" else (6, 20)
    run_state_machine_as_test(
        make_machine(db),
        settings=settings(
            max_examples=examples,
            stateful_step_count=steps,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
