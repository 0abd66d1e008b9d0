"""Operator authentication (issue 14, finding 11): a typed name proves nothing.

Attacks the way the audit did — ``-u sup`` without sup's password, a witness who never
signed, guessing — on SQLite and PostgreSQL, through the service and through the real
command line (a child process with real pipes, so "no terminal" is real).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from sqlalchemy import select

from station.cli import main
from station.errors import StationError
from station.inventory import Inventory, LocationKind, PermissionDenied, Role, State
from station.inventory.auth import (
    LOCK_FOR,
    MAX_FAILURES,
    ONE_TIME_VALID,
    AccountLocked,
    NotSignedIn,
    OneTimeCodeExpired,
    PasswordChangeRequired,
    SignInFailed,
    WeakPassword,
)
from station.inventory.db import make_engine, migrate
from station.inventory.models import AuthEvent, AuthEventKind, Destruction, User
from station.inventory.samples import sample_manifest

from .conftest import FAST_HASHER, PASSWORDS, Clock, Db, ledger_len

ROOT = Path(__file__).resolve().parents[2]


def no_secret_in(texts: Iterable[str], secrets_: Iterable[str]) -> None:
    """Fail without printing the secret (an ``assert s not in t`` would show it)."""
    texts = list(texts)
    for i, s in enumerate(secrets_):
        for j, t in enumerate(texts):
            if s and s in t:
                raise AssertionError(f"secret #{i} found in text #{j}")


def fresh(db: Db, clock: Clock) -> Inventory:
    """A second process's view of the same book: nobody has signed in to it."""
    return Inventory(db.engine, clock=clock, tz=dt.UTC, password_hasher=FAST_HASHER)


def _events(db: Db, username: str | None = None) -> list[str]:
    with db.engine.connect() as c:
        q = select(AuthEvent.kind).order_by(AuthEvent.id)
        if username is not None:
            q = q.where(AuthEvent.username == username)
        return [k for (k,) in c.execute(q)]


# -- acceptance: "-u sup without sup's password can stock in, resolve or destroy nothing" ---


def test_a_typed_name_without_its_password_does_nothing(
    stocked: Inventory, db: Db, clock: Clock
) -> None:
    b = stocked.reserve("D1", "ICBC", "j1", by="t1")
    stocked.spoil(b.card_number, "print failed", by="t1")
    diff = stocked.count("D1", by="t1", counted={"ICBC": 3, "CCB": 3})
    assert not diff.matched
    before = ledger_len(stocked)

    other = fresh(db, clock)  # `station inventory … -u sup` in another process, no password
    with pytest.raises(NotSignedIn):
        other.stock_in(sample_manifest(2, prefix="X9"), by="sup")
    with pytest.raises(NotSignedIn):
        other.resolve(diff.count_id, by="sup", note="fine")
    with pytest.raises(NotSignedIn):
        other.destroy([b.card_number], by="sup", witness="aud")
    with pytest.raises(NotSignedIn):
        other.add_user("mallory", Role.SUPERVISOR, by="sup")
    with pytest.raises(SignInFailed):
        other.auth.sign_in("sup", "not-the-password")
    with pytest.raises(NotSignedIn):  # a failed sign-in leaves the name as powerless
        other.stock_in(sample_manifest(2, prefix="X9"), by="sup")
    assert ledger_len(stocked) == before
    assert other.blank(b.card_number).state == State.SPOILED
    assert other.status().discrepancies  # still open

    other.auth.sign_in("sup", PASSWORDS["sup"])  # with the password it works
    assert other.stock_in(sample_manifest(2, prefix="X9"), by="sup").count == 2
    other.auth.sign_out("sup")
    with pytest.raises(NotSignedIn):
        other.allocate("D1", 1, bank="ICBC", by="sup")


def test_destruction_needs_two_different_people_who_both_signed_in(
    stocked: Inventory, db: Db, clock: Clock
) -> None:
    b = stocked.reserve("D1", "ICBC", "j1", by="t1")
    stocked.spoil(b.card_number, "chip failed", by="t1")
    other = fresh(db, clock)
    other.auth.sign_in("sup", PASSWORDS["sup"])
    with pytest.raises(NotSignedIn):  # the witness's name alone is only paper
        other.destroy([b.card_number], by="sup", witness="aud")
    with pytest.raises(PermissionDenied):
        other.destroy([b.card_number], by="sup", witness="sup")
    other.auth.sign_in("aud", PASSWORDS["aud"])
    did = other.destroy([b.card_number], by="sup", witness="aud")
    with db.engine.connect() as c:
        d = c.execute(select(Destruction).where(Destruction.id == did)).one()
    assert (d.destroyed_by, d.witness) == ("sup", "aud")
    assert other.blank(b.card_number).state == State.DESTROYED


# -- lock-out ----------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_account_for_a_while(
    inv: Inventory, db: Db, clock: Clock
) -> None:
    other = fresh(db, clock)
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(SignInFailed) as e:
            other.auth.sign_in("sup", "guess-guess-1")
        assert not isinstance(e.value, AccountLocked)
    with pytest.raises(AccountLocked):
        other.auth.sign_in("sup", "guess-guess-1")
    with pytest.raises(AccountLocked):  # even the right password, while locked
        other.auth.sign_in("sup", PASSWORDS["sup"])
    clock.advance(seconds=LOCK_FOR.total_seconds() - 5)
    with pytest.raises(AccountLocked):
        other.auth.sign_in("sup", PASSWORDS["sup"])
    clock.advance(seconds=10)
    assert other.auth.sign_in("sup", PASSWORDS["sup"]).role == Role.SUPERVISOR
    kinds = _events(db, "sup")
    assert kinds.count(AuthEventKind.SIGN_IN_FAILED) == MAX_FAILURES
    assert kinds.count(AuthEventKind.LOCKED) == 1
    assert kinds.count(AuthEventKind.REFUSED_LOCKED) == 2
    assert kinds[-1] == AuthEventKind.SIGN_IN


def test_failures_must_be_consecutive_and_a_reset_lifts_a_lock(
    inv: Inventory, db: Db, clock: Clock
) -> None:
    other = fresh(db, clock)
    for _ in range(2):
        for _ in range(MAX_FAILURES - 1):
            with pytest.raises(SignInFailed):
                other.auth.sign_in("t1", "guess-guess-2")
        other.auth.sign_in("t1", PASSWORDS["t1"])  # a success starts the count again
    for _ in range(MAX_FAILURES):
        with pytest.raises(SignInFailed):
            other.auth.sign_in("t2", "guess-guess-3")
    with pytest.raises(AccountLocked):
        other.auth.sign_in("t2", PASSWORDS["t2"])
    code = inv.auth.reset_password("t2", by="sup")
    other.auth.sign_in("t2", code, new_password="t2-new-Pw-11")
    assert other.auth.is_signed_in("t2")


# -- credentials' life -------------------------------------------------------------------


def test_new_user_sets_own_password_with_the_one_time_code(
    inv: Inventory, db: Db, clock: Clock
) -> None:
    code = inv.add_user("t3", Role.TELLER, by="sup")
    inv.add_location("D3", LocationKind.DRAWER, owner="t3", by="sup")
    other = fresh(db, clock)
    with pytest.raises(PasswordChangeRequired):
        other.auth.sign_in("t3", code.lower())  # right code, but a password must be set
    with pytest.raises(NotSignedIn):
        other.count("D3", by="t3", counted={})
    with pytest.raises(WeakPassword):
        other.auth.sign_in("t3", code, new_password="short")
    op = other.auth.sign_in("t3", code, new_password="t3-own-Pw-42")
    assert (op.username, op.role) == ("t3", Role.TELLER)
    other.count("D3", by="t3", counted={})
    with pytest.raises(SignInFailed):  # the code was for once
        fresh(db, clock).auth.sign_in("t3", code)
    assert fresh(db, clock).auth.sign_in("t3", "t3-own-Pw-42").username == "t3"
    assert _events(db, "t3") == [
        AuthEventKind.ONE_TIME_ISSUED,
        AuthEventKind.PASSWORD_REQUIRED,
        AuthEventKind.PASSWORD_SET,
        AuthEventKind.SIGN_IN,
        AuthEventKind.SIGN_IN_FAILED,
        AuthEventKind.SIGN_IN,
    ]


def test_a_one_time_code_expires(inv: Inventory, db: Db, clock: Clock) -> None:
    code = inv.add_user("t4", Role.TELLER, by="sup")
    clock.advance(seconds=ONE_TIME_VALID.total_seconds() + 60)
    with pytest.raises(OneTimeCodeExpired):
        fresh(db, clock).auth.sign_in("t4", code, new_password="t4-own-Pw-42")


def test_change_and_reset_end_running_sessions(inv: Inventory, db: Db, clock: Clock) -> None:
    desk = fresh(db, clock)  # t1's desktop app, signed in this morning
    desk.auth.sign_in("t1", PASSWORDS["t1"])
    desk.count("D1", by="t1", counted={})
    with pytest.raises(SignInFailed):  # changing needs the current password
        inv.auth.change_password("t1", "wrong-old-pw", "t1-new-Pw-77")
    with pytest.raises(WeakPassword):
        inv.auth.change_password("t1", PASSWORDS["t1"], PASSWORDS["t1"])
    inv.auth.change_password("t1", PASSWORDS["t1"], "t1-new-Pw-77")
    inv.count("D1", by="t1", counted={})  # the changer's own session follows the change
    with pytest.raises(NotSignedIn):  # the other app's session died with the old password
        desk.count("D1", by="t1", counted={})
    desk.auth.sign_in("t1", "t1-new-Pw-77")
    desk.count("D1", by="t1", counted={})

    with pytest.raises(PermissionDenied):  # a teller cannot reset
        inv.auth.reset_password("t2", by="t1")
    with pytest.raises(PermissionDenied):  # nor a supervisor their own (use passwd)
        inv.auth.reset_password("sup", by="sup")
    code = inv.auth.reset_password("t1", by="sup2")
    with pytest.raises(NotSignedIn):
        desk.count("D1", by="t1", counted={})
    with pytest.raises(SignInFailed):  # the old password is gone
        desk.auth.sign_in("t1", "t1-new-Pw-77")
    desk.auth.sign_in("t1", code, new_password="t1-third-Pw-5")
    desk.count("D1", by="t1", counted={})
    resets = [e for e in inv.auth.events("t1") if e.kind == AuthEventKind.PASSWORD_RESET]
    assert len(resets) == 1 and resets[0].actor == "sup2"


def test_bootstrap_only_while_nobody_has_credentials(db: Db, clock: Clock) -> None:
    inv = fresh(db, clock)
    with pytest.raises(PermissionDenied):  # nobody can add users before the first supervisor
        inv.add_user("x", Role.SUPERVISOR)
    with pytest.raises(WeakPassword):
        inv.auth.bootstrap("boss", "boss")
    op = inv.auth.bootstrap("boss", "boss-Pw-2030")
    assert op.role == Role.SUPERVISOR and inv.auth.is_signed_in("boss")
    with pytest.raises(PermissionDenied):
        fresh(db, clock).auth.bootstrap("eve", "eve-Pw-2030")
    with pytest.raises(PermissionDenied):  # nor can the supervisor be enrolled again
        fresh(db, clock).auth.bootstrap("boss", "eve-Pw-2030")
    with pytest.raises(PermissionDenied):
        inv.add_user("x", Role.TELLER)  # no `by`: refused once a user exists
    assert inv.add_user("x", Role.TELLER, by="boss")


def test_upgrade_from_0001_keeps_users_without_credentials(tmp_path: Path, clock: Clock) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate(engine, "0001")
    with engine.begin() as c:
        for name, role in (("old_sup", "supervisor"), ("old_t", "teller")):
            c.exec_driver_sql(
                "INSERT INTO inv_users (username, display_name, role, active, created_at) "
                "VALUES (?, '', ?, 1, '2030-01-01 00:00:00')",
                (name, role),
            )
    migrate(engine)
    inv = Inventory(engine, clock=clock, tz=dt.UTC, password_hasher=FAST_HASHER)
    for name in ("old_sup", "old_t"):  # nobody can sign in as a migrated user …
        with pytest.raises(SignInFailed):
            inv.auth.sign_in(name, "")
    with pytest.raises(PermissionDenied):  # … and a teller cannot be the first enrolled
        inv.auth.bootstrap("old_t", "old-t-Pw-77")
    inv.auth.bootstrap("old_sup", "old-sup-Pw-77")  # `inventory init --supervisor old_sup`
    code = inv.auth.reset_password("old_t", by="old_sup")
    assert inv.auth.sign_in("old_t", code, new_password="old-t-Pw-77").role == Role.TELLER
    engine.dispose()


def test_events_and_errors_never_hold_a_secret(
    inv: Inventory, db: Db, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    said: list[str] = []
    code = inv.add_user("t5", Role.TELLER, by="sup")
    other = fresh(db, clock)
    for attempt in (
        lambda: other.auth.sign_in("t5", code),
        lambda: other.auth.sign_in("t5", code, new_password="t5"),
        lambda: other.auth.sign_in("t5-Secret-Typo-99", "x"),  # a password typed as a name
        lambda: other.auth.sign_in("t5", "t5-wrong-guess-1"),
        lambda: other.auth.change_password("t5", "bad-old-pw-1", "t5-other-Pw-1"),
    ):
        with pytest.raises(StationError) as e:
            attempt()
        said += [str(e.value), e.value.message, str(e.value.detail)]
    other.auth.sign_in("t5", code, new_password="t5-Secret-Pw-1")
    other.auth.change_password("t5", "t5-Secret-Pw-1", "t5-Secret-Pw-2")
    code2 = inv.auth.reset_password("t5", by="sup")
    with pytest.raises(WeakPassword) as w:
        other.auth.sign_in("t5", code2, new_password="t5\x1bSecret-Pw-3")
    said.append(str(w.value))
    other.auth.sign_out("t5")

    with db.engine.connect() as c:
        rows = [" | ".join(map(str, r)) for r in c.execute(select(AuthEvent.__table__))]
        hashes = [h for (h,) in c.execute(select(User.password_hash)) if h]
    kinds = {r.split(" | ")[2] for r in rows}
    assert {k.value for k in AuthEventKind} <= kinds | {"LOCKED", "REFUSED_LOCKED"}
    assert sum(" | None | " in r and "unknown" in r for r in rows) == 1  # name not kept
    assert all(h.startswith("$argon2id$") for h in hashes)
    secrets_ = [code, code2, "t5-Secret-Pw-1", "t5-Secret-Pw-2", "t5-Secret", "t5-wrong-guess-1"]
    secrets_ += [*PASSWORDS.values(), "bad-old-pw-1", "t5-other-Pw-1", *hashes]
    no_secret_in(rows + said + [caplog.text], secrets_)


# -- the command line --------------------------------------------------------------------


def _url(db: Db) -> list[str]:
    if db.schema:
        return ["--db", f"{db.url}?options=-csearch_path%3D{db.schema}"]
    return ["--db", db.url]


def _station(args: list[str], tmp: Path, stdin: str | None) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("STATION_") or k == "STATION_TEST_PG_URL"
    }
    env["STATION_CONFIG"] = str(tmp / "none.toml")
    env["STATION_DATA_DIR"] = str(tmp / "data")
    return subprocess.run(
        [sys.executable, "-m", "station", *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )


def test_cli_password_stdin_and_no_terminal(stocked: Inventory, db: Db, tmp_path: Path) -> None:
    b = stocked.reserve("D1", "ICBC", "j1", by="t1")
    stocked.spoil(b.card_number, "print failed", by="t1")
    m = tmp_path / "m.csv"
    m.write_text(sample_manifest(2, prefix="Q5"), encoding="utf-8")
    stock_in = ["inventory", "stock-in", "--manifest", str(m), "-u", "sup", *_url(db)]

    r = _station(stock_in, tmp_path, None)  # no terminal, no --password-stdin
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 2 and len(lines) == 1 and "--password-stdin" in lines[0]
    assert "Traceback" not in r.stderr and "EOFError" not in r.stderr

    r = _station([*stock_in, "--password-stdin"], tmp_path, "wrong-password-7\n")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    no_secret_in([r.stdout, r.stderr], ["wrong-password-7"])

    r = _station([*stock_in, "--password-stdin"], tmp_path, PASSWORDS["sup"] + "\n")
    assert r.returncode == 0, r.stderr
    assert len(stocked.blanks(state=State.IN_VAULT)) == 30 - 8 + 2

    destroy = ["inventory", "destroy", b.card_number, "-u", "sup", *_url(db), "--password-stdin"]
    r = _station([*destroy, "--witness", "sup"], tmp_path, PASSWORDS["sup"] + "\n")
    assert r.returncode == 2 and "different" in r.stderr
    r = _station([*destroy, "--witness", "aud"], tmp_path, PASSWORDS["sup"] + "\nnope-nope-1\n")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert stocked.blank(b.card_number).state == State.SPOILED
    two = f"{PASSWORDS['sup']}\n{PASSWORDS['aud']}\n"
    r = _station([*destroy, "--witness", "aud"], tmp_path, two)
    assert r.returncode == 0, r.stderr
    assert stocked.blank(b.card_number).state == State.DESTROYED
    no_secret_in([r.stdout, r.stderr], PASSWORDS.values())


def test_cli_user_add_reset_and_passwd(
    inv: Inventory,
    db: Db,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def run(argv: list[str], *lines: str) -> int:
        monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{x}\n" for x in lines)))
        return main([*argv, *_url(db), "--password-stdin"])

    user = ["inventory", "user"]
    assert run([*user, "add", "t7", "--role", "teller", "-u", "t1"], PASSWORDS["t1"]) == 2
    assert "teller" in capsys.readouterr().err  # a teller may not add users
    assert run([*user, "add", "t7", "--role", "teller", "-u", "sup"], PASSWORDS["sup"]) == 0
    code = capsys.readouterr().out.split("one-time code: ")[1].split()[0]
    assert run([*user, "passwd", "-u", "t7"], code, "t7-own-Pw-31") == 0
    assert run([*user, "reset-password", "t7", "-u", "sup"], "wrong-sup-pw") == 2
    assert run([*user, "reset-password", "t7", "-u", "sup"], PASSWORDS["sup"]) == 0
    code2 = capsys.readouterr().out.split("one-time code: ")[1].split()[0]
    count = ["inventory", "count", "--location", "D1", "--counted", "ICBC=0", "-u", "t7"]
    assert run(count, code2) == 2
    assert "passwd" in capsys.readouterr().err  # must set a password first
    assert run([*user, "passwd", "-u", "t7"], "t7-own-Pw-31", "t7-next-Pw-1") == 2  # old is gone
    assert run([*user, "passwd", "-u", "t7"], code2, "t7-next-Pw-1") == 0
    other = Inventory(db.engine, password_hasher=FAST_HASHER)
    assert other.auth.sign_in("t7", "t7-next-Pw-1").role == Role.TELLER
    kinds = _events(db, "t7")
    assert kinds.count(AuthEventKind.PASSWORD_SET) == 2 and AuthEventKind.PASSWORD_RESET in kinds


def _run_on_a_terminal(argv: list[str], answers: list[str], tmp: Path) -> tuple[int, str]:
    """Run ``station`` with a pseudo-terminal as its controlling terminal (what ``getpass``
    reads); answer each password prompt in turn.  Returns (exit code, everything shown)."""
    from tests.terminal import run_on_terminal

    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env |= {"STATION_CONFIG": str(tmp / "none.toml"), "STATION_DATA_DIR": str(tmp / "data")}
    pending = list(answers)

    def answer(shown: bytes) -> bytes | None:
        if pending and shown.count(b"password") > len(answers) - len(pending):
            return pending.pop(0).encode() + b"\n"
        return None

    code, shown = run_on_terminal(argv, env, answer)
    return code, shown.decode("utf-8", "replace")


def test_cli_asks_on_the_terminal_without_echo(stocked: Inventory, db: Db, tmp_path: Path) -> None:
    m = tmp_path / "m.csv"
    m.write_text(sample_manifest(2, prefix="Q6"), encoding="utf-8")
    argv = ["inventory", "stock-in", "--manifest", str(m), "-u", "sup", *_url(db)]
    code, shown = _run_on_a_terminal(argv, [PASSWORDS["sup"]], tmp_path)
    assert code == 0, shown[-300:]
    assert "sup's password" in shown and "stocked in" in shown
    no_secret_in([shown], [PASSWORDS["sup"]])  # typed, but never echoed
    assert len(stocked.blanks(state=State.IN_VAULT)) == 30 - 8 + 2
