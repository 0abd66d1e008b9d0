"""Issue 9, item 8: the demo shows what it does — the simulator's address (live, so a
technician can inject faults while it runs) and progress with elapsed time while the
printer works, at least once a second."""

from __future__ import annotations

import itertools
import json
import re
import selectors
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from station.printer.simulator import sim_control

pytestmark = pytest.mark.pcsc

ADDRESS = re.compile(r"printer simulator: (socket://127\.0\.0\.1:\d+)")
PROGRESS = re.compile(r"打印卡面 printing the face .* elapsed (\d+) s$")


def _lines(
    proc: subprocess.Popen[str], deadline: float, on_line: Callable[[str], None]
) -> list[tuple[float, str]]:
    """Every stdout line of ``proc`` with the time it arrived (``on_line`` sees each as it
    comes), until it ends; past the deadline it is killed and the test fails."""
    assert proc.stdout is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    seen: list[tuple[float, str]] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            proc.kill()
            pytest.fail("the demo did not finish in time:\n" + "\n".join(s for _, s in seen))
        if not sel.select(left):
            continue
        line = proc.stdout.readline()
        if not line:
            return seen
        seen.append((time.monotonic(), line.rstrip("\n")))
        on_line(seen[-1][1])


def test_demo_prints_address_and_progress(pcscd, vpcd_lock, tmp_path: Path) -> None:
    states: list[dict[str, object]] = []

    def ask_simulator(line: str) -> None:
        """While the demo runs: the printed address answers (a fault could be injected)."""
        match = ADDRESS.search(line)
        if match and not states:
            states.append(json.loads(sim_control(match.group(1), "state")))

    # 0.25 × the real 18 s of print head work: ~4.5 s of printing, so 3+ progress ticks
    # (the first card; the rest of the story runs at --then-scale 0)
    proc = subprocess.Popen(
        [sys.executable, "-m", "station", "demo", "--time-scale", "0.25", "--then-scale", "0",
         "--out", str(tmp_path / "demo")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        seen = _lines(proc, time.monotonic() + 150, ask_simulator)
    finally:
        proc.wait(30)
        assert proc.stderr is not None
        err = proc.stderr.read()
        proc.stderr.close()
        assert proc.stdout is not None
        proc.stdout.close()
    assert proc.returncode == 0, err
    text = [line for _, line in seen]
    # the address line is there, and it was live while the demo ran: the simulator answered
    assert any(ADDRESS.search(line) for line in text), text
    assert any("station printer fault jam --url socket://" in line for line in text)
    assert states and isinstance(states[0], dict) and states[0], "the address did not answer"
    # progress: plain lines (stdout is a pipe, so no carriage returns), elapsed seconds rising
    ticks = [(t, int(m.group(1))) for t, line in seen if (m := PROGRESS.search(line))]
    assert len(ticks) >= 3, text
    assert all("\r" not in line for line in text)
    seconds = [s for _, s in ticks]
    assert seconds == sorted(seconds) and seconds[-1] > seconds[0]
    gaps = [b - a for (a, _), (b, _) in itertools.pairwise(ticks)]
    assert max(gaps) < 2.5, gaps  # once a second, with slack for a busy 2-core machine
    assert all(b - a <= 2 for a, b in itertools.pairwise(seconds)), seconds
    assert any("printed and handed over" in line for line in text)
