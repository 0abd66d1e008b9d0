"""The audit trail of card services: what was done to whose card, by whom, with what result.

The trail is data, not log lines.  ``AuditRecord`` holds only what may be shown to an
auditor: the SSN is masked on the way in and there is no field a PIN, a key or a PIN block
could go into.  ``AuditSink`` is the one method the services need; the database sink lives
in the services layer above ``card/`` (which must not know about SQLAlchemy), while the
JSON-lines file sink and the in-memory sink here serve the CLI, technicians and tests.
"""

from __future__ import annotations

import datetime as _dt
import enum
import json
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from station.errors import StationError
from station.fsutil import append_file


class Operation(enum.Enum):
    """Business types of the card services, with the Chinese name printed on receipts."""

    CARD_READ = "读卡"
    CARD_VERIFY = "卡片真伪校验"
    PIN_VERIFY = "密码校验"
    PIN_CHANGE = "密码修改"
    PIN_UNLOCK = "密码解锁"
    PIN_RESET = "密码重置"

    @property
    def zh(self) -> str:
        return self.value


class Result(enum.Enum):
    SUCCESS = "成功"
    FAILURE = "失败"


def mask_ssn(ssn: str) -> str:
    """Mask a social security number for receipts and the audit trail.

    18 characters (the citizen ID form): the first 6 (the region, needed to route queries)
    and the last 4 (what a holder recognises) stay, the 8 in between — the birth date — become
    ``*``: ``110101********7678``.  Other lengths keep the same length and show at most the
    first third and the last quarter, so a short foreign number is never shown whole.
    Already masked values (containing ``*``) are returned unchanged.
    """
    s = ssn.strip().upper()
    if not s or "*" in s:
        return s
    if len(s) == 18:
        return s[:6] + "*" * 8 + s[-4:]
    head = min(6, len(s) // 3)
    tail = min(4, len(s) // 4)
    return s[:head] + "*" * (len(s) - head - tail) + s[len(s) - tail :]


@dataclass(frozen=True)
class AuditRecord:
    """One service as the auditor sees it.  ``masked_ssn`` is masked on construction even
    if a caller passes the full number, so no code path can store it in clear."""

    time: _dt.datetime
    operator: str
    station: str
    card_number: str
    masked_ssn: str
    operation: Operation
    result: Result
    error_code: int | None = None
    message: str = field(default="")

    def __post_init__(self) -> None:
        object.__setattr__(self, "masked_ssn", mask_ssn(self.masked_ssn))

    @classmethod
    def of(
        cls,
        *,
        operator: str,
        station: str,
        card_number: str,
        ssn: str,
        operation: Operation,
        error: StationError | None = None,
        time: _dt.datetime | None = None,
    ) -> AuditRecord:
        """The record for a finished service: success when ``error`` is None, otherwise the
        error's national code and teller message (error messages never carry secrets)."""
        return cls(
            time=time or _dt.datetime.now().astimezone(),
            operator=operator,
            station=station,
            card_number=card_number,
            masked_ssn=ssn,
            operation=operation,
            result=Result.SUCCESS if error is None else Result.FAILURE,
            error_code=None if error is None else error.code,
            message="" if error is None else error.message,
        )

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["time"] = self.time.isoformat()
        d["operation"] = self.operation.name
        d["result"] = self.result.name
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AuditRecord:
        return cls(
            time=_dt.datetime.fromisoformat(d["time"]),
            operator=d["operator"],
            station=d["station"],
            card_number=d["card_number"],
            masked_ssn=d["masked_ssn"],
            operation=Operation[d["operation"]],
            result=Result[d["result"]],
            error_code=d.get("error_code"),
            message=d.get("message", ""),
        )


@runtime_checkable
class AuditSink(Protocol):
    """Where audit records go.  ``write`` must either store the record durably or raise:
    a service whose audit failed is reported as such, never silently unaudited."""

    def write(self, record: AuditRecord) -> None: ...


class MemoryAuditSink:
    """Keeps records in a list (tests, demo sessions)."""

    def __init__(self) -> None:
        self.records: list[AuditRecord] = []
        self._lock = threading.Lock()

    def write(self, record: AuditRecord) -> None:
        with self._lock:
            self.records.append(record)


class JsonLinesAuditSink:
    """Appends one JSON object per line and fsyncs, so a crash loses no finished service."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(self, record: AuditRecord) -> None:
        line = json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True) + "\n"
        with self._lock:
            # O_APPEND | O_NOFOLLOW, 0600, fsync: the log holds masked personal data
            append_file(self.path, line)

    def read(self) -> list[AuditRecord]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as fh:
            return [AuditRecord.from_json(json.loads(line)) for line in fh if line.strip()]
