"""Issue 9 item 4: every command takes the operator the same way, from the settings —
``inventory user add`` too (it once ignored ``STATION_USER`` and refused with ``[by
missing]``), and the older name ``STATION_USER`` as well as ``STATION_OPERATOR``."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.inventory import Inventory, Role

from .test_inv_reports_cli import cli

BOSS = "boss-Pw-9x"  # a test password


@pytest.fixture
def book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh book named only by the settings (``STATION_DB_URL``, a plain path), with
    its first supervisor ``boss``; no operator set yet."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STATION_DB_URL", "stock.db")
    monkeypatch.delenv("STATION_USER", raising=False)
    monkeypatch.delenv("STATION_OPERATOR", raising=False)
    assert cli(monkeypatch, ["inventory", "init", "--supervisor", "boss"], [BOSS]) == 0
    return tmp_path / "stock.db"


@pytest.mark.parametrize("variable", ["STATION_OPERATOR", "STATION_USER"])
def test_user_add_takes_the_operator_from_settings(
    book: Path,
    variable: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    capsys.readouterr()
    # no operator anywhere: one line naming the setting
    assert cli(monkeypatch, ["inventory", "user", "add", "t1", "--role", "teller"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "STATION_OPERATOR" in err and "by missing" not in err
    monkeypatch.setenv(variable, "boss")
    argv = ["inventory", "user", "add", "t1", "--role", "teller", "--name", "张三"]
    assert cli(monkeypatch, argv, [BOSS]) == 0
    out = capsys.readouterr().out
    assert "user added: t1 (teller)" in out and "one-time code" in out
    users = {u.username: u for u in Inventory(f"sqlite:///{book}").users()}
    assert users["t1"].role == Role.TELLER and users["t1"].display_name == "张三"
    # and the other commands read the same setting
    assert cli(monkeypatch, ["inventory", "bank", "add", "ICBC"], [BOSS]) == 0
    assert "bank added: ICBC" in capsys.readouterr().out


def test_the_operator_setting_is_the_one_acting(
    book: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The setting names who acts (and whose password is asked for): an unknown name there
    is refused, even with the supervisor's password on stdin; ``STATION_OPERATOR`` wins over
    the older ``STATION_USER``; ``--user`` wins over both."""
    argv = ["inventory", "user", "add", "t2", "--role", "teller"]
    monkeypatch.setenv("STATION_USER", "nobody")
    capsys.readouterr()
    assert cli(monkeypatch, argv, [BOSS]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "wrong user name or password" in err  # nobody: not boss
    monkeypatch.setenv("STATION_OPERATOR", "boss")
    assert cli(monkeypatch, argv, [BOSS]) == 0
    monkeypatch.setenv("STATION_OPERATOR", "nobody")
    by_option = ["inventory", "user", "add", "t3", "--role", "teller", "-u", "boss"]
    assert cli(monkeypatch, by_option, [BOSS]) == 0
    assert {u.username for u in Inventory(f"sqlite:///{book}").users()} == {"boss", "t2", "t3"}
