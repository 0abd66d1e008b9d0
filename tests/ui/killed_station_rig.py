"""The test's side of a station killed mid-issuance: ``kill_at`` runs ``station gui`` in a
process of its own (``tests.ui.teller_station_proc``) over a counter of ``teller_rig`` —
the same SQLite book, the blanks at pcscd + vpcd, the printer simulator over TCP — and
SIGKILLs it once the job's chosen step is committed in the journal.  The process reports
its steps on a pipe and holds at that step; nothing here waits on a clock but the overall
deadline of a blocking read."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.config import Settings
from tests.issuance.job_rig import PASSWORD, TELLER
from tests.ui.teller_rig import Counter, settings_for

ROOT = Path(__file__).resolve().parents[2]


def settings_env(settings: Settings, root: Path) -> dict[str, str]:
    """``settings`` as the ``STATION_*`` variables ``station gui`` reads (every key set,
    so nothing of the caller's environment or settings file leaks in)."""
    env = {"STATION_CONFIG": str(root / "no-settings-file.toml")}
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        env[f"STATION_{f.name.upper()}"] = text
    return env


@dataclass
class Killed:
    """What the killed station reported: its lines, and how it ended."""

    lines: list[str]
    returncode: int | None


def kill_at(
    base: Settings, counter: Counter, values_file: Path, step: str, within_s: float = 60
) -> Killed:
    """Run ``station gui`` in a process of its own (``tests.ui.teller_station_proc``): the
    teller signs in, fills the form and presses Issue; SIGKILL it once the job's ``step``
    is committed in the journal (the process reports it on a pipe and holds there)."""
    settings = settings_for(base, counter)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env.update(settings_env(settings, counter.root))
    read_end, write_end = os.pipe()
    log = counter.root / "station-gui.log"
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.ui.teller_station_proc",
                step,
                str(write_end),
                str(values_file),
                TELLER,
            ],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,  # the password, then nothing: the station holds there
            stdout=subprocess.DEVNULL,
            stderr=err,
            pass_fds=(write_end,),
        )
    os.close(write_end)
    assert proc.stdin is not None
    lines: list[str] = []
    try:
        proc.stdin.write(PASSWORD.encode() + b"\n")
        proc.stdin.flush()  # kept open: end of input would end the held station
        lines = _lines_until(read_end, step, time.monotonic() + within_s)
    except (AssertionError, BrokenPipeError) as exc:
        tail = log.read_text("utf-8", "replace")[-2000:]
        raise AssertionError(f"{exc}; the station said: {tail}") from None
    finally:
        proc.kill()  # SIGKILL: no handler, no cleanup, no flush
        proc.wait(10)
        os.close(read_end)
        proc.stdin.close()
    return Killed(lines, proc.returncode)


def _lines_until(fd: int, step: str, deadline: float) -> list[str]:
    """Lines from the pipe until ``step`` (the station is then holding); blocking reads
    bounded by ``deadline``; an ``error``/``ended`` line or the pipe's end fails at once."""
    lines: list[str] = []
    rest = b""
    with selectors.DefaultSelector() as sel:
        sel.register(fd, selectors.EVENT_READ)
        while step not in lines:
            if any(line.startswith(("error", "ended")) for line in lines):
                raise AssertionError(f"the station stopped before {step!r}: {lines}")
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                raise AssertionError(f"no {step!r} from the station in time: {lines}")
            chunk = os.read(fd, 4096)
            if not chunk:
                raise AssertionError(f"the station ended before {step!r}: {lines}")
            *done, rest = (rest + chunk).split(b"\n")
            lines += [line.decode("utf-8") for line in done]
    return lines


def write_values(path: Path, values: dict[str, Any]) -> Path:
    """An application's plain values as JSON (the photo in base64; no glyphs)."""
    plain = {k: v for k, v in values.items() if k not in ("photo", "glyphs")}
    if values.get("photo"):
        plain["photo"] = base64.b64encode(values["photo"]).decode("ascii")
    path.write_text(json.dumps(plain), encoding="utf-8")
    return path
