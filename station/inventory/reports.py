"""Reports over the stock book: daily balance, spoiled/destroyed cards, idle blanks.

Each report is a list of plain rows first (so the UI can show it as a table), then rendered
as CSV (for spreadsheets) or PDF (for the signed paper copy).  The PDF uses reportlab's
built-in CID font ``STSong-Light`` so Chinese prints without shipping a font file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from station.fsutil import write_file
from station.inventory.models import Action, Blank, LedgerRow, Location, LocationKind, State
from station.inventory.service import BalanceRow, Inventory
from station.text import single_line

BALANCE_HEADER = (
    "日期 day",
    "位置 location",
    "银行 bank",
    "期初 opening",
    "收入 received",
    "调出 sent",
    "发卡 issued",
    "废卡 spoiled",
    "退回 returned",
    "销毁 destroyed",
    "遗失 lost",
    "期末 closing",
    "平衡 balanced",
)


@dataclass(frozen=True, slots=True)
class MovementLine:
    at: dt.datetime  # naive UTC
    action: str
    card_number: str
    bank: str
    location: str | None
    actor: str
    witness: str | None
    job_id: str | None
    reason: str | None
    ref: str | None


@dataclass(frozen=True, slots=True)
class IdleLine:
    card_number: str
    bank: str
    location: str
    since: dt.datetime  # naive UTC
    days: int


def balance_table(rows: Sequence[BalanceRow]) -> list[tuple[Any, ...]]:
    return [
        (
            r.day.isoformat(),
            r.location,
            r.bank,
            r.opening,
            r.received,
            r.sent,
            r.issued,
            r.spoiled,
            r.returned,
            r.destroyed,
            r.lost,
            r.closing,
            "是 yes" if r.balanced else "否 NO",
        )
        for r in rows
    ]


def spoiled_and_destroyed(
    inv: Inventory, first_day: dt.date, last_day: dt.date | None = None
) -> list[MovementLine]:
    """Every SPOIL and DESTROY movement in the local days ``first_day``..``last_day``."""
    start, _ = inv.day_range(first_day)
    _, end = inv.day_range(last_day or first_day)

    def work(s: Session) -> list[MovementLine]:
        q = (
            select(LedgerRow)
            .where(
                LedgerRow.ts >= start,
                LedgerRow.ts < end,
                LedgerRow.action.in_([Action.SPOIL.value, Action.DESTROY.value]),
            )
            .order_by(LedgerRow.seq)
        )
        return [
            MovementLine(
                r.ts,
                r.action,
                r.card_number,
                r.bank,
                r.from_location,
                r.actor,
                r.witness,
                r.job_id,
                r.reason,
                r.ref,
            )
            for r in s.execute(q).scalars()
        ]

    return inv.read(work)


def idle_in_drawers(inv: Inventory, days: int) -> list[IdleLine]:
    """Blanks lying in a drawer or station untouched for more than ``days`` days — stock
    that should go back to the vault or be counted with extra care."""
    now = inv.now()
    cutoff = now - dt.timedelta(days=days)

    def work(s: Session) -> list[IdleLine]:
        q = (
            select(Blank.card_number, Blank.bank, Blank.location, Blank.moved_at)
            .join(Location, Location.code == Blank.location)
            .where(
                Blank.state == State.IN_DRAWER.value,
                Blank.moved_at < cutoff,
                Location.kind.in_([LocationKind.DRAWER.value, LocationKind.STATION.value]),
            )
            .order_by(Blank.moved_at, Blank.id)
        )
        return [IdleLine(n, b, loc or "", t, (now - t).days) for n, b, loc, t in s.execute(q)]

    return inv.read(work)


def dataclass_table(items: Sequence[Any]) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
    if not items:
        return (), []
    header = tuple(f.name for f in fields(items[0]))
    return header, [tuple(_cell(v) for v in astuple(i)) for i in items]


def _cell(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ", timespec="seconds") + "Z"
    if v is None:
        return ""
    if isinstance(v, str):  # names, reasons, locations typed by people: one printable line
        return single_line(v, "报表字段 report field", 500)
    return v


def write_csv(out: TextIO, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)


def write_pdf(
    path: str | Path,
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    footer: str = "",
) -> None:
    """A landscape A4 table with signature lines — the paper copy the supervisor signs."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = "STSong-Light"
    if font not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(font))
    buf = io.BytesIO()  # built in memory, then written 0600 atomically (never via a symlink)
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), title=title)
    h1 = ParagraphStyle("h1", fontName=font, fontSize=14, leading=18)
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    data = [[str(h) for h in header], *[[str(c) for c in r] for r in rows]]
    if not rows:
        data.append(["(无 none)"] + [""] * (len(header) - 1))
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 8),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
            ]
        )
    )
    story = [Paragraph(title, h1), Spacer(1, 8), table, Spacer(1, 16)]
    if footer:
        story.append(Paragraph(footer, body))
    story.append(Spacer(1, 24))
    story.append(Paragraph("经办 prepared by: ____________    复核 checked by: ____________", body))
    doc.build(story)
    write_file(path, buf.getvalue())
