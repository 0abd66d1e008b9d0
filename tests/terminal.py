"""``station`` on a real terminal: a pseudo-terminal as its controlling terminal (what
``getpass`` reads, without echo), with the test typing into it as the prompts show."""

from __future__ import annotations

import os
import pty
import select
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_on_terminal(
    argv: list[str],
    env: dict[str, str],
    answer: Callable[[bytes], bytes | None],
    *,
    within: float = 60.0,
) -> tuple[int, bytes]:
    """Run ``python -m station ARGV`` (environment ``env``) on a new pty; after each chunk
    the terminal shows, ``answer(everything shown so far)`` may return bytes to type.
    Returns (exit code, everything shown); a run longer than ``within`` s is killed and
    fails."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a new session whose controlling terminal is the pty
        try:
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "station", *argv], env)
        finally:
            os._exit(127)  # never fall back into the test runner
    shown = b""
    deadline = time.monotonic() + within
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], deadline - time.monotonic())
            if not ready:
                continue
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal: it has ended
                break
            if not chunk:
                break
            shown += chunk
            typed = answer(shown)
            if typed:
                os.write(fd, typed)
        else:
            os.kill(pid, 9)
            raise AssertionError(f"station did not finish on the terminal: {shown[-300:]!r}")
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), shown
