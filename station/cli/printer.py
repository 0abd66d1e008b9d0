"""Printer and card-face commands: ``station printer …`` and ``station face render``.

The printer URL is anything pyserial opens: ``socket://host:port``, ``/dev/ttyUSB0``,
``/dev/usb/lp0``, a pty path.  Default: ``$STATION_PRINTER_URL`` or
``socket://127.0.0.1:9100`` (where ``station printer simulate`` listens by default).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
from pathlib import Path
from typing import Any

from station.cli import existing_dir, output_dir
from station.errors import StationError

DEFAULT_URL = "socket://127.0.0.1:9100"
MOVES = ("feed", "contacts", "print", "eject", "reject", "reset", "position")


def _url(args: argparse.Namespace) -> str:
    return str(args.url or os.environ.get("STATION_PRINTER_URL") or DEFAULT_URL)


def register(sub: Any) -> None:
    from station.printer.simulator import FAULT_KINDS

    printer = sub.add_parser("printer", help="card printer: status, moves, print, simulator")
    psub = printer.add_subparsers(dest="printer_command", metavar="ACTION", required=True)

    def url_arg(p: argparse.ArgumentParser) -> None:
        p.add_argument("--url", help=f"printer URL (default $STATION_PRINTER_URL or {DEFAULT_URL})")
        p.add_argument("--timeout", type=float, default=5.0, help="reply timeout in seconds")
        p.add_argument("--trace", action="store_true", help="print the command/reply trace")

    p = psub.add_parser("status", help="supplies, cover, card position, model")
    url_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = psub.add_parser("move", help="move the card / eject / reject / reset / ask position")
    url_arg(p)
    p.add_argument("action", choices=MOVES)
    p.set_defaults(func=cmd_move)

    p = psub.add_parser("print", help="render a face from data and print it (card stays inside)")
    url_arg(p)
    p.add_argument("--data", type=Path, required=True, help="face data (JSON or TOML)")
    p.add_argument("--layout", type=Path, help="layout TOML ([face] table of a card profile)")
    p.add_argument("--eject", action="store_true", help="eject the card after printing")
    p.set_defaults(func=cmd_print)

    p = psub.add_parser("simulate", help="run the printer simulator until Ctrl-C")
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--listen",
        default="127.0.0.1:9100",
        metavar="HOST:PORT",
        help="TCP address (port 0 = any free port); default 127.0.0.1:9100",
    )
    where.add_argument("--pty", action="store_true", help="serve on a pseudo-terminal instead")
    p.add_argument(
        "--hopper", type=existing_dir, help="blank set directory (station emulator make-blanks)"
    )
    p.add_argument(
        "--blanks",
        type=int,
        default=20,
        help="without --hopper: this many bare demo chips (default 20)",
    )
    p.add_argument("--out", type=output_dir, help="save printed panels as PNG per card here")
    p.add_argument("--ribbon", type=int, default=250, help="prints left on the ribbon")
    p.add_argument(
        "--time-scale",
        type=float,
        default=1.0,
        help="mechanical time factor: 1 = realistic (~23 s/card), 0 = instant",
    )
    p.add_argument(
        "--vpcd-slot",
        type=int,
        choices=(0, 1),
        default=0,
        help="vpcd slot that shows the chip at the contact station (default 0)",
    )
    p.add_argument("--no-vpcd", action="store_true", help="do not connect to pcscd/vpcd")
    p.add_argument(
        "--for",
        dest="duration",
        type=float,
        default=0.0,
        help="stop after this many seconds (default: run until Ctrl-C)",
    )
    p.set_defaults(func=cmd_simulate)

    p = psub.add_parser("fault", help="inject a fault into a running simulator")
    p.add_argument("--url", help="simulator URL")
    p.add_argument("kind", choices=(*FAULT_KINDS, "clear", "cover-close", "take", "empty-reject"))
    p.add_argument(
        "--at",
        type=int,
        default=1,
        help="fire at the Nth card/move/panel/command from now (default 1)",
    )
    p.set_defaults(func=cmd_fault)

    face = sub.add_parser("face", help="card face rendering")
    fsub = face.add_subparsers(dest="face_command", metavar="ACTION", required=True)
    p = fsub.add_parser("render", help="render a face preview (and panels) from data")
    p.add_argument("--data", type=Path, required=True, help="face data (JSON or TOML)")
    p.add_argument("--out", type=Path, required=True, help="preview PNG to write")
    p.add_argument("--layout", type=Path, help="layout TOML ([face] table of a card profile)")
    p.add_argument("--panels", type=Path, help="also write ymc/k/o panel PNGs into this directory")
    p.set_defaults(func=cmd_face_render)


def _printer(args: argparse.Namespace) -> Any:
    from station.printer.evolis import EvolisPrinter

    return EvolisPrinter(_url(args), timeout=args.timeout)


def _show_trace(args: argparse.Namespace, printer: Any) -> None:
    if args.trace:
        print(printer.trace.text())


def cmd_status(args: argparse.Namespace) -> int:
    printer = _printer(args)
    try:
        printer.open()
        status = printer.status()
    finally:
        printer.close()
        _show_trace(args, printer)
    if args.json:
        data = {**status.__dict__, "position": status.position.value, "ready": status.ready}
        print(json.dumps(data, ensure_ascii=False))
    else:
        print("\n".join(status.lines()))
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    printer = _printer(args)
    try:
        printer.open()
        action = {
            "feed": printer.feed,
            "contacts": printer.to_contacts,
            "print": printer.to_print,
            "eject": printer.eject,
            "reject": printer.reject,
            "reset": printer.reset,
            "position": lambda: None,
        }[args.action]
        action()
        print(f"卡片位置 card position: {printer.position().value}")
    finally:
        printer.close()
        _show_trace(args, printer)
    return 0


def load_layout(path: Path | None) -> Any:
    from station.printer.errors import LayoutError
    from station.printer.face import FaceLayout

    if path is None:
        return FaceLayout()
    from station.textfile import loads_toml, read_utf8

    what = ("卡面版式文件", "layout file")
    try:
        data = loads_toml(read_utf8(path, LayoutError, *what), path, LayoutError, *what)
    except ValueError as exc:
        raise LayoutError(
            "无法读取卡面版式文件 (cannot read layout file)", detail=f"{path}: {exc}"
        ) from None
    return FaceLayout.from_dict(data.get("face", data))


def cmd_print(args: argparse.Namespace) -> int:
    from station.printer.face import FaceData, FaceRenderer

    renderer = FaceRenderer(load_layout(args.layout))
    face = renderer.render(FaceData.load(args.data))  # refused here, before any card moves
    printer = _printer(args)
    try:
        printer.open()
        printer.check_ready()
        printer.feed()
        printer.print_panels(face.panels)
        if args.eject:
            printer.eject()
        print(f"已打印 printed; 卡片位置 card position: {printer.position().value}")
    finally:
        printer.close()
        _show_trace(args, printer)
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    from station.printer.simulator import BareChip, PrinterSimulator, Timing, load_hopper

    blanks: list[Any]
    if args.hopper:
        blanks = list(load_hopper(args.hopper))
    else:
        blanks = [(f"demo-{i:03d}", BareChip(i)) for i in range(1, args.blanks + 1)]
    link = None
    if not args.no_vpcd:
        from station.emulator.vpcd import VpcdLink, reader_name, slot_port

        link = VpcdLink(port=slot_port(args.vpcd_slot)).start()
        print(f"芯片读卡器 chip reader: {reader_name(args.vpcd_slot)}", flush=True)
    sim = PrinterSimulator(
        blanks,
        chip_slot=link,
        out_dir=args.out,
        ribbon=args.ribbon,
        timing=Timing(scale=args.time_scale),
    )
    try:
        if args.pty:
            url = sim.serve_pty()
        else:
            host, _, port = args.listen.rpartition(":")
            try:
                url = sim.serve_tcp(host or "127.0.0.1", int(port))
            except (ValueError, OSError) as exc:
                raise StationError(
                    "无法监听该地址 (cannot listen there)", detail=f"{args.listen}: {exc}"
                ) from exc
        print(f"打印机模拟器 printer simulator: {url}  ({len(blanks)} blanks)", flush=True)
        print(url, flush=True)
        done = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: done.set())
        try:
            done.wait(args.duration if args.duration > 0 else None)
        except KeyboardInterrupt:
            pass
    finally:
        sim.stop()
        if link is not None:
            link.stop()
    return 0


def cmd_fault(args: argparse.Namespace) -> int:
    from station.printer.errors import ProtocolError
    from station.printer.simulator import sim_control

    url = _url(args)
    words: tuple[str, ...] = {
        "clear": ("clear",),
        "cover-close": ("cover", "close"),
        "take": ("take",),
        "empty-reject": ("empty-reject",),
    }.get(args.kind, ("fault", args.kind, str(args.at)))
    reply = sim_control(url, *words)
    if reply != "OK":
        raise ProtocolError("模拟器拒绝了该指令 (simulator refused)", detail=f"{words}: {reply!r}")
    print(f"OK {' '.join(words)}")
    return 0


def cmd_face_render(args: argparse.Namespace) -> int:
    from station.fsutil import ensure_dir, write_image
    from station.printer.face import FaceData, FaceRenderer

    renderer = FaceRenderer(load_layout(args.layout))
    face = renderer.render(FaceData.load(args.data))
    write_image(args.out, face.preview)  # 0600, atomic, never through a symlink
    print(f"预览 preview: {args.out}")
    if args.panels:
        ensure_dir(args.panels, refuse_symlink=True)
        for name in ("ymc", "k", "o"):
            path = args.panels / f"{name}.png"
            write_image(path, getattr(face.panels, name))
            print(f"{name}: {path}")
    return 0
