"""The main job (`station demo`) runs end to end through real pcscd + vpcd, the printer
simulator over TCP and a SQLite stock book, and leaves its artefacts behind."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from station.inventory.models import State
from station.inventory.service import Inventory
from station.issuance.journal import Journal
from station.issuance.models import Job
from station.issuance.states import JobState, WasteCause

pytestmark = pytest.mark.pcsc


def test_demo_runs_end_to_end(pcscd, vpcd_lock, tmp_path):
    out = tmp_path / "demo"
    proc = subprocess.run(
        [sys.executable, "-m", "station", "demo", "--time-scale", "0", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert "真伪 genuine: yes" in text
    assert "wrong PIN, 5 tries left" in text
    assert "verify new PIN: OK, tries left 6" in text
    assert "chip written and read back: 欧阳示例" in text
    assert "issued 1" in text and "= closing 2" in text
    assert "hash chain intact" in text
    for name in ("receipt-pin-reset.pdf", "printed/card-0001.png"):
        assert (out / name).stat().st_size > 0
    check_the_days_book(out, text)
    # personal data on screen is masked: no applicant's or holder's whole SSN in the output
    assert "basic read: 440300|440304********123X|" in text
    assert not re.search(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9])", text), "a whole SSN on screen"
    # the issued holder's PIN was never chosen by the demo, and the profile's initial PIN
    # must not be on screen, in the receipt or in the trace
    from station.profiles import load_profile

    pin = load_profile("gen3-sm4-issued").pin.value
    assert pin
    for blob in (
        text,
        proc.stderr,
        (out / "receipt-pin-reset.txt").read_text(encoding="utf-8"),
        (out / "trace-pin-service.txt").read_text(encoding="utf-8"),
    ):
        assert pin not in blob


def check_the_days_book(out: Path, text: str) -> None:
    """The story of issue 11 item 10, as the book tells it: five applications, each with
    exactly one issued card; one job FAILED (print fault, its blank spoiled) with a linked
    retry that ended issued; one job completed by make-up after the crash; the ledger
    intact; a receipt per completed job, a face per job, the day's report, the outbox."""
    inv = Inventory(f"sqlite:///{out / 'inventory.db'}")
    try:
        (station,) = inv.read(lambda s: s.scalars(select(Job.station).distinct()).all())
        jobs = Journal(inv, station=station).jobs()
        blanks = {b.card_number: b for b in inv.blanks()}
        assert inv.verify_ledger().first_bad_seq is None
    finally:
        inv.engine.dispose()
    assert len(jobs) == 6, jobs
    done = [j for j in jobs if j.state is JobState.COMPLETED]
    failed = [j for j in jobs if j.state is JobState.FAILED]
    assert len(done) == 5 and len(failed) == 1, [(j.job_id, j.state) for j in jobs]
    apps = {j.application_id for j in jobs}
    assert len(apps) == 5
    for app in apps:  # one card per application
        cards = [j.card_number for j in done if j.application_id == app]
        assert len(cards) == 1 and blanks[cards[0]].state is State.ISSUED, app
    (bad,) = failed
    assert bad.cause is WasteCause.PRINT_FAULT and bad.card_number
    assert blanks[bad.card_number].state is State.SPOILED
    (retry,) = [j for j in done if j.retry_of == bad.job_id]
    assert retry.application_id == bad.application_id and retry.card_number != bad.card_number
    made_up = [j for j in done if j.made_up]
    assert len(made_up) == 1 and made_up[0].retry_of is None
    for j in done:
        assert (out / "receipts" / f"receipt-{j.job_id}.txt").stat().st_size > 0
    for j in jobs:
        assert (out / "faces" / f"{j.job_id}.png").stat().st_size > 0
    report = (out / "day-report.txt").read_text(encoding="utf-8")
    assert "issued 5 (made up 1), failed 1" in report and bad.job_id in report
    assert (out / "day-report.pdf").read_bytes().startswith(b"%PDF")
    assert len(list((out / "outbox").glob("outbox-*.jsonl"))) == 1
    assert "simulated crash" in text and "[CHUI]" in text and "child under 7" in text
