"""Technician commands at the APDU level: ``station readers``, ``station apdu``,
``station monitor``.  Output is plain, exact and scriptable (``--json`` where it helps).

``station apdu`` shows commands and answers through the tracer's own redaction
(``station.apdu.trace.shown_command`` / ``shown_data``): what the console prints is exactly
what a trace would keep — a VERIFY's PIN never, record/binary content only with
``--raw-trace``.  Every exchange has the ``card_timeout`` deadline."""

from __future__ import annotations

import argparse
import json
import queue
import time
from typing import Any

from station.apdu import Command, Tracer, describe
from station.apdu.trace import shown_command, shown_data
from station.cli import settings_of
from station.errors import NoCard, NoReader


def register(sub: Any) -> None:
    p = sub.add_parser("readers", help="list PC/SC readers, card presence and ATR")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_readers)

    p = sub.add_parser("apdu", help="send APDUs (hex) and show responses with SW meanings")
    p.add_argument("apdus", nargs="+", metavar="HEX", help="command APDU in hex, e.g. 00A4040000")
    p.add_argument("--reader", help="reader name (default: the first reader with a card)")
    p.add_argument("--raw", action="store_true", help="no automatic GET RESPONSE / Le fix")
    p.add_argument("--trace", action="store_true", help="print every exchange (incl. T=0)")
    p.add_argument(
        "--raw-trace",
        action="store_true",
        help="show record/binary content (personal data) unmasked; PINs and keys stay hidden",
    )
    p.set_defaults(func=cmd_apdu)

    p = sub.add_parser("monitor", help="print reader and card events until Ctrl-C")
    p.add_argument("--count", type=int, default=0, help="stop after N card events")
    p.add_argument("--timeout", type=float, default=0.0, help="stop after S seconds")
    p.set_defaults(func=cmd_monitor)


def cmd_readers(args: argparse.Namespace) -> int:
    from station.apdu.pcsc import reader_status

    status = reader_status()
    if args.json:
        print(
            json.dumps(
                [
                    {"reader": s.name, "card": s.card_present, "atr": s.atr.hex().upper()}
                    for s in status
                ],
                ensure_ascii=False,
            )
        )
        return 0
    if not status:
        raise NoReader()
    for s in status:
        card = f"card  ATR {s.atr.hex().upper()}" if s.card_present else "no card"
        print(f"{s.name}\t{card}")
    return 0


def default_reader(name: str | None) -> str:
    """The named reader, or the first one holding a card."""
    from station.apdu.pcsc import reader_status

    status = reader_status()
    if name:
        if not any(s.name == name for s in status):
            raise NoReader(f"未找到读卡器：{name} (no such reader)", detail=name)
        return name
    for s in status:
        if s.card_present:
            return s.name
    if not status:
        raise NoReader()
    raise NoCard(detail="no reader has a card")


def cmd_apdu(args: argparse.Namespace) -> int:
    from station.apdu.pcsc import PcscTransport

    commands = [Command.from_hex(h) for h in args.apdus]  # validate all before sending any
    raw = bool(args.raw_trace)
    tracer = Tracer(raw=raw)
    transport = PcscTransport(
        default_reader(args.reader),
        tracer=tracer,
        shared=True,
        timeout=settings_of(args).card_timeout,
    )
    worst = 0
    with transport:
        for cmd in commands:
            rsp = transport.transmit(cmd, get_response=not args.raw, fix_le=not args.raw)
            print(f"> {shown_command(cmd, raw=raw)}")
            data = shown_data(cmd, rsp.data, raw=raw)
            print(f"< {data} {describe(rsp.sw)}" if data else f"< {describe(rsp.sw)}")
            if rsp.sw != 0x9000:
                worst = 1
    if args.trace:
        print(tracer.text())
    return worst


def cmd_monitor(args: argparse.Namespace) -> int:
    from station.apdu.pcsc import CardMonitor, Event, MonitorEvent

    events: queue.Queue[MonitorEvent] = queue.Queue()
    monitor = CardMonitor(events.put).start()
    seen = 0
    deadline = time.monotonic() + args.timeout if args.timeout else None
    try:
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                ev = events.get(timeout=wait)
            except queue.Empty:
                break
            stamp = time.strftime("%H:%M:%S")
            atr = f" ATR {ev.atr.hex().upper()}" if ev.atr else ""
            print(f"{stamp} {ev.kind.value:<15} {ev.reader}{atr}", flush=True)
            if ev.kind in (Event.CARD_INSERTED, Event.CARD_REMOVED):
                seen += 1
                if args.count and seen >= args.count:
                    break
    except KeyboardInterrupt:  # Ctrl-C is how a monitor is meant to end: not an error
        pass
    finally:
        monitor.stop()
    return 0
