"""``station demo``: the station's main jobs end to end on virtual hardware.

Everything runs for real except the physical devices: a real pcscd with vsmartcard's vpcd
shows the virtual cards and the virtual PSAM as PC/SC readers, the printer simulator
speaks the Evolis protocol over a real TCP socket (its contact station is vpcd slot 0),
and the stock books are a real SQLite file.

1. PIN service (社保应用密码) on an issued gen-3 card: read, genuineness through the PSAM,
   a wrong PIN, a reset, the business receipt.
2. Instant issuance (即时制卡), in ``station.cli.demo_issue``: the real job runner
   (``IssuanceJob``) for five applicants, one printer fault with its retry, one make-up
   after a simulated crash; faces, receipts, the day's report and the outbox batch.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hmac
import io
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from station.cli.demo_issue import instant_issue
from station.cli.demo_issue import say as _say
from station.cli.demo_issue import step as _step
from station.errors import StationError


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="run the station's main jobs on virtual cards and printer")
    p.add_argument("--out", default="var/demo", help="folder for receipts, faces, books")
    p.add_argument(
        "--time-scale",
        type=float,
        default=0.1,
        help="printer mechanics for the first card: 1 = real time (~23 s a card), 0 = instant",
    )
    p.add_argument(
        "--then-scale",
        type=float,
        default=None,
        help="printer mechanics for the cards after the first (default: --time-scale)",
    )
    p.set_defaults(func=cmd_demo)


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
        instant_issue(args, out, chip_link, _photo_jpeg())
    finally:
        chip_link.stop()
        psam_link.stop()
    _step(f"完成 Done — files in {out.resolve()}")
    for f in sorted(out.rglob("*")):
        if f.is_file() and f.suffix in (".pdf", ".png", ".txt", ".db", ".csv", ".jsonl"):
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
        basic = basic_read_string(info, provider.terminal_number())
        # the national basic-read string, its SSN field masked like every screen line
        _say("基本信息 basic read: " + basic.replace(info.ssn, mask_ssn(info.ssn)))
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
