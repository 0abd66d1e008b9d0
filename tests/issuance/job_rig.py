"""A counter on virtual hardware for the job runner's tests: a SQLite stock book with a
teller and their drawer, pre-made blanks (files), the printer simulator over TCP whose
contact station is vpcd slot 0, the virtual PSAM in vpcd slot 1 — all through real pcscd."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.apdu.pcsc import PcscTransport, card_events, wait_for_arrival
from station.codecs.validators import citizen_id_check
from station.crypto.provider import PsamKeyProvider
from station.emulator.blanks import BlankInfo, load_blank, make_blanks
from station.emulator.cards import make_psam
from station.emulator.vpcd import reader_name
from station.errors import ReaderError
from station.inventory.db import make_engine, migrate
from station.inventory.models import LocationKind, Role
from station.inventory.service import Inventory
from station.issuance.application import Application, application_from
from station.issuance.job import IssuanceJob
from station.issuance.journal import Journal
from station.issuance.progress import ProgressEvent
from station.printer.evolis import EvolisPrinter
from station.printer.simulator import PrinterSimulator, Timing
from station.profiles import CardProfile, load_card_profile
from tests.inventory.conftest import FAST_HASHER

STATION = "ST01"
TELLER = "t1"
PASSWORD = "t1-Pw-issue-9x"
SUP_PASSWORD = "sup-Pw-issue-9x"


@functools.cache
def jpeg() -> bytes:
    """A small real portrait JPEG (fits the chip's 4 KB photo file)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (180, 224), "white")
    d = ImageDraw.Draw(img)
    d.ellipse((56, 35, 123, 115), fill=(226, 188, 160))
    d.pieslice((27, 125, 152, 280), 180, 360, fill=(38, 62, 120))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=40)
    return buf.getvalue()


def applicant(n: int, *, bank: str = "ICBC", **over: Any) -> dict[str, Any]:
    """Plain values of application ``APP-<n>`` (a distinct adult man)."""
    born = dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
    first17 = f"440305{born:%Y%m%d}{(101 + 2 * n) % 1000:03d}"
    values: dict[str, Any] = {
        "application_id": f"APP-{n:04d}",
        "ssn": first17 + citizen_id_check(first17),
        "name": "测试申请人" + "甲乙丙丁戊己庚辛壬癸"[n % 10],
        "sex": "1",
        "ethnicity": "01",
        "birthplace": "440305",
        "birth_date": born.isoformat(),
        "bank": bank,
        "photo": jpeg(),
    }
    values.update(over)
    return values


def application(n: int, **over: Any) -> Application:
    return application_from(applicant(n, **over))


def write_csv(path: Path, rows: list[dict[str, Any]], photo_dir: Path) -> Path:
    """A CSV of applications; photos as files next to it (``photo`` column: a path)."""
    photo_dir.mkdir(exist_ok=True)
    keys = [k for k in rows[0] if k not in ("photo", "glyphs")] + ["photo"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=keys)
        w.writeheader()
        for row in rows:
            out = {k: v for k, v in row.items() if k not in ("photo", "glyphs")}
            if row.get("photo"):
                p = photo_dir / f"{row['application_id']}.jpg"
                p.write_bytes(row["photo"])
                out["photo"] = str(p)
            w.writerow(out)
    return path


def put_in_reader(link: Any, chip: Any, slot: int = 0) -> None:
    """Someone puts ``chip`` into vpcd slot ``slot``; wait until pcscd has seen it arrive.

    The wait is for pcscd's card-event count to move past the one before the insertion:
    a card that left the slot less than one pcscd poll ago would otherwise still be what
    the reader state shows, and a connect would reach it ("Transaction failed")."""
    reader = reader_name(slot)
    mark = card_events(reader)
    link.insert(chip)
    wait_for_arrival(reader, 10, mark)


def connect_patiently(reader: str, within: float = 10.0) -> PcscTransport:
    """Connect, polling until ``within`` s while pcscd still holds the last test's
    exclusive handle on the reader (it lets go asynchronously)."""
    deadline = time.monotonic() + within
    while True:
        t = PcscTransport(reader)
        try:
            t.connect()
            return t
        except ReaderError:
            if time.monotonic() > deadline:
                raise
            threading.Event().wait(0.05)


@dataclass
class Rig:
    root: Path
    db_url: str
    inv: Inventory
    journal: Journal
    sim: PrinterSimulator
    printer: EvolisPrinter
    provider: PsamKeyProvider
    profile: CardProfile
    blanks: list[BlankInfo]
    events: list[ProgressEvent] = field(default_factory=list)
    closers: list[Any] = field(default_factory=list)

    def job(self, **kw: Any) -> IssuanceJob:
        kw.setdefault("progress", self.events.append)
        return IssuanceJob(
            self.journal,
            self.printer,
            reader_name(0),
            self.provider,
            self.profile,
            TELLER,
            out_dir=self.root / "out",
            outlet="DEMO-01",
            **kw,
        )

    def close(self) -> None:
        for close in reversed(self.closers):
            close()


def make_book(root: Path, blank_sets: dict[str, list[BlankInfo]], manifests: list[Path]) -> str:
    db = root / "book.db"
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    inv = Inventory(engine, password_hasher=FAST_HASHER)
    inv.auth.bootstrap("sup", SUP_PASSWORD)
    code = inv.add_user(TELLER, Role.TELLER, by="sup")
    inv.auth.sign_in(TELLER, code, new_password=PASSWORD)
    inv.add_manufacturer("M01", by="sup")
    inv.add_location("D1", LocationKind.DRAWER, owner=TELLER, by="sup")
    for bank in ("ICBC", "CCB"):
        inv.add_bank(bank, by="sup")
    for m in manifests:
        inv.stock_in(m.read_bytes(), by="sup")
    counted = {}
    for bank, infos in blank_sets.items():
        inv.allocate("D1", len(infos), bank=bank, by="sup")
        counted[bank] = len(infos)
    inv.count("D1", by=TELLER, counted=counted)
    engine.dispose()
    return f"sqlite:///{db}"


def make_rig(
    root: Path,
    links: tuple[Any, Any],
    banks: dict[str, int],
    *,
    printer_timeouts: dict[str, float] | None = None,
) -> Rig:
    """``banks``: blanks per bank; the hopper holds them in that order.
    ``printer_timeouts``: the driver's timeouts instead of the defaults below (a power-loss
    test waits one reply timeout by design: short ones keep it quick)."""
    profile = load_card_profile("gen3-sm4-blank")
    sets: dict[str, list[BlankInfo]] = {}
    manifests = []
    for i, (bank, n) in enumerate(banks.items()):
        d = root / f"blanks-{bank}"
        sets[bank] = make_blanks(profile, n, d, bank=bank, manufacturer="M01")
        manifests.append(d / "manifest.csv")
        del i
    url = make_book(root, sets, manifests)
    inv = Inventory(url, password_hasher=FAST_HASHER)
    inv.auth.sign_in(TELLER, PASSWORD)
    journal = Journal(inv, station=STATION)
    chip_link, psam_link = links
    put_in_reader(psam_link, make_psam("psam-sm4"), 1)
    psam_t = connect_patiently(reader_name(1))
    provider = PsamKeyProvider(psam_t)
    every = [b for infos in sets.values() for b in infos]
    sim = PrinterSimulator(
        [(b.card_number, load_blank(b.path)) for b in every],
        chip_slot=chip_link,
        out_dir=root / "printed",
        timing=Timing(scale=0),
    )
    sim_url = sim.serve_tcp("127.0.0.1", 0)
    timeouts = {"timeout": 5.0, "move_timeout": 10.0, "print_timeout": 20.0}
    timeouts.update(printer_timeouts or {})
    printer = EvolisPrinter(sim_url, **timeouts)
    printer.open()
    rig = Rig(root, url, inv, journal, sim, printer, provider, profile, every)
    rig.closers += [sim.stop, printer.close, psam_t.disconnect, inv.engine.dispose]
    return rig
