"""The registration outbox (回盘): one record per finished job, exported in batch files.

Why it is built like this:

* **One record per finished job, written with the step that finishes it.**  The journal
  calls ``record_line`` in the same transaction as the REGISTER step (→ COMPLETED, made-up
  jobs included) or the FAIL step (→ FAILED); ``iss_outbox.job_id`` is unique, so a job can
  never leave two records and a finished job never leaves none.
* **The record is stored as the exact line the file carries** (canonical JSON: sorted keys,
  UTF-8, no spaces).  A batch is then just its header, its lines in record order and a
  digest, so re-exporting a batch id reproduces the same bytes, whatever changed since.
* **A record belongs to one batch.**  Exporting claims every record of this station that no
  batch has yet (rows locked, one transaction) and stores the batch's header values and
  digest; the file is written after the commit, atomically and 0600 through
  ``station.fsutil.write_file``.  A crash between the two loses nothing: the batch is
  exported again by its id.

The file (JSON Lines, UTF-8, LF; ``docs/issuance.md``)::

    {"count":2,"created":"2030-03-10T01:00:00Z","format":"station-outbox/1","batch":…,"station":…}
    {…record…}
    {…record…}
    {"sm3":"<64 hex digits>"}

``sm3`` is SM3 over every byte above its own line (the header and the records), so the
receiver can check the count and the station as well as the records.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from station.crypto.algorithms import sm3
from station.errors import ErrorCode, StationError
from station.fsutil import write_file
from station.inventory.models import Blank
from station.issuance.models import Job, OutboxBatch, OutboxRecord
from station.issuance.states import JobState
from station.textfile import decode_utf8, read_bytes

if TYPE_CHECKING:
    from station.inventory.service import Inventory

FORMAT = "station-outbox/1"
MAX_BATCH_BYTES = 64 * 1024 * 1024  # a batch file read back (verify) is bounded


class OutboxError(StationError):
    default_message = "回盘数据错误 (registration outbox error)"
    code = ErrorCode.OUTBOX


class BatchNotFound(OutboxError):
    default_message = "没有这个回盘批次 (no such outbox batch)"
    code = ErrorCode.BATCH_NOT_FOUND


class BatchCorrupt(OutboxError):
    default_message = "回盘批次文件或记录已损坏 (the outbox batch does not verify)"
    code = ErrorCode.BATCH_CORRUPT


def _utc(t: dt.datetime | None) -> str | None:
    return None if t is None else t.strftime("%Y-%m-%dT%H:%M:%SZ")


def canonical(value: Any) -> str:
    """The one JSON spelling of a record or header (sorted keys, no spaces, UTF-8)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def record_line(s: Session, job: Job, inv: Inventory, *, finished: dt.datetime) -> str:
    """The registration record of a job that has just ended COMPLETED or FAILED."""
    state = JobState(job.state)
    if state is JobState.COMPLETED:
        result = "made_up" if job.made_up else "completed"
    elif state is JobState.FAILED:
        result = "failed"
    else:  # pragma: no cover - the journal calls this for finished jobs only
        raise OutboxError(detail=f"job {job.job_id} is {state.value}")
    expiry = None
    if job.card_number is not None:
        expiry = s.execute(
            select(Blank.expiry).where(Blank.card_number == job.card_number)
        ).scalar_one_or_none()
    issued_day = None
    if job.issued_at is not None:
        issued_day = job.issued_at.replace(tzinfo=dt.UTC).astimezone(inv.tz).date().isoformat()
    return canonical(
        {
            "application_id": job.application_id,
            "application_reason": job.reason,
            "atr_historical": job.atr_historical,
            "bank": job.bank,
            "card_id_code": job.card_id_code,
            "card_number": job.card_number,
            "created": _utc(job.created_at),
            "expiry_date": None if expiry is None or result == "failed" else expiry.isoformat(),
            "finished": _utc(finished),
            "issue_date": issued_day,
            "job_id": job.job_id,
            "name": job.name,
            "operator": job.operator,
            "reason": job.cause or "",
            "result": result,
            "retry_of": job.retry_of,
            "ssn": job.ssn,
            "station": job.station,
        }
    )


@dataclass(frozen=True, slots=True)
class BatchInfo:
    """An exported batch: its id, how many records, the digest, where the file went."""

    batch_id: str
    station: str
    count: int
    created: dt.datetime
    sm3: str
    path: Path


def _header(b: OutboxBatch) -> str:
    return canonical(
        {
            "batch": b.batch_id,
            "count": b.record_count,
            "created": _utc(b.created_at),
            "format": FORMAT,
            "station": b.station,
        }
    )


def _body(b: OutboxBatch, lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in [_header(b), *lines]).encode("utf-8")


class Outbox:
    """The registration records of one station in the stock book's database."""

    def __init__(self, inventory: Inventory, *, station: str) -> None:
        if not station or len(station) > 64:
            raise OutboxError("工作站编号无效 (station id is missing or too long)")
        self.inv = inventory
        self.station = station

    def pending(self) -> int:
        """Records of this station no batch has taken yet."""

        def work(s: Session) -> int:
            q = select(OutboxRecord.id).where(
                OutboxRecord.station == self.station, OutboxRecord.batch_id.is_(None)
            )
            return len(s.execute(q).all())

        return self.inv.read(work)

    def records(self, batch_id: str | None = None) -> list[dict[str, Any]]:
        """The records of one batch (or those not yet exported), in order, as dicts."""

        def work(s: Session) -> list[str]:
            q = select(OutboxRecord.record).where(OutboxRecord.station == self.station)
            if batch_id is None:
                q = q.where(OutboxRecord.batch_id.is_(None))
            else:
                q = q.where(OutboxRecord.batch_id == batch_id)
            return list(s.execute(q.order_by(OutboxRecord.id)).scalars())

        return [json.loads(line) for line in self.inv.read(work)]

    def batches(self) -> list[str]:
        def work(s: Session) -> list[str]:
            q = select(OutboxBatch.batch_id).where(OutboxBatch.station == self.station)
            return list(
                s.execute(q.order_by(OutboxBatch.created_at, OutboxBatch.batch_id)).scalars()
            )

        return self.inv.read(work)

    def export_batch(
        self, out_path: str | Path, *, batch_id: str | None = None
    ) -> BatchInfo | None:
        """Write a batch file to ``out_path``: a new batch of every record not yet exported
        (``None`` when there is none), or — with ``batch_id`` — that batch again, byte for
        byte.  When ``out_path`` is a folder the file is named after the batch
        (``outbox-<batch id>.jsonl``), so two batches never share a file."""
        if batch_id is None:
            made = self.inv.transaction(self._claim)
            if made is None:
                return None
            batch, body = made
        else:
            batch, body = self.inv.read(lambda s: self._load(s, batch_id))
        digest = sm3(body).hex()
        if digest != batch.sm3:
            raise BatchCorrupt(detail=f"batch {batch.batch_id}: stored records do not match")
        target = Path(out_path)
        if target.is_dir():
            target = target / f"outbox-{batch.batch_id}.jsonl"
        path = write_file(target, body + (canonical({"sm3": digest}) + "\n").encode("utf-8"))
        return BatchInfo(
            batch.batch_id, batch.station, batch.record_count, batch.created_at, digest, path
        )

    def _claim(self, s: Session) -> tuple[OutboxBatch, bytes] | None:
        rows = s.execute(
            select(OutboxRecord.id, OutboxRecord.record)
            .where(OutboxRecord.station == self.station, OutboxRecord.batch_id.is_(None))
            .order_by(OutboxRecord.id)
            .with_for_update()
        ).all()
        if not rows:
            return None
        now = self.inv.now()
        batch = OutboxBatch(
            batch_id=f"{self.station}-{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}",
            station=self.station,
            created_at=now,
            record_count=len(rows),
            sm3="",
        )
        body = _body(batch, [r.record for r in rows])
        batch.sm3 = sm3(body).hex()
        s.add(batch)
        s.flush()
        s.execute(
            update(OutboxRecord)
            .where(OutboxRecord.id.in_([r.id for r in rows]))
            .values(batch_id=batch.batch_id)
        )
        return batch, body

    def _load(self, s: Session, batch_id: str) -> tuple[OutboxBatch, bytes]:
        batch = s.get(OutboxBatch, batch_id)
        if batch is None or batch.station != self.station:
            raise BatchNotFound(detail=batch_id)
        lines = list(
            s.execute(
                select(OutboxRecord.record)
                .where(OutboxRecord.batch_id == batch_id)
                .order_by(OutboxRecord.id)
            ).scalars()
        )
        if len(lines) != batch.record_count:
            raise BatchCorrupt(
                detail=f"batch {batch_id}: {len(lines)} records, header says {batch.record_count}"
            )
        return batch, _body(batch, lines)


@dataclass(frozen=True, slots=True)
class BatchFile:
    """A batch file read back and verified (what the receiving side does)."""

    header: dict[str, Any]
    records: list[dict[str, Any]]
    sm3: str


def read_batch(path: str | Path) -> BatchFile:
    """Read a batch file within bounds and check its digest, count and format, or raise
    ``BatchCorrupt``."""
    data = read_bytes(
        path, BatchCorrupt, "回盘批次文件", "outbox batch file", max_bytes=MAX_BATCH_BYTES
    )
    text = decode_utf8(data, path, BatchCorrupt, "回盘批次文件", "outbox batch file")
    if not text.endswith("\n"):
        raise BatchCorrupt(detail="the file does not end with a digest line")
    lines = text[:-1].split("\n")
    if len(lines) < 2:
        raise BatchCorrupt(detail="no header or no digest line")
    try:
        parsed = [json.loads(line) for line in lines]
    except (json.JSONDecodeError, RecursionError):
        raise BatchCorrupt(detail="a line is not JSON") from None
    header, records, tail = parsed[0], parsed[1:-1], parsed[-1]
    if not (isinstance(header, dict) and isinstance(tail, dict)):
        raise BatchCorrupt(detail="header or digest line is not an object")
    body = "".join(line + "\n" for line in lines[:-1]).encode("utf-8")
    digest = sm3(body).hex()
    if not hmac.compare_digest(str(tail.get("sm3", "")), digest):
        raise BatchCorrupt(detail="SM3 digest does not match the body")
    if header.get("format") != FORMAT or header.get("count") != len(records):
        raise BatchCorrupt(detail=f"format {header.get('format')!r}, count {header.get('count')!r}")
    if not all(isinstance(r, dict) for r in records):
        raise BatchCorrupt(detail="a record is not an object")
    return BatchFile(header, records, digest)
