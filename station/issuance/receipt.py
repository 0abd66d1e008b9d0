"""The card collection receipt (领卡回执) a completed job leaves for the holder to sign.

Plain text, no PIN, the SSN masked; every field from the journal passes the single-line
text rule, so a name or outlet cannot forge extra receipt lines.  Written 0600, never
through a symlink, in ``out_dir/receipts``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from station.card.audit import mask_ssn
from station.fsutil import ensure_dir, write_file
from station.issuance.journal import JobInfo
from station.issuance.states import JobState
from station.text import single_line

S = JobState


def write_receipt(out_dir: Path | None, outlet: str, info: JobInfo) -> Path | None:
    """领卡回执: a small text receipt (no PIN, SSN masked) in ``out_dir/receipts``."""
    if out_dir is None or info.state is not S.COMPLETED:
        return None
    when = dt.datetime.now().astimezone()
    lines = [
        "社会保障卡领卡回执 (card collection receipt)",
        "────────────────────",
        f"任务编号 job:        {info.job_id}",
        f"申请编号 application: {single_line(info.application_id, 'application', 40)}",
        f"受理网点 outlet:     {single_line(outlet or '-', 'outlet', 64)}",
        f"经办人 operator:     {single_line(info.operator, 'operator', 64)}",
        f"办理时间 time:       {when:%Y-%m-%d %H:%M:%S}",
        f"姓名 name:           {single_line(info.name, 'name', 64)}",
        f"社会保障号码 SSN:    {mask_ssn(info.ssn)}",
        f"社保卡号 card no.:   {info.card_number}",
        f"银行 bank:           {info.bank}",
        "办理结果 result:     "
        + ("制卡补登完成 made up" if info.made_up else "即时制卡完成 issued"),
        "────────────────────",
        "请妥善保管卡片，社保应用密码切勿告诉他人。",
        "",
        "持卡人签字：______________",
    ]
    folder = ensure_dir(out_dir / "receipts", refuse_symlink=True)
    path = folder / f"receipt-{info.job_id}.txt"
    write_file(path, "\n".join(lines) + "\n")
    return path


__all__ = ["write_receipt"]
