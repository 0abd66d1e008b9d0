"""The ledger head witnessed outside the database.

Why: the chain's head row lives in the same database as the chain, so whoever can edit the
database can cut the tail and fix the head, or re-hash every row from the first, and the
chain still verifies.  A copy of the head kept *elsewhere* — printed on every daily count and
balance report, and appended to a witness file outside the database — cannot be rewritten
with it.  ``verify_ledger(witness=...)`` then proves that every witnessed head is still in
the chain: row *n* must still carry the hash that was witnessed for *n* rows.

The file is text, one line per witnessed head, appended (never rewritten), created 0600::

    2030-03-10T01:00:00Z<TAB>40<TAB><64 hex: SM3 of row 40><TAB><book>

``book`` names the database (its URL without password, plus the schema) for the reader's
information only: a URL proves nothing (one book has many URLs, and a name is easy to
copy), so every line is checked against the book being verified — keep one witness file
per book (``Settings.witness_file``).  The reader is bounded (file size, line length).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from station.errors import ErrorCode
from station.fsutil import append_file
from station.inventory.errors import InventoryError
from station.textfile import read_bytes

MAX_WITNESS_BYTES = 32 << 20  # ~300,000 lines: decades of reports
MAX_LINE = 1024
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class WitnessError(InventoryError):
    """The witness file cannot be written or read, or holds a line that is not a witness."""

    default_message = "账头见证文件错误 (ledger witness file error)"
    code = ErrorCode.WITNESS


@dataclass(frozen=True, slots=True)
class Witnessed:
    """One witnessed head: at ``at`` the ledger had ``rows`` rows and row ``rows`` had hash
    ``head`` (hex).  ``line`` is its line number in the file (for the report)."""

    at: str
    rows: int
    head: str
    book: str
    line: int = 0

    def text(self) -> str:
        return f"{self.at}\t{self.rows}\t{self.head}\t{self.book}\n"


def record(path: str | Path, at: dt.datetime, rows: int, head: str, book: str) -> Witnessed:
    """Append one witnessed head to ``path`` (created 0600; a symlink is refused)."""
    when = at.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    w = Witnessed(when, rows, head, book.replace("\t", " ").replace("\n", " "))
    append_file(path, w.text(), error=WitnessError)
    return w


def read(path: str | Path) -> list[Witnessed]:
    """Every witnessed head in ``path``; a malformed line is refused with its number (the
    file is only ever appended by the station, so a bad line means it was tampered with)."""
    data = read_bytes(
        path, WitnessError, "账头见证文件", "witness file", max_bytes=MAX_WITNESS_BYTES
    )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WitnessError(
            "账头见证文件编码错误 (witness file is not UTF-8)", detail=f"{path}: byte {exc.start}"
        ) from None
    out: list[Witnessed] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        out.append(_parse(line, n, path))
    return out


def _parse(line: str, n: int, path: str | Path) -> Witnessed:
    parts = line.split("\t")
    bad = len(line) > MAX_LINE or len(parts) != 4
    if not bad:
        at, rows, head, book = parts
        bad = not rows.isdigit() or len(rows) > 12 or not _HEX64.match(head)
    if bad:
        raise WitnessError(
            f"账头见证文件第{n}行格式错误 (witness file line {n} is malformed)",
            detail=f"{path}:{n}",
        )
    return Witnessed(at, int(rows), head, book, n)
