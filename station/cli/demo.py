"""``station demo``: the station's main jobs end to end on virtual hardware.

Everything runs for real except the physical devices: a real pcscd with vsmartcard's vpcd
shows the virtual cards and the virtual PSAM as PC/SC readers, the printer simulator
speaks the Evolis protocol over a real TCP socket (its contact station is vpcd slot 0),
and the stock books are a real SQLite file.

1. PIN service (社保应用密码) on an issued gen-3 card: read, genuineness through the PSAM,
   a wrong PIN, a reset, the business receipt.
2. Instant issuance (即时制卡): stock-in of pre-made blanks, daily count, the printer feeds
   a blank to its contacts, the chip tells which blank it is, the blank is reserved for the
   job, the chip is written and read back through the PSAM, the face is printed, the card
   is ejected and booked as issued.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hmac
import io
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.errors import StationError

if TYPE_CHECKING:
    from station.printer.face import FaceLayout


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="run the station's main jobs on virtual cards and printer")
    p.add_argument("--out", default="var/demo", help="folder for receipts, faces, books")
    p.add_argument(
        "--time-scale",
        type=float,
        default=0.1,
        help="printer mechanics: 1 = real time (~23 s a card), 0 = instant",
    )
    p.set_defaults(func=cmd_demo)


def _step(title: str) -> None:
    print(f"\n== {title}", flush=True)


def _say(text: str) -> None:
    print(f"   {text}", flush=True)


class _Progress:
    """A line that tells what the printer is doing and for how long, at least once a second.

    Why: at real speed a card takes 20+ s of mechanics, and a silent screen looks hung.  On
    a terminal the line is rewritten in place (carriage return); into a pipe or a log it is
    one plain line a second, so nothing there fills up with control characters.
    """

    def __init__(self, start: float, interval: float = 1.0) -> None:
        self._start = start
        self._interval = interval
        self._tty = sys.stdout.isatty()

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        done = threading.Event()
        shown = threading.Event()

        def tick() -> None:
            while not done.wait(self._interval):
                elapsed = time.monotonic() - self._start
                text = f"   {label} … 已用 elapsed {elapsed:.0f} s"
                try:  # stdout may be gone (a closed pipe): then stop telling, quietly
                    if self._tty:
                        sys.stdout.write(f"\r{text}\x1b[K")
                        sys.stdout.flush()
                    else:
                        print(text, flush=True)
                except (OSError, ValueError):
                    return
                shown.set()

        thread = threading.Thread(target=tick, name="demo-progress", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()
            if self._tty and shown.is_set():
                sys.stdout.write("\r\x1b[K")  # the step's own result line takes its place
                sys.stdout.flush()


def _random_pin(acceptable: Callable[[str], bool]) -> str:
    """A fresh 6-digit PIN from ``secrets`` that ``acceptable`` allows."""
    while True:
        pin = "".join(secrets.choice("0123456789") for _ in range(6))
        if acceptable(pin):
            return pin


def _photo_jpeg() -> bytes:
    """A stand-in portrait (white background, 358 × 441 like a capture station's)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (358, 441), "white")
    d = ImageDraw.Draw(img)
    d.ellipse((112, 70, 246, 230), fill=(226, 188, 160))
    d.pieslice((54, 250, 304, 560), 180, 360, fill=(38, 62, 120))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def cmd_demo(args: argparse.Namespace) -> int:
    from station.apdu.pcsc import list_readers
    from station.emulator.cards import make_psam
    from station.emulator.vpcd import VpcdLink, reader_name, slot_port
    from station.fsutil import ensure_dir

    # every file below is written by station.fsutil: 0600, atomic, never through a symlink
    out = ensure_dir(args.out, refuse_symlink=True)
    _step("读卡器 Readers (real pcscd, vsmartcard vpcd)")
    readers = list_readers()
    for r in readers:
        _say(r)
    if reader_name(0) not in readers:
        raise StationError("未找到虚拟读卡器 (vpcd reader missing: is pcscd running?)")

    psam_link = VpcdLink(make_psam("psam-sm4"), port=slot_port(1)).start()
    chip_link = VpcdLink(port=slot_port(0)).start()
    try:
        pin_service(out, chip_link)
        instant_issue(out, chip_link, args.time_scale)
    finally:
        chip_link.stop()
        psam_link.stop()
    _step(f"完成 Done — files in {out.resolve()}")
    for f in sorted(out.rglob("*")):
        if f.is_file() and f.suffix in (".pdf", ".png", ".txt", ".db", ".csv"):
            _say(str(f.relative_to(out)))
    return 0


def _open_psam() -> Any:
    from station.apdu.pcsc import PcscTransport, wait_for_card
    from station.crypto.provider import PsamKeyProvider
    from station.emulator.vpcd import reader_name

    wait_for_card(reader_name(1), 10)
    t = PcscTransport(reader_name(1))
    t.connect()
    return t, PsamKeyProvider(t)


def pin_service(out: Path, chip_link: Any) -> None:
    from station.apdu import PinWrong, Tracer
    from station.apdu.pcsc import PcscTransport, wait_for_card
    from station.card import pin as P
    from station.card.audit import AuditRecord, JsonLinesAuditSink, Operation, mask_ssn
    from station.card.reader import basic_read_string, read_card
    from station.card.receipt import Receipt
    from station.card.serial import ReceiptSerials
    from station.emulator.cards import make_card
    from station.emulator.vpcd import reader_name
    from station.fsutil import write_file
    from station.profiles import load_card_profile

    _step("一、密码服务 PIN service on an issued gen-3 card (SM4, keys in the PSAM)")
    profile = load_card_profile("gen3-sm4-issued")  # the demo runs on the shipped profiles
    chip_link.insert(make_card(profile))
    wait_for_card(reader_name(0), 10)
    psam_t, provider = _open_psam()
    tracer = Tracer()
    with PcscTransport(reader_name(0), tracer=tracer) as card:
        info = read_card(card, provider, check_genuineness=True)
        _say(f"持卡人 holder      {info.name}  社会保障号码 {mask_ssn(info.ssn)}")
        _say(f"社保卡号 card no.  {info.card_number}   算法 {info.alg.value}   真伪 genuine: yes")
        _say("基本信息 basic read: " + basic_read_string(info, provider.terminal_number()))
        pin = profile.pin.value if profile.pin.value else info.ssn[-6:]
        state = P.pin_tries(card)
        _say(f"密码剩余次数 tries left: {state.tries_left}")
        wrong = _random_pin(lambda p: not hmac.compare_digest(p.encode(), pin.encode()))
        try:
            P.verify_pin(card, provider, info.key_context, wrong)
        except PinWrong as exc:
            _say(f"输入错误密码 wrong PIN ******: {exc.message}")
        new_pin = _random_pin(lambda p: P.weak_pin_reason(p, ssn=info.ssn) is None)
        P.reset_pin(card, provider, info.key_context, new_pin, new_pin, ssn=info.ssn)
        _say("重置密码 reset: done (new PIN ****** keyed in by the holder; never printed)")
        P.verify_pin(card, provider, info.key_context, new_pin)
        _say(f"新密码校验 verify new PIN: OK, tries left {P.pin_tries(card).tries_left}")
        receipt = Receipt(
            outlet="DEMO-01",
            operator="demo-clerk",
            time=dt.datetime.now().astimezone(),
            operation=Operation.PIN_RESET,
            card_number=info.card_number,
            masked_ssn=info.ssn,
            name=info.name,
            success=True,
            serial=ReceiptSerials(out, "DEMO-01").next(),
        )
        write_file(out / "receipt-pin-reset.txt", receipt.text())
        write_file(out / "receipt-pin-reset.pdf", receipt.pdf())
        _say("业务受理回执 receipt: receipt-pin-reset.pdf / .txt")
        JsonLinesAuditSink(out / "audit.jsonl").write(
            AuditRecord.of(
                operator="demo-clerk",
                station="DEMO-01",
                card_number=info.card_number,
                ssn=info.ssn,
                operation=Operation.PIN_RESET,
            )
        )
    psam_t.disconnect()
    write_file(out / "trace-pin-service.txt", tracer.text())
    _say(f"APDU trace (PIN data redacted): trace-pin-service.txt, {len(tracer.entries())} APDUs")
    chip_link.remove()
    wait_for_card(reader_name(0), 10, present=False)


def instant_issue(out: Path, chip_link: Any, time_scale: float) -> None:
    from station.apdu.pcsc import PcscTransport, wait_for_card
    from station.card.personalise import personalise
    from station.card.reader import read_card
    from station.codecs.records import HolderData, IssuerData
    from station.codecs.validators import citizen_id_check
    from station.emulator.blanks import load_blank, make_blanks
    from station.emulator.vpcd import reader_name
    from station.fsutil import ensure_dir, refuse_symlink, write_image
    from station.inventory.db import make_engine, migrate
    from station.inventory.models import LocationKind, Role
    from station.inventory.service import Inventory
    from station.printer.evolis import EvolisPrinter
    from station.printer.face import FaceData, FaceRenderer
    from station.printer.simulator import PrinterSimulator, Timing

    _step("二、即时制卡 Instant issuance")
    blanks_dir = out / "blanks"
    refuse_symlink(blanks_dir)  # emptied below: never the files a planted link points at
    if blanks_dir.exists():
        for f in blanks_dir.iterdir():
            f.unlink()
    blanks = make_blanks("gen3-sm4-blank", 3, blanks_dir, bank="ICBC", manufacturer="M01")
    _say(f"预制卡 pre-made blanks made: {', '.join(b.card_number for b in blanks)}")

    db = out / "inventory.db"
    refuse_symlink(db)
    db.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    inv = Inventory(engine)
    # the demo's people prove passwords through the same service as everyone (random, never
    # shown): the supervisor is enrolled first, the teller sets theirs with the one-time code
    inv.auth.bootstrap("sup", secrets.token_urlsafe(12))
    code = inv.add_user("teller1", Role.TELLER, by="sup")
    inv.auth.sign_in("teller1", code, new_password=secrets.token_urlsafe(12))
    inv.add_bank("ICBC", by="sup")
    inv.add_manufacturer("M01", by="sup")
    inv.add_location("D1", LocationKind.DRAWER, owner="teller1", by="sup")
    res = inv.stock_in((blanks_dir / "manifest.csv").read_bytes(), by="sup")
    _say(f"入库 stock-in: batch {res.batch_id}, {res.count} cards ({res.bank}/{res.manufacturer})")
    inv.allocate("D1", 3, bank="ICBC", by="sup")
    count = inv.count("D1", by="teller1", counted={"ICBC": 3})
    counted = ", ".join(f"{bank} {n}/{exp}" for bank, n, exp in count.lines)
    _say(f"日初盘点 daily count of drawer D1: {count.status.value} (counted/expected {counted})")

    sim = PrinterSimulator(
        [(b.card_number, load_blank(b.path)) for b in blanks],
        chip_slot=chip_link,
        out_dir=ensure_dir(out / "printed", refuse_symlink=True),
        timing=Timing(scale=time_scale),
    )
    url = sim.serve_tcp("127.0.0.1", 0)
    _say(f"打印机模拟器 printer simulator: {url}")
    _say(f"   注入故障 inject a fault while it runs: station printer fault jam --url {url}")
    printer = EvolisPrinter(url)
    printer.open()
    try:
        status = printer.status()
        feeder = "loaded" if status.feeder_loaded else "EMPTY"
        cover = "OPEN" if status.cover_open else "closed"
        _say(
            f"打印机 printer {status.serial}: feeder {feeder}, cover {cover},"
            f" ribbon {status.ribbon_left} left"
        )
        first17 = "44030519880512" + f"{secrets.randbelow(900) + 100}"
        holder = HolderData(
            ssn=first17 + citizen_id_check(first17),
            name="欧阳示例",
            sex="1",
            ethnicity="01",
            birthplace="440305",
            birth_date=dt.date(1988, 5, 12),
        )
        job = f"JOB-{dt.date.today():%Y%m%d}-{secrets.token_hex(3).upper()}"
        t0 = time.monotonic()
        progress = _Progress(t0)
        with progress.step("进卡 feeding the blank to the contacts"):
            printer.feed()
            printer.to_contacts()
        _say(f"进卡到芯片位 card fed to the contact station ({time.monotonic() - t0:.1f} s)")
        wait_for_card(reader_name(0), 10)
        psam_t, provider = _open_psam()
        with PcscTransport(reader_name(0)) as card:
            blank = read_card(card, provider, check_genuineness=True)
            number = blank.issuer.card_number or ""
            booked = inv.reserve_card(number, "ICBC", job, by="teller1")
            _say(f"芯片识别 blank {number} genuine; reserved for {job} ({booked.state.value})")
            today = dt.date.today()
            issued = personalise(
                card,
                provider,
                holder,
                issuer=IssuerData(issue_date=today, expiry=today.replace(year=today.year + 10)),
                check_genuineness=False,
            )
            _say(f"写卡并回读校验 chip written and read back: {issued.name} {issued.card_number}")
        psam_t.disconnect()
        face = FaceRenderer(load_profile_face())
        rendered = face.render(
            FaceData(
                name=holder.name,
                ssn=holder.ssn,
                card_number=number,
                issue_date=dt.date.today(),
                photo=_photo_jpeg(),
                birth_date=holder.birth_date,
            )
        )
        write_image(out / "face-preview.png", rendered.preview)
        with progress.step("打印卡面 printing the face (Y M C K O)"):
            printer.to_print()
            printer.print_panels(rendered.panels)
        with progress.step("出卡 ejecting"):
            printer.eject()
        if sim.save_error is not None:  # the printed card's picture could not be kept
            raise sim.save_error
        inv.issue(number, job, by="teller1")
        _say(f"卡面打印并出卡 printed and handed over ({time.monotonic() - t0:.1f} s in all)")
        for b in inv.balance(location="D1", bank="ICBC"):
            _say(
                f"余额 balance {b.location}/{b.bank}: opening {b.opening} + received {b.received}"
                f" - issued {b.issued} - spoiled {b.spoiled} - returned {b.returned}"
                f" = closing {b.closing}"
            )
        report = inv.verify_ledger()
        intact = "intact" if report.first_bad_seq is None else f"BROKEN at {report.first_bad_seq}"
        _say(f"台账校验 ledger: {report.rows} movements, hash chain {intact}")
    finally:
        printer.close()
        sim.stop()
        chip_link.remove()
        wait_for_card(reader_name(0), 10, present=False)


def load_profile_face() -> FaceLayout:
    from station.profiles import load_card_profile

    face = load_card_profile("gen3-sm4-blank").face
    if face is None:
        raise StationError("卡面版式缺失 (the blank profile has no face layout)")
    return face
