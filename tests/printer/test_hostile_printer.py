"""Issue 14 finding 5: a printer that answers garbage, answers too slowly or not at all
gets a typed error within one deadline — never success, never a traceback, never a hang.

Every printer here is ``FakePrinter``, a real TCP server scripted to misbehave."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from station.cli import main
from station.printer.errors import (
    PrinterOffline,
    PrinterTimeout,
    ProtocolError,
    SettingsNotApplied,
    UnexpectedReply,
)
from station.printer.evolis import EXPECTED, SETTINGS, EvolisPrinter, expected_reply

from .fake_printer import Answer, Drip, FakePrinter, Reply, Silence

QUICK = {"timeout": 1.0, "move_timeout": 1.0, "print_timeout": 1.0, "reset_timeout": 1.0}


@pytest.fixture
def fake(request: pytest.FixtureRequest) -> Iterator[FakePrinter]:
    script: dict[str, Reply] = getattr(request, "param", {})
    printer = FakePrinter(script)
    yield printer
    printer.stop()


def driver(fake: FakePrinter, **kw: float) -> EvolisPrinter:
    return EvolisPrinter(fake.url, **{**QUICK, "quiet": 0.2, **kw})  # type: ignore[arg-type]


def test_every_command_the_driver_sends_has_an_expected_reply() -> None:
    for command in (*SETTINGS, "Si", "Sis", "Ss", "Sr", "Db;k;2", "Se", "Ser", "Srs", "Rok"):
        assert expected_reply(command).accepts("OK"), command
    for query in ("Rlr;p", "Rse;f", "Rse;o", "Rse;b", "Rrt;count", "Rst", "Rsn", "Rfv"):
        assert query in EXPECTED
    assert not expected_reply("Pneab;E").accepts("OK?")
    assert not expected_reply("Si").accepts("CARD")
    assert not expected_reply("Rse;f").accepts("OK")
    assert expected_reply("Rse;f").accepts("5,00 Volts")
    assert not expected_reply("Rrt;count").accepts("12a")


@pytest.mark.parametrize(
    "garbage", [b"OK?\r", b"\x00\xff\x07\r", b"ACKNOWLEDGED\r", b"CARD\r", b"\r"]
)
def test_safety_setting_answered_wrongly_is_not_applied(garbage: bytes) -> None:
    with FakePrinter({"Pneab;E": Answer(garbage)}) as fake:
        printer = driver(fake)
        with pytest.raises(UnexpectedReply) as exc:
            printer.open()
        assert exc.value.code == -28 and "Pneab;E" in exc.value.detail
        assert not printer.settings_applied
        # no card moves while "never auto-eject" is unconfirmed
        with pytest.raises(SettingsNotApplied):
            printer.feed()
        with pytest.raises(SettingsNotApplied):
            printer.eject()
        printer.close()
        assert "Si" not in fake.received and "Se" not in fake.received
        assert "Pneab;A;0" not in fake.received  # stopped at the first bad answer


def test_garbage_to_a_query_is_retried_then_typed(fake: FakePrinter) -> None:
    fake.script["Rlr;p"] = Answer(b"\x1b[31mPWNED\r")
    printer = driver(fake)
    printer.open()
    with pytest.raises(UnexpectedReply) as exc:
        printer.position()
    assert fake.received.count("Rlr;p") == 3  # the first try and two retries
    assert "\x1b" not in exc.value.message
    printer.close()


@pytest.mark.parametrize(
    ("command", "reply"),
    [
        ("Rse;f", b"OK\r"),  # a voltage was asked for
        ("Rrt;count", b"lots\r"),
        ("Rst", b"ALL GOOD\r"),
        ("Rsn", b"\x00\x01\x02\r"),
    ],
)
def test_wrong_status_replies_are_typed(fake: FakePrinter, command: str, reply: bytes) -> None:
    fake.script[command] = Answer(reply)
    printer = driver(fake)
    printer.open()
    with pytest.raises(UnexpectedReply):
        printer.status()
    printer.close()


def test_unknown_command_reply_to_the_fault_query_is_a_protocol_error(fake: FakePrinter) -> None:
    fake.script["Rst"] = Answer(b"ERR CMD\r")
    printer = driver(fake)
    printer.open()
    with pytest.raises(ProtocolError):
        printer.status()
    printer.close()


def test_a_move_answered_with_something_else_is_not_success(fake: FakePrinter) -> None:
    fake.script["Sis"] = Answer(b"SMART CARD\r")
    printer = driver(fake)
    printer.open()
    with pytest.raises(UnexpectedReply):
        printer.to_contacts()
    printer.close()


def test_a_flood_without_terminator_ends_as_unexpected(fake: FakePrinter) -> None:
    fake.script["Rsn"] = Answer(b"A" * 20000)
    printer = driver(fake)
    printer.open()
    start = time.monotonic()
    with pytest.raises(UnexpectedReply):
        printer.status()
    assert time.monotonic() - start < 4.0
    printer.close()


def test_drip_feeding_printer_is_bounded_by_one_timeout() -> None:
    """The audit's case: bytes trickle in forever (never quiet long enough to end a
    reply, never a CR).  Today's bound is the whole command, not each try."""
    with FakePrinter(default=Drip(b"OKOKOKOK", 0.05, forever=True)) as fake:
        printer = EvolisPrinter(fake.url, timeout=2.0, move_timeout=2.0, quiet=0.3)
        start = time.monotonic()
        with pytest.raises(PrinterTimeout) as exc, printer.within(2.0):
            printer.open()
            printer.status()
        elapsed = time.monotonic() - start
        printer.close()
    assert elapsed < 4.0, f"took {elapsed:.1f} s for a 2 s timeout"
    assert "got only" in exc.value.detail


def test_slow_but_complete_replies_still_fit_one_deadline() -> None:
    """Each reply completes (OK + CR, 0.25 s a byte) but all six settings cannot."""
    with FakePrinter(default=Drip(b"OK\r", 0.25)) as fake:
        printer = EvolisPrinter(fake.url, timeout=2.0, quiet=0.5)
        start = time.monotonic()
        with pytest.raises(PrinterTimeout):
            printer.open()
        elapsed = time.monotonic() - start
        printer.close()
    assert elapsed < 4.0
    assert 1 <= len(fake.received) < len(SETTINGS)


def test_drip_feeding_printer_from_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    with FakePrinter(default=Drip(b"5,00 Vol", 0.05, forever=True)) as fake:
        start = time.monotonic()
        code = main(["printer", "status", "--url", fake.url, "--timeout", "2"])
        elapsed = time.monotonic() - start
    err = capsys.readouterr().err
    assert code != 0 and elapsed < 4.0, f"exit {code} after {elapsed:.1f} s"
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "(printer did not answer in time)" in err


def test_silent_printer(fake: FakePrinter) -> None:
    fake.script["Rlr;p"] = Silence()
    printer = driver(fake)
    printer.open()
    start = time.monotonic()
    with pytest.raises(PrinterOffline):
        printer.position()
    assert time.monotonic() - start < 2.0
    # a move that is never answered: the Rok probe finds the printer alive
    fake.script["Si"] = Silence()
    with pytest.raises(PrinterTimeout) as exc:
        printer.feed()
    assert "Rok -> 'OK'" in exc.value.detail
    assert fake.received.count("Si") == 1  # a move is never re-sent
    printer.close()


def test_garbage_from_the_cli_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    with FakePrinter({"Pem": Answer(b"\xfe\xfe\r")}) as fake:
        code = main(["printer", "move", "--url", fake.url, "--timeout", "2", "feed"])
        assert "Si" not in fake.received
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "(unexpected printer reply)" in err and len(err.strip().splitlines()) == 1


def test_cli_timeout_comes_from_settings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """No --timeout: the printer_timeout setting bounds the command; no --url: printer_url."""
    with FakePrinter(default=Silence()) as fake:
        monkeypatch.setenv("STATION_PRINTER_TIMEOUT", "1")
        monkeypatch.setenv("STATION_PRINTER_URL", fake.url)
        start = time.monotonic()
        code = main(["printer", "status"])
        elapsed = time.monotonic() - start
        assert fake.received[:1] == ["Pem;2"]  # it went to the printer_url setting
    assert code == 2 and elapsed < 3.0
    assert "Traceback" not in capsys.readouterr().err
