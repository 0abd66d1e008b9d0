"""States, roles, counts and balances — the rules of important blank certificates."""

from __future__ import annotations

import pytest

from station.inventory import (
    ALLOWED,
    CountRequired,
    DiscrepancyBlock,
    InvalidTransition,
    Inventory,
    InventoryConflict,
    NoBlankAvailable,
    PermissionDenied,
    Role,
    State,
    WrongBank,
)

from .conftest import Clock, ledger_len


def test_allowed_transitions_are_exactly_the_rule_book() -> None:
    S = State
    assert ALLOWED == {
        (S.IN_VAULT, S.IN_DRAWER),
        (S.IN_DRAWER, S.RESERVED),
        (S.RESERVED, S.IN_DRAWER),
        (S.RESERVED, S.ISSUED),
        (S.RESERVED, S.SPOILED),
        (S.SPOILED, S.DESTROYED),
        (S.IN_VAULT, S.RETURNED),
        (S.IN_DRAWER, S.RETURNED),
        (S.IN_VAULT, S.LOST),
        (S.IN_DRAWER, S.LOST),
        (S.SPOILED, S.LOST),
    }


def test_full_life_issue_spoil_destroy(stocked: Inventory) -> None:
    b = stocked.reserve("D1", "ICBC", "job-1", by="t1")
    assert b.state == State.RESERVED and b.bank == "ICBC" and b.job_id == "job-1"
    assert stocked.issue(b.card_number, "job-1", by="t1").state == State.ISSUED
    b2 = stocked.reserve("D1", "ICBC", "job-2", by="t1")
    s = stocked.spoil(b2.card_number, "色带断 ribbon broke", by="t1")
    assert (s.state, s.location, s.reason) == (State.SPOILED, "REJECT", "色带断 ribbon broke")
    stocked.destroy([b2.card_number], by="sup", witness="aud")
    assert stocked.blank(b2.card_number).state == State.DESTROYED
    assert stocked.verify_ledger().ok


def test_invalid_transitions_raise_and_change_nothing(stocked: Inventory) -> None:
    b = stocked.reserve("D1", "ICBC", "job-1", by="t1")
    stocked.issue(b.card_number, "job-1", by="t1")
    n = ledger_len(stocked)
    vault_card = stocked.blanks(location="VAULT")[0].card_number
    drawer_card = stocked.blanks(location="D1", state=State.IN_DRAWER)[0].card_number
    with pytest.raises(InvalidTransition):
        stocked.issue(b.card_number, "job-1", by="t1")  # ISSUED -> ISSUED
    with pytest.raises(InvalidTransition):
        stocked.spoil(b.card_number, "x", by="t1")  # ISSUED -> SPOILED
    with pytest.raises(InvalidTransition):
        stocked.return_([b.card_number], "x", by="sup")  # ISSUED -> RETURNED
    with pytest.raises(InvalidTransition):
        stocked.issue(drawer_card, "job-9", by="t1")  # IN_DRAWER -> ISSUED
    with pytest.raises(InvalidTransition):
        stocked.destroy([drawer_card], by="sup", witness="aud")  # IN_DRAWER -> DESTROYED
    with pytest.raises(InvalidTransition):
        stocked.release(vault_card, by="t1")  # IN_VAULT -> IN_DRAWER via release
    with pytest.raises(InvalidTransition):
        stocked.reserve_card(vault_card, "ICBC", "job-3", by="t1")  # IN_VAULT -> RESERVED
    assert ledger_len(stocked) == n
    assert stocked.blank(drawer_card).state == State.IN_DRAWER


def test_release_gives_an_abandoned_reservation_back(stocked: Inventory) -> None:
    b = stocked.reserve("D1", "ICBC", "job-1", by="t1")
    with pytest.raises(InventoryConflict):
        stocked.release(b.card_number, by="t1", job_id="other-job")
    r = stocked.release(b.card_number, by="t1", job_id="job-1", reason="客户离开 left")
    assert (r.state, r.location, r.job_id) == (State.IN_DRAWER, "D1", None)
    # the same job can reserve again, and gets a blank
    assert stocked.reserve("D1", "ICBC", "job-1", by="t1").state == State.RESERVED
    assert stocked.verify_ledger().ok


def test_reserve_is_idempotent_per_job(stocked: Inventory) -> None:
    a = stocked.reserve("D1", "ICBC", "job-1", by="t1")
    assert stocked.reserve("D1", "ICBC", "job-1", by="t1") == a
    with pytest.raises(InventoryConflict):
        stocked.reserve("D1", "CCB", "job-1", by="t1")
    with pytest.raises(InventoryConflict):
        stocked.issue(a.card_number, "job-2", by="t1")


def test_a_blank_serves_only_its_own_bank(stocked: Inventory) -> None:
    ccb = stocked.blanks(location="D1", bank="CCB")[0]
    with pytest.raises(WrongBank):
        stocked.reserve_card(ccb.card_number, "ICBC", "job-1", by="t1")
    ok = stocked.reserve_card(ccb.card_number, "CCB", "job-1", by="t1")
    assert ok.bank == "CCB"
    for _ in range(5):
        assert stocked.reserve("D1", "ICBC", f"j{_}", by="t1").bank == "ICBC"
    with pytest.raises(NoBlankAvailable):  # CCB blanks are there, but not for ICBC
        stocked.reserve("D1", "ICBC", "j9", by="t1")


def test_roles_are_checked(stocked: Inventory) -> None:
    with pytest.raises(PermissionDenied):
        stocked.allocate("D1", 1, bank="ICBC", by="t1")
    with pytest.raises(PermissionDenied):
        stocked.reserve("D1", "ICBC", "j", by="tech")
    with pytest.raises(PermissionDenied):
        stocked.reserve("D1", "ICBC", "j", by="t2")  # t1's drawer
    with pytest.raises(PermissionDenied):
        stocked.reserve("D1", "ICBC", "j", by="nobody")
    with pytest.raises(PermissionDenied):
        stocked.add_user("x", Role.TELLER)  # only a supervisor adds users once one exists
    with pytest.raises(PermissionDenied):
        stocked.add_user("x", Role.TELLER, by="t1")


def test_destroy_needs_two_different_people(stocked: Inventory) -> None:
    b = stocked.reserve("D1", "ICBC", "j", by="t1")
    stocked.spoil(b.card_number, "chip write failed", by="t1")
    with pytest.raises(PermissionDenied):
        stocked.destroy([b.card_number], by="sup", witness="sup")
    with pytest.raises(PermissionDenied):
        stocked.destroy([b.card_number], by="t1", witness="sup")  # teller cannot destroy
    with pytest.raises(PermissionDenied):
        stocked.destroy([b.card_number], by="sup", witness="tech")
    assert stocked.blank(b.card_number).state == State.SPOILED
    stocked.destroy([b.card_number], by="sup", witness="sup2")
    assert stocked.blank(b.card_number).state == State.DESTROYED


def test_daily_count_is_required_each_day(stocked: Inventory, clock: Clock) -> None:
    stocked.reserve("D1", "ICBC", "j1", by="t1")
    clock.advance(days=1)
    with pytest.raises(CountRequired):
        stocked.reserve("D1", "ICBC", "j2", by="t1")
    with pytest.raises(CountRequired):
        stocked.reserve("S1", "ICBC", "j2", by="t1")
    seen = [b.card_number for b in stocked.blanks(location="D1", state=State.IN_DRAWER)]
    assert stocked.count("D1", by="t1", seen=seen).matched
    assert stocked.reserve("D1", "ICBC", "j2", by="t1").state == State.RESERVED


def test_daily_count_is_a_setting(stocked: Inventory, clock: Clock) -> None:
    clock.advance(days=1)
    with pytest.raises(PermissionDenied):
        stocked.set_setting("require_daily_count", "false", by="t1")
    stocked.set_setting("require_daily_count", "false", by="sup")
    assert stocked.reserve("D1", "ICBC", "j2", by="t1").state == State.RESERVED


def test_discrepancy_blocks_until_supervisor_resolves(stocked: Inventory, clock: Clock) -> None:
    clock.advance(days=1)
    shelf = [b.card_number for b in stocked.blanks(location="D1", state=State.IN_DRAWER)]
    gone = shelf[0]
    r = stocked.count("D1", by="t1", seen=shelf[1:])
    assert not r.matched and r.missing == (gone,)
    with pytest.raises(DiscrepancyBlock):
        stocked.reserve("D1", "ICBC", "j", by="t1")
    # other locations are not blocked by D1's difference
    stocked.allocate("D2", 2, bank="ICBC", by="sup")
    stocked.count("D2", by="t2", counted={"ICBC": 2})
    assert stocked.reserve("D2", "ICBC", "jd2", by="t2").location == "D2"
    # LOST only by a supervisor, only a card the count found missing
    with pytest.raises(PermissionDenied):
        stocked.resolve(r.count_id, by="t1", note="x", lost=[gone])
    with pytest.raises(InvalidTransition):
        stocked.resolve(r.count_id, by="sup", note="x", lost=[shelf[1]])
    stocked.resolve(r.count_id, by="sup", note="报失 reported", lost=[gone])
    assert stocked.blank(gone).state == State.LOST
    assert stocked.reserve("D1", "ICBC", "j", by="t1").state == State.RESERVED
    with pytest.raises(InvalidTransition):
        stocked.resolve(r.count_id, by="sup", note="again")
    assert stocked.verify_ledger().ok


def test_quantity_count_shortage_and_found_again(stocked: Inventory, clock: Clock) -> None:
    clock.advance(days=1)
    r = stocked.count("D1", by="t1", counted={"ICBC": 4, "CCB": 3})
    assert not r.matched and ("ICBC", 5, 4) in r.lines
    with pytest.raises(DiscrepancyBlock):
        stocked.reserve("D1", "CCB", "j", by="t1")
    # card found again after a recount: resolved with nothing lost, block lifted
    stocked.resolve(r.count_id, by="sup", note="复点找到 found on recount")
    assert stocked.reserve("D1", "CCB", "j", by="t1").bank == "CCB"
    assert [b.state for b in stocked.blanks(state=State.LOST)] == []


def test_balance_per_location_and_bank(stocked: Inventory, clock: Clock) -> None:
    b = stocked.reserve("D1", "ICBC", "j1", by="t1")
    stocked.issue(b.card_number, "j1", by="t1")
    b = stocked.reserve("D1", "ICBC", "j2", by="t1")
    stocked.spoil(b.card_number, "bad print", by="t1")
    stocked.return_([stocked.blanks(location="VAULT", bank="CCB")[0].card_number], "r", by="sup")
    rows = {(r.location, r.bank): r for r in stocked.balance()}
    d1 = rows[("D1", "ICBC")]
    assert (d1.opening, d1.received, d1.issued, d1.spoiled, d1.closing) == (0, 5, 1, 1, 3)
    v = rows[("VAULT", "CCB")]
    assert (v.received, v.sent, v.returned, v.closing) == (10, 3, 1, 6)
    assert rows[("REJECT", "ICBC")].closing == 1
    assert all(r.balanced for r in rows.values())
    assert {k: r.closing for k, r in rows.items()} == stocked.held()
    clock.advance(days=1)
    nxt = {(r.location, r.bank): r for r in stocked.balance()}
    assert nxt[("D1", "ICBC")].opening == 3 and nxt[("D1", "ICBC")].received == 0
