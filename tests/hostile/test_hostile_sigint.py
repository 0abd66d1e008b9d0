"""Issue 14 finding 4, second half: Ctrl-C stops any command within a second.

Each test starts the real ``station`` command, waits until it is provably stuck on a device
or the book — a mute card has the command APDU, a printer that never answers has the
command, the book's write lock is held by another process and the command sleeps in
SQLite's wait for it — sends SIGINT, and requires the process to end within a second with
exit code 130 and the one line "已中断 (interrupted)" on stderr, never a traceback.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from station.cli import EXIT_INTERRUPTED
from station.inventory import Inventory
from tests.hostile.card import HostileCard, Mute

ROOT = Path(__file__).resolve().parents[2]
WITHIN = 1.0  # s from SIGINT to the process's end
PASSWORD = "sup-Pw-7x-sigint"  # a test value


def _station(*argv: str, env: dict[str, str] | None = None, **kw: object) -> subprocess.Popen[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    base |= {"PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "station", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=base,
        cwd=ROOT,
        **kw,  # type: ignore[call-overload]
    )


def _interrupt(proc: subprocess.Popen[str]) -> tuple[float, str, str]:
    """SIGINT now; (seconds until the process ended, stdout, stderr)."""
    proc.send_signal(signal.SIGINT)
    start = time.monotonic()
    try:
        out, err = proc.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    return time.monotonic() - start, out, err


def _assert_interrupted(elapsed: float, proc: subprocess.Popen[str], err: str) -> None:
    assert elapsed < WITHIN, f"SIGINT took {elapsed:.2f} s to stop the command"
    assert proc.returncode == EXIT_INTERRUPTED, err
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("错误 error: ") and "interrupted" in err


@pytest.mark.pcsc
def test_sigint_stops_card_read_on_a_mute_card(vpcd_slots: object, tmp_path: Path) -> None:
    env = {"STATION_CARD_TIMEOUT": "60", "STATION_DATA_DIR": str(tmp_path)}
    with HostileCard(default=Mute()) as card:
        proc = _station("card", "read", "--reader", card.reader, "--no-verify", env=env)
        try:
            assert card.wait_apdus(1, 20), "station never sent the card a command"
            elapsed, out, err = _interrupt(proc)  # the card has the SELECT and says nothing
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    _assert_interrupted(elapsed, proc, err)
    assert out == ""


def test_sigint_stops_a_printer_that_never_answers(tmp_path: Path) -> None:
    """The fake printer is a real TCP server that reads the first command and stays
    silent: the station is then waiting for the printer's reply."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        listener.settimeout(20)
        port = listener.getsockname()[1]
        env = {"STATION_DATA_DIR": str(tmp_path)}
        argv = ["printer", "status", "--url", f"socket://127.0.0.1:{port}", "--timeout", "60"]
        proc = _station(*argv, env=env)
        try:
            conn, _ = listener.accept()
            with conn:
                conn.settimeout(20)
                first = conn.recv(4096)  # the command: the station now waits for an answer
                assert first, "station connected and sent nothing"
                elapsed, _, err = _interrupt(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    _assert_interrupted(elapsed, proc, err)


def _wchan(pid: int) -> str:
    """Where the process's main thread sleeps in the kernel ("" when running)."""
    try:
        return Path(f"/proc/{pid}/wchan").read_text()
    except OSError:
        return ""


def test_sigint_stops_a_command_waiting_for_the_books_write_lock(tmp_path: Path) -> None:
    """A second process's connection (here, sqlite3 in the test) holds the SQLite book's
    write lock; ``inventory bank add`` waits for it, SQLite sleeping between tries, and
    Ctrl-C must not wait out the lock's 60 s."""
    from argon2 import PasswordHasher

    from station.inventory import make_engine, migrate

    book = tmp_path / "stock.db"
    engine = make_engine(f"sqlite:///{book}")
    migrate(engine)
    inv = Inventory(engine, password_hasher=PasswordHasher(time_cost=1, memory_cost=1024))
    inv.auth.bootstrap("sup", PASSWORD)
    engine.dispose()
    holder = sqlite3.connect(book, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held until the end of the test
        argv = ["inventory", "bank", "add", "ZZ", "-u", "sup", "--password-stdin"]
        answer = tmp_path / "password"
        answer.write_text(PASSWORD + "\n", encoding="utf-8")
        with answer.open(encoding="utf-8") as stdin:
            proc = _station(
                *argv,
                "--db",
                f"sqlite:///{book}",
                env={"STATION_DATA_DIR": str(tmp_path / "data")},
                stdin=stdin,
            )
        try:
            assert proc.stderr is not None
            # the main thread asleep in the kernel: SQLite's busy wait for the lock (nothing
            # else in the command sleeps); wake early if the command says anything or ends
            deadline = time.monotonic() + 30
            while "nanosleep" not in _wchan(proc.pid):
                assert time.monotonic() < deadline, "the command never waited for the lock"
                ready, _, _ = select.select([proc.stderr], [], [], 0.05)
                assert not ready, f"the command ended or spoke: {proc.stderr.read()}"
            elapsed, out, err = _interrupt(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _assert_interrupted(elapsed, proc, err)
    assert out == ""
    assert [b.code for b in Inventory(f"sqlite:///{book}").banks()] == []  # nothing done
