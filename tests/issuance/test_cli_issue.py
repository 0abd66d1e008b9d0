"""``station issue`` / ``jobs`` / ``job show`` / ``makeup`` / ``recover`` / ``outbox export``
as real subprocesses against the printer simulator over TCP and cards through pcscd + vpcd
(issue 11, item 10 and the acceptance's CLI path)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from station.codecs.validators import citizen_id_check
from station.emulator.vpcd import reader_name
from station.inventory import State
from station.issuance.application import load_applications
from station.issuance.outbox import read_batch
from station.issuance.states import JobState
from station.printer.simulator import Fault, Remedy
from tests.issuance.cli_desk import Desk, invariants, make_desk, write_json
from tests.issuance.job_rig import applicant, put_in_reader, write_csv

pytestmark = pytest.mark.pcsc
S = JobState


@pytest.fixture
def desk(vpcd_slots: tuple[object, object], tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(tmp_path, vpcd_slots, {"ICBC": 5})
    try:
        yield d
    finally:
        d.close()


def _png() -> bytes:
    img = Image.new("L", (32, 32), 255)
    ImageDraw.Draw(img).line((4, 16, 28, 16), fill=0, width=3)  # a stroke of ink
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_issue_from_a_csv_then_jobs_show_and_outbox(desk: Desk, tmp_path: Path) -> None:
    rows = [applicant(n) for n in (1, 2)]
    first17 = "44030520240203105"  # a boy born 2024: under 7, no photo
    child = applicant(3, birth_date="2024-02-03", photo=None)
    child["ssn"] = first17 + citizen_id_check(first17)
    rows.append(child)
    (tmp_path / "glyphs").mkdir()
    (tmp_path / "glyphs" / "chui.png").write_bytes(_png())
    csv_path = write_csv(tmp_path / "apps.csv", rows, tmp_path / "photos")
    # a rare-character name with its glyph, as the CSV's glyphs column
    text = csv_path.read_text("utf-8").splitlines()
    text[0] += ",glyphs"
    text[1] = text[1].replace("测试申请人", "张[CHUI]") + ",CHUI=glyphs/chui.png"
    text[1] = text[1].replace(str(tmp_path / "photos") + "/", "photos/")  # relative path
    for i in range(2, len(text)):
        text[i] += ","
    csv_path.write_text("\n".join(text) + "\n", "utf-8")
    apps = load_applications(csv_path)
    assert apps[0].glyphs and apps[2].photo is None

    run = desk.station("issue", "--application", str(csv_path))
    assert run.returncode == 0, run.stderr + run.stdout
    assert "Traceback" not in run.stderr
    assert run.stdout.count("制卡完成 issued") == 3
    assert " s  " in run.stdout and "[100%]" in run.stdout  # progress with elapsed time
    inv, journal = desk.book()
    jobs = journal.jobs()
    assert sorted(j.application_id for j in jobs) == [a.application_id for a in apps]
    assert all(j.state is S.COMPLETED for j in jobs)
    assert len([b for b in inv.blanks() if b.state is State.ISSUED]) == 3

    listed = desk.station("jobs", password=False)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("\tcompleted\t") == 3
    shown = desk.station("job", "show", jobs[0].job_id, password=False)
    assert shown.returncode == 0, shown.stderr
    assert "register" in shown.stdout and jobs[0].ssn not in shown.stdout  # SSN masked

    again = desk.station("issue", "--application", str(csv_path))
    assert again.returncode == 1 and again.stdout.count("跳过 skipped") == 3  # exactly once

    out = tmp_path / "outbox" / "batch.jsonl"
    out.parent.mkdir()
    exported = desk.station("outbox", "export", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    batch = read_batch(out)
    assert batch.header["count"] == 3
    assert {r["job_id"] for r in batch.records} == {j.job_id for j in jobs}
    invariants(inv, journal, len(desk.blanks), [a.application_id for a in apps])


def test_a_jam_at_eject_is_made_up_from_the_command_line(desk: Desk, tmp_path: Path) -> None:
    app_file = write_json(tmp_path / "apps.json", [applicant(5)])
    desk.sim.inject(Fault.JAM, 4)  # 1 feed, 2 to contacts, 3 to print, 4 eject
    run = desk.station("issue", "--application", str(app_file))
    assert run.returncode == 1, run.stderr + run.stdout
    assert "station makeup" in run.stdout
    inv, journal = desk.book()
    (job,) = journal.jobs()
    assert job.state is S.MAKEUP_PENDING
    printed = desk.sim.state().printed
    desk.sim.remedy(Remedy.CLEAR_JAM)  # the teller pulls the card out ...
    stuck = next(c for c in desk.sim.cards if c.name == job.card_number)
    put_in_reader(desk.links[0], stuck.chip)  # ... and puts it in the desktop reader
    made = desk.station(
        "makeup", job.job_id, "--application", str(app_file), "--reader", reader_name(0)
    )
    desk.links[0].remove()  # type: ignore[attr-defined]
    assert made.returncode == 0, made.stderr + made.stdout
    assert journal.job(job.job_id).made_up
    assert desk.sim.state().printed == printed  # never a second print
    invariants(inv, journal, len(desk.blanks), ["APP-0005"])


def test_bad_application_file_is_one_line_and_touches_nothing(desk: Desk, tmp_path: Path) -> None:
    bad = applicant(6, sex="2")  # the ID says a man
    app_file = write_json(tmp_path / "apps.json", [applicant(7), bad])
    run = desk.station("issue", "--application", str(app_file))
    assert run.returncode == 2
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "entry 2" in lines[0] and "Traceback" not in run.stderr
    _inv, journal = desk.book()
    assert journal.jobs() == []
    assert desk.sim.state().hopper == len(desk.blanks)  # nothing was fed


@pytest.fixture
def desk20(vpcd_slots: tuple[object, object], tmp_path: Path) -> Iterator[Desk]:
    d = make_desk(tmp_path, vpcd_slots, {"ICBC": 20})
    try:
        yield d
    finally:
        d.close()


def test_twenty_cards_from_a_csv_read_back_booked_and_exported(
    desk20: Desk, tmp_path: Path
) -> None:
    """Acceptance: 20 cards from a CSV; each, read back with ``station card read``, holds
    its application; 20 ISSUED and the drawer balances; the outbox export holds 20."""
    desk = desk20
    rows = [applicant(n) for n in range(1, 21)]
    csv_path = write_csv(tmp_path / "apps.csv", rows, tmp_path / "photos")
    run = desk.station("issue", "--application", str(csv_path))
    assert run.returncode == 0, run.stderr + run.stdout[-3000:]
    inv, journal = desk.book()
    jobs = {j.application_id: j for j in journal.jobs()}
    assert len(jobs) == 20 and all(j.state is S.COMPLETED for j in jobs.values())
    for row in rows:
        job = jobs[row["application_id"]]
        chip = next(c for c in desk.sim.cards if c.name == job.card_number).chip
        put_in_reader(desk.links[0], chip)
        read = desk.station("card", "read", "--reader", reader_name(0), password=False)
        desk.links[0].remove()  # type: ignore[attr-defined]
        assert read.returncode == 0, read.stderr
        for value in (row["name"], row["ssn"], job.card_number):
            assert value in read.stdout, (value, read.stdout)
    assert len([b for b in inv.blanks() if b.state is State.ISSUED]) == 20
    (bal,) = inv.balance(location="D1", bank="ICBC")
    assert (bal.opening + bal.received, bal.issued, bal.closing) == (20, 20, 0)
    out = tmp_path / "batch.jsonl"
    assert desk.station("outbox", "export", "--out", str(out)).returncode == 0
    assert read_batch(out).header["count"] == 20
    invariants(inv, journal, 20, [r["application_id"] for r in rows])
