"""``station.cli.main`` as the last line of defence: whatever a handler raises, the user sees
one line — and the line carries neither the exception's text (it could hold a PIN or a SQL
parameter) nor a traceback; ``-vv`` logs the details for a bug report."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

import pytest

import station.cli as cli
from station.cli import EXIT_INTERNAL, main

SECRET = "493817"  # stands for a PIN a careless exception message might carry


def _parser_running(handler: object) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="station")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("boom").set_defaults(func=handler)
    return parser


def test_unexpected_exception_is_one_line_without_its_text(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def handler(args: argparse.Namespace) -> int:
        raise ValueError(f"bad PIN block for {SECRET}")

    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(handler))
    assert main(["boom"]) == EXIT_INTERNAL
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("错误 error: 内部错误") and "ValueError" in err
    assert SECRET not in err and "Traceback" not in err


def test_unexpected_exception_says_where_in_our_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from station.config import db_url_from

    def handler(args: argparse.Namespace) -> int:
        db_url_from(None)  # type: ignore[arg-type]  # a bug: None where text belongs
        return 0

    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(handler))
    assert main(["boom"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "AttributeError at station/config.py:" in err  # the innermost frame of station


def test_verbose_logs_the_details(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def handler(args: argparse.Namespace) -> int:
        raise KeyError("layout")

    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(handler))
    with caplog.at_level(logging.DEBUG, logger="station"):
        assert main(["-vv", "boom"]) == EXIT_INTERNAL
    assert any(r.exc_info and r.exc_info[0] is KeyError for r in caplog.records)


def test_database_driver_error_is_one_line_without_the_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"sqlite:///{tmp_path / 'book.db'}")

    def handler(args: argparse.Namespace) -> int:
        with engine.connect() as conn:  # a real driver error carrying a bound parameter
            conn.execute(text("SELECT * FROM no_such_table WHERE pin = :p"), {"p": SECRET})
        return 0

    monkeypatch.setattr(cli, "build_parser", lambda: _parser_running(handler))
    assert main(["boom"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "数据库错误 (database error)" in err and "no such table" in err
    assert SECRET not in err and "SELECT" not in err


def test_no_command_prints_usage_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("usage: station")


def test_db_option_takes_a_plain_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.db_url_arg("stock.db") == f"sqlite:///{tmp_path / 'stock.db'}"
    assert cli.db_url_arg("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    with pytest.raises(argparse.ArgumentTypeError):
        cli.db_url_arg("  ")
