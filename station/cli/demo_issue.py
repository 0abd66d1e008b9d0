"""``station demo``, part two: instant issuance (即时制卡) through the real job runner.

Why it is told like this: the demo is the README's main job, so it drives exactly what a
teller's ``station issue`` drives — ``IssuanceJob`` built by ``station.cli.issue``'s desk,
the write-ahead journal in the SQLite book, the printer simulator over TCP whose contact
station is vpcd slot 0, the PSAM in vpcd slot 1 — for a few applicants that show the cases
a counter meets: an adult with a photo, a rare-character name (``[PINYIN]`` and its glyph
image), a child under 7 without a photo, a printer fault handled by the failure path and
a retry, and a make-up (制卡补登) after a crash.  What is simulated is said on screen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from station.emulator.blanks import BlankInfo
    from station.issuance.application import Application
    from station.issuance.job import IssuanceJob, Outcome
    from station.issuance.journal import Journal
    from station.issuance.progress import ProgressEvent
    from station.printer.simulator import PrinterSimulator

TELLER = "teller1"
DRAWER = "D1"
# blanks per bank in the teller's drawer; the hopper is loaded in the order jobs need them
STOCK = {"ICBC": 7, "CCB": 3}
HOPPER = ("ICBC", "ICBC", "CCB", "ICBC", "ICBC", "ICBC", "ICBC", "ICBC", "CCB", "CCB")
OUTPUTS = ("blanks", "printed", "faces", "receipts", "outbox")
REPORTS = ("inventory.db", "day-report.txt", "day-report.pdf")


def say(text: str) -> None:
    print(f"   {text}", flush=True)


class Ticker:
    """The job's progress events as lines (the ``station issue`` progress bar), and while
    one step lasts — the printer's mechanics take seconds — a line a second with the
    elapsed time, so a long step never looks hung.  On a terminal the lines are rewritten
    in place; into a pipe or a log each is one plain line."""

    END = ("done", "failed", "makeup", "cancel")

    def __init__(self, interval: float = 1.0) -> None:
        from station.cli.issue import ProgressLine

        self._bar = ProgressLine()
        self._interval = interval
        self._tty = sys.stdout.isatty()
        self._lock = threading.Condition()
        self._label: str | None = None
        self._t0 = 0.0  # the running job's start (monotonic)
        self._last = 0.0  # when a line was last written
        self._done = False
        self.on_event: list[Any] = []  # the story's own hooks: called with each event
        self._thread = threading.Thread(target=self._tick, name="demo-progress", daemon=True)
        self._thread.start()

    def show(self, event: ProgressEvent) -> None:
        with self._lock:
            now = time.monotonic()
            self._t0 = now - event.elapsed
            self._label = None if event.step in self.END else f"{event.zh} {event.en}"
            self._last = now
            self._bar.show(event)
            for hook in self.on_event:
                hook(event)

    def pause(self) -> None:
        """No step is running (between jobs): no ticks."""
        with self._lock:
            self._label = None

    def close(self) -> None:
        with self._lock:
            self._done = True
            self._lock.notify_all()
        self._thread.join()

    def _tick(self) -> None:
        with self._lock:
            while not self._done:
                self._lock.wait(0.1)
                now = time.monotonic()
                if self._label is None or now - self._last < self._interval:
                    continue
                text = f"   {self._label} … 已用 elapsed {now - self._t0:.0f} s"
                try:  # stdout may be gone (a closed pipe): then stop telling, quietly
                    sys.stdout.write(f"\r{text}\x1b[K" if self._tty else text + "\n")
                    sys.stdout.flush()
                except (OSError, ValueError):
                    return
                self._last = now


@dataclass
class Counter:
    """What the demo's counter is made of (the book, the printer simulator, the ticker)."""

    out: Path
    db_url: str
    station: str
    password: str  # the teller's, random, never shown
    sim: PrinterSimulator
    ticker: Ticker
    then_scale: float


def prepare_outputs(out: Path) -> None:
    """Every path the story writes, checked before anything runs: a symlink planted at
    one stops the demo with one line and nothing written through it."""
    from station.fsutil import ensure_dir, refuse_symlink

    for name in REPORTS:
        refuse_symlink(out / name)
    for name in OUTPUTS:
        ensure_dir(out / name, refuse_symlink=True)
    # the book is made afresh, and with it what its jobs left: faces, receipts, batches
    banks = [ensure_dir(out / "blanks" / b, refuse_symlink=True) for b in STOCK]
    folders = [out / name for name in OUTPUTS] + banks
    for folder in folders:
        for f in folder.iterdir():
            refuse_symlink(f)  # a link planted inside stops the demo; it is left as found
            if not f.is_dir():
                f.unlink()
    (out / "inventory.db").unlink(missing_ok=True)


def open_book(out: Path) -> tuple[str, str, list[BlankInfo]]:
    """Pre-made blanks, stocked in and handed to the teller's drawer, the day's count done.
    Returns the book's URL, the teller's password and the blanks in hopper order."""
    from station.emulator.blanks import make_blanks
    from station.inventory.db import make_engine, migrate
    from station.inventory.models import LocationKind, Role
    from station.inventory.service import Inventory

    made: dict[str, list[BlankInfo]] = {}
    manifests = []
    for bank, n in STOCK.items():
        folder = out / "blanks" / bank
        made[bank] = make_blanks("gen3-sm4-blank", n, folder, bank=bank, manufacturer="M01")
        manifests.append(folder / "manifest.csv")
    say(f"预制卡 pre-made blanks made: {', '.join(f'{b} {n}' for b, n in STOCK.items())}")
    url = f"sqlite:///{out / 'inventory.db'}"
    engine = make_engine(url)
    migrate(engine)
    inv = Inventory(engine)
    # the demo's people prove passwords through the same service as everyone (random, never
    # shown): the supervisor is enrolled first, the teller sets theirs with the one-time code
    inv.auth.bootstrap("sup", secrets.token_urlsafe(12))
    password = secrets.token_urlsafe(12)
    code = inv.add_user(TELLER, Role.TELLER, by="sup")
    inv.auth.sign_in(TELLER, code, new_password=password)
    inv.add_manufacturer("M01", by="sup")
    inv.add_location(DRAWER, LocationKind.DRAWER, owner=TELLER, by="sup")
    for bank in STOCK:
        inv.add_bank(bank, by="sup")
    for m in manifests:
        res = inv.stock_in(m.read_bytes(), by="sup")
        say(f"入库 stock-in: batch {res.batch_id}, {res.count} cards ({res.bank}/M01)")
    for bank, n in STOCK.items():
        inv.allocate(DRAWER, n, bank=bank, by="sup")
    count = inv.count(DRAWER, by=TELLER, counted=dict(STOCK))
    counted = ", ".join(f"{bank} {n}/{exp}" for bank, n, exp in count.lines)
    say(
        f"日初盘点 daily count of drawer {DRAWER}: {count.status.value}"
        f" (counted/expected {counted})"
    )
    inv.engine.dispose()
    queues = {bank: list(infos) for bank, infos in made.items()}
    return url, password, [queues[bank].pop(0) for bank in HOPPER]


def start_printer(out: Path, chip_link: Any, blanks: list[BlankInfo], scale: float) -> Any:
    from station.emulator.blanks import load_blank
    from station.printer.simulator import PrinterSimulator, Timing

    sim = PrinterSimulator(
        [(b.card_number, load_blank(b.path)) for b in blanks],
        chip_slot=chip_link,
        out_dir=out / "printed",
        timing=Timing(scale=scale),
    )
    url = sim.serve_tcp("127.0.0.1", 0)
    say(f"打印机模拟器 printer simulator: {url}")
    say(f"   注入故障 inject a fault while it runs: station printer fault jam --url {url}")
    return sim


@contextmanager
def station_up(args: argparse.Namespace, counter: Counter) -> Iterator[IssuanceJob]:
    """The station as it starts: the book opened, the teller signed in, the job runner with
    the printer, the contact reader and the PSAM — built by ``station issue``'s desk."""
    from station.cli import settings_of
    from station.cli.issue import issuing_desk
    from station.emulator.vpcd import reader_name
    from station.inventory.service import Inventory
    from station.issuance.journal import Journal

    inv = Inventory(counter.db_url)
    inv.auth.sign_in(TELLER, counter.password)
    journal = Journal(inv, station=counter.station)
    desk_args = argparse.Namespace(
        settings=settings_of(args),
        printer=counter.sim.url,
        card_reader=reader_name(0),
        psam_reader=reader_name(1),
        key_file=None,
        out=counter.out,
        operator_name=TELLER,
    )
    try:
        with issuing_desk(desk_args, journal, progress=False) as desk:
            desk.runner.progress = counter.ticker.show
            desk.runner.outlet = "DEMO-01"
            yield desk.runner
    finally:
        inv.engine.dispose()


def run_job(runner: IssuanceJob, app: Application, counter: Counter) -> Outcome:
    from station.cli.issue import outcome_line

    def written(event: ProgressEvent) -> None:
        if event.step == "written":  # the runner compared what it read back with the write
            say(f"写卡并回读校验 chip written and read back: {app.holder.name}")

    counter.ticker.on_event = [written]
    t0 = time.monotonic()
    try:
        out = runner.run(app)
    finally:
        counter.ticker.pause()
    say(outcome_line(out))
    if out.ok:
        say(f"卡面打印并出卡 printed and handed over ({time.monotonic() - t0:.1f} s in all)")
        if out.face is not None:
            say(f"卡面 face: {out.face.relative_to(counter.out)}")
        if out.receipt is not None:
            say(f"领卡回执 receipt: {out.receipt.relative_to(counter.out)}")
    return out


def applications(photo: bytes, glyph: bytes, today: dt.date) -> list[Application]:
    """The day's applicants (made-up people, valid IDs: check character, sex, birth date)."""
    from station.codecs.validators import citizen_id_check
    from station.issuance.application import application_from

    def person(n: int, name: str, born: dt.date, sex: str, bank: str, **over: Any) -> Any:
        seq = 2 * secrets.randbelow(400) + 101 + (0 if sex == "1" else 1)  # odd: a man
        first17 = f"440305{born:%Y%m%d}{seq:03d}"
        values = {
            "application_id": f"DEMO-{today:%Y%m%d}-{n}",
            "ssn": first17 + citizen_id_check(first17),
            "name": name,
            "sex": sex,
            "ethnicity": "01",
            "birthplace": "440305",
            "birth_date": born.isoformat(),
            "bank": bank,
            "photo": photo,
        }
        values.update(over)
        return application_from(values, received=today)

    child_born = today.replace(year=today.year - 4, day=1)
    return [
        person(1, "欧阳示例", dt.date(1988, 5, 12), "1", "ICBC"),
        person(2, "张[CHUI]", dt.date(1975, 3, 9), "2", "ICBC", glyphs={"CHUI": glyph}),
        person(3, "李小宝", child_born, "1", "CCB", photo=None),
        person(4, "王建国", dt.date(1969, 11, 30), "1", "ICBC"),
        person(5, "陈晓梅", dt.date(1992, 7, 21), "2", "ICBC"),
    ]


def step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def instant_issue(args: argparse.Namespace, out: Path, chip_link: Any, photo: bytes) -> None:
    """The day at the counter: five applicants, one printer fault, one crash."""
    from station.apdu.pcsc import wait_for_card
    from station.emulator.vpcd import reader_name
    from station.printer.simulator import Timing

    step("二、即时制卡 Instant issuance (the job runner, journaled in the book)")
    prepare_outputs(out)
    url, password, blanks = open_book(out)
    sim = start_printer(out, chip_link, blanks, args.time_scale)
    then = args.time_scale if args.then_scale is None else args.then_scale
    counter = Counter(out, url, settings_station(args), password, sim, Ticker(), then)
    apps = applications(photo, glyph_png(), dt.date.today())
    try:
        with station_up(args, counter) as runner:
            s = runner.printer.status()
            say(
                f"打印机 printer {s.serial}: feeder {'loaded' if s.feeder_loaded else 'EMPTY'},"
                f" cover {'OPEN' if s.cover_open else 'closed'}, ribbon {s.ribbon_left} left"
            )
            for n, app in enumerate(apps[:3]):
                step(f"申请 application {app.application_id}: {WHO[n]}")
                run_job(runner, app, counter)
                sim.timing = Timing(scale=then)  # the first card at --time-scale, then faster
            fault_and_retry(runner, apps[3], counter)
            crashed = crash_at_eject(runner, apps[4], counter)
        restart_and_makeup(args, counter, apps, crashed, chip_link)
    finally:
        counter.ticker.close()
        sim.stop()
        chip_link.remove()
        wait_for_card(reader_name(0), 10, present=False)
    if sim.save_error is not None:  # a printed card's picture could not be kept
        raise sim.save_error


WHO = (
    "成人，有照片 adult with a photo",
    "生僻字姓名 rare-character name written [CHUI], with its glyph image",
    "7岁以下儿童，无照片 child under 7, no photo",
)


def settings_station(args: argparse.Namespace) -> str:
    from station.cli import settings_of

    return settings_of(args).station_id


def glyph_png() -> bytes:
    """A stand-in for the scanned glyph of the rare character (倕 chuí, drawn once with
    the face's CJK font at scan size, 96 px on a white sheet, as an operator's scan)."""
    import io

    from PIL import Image, ImageDraw

    from station.printer.face_text import find_cjk_font, load_font

    path, index = find_cjk_font()
    img = Image.new("L", (112, 112), 255)
    ImageDraw.Draw(img).text((8, 0), "倕", fill=0, font=load_font(path, index, 96))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def fault_and_retry(runner: IssuanceJob, app: Application, counter: Counter) -> None:
    from station.printer.simulator import Fault, Remedy

    step(f"申请 application {app.application_id}: 打印故障与重试 a printer fault and a retry")
    counter.sim.inject(Fault.RIBBON_END, 2)
    say(
        "模拟 simulated: the ribbon runs out during the 2nd panel (the simulator's fault"
        " injection, as `station printer fault ribbon-end`)"
    )
    failed = run_job(runner, app, counter).job
    if failed.card_number:
        state = runner.inv.blank(failed.card_number).state.value
        say(f"废卡 blank {failed.card_number} is now {state} (its chip held the holder's data)")
    counter.sim.remedy(Remedy.LOAD_RIBBON)
    counter.sim.remedy(Remedy.EMPTY_REJECT)
    say("操作员换色带、清空废卡盒 the operator loads a new ribbon, empties the reject box")
    retry = run_job(runner, app, counter).job
    say(f"重试 retry: job {retry.job_id} on blank {retry.card_number}, retry of {retry.retry_of}")


def crash_at_eject(runner: IssuanceJob, app: Application, counter: Counter) -> str:
    from station.printer.simulator import Fault

    step(f"申请 application {app.application_id}: 崩溃与制卡补登 a crash, then make-up")
    # the 4th card move of a job: 1 feed, 2 contacts, 3 print, 4 eject
    counter.sim.inject(Fault.JAM, 4)
    say("模拟 simulated: the card jams at eject, after its face is printed (fault injection)")
    out = run_job(runner, app, counter)
    say(
        "模拟崩溃 simulated crash: the station stops here — its book connection, printer link"
        " and job runner are dropped (in this process; no process is killed)"
    )
    return out.job.job_id


def restart_and_makeup(
    args: argparse.Namespace, counter: Counter, apps: list[Application], job_id: str, link: Any
) -> None:
    from station.apdu.pcsc import card_events, wait_for_arrival, wait_for_card
    from station.cli.issue import outcome_line
    from station.emulator.vpcd import reader_name
    from station.issuance.recover import recover
    from station.printer.simulator import Remedy

    counter.sim.remedy(Remedy.CLEAR_JAM)
    say("操作员打开打印机取出已打印的卡 the teller opens the printer and pulls the card out")
    step("重新启动 restart: book reopened, teller signed in, a new job runner; recovery")
    with station_up(args, counter) as runner:
        by_id = {a.application_id: a for a in apps}
        for r in recover(runner, by_id):
            say(f"恢复 recovery {r.job_id}: {r.state_before.value} -> {r.decision.action.value}")
            say(f"   {r.decision.why}" + (f"; {r.note}" if r.note else ""))
        job = runner.journal.job(job_id)
        stuck = next(c for c in counter.sim.cards if c.name == job.card_number)
        mark = card_events(reader_name(0))
        link.insert(stuck.chip)
        wait_for_arrival(reader_name(0), 10, mark)
        say("模拟 simulated: the card goes into a desktop reader (vpcd slot 0 stands in for it)")
        try:
            made = runner.makeup(job_id, by_id[job.application_id], reader=reader_name(0))
        finally:
            counter.ticker.pause()
            link.remove()
            wait_for_card(reader_name(0), 10, present=False)
        say(outcome_line(made) + " — chip re-read, nothing printed again")
        if made.receipt is not None:
            say(f"领卡回执 receipt: {made.receipt.relative_to(counter.out)}")
        wrap_up(runner, counter)


def wrap_up(runner: IssuanceJob, counter: Counter) -> None:
    """The drawer's balance, the ledger's check, the day's report and the outbox batch."""
    from station.issuance.outbox import Outbox

    step("日终 End of the day")
    inv = runner.inv
    for b in inv.balance(location=DRAWER):
        say(
            f"余额 balance {b.location}/{b.bank}: opening {b.opening} + received {b.received}"
            f" - issued {b.issued} - spoiled {b.spoiled} - returned {b.returned}"
            f" = closing {b.closing}"
        )
    report = inv.verify_ledger()
    intact = "intact" if report.first_bad_seq is None else f"BROKEN at {report.first_bad_seq}"
    say(f"台账校验 ledger: {report.rows} movements, hash chain {intact}")
    for path in write_day_report(runner.journal, counter.out):
        say(f"当日报表 day's report: {path.relative_to(counter.out)}")
    batch = Outbox(inv, station=counter.station).export_batch(
        counter.out / "outbox" / f"outbox-{inv.today():%Y%m%d}.jsonl"
    )
    if batch is not None:
        say(
            f"回盘 outbox: {batch.count} records, SM3 {batch.sm3[:16]}… -> outbox/{batch.path.name}"
        )


def write_day_report(journal: Journal, out: Path) -> list[Path]:
    """The day's issued / made-up / failed jobs and spoiled blanks by cause, as text and as
    the signed paper copy (the supervisor's PDF table)."""
    from station.cli.issue import JOB_COLUMNS, job_cells
    from station.fsutil import write_file
    from station.inventory.reports import write_pdf

    rep = journal.day_report()
    head = JOB_COLUMNS
    rows = [job_cells(j) for j in journal.jobs()]
    spoiled = ", ".join(f"{c} {n}" for c, n in sorted(rep.spoiled_by_cause.items())) or "none"
    summary = (
        f"{rep.day} station {rep.station}: issued {rep.issued} (made up {rep.made_up}),"
        f" failed {rep.failed}; spoiled blanks {rep.spoiled} ({spoiled});"
        f" waste rate {rep.waste_rate:.1%}"
    )
    say("当日 the day: " + summary)
    text = "\n".join(["当日制卡报表 day's issuance report", summary, "\t".join(head)])
    text += "".join("\n" + "\t".join(r) for r in rows) + "\n"
    title = f"当日制卡报表 day's issuance report {rep.day}"
    write_pdf(out / "day-report.pdf", title, head, rows, footer=summary)
    return [write_file(out / "day-report.txt", text), out / "day-report.pdf"]
