"""Receipt serial numbers (受理编号): unique per station and day, and kept across restarts.

A bank's receipt carries a number the holder can quote; two receipts of one station and day
must never share one, even when two station processes (the desktop app and a script) issue
receipts at once, or the PC loses power right after printing.  So the counter is a small
file under the station's data directory:

* read and advanced under an exclusive ``fcntl.flock`` on a separate lock file (the counter
  file itself is replaced on every write, so it cannot carry the lock);
* written atomically, mode 0600, never through a symlink (``station.fsutil.write_file``): a
  crash leaves the previous number, and a number once handed out is never handed out again;
* one line per day, ``YYYYMMDD N`` (the last number used), the most recent days kept; a
  file that is not in this form is refused with a typed error, never silently restarted
  (restarting would repeat numbers already printed).

The serial reads ``<station>-<YYYYMMDD>-<NNNN>``.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from station.errors import ErrorCode, StationError
from station.fsutil import PRIVATE, ensure_dir, refuse_symlink, write_file
from station.text import single_line

COUNTER_FILE = "receipt-serials.txt"
LOCK_FILE = "receipt-serials.lock"
KEEP_DAYS = 400  # days kept in the file: a clock set back by up to a year repeats nothing
MAX_BYTES = 64 * 1024
_LINE = re.compile(r"(\d{8}) (\d{1,9})")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class SerialError(StationError):
    """The receipt counter cannot be read or advanced; no receipt number is given out."""

    default_message = "无法生成受理编号 (cannot allocate a receipt number)"
    code = ErrorCode.RECEIPT_SERIAL


def _parse(path: Path) -> dict[str, int]:
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SerialError(detail=f"{path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise SerialError(
            "受理编号文件过大，已拒绝 (receipt counter file is too large)",
            detail=f"{path}: over {MAX_BYTES} bytes",
        )
    counts: dict[str, int] = {}
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        text = "\0"
    for n, line in enumerate(text.splitlines(), 1):
        m = _LINE.fullmatch(line)
        if m is None:
            raise SerialError(
                "受理编号文件已损坏，请联系技术人员 (receipt counter file is damaged)",
                detail=f"{path}:{n}: not 'YYYYMMDD N'",
            )
        counts[m.group(1)] = int(m.group(2))
    return counts


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    lock = directory / LOCK_FILE
    refuse_symlink(lock, SerialError)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | _NOFOLLOW | os.O_CLOEXEC, PRIVATE)
    except OSError as exc:
        raise SerialError(detail=f"{lock}: {exc.strerror or exc}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


class ReceiptSerials:
    """The receipt counter of one station in ``data_dir``."""

    def __init__(self, data_dir: str | os.PathLike[str], station_id: str) -> None:
        self.directory = Path(data_dir)
        self.station_id = single_line(station_id, "站点编号 station id", 32)
        if not self.station_id:
            raise SerialError("站点编号未设置 (station id is not set)", detail="setting station_id")

    @property
    def path(self) -> Path:
        return self.directory / COUNTER_FILE

    def next(self, day: _dt.date | None = None) -> str:
        """The next serial of ``day`` (today by default), already recorded on disk."""
        key = (day or _dt.date.today()).strftime("%Y%m%d")
        ensure_dir(self.directory, error=SerialError)
        with _locked(self.directory):
            counts = _parse(self.path)
            n = counts.get(key, 0) + 1
            counts[key] = n
            kept = sorted(counts.items())[-KEEP_DAYS:]
            write_file(
                self.path, "".join(f"{d} {c}\n" for d, c in kept), mode=PRIVATE, error=SerialError
            )
        return f"{self.station_id}-{key}-{n:04d}"
