"""Issue 14 finding 7 for the stock book: text people type into it — bank and maker names,
user and location names, the reasons and notes of stock movements — is checked at entry by
the service (the station's one rule, ``station.text.single_line``), so a line break cannot
add a line to a list or report and an escape sequence cannot drive the terminal; and what
is already in the book is printed escaped by the CLI's lists."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from station.inventory import Inventory, LocationKind, Role, State
from station.text import TextFieldError

from .conftest import Clock, Db, ledger_len, raw
from .test_inv_reports_cli import _url, cli

FORGED = "中国银行\n办理结果：办理成功"  # a line that looks like the station's own
ESCAPE = "\x1b[2J\x1b[H中国银行"  # clears the terminal, then prints its own text
HOSTILE = [FORGED, ESCAPE, "银行\u202e行银", "x\ty", "a" * 201]


def _one_line_refusal(code: int, err: str, label: str) -> None:
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("错误 error: ") and label in err
    assert "\x1b" not in err and "办理成功" not in err and "Traceback" not in err


@pytest.mark.parametrize("text", [FORGED, ESCAPE], ids=["newline", "escape"])
def test_cli_bank_add_refuses_control_text_and_stores_nothing(
    inv: Inventory,
    db: Db,
    text: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = inv.banks()
    u = ["-u", "sup", *_url(db)]
    capsys.readouterr()
    for argv in (["BOC", text], [text[:16]]):  # the name, then the code itself
        code = cli(monkeypatch, ["inventory", "bank", "add", *argv, *u])
        captured = capsys.readouterr()
        _one_line_refusal(code, captured.err, "银行")
        assert captured.out == ""
    assert inv.banks() == before


@pytest.mark.parametrize("text", [FORGED, ESCAPE], ids=["newline", "escape"])
def test_cli_spoil_reason_with_control_text_is_refused(
    stocked: Inventory,
    db: Db,
    text: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    b = stocked.reserve("D1", "ICBC", "j1", by="t1")
    rows = ledger_len(stocked)
    capsys.readouterr()
    argv = ["inventory", "spoil", b.card_number, "--job", "j1", "--reason", text]
    code = cli(monkeypatch, [*argv, "-u", "t1", *_url(db)])
    captured = capsys.readouterr()
    _one_line_refusal(code, captured.err, "废卡原因")
    assert captured.out == ""
    assert stocked.blank(b.card_number).state == State.RESERVED
    assert ledger_len(stocked) == rows
    # the same reason typed as one line is taken
    one_line = text.replace("\n", " ").replace("\x1b", "")
    assert cli(monkeypatch, [*argv[:-1], one_line, "-u", "t1", *_url(db)]) == 0
    assert stocked.blank(b.card_number).state == State.SPOILED


def _entries(inv: Inventory, clock: Clock) -> dict[str, Callable[[str], object]]:
    """Every service call that takes typed text, ready to be fed one value."""
    b = inv.reserve("D1", "ICBC", "j1", by="t1")
    vault = [x.card_number for x in inv.blanks(location="VAULT", bank="CCB")]
    clock.advance(days=1)
    shelf = [x.card_number for x in inv.blanks(location="D1", state=State.IN_DRAWER)]
    count = inv.count("D1", by="t1", seen=shelf[1:])
    assert not count.matched
    return {
        "user name": lambda t: inv.add_user(t, Role.TELLER, by="sup"),
        "user display name": lambda t: inv.add_user("t9", Role.TELLER, display_name=t, by="sup"),
        "bank code": lambda t: inv.add_bank(t, by="sup"),
        "bank name": lambda t: inv.add_bank("BOC", t, by="sup"),
        "manufacturer name": lambda t: inv.add_manufacturer("M09", t, by="sup"),
        "location code": lambda t: inv.add_location(t, LocationKind.DRAWER, by="sup"),
        "location name": lambda t: inv.add_location("D9", LocationKind.DRAWER, name=t, by="sup"),
        "setting value": lambda t: inv.set_setting("note", t, by="sup"),
        "spoil reason": lambda t: inv.spoil(b.card_number, t, by="t1", job_id="j1"),
        "release reason": lambda t: inv.release(b.card_number, by="t1", job_id="j1", reason=t),
        "return reason": lambda t: inv.return_(vault[:1], t, by="sup"),
        "destroy reason": lambda t: inv.destroy([b.card_number], by="sup", witness="aud", reason=t),
        "resolve note": lambda t: inv.resolve(count.count_id, by="sup", note=t),
    }


def test_every_typed_field_refuses_control_text_and_changes_nothing(
    stocked: Inventory, db: Db, clock: Clock
) -> None:
    entries = _entries(stocked, clock)
    snapshot = _book(stocked, db)
    for field, enter in entries.items():
        for text in HOSTILE:
            with pytest.raises(TextFieldError) as err:
                enter(text)
            assert "\n" not in err.value.message and "\x1b" not in err.value.message, field
            assert text not in str(err.value), field  # the value is never echoed
    assert _book(stocked, db) == snapshot  # nothing stored, nothing moved


def _book(inv: Inventory, db: Db) -> tuple[object, ...]:
    return (
        inv.users(),
        inv.banks(),
        inv.manufacturers(),
        inv.locations(),
        sorted((b.card_number, b.state, b.location) for b in inv.blanks()),
        ledger_len(inv),
        raw(db, "SELECT count(*) FROM inv_settings").scalar_one(),
    )


def test_lists_show_stored_control_text_escaped(
    inv: Inventory, db: Db, capsys: pytest.CaptureFixture[str]
) -> None:
    """A row the service never saw (written before the check, or by hand): the list prints
    it on its own line with the control characters as escapes, never raw."""
    from station.cli import main

    raw(db, "UPDATE inv_banks SET name = :n WHERE code = 'CCB'", n=ESCAPE + "\n办理成功")
    raw(db, "UPDATE inv_users SET display_name = :n WHERE username = 't1'", n="\u202e1t")
    capsys.readouterr()
    assert main(["inventory", "bank", "list", *_url(db)]) == 0
    assert main(["inventory", "user", "list", *_url(db)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    lines = out.splitlines()
    assert r"CCB	\x1b[2J\x1b[H中国银行\n办理成功" in lines
    assert "t1\tteller\t\\u202e1t\t是 yes" in lines
    assert len(lines) == 1 + 2 + 1 + 6  # header + two banks, header + six users
