"""``station gui [--virtual]``: the desktop app (``station.ui.app``).

``--virtual`` is training mode: a virtual card and PSAM served through pcscd + vpcd and the
printer simulator, so nothing real is touched.  PySide6 is imported only when the command
runs, so the rest of the CLI works on a station without a display.
"""

from __future__ import annotations

import argparse
from typing import Any

from station.cli import settings_of


def register(sub: Any) -> None:
    p = sub.add_parser("gui", help="桌面程序 the desktop app")
    p.add_argument(
        "--virtual",
        action="store_true",
        help="培训模式：虚拟卡和PSAM (training mode: virtual card, PSAM and printer)",
    )
    p.add_argument(
        "--for",
        dest="for_seconds",
        type=float,
        default=None,
        metavar="SECONDS",
        help="关闭前运行的秒数 (close after this many seconds: scripts, smoke tests)",
    )
    p.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    from station.ui.app import main

    return main(None, settings_of(args), virtual=args.virtual, for_seconds=args.for_seconds)
