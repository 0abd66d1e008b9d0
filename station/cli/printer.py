"""Printer and card-face commands: ``station printer …`` and ``station face render``.

The printer URL is anything pyserial opens: ``socket://host:port``, ``/dev/ttyUSB0``,
``/dev/usb/lp0``, a pty path.  Default: the ``printer_url`` setting
(``socket://127.0.0.1:9100``, where ``station printer simulate`` listens by default).
``--timeout`` (default: the ``printer_timeout`` setting) bounds the whole command, retries
included — except the print sequence itself, which has ``--print-timeout``.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.cli import existing_dir, output_dir, settings_of
from station.errors import StationError

if TYPE_CHECKING:  # imported when a command runs: ``station --help`` stays quick
    from station.printer.evolis import EvolisPrinter
    from station.printer.face import FaceLayout

MOVES = ("feed", "contacts", "print", "eject", "reject", "reset", "position")


def _url(args: argparse.Namespace) -> str:
    return str(args.url or settings_of(args).printer_url)


def _timeout(args: argparse.Namespace) -> float:
    """``--timeout`` or the ``printer_timeout`` setting; refused unless positive."""
    seconds = args.timeout if args.timeout is not None else settings_of(args).printer_timeout
    if not seconds > 0:
        raise StationError(
            "超时时间必须大于 0 (timeout must be greater than 0)", detail=f"--timeout {seconds}"
        )
    return float(seconds)


def register(sub: Any) -> None:
    printer = sub.add_parser("printer", help="card printer: status, moves, print, simulator")
    psub = printer.add_subparsers(dest="printer_command", metavar="ACTION", required=True)
    _register_driver(psub)
    _register_simulate(psub)
    _register_sim_control(psub)
    _register_face(sub)


def _url_arg(p: argparse.ArgumentParser) -> None:
    """The options every command that talks to a printer takes."""
    p.add_argument("--url", help="printer URL (default: the printer_url setting)")
    p.add_argument(
        "--timeout",
        type=float,
        help="seconds the whole command may take, retries included"
        " (default: the printer_timeout setting)",
    )
    p.add_argument("--trace", action="store_true", help="print the command/reply trace")


def _register_driver(psub: Any) -> None:
    """``printer status|move|print``: the driver on any printer."""
    p = psub.add_parser("status", help="supplies, cover, card position, model")
    _url_arg(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_status)

    p = psub.add_parser("move", help="move the card / eject / reject / reset / ask position")
    _url_arg(p)
    p.add_argument("action", choices=MOVES)
    p.set_defaults(func=cmd_move)

    p = psub.add_parser("print", help="render a face from data and print it (card stays inside)")
    _url_arg(p)
    p.add_argument("--data", type=Path, required=True, help="face data (JSON or TOML)")
    p.add_argument("--layout", type=Path, help="layout TOML ([face] table of a card profile)")
    p.add_argument("--eject", action="store_true", help="eject the card after printing")
    p.add_argument(
        "--print-timeout",
        type=float,
        default=120.0,
        help="seconds the print sequence itself may take (default 120)",
    )
    p.set_defaults(func=cmd_print)


def _register_simulate(psub: Any) -> None:
    """``printer simulate``: the simulator, its link, its hopper and its chip station."""
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


def _register_sim_control(psub: Any) -> None:
    """``printer fault|remedy``: what a tester and an operator do to a running simulator."""
    from station.printer.sim_protocol import FAULT_KINDS, REMEDIES

    p = psub.add_parser("fault", help="inject a fault into a running simulator")
    p.add_argument("--url", help="simulator URL (default: the printer_url setting)")
    p.add_argument("kind", choices=(*FAULT_KINDS, "clear", "cover-close", "take", "empty-reject"))
    p.add_argument(
        "--at",
        type=int,
        default=1,
        help="fire at the Nth card/move/panel/command from now (default 1)",
    )
    p.set_defaults(func=cmd_fault)

    p = psub.add_parser(
        "remedy", help="what the operator does at a running simulator to fix a fault"
    )
    p.add_argument("--url", help="simulator URL (default: the printer_url setting)")
    p.add_argument("action", choices=REMEDIES)
    p.add_argument(
        "--count",
        type=int,
        default=0,
        help="load-ribbon: prints on the new ribbon (default: full);"
        " load-cards: bare blanks to add besides the held-back ones",
    )
    p.set_defaults(func=cmd_remedy)


def _register_face(sub: Any) -> None:
    """``face render``: a face preview without a printer."""
    face = sub.add_parser("face", help="card face rendering")
    fsub = face.add_subparsers(dest="face_command", metavar="ACTION", required=True)
    p = fsub.add_parser("render", help="render a face preview (and panels) from data")
    p.add_argument("--data", type=Path, required=True, help="face data (JSON or TOML)")
    p.add_argument("--out", type=Path, required=True, help="preview PNG to write")
    p.add_argument("--layout", type=Path, help="layout TOML ([face] table of a card profile)")
    p.add_argument("--panels", type=Path, help="also write ymc/k/o panel PNGs into this directory")
    p.set_defaults(func=cmd_face_render)


def _printer(args: argparse.Namespace, print_timeout: float = 120.0) -> EvolisPrinter:
    from station.printer.evolis import EvolisPrinter

    seconds = _timeout(args)
    return EvolisPrinter(
        _url(args), timeout=seconds, move_timeout=seconds, print_timeout=print_timeout
    )


def _show_trace(args: argparse.Namespace, printer: EvolisPrinter) -> None:
    if args.trace:
        print(printer.trace.text())


def cmd_status(args: argparse.Namespace) -> int:
    import dataclasses

    from station.printer.simulator import SIM_FIRMWARE, sim_armed

    printer = _printer(args)
    try:
        with printer.within(printer.timeout):
            printer.open()
            status = printer.status()
    finally:
        printer.close()
        _show_trace(args, printer)
    if status.firmware.startswith(SIM_FIRMWARE):  # the simulator also says what is armed
        armed = sim_armed(_url(args), timeout=printer.timeout)
        status = dataclasses.replace(status, armed=tuple(armed))
    if args.json:
        print(json.dumps(status.to_dict(), ensure_ascii=False))
    else:
        print("\n".join(status.lines()))
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    printer = _printer(args)
    try:
        with printer.within(printer.timeout):
            printer.open()
            actions: dict[str, Callable[[], object]] = {
                "feed": printer.feed,
                "contacts": printer.to_contacts,
                "print": printer.to_print,
                "eject": printer.eject,
                "reject": printer.reject,
                "reset": printer.reset,
                "position": lambda: None,
            }
            actions[args.action]()
            print(f"卡片位置 card position: {printer.position().value}")
    finally:
        printer.close()
        _show_trace(args, printer)
    return 0


def load_layout(path: Path | None) -> FaceLayout:
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
    if not args.print_timeout > 0:
        raise StationError(
            "超时时间必须大于 0 (timeout must be greater than 0)",
            detail=f"--print-timeout {args.print_timeout}",
        )
    printer = _printer(args, print_timeout=args.print_timeout)
    try:
        with printer.within(printer.timeout):
            printer.open()
            printer.check_ready()
            printer.feed()
        printer.print_panels(face.panels)  # bounded by --print-timeout
        with printer.within(printer.timeout):
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
        from station.emulator.blanks import load_blank

        blanks = list(load_hopper(args.hopper, load_blank))
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


def _sim_words(args: argparse.Namespace, *words: str) -> int:
    from station.printer.errors import ProtocolError
    from station.printer.simulator import sim_control

    reply = sim_control(_url(args), *words, timeout=settings_of(args).printer_timeout)
    if reply != "OK":
        raise ProtocolError("模拟器拒绝了该指令 (simulator refused)", detail=f"{words}: {reply!r}")
    print(f"OK {' '.join(words)}")
    return 0


def cmd_fault(args: argparse.Namespace) -> int:
    words: tuple[str, ...] = {
        "clear": ("clear",),
        "cover-close": ("cover", "close"),
        "take": ("take",),
        "empty-reject": ("empty-reject",),
    }.get(args.kind, ("fault", args.kind, str(args.at)))
    return _sim_words(args, *words)


def cmd_remedy(args: argparse.Namespace) -> int:
    if args.count < 0:
        raise StationError("数量不能为负 (count must not be negative)", detail=f"{args.count}")
    words = ("remedy", args.action) + ((str(args.count),) if args.count else ())
    return _sim_words(args, *words)


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
